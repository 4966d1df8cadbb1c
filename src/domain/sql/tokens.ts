/**
 * The one Flink SQL tokenizer: statement splitting, the CREATE TABLE reader, lineage, option changes
 * and debug plans all read tokens from here. It must be fast (scripts of thousands of lines are read
 * as you type) and must not fail on scripts the grammar does not know: identifiers, quoted names,
 * strings, numbers and punctuation, with their offsets and lines in the text. Comments and white space
 * are dropped.
 */
export interface Token {
  /** `eof` is never produced by tokenize: readers use it for "past the end". */
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'eof';
  /** The text as written (quotes included). */
  text: string;
  /** Upper-cased for words; unquoted (doubled quotes undone) for quoted names and strings. */
  value: string;
  start: number;
  end: number;
  /** 0-based line of the token's start in the text. */
  line: number;
  /** A string or quoted name whose closing quote is missing (it runs to the end of the text). */
  open?: true;
}

const TWO_CHAR_OPS = new Set(['<>', '<=', '>=', '!=', '||', '=>', '::']);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
/** ASCII controls and space, and Unicode white space (no-break, ideographic, BOM...). */
const isSpace = (c: number, ch: string) => c <= 32 || (c > 127 && /[\s\ufeff]/.test(ch));
/** Letters of any script continue a word; Unicode white space (a pasted no-break space) ends it. */
const isWordPart = (c: number, ch: string) =>
  c < 128 ? isWordStart(c) || isDigit(c) || c === 36 : !isSpace(c, ch);

/**
 * The lexer: steps from token to token without building them, for passes over a whole script that
 * look at few tokens (statement splitting); `tokenize` builds every token from it.
 */
export class Lexer {
  kind: Token['kind'] = 'eof';
  /** Of the current token. */
  start = 0;
  end = 0;
  line = 0;
  /** The current token is a string or quoted name without its closing quote. */
  open = false;
  private i = 0;
  private at = 0; // the line at i

  constructor(readonly sql: string) {}

