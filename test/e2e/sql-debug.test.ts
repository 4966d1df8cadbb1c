import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugRunView } from '../../src/application/sql-debug.ts';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { CLICKS, collectDebugRun, expectClickCounts } from '../support/debug-runs.ts';
import type { DebugRunRequest } from '../../src/contract/sql.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-debug-sink-'));
const sinkPath = path.join(out, 'revenue');

/** A windowed aggregation from Kafka into files: the debug run must read neither and write neither. */
const WINDOWED = `-- revenue per product every 2 seconds
CREATE TABLE orders (
  order_id BIGINT,
  product INT,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = '127.0.0.1:1',
  'format' = 'json'
);
CREATE TABLE revenue (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  product INT,
  orders BIGINT,
  revenue DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = 'file://${sinkPath}', 'format' = 'csv');
INSERT INTO revenue
SELECT window_start, window_end, product, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '2' SECOND))
GROUP BY window_start, window_end, product;
`;

const COUNTS = `CREATE TABLE clicks (user_id INT, url STRING) WITH ('connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'json');
CREATE TABLE counts (user_id INT, clicks BIGINT, PRIMARY KEY (user_id) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = '127.0.0.1:1', 'key.format' = 'json', 'value.format' = 'json');
INSERT INTO counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;
`;

