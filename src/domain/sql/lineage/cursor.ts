/** Token helpers of the lineage readers: one statement's tokens, brackets, names and ranges. */
import { stripComments, type SqlStatement } from '../statements.ts';
import { matchBrackets, tokenize, type Token as Tok } from '../tokens.ts';
import type { Analyzer } from './analyzer.ts';
import { HARD, QUERY_START } from './keywords.ts';

/** Reads one statement. Token indexes are into this statement's tokens; ranges are [from, to). */
export abstract class Cursor {
  protected readonly toks: Tok[];
  protected readonly match: Int32Array;
  protected readonly eof: Tok;

  constructor(
    protected readonly a: Analyzer,
    protected readonly st: SqlStatement,
  ) {
    this.toks = tokenize(st.text);
    this.match = matchBrackets(this.toks);
    const lastLine = this.toks.length ? this.toks[this.toks.length - 1]!.line : 0;
    this.eof = {
      kind: 'eof',
      text: '',
      value: '',
      start: st.text.length,
      end: st.text.length,
      line: lastLine,
    };
  }

  protected t(i: number): Tok {
    return this.toks[i] ?? this.eof;
  }

  /** Is token i the word `v` (or `v2`)? */
  protected isW(i: number, v: string, v2?: string): boolean {
    const t = this.t(i);
    return t.kind === 'word' && (t.value === v || t.value === v2);
  }

  protected isP(i: number, text: string): boolean {
    const t = this.t(i);
    return t.kind === 'punct' && t.text === text;
  }

  protected isOpen(i: number): boolean {
    const t = this.t(i);
    return t.kind === 'punct' && (t.text === '(' || t.text === '[');
  }

  /** The closing bracket of the opener at i, at most `limit`. */
  protected close(i: number, limit: number): number {
    const c = this.match[i] ?? -1;
    return c < 0 ? Math.min(i + 1, limit) : Math.min(c, limit);
  }

  protected isName(i: number): boolean {
    const t = this.t(i);
    return t.kind === 'quoted' || (t.kind === 'word' && !HARD.has(t.value));
  }

  protected note(i: number, message: string): void {
    this.a.note(this.st.line + this.t(i).line, message);
  }

  /** The source text of a token range, white space collapsed. */
  protected text(from: number, to: number): string {
    if (to <= from) return '';
    return this.st.text
      .slice(this.t(from).start, this.t(to - 1).end)
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** `a.b.c` (words or quoted names) starting at i. */
  protected chainAt(i: number): { parts: string[]; next: number } | null {
    const first = this.t(i);
    if (first.kind !== 'word' && first.kind !== 'quoted') return null;
    const parts = [identText(first)];
    let j = i + 1;
    while (this.isP(j, '.') && (this.t(j + 1).kind === 'word' || this.t(j + 1).kind === 'quoted')) {
      parts.push(identText(this.t(j + 1)));
      j += 2;
    }
    return { parts, next: j };
  }

  /** Ranges between top-level commas. */
  protected splitTop(from: number, to: number): [number, number][] {
    const out: [number, number][] = [];
    let s = from;
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      if (this.isP(j, ',')) {
        out.push([s, j]);
        s = j + 1;
      }
      j++;
    }
    if (s < to) out.push([s, to]);
    return out;
  }

  /** `(a, b, c)` contents: the first name of each item. */
  protected nameList(from: number, to: number): string[] {
    return this.splitTop(from, to)
      .map(([s]) => this.t(s))
      .filter((t) => t.kind === 'word' || t.kind === 'quoted')
      .map(identText);
  }

  protected startsQuery(i: number): boolean {
    let k = i;
    while (this.isP(k, '(')) k++;
    const t = this.t(k);
    return t.kind === 'word' && QUERY_START.has(t.value);
  }

  /** The first top-level word of `set` at or after `from`, else `to`. */
  protected findTop(from: number, to: number, set: Set<string>): number {
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      const t = this.t(j);
      if (t.kind === 'word' && set.has(t.value)) return j;
      j++;
    }
    return to;
  }

  protected firstLine(): string {
    const line =
      stripComments(this.st.text)
        .split('\n')
        .find((l) => l.trim()) ?? '';
    return line.trim().slice(0, 120);
  }
}

export function identText(t: Tok): string {
  return t.kind === 'word' ? t.text : t.value;
}
