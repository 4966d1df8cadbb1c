import { describe, expect, it } from 'vitest';
import { checkSyntax } from './syntax.ts';

const src = `CREATE TABLE orders (
  id BIGINT, user_id BIGINT, amount DECIMAL(10, 2), city STRING, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'rows-per-second' = '10');`;

/** Scripts Flink accepts: no error may be shown for any of them. */
const VALID: [string, string][] = [
  [
    'datagen to print',
    `${src}\nCREATE TABLE sink (id BIGINT) WITH ('connector' = 'print');\nINSERT INTO sink SELECT id FROM orders;`,
  ],
  [
    'comments of both kinds',
    `-- a comment; with a semicolon\n/* a block\n comment; */\n${src}\nINSERT INTO s /* inline */ SELECT id FROM orders; -- trailing`,
  ],
  [
    'multi-line string',
    `CREATE TABLE t (a STRING COMMENT 'first line\nsecond line; still the comment') WITH ('connector' = 'datagen');`,
  ],
  [
    'SET and RESET',
    `SET 'parallelism.default' = '2';\nSET 'table.exec.mini-batch.enabled' = 'true';\nRESET 'parallelism.default';`,
  ],
  [
    'EXECUTE STATEMENT SET',
    `EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT id FROM orders;\n  INSERT INTO b SELECT user_id FROM orders;\nEND;`,
  ],
  [
    'BEGIN STATEMENT SET',
    `BEGIN STATEMENT SET;\nINSERT INTO a SELECT id FROM orders;\nINSERT INTO b SELECT id FROM orders;\nEND;`,
  ],
  ['CREATE CATALOG', `CREATE CATALOG mem WITH ('type' = 'generic_in_memory');\nUSE CATALOG mem;`],
  [
    'JDBC catalog',
    `CREATE CATALOG pg WITH ('type' = 'jdbc', 'default-database' = 'app', 'username' = 'u', 'password' = 'p', 'base-url' = 'jdbc:postgresql://localhost:5432');`,
  ],
  [
    'CREATE FUNCTION',
    `CREATE TEMPORARY FUNCTION mask AS 'com.example.Mask' LANGUAGE JAVA;\nCREATE FUNCTION IF NOT EXISTS db.f AS 'com.example.F';`,
  ],
  [
    'views',
    `${src}\nCREATE VIEW big AS SELECT * FROM orders WHERE amount > 100;\nCREATE TEMPORARY VIEW v2 (id, amt) AS SELECT id, amount FROM big;`,
  ],
  [
    'tumbling window TVF',
    `${src}\nSELECT window_start, window_end, city, SUM(amount) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES)) GROUP BY window_start, window_end, city;`,
  ],
  [
    'hopping window TVF',
    `SELECT window_start, COUNT(*) FROM TABLE(HOP(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECONDS, INTERVAL '1' MINUTES)) GROUP BY window_start, window_end;`,
  ],
  [
    'cumulate window TVF',
    `SELECT window_end, SUM(amount) FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES, INTERVAL '1' HOUR)) GROUP BY window_start, window_end;`,
  ],
  [
    'session window',
    `SELECT user_id, SESSION_START(ts, INTERVAL '10' MINUTE), COUNT(*) FROM orders GROUP BY user_id, SESSION(ts, INTERVAL '10' MINUTE);`,
  ],
  [
    'MATCH_RECOGNIZE',
    `SELECT * FROM orders MATCH_RECOGNIZE (
  PARTITION BY user_id ORDER BY ts
  MEASURES A.id AS first_id, B.id AS next_id
  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B)
  DEFINE A AS A.amount > 10, B AS B.amount < A.amount
) AS m;`,
  ],
  [
    'top-N',
    `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY city ORDER BY amount DESC) AS rn FROM orders) WHERE rn <= 3;`,
  ],
  [
    'deduplication',
    `SELECT id, city FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts ASC) AS rn FROM orders) WHERE rn = 1;`,
  ],
  [
    'interval join',
    `SELECT o.id FROM orders o, orders p WHERE o.id = p.id AND o.ts BETWEEN p.ts - INTERVAL '1' HOUR AND p.ts;`,
  ],
  [
    'temporal join',
    `SELECT o.id, r.rate FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.city = r.city;`,
  ],
  [
    'lookup join with proctime',
    `CREATE TABLE t (id INT, p AS PROCTIME()) WITH ('connector' = 'datagen');\nSELECT t.id, d.name FROM t JOIN dim FOR SYSTEM_TIME AS OF t.p AS d ON t.id = d.id;`,
  ],
  [
    'CTE in an INSERT',
    `INSERT INTO s WITH big AS (SELECT * FROM orders WHERE amount > 10) SELECT id FROM big;`,
  ],
  [
    'kafka source with metadata and primary key',
    `CREATE TABLE k (
  id BIGINT, name STRING, part INT METADATA FROM 'partition' VIRTUAL,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');`,
  ],
  ['CREATE TABLE AS', `CREATE TABLE copy WITH ('connector' = 'blackhole') AS SELECT id FROM orders;`],
  [
    'INSERT OVERWRITE and PARTITION',
    `INSERT OVERWRITE t PARTITION (dt = '2026-01-01') SELECT id, city FROM orders;`,
  ],
  [
    'ALTER and DROP',
    `ALTER TABLE orders SET ('rows-per-second' = '5');\nDROP TABLE IF EXISTS old_orders;\nDROP VIEW IF EXISTS v;`,
  ],
  [
    'EXPLAIN and SHOW',
    `EXPLAIN PLAN FOR SELECT id FROM orders;\nSHOW TABLES;\nSHOW CATALOGS;\nDESCRIBE orders;`,
  ],
  ['a last statement without semicolon', `${src}\nINSERT INTO s SELECT id FROM orders`],
  ['grammar gap: SHOW JOBS is left to the planner', `SHOW JOBS;`],
  ['grammar gap: ALTER TABLE ADD is left to the planner', `ALTER TABLE orders ADD (note STRING);`],
];

