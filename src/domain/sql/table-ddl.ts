import { closing, readName, splitTopLevel, tokenize, type Token } from './tokens.ts';

/** A column of CREATE TABLE as declared. */
export interface DeclaredColumn {
  name: string;
  /** The declared type (`DECIMAL(10, 2)`), or '' for a computed column. */
  type: string;
  kind: 'physical' | 'computed' | 'metadata';
  /** `x AS <expression>` of a computed column. */
  expression?: string;
  /** VIRTUAL metadata columns are read-only: an INSERT does not write them. */
  virtual?: boolean;
  /** The whole definition as written. */
  text: string;
}

export interface CreateTable {
  name: string;
  temporary: boolean;
  columns: DeclaredColumn[];
  /** `WATERMARK FOR ts AS ...` as written. */
  watermark: string | null;
  /** `PRIMARY KEY (a, b) NOT ENFORCED` (or the inline form) as a table constraint. */
  primaryKey: string[] | null;
  /** `PARTITIONED BY (...)` as written. */
  partitionedBy: string | null;
  options: Record<string, string>;
  /** `LIKE other ...`: the table it copies. */
  like: string | null;
  /** The query of CREATE TABLE ... AS SELECT. */
  asQuery: string | null;
}

/** Parses `CREATE [TEMPORARY] TABLE`; null for any other statement or one it cannot read. */
export function parseCreateTable(text: string): CreateTable | null {
  const tokens = tokenize(text);
  let i = 0;
  const word = (v: string) => tokens[i]?.kind === 'word' && tokens[i]!.value === v;
  if (!word('CREATE')) return null;
  i++;
  if (word('OR') && tokens[i + 1]?.value === 'REPLACE') i += 2;
  const temporary = word('TEMPORARY');
  if (temporary) i++;
  if (!word('TABLE')) return null;
  i++;
  if (word('IF') && tokens[i + 1]?.value === 'NOT' && tokens[i + 2]?.value === 'EXISTS') i += 3;
  const name = readName(tokens, i);
  if (!name) return null;
  i = name.next;
  const table: CreateTable = {
    name: name.name,
    temporary,
    columns: [],
    watermark: null,
    primaryKey: null,
    partitionedBy: null,
    options: {},
    like: null,
    asQuery: null,
  };
  const slice = (from: number, to: number) =>
    from < to ? text.slice(tokens[from]!.start, tokens[to - 1]!.end) : '';
  if (tokens[i]?.text === '(') {
    const end = closing(tokens, i);
    if (end < 0) return null;
    for (const [from, to] of splitTopLevel(tokens, i + 1, end)) readElement(tokens, from, to, slice, table);
    i = end + 1;
  }
  while (i < tokens.length) {
    if (word('WITH') && tokens[i + 1]?.text === '(') {
      const end = closing(tokens, i + 1);
      if (end < 0) return null;
      for (const [from, to] of splitTopLevel(tokens, i + 2, end)) {
        const [k, eq, v] = tokens.slice(from, to);
        if (k?.kind === 'string' && eq?.text === '=' && v?.kind === 'string')
          table.options[k.value] = v.value;
      }
      i = end + 1;
    } else if (word('PARTITIONED') && tokens[i + 1]?.value === 'BY' && tokens[i + 2]?.text === '(') {
      const end = closing(tokens, i + 2);
      if (end < 0) return null;
      table.partitionedBy = slice(i, end + 1);
      i = end + 1;
    } else if (word('LIKE')) {
      table.like = readName(tokens, i + 1)?.name ?? null;
      i++;
    } else if (word('AS')) {
      table.asQuery = text.slice(tokens[i + 1]?.start ?? text.length).trim();
      break;
    } else i++;
  }
  return table;
}

function readElement(
  tokens: Token[],
  from: number,
  to: number,
  slice: (from: number, to: number) => string,
  table: CreateTable,
): void {
  const first = tokens[from];
  if (!first) return;
  const text = slice(from, to);
  if (first.value === 'WATERMARK') {
    table.watermark = text;
    return;
  }
  if (first.value === 'PRIMARY' || first.value === 'CONSTRAINT') {
    const open = tokens.findIndex((t, j) => j >= from && j < to && t.text === '(');
    if (open >= 0)
      table.primaryKey = tokens
        .slice(open + 1, closing(tokens, open))
        .filter((t) => t.text !== ',')
        .map((t) => t.value);
    return;
  }
  const name = first.kind === 'quoted' ? first.value : first.text;
  if (tokens[from + 1]?.value === 'AS') {
    table.columns.push({
      name,
      type: '',
      kind: 'computed',
      expression: slice(from + 2, endOfExpression(tokens, from + 2, to)),
      text,
    });
    return;
  }
  // The type runs until a column constraint or attribute keyword.
  let j = from + 1;
  let depth = 0;
  for (; j < to; j++) {
    const t = tokens[j]!;
    if (t.text === '(' || t.text === '<') depth++;
    else if (t.text === ')' || t.text === '>') depth--;
    else if (
      depth === 0 &&
      t.kind === 'word' &&
      ['NOT', 'NULL', 'METADATA', 'PRIMARY', 'COMMENT', 'CONSTRAINT'].includes(t.value)
    )
      break;
  }
  const type = slice(from + 1, j);
  const rest = tokens.slice(j, to).map((t) => t.value);
  if (rest.includes('PRIMARY')) table.primaryKey = [name];
  const metadata = rest.includes('METADATA');
  table.columns.push({
    name,
    type,
    kind: metadata ? 'metadata' : 'physical',
    ...(metadata ? { virtual: rest.includes('VIRTUAL') } : {}),
    text,
  });
}

/** A computed column's expression stops at its COMMENT. */
function endOfExpression(tokens: Token[], from: number, to: number): number {
  for (let j = from; j < to; j++) if (tokens[j]!.value === 'COMMENT' && tokens[j]!.kind === 'word') return j;
  return to;
}
