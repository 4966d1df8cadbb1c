/**
 * A Flink SQL tokenizer for the analyses that must be fast and must not fail on scripts the grammar
 * does not know (DDL rewriting for debug runs): identifiers, quoted names, strings, numbers and
 * punctuation, with their offsets in the text. Comments and white space are dropped.
 */
export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** The text as written (quotes included). */
  text: string;
  /** Upper-cased for words, unquoted for quoted names and strings. */
  value: string;
  start: number;
  end: number;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      const text = sql.slice(i, Math.min(j + 1, sql.length));
      const value = text
        .slice(1, text.endsWith(c) && text.length > 1 ? -1 : undefined)
        .split(c + c)
        .join(c);
      out.push({ kind: c === "'" ? 'string' : 'quoted', text, value, start: i, end: i + text.length });
      i += text.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      out.push({ kind: 'word', text, value: text.toUpperCase(), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[0-9.eE]/.test(sql[j]!)) j++;
      out.push({ kind: 'number', text: sql.slice(i, j), value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const text = ['<>', '<=', '>=', '!=', '||', '=>'].includes(two) ? two : c;
      out.push({ kind: 'punct', text, value: text, start: i, end: i + text.length });
      i += text.length;
    }
  }
  return out;
}

/** A name as Flink resolves it: quoted parts unquoted, joined with dots. */
export function nameOf(tokens: Token[]): string {
  return tokens
    .filter((t) => t.text !== '.')
    .map((t) => (t.kind === 'quoted' ? t.value : t.text))
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

/** Splits tokens[from..to) at commas outside brackets (`<...>` of ROW/ARRAY/MAP types included). */
export function splitTopLevel(tokens: Token[], from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let angle = 0;
  let start = from;
  for (let j = from; j < to; j++) {
    const t = tokens[j]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === '<' && ['ROW', 'ARRAY', 'MAP', 'MULTISET'].includes(tokens[j - 1]?.value ?? ''))
      angle++;
    else if (t.text === '>' && angle > 0) angle--;
    else if (t.text === ',' && depth === 0 && angle === 0) {
      parts.push([start, j]);
      start = j + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}
