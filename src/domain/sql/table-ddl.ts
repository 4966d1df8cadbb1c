/**
 * The one CREATE TABLE reader: debug plans, lineage and option changes all read table declarations
 * here. Forgiving like the tokenizer: what it cannot read it skips and reports in `problems`.
 */
import { identText, matchBrackets, tokenize, type Token } from './tokens.ts';

/** A column of CREATE TABLE as declared. */
export interface DeclaredColumn {
  name: string;
  /** The declared type (`DECIMAL(10, 2)`, white space collapsed), or '' for a computed column. */
  type: string;
  kind: 'physical' | 'computed' | 'metadata';
  /** `x AS <expression>` of a computed column. */
  expression?: string;
  /** VIRTUAL metadata columns are read-only: an INSERT does not write them. */
  virtual?: boolean;
  /** The whole definition as written. */
  text: string;
}

/** One `'key' = 'value'` of WITH (...), with its tokens (positions in the statement text). */
export interface TableOption {
  key: string;
  value: string;
  keyToken: Token;
  valueToken: Token;
  /** Key and value are both string literals, as Flink requires: only such options are rewritten. */
  literal: boolean;
}

export interface CreateTable {
  name: string;
  temporary: boolean;
  ifNotExists: boolean;
  columns: DeclaredColumn[];
  /** `WATERMARK FOR ts AS ...` as written. */
  watermark: string | null;
  /** `PRIMARY KEY (a, b) NOT ENFORCED` (or the inline form) as a table constraint: column names. */
  primaryKey: string[] | null;
  /** `PARTITIONED BY (...)` as written. */
  partitionedBy: string | null;
  /** The options of WITH (...); a later WITH or a repeated key wins. */
  options: Record<string, string>;
  /** The same options in order, with their tokens. */
  optionList: TableOption[];
  /** `LIKE other ...`: the table it copies. */
  like: string | null;
  /** The like options (`EXCLUDING ALL`...), upper-cased, white space collapsed; '' when none. */
  likeOptions: string;
  /** The query of CREATE TABLE ... AS SELECT. */
  asQuery: string | null;
  /** Token indexes of the reader's positions, for readers that go on with the same tokens. */
  at: { like: number | null; asQuery: number | null };
  /** What was skipped, at a token index. */
  problems: { at: number; message: string }[];
  /** A bracket is not closed: what follows it is unknown. */
  unclosed: boolean;
}

/** `CREATE CATALOG name WITH (...)`: the catalog's name and options. */
export type CreateCatalog = Pick<CreateTable, 'name' | 'options' | 'optionList'>;

/** Parses `CREATE CATALOG [IF NOT EXISTS] name WITH (...)`; null for any other statement. */
export function readCreateCatalog(text: string, tokens: Token[] = tokenize(text)): CreateCatalog | null {
  return new Reader(text, tokens, matchBrackets(tokens)).readCatalog();
}

/** Parses `CREATE [OR REPLACE] [TEMPORARY] TABLE`; null for any other statement or one it cannot read. */
export function parseCreateTable(text: string): CreateTable | null {
  const table = readCreateTable(text);
  return table && !table.unclosed ? table : null;
}

/** Words that end a column's type: `NOT NULL`, `METADATA`, `COMMENT '...'`, an inline key. */
const TYPE_END = new Set(['NOT', 'NULL', 'METADATA', 'COMMENT', 'PRIMARY', 'CONSTRAINT', 'VIRTUAL']);
const CONSTRAINT_START = new Set([
  'PRIMARY',
  'CONSTRAINT',
  'WATERMARK',
  'UNIQUE',
  'PERIOD',
  'FOREIGN',
  'CHECK',
]);

/**
 * Reads CREATE TABLE forgivingly from `tokens` (the statement's tokens, by default its own): an
 * unclosed bracket closes at the end (`unclosed` says so). null when the statement is not a
 * CREATE TABLE or has no name.
 */
export function readCreateTable(
  text: string,
  tokens: Token[] = tokenize(text),
  match: Int32Array = matchBrackets(tokens),
): CreateTable | null {
  const r = new Reader(text, tokens, match);
  return r.read();
}

class Reader {
  private unclosed = false;
  constructor(
    private readonly text: string,
    private readonly toks: Token[],
    private readonly match: Int32Array,
  ) {}

  private isW(i: number, v: string): boolean {
    const t = this.toks[i];
    return t !== undefined && t.kind === 'word' && t.value === v;
  }

  private isP(i: number, p: string): boolean {
    const t = this.toks[i];
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }

  private isOpen(i: number): boolean {
    return this.isP(i, '(') || this.isP(i, '[');
  }

  /** The closer of the bracket at i, at most `limit`. */
  private close(i: number, limit: number): number {
    const c = this.match[i] ?? -1;
    if (c >= this.toks.length) this.unclosed = true;
    return c < 0 ? Math.min(i + 1, limit) : Math.min(c, limit);
  }