describe('SQL debug runs on the local session cluster', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let url: string;
  let sql: SluiceClient['sql'];

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({ sharedLocalCluster: true }));
    sql = createClient({ baseUrl: url, headers: authHeaders(url) }).sql;
  });
  afterAll(async () => {
    await close?.();
    fs.rmSync(out, { recursive: true, force: true });
  });

  /** Starts a run and collects what its SSE stream delivers until `end`. */
  const debug = async (body: Record<string, unknown>) => {
    const { id, rows, end } = await collectDebugRun(sql, body as DebugRunRequest);
    return { rows, end, run: await sql.debugRun(id) };
  };
  const runningJobs = async () => {
    const c = await t.platform.targets.cluster('local-1.20');
    return (await c.rest.jobs()).filter((j) => !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state));
  };

  it('streams the rows of a windowed aggregation with their columns and change kind, and writes no file', async () => {
    const { rows, end, run } = await debug({
      sql: WINDOWED,
      rowLimit: 4,
      rowsPerSecond: 50,
      timeLimitSeconds: 90,
    });
    expect(end).toEqual({ state: 'finished', reason: 'the row limit of 4 was reached' });
    expect(run.sinks).toEqual([
      {
        sink: 'revenue',
        line: 22,
        columns: ['window_start', 'window_end', 'product', 'orders', 'revenue'],
        rows: 4,
      },
    ]);
    expect(run.tables).toEqual([
      expect.objectContaining({ name: 'orders', as: 'datagen' }),
      expect.objectContaining({ name: 'revenue', as: 'left out' }),
    ]);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r).toMatchObject({ sink: 'revenue', kind: '+I' });
      const [start, endOfWindow, product, count, revenue] = r.fields as [
        string,
        string,
        number,
        number,
        string,
      ];
      expect(Date.parse(endOfWindow.replace(' ', 'T')) - Date.parse(start.replace(' ', 'T'))).toBe(2000);
      expect(product).toBeGreaterThanOrEqual(1);
      expect(product).toBeLessThanOrEqual(10);
      expect(count).toBeGreaterThan(0);
      expect(Number(revenue)).toBeGreaterThan(0);
    }
    expect(fs.existsSync(sinkPath) ? fs.readdirSync(sinkPath, { recursive: true }) : []).toEqual([]);
    expect(await runningJobs()).toEqual([]);
  });

  it('shows retractions of an updating aggregation over rows the user gives', async () => {
    expectClickCounts(await debug({ sql: COUNTS, sources: CLICKS }));
  });

  it('reads CSV rows too, and stops on request', async () => {
    const run = await sql.startDebug({
      sql: COUNTS.replace(
        'INSERT INTO counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;',
        'INSERT INTO counts SELECT user_id, 1 FROM clicks;',
      ),
      sources: { clicks: { csv: '7,/x\n8,/y\n' } },
    });
    const ended = await t.platform.debug.settled(run.id);
    expect(ended.rowCount).toBe(2);
    const endless = await sql.startDebug({ sql: WINDOWED, timeLimitSeconds: 300 });
    await waitFor('the run to start', async () => (await sql.debugRun(endless.id)).state === 'running');
    const stopped = await sql.stopDebug(endless.id);
    expect(stopped).toMatchObject({ state: 'finished', reason: 'stopped on request' });
    expect(await runningJobs()).toEqual([]);
  });

  it('ends at the time limit', async () => {
    const { end } = await debug({ sql: WINDOWED, timeLimitSeconds: 1, rowsPerSecond: 1 });
    expect(end).toEqual({ state: 'finished', reason: 'the time limit of 1 s was reached' });
    expect(await runningJobs()).toEqual([]);
  });

  it('names the line and column of a query the planner refuses', async () => {
    const { end, run } = await debug({ sql: WINDOWED.replace('SUM(amount)', 'SUM(amout)') });
    expect(end?.state).toBe('failed');
    expect(run.problem).toMatchObject({ source: 'planner', line: 22, column: 57, text: 'amout' });
    expect(run.reason).toContain("Column 'amout' not found");
  });

  it('refuses rows for a table the script does not declare, and starts nothing', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/sql/debug',
      payload: { sql: COUNTS, sources: { click: { rows: [] } } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toBe(
      'sources: rows were given for table click, but the script declares no table of that name',
    );
    expect(
      t.platform.debug.list().filter((x: DebugRunView) => x.state !== 'finished' && x.state !== 'failed'),
    ).toEqual([]);
  });

  it('refuses a file outside the allowed folders in the editor, a debug run and a planner run, and starts nothing', async () => {
    const leaking = WINDOWED.replace(`file://${sinkPath}`, 'file:///etc/cron.d/x');
    const said =
      "table revenue: option 'path' = 'file:///etc/cron.d/x' (line 20) is a file on the cluster's machine outside the folders space default's jobs may use";
    const check = await app.inject({
      method: 'POST',
      url: '/api/v1/sql/validate',
      payload: { sql: leaking },
    });
    expect(check.json().problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        source: 'platform',
        line: 20,
        text: 'file:///etc/cron.d/x',
      }),
    );
    for (const url of ['/api/v1/sql/debug', '/api/v1/sql/explain']) {
      const r = await app.inject({ method: 'POST', url, payload: { sql: leaking } });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'invalid_argument', messageCode: 'sql.tableFileOutside' });
      expect(r.json().error.message).toContain(said);
    }
    expect(
      t.platform.debug.list().filter((x: DebugRunView) => x.state !== 'finished' && x.state !== 'failed'),
    ).toEqual([]);
  });

  it("debugs a job's SQL without touching its deployment, from the CLI", async () => {
    await t.platform.jobs.create(
      { name: 'clicks-per-user', sql: COUNTS, engineVersion: '1.20', target: 'local-1.20' },
      'test',
    );
    const file = path.join(out, 'clicks.json');
    fs.writeFileSync(file, JSON.stringify([{ user_id: 3, url: '/' }]));
    const r = await runSluice(url, [
      'sql',
      'debug',
      '--job',
      'clicks-per-user',
      '--source',
      `clicks=${file}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('+I counts | user_id=3 clicks=1');
    expect(r.stdout).toMatch(/debug run dbg-\w+ finished: every query has ended \(1 rows, first after/);
    expect(r.code).toBe(0);
    const job = await t.platform.jobs.get('clicks-per-user');
    expect(job).toMatchObject({ state: 'CREATED', flinkJobId: null, deployedVersion: null });
    expect(await t.platform.jobs.submissions('clicks-per-user')).toEqual([]);
  });
});
