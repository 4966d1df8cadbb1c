/**
 * Lexical statement splitting for Flink SQL scripts. The SQL Gateway runs one statement per call, so a
 * script is cut at top-level semicolons: not inside strings, quoted identifiers, comments or an
 * `EXECUTE STATEMENT SET BEGIN ... END` block. This deliberately does not parse: a script with a
 * syntax error must still reach Flink, whose own parser message is what the user is shown.
 */
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
  let start = -1;
  let i = 0;
  let line = 1;
  let col = 1;
  let startLine = 1;
  let startCol = 1;
  let words: string[] = []; // leading keywords of the current statement, upper-cased
  let inBlock = false; // inside EXECUTE STATEMENT SET BEGIN ... END

  const advance = (n: number) => {
    for (let k = 0; k < n && i < script.length; k++, i++) {
      if (script[i] === '\n') {
        line++;
        col = 1;
      } else col++;
    }
  };
  const markStart = () => {
    if (start < 0) {
      start = i;
      startLine = line;
      startCol = col;
    }
  };
  const finish = (end: number) => {
    if (start >= 0) {
      const text = script.slice(start, end).trim();
      if (text) out.push({ text, kind: classify(text), line: startLine, column: startCol });
    }
    start = -1;
    words = [];
    inBlock = false;
  };

  while (i < script.length) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const nl = script.indexOf('\n', i);
      advance((nl < 0 ? script.length : nl) - i);
      continue;
    }
    if (c === '/' && next === '*') {
      const endc = script.indexOf('*/', i + 2);
      advance((endc < 0 ? script.length : endc + 2) - i);
      continue;
    }
    if (c === "'" || c === '`' || c === '"') {
      markStart();
      advance(1);
      while (i < script.length) {
        if (script[i] === c) {
          if (script[i + 1] === c)
            advance(2); // doubled quote escapes itself
          else {
            advance(1);
            break;
          }
        } else advance(1);
      }
      words.push('?');
      continue;
    }
    if (c === ';') {
      if (!inBlock) {
        finish(i);
        advance(1);
        continue;
      }
      advance(1);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      markStart();
      let j = i;
      while (j < script.length && /[A-Za-z0-9_$]/.test(script[j]!)) j++;
      const word = script.slice(i, j).toUpperCase();
      if (words.length < 4) {
        words.push(word);
        if (words.join(' ') === 'EXECUTE STATEMENT SET BEGIN') inBlock = true;
      } else if (inBlock && word === 'END') {
        inBlock = false;
      }
      advance(j - i);
      continue;
    }
    if (!/\s/.test(c)) {
      markStart();
      if (words.length < 4) words.push(c);
    }
    advance(1);
  }
  finish(script.length);
  return out;
}

function leadingWords(text: string, n: number): string[] {
  return stripComments(text)
    .trim()
    .split(/[\s(]+/, n)
    .map((w) => w.toUpperCase());
}

export function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

export function classify(text: string): StatementKind {
  const [a = '', b = '', c = ''] = leadingWords(text, 3);
  if (a === 'SET') return 'set';
  if (a === 'RESET') return 'reset';
  if (a === 'INSERT') return 'insert';
  if (a === 'EXECUTE' && b === 'STATEMENT' && c === 'SET') return 'statement_set';
  if (a === 'BEGIN' && b === 'STATEMENT' && c === 'SET') return 'begin_statement_set';
  if (a === 'END') return 'end';
  if (['CREATE', 'DROP', 'ALTER', 'USE', 'LOAD', 'UNLOAD', 'ADD'].includes(a)) return 'ddl';
  if (['SELECT', 'WITH', 'VALUES'].includes(a)) return 'query';
  return 'other';
}

/** `SET 'k' = 'v'` -> [k, v]; a bare `SET` (which lists options) -> undefined. */
export function parseSet(text: string): [string, string] | undefined {
  const m = /^\s*SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'\s*$/is.exec(stripComments(text));
  if (!m) return undefined;
  return [m[1]!.replace(/''/g, "'"), m[2]!.replace(/''/g, "'")];
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
