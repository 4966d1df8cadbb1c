import { describe, expect, it } from 'vitest';
import { rootCauseOf } from './sql-gateway-client.ts';

describe('rootCauseOf', () => {
  it('skips gateway plumbing and Calcite duplicates, keeping the innermost meaningful cause', () => {
    const trace = `Internal server error.
<Exception on server side:
org.apache.flink.table.gateway.api.utils.SqlGatewayException: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.
\tat org.apache.flink.table.gateway.rest.handler.statement.FetchResultsHandler.handleRequest(FetchResultsHandler.java:91)
Caused by: org.apache.flink.table.gateway.service.utils.SqlExecutionException: Failed to execute the operation 1.
\tat org.apache.flink.table.gateway.service.operation.OperationManager$Operation.processThrowable(OperationManager.java:414)
Caused by: org.apache.flink.table.api.SqlParserException: SQL parse failed. Non-query expression encountered in illegal context
\tat org.apache.flink.table.planner.parse.CalciteParser.parseSqlList(CalciteParser.java:81)
Caused by: org.apache.calcite.sql.parser.SqlParseException: Non-query expression encountered in illegal context
\tat org.apache.flink.sql.parser.impl.FlinkSqlParserImpl.convertException(FlinkSqlParserImpl.java:490)
\t... 8 more`;
    expect(rootCauseOf(trace)).toBe(
      'SqlParserException: SQL parse failed. Non-query expression encountered in illegal context',
    );
  });

  it('keeps a multi-line message and prefers an inner non-Flink cause', () => {
    const trace = `org.apache.flink.table.api.ValidationException: Unable to create a sink for writing table 'default_catalog.default_database.d'.

Table options are:

'connector'='no-such'
\tat org.apache.flink.table.factories.FactoryUtil.createDynamicTableSink(FactoryUtil.java:1)
Caused by: org.apache.flink.table.api.ValidationException: Cannot discover a connector using option: 'connector'='no-such'
\tat x
Caused by: java.io.FileNotFoundException: /data/in.csv (No such file or directory)
\tat y`;
    expect(rootCauseOf(trace)).toBe('FileNotFoundException: /data/in.csv (No such file or directory)');
    expect(rootCauseOf(trace.split('Caused by: java.io')[0]!)).toBe(
      "ValidationException: Cannot discover a connector using option: 'connector'='no-such'",
    );
  });
});
