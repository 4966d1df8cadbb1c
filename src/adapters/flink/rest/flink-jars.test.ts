import { describe, expect, it } from 'vitest';
import { jarRunCause } from './flink-jars.ts';

describe('the cause of a refused /jars/:id/run', () => {
  const trace = (...causes: string[]) =>
    [
      'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
      '\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)',
      ...causes.flatMap((c) => [`Caused by: ${c}`, '\tat somewhere(Somewhere.java:1)']),
    ].join('\n');

  it("is the SQL runner's own line when it wrote one, not the deeper Flink exception it wraps", () => {
    expect(
      jarRunCause(
        trace(
          "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table",
          "dev.sluice.sqlrunner.SluiceSqlRunner$Failure: Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table",
          "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table",
        ),
      ),
    ).toBe("Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table");
  });

  it("is the deepest cause of any other jar's failure", () => {
    expect(
      jarRunCause(
        trace(
          'org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: boom',
          'java.lang.IllegalArgumentException: boom',
        ),
      ),
    ).toBe('java.lang.IllegalArgumentException: boom');
  });

  it('is the first line when Flink gave no cause', () => {
    expect(jarRunCause('Jar file /tmp/x.jar does not exist')).toBe('Jar file /tmp/x.jar does not exist');
  });
});
