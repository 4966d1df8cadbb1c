/** Relations (tables, views, query results) and the base-table columns their columns derive from. */
import type { ColumnOrigin } from './types.ts';

/** `table \0 column`: a base-table column a value derives from. */
export type OriginSet = Set<string>;
export const SEP = '\u0000';
export const originKey = (table: string, column: string) => table + SEP + column;
export const EMPTY: OriginSet = new Set();

export interface Col {
  name: string;
  origins: OriginSet;
  /** How the column is computed, as written where it was last computed. */
  expr: string;
}

/** A query result or a table: its columns and the base tables and views behind it. */
export interface Relation {
  /** null when not known (a table not declared in this script, `SELECT *` over one). */
  columns: Col[] | null;
  /** What a column of that name derives from, for a relation whose columns are not known. */
  unknown: (name: string) => OriginSet;
  tables: Set<string>;
  views: Set<string>;
}

export interface ScopeRel extends Relation {
  /** Lower-cased names it can be qualified with. */
  qualifiers: string[];
  /** Pattern variables of MATCH_RECOGNIZE (`A.price`) all qualify the one input. */
  anyQualifier: boolean;
  label: string;
}

export interface Scope {
  rels: ScopeRel[];
  parent: Scope | null;
  /** Columns of JOIN ... USING: in several relations without being ambiguous. */
  using: Set<string>;
}

export type Ctes = Map<string, Relation & { label: string }>;

export interface Acc {
  tables: Set<string>;
  views: Set<string>;
}

export const emptyRelation = (): Relation => ({
  columns: null,
  unknown: () => EMPTY,
  tables: new Set(),
  views: new Set(),
});

export function absorb(acc: Acc, r: Acc): void {
  for (const t of r.tables) acc.tables.add(t);
  for (const v of r.views) acc.views.add(v);
}

export function union(...sets: OriginSet[]): OriginSet {
  const out = new Set<string>();
  for (const s of sets) for (const k of s) out.add(k);
  return out;
}

export function findCol(cols: Col[], name: string): Col | undefined {
  const lower = name.toLowerCase();
  return cols.find((c) => c.name.toLowerCase() === lower);
}

export function sortOrigins(s: OriginSet): ColumnOrigin[] {
  return [...s]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => {
      const i = k.indexOf(SEP);
      return { table: k.slice(0, i), column: k.slice(i + 1) };
    });
}

/** Duplicate output names get a counter, as Flink names them (`id`, `id0`). */
export function uniquify(cols: Col[]): void {
  const seen = new Set<string>();
  for (const c of cols) {
    let name = c.name;
    for (let k = 0; seen.has(name.toLowerCase()); k++) name = `${c.name}${k}`;
    seen.add(name.toLowerCase());
    c.name = name;
  }
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
