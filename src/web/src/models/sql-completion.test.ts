import { FlinkSQL } from 'dt-sql-parser';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FLINK_FUNCTIONS } from './flink-functions.ts';
import {
  catalogColumnsNeeded,
  databasesToRead,
  nameParts,
  sortKey,
  sqlCompletions,
  type CatalogColumn,
  type CatalogTable,
  type CompletionContext,
} from './sql-completion.ts';

// The parser Monaco's Flink SQL worker runs, asked the same two questions the worker asks.
const parser = new FlinkSQL();

const SCRIPT = `CREATE TABLE clicks (user_id INT, url STRING, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE VIEW recent AS SELECT user_id, url AS page FROM clicks;
`;
const SHOP: CatalogTable = {
  qualified: 'shop.sales.`public.payments`',
  parts: ['shop', 'sales', 'public.payments'],
};

/** The context at `|` in the script's last line. */
function at(
  line: string,
  catalogColumns: Map<string, CatalogColumn[]> = new Map(),
  catalogTables: CatalogTable[] = [SHOP],
): CompletionContext {
  const sql = SCRIPT + line.replace('|', '');
  const position = { lineNumber: SCRIPT.split('\n').length, column: line.indexOf('|') + 1 };
  const suggestions = parser.getSuggestionAtCaretPosition(sql, position) ?? null;
  // As the worker does: entities only where the grammar expects a name.
  const entities = suggestions?.syntax.length ? (parser.getAllEntities(sql, position) ?? null) : null;
  return { suggestions, entities, catalogTables, catalogColumns };
}
const labels = (ctx: CompletionContext, kind?: string) =>
  sqlCompletions(ctx)
    .filter((c) => !kind || c.kind === kind)
    .map((c) => c.label);

describe('SQL completion', () => {
  // ANTLR prints each syntax error of the half-typed scripts to the console.
  beforeAll(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));

  it('offers the tables and views the script declares, and the catalog tables, after FROM', () => {
    const items = sqlCompletions(at('SELECT * FROM cl|'));
    expect(items).toContainEqual(
      expect.objectContaining({ label: 'clicks', kind: 'table', detail: 'table' }),
    );
    expect(items).toContainEqual(expect.objectContaining({ label: 'recent', kind: 'view' }));
    expect(items).toContainEqual(
      expect.objectContaining({ label: 'shop.sales.`public.payments`', detail: 'catalog table' }),
    );
    // A name is not a column, nor a function, in that place.
    expect(items.filter((i) => i.kind === 'column' || i.kind === 'function')).toEqual([]);
  });

  it('replaces the whole dotted name typed so far with the qualified catalog table, and offers no keyword', () => {
    const item = sqlCompletions(at('SELECT * FROM shop.sa|')).find((i) => i.detail === 'catalog table');
    expect(item).toMatchObject({ insertText: 'shop.sales.`public.payments`', replaceFrom: 15 });
    for (const line of ['SELECT * FROM shop.|', 'SELECT * FROM shop.sa|'])
      expect(labels(at(line), 'keyword'), line).toEqual([]);
  });

  it("offers only a table's columns after its alias and a dot, with their declared types", () => {
    const items = sqlCompletions(at('SELECT c.| FROM clicks c'));
    expect(items.map((i) => [i.label, i.kind, i.detail])).toEqual([
      ['user_id', 'column', 'INT · clicks'],
      ['url', 'column', 'STRING · clicks'],
      ['ts', 'column', 'TIMESTAMP · clicks'],
    ]);
    expect(labels(at('SELECT clicks.u| FROM clicks'))).toEqual(['user_id', 'url', 'ts']);
  });

  it("offers a view's columns by the names its query gives them", () => {
    expect(labels(at('SELECT r.| FROM recent r'))).toEqual(['user_id', 'page']);
  });

  it('offers the columns of the tables read, functions and keywords in a select list', () => {
    const ctx = at('SELECT | FROM clicks');
    expect(labels(ctx, 'column')).toEqual(['user_id', 'url', 'ts']);
    expect(labels(ctx, 'function')).toEqual([...FLINK_FUNCTIONS]);
    expect(labels(ctx, 'keyword')).toEqual(expect.arrayContaining(['CASE', 'CAST', 'INTERVAL']));
  });

  it('offers keywords where a statement starts', () => {
    const ctx = at('INS|');
    expect(labels(ctx)).toEqual(expect.arrayContaining(['INSERT', 'SELECT', 'CREATE']));
    expect(labels(ctx, 'table')).toEqual([]);
  });

  it('reads the columns of a catalog table the statement uses, then offers them after its alias', () => {
    const before = at('SELECT p.| FROM shop.sales.`public.payments` p');
    expect(catalogColumnsNeeded(before)).toEqual([SHOP]);
    expect(labels(before)).toEqual([]);
    const read = new Map([
      [
        SHOP.qualified,
        [
          { name: 'id', type: 'BIGINT NOT NULL' },
          { name: 'amount', type: 'DECIMAL(12, 2)' },
        ],
      ],
    ]);
    const after = at('SELECT p.| FROM shop.sales.`public.payments` p', read);
    expect(catalogColumnsNeeded(after)).toEqual([]);
    expect(sqlCompletions(after).map((i) => [i.label, i.detail])).toEqual([
      ['id', 'BIGINT NOT NULL · shop.sales.`public.payments`'],
      ['amount', 'DECIMAL(12, 2) · shop.sales.`public.payments`'],
    ]);
  });

  it('needs no catalog columns where no column is expected, nor for tables the script declares', () => {
    expect(catalogColumnsNeeded(at('SELECT * FROM shop.sales.`public.payments` p, cl|'))).toEqual([]);
    expect(catalogColumnsNeeded(at('SELECT c.| FROM clicks c'))).toEqual([]);
  });

  it('offers nothing for an alias the statement does not define', () => {
    expect(labels(at('SELECT x.| FROM clicks c'))).toEqual([]);
  });

  it('puts columns first in their declared order, then tables, then functions and keywords by name', () => {
    const items = sqlCompletions(at('SELECT | FROM clicks'));
    const sorted = items
      .map((c, i) => [sortKey(c, i), c.label] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    const order = sorted.map(([, label]) => label);
    expect(order.slice(0, 3)).toEqual(['user_id', 'url', 'ts']);
    expect(order.indexOf('ABS')).toBeLessThan(order.indexOf('ACOS'));
    expect(order.indexOf('COUNT')).toBeLessThan(order.indexOf('CASE')); // functions before keywords
  });

  it('splits names at dots outside backticks', () => {
    expect(nameParts('a.`b.c`.d')).toEqual(['a', 'b.c', 'd']);
    expect(nameParts('`we``ird`')).toEqual(['we`ird']);
    expect(nameParts('c.')).toEqual(['c']);
  });
});

describe('databasesToRead', () => {
  it("reads the catalog's default database first, and at most a few", () => {
    const dbs = ['a', 'b', 'c', 'shop', 'd'];
    expect(databasesToRead(dbs, 'shop', 3)).toEqual(['shop', 'a', 'b']);
    expect(databasesToRead(dbs, undefined, 3)).toEqual(['a', 'b', 'c']);
    expect(databasesToRead(dbs, 'gone', 10)).toEqual(dbs);
  });
});

describe('the built-in function list', () => {
  it('names each function once, in upper case', () => {
    expect(new Set(FLINK_FUNCTIONS).size).toBe(FLINK_FUNCTIONS.length);
    for (const f of FLINK_FUNCTIONS) expect(f).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});
