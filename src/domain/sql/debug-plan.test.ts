import { describe, expect, it } from 'vitest';
import { parseInsert, planDebugRun } from './debug-plan.ts';
import { parseCreateTable } from './table-ddl.ts';

const SCRIPT = `SET 'table.exec.state.ttl' = '1 h';
CREATE TABLE orders (
  id BIGINT,
  name VARCHAR(20),
  code CHAR(3),
  price DECIMAL(10, 2),
  tags MAP<STRING, INT>,
  ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  total AS price * 2,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE sink_a (id BIGINT, total DECIMAL(10, 2)) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://h/db', 'table-name' = 'a');
CREATE TABLE sink_b (n STRING) WITH ('connector' = 'print');
CREATE VIEW v AS SELECT id, total FROM orders;
EXECUTE STATEMENT SET BEGIN
  INSERT INTO sink_a SELECT id, total FROM v;
  INSERT INTO sink_b (n) SELECT name FROM orders;
END;`;

describe('parseCreateTable', () => {
  it('reads columns, computed and metadata columns, watermark, key and options', () => {
    const t = parseCreateTable(SCRIPT.split(';')[1]!)!;
    expect(t.name).toBe('orders');
    expect(t.columns.map((c) => [c.name, c.kind, c.type])).toEqual([
      ['id', 'physical', 'BIGINT'],
      ['name', 'physical', 'VARCHAR(20)'],
      ['code', 'physical', 'CHAR(3)'],
      ['price', 'physical', 'DECIMAL(10, 2)'],
      ['tags', 'physical', 'MAP<STRING, INT>'],
      ['ts', 'metadata', 'TIMESTAMP_LTZ(3)'],
      ['total', 'computed', ''],
    ]);
    expect(t.columns[6]!.expression).toBe('price * 2');
    expect(t.watermark).toBe("WATERMARK FOR ts AS ts - INTERVAL '5' SECOND");
    // Column names as declared: Flink's are case-sensitive (the reader once upper-cased them).
    expect(t.primaryKey).toEqual(['id']);
    expect(t.options.topic).toBe('orders');
  });

  it('reads LIKE and AS SELECT forms, and refuses other statements', () => {
    expect(parseCreateTable("CREATE TEMPORARY TABLE c WITH ('x' = 'y') LIKE base")).toMatchObject({
      temporary: true,
      like: 'base',
      options: { x: 'y' },
    });
    expect(parseCreateTable("CREATE TABLE c WITH ('connector' = 'print') AS SELECT * FROM t")?.asQuery).toBe(
      'SELECT * FROM t',
    );
    expect(parseCreateTable('CREATE VIEW v AS SELECT 1')).toBeNull();
  });
});

describe('parseInsert', () => {
  it('separates target, column list and query', () => {
    expect(parseInsert('INSERT INTO `db`.`t` (a, `b`) SELECT 1, 2')).toEqual({
      target: 'db.t',
      columns: ['a', 'b'],
      query: 'SELECT 1, 2',
    });
    expect(parseInsert("INSERT OVERWRITE t PARTITION (dt = '1') (SELECT 1)")).toEqual({
      target: 't',
      columns: null,
      query: '(SELECT 1)',
    });
  });
});

describe('planDebugRun', () => {
  const plan = planDebugRun(SCRIPT, { rowsPerSecond: 7 });

  it('re-declares sources over datagen with the same columns and watermark, and leaves sinks out', () => {
    expect(plan.tables.map((t) => [t.name, t.as])).toEqual([
      ['orders', 'datagen'],
      ['sink_a', 'left out'],
      ['sink_b', 'left out'],
    ]);
    const source = plan.setup.find((s) => s.sandboxSource)!.statement;
    expect(source).toContain('CREATE TEMPORARY TABLE `orders`');
    expect(source).toContain('`ts` AS CAST(CURRENT_TIMESTAMP AS TIMESTAMP_LTZ(3))');
    expect(source).toContain("WATERMARK FOR ts AS ts - INTERVAL '5' SECOND");
    expect(source).toContain("'rows-per-second' = '7'");
    expect(source).toContain("'fields.id.max' = '10'");
    expect(source).toContain("'fields.name.length' = '6'");
    expect(source).toContain("'fields.code.length' = '3'");
    expect(source).not.toContain('kafka');
    expect(plan.setup.map((s) => s.statement.split('\n')[0])).toEqual([
      "SET 'table.exec.state.ttl' = '1 h'",
      'CREATE TEMPORARY TABLE `orders` (',
      'CREATE VIEW v AS SELECT id, total FROM orders',
    ]);
  });

  it('turns each INSERT of the statement set into its SELECT, with the sink columns', () => {
    expect(plan.queries).toEqual([
      { sink: 'sink_a', line: 17, column: 22, select: 'SELECT id, total FROM v', columns: ['id', 'total'] },
      { sink: 'sink_b', line: 18, column: 26, select: 'SELECT name FROM orders', columns: ['n'] },
    ]);
  });

  it('reads rows the user gave instead of generating them', () => {
    const p = planDebugRun(SCRIPT, {
      rowsPerSecond: 1,
      sources: { orders: { rowsFile: { path: '/tmp/orders.json', format: 'json' } } },
    });
    expect(p.setup[1]!.statement).toContain("'connector' = 'filesystem'");
    expect(p.setup[1]!.statement).toContain("'path' = '/tmp/orders.json'");
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() =>
      planDebugRun("CREATE TABLE t (a INT) WITH ('connector' = 'datagen');", { rowsPerSecond: 1 }),
    ).toThrow('no INSERT and no query');
    expect(() =>
      planDebugRun("CREATE TABLE t WITH ('connector' = 'kafka');\nINSERT INTO s SELECT * FROM t;", {
        rowsPerSecond: 1,
      }),
    ).toThrow('line 1: table t declares no columns, so a debug run cannot generate its rows');
  });
});

describe('planDebugRun and checkpointing', () => {
  it('leaves out checkpoint settings, saying so', () => {
    const p = planDebugRun(
      "SET 'execution.checkpointing.interval' = '10 s';\nCREATE TABLE t (a INT) WITH ('connector' = 'kafka');\nSELECT a FROM t;",
      { rowsPerSecond: 1 },
    );
    expect(p.setup.map((s) => s.statement)).not.toContain("SET 'execution.checkpointing.interval' = '10 s'");
    expect(p.notes).toEqual([
      "line 1: 'execution.checkpointing.interval' is not applied in a debug run, so rows show as they come",
    ]);
  });
});

describe('planDebugRun and LIKE', () => {
  it("re-declares a LIKE table with its base's columns and watermark before its own, as Flink builds it", () => {
    const p = planDebugRun(
      `CREATE TABLE base (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka');
CREATE TABLE more (extra AS id + 1) LIKE base;
CREATE TABLE out (id INT, extra INT) WITH ('connector' = 'print');
INSERT INTO out SELECT id, extra FROM more;`,
      { rowsPerSecond: 1 },
    );
    const more = p.setup.find((s) => s.statement.includes('`more`'))!.statement;
    // The computed column needs the base's id; the watermark needs its ts.
    expect(more).toMatch(
      /\(\n {2}id INT,\n {2}ts TIMESTAMP\(3\),\n {2}extra AS id \+ 1,\n {2}WATERMARK FOR ts AS ts\n\)/,
    );
    expect(more).toContain("'fields.id.min' = '1'");
  });
});