  /** The text of tokens [from, to) as written. */
  private slice(from: number, to: number): string {
    return from < to ? this.text.slice(this.toks[from]!.start, this.toks[to - 1]!.end) : '';
  }

  /** The same, white space collapsed. */
  private flat(from: number, to: number): string {
    return this.slice(from, to).replace(/\s+/g, ' ').trim();
  }

  private chainAt(i: number): { name: string; next: number } | null {
    const first = this.toks[i];
    if (!first || (first.kind !== 'word' && first.kind !== 'quoted')) return null;
    const parts = [identText(first)];
    let j = i + 1;
    while (this.isP(j, '.') && (this.toks[j + 1]?.kind === 'word' || this.toks[j + 1]?.kind === 'quoted')) {
      parts.push(identText(this.toks[j + 1]!));
      j += 2;
    }
    return { name: parts.join('.'), next: j };
  }

  readCatalog(): CreateCatalog | null {
    if (!this.isW(0, 'CREATE') || !this.isW(1, 'CATALOG')) return null;
    let i = 2;
    if (this.isW(i, 'IF') && this.isW(i + 1, 'NOT') && this.isW(i + 2, 'EXISTS')) i += 3;
    const name = this.chainAt(i);
    if (!name) return null;
    const catalog: CreateCatalog = { name: name.name, options: {}, optionList: [] };
    i = name.next;
    if (this.isW(i, 'WITH') && this.isP(i + 1, '('))
      this.options(i + 2, this.close(i + 1, this.toks.length), catalog);
    return catalog;
  }

  read(): CreateTable | null {
    const n = this.toks.length;
    let i = 0;
    if (!this.isW(i, 'CREATE')) return null;
    i++;
    if (this.isW(i, 'OR') && this.isW(i + 1, 'REPLACE')) i += 2;
    const temporary = this.isW(i, 'TEMPORARY');
    if (temporary) i++;
    if (!this.isW(i, 'TABLE')) return null;
    i++;
    const ifNotExists = this.isW(i, 'IF') && this.isW(i + 1, 'NOT') && this.isW(i + 2, 'EXISTS');
    if (ifNotExists) i += 3;
    const name = this.chainAt(i);
    if (!name) return null;
    i = name.next;
    const table: CreateTable = {
      name: name.name,
      temporary,
      ifNotExists,
      columns: [],
      watermark: null,
      primaryKey: null,
      partitionedBy: null,
      options: {},
      optionList: [],
      like: null,
      likeOptions: '',
      asQuery: null,
      at: { like: null, asQuery: null },
      problems: [],
      unclosed: false,
    };
    if (this.isP(i, '(')) {
      const c = this.close(i, n);
      this.elements(i + 1, c, table);
      i = c + 1;
    }
    while (i < n) {
      if (this.isW(i, 'WITH') && this.isP(i + 1, '(')) {
        const c = this.close(i + 1, n);
        this.options(i + 2, c, table);
        i = c + 1;
      } else if (this.isW(i, 'PARTITIONED') && this.isW(i + 1, 'BY') && this.isP(i + 2, '(')) {
        const c = this.close(i + 2, n);
        table.partitionedBy = this.slice(i, c + 1);
        i = c + 1;
      } else if (this.isW(i, 'LIKE')) {
        const like = this.chainAt(i + 1);
        if (!like) {
          i++;
          continue;
        }
        table.like = like.name;
        table.at.like = i;
        i = like.next;
        if (this.isP(i, '(')) {
          const c = this.close(i, n);
          table.likeOptions = this.flat(i + 1, c).toUpperCase();
          i = c + 1;
        }
      } else if (this.isW(i, 'AS')) {
        table.at.asQuery = i + 1;
        table.asQuery = this.text.slice(this.toks[i + 1]?.start ?? this.text.length).trim();
        break;
      } else if (this.isOpen(i)) i = this.close(i, n) + 1;
      else i++;
    }
    table.unclosed = this.unclosed;
    return table;
  }

  /** Columns and constraints. Types hold commas inside angle brackets (MAP<STRING, INT>), so the split
   * tracks them, but only in type positions: a computed column may compare with < and >. */
  private elements(from: number, to: number, table: CreateTable): void {
    let s = from;
    let angle = 0;
    let typed = false;
    const flush = (end: number) => {
      if (end > s) this.element(s, end, table);
    };
    for (let j = from; j < to;) {
      if (j === s) {
        const first = this.toks[j]!;
        typed = !(first.kind === 'word' && CONSTRAINT_START.has(first.value)) && !this.isW(j + 1, 'AS');
        angle = 0;
      }
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      if (typed && this.isP(j, '<')) angle++;
      else if (typed && this.isP(j, '>') && angle > 0) angle--;
      else if (this.isP(j, ',') && angle === 0) {
        flush(j);
        s = j + 1;
      }
      j++;
    }
    flush(to);
  }

