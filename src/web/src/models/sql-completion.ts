import type { EntityContext, Suggestions } from 'dt-sql-parser';
import { FLINK_FUNCTIONS } from './flink-functions.ts';

/**
 * What the SQL editor offers at the caret, from what the Flink grammar (dt-sql-parser, in Monaco's
 * worker) says is expected there: keywords, built-in functions, the tables and views the script
 * declares with their columns, and the tables (and, once read, the columns) of the job's catalogs.
 */
export type CompletionKind = 'column' | 'table' | 'view' | 'function' | 'keyword';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** What it is: `INT · clicks`, `table`, `catalog table`... */
  detail: string;
  insertText: string;
  /** The column the inserted text replaces from, when that is more than the word at the caret (`cat.db.t`). */
  replaceFrom?: number;
}

/** A table of a catalog chosen for the job, as the completion knows it. */
export interface CatalogTable {
  /** `catalog.database.table`, quoted where Flink needs it (see qualifiedName). */
  qualified: string;
  /** The same, unquoted, one entry per part. */
  parts: string[];
}

export interface CatalogColumn {
  name: string;
  type: string;
}

export interface CompletionContext {
  suggestions: Suggestions | null;
  entities: EntityContext[] | null;
  catalogTables: CatalogTable[];
  /** Columns of catalog tables already read, by `CatalogTable.qualified`. */
  catalogColumns: ReadonlyMap<string, CatalogColumn[]>;
}

const ORDER: Record<CompletionKind, number> = { column: 0, table: 1, view: 2, function: 3, keyword: 4 };
/**
 * Where an item goes in the list: columns first, in the order they are declared, then tables and
 * views in the order of the script, then functions and keywords alphabetically.
 */
export const sortKey = (c: Completion, index: number): string =>
  `${ORDER[c.kind]}${c.kind === 'function' || c.kind === 'keyword' ? c.label.toLowerCase() : String(index).padStart(6, '0')}`;

