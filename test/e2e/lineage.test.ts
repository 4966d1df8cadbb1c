import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, serveApi } from '../support/cli.ts';
import { testPlatform, type TestPlatform } from '../support/platform.ts';

const CLEAN = `CREATE TABLE raw (id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3)) WITH (
  'connector' = 'kafka', 'topic' = 'orders-raw', 'properties.bootstrap.servers' = '\${brokers}', 'format' = 'json');
CREATE TABLE clean (id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3)) WITH (
  'connector' = 'kafka', 'topic' = '\${clean_topic}', 'properties.bootstrap.servers' = '\${brokers}', 'format' = 'json');
CREATE TABLE audit (id BIGINT, seen TIMESTAMP(3)) WITH ('connector' = 'print');
CREATE VIEW positive AS SELECT id, amount, ts FROM raw WHERE amount > 0;
EXECUTE STATEMENT SET BEGIN
  INSERT INTO clean SELECT id, amount, ts FROM positive;
  INSERT INTO audit SELECT id, ts FROM raw;
END;`;

const TOTALS = `CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'kafka', 'topic' = 'orders-clean', 'properties.bootstrap.servers' = 'k2:9092,k1:9092', 'format' = 'json');
CREATE TABLE totals (window_start TIMESTAMP(3), total DECIMAL(38, 2), PRIMARY KEY (window_start) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:postgresql://db:5432/shop', 'table-name' = 'totals', 'password' = 'x');
INSERT INTO totals
SELECT window_start, SUM(amount) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;`;

