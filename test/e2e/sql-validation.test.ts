import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import type { AdoptedCluster } from '../support/shared-cluster.ts';

const TABLES = `CREATE TABLE orders (id BIGINT, amount DOUBLE, city STRING) WITH ('connector' = 'datagen');
CREATE TABLE totals (city STRING, total DOUBLE) WITH ('connector' = 'blackhole');`;

/** Planner validation against the real Flink 1.20 engine, through the API and the CLI. */
describe('SQL validation', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;
  let shared: AdoptedCluster | undefined;

  beforeAll(async () => {
    ({ t, app, url, close, shared } = await servedPlatform({ sharedCluster: true }));
  });
  afterAll(async () => close?.());
  const explain = async (sql: string) =>
    (await app.inject({ method: 'POST', url: '/api/v1/sql/explain', payload: { sql } })).json();

  it('returns the optimized plan of a valid script and starts no job', async () => {
    const r = await explain(
      `${TABLES}\nINSERT INTO totals\nSELECT city, SUM(amount) FROM orders GROUP BY city;`,
    );
    expect(r).toMatchObject({ ok: true, target: 'local-1.20', problems: [] });
    expect(r.plans).toHaveLength(1);
    expect(r.plans[0].line).toBe(3);
    expect(r.plans[0].plan).toContain('== Optimized Physical Plan ==');
    expect(r.plans[0].plan).toMatch(/GroupAggregate/);
    expect(await shared!.jobs()).toEqual([]);
  });

  it('names a column that does not exist at its line and column in the script', async () => {
    const r = await explain(
      `${TABLES}\n\nINSERT INTO totals\nSELECT city, SUM(amout) FROM orders GROUP BY city;`,
    );
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: 'planner',
        line: 5,
        column: 18,
        text: 'amout',
        message: "Column 'amout' not found in any table",
      }),
    ]);
  });

  it('names an unknown connector at the statement that needs it', async () => {
    const r = await explain(
      `CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen');\nCREATE TABLE d (id BIGINT) WITH ('connector' = 'no-such');\nINSERT INTO d SELECT id FROM s;`,
    );
    expect(r.problems[0]).toMatchObject({ source: 'planner', line: 3, column: 1 });
    expect(r.problems[0].message).toMatch(
      /Could not find any factory for identifier 'no-such'|Cannot discover a connector using option: 'connector'='no-such'/,
    );
  });

  it('reports a type error', async () => {
    const r = await explain(`${TABLES}\nINSERT INTO totals SELECT city, amount + city FROM orders;`);
    expect(r.problems[0]).toMatchObject({ source: 'planner', line: 3 });
    expect(r.problems[0].message).toMatch(/Cannot apply '\+' to arguments of type|cannot be applied|type/i);
  });

  it('sluice sql validate: grammar errors at once, planner errors with --planner, exit code 1', async () => {
    const file = path.join(t.home, 'typo.sql');
    fs.writeFileSync(file, `${TABLES}\nINSERT INTO totals SELEC city, amount FROM orders;\n`);
    const grammar = await runSluice(url, [`sql`, 'validate', file]);
    expect(grammar.code).toBe(1);
    expect(grammar.stdout).toContain(`${file}:3:20: error (parser): unexpected 'SELEC'`);
    fs.writeFileSync(file, `${TABLES}\nINSERT INTO totals SELECT city, amout FROM orders;\n`);
    const planner = await runSluice(url, ['sql', 'validate', file, '--planner']);
    expect(planner.code).toBe(1);
    expect(planner.stdout).toContain(`${file}:3:33: error (planner): Column 'amout' not found in any table`);
    fs.writeFileSync(file, `${TABLES}\nINSERT INTO totals SELECT city, amount FROM orders;\n`);
    const ok = await runSluice(url, ['sql', 'validate', file, '--planner', '--job']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/3 statements, no errors \(planned by Flink\)/);
  });
});
