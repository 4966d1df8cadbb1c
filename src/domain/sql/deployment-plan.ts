import { SluiceError } from '../errors.ts';
import { flinkOptionProblem } from '../jobs/flink-options.ts';
import { parseSet, splitStatements, statementSetInserts, type SqlStatement } from './statements.ts';

/**
 * How a SQL job's script is sent to a session: options first, then the statements that set the session
 * up (DDL, catalogs, functions, USE) in script order, then every INSERT as one statement set, so one
 * script is exactly one Flink job.
 */
export interface SqlDeploymentPlan {
  options: Record<string, string>;
  setup: SqlStatement[];
  inserts: SqlStatement[];
}

export function planSqlDeployment(
  script: string,
  jobOptions: Record<string, string> = {},
): SqlDeploymentPlan {
  for (const [key, value] of Object.entries(jobOptions)) {
    const problem = flinkOptionProblem(key, value);
    if (problem)
      throw new SluiceError('invalid_argument', `option '${key}': ${problem}`, { field: `options.${key}` });
  }
  const options: Record<string, string> = { ...jobOptions };
  const setup: SqlStatement[] = [];
  const inserts: SqlStatement[] = [];
  for (const stmt of splitStatements(script)) {
    switch (stmt.kind) {
      case 'set': {
        const kv = parseSet(stmt.text);
        if (!kv)
          throw refuse(stmt, "a SET in a job script must be SET 'key' = 'value' (quoted key and value)");
        const problem = flinkOptionProblem(kv[0], kv[1]);
        if (problem) throw refuse(stmt, `option '${kv[0]}': ${problem}`);
        options[kv[0]] = kv[1];
        break;
      }
      case 'reset':
        throw refuse(stmt, 'RESET is not allowed in a job script; remove the option from the job instead');
      case 'insert':
        inserts.push(stmt);
        break;
      case 'statement_set':
        inserts.push(...statementSetInserts(stmt));
        break;
      case 'begin_statement_set':
      case 'end':
        break; // the stateful `BEGIN STATEMENT SET; ... END;` form: its INSERTs are collected anyway
      case 'query':
        throw refuse(
          stmt,
          'a job script cannot contain a query (SELECT): write its result with INSERT INTO a sink table',
        );
      case 'ddl':
      case 'other':
        setup.push(stmt);
        break;
    }
  }
  if (inserts.length === 0)
    throw new SluiceError(
      'invalid_argument',
      'the script has no INSERT statement, so it would start no Flink job: add INSERT INTO <sink> SELECT ...',
      { field: 'sql' },
    );
  return { options, setup, inserts };
}

function refuse(stmt: SqlStatement, why: string): SluiceError {
  return new SluiceError('invalid_argument', `line ${stmt.line}: ${why}`, {
    field: 'sql',
    line: stmt.line,
    column: stmt.column,
    statement: stmt.text.slice(0, 200),
  });
}

/** One statement that submits every INSERT of the plan as a single Flink job. */
export function statementSetSql(inserts: SqlStatement[]): string {
  return `EXECUTE STATEMENT SET\nBEGIN\n${inserts.map((s) => `${s.text};`).join('\n')}\nEND`;
}

/**
 * Which INSERT of a statement set Flink's message names, with the message's positions made relative
 * to that INSERT ("line 5" of the set is "line 1" of its second INSERT), so that it can be placed in
 * the script like the error of a statement sent alone. Null when the message names no position.
 */
export function locateInStatementSet(
  inserts: SqlStatement[],
  message: string,
): { statement: SqlStatement; message: string } | null {
  const m = /line (\d+), column \d+/.exec(message);
  if (!m) return null;
  const line = Number(m[1]);
  let first = 3; // EXECUTE STATEMENT SET, BEGIN, then the first INSERT
  for (const statement of inserts) {
    const lines = statement.text.split('\n').length;
    if (line < first + lines)
      return {
        statement,
        message: message.replace(/line (\d+)/g, (_, n: string) => `line ${Number(n) - first + 1}`),
      };
    first += lines;
  }
  return null;
}
