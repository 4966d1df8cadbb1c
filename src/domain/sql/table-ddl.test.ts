import { describe, expect, it } from 'vitest';
import { applyLike, parseCreateTable, readCreateTable } from './table-ddl.ts';

describe('the one CREATE TABLE reader', () => {
  it('reads backticked catalog.db.table names and columns, TEMPORARY and IF NOT EXISTS', () => {
    const t = parseCreateTable(
      "CREATE TEMPORARY TABLE IF NOT EXISTS `my cat`.shop.`order lines` (`the id` BIGINT, `select` STRING) WITH ('connector' = 'print')",
    )!;
    expect(t).toMatchObject({ name: 'my cat.shop.order lines', temporary: true, ifNotExists: true });
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['the id', 'BIGINT'],
      ['select', 'STRING'],
    ]);
    expect(parseCreateTable('CREATE OR REPLACE TABLE t (a INT)')).toMatchObject({
      name: 't',
      ifNotExists: false,
    });
  });

  it('reads WITH options around comments and with escaped quotes, keeping their tokens', () => {
    const text = `CREATE TABLE t (a INT) WITH (
      -- the connector
      'connector' = 'filesystem', /* where: */ 'path' = '/tmp/it''s',
      'csv.quote-character' = '''', -- a quote
      'format' = 'csv'
    )`;
    const t = parseCreateTable(text)!;
    expect(t.options).toEqual({
      connector: 'filesystem',
      path: "/tmp/it's",
      'csv.quote-character': "'",
      format: 'csv',
    });
    const path = t.optionList.find((o) => o.key === 'path')!;
    expect(text.slice(path.valueToken.start, path.valueToken.end)).toBe("'/tmp/it''s'");
    expect(t.optionList.every((o) => o.literal)).toBe(true);
  });

  it('reads options Flink would refuse as written, and says they are not literals', () => {
    const t = parseCreateTable("CREATE TABLE t (a INT) WITH (connector = 'kafka', 'topic' = 'x')")!;
    expect(t.optionList.map((o) => [o.key, o.value, o.literal])).toEqual([
      ['connector', 'kafka', false],
      ['topic', 'x', true],
    ]);
  });

  it('reads computed columns, metadata, WATERMARK and PRIMARY KEY ... NOT ENFORCED', () => {
    const t = parseCreateTable(`CREATE TABLE t (
      id BIGINT NOT NULL,
      cmp AS CASE WHEN id < 3 THEN 'a' ELSE 'b' END COMMENT 'small or big',
      nested ROW<x INT, y MAP<STRING, ARRAY<INT>>>,
      part INT METADATA FROM 'partition' VIRTUAL,
      off BIGINT METADATA,
      ts TIMESTAMP(3),
      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND,
      CONSTRAINT pk PRIMARY KEY (id, \`Ts\`) NOT ENFORCED
    )`)!;
    expect(t.columns.map((c) => [c.name, c.kind, c.type, c.virtual])).toEqual([
      ['id', 'physical', 'BIGINT', undefined],
      ['cmp', 'computed', '', undefined],
      ['nested', 'physical', 'ROW<x INT, y MAP<STRING, ARRAY<INT>>>', undefined],
      ['part', 'metadata', 'INT', true],
      ['off', 'metadata', 'BIGINT', false],
      ['ts', 'physical', 'TIMESTAMP(3)', undefined],
    ]);
    expect(t.columns[1]!.expression).toBe("CASE WHEN id < 3 THEN 'a' ELSE 'b' END");
    expect(t.watermark).toBe("WATERMARK FOR ts AS ts - INTERVAL '1' SECOND");
    expect(t.primaryKey).toEqual(['id', 'Ts']);
    expect(parseCreateTable('CREATE TABLE t (Id INT PRIMARY KEY NOT ENFORCED, b INT)')!.primaryKey).toEqual([
      'Id',
    ]);
  });

  it('reads LIKE with its options, PARTITIONED BY and AS SELECT', () => {
    const t = parseCreateTable(
      "CREATE TABLE t (x AS a + 1) PARTITIONED BY (a) WITH ('k' = 'v') LIKE cat.db.base (EXCLUDING   options INCLUDING generated)",
    )!;
    expect(t).toMatchObject({
      like: 'cat.db.base',
      likeOptions: 'EXCLUDING OPTIONS INCLUDING GENERATED',
      partitionedBy: 'PARTITIONED BY (a)',
      asQuery: null,
    });
    const ctas = readCreateTable("CREATE TABLE c WITH ('connector' = 'print') AS SELECT * FROM t")!;
    expect(ctas.asQuery).toBe('SELECT * FROM t');
    expect(ctas.at.asQuery).toBe(10); // the token after AS
  });

  it('reports what it cannot read; an unclosed bracket is forgiven by readCreateTable only', () => {
    const t = readCreateTable('CREATE TABLE t (a INT, 42 BAD, b STRING')!;
    expect(t.unclosed).toBe(true);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(t.problems).toEqual([{ at: 7, message: 'could not read the column definition "42 BAD"' }]);
    expect(parseCreateTable('CREATE TABLE t (a INT, 42 BAD, b STRING')).toBeNull();
    expect(parseCreateTable('CREATE VIEW v AS SELECT 1')).toBeNull();
    expect(parseCreateTable('CREATE TABLE')).toBeNull();
  });
});

describe('applyLike', () => {
  const base = parseCreateTable(`CREATE TABLE base (
    id INT, ts TIMESTAMP(3), c AS id * 2, m STRING METADATA,
    WATERMARK FOR ts AS ts
  ) WITH ('connector' = 'kafka', 'topic' = 'a')`)!;

  it('puts the base columns first, then its own; own options overwrite; the base watermark stays', () => {
    const t = parseCreateTable("CREATE TABLE t (extra AS id + 1) WITH ('topic' = 'b') LIKE base")!;
    const merged = applyLike(t, base);
    expect(merged.columns.map((c) => c.name)).toEqual(['id', 'ts', 'c', 'm', 'extra']);
    expect(merged.options).toEqual({ connector: 'kafka', topic: 'b' });
    expect(merged.watermark).toBe('WATERMARK FOR ts AS ts');
  });

  it('follows EXCLUDING: physical columns always stay, as in Flink', () => {
    const all = applyLike(parseCreateTable('CREATE TABLE t (x INT) LIKE base (EXCLUDING ALL)')!, base);
    expect(all.columns.map((c) => c.name)).toEqual(['id', 'ts', 'x']);
    expect(all.options).toEqual({});
    expect(all.watermark).toBeNull();
    const some = applyLike(
      parseCreateTable('CREATE TABLE t LIKE base (EXCLUDING GENERATED EXCLUDING WATERMARKS)')!,
      base,
    );
    expect(some.columns.map((c) => c.name)).toEqual(['id', 'ts', 'm']);
    expect(some.watermark).toBeNull();
    expect(some.options.topic).toBe('a');
  });
});
