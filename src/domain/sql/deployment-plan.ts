import { SluiceError } from '../errors.ts';
import { flinkOptionIssue } from '../jobs/flink-options.ts';
import { message, type Message } from '../messages.ts';
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
    const problem = flinkOptionIssue(key, value);
    if (problem)
      throw new SluiceError('invalid_argument', message('job.badOption', { key, problem }), {
        field: `options.${key}`,
      });
  }
  const options: Record<string, string> = { ...jobOptions };
  const setup: SqlStatement[] = [];
  const inserts: SqlStatement[] = [];
  for (const stmt of splitStatements(script)) {
    switch (stmt.kind) {
      case 'set': {
        const kv = parseSet(stmt.text);
        if (!kv) throw refuse(stmt, message('job.unquotedSet'));
        const problem = flinkOptionIssue(kv[0], kv[1]);
        if (problem) throw refuse(stmt, message('job.badOption', { key: kv[0], problem }));
        options[kv[0]] = kv[1];
        break;
      }
      case 'reset':
        throw refuse(stmt, message('job.resetInScript'));
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
        throw refuse(stmt, message('job.queryInScript'));
      case 'ddl':
      case 'other':
        setup.push(stmt);
        break;
    }
  }
  if (inserts.length === 0)
    throw new SluiceError('invalid_argument', message('job.noInsert'), { field: 'sql' });
  return { options, setup, inserts };
}

function refuse(stmt: SqlStatement, why: Message): SluiceError {
  return new SluiceError('invalid_argument', message('job.atLine', { line: stmt.line, why }), {
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
