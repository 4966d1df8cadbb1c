/**
 * The combined syntax check: dt-sql-parser's grammar answers at once, Flink's own SQL parser (of the
 * job's engine) is the judge. A grammar error stands only where Flink's parser also rejects the
 * statement; errors the grammar misses (an EXECUTE STATEMENT SET without END...) come from Flink.
 */
import type { SqlStatement, StatementKind } from './statements.ts';
import type { SqlProblem } from './syntax.ts';

/** Flink's parser on one statement; positions are 1-based in the statement text, end inclusive. */
export interface ParseVerdict {
  ok: boolean;
  /** Flink's message (SqlParseException and the like), Java class names left out. */
  message?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The statement ended where Flink wanted more. */
  eof?: boolean;
  /** parse, context, statements (not exactly one statement), too_deep, other. */
  kind?: string;
}

/** A grammar complaint about a statement that Flink's parser accepts: a gap in the grammar. */
export interface GrammarGap {
  kind: StatementKind;
  line: number;
  column: number;
  /** The grammar's own message. */
  grammarMessage: string;
  /** The statement, shortened. */
  statement: string;
}

/**
 * `${name}` references are substituted only where SQL runs; for the parser each becomes a name of the
 * same length, so positions do not move and a reference where a name or value stands parses.
 */
export function maskReferences(text: string): string {
  return text.replace(/\$\{[^}\s]*\}/g, (m) => `v${'_'.repeat(m.length - 1)}`);
}

/**
 * Keeps, drops or replaces the grammar's findings statement by statement with Flink's verdicts
 * (`verdicts[i]` for `statements[i]`). Problems of other sources pass through.
 */
export function judgeWithParser(
  statements: SqlStatement[],
  grammar: SqlProblem[],
  verdicts: ParseVerdict[],
): { problems: SqlProblem[]; gaps: GrammarGap[] } {
  const problems: SqlProblem[] = grammar.filter((p) => p.source !== 'grammar');
  const gaps: GrammarGap[] = [];
  const owner = (p: SqlProblem) => {
    let found = -1;
    statements.forEach((s, i) => {
      if (p.line > s.line || (p.line === s.line && p.column >= s.column)) found = i;
    });
    return Math.max(found, 0);
  };
  const byStatement = new Map<number, SqlProblem[]>();
  for (const p of grammar)
    if (p.source === 'grammar') {
      const i = owner(p);
      byStatement.set(i, [...(byStatement.get(i) ?? []), p]);
    }
  statements.forEach((stmt, i) => {
    const verdict = verdicts[i];
    const mine = byStatement.get(i) ?? [];
    if (!verdict) {
      problems.push(...mine);
      return;
    }
    if (verdict.ok) {
      // The first error is the grammar's gap; the ones after it are usually its echo.
      const first = mine.find((p) => p.severity === 'error');
      if (first)
        gaps.push({
          kind: stmt.kind,
          line: first.line,
          column: first.column,
          grammarMessage: first.detail ?? first.message,
          statement: oneLine(stmt.text, 200),
        });
      return;
    }
    problems.push(parserProblem(stmt, verdict, mine));
  });
  return { problems, gaps };
}

/** Flink's rejection of a statement at its place in the script, in plain words. */
export function parserProblem(stmt: SqlStatement, v: ParseVerdict, grammar: SqlProblem[] = []): SqlProblem {
  const toScript = (l: number, c: number) => ({
    line: stmt.line + l - 1,
    column: l === 1 ? stmt.column + c - 1 : c,
  });
  const lines = stmt.text.split('\n');
  const located = v.line !== undefined && v.line > 0 && v.column !== undefined && v.column > 0;
  let start = located ? toScript(v.line!, v.column!) : { line: stmt.line, column: stmt.column };
  let end = located
    ? toScript(v.endLine ?? v.line!, (v.endColumn ?? v.column!) + 1)
    : { line: stmt.line, column: stmt.column + lines[0]!.length };
  let text = located
    ? textBetween(lines, v.line!, v.column!, v.endLine ?? v.line!, v.endColumn ?? v.column!)
    : '';
  if (v.eof) {
    // Flink puts <EOF> on the last character; the statement ends just after it.
    start = end = toScript(lines.length, lines[lines.length - 1]!.length + 1);
    text = '';
  }
  const raw = cleanFlinkMessage(v.message ?? 'Flink could not parse this statement');
  const plain = plainWords(stmt, v, raw, text);
  if (plain.word && located && text.trim() === '.') {
    // Flink points at the dot before a reserved word: mark the word.
    const at = (lines[v.line! - 1] ?? '').indexOf(plain.word, v.column!);
    if (at >= 0) {
      start = toScript(v.line!, at + 1);
      end = toScript(v.line!, at + 1 + plain.word.length);
      text = plain.word;
    }
  }
  if (plain.quote && located) {
    // Flink's token starts before the quote ("= \""): mark from the quote.
    const at = (lines[v.line! - 1] ?? '').indexOf('"', v.column! - 1);
    if (at >= 0) {
      start = toScript(v.line!, at + 1);
      end = toScript(v.line!, at + 2);
      text = '"';
    }
  }
  // The grammar's plain wording stands where it points at the same place and Flink says nothing more specific.
  const same = grammar.find(
    (p) =>
      p.severity === 'error' &&
      p.line === start.line &&
      p.column === start.column &&
      /^unexpected '|ends too early/.test(p.message) &&
      !/failed predicate/.test(p.message),
  );
  return {
    severity: 'error',
    source: 'parser',
    ...start,
    endLine: end.line,
    endColumn: Math.max(end.column, start.line === end.line ? start.column + (v.eof ? 0 : 1) : 1),
    text,
    message: same && !plain.specific ? same.message : plain.message,
    detail: shortDetail(raw),
  };
}