  private element(s: number, e: number, table: CreateTable): void {
    const first = this.toks[s]!;
    const text = this.slice(s, e);
    if (first.kind === 'word' && CONSTRAINT_START.has(first.value)) {
      if (first.value === 'WATERMARK') table.watermark = text;
      else if (first.value === 'PRIMARY' || first.value === 'CONSTRAINT') {
        let open = s;
        while (open < e && !this.isP(open, '(')) open++;
        if (open < e) table.primaryKey = this.names(open + 1, this.close(open, e));
      }
      return;
    }
    if (first.kind !== 'word' && first.kind !== 'quoted') {
      table.problems.push({ at: s, message: `could not read the column definition "${this.flat(s, e)}"` });
      return;
    }
    const name = identText(first);
    if (this.isW(s + 1, 'AS')) {
      // A computed column's expression stops at its COMMENT.
      let end = s + 2;
      while (end < e && !this.isW(end, 'COMMENT')) end++;
      table.columns.push({ name, type: '', kind: 'computed', expression: this.slice(s + 2, end), text });
      return;
    }
    let angle = 0;
    let typeEnd = e;
    for (let j = s + 1; j < e;) {
      if (this.isOpen(j)) {
        j = this.close(j, e) + 1;
        continue;
      }
      const t = this.toks[j]!;
      if (this.isP(j, '<')) angle++;
      else if (this.isP(j, '>')) angle--;
      else if (angle <= 0 && t.kind === 'word' && TYPE_END.has(t.value)) {
        typeEnd = j;
        break;
      }
      j++;
    }
    let metadata = false;
    let virtual = false;
    for (let j = typeEnd; j < e; j++) {
      if (this.isW(j, 'METADATA')) metadata = true;
      else if (this.isW(j, 'VIRTUAL')) virtual = true;
      else if (this.isW(j, 'PRIMARY')) table.primaryKey = [name];
    }
    table.columns.push({
      name,
      type: this.flat(s + 1, typeEnd),
      kind: metadata ? 'metadata' : 'physical',
      ...(metadata ? { virtual } : {}),
      text,
    });
  }

  /** `(a, b)`: the names, as written. */
  private names(from: number, to: number): string[] {
    const out: string[] = [];
    for (let j = from; j < to; j++) {
      const t = this.toks[j]!;
      if (t.kind === 'word' || t.kind === 'quoted') out.push(identText(t));
    }
    return out;
  }

  /** `'k' = 'v', ...`. A key or value that is not a string literal (which Flink refuses) is read as written. */
  private options(from: number, to: number, table: CreateCatalog): void {
    let s = from;
    for (let j = from; j <= to;) {
      if (j < to && this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      if (j === to || this.isP(j, ',')) {
        this.option(s, j, table);
        s = j + 1;
      }
      j++;
    }
  }

  private option(s: number, e: number, table: CreateCatalog): void {
    let eq = s;
    while (eq < e && !this.isP(eq, '=')) eq++;
    if (eq >= e || eq === s || eq + 1 >= e) return;
    const keyToken = this.toks[s]!;
    const valueToken = this.toks[eq + 1]!;
    const quotedText = (t: Token) => (t.kind === 'string' || t.kind === 'quoted' ? t.value : t.text);
    const key = this.toks.slice(s, eq).map(quotedText).join('');
    const single = eq + 2 === e && (valueToken.kind === 'string' || valueToken.kind === 'quoted');
    const value = single ? valueToken.value : this.flat(eq + 1, e);
    const literal =
      eq === s + 1 && keyToken.kind === 'string' && valueToken.kind === 'string' && eq + 2 === e;
    table.options[key] = value;
    table.optionList.push({ key, value, keyToken, valueToken, literal });
  }
}

/**
 * A table declared `LIKE base (...)` as Flink builds it: the base's physical columns, then its computed
 * and metadata columns unless excluded, then the table's own; the base's options under the table's
 * own unless excluded; the base's watermark unless excluded or the table declares one. Default like
 * options are INCLUDING ALL OVERWRITING OPTIONS.
 */
export function applyLike(
  table: CreateTable,
  base: Pick<CreateTable, 'columns' | 'options' | 'watermark'>,
): Pick<CreateTable, 'columns' | 'options' | 'watermark'> {
  const o = table.likeOptions;
  const all = /EXCLUDING\s+ALL/.test(o);
  const excluded = (what: string) => all || new RegExp(`EXCLUDING\\s+${what}`).test(o);
  const noGenerated = excluded('GENERATED');
  const noMetadata = excluded('METADATA');
  const inherited = base.columns.filter((c) =>
    c.kind === 'metadata' ? !noMetadata : c.kind === 'computed' ? !noGenerated : true,
  );
  return {
    columns: [...inherited, ...table.columns],
    options: excluded('OPTIONS') ? { ...table.options } : { ...base.options, ...table.options },
    watermark: table.watermark ?? (excluded('WATERMARKS') ? null : base.watermark),
  };
}