/** Lineage of a script and across jobs, through the API and the CLI (no Flink needed: it is analysis). */
describe('lineage', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-lineage-'));

  beforeAll(async () => {
    t = await testPlatform();
    ({ app, url } = await serveApi(t.platform));
    await t.platform.variables.set('brokers', 'k1:9092,k2:9092', {});
    await t.platform.variables.set('clean_topic', 'orders-clean', {});
    await t.platform.jobs.create({ name: 'clean-orders', sql: CLEAN }, 'test');
    await t.platform.jobs.create({ name: 'order-totals', sql: TOTALS }, 'test');
    await t.platform.jobs.create(
      {
        name: 'unrelated',
        sql: "CREATE TABLE a (x INT) WITH ('connector' = 'datagen');\nCREATE TABLE b (x INT) WITH ('connector' = 'blackhole');\nINSERT INTO b SELECT x FROM a;",
      },
      'test',
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes a script: tables with their data, statement-set writes through a view, column lineage', async () => {
    const r = (
      await app.inject({ method: 'POST', url: '/api/v1/sql/lineage', payload: { sql: CLEAN } })
    ).json();
    expect(r.tables.find((x: { name: string }) => x.name === 'clean')).toMatchObject({
      kind: 'table',
      connector: 'kafka',
      identity: { topic: 'orders-clean', 'properties.bootstrap.servers': 'k1:9092,k2:9092' },
      resource: 'kafka://k1:9092,k2:9092/orders-clean',
      reads: false,
      writes: true,
    });
    expect(r.writes).toEqual([
      expect.objectContaining({
        sink: 'clean',
        line: 8,
        sources: ['raw'],
        via: ['positive'],
        columns: [
          { column: 'id', from: [{ table: 'raw', column: 'id' }], expression: 'id' },
          { column: 'amount', from: [{ table: 'raw', column: 'amount' }], expression: 'amount' },
          { column: 'ts', from: [{ table: 'raw', column: 'ts' }], expression: 'ts' },
        ],
      }),
      expect.objectContaining({ sink: 'audit', line: 9, sources: ['raw'] }),
    ]);
  });

  it('joins jobs at the Kafka topic one writes and the other reads', async () => {
    const g = (await app.inject({ method: 'GET', url: '/api/v1/lineage' })).json();
    const topic = 'table:kafka://k1:9092,k2:9092/orders-clean';
    expect(g.edges.filter((e: { from: string; to: string }) => e.from === topic || e.to === topic)).toEqual([
      expect.objectContaining({ from: 'job:clean-orders', kind: 'writes', to: topic, lines: [8] }),
      expect.objectContaining({ from: topic, kind: 'reads', to: 'job:order-totals' }),
    ]);
    const sink = g.nodes.find((n: { id: string }) => n.id === 'table:jdbc:postgresql://db:5432/shop#totals');
    expect(sink).toMatchObject({ connector: 'jdbc' });
    expect(JSON.stringify(sink)).not.toContain('password');

    const narrowed = (await app.inject({ method: 'GET', url: '/api/v1/lineage?job=order-totals' })).json();
    expect(narrowed.nodes.map((n: { id: string }) => n.id).sort()).toEqual(
      [
        'job:clean-orders',
        'job:order-totals',
        'table:clean-orders/audit',
        'table:jdbc:postgresql://db:5432/shop#totals',
        'table:kafka://k1:9092,k2:9092/orders-clean',
        'table:kafka://k1:9092,k2:9092/orders-raw',
      ].sort(),
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/lineage?job=nope' })).statusCode).toBe(404);
  });

  it('prints both from the CLI', async () => {
    const file = path.join(dir, 'totals.sql');
    fs.writeFileSync(file, TOTALS);
    const script = await runSluice(url, ['sql', 'lineage', file]);
    expect(script.stderr).toBe('');
    expect(script.stdout).toContain('totals.window_start <- orders.ts');
    expect(script.stdout).toContain('totals.total <- orders.amount   [SUM(amount)]');
    const graph = await runSluice(url, ['lineage', '--job', 'clean-orders']);
    expect(graph.stdout).toContain('job:clean-orders --writes--> kafka://k1:9092,k2:9092/orders-clean');
    expect(graph.stdout).toContain('kafka://k1:9092,k2:9092/orders-clean --reads--> job:order-totals');
  });

  it('joins a table written through ${base}/orders with one read through the resolved path; a secret stays a reference', async () => {
    await t.platform.variables.set('lake_base', 'file:///tmp/lake/', {});
    await t.platform.variables.set('vault_path', 's3://vault-bucket-hidden', { secret: true });
    const table = (name: string, path: string) =>
      `CREATE TABLE ${name} (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'json')`;
    await t.platform.jobs.create(
      {
        name: 'lake-writer',
        sql: `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
${table('lake', '${lake_base}/orders')};
${table('vault', '${vault_path}/orders')};
EXECUTE STATEMENT SET BEGIN
  INSERT INTO lake SELECT id FROM src;
  INSERT INTO vault SELECT id FROM src;
END;`,
      },
      'test',
    );
    await t.platform.jobs.create(
      {
        name: 'lake-reader',
        sql: `${table('orders', 'file:///tmp/lake/orders')};
${table('hidden', 's3://vault-bucket-hidden/orders')};
CREATE TABLE out_t (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT o.id FROM orders o JOIN hidden h ON o.id = h.id;`,
      },
      'test',
    );
    const g = (await app.inject({ method: 'GET', url: '/api/v1/lineage?job=lake-writer' })).json();
    type Node = { id: string; names: { job: string }[] };
    const lake = g.nodes.find((n: Node) => n.id === 'table:filesystem:file:///tmp/lake/orders');
    expect(lake).toMatchObject({ kind: 'table', connector: 'filesystem' });
    expect(lake.names).toEqual(
      expect.arrayContaining([
        { job: 'lake-writer', table: 'lake', variables: { path: ['lake_base'] } },
        { job: 'lake-reader', table: 'orders' },
      ]),
    );
    // A secret is never substituted into lineage. The reader's pasted value was stored as a
    // reference to the secret when the job was saved, so both meet at the reference.
    const vault = g.nodes.find((n: Node) => n.id === 'table:filesystem:${vault_path}/orders');
    expect(vault.names.map((n: { job: string }) => n.job).sort()).toEqual(['lake-reader', 'lake-writer']);
    expect(JSON.stringify(g)).not.toContain('vault-bucket-hidden');

    const script = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/sql/lineage',
        payload: { sql: `${table('lake', '${lake_base}/orders')};\nINSERT INTO lake SELECT 1;` },
      })
    ).json();
    expect(script.tables[0]).toMatchObject({
      resource: 'filesystem:file:///tmp/lake/orders',
      variables: { path: ['lake_base'] },
    });
    const file = path.join(dir, 'lake.sql');
    fs.writeFileSync(file, `${table('lake', '${lake_base}/orders')};\nINSERT INTO lake SELECT 1;`);
    const cli = await runSluice(url, ['sql', 'lineage', file]);
    expect(cli.stdout).toContain(
      'lake  filesystem  filesystem:file:///tmp/lake/orders  (line 1, written; path from ${lake_base})',
    );
  });
});
