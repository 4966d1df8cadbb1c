import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, serveApi } from '../support/cli.ts';
import { testPlatform, type TestPlatform } from '../support/platform.ts';

const LEGACY = `-- written for Flink 1.13
CREATE TABLE orders (id BIGINT) WITH (
  'connector.type' = 'kafka',
  'connector.version' = 'universal',
  'connector.topic' = 'orders',
  'connector.properties.bootstrap.servers' = 'k:9092',
  'format.type' = 'json'
);
CREATE TABLE out_topic (id BIGINT) WITH (
  'connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'k:9092',
  'format' = 'json', 'sink.semantic' = 'exactly-once'
);
INSERT INTO out_topic SELECT id FROM orders;`;

/** Option changes between Flink versions: reported with positions, rewritten where that is safe. */
describe('connector option changes between Flink versions', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrate-'));

  beforeAll(async () => {
    t = await testPlatform();
    ({ app, url } = await serveApi(t.platform));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports and rewrites a 1.13 script for 1.20', async () => {
    const r = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/sql/option-changes',
        payload: { sql: LEGACY, from: '1.13', to: '1.20' },
      })
    ).json();
    expect(
      r.findings.map((f: { line: number; key: string; rewritable: boolean }) => [
        f.line,
        f.key,
        f.rewritable,
      ]),
    ).toEqual([
      [3, 'connector.type', true],
      [4, 'connector.version', false],
      [5, 'connector.topic', true],
      [6, 'connector.properties.bootstrap.servers', true],
      [7, 'format.type', true],
      [11, 'sink.semantic', true],
    ]);
    expect(r.rewritten.sql).toContain(
      "'connector' = 'kafka',\n  'connector.version' = 'universal',\n  'topic' = 'orders'",
    );
    expect(r.rewritten.sql).toContain("'sink.delivery-guarantee' = 'exactly-once'");
    expect(r.rewritten.sql.split('\n')[0]).toBe('-- written for Flink 1.13');
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/sql/option-changes',
      payload: { sql: LEGACY, from: 'one', to: '1.20' },
    });
    expect(bad.json().error.message).toBe('body.from must be a Flink version such as 1.20 or 1.20.3');
  });

  it('rewrites a file from the CLI', async () => {
    const file = path.join(dir, 'legacy.sql');
    fs.writeFileSync(file, LEGACY);
    const r = await runSluice(url, ['sql', 'migrate', file, '--from', '1.13', '--to', '1.20', '--write']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${file}:4:3: removed since 1.14: 'connector.version' (not rewritten)`);
    expect(r.stdout).toContain('Flink 1.13 -> 1.20: 6 option changes, 5 rewritable, 1 to handle by hand');
    expect(fs.readFileSync(file, 'utf8')).toContain("'topic' = 'orders'");
  });

  it('prepares a job for Flink 2.0: its SET statements and options, saved as a new version', async () => {
    await t.platform.jobs.create(
      {
        name: 'to-two',
        sql: `SET 'sql-client.display.max-column-width' = '40';\n${LEGACY.split('\n').slice(8).join('\n')}`,
        options: { 'table.exec.topn-cache-size': '1000' },
      },
      'test',
    );
    const dry = await runSluice(url, ['job', 'option-changes', 'to-two', '--to', '2.0']);
    expect(dry.stdout).toContain(
      "to-two:1:5: renamed since 2.0: 'sql-client.display.max-column-width' -> 'table.display.max-column-width'",
    );
    expect(dry.stdout).toContain("option 'table.exec.topn-cache-size': removed since 2.0 (not rewritten)");
    expect((await t.platform.jobs.get('to-two')).currentVersion).toBe(1);
    const r = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/jobs/to-two/option-changes',
        payload: { to: '2.0', rewrite: true },
      })
    ).json();
    expect(r).toMatchObject({ from: '1.20', to: '2.0', applied: 1, remaining: 1, savedVersion: 2 });
    const job = await t.platform.jobs.get('to-two');
    expect(job.kind === 'sql' && job.sql.split('\n')[0]).toBe("SET 'table.display.max-column-width' = '40';");
    expect(job.options).toEqual({ 'table.exec.topn-cache-size': '1000' });
  });
});