export function sqlCompletions(ctx: CompletionContext): Completion[] {
  const syntax = ctx.suggestions?.syntax ?? [];
  const entities = ctx.entities ?? [];
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (c: Completion) => {
    const key = `${c.kind}:${c.label.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  const addColumns = (table: ResolvedTable) => {
    for (const c of table.columns)
      add({
        label: c.name,
        kind: 'column',
        detail: c.type ? `${c.type} · ${table.name}` : table.name,
        insertText: quoteIdentifier(c.name),
      });
  };

  const column = syntax.find((s) => s.syntaxContextType === 'column');
  if (column) {
    const { qualifier } = splitTyped(column.wordRanges.map((w) => w.text).join(''));
    if (qualifier.length) {
      // `alias.` or `table.`: only that table's columns make sense.
      const table = referencedTables(entities).find((t) => matchesQualifier(t, qualifier));
      if (table) addColumns(resolve(table.name, entities, ctx));
      return out;
    }
    for (const t of referencedTables(entities)) addColumns(resolve(t.name, entities, ctx));
  }

  const table = syntax.find((s) => s.syntaxContextType === 'table' || s.syntaxContextType === 'view');
  const typed = table?.wordRanges.map((w) => w.text).join('') ?? '';
  if (table) {
    // Monaco's word stops at a dot: a dotted name replaces everything typed since its first part.
    const replaceFrom = typed.includes('.') ? table.wordRanges[0]?.startColumn : undefined;
    const at = replaceFrom === undefined ? {} : { replaceFrom };
    for (const e of entities) {
      if (e.entityContextType === 'tableCreate')
        add({ label: unquote(e.text), kind: 'table', detail: 'table', insertText: e.text, ...at });
      if (e.entityContextType === 'viewCreate')
        add({ label: unquote(e.text), kind: 'view', detail: 'view', insertText: e.text, ...at });
    }
    for (const t of ctx.catalogTables)
      add({ label: t.qualified, kind: 'table', detail: 'catalog table', insertText: t.qualified, ...at });
  }

  if (column || syntax.some((s) => s.syntaxContextType === 'function'))
    for (const f of FLINK_FUNCTIONS) add({ label: f, kind: 'function', detail: 'function', insertText: f });

  // In the middle of a dotted name only names can follow: the grammar's recovery offers keywords there
  // that would replace what is typed after the dot.
  if (typed.includes('.')) return out;
  for (const k of ctx.suggestions?.keywords ?? [])
    add({ label: k, kind: 'keyword', detail: 'keyword', insertText: k });
  return out;
}

/**
 * The catalog tables whose columns the caret's statement needs and that are not read yet: the
 * editor reads them through the engine before it answers.
 */
export function catalogColumnsNeeded(ctx: CompletionContext): CatalogTable[] {
  if (!ctx.suggestions?.syntax.some((s) => s.syntaxContextType === 'column')) return [];
  const needed = new Map<string, CatalogTable>();
  for (const t of referencedTables(ctx.entities ?? [])) {
    const c = catalogTableNamed(t.name, ctx.catalogTables);
    if (c && !ctx.catalogColumns.has(c.qualified)) needed.set(c.qualified, c);
  }
  return [...needed.values()];
}

interface ResolvedTable {
  name: string;
  columns: CatalogColumn[];
}

/** The tables and views the statement at the caret reads, with the alias each is given. */
function referencedTables(entities: EntityContext[]): { name: string; alias: string | null }[] {
  return entities
    .filter(
      (e) =>
        (e.entityContextType === 'table' || e.entityContextType === 'view') && e.belongStmt.isContainCaret,
    )
    .map((e) => ({ name: e.text, alias: e._alias?.text ?? null }));
}

function matchesQualifier(t: { name: string; alias: string | null }, qualifier: string[]): boolean {
  const q = qualifier.map((p) => p.toLowerCase());
  if (t.alias) return q.length === 1 && q[0] === unquote(t.alias).toLowerCase();
  const parts = nameParts(t.name).map((p) => p.toLowerCase());
  return q.length <= parts.length && q.every((p, i) => p === parts[parts.length - q.length + i]);
}

/** A table's columns: as the script declares them (tables and views), else as its catalog has them. */
function resolve(name: string, entities: EntityContext[], ctx: CompletionContext): ResolvedTable {
  const key = nameParts(name).join('.').toLowerCase();
  const same = (e: EntityContext) => nameParts(e.text).join('.').toLowerCase() === key;
  const created = entities.find((e) => e.entityContextType === 'tableCreate' && same(e));
  if (created && 'columns' in created && created.columns?.length)
    return {
      name: unquote(created.text),
      columns: created.columns.map((c) => ({
        name: unquote(c.text),
        type: ('_colType' in c && c._colType?.text) || '',
      })),
    };
  const view = entities.find((e) => e.entityContextType === 'viewCreate' && same(e));
  const query = view?.relatedEntities?.find((r) => r.entityContextType === 'queryResult');
  if (view && query && 'columns' in query)
    return {
      name: unquote(view.text),
      columns: (query.columns ?? [])
        .map((c) => c._alias?.text ?? c.text)
        .map((c) => unquote(c.split('.').at(-1) ?? c))
        .filter((c) => /^[\w$]+$/.test(c))
        .map((c) => ({ name: c, type: '' })),
    };
  const catalog = catalogTableNamed(name, ctx.catalogTables);
  if (catalog) return { name: catalog.qualified, columns: ctx.catalogColumns.get(catalog.qualified) ?? [] };
  return { name: unquote(name), columns: [] };
}

/** `shop.db.orders`, or the last parts of it (a script may `USE` the catalog and database). */
function catalogTableNamed(name: string, tables: CatalogTable[]): CatalogTable | undefined {
  const parts = nameParts(name).map((p) => p.toLowerCase());
  return tables.find((t) => {
    const full = t.parts.map((p) => p.toLowerCase());
    return parts.length <= full.length && parts.every((p, i) => p === full[full.length - parts.length + i]);
  });
}

/** What was typed before the caret split at its dots: `c.us` is qualifier [c] and word `us`. */
function splitTyped(typed: string): { qualifier: string[]; word: string } {
  const parts = nameParts(typed);
  if (typed.endsWith('.')) return { qualifier: parts, word: '' };
  return { qualifier: parts.slice(0, -1), word: parts.at(-1) ?? '' };
}

/** `a.\`b.c\`.d` is [a, b.c, d]. */
export function nameParts(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '`') {
      if (quoted && name[i + 1] === '`') {
        current += '`';
        i++;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      if (current) parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  return parts;
}

const unquote = (name: string) => nameParts(name).join('.');

/** A column name as Flink SQL reads it. */
const quoteIdentifier = (name: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;

/**
 * The databases of a catalog whose tables completion reads (each costs a request to the engine): the
 * catalog's default database first, then the others, at most `max`.
 */
export function databasesToRead(
  databases: string[],
  defaultDatabase: string | undefined,
  max = 10,
): string[] {
  const first = defaultDatabase && databases.includes(defaultDatabase) ? [defaultDatabase] : [];
  return [...first, ...databases.filter((d) => d !== defaultDatabase)].slice(0, max);
}
