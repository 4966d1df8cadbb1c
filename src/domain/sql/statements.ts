/**
 * Lexical statement splitting for Flink SQL scripts. The SQL Gateway runs one statement per call, so a
 * script is cut at top-level semicolons: not inside strings, quoted identifiers, comments or an
 * `EXECUTE STATEMENT SET BEGIN ... END` block. This deliberately does not parse: a script with a
 * syntax error must still reach Flink, whose own parser message is what the user is shown.
 */
import { Lexer, tokenize, type Token } from './tokens.ts';

export type StatementKind =
  'set' | 'reset' | 'ddl' | 'insert' | 'statement_set' | 'begin_statement_set' | 'end' | 'query' | 'other';

export interface SqlStatement {
  /** The statement text without its terminating semicolon, trimmed. */
  text: string;
  kind: StatementKind;
  /** 1-based line and column where the statement starts in the script. */
  line: number;
  column: number;
}

export function splitStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  const lexer = new Lexer(script);
  let start = -1; // where the current statement's first token starts
  let startLine = 0;
  let leading = 0; // tokens of the current statement seen, up to 4
  let setWords = 0; // how many of EXECUTE STATEMENT SET BEGIN it starts with
  let inBlock = false; // inside EXECUTE STATEMENT SET BEGIN ... END
  let blockStatementStart = false; // the token follows BEGIN or a `;` of the block
  const finish = (end: number) => {
    if (start < 0) return;
    const text = script.slice(start, end).trim();
    if (text)
      out.push({
        text,
        kind: classify(text),
        line: startLine + 1,
        column: start - script.lastIndexOf('\n', start - 1),
      });
    start = -1;
    leading = setWords = 0;
    inBlock = false;
  };
  while (lexer.next()) {
    if (lexer.isPunct(';')) {
      if (inBlock) blockStatementStart = true;
      else finish(lexer.start);
      continue;
    }
    if (start < 0) {
      start = lexer.start;
      startLine = lexer.line;
    }
    if (inBlock) {
      // Only an END where a statement of the block would start closes it: not the END of a CASE.
      if (blockStatementStart && lexer.isWord('END')) inBlock = false;
      blockStatementStart = false;
    } else if (leading < 4) {
      if (setWords === leading && lexer.isWord(STATEMENT_SET[leading]!)) setWords++;
      leading++;
      if (setWords === 4) inBlock = blockStatementStart = true;
    }
  }
  finish(script.length);
  return out;
}

const STATEMENT_SET = ['EXECUTE', 'STATEMENT', 'SET', 'BEGIN'];

const isWordAt = (tokens: Token[], i: number, v: string) =>
  tokens[i]?.kind === 'word' && tokens[i]!.value === v;

/** The text with its comments replaced by a space; strings that hold `--` or `/*` stay whole. */
export function stripComments(text: string): string {
  if (!text.includes('--') && !text.includes('/*')) return text;
  let out = '';
  let at = 0;
  for (const t of tokenize(text)) {
    out += stripGap(text.slice(at, t.start)) + text.slice(t.start, t.end);
    at = t.end;
  }
  return out + stripGap(text.slice(at));
}

/** Between two tokens there is only white space and comments. */
const stripGap = (gap: string) => gap.replace(/--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, ' ');

/** The kind of the statement starting at tokens[at]. */
function kindOf(tokens: Token[], at: number): StatementKind {
  const v = (k: number) => (tokens[at + k]?.kind === 'word' ? tokens[at + k]!.value : '');
  const a = v(0);
  if (a === 'SET') return 'set';
  if (a === 'RESET') return 'reset';
  if (a === 'INSERT') return 'insert';
  if (a === 'EXECUTE' && v(1) === 'STATEMENT' && v(2) === 'SET') return 'statement_set';
  if (a === 'BEGIN' && v(1) === 'STATEMENT' && v(2) === 'SET') return 'begin_statement_set';
  if (a === 'END') return 'end';
  if (['CREATE', 'DROP', 'ALTER', 'USE', 'LOAD', 'UNLOAD', 'ADD'].includes(a)) return 'ddl';
  if (['SELECT', 'WITH', 'VALUES'].includes(a)) return 'query';
  return 'other';
}

export function classify(text: string): StatementKind {
  return kindOf(tokenize(text, 3), 0);
}

/** The key and value literals of `SET 'k' = 'v'` (tokens of the statement), or undefined. */
export function readSet(tokens: Token[]): { key: Token; value: Token } | undefined {
  const [set, key, eq, value] = tokens;
  if (tokens.length !== 4 || !isWordAt(tokens, 0, 'SET') || eq?.text !== '=') return undefined;
  if (key?.kind !== 'string' || key.open || value?.kind !== 'string' || value.open) return undefined;
  return set ? { key, value } : undefined;
}

/** `SET 'k' = 'v'` -> [k, v]; a bare `SET` (which lists options) -> undefined. */
export function parseSet(text: string): [string, string] | undefined {
  const kv = readSet(tokenize(text, 5));
  return kv ? [kv.key.value, kv.value.value] : undefined;
}

/** `SET 'k' = 'v'` with quotes in key and value doubled: the inverse of parseSet. */
export function setStatement(key: string, value: string): string {
  return `SET '${key.replace(/'/g, "''")}' = '${value.replace(/'/g, "''")}'`;
}

/** The INSERT statements inside `EXECUTE STATEMENT SET BEGIN ... END`. */
export function statementSetInserts(stmt: SqlStatement): SqlStatement[] {
  const body = /BEGIN([\s\S]*)END\s*$/i.exec(stmt.text);
  if (!body) return [];
  const offset = stmt.text.slice(0, body.index + 5).split('\n').length - 1;
  return splitStatements(body[1]!).map((s) => ({ ...s, line: s.line + stmt.line + offset - 1 }));
}