  /** Moves to the next token; false (and kind 'eof') at the end. */
  next(): boolean {
    const sql = this.sql;
    const n = sql.length;
    let i = this.i;
    let line = this.at;
    while (i < n) {
      const c = sql.charCodeAt(i);
      if (c === 10) {
        line++;
        i++;
        continue;
      }
      if (c <= 32 || (c > 127 && isSpace(c, sql[i]!))) {
        i++;
        continue;
      }
      const d = sql.charCodeAt(i + 1);
      if (c === 45 && d === 45) {
        const nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      if (c === 47 && d === 42) {
        const close = sql.indexOf('*/', i + 2);
        const stop = close < 0 ? n : close + 2;
        for (let k = i; k < stop; k++) if (sql.charCodeAt(k) === 10) line++;
        i = stop;
        continue;
      }
      this.start = i;
      this.line = line;
      this.open = false;
      if (c === 39 || c === 96 || c === 34) {
        let j = i + 1;
        let closed = false;
        while (j < n) {
          const x = sql.charCodeAt(j);
          if (x === c) {
            if (sql.charCodeAt(j + 1) === c) {
              j += 2; // a doubled quote escapes itself
              continue;
            }
            j++;
            closed = true;
            break;
          }
          if (x === 10) line++;
          j++;
        }
        this.kind = c === 39 ? 'string' : 'quoted';
        this.open = !closed;
        i = j;
      } else if (isDigit(c) || (c === 46 && isDigit(d))) {
        let j = i + 1;
        while (j < n && (isDigit(sql.charCodeAt(j)) || sql.charCodeAt(j) === 46)) j++;
        if (j < n && (sql.charCodeAt(j) | 32) === 101) {
          let k = j + 1;
          const sign = sql.charCodeAt(k);
          if (sign === 43 || sign === 45) k++;
          if (isDigit(sql.charCodeAt(k))) {
            j = k;
            while (j < n && isDigit(sql.charCodeAt(j))) j++;
          }
        }
        this.kind = 'number';
        i = j;
      } else if (isWordStart(c)) {
        let j = i + 1;
        while (j < n && isWordPart(sql.charCodeAt(j), sql[j]!)) j++;
        this.kind = 'word';
        i = j;
      } else {
        this.kind = 'punct';
        i += TWO_CHAR_OPS.has(sql.slice(i, i + 2)) ? 2 : 1;
      }
      this.end = i;
      this.i = i;
      this.at = line;
      return true;
    }
    this.i = i;
    this.at = line;
    this.kind = 'eof';
    this.start = this.end = n;
    return false;
  }

  /** Whether the current token is the word `upper` (upper-case), without building it. */
  isWord(upper: string): boolean {
    if (this.kind !== 'word' || this.end - this.start !== upper.length) return false;
    return this.sql.slice(this.start, this.end).toUpperCase() === upper;
  }

  isPunct(text: string): boolean {
    return (
      this.kind === 'punct' && this.end - this.start === text.length && this.sql.startsWith(text, this.start)
    );
  }

  /** The current token. */
  token(): Token {
    const text = this.sql.slice(this.start, this.end);
    const t: Token = {
      kind: this.kind,
      text,
      value: text,
      start: this.start,
      end: this.end,
      line: this.line,
    };
    if (this.kind === 'word') t.value = text.toUpperCase();
    else if (this.kind === 'string' || this.kind === 'quoted') {
      const q = text[0]!;
      const inner = this.open ? text.slice(1) : text.slice(1, -1);
      t.value = inner.includes(q + q) ? inner.split(q + q).join(q) : inner;
      if (this.open) t.open = true;
    }
    return t;
  }
}

/** Tokens of `sql`; with `limit`, only the first `limit` tokens (enough to classify a statement). */
export function tokenize(sql: string, limit = Infinity): Token[] {
  const out: Token[] = [];
  const lexer = new Lexer(sql);
  while (out.length < limit && lexer.next()) out.push(lexer.token());
  return out;
}

/** A name part as Flink resolves it: a quoted name unquoted, a word as written. */
export function identText(t: Token): string {
  return t.kind === 'quoted' ? t.value : t.text;
}

/** A name as Flink resolves it: quoted parts unquoted, joined with dots. */
export function nameOf(tokens: Token[]): string {
  return tokens
    .filter((t) => t.text !== '.')
    .map(identText)
    .join('.');
}

/** Reads a possibly qualified name (`a`, `cat.db.t`, `` `my table` ``) starting at `i`. */
export function readName(tokens: Token[], i: number): { name: string; next: number } | null {
  const parts: Token[] = [];
  let j = i;
  while (tokens[j] && (tokens[j]!.kind === 'word' || tokens[j]!.kind === 'quoted')) {
    parts.push(tokens[j]!);
    j++;
    if (tokens[j]?.text !== '.') break;
    j++;
  }
  return parts.length ? { name: nameOf(parts), next: j } : null;
}

/** The index of the token closing the bracket opened at `open`, or -1 when it is not closed. */
export function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!.text;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return j;
  }
  return -1;
}

/**
 * For every `(` / `[` the index of its closing token and back; an unclosed opener maps to
 * tokens.length (readers that forgive stop there), a stray closer to -1.
 */
export function matchBrackets(toks: Token[]): Int32Array {
  const m = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  let parens = 0;
  let squares = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') {
      stack.push(i);
      if (t.text === '(') parens++;
      else squares++;
    } else if (t.text === ')' || t.text === ']') {
      const open = t.text === ')' ? '(' : '[';
      if ((open === '(' ? parens : squares) === 0) continue; // a stray closer: ignore it
      // Openers of the other kind left unclosed in between close here too, so every jump stays in order.
      while (stack.length) {
        const o = stack.pop()!;
        const kind = toks[o]!.text;
        if (kind === '(') parens--;
        else squares--;
        m[o] = i;
        if (kind === open) {
          m[i] = o;
          break;
        }
      }
    }
  }
  for (const o of stack) m[o] = toks.length;
  return m;
}