/** Flink's message with its expectation list shortened: the full list can name every keyword. */
function shortDetail(raw: string): string {
  const i = raw.indexOf('Was expecting');
  if (i < 0) return raw;
  const tokens = expectedTokens(raw);
  const shown = tokens.slice(0, 10).join(', ');
  return `${raw.slice(0, i).trim()} Was expecting one of: ${shown}${tokens.length > 10 ? `, ... (${tokens.length} in all)` : ''}`;
}

/** Flink's message without the class names, the "SQL parse failed" prefix and the long expectation list. */
export function cleanFlinkMessage(message: string): string {
  return message
    .replace(/^(?:[\w$]+\.)*[\w$]*(?:Exception|Error): /, '')
    .replace(/^SQL parse failed\.\s*/, '')
    .trim();
}

/** The tokens Flink listed after "Was expecting one of:", quotes removed. */
export function expectedTokens(message: string): string[] {
  const i = message.indexOf('Was expecting');
  if (i < 0) return [];
  const out: string[] = [];
  for (const line of message.slice(i).split('\n').slice(1)) {
    const m = /^\s*("(?:[^"\\]|\\.)*"|<[A-Z_]+>)/.exec(line);
    if (!m) continue;
    const token = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/\\(.)/g, '$1') : m[1]!;
    if (!out.includes(token)) out.push(token);
  }
  return out;
}

/** Flink's rejection in plain words; `specific` when it says more than "unexpected X". */
function plainWords(
  stmt: SqlStatement,
  v: ParseVerdict,
  raw: string,
  text: string,
): { message: string; specific: boolean; word?: string; quote?: boolean } {
  const expected = expectedTokens(raw);
  const isStatementSet = /^\s*EXECUTE\s+STATEMENT\s+SET\b/i.test(stmt.text);
  if (v.eof && isStatementSet && expected.includes('END'))
    return {
      specific: true,
      message:
        'the statement set is not closed: add END; after its last INSERT (EXECUTE STATEMENT SET BEGIN ... END;)',
    };
  if (v.eof) {
    const list = keywordList(expected);
    return {
      specific: false,
      message: `the statement ends too early: something is missing here${list ? ` (Flink expected ${list})` : ''}`,
    };
  }
  if (v.kind === 'statements')
    return { specific: true, message: 'more than one statement here: end each statement with a semicolon' };
  const encountered = /^Encountered "((?:[^"\\]|\\.)*)" at line/.exec(raw)?.[1]?.replace(/\\(.)/g, '$1');
  if (encountered !== undefined) {
    // A reserved word where a name stands: Flink wants it quoted.
    const word = /^(?:\.\s*)?([A-Za-z_]\w*)$/.exec(encountered)?.[1];
    if (word && expected.includes('<IDENTIFIER>') && !expected.includes(word.toUpperCase()))
      return {
        specific: true,
        word,
        message: `'${word}' is a reserved word in Flink SQL: quote it as \`${word}\` to use it as a name`,
      };
    if (encountered.includes('"'))
      return {
        specific: true,
        quote: true,
        message:
          "double quotes do not make a string in Flink SQL: write strings in single quotes ('text') and quote names with backticks (`name`)",
      };
    const list = keywordList(expected);
    return {
      specific: false,
      message: `unexpected '${encountered}'${list ? ` (Flink expected ${list} here)` : ''}: check the spelling of keywords and names before it`,
    };
  }
  if (/Non-query expression encountered in illegal context/.test(raw))
    return {
      specific: false,
      message: `unexpected '${text}': Flink expected a query here (SELECT, VALUES or WITH); check the spelling of the keyword`,
    };
  const lexical = /^Lexical error at line \d+, column \d+\.\s*Encountered: (.*?) after : "(.*)"$/s.exec(raw);
  if (lexical)
    return {
      specific: true,
      message:
        lexical[1] === '<EOF>'
          ? `the text ends inside a quoted string, name or comment that starts with "${lexical[2]!.slice(0, 20)}": close it`
          : `unexpected character ${lexical[1]} after "${lexical[2]!.slice(-20)}"`,
    };
  return { specific: false, message: raw.split('\n')[0]!.replace(/ at line \d+, column \d+\.?/, '') };
}

/** "A, B or C" for a short list of keywords and symbols; nothing for long or internal lists. */
function keywordList(tokens: string[]): string {
  const words = tokens.filter((t) => !t.startsWith('<'));
  if (words.length === 0 || words.length > 6 || words.length !== tokens.length) return '';
  const q = words.map((w) => `'${w}'`);
  return q.length === 1 ? q[0]! : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

function textBetween(lines: string[], line: number, column: number, endLine: number, endColumn: number) {
  if (line === endLine) return (lines[line - 1] ?? '').slice(column - 1, endColumn);
  return [
    (lines[line - 1] ?? '').slice(column - 1),
    ...lines.slice(line, endLine - 1),
    (lines[endLine - 1] ?? '').slice(0, endColumn),
  ].join('\n');
}

const oneLine = (text: string, max: number) => {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
};
