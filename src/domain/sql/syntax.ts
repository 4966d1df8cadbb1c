import { FlinkSQL } from 'dt-sql-parser';
import { planSqlDeployment } from './deployment-plan.ts';
import { splitStatements, statementSetInserts, stripComments, type SqlStatement } from './statements.ts';
import { SluiceError } from '../errors.ts';

/** A problem found in a script, positioned in the script (1-based, end column exclusive). */
export interface SqlProblem {
  severity: 'error' | 'info';
  /**
   * grammar: dt-sql-parser's Flink grammar; parser: Flink's own SQL parser of the engine (the judge of
   * grammar errors); platform: Sluice's rules for job scripts; planner: Flink's planner.
   */
  source: 'grammar' | 'parser' | 'platform' | 'planner';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The text at the position, when there is one. */
  text: string;
  message: string;
  /** The checker's own wording, when `message` rephrases it. */
  detail?: string;
}

export interface SyntaxReport {
  problems: SqlProblem[];
  statements: { line: number; column: number; kind: SqlStatement['kind'] }[];
  /**
   * Whether Flink's own SQL parser of the engine judged the grammar's errors (`used`), or why the
   * grammar stood alone. Absent where only the grammar was asked (checkSyntax).
   */
  parser?: { engine: string; flinkVersion?: string; used: boolean; reason?: string };
}

/**
 * Statements Flink accepts that dt-sql-parser's grammar (about Flink 1.16) rejects. They are not
 * marked as errors: the planner, the authority, checks them.
 */
const GRAMMAR_GAPS: { pattern: RegExp; what: string }[] = [
  { pattern: /^SHOW\s+JOBS\b/i, what: 'SHOW JOBS' },
  { pattern: /^STOP\s+JOB\b/i, what: 'STOP JOB' },
  { pattern: /^CALL\b/i, what: 'CALL' },
  {
    pattern: /^ALTER\s+TABLE\s+\S+\s+(ADD|MODIFY|DROP|RENAME)\b/i,
    what: 'ALTER TABLE ... ADD/MODIFY/DROP/RENAME',
  },
  { pattern: /^CREATE\s+(TEMPORARY\s+)?MODEL\b/i, what: 'CREATE MODEL' },
  {
    pattern: /^(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?MATERIALIZED\s+TABLE\b/i,
    what: 'materialized tables',
  },
  { pattern: /\bDISTRIBUTED\s+(BY|INTO)\b/i, what: 'DISTRIBUTED BY' },
  {
    pattern: /\bSESSION\s*\(\s*(TABLE\b|DATA\s*=>)/i,
    what: 'the SESSION window table function (Flink 1.19+)',
  },
  {
    pattern: /^CREATE\s+(TEMPORARY\s+)?TABLE\s+[\w.`]+\s+WITH\s*\(/i,
    what: 'CREATE TABLE ... WITH (...) LIKE without a column list',
  },
];

let parser: FlinkSQL | null = null;
const grammar = () => (parser ??= new FlinkSQL());

/** The first call in a process takes several hundred ms (ANTLR warm-up): do it before users type. */
export function warmUpSyntaxChecker(): void {
  grammar().validate(
    "CREATE TABLE t (id INT) WITH ('connector' = 'datagen');\nINSERT INTO s SELECT id FROM t;",
  );
}

/**
 * Checks a script statement by statement with the Flink SQL grammar, in plain words. With
 * `asJob`, Sluice's rules for a job script apply too (an INSERT, no SELECT, SET with quoted values).
 */
export function checkSyntax(script: string, opts: { asJob?: boolean } = {}): SyntaxReport {
  const statements = splitStatements(script);
  const problems: SqlProblem[] = [];
  for (const stmt of statements) {
    const body = stripComments(stmt.text).trim();
    const gap = GRAMMAR_GAPS.find((g) => g.pattern.test(body));
    if (gap) {
      problems.push({
        severity: 'info',
        source: 'grammar',
        ...span(stmt, 1, 1, 1, 1 + firstLineLength(stmt.text)),
        text: stmt.text.split('\n')[0]!,
        message: `not checked as you type: the editor's grammar does not know ${gap.what}; planner validation checks it`,
      });
      continue;
    }
    // The stateful statement-set markers are complete statements for the gateway on their own.
    if (stmt.kind === 'begin_statement_set' || stmt.kind === 'end') continue;
    // A block's INSERTs are checked one by one: one broken INSERT otherwise misleads the grammar about the rest.
    const parts = stmt.kind === 'statement_set' ? statementSetInserts(stmt) : [stmt];
    for (const part of parts)
      for (const e of grammar().validate(part.text)) {
        // dt-sql-parser's end column is already exclusive.
        const pos = span(part, e.startLine, e.startColumn, e.endLine, e.endColumn);
        const text = textAt(part.text, e.startLine, e.startColumn, e.endLine, e.endColumn);
        problems.push({
          severity: 'error',
          source: 'grammar',
          ...pos,
          text,
          message: plainWords(e.message, text),
          detail: e.message,
        });
      }
  }
  if (opts.asJob && !problems.some((p) => p.severity === 'error'))
    problems.push(...jobScriptProblems(script));
  return { problems, statements: statements.map((s) => ({ line: s.line, column: s.column, kind: s.kind })) };
}

/** Sluice's rules for a job script (an INSERT, no SELECT, SET values Flink accepts), at their line. */
export function jobScriptProblems(script: string): SqlProblem[] {
  try {
    planSqlDeployment(script);
    return [];
  } catch (e) {
    if (!(e instanceof SluiceError)) throw e;
    const line = typeof e.details.line === 'number' ? e.details.line : 1;
    const column = typeof e.details.column === 'number' ? e.details.column : 1;
    return [
      {
        severity: 'error',
        source: 'platform',
        line,
        column,
        endLine: line,
        endColumn: column + 1,
        text: '',
        message: e.message.replace(/^(line \d+: |sql: )/, ''),
      },
    ];
  }
}

/** A position inside a statement, as a position in the script. */
function span(stmt: SqlStatement, line: number, column: number, endLine: number, endColumn: number) {
  const at = (l: number, c: number) => ({ l: stmt.line + l - 1, c: l === 1 ? stmt.column + c - 1 : c });
  const start = at(line, column);
  const end = at(endLine, endColumn);
  return { line: start.l, column: start.c, endLine: end.l, endColumn: end.c };
}

function textAt(text: string, line: number, column: number, endLine: number, endColumn: number): string {
  const lines = text.split('\n');
  if (line === endLine) return (lines[line - 1] ?? '').slice(column - 1, endColumn - 1);
  return [
    (lines[line - 1] ?? '').slice(column - 1),
    ...lines.slice(line, endLine - 1),
    (lines[endLine - 1] ?? '').slice(0, endColumn - 1),
  ].join('\n');
}

const firstLineLength = (t: string) => t.split('\n')[0]!.length;

/** dt-sql-parser's messages are right about the place and often wrong about the cause: say what is sure. */
function plainWords(message: string, text: string): string {
  if (/Statement is incomplete/i.test(message))
    return 'the statement ends too early: something is missing here';
  const m = /^'(.*)' is not valid at this position(?:, expecting (.*))?$/s.exec(message);
  if (m) {
    const expected = m[2]
      ? ` (the grammar expected ${m[2].replace(/^an? /, 'a ').replace(/\bexisting\b /, '')} here)`
      : '';
    return `unexpected '${m[1]}'${expected}: check the spelling of keywords and names before it`;
  }
  return text ? `unexpected '${text}': ${message}` : message;
}
