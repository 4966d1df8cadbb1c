import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import { SqlParsers } from '../../src/application/sql-parsers.ts';
import { SqlService } from '../../src/application/sql-service.ts';
import { launchSqlParser } from '../../src/adapters/flink/sql-parser/launcher.ts';
import { checkSyntax } from '../../src/domain/sql/syntax.ts';

/**
 * The syntax check as the editor and the CLI use it (POST /api/v1/sql/validate): the grammar's
 * errors judged by Flink 1.20's own SQL parser, in a real JVM helper built against the engine.
 */
describe("syntax validation judged by Flink's SQL parser", () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform());
  });
  afterAll(async () => close?.());
  const validate = async (sql: string, asJob = false) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sql/validate', payload: { sql, asJob } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      problems: {
        severity: string;
        source: string;
        line: number;
        column: number;
        text: string;
        message: string;
      }[];
      parser: { engine: string; flinkVersion?: string; used: boolean; reason?: string };
    };
  };
  const errorsOf = (r: Awaited<ReturnType<typeof validate>>) =>
    r.problems.filter((p) => p.severity === 'error');

  // Each is valid Flink SQL that dt-sql-parser's grammar rejects (issue 10, item 7).
  const FALSE_ERRORS: [string, string][] = [
    [
      'LAG(x) OVER (PARTITION BY ...) in an expression',
      `SELECT user_id, amount - LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) AS delta
FROM orders;`,
    ],
    [
      'FROM_UNIXTIME floored to the hour',
      `SELECT FLOOR(TO_TIMESTAMP(FROM_UNIXTIME(ts_sec)) TO HOUR) AS hour_start, COUNT(*) AS events
FROM events
GROUP BY FLOOR(TO_TIMESTAMP(FROM_UNIXTIME(ts_sec)) TO HOUR);`,
    ],
    [
      'TIMESTAMPDIFF(SECOND, ...) between a row and the one before',
      `SELECT user_id, TIMESTAMPDIFF(SECOND, LAG(ts) OVER (PARTITION BY user_id ORDER BY ts), ts) AS gap_s
FROM clicks;`,
    ],
    [
      'a LEFT JOIN chain of a star schema',
      `SELECT f.order_id, c.name, p.title, d.quarter_name
FROM fact_orders f
LEFT JOIN dim_customer c ON f.customer_id = c.id
LEFT JOIN dim_product p ON f.product_id = p.id
LEFT JOIN dim_date d ON d.year_num = EXTRACT(YEAR FROM f.order_time) AND d.month_num = EXTRACT(MONTH FROM f.order_time);`,
    ],
    [
      'MATCH_RECOGNIZE with OR and LAST(x, 1) in DEFINE',
      `SELECT * FROM ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(A.price) AS start_price, LAST(B.price) AS end_price
  ONE ROW PER MATCH AFTER MATCH SKIP TO LAST B
  PATTERN (A B+)
  DEFINE B AS B.price < LAST(B.price, 1) OR B.price > A.price * 2
) AS T;`,
    ],
  ];

  it.each(FALSE_ERRORS)('accepts %s', async (_name, sql) => {
    // The grammar alone rejects it: this is the false error the combined check must drop.
    expect(checkSyntax(sql).problems.filter((p) => p.severity === 'error')).not.toEqual([]);
    const r = await validate(sql);
    expect(r.parser).toMatchObject({ engine: '1.20', flinkVersion: '1.20.3', used: true });
    expect(errorsOf(r)).toEqual([]);
  });

  it('logs each grammar complaint Flink overrules, with the statement kind and the grammar message', async () => {
    await validate(FALSE_ERRORS[0]![1]);
    const log = fs
      .readFileSync(path.join(t.home, 'sluice.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; grammarGap?: Record<string, unknown> });
    const gap = log.find((l) => l.grammarGap && /LAG\(amount\)/.test(String(l.grammarGap.statement)));
    expect(gap?.grammarGap).toMatchObject({
      kind: 'query',
      engine: '1.20',
      line: 1,
      grammarMessage: expect.stringMatching(/'OVER' is not valid at this position/),
    });
    expect(gap?.msg).toMatch(/grammar gap: Flink 1\.20\.3's parser accepts a query statement/);
    expect(t.platform.sql.grammarGaps.size).toBeGreaterThan(0);
  });

  it('rejects an EXECUTE STATEMENT SET without END, which the grammar misses, at the end of the block', async () => {
    const sql = `CREATE TABLE orders (id BIGINT) WITH ('connector' = 'datagen');
EXECUTE STATEMENT SET
BEGIN
  INSERT INTO a SELECT id FROM orders;
  INSERT INTO b SELECT id FROM orders;
`;
    expect(checkSyntax(sql).problems).toEqual([]);
    const r = await validate(sql);
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({
        source: 'parser',
        line: 5,
        column: 39,
        message: expect.stringMatching(/the statement set is not closed: add END;/),
      }),
    ]);
  });

  it('rejects SELEC at its line and column, in the grammar’s plain words', async () => {
    const r = await validate(
      `CREATE TABLE orders (id BIGINT) WITH ('connector' = 'datagen');\n\nINSERT INTO s SELEC id FROM orders;`,
    );
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({
        source: 'parser',
        line: 3,
        column: 15,
        text: 'SELEC',
        message: expect.stringMatching(/^unexpected 'SELEC'/),
      }),
    ]);
  });

  it('names a reserved word used as a name, which Flink rejects and the grammar misreads', async () => {
    const r = await validate(`SELECT d.year, amount AS value FROM t AS d;`);
    expect(errorsOf(r)[0]).toMatchObject({
      source: 'parser',
      line: 1,
      column: 10,
      text: 'year',
      message: "'year' is a reserved word in Flink SQL: quote it as `year` to use it as a name",
    });
  });

  it('still applies the job rules and variable checks once Flink accepts the grammar’s false error', async () => {
    const r = await validate(`${FALSE_ERRORS[0]![1]}\nSELECT '\${nowhere}' FROM t;`, true);
    expect(errorsOf(r).map((p) => [p.source, p.line])).toEqual([
      ['platform', 1],
      ['platform', 3],
    ]);
    expect(errorsOf(r)[1]!.message).toMatch(/variable \$\{nowhere\} is not defined/);
  });

  it('answers from the warm helper in milliseconds, and again after the helper was killed', async () => {
    const parser = await t.platform.sqlParsers.process('1.20');
    const t0 = performance.now();
    expect(errorsOf(await validate(`SELECT 1 AS warm_${Date.now()};`))).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
    const pid = parser.pid!;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const r = await validate(`INSERT INTO s SELEC id FROM orders_${Date.now()};`);
    expect(r.parser.used).toBe(true);
    expect(errorsOf(r)[0]).toMatchObject({ source: 'parser', text: 'SELEC' });
    expect(parser.pid).not.toBe(pid);
  });

  it('sluice sql validate: the grammar’s false error passes, the unclosed statement set fails', async () => {
    const file = path.join(t.home, 'gap.sql');
    fs.writeFileSync(file, FALSE_ERRORS[4]![1]);
    const ok = await runSluice(url, ['sql', 'validate', file]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 statements, no errors');
    fs.writeFileSync(file, 'EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n');
    const bad = await runSluice(url, ['sql', 'validate', file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${file}:3:26: error (parser): the statement set is not closed`);
  });

  it('saves a job whose script only the grammar rejects without a warning: its validate step asks Flink too', async () => {
    const sql = `CREATE TABLE orders (user_id BIGINT, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'datagen');
CREATE TABLE deltas (user_id BIGINT, delta DOUBLE) WITH ('connector' = 'blackhole');
INSERT INTO deltas
SELECT user_id, amount - LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) FROM orders;`;
    expect(checkSyntax(sql).problems.some((p) => p.severity === 'error')).toBe(true);
    const job = await t.platform.jobs.create({ name: 'lag-deltas', sql, target: 'local-1.20' }, 'ann');
    expect(job.warnings).toEqual([]);
    const typo = await t.platform.jobs.create(
      { name: 'typo', sql: sql.replace('SELECT user_id', 'SELEC user_id'), target: 'local-1.20' },
      'ann',
    );
    expect(typo.warnings).toEqual([expect.objectContaining({ source: 'parser', line: 5, column: 1 })]);
  });

  it('names an engine that is not installed instead of judging with another one', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/sql/validate',
      payload: { sql: FALSE_ERRORS[0]![1], engineVersion: '1.19' },
    });
    const body = r.json() as { parser: unknown; problems: { severity: string; message: string }[] };
    expect(body.parser).toEqual({
      engine: '1.19',
      used: false,
      reason: expect.stringMatching(/engine '1.19' does not exist/),
    });
    expect(body.problems[0]).toMatchObject({
      severity: 'info',
      message: expect.stringMatching(/grammar alone, whose errors may be wrong: Flink 1.19's SQL parser/),
    });
  });

  it('without Java, falls back to the grammar alone and says so', async () => {
    const parsers = new SqlParsers(t.platform.engines, launchSqlParser, {
      home: t.home,
      env: { PATH: '/nonexistent' },
    });
    const sql = new SqlService(t.platform.targets, t.platform, {
      parsers,
      engines: t.platform.engines,
      defaultEngine: '1.20',
    });
    try {
      const r = await sql.validate(FALSE_ERRORS[0]![1]);
      expect(r.parser).toMatchObject({
        engine: '1.20',
        used: false,
        reason: expect.stringMatching(/Java was not found/),
      });
      expect(r.problems[0]).toMatchObject({
        severity: 'info',
        source: 'platform',
        message: expect.stringMatching(/checked by the grammar alone.*Java was not found/),
      });
      expect(r.problems.some((p) => p.severity === 'error' && p.source === 'grammar')).toBe(true);
    } finally {
      await parsers.close();
    }
  });
});