/** Scripts with a mistake: the error must point at it. */
const BROKEN: [string, string, { line: number; column: number; text: string; message: RegExp }][] = [
  [
    'misspelled SELECT',
    `${src}\nINSERT INTO s SELEC id FROM orders;`,
    { line: 5, column: 15, text: 'SELEC', message: /unexpected 'SELEC'/ },
  ],
  [
    'missing comma between columns',
    `CREATE TABLE t (a INT b STRING) WITH ('connector' = 'datagen');`,
    { line: 1, column: 23, text: 'b', message: /unexpected 'b'/ },
  ],
  [
    'unclosed parenthesis',
    `SELECT COUNT(id FROM orders;`,
    { line: 1, column: 17, text: 'FROM', message: /unexpected 'FROM'/ },
  ],
  [
    'trailing WHERE',
    `SELECT id FROM orders WHERE`,
    { line: 1, column: 28, text: '', message: /ends too early/ },
  ],
  [
    'WITH options without quotes',
    `CREATE TABLE t (a INT) WITH (connector = datagen);`,
    { line: 1, column: 42, text: 'datagen', message: /unexpected 'datagen'/ },
  ],
  [
    'second statement broken, positions in the script',
    `SET 'a' = 'b';\n\n  INSERT INTO s SELECT id FROM orders WHERE id >;`,
    { line: 3, column: 49, text: '', message: /ends too early/ },
  ],
  [
    'broken statement inside a statement set',
    `EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT id FROM orders;\n  INSERT INTO b SELEC id FROM orders;\nEND;`,
    { line: 4, column: 17, text: 'SELEC', message: /unexpected 'SELEC'/ },
  ],
  [
    'misspelled CREATE',
    `CRATE TABLE t (a INT);`,
    { line: 1, column: 1, text: 'CRATE', message: /unexpected 'CRATE'/ },
  ],
  [
    'window TVF without TABLE keyword',
    `SELECT * FROM TABLE(TUMBLE(orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES));`,
    { line: 1, column: 28, text: 'orders', message: /unexpected 'orders'/ },
  ],
  [
    'GROUP without BY',
    `SELECT city, COUNT(*) FROM orders GROUP city;`,
    { line: 1, column: 41, text: 'city', message: /missing 'BY'/ },
  ],
  [
    'misspelled FROM (read as an alias)',
    `SELECT id FORM orders;`,
    { line: 1, column: 16, text: 'orders', message: /unexpected 'orders'/ },
  ],
  [
    'unclosed string',
    `CREATE TABLE t (a INT) WITH ('connector' = 'datagen);`,
    { line: 1, column: 44, text: "'", message: /^unexpected '''/ },
  ],
  [
    'double comma',
    `CREATE TABLE t (a INT,, b STRING) WITH ('connector' = 'datagen');`,
    { line: 1, column: 23, text: ',', message: /unexpected ','/ },
  ],
  [
    'INSERT without a target table',
    `INSERT INTO SELECT 1;`,
    { line: 1, column: 13, text: 'SELECT', message: /expected a table/ },
  ],
];

describe('syntax validation with the Flink SQL grammar', () => {
  it.each(VALID)('accepts: %s', (_name, sql) => {
    expect(checkSyntax(sql).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each(BROKEN)('reports: %s', (_name, sql, want) => {
    const errors = checkSyntax(sql).problems.filter((p) => p.severity === 'error');
    expect(errors[0]).toMatchObject({
      line: want.line,
      column: want.column,
      text: want.text,
      source: 'grammar',
    });
    expect(errors[0]!.message).toMatch(want.message);
    expect(errors[0]!.detail).toBeTruthy();
  });

  it('marks statements the grammar does not know as info, not errors', () => {
    const r = checkSyntax("SHOW JOBS;\nSTOP JOB 'abc' WITH SAVEPOINT;");
    expect(r.problems.map((p) => [p.severity, p.line])).toEqual([
      ['info', 1],
      ['info', 2],
    ]);
    expect(r.problems[0]!.message).toMatch(/does not know SHOW JOBS; planner validation checks it/);
  });

  it('with asJob, adds the rules of a job script at the right line', () => {
    expect(checkSyntax(`${src}\nSELECT id FROM orders;`, { asJob: true }).problems).toMatchObject([
      {
        severity: 'error',
        source: 'platform',
        line: 5,
        message: expect.stringMatching(/cannot contain a query/),
      },
    ]);
    expect(checkSyntax(src, { asJob: true }).problems[0]!.message).toMatch(/no INSERT statement/);
  });

  it('with asJob, marks a SET whose value Flink would refuse, at its line', () => {
    const script = `${src}
SET 'execution.checkpointing.interval' = '30 sekunden';
INSERT INTO s SELECT 1;`;
    expect(checkSyntax(script, { asJob: true }).problems).toMatchObject([
      {
        source: 'platform',
        line: 5,
        message: expect.stringMatching(
          /option 'execution.checkpointing.interval': '30 sekunden' is not a duration: write a number and a unit/,
        ),
      },
    ]);
  });

  it('lists the statements with their kinds and positions', () => {
    expect(checkSyntax(`SET 'a' = 'b';\n${src}\nINSERT INTO s SELECT 1;`).statements).toEqual([
      { line: 1, column: 1, kind: 'set' },
      { line: 2, column: 1, kind: 'ddl' },
      { line: 6, column: 1, kind: 'insert' },
    ]);
  });
});
