import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../support/postgres.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';

const JOB = `CREATE TABLE mem.\`default\`.ticks (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '1');
CREATE TABLE sink (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT id FROM mem.\`default\`.ticks;`;

/** Workspace catalogs: checked by the engine when defined, created in the job's session before its SQL. */
describe('workspace catalogs', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;
  const api = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    p: string,
    payload?: Record<string, unknown>,
  ) => app.inject({ method, url: `/api/v1${p}`, ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({ sharedLocalCluster: true }));
  });
  afterAll(async () => close?.());

  it('saves a catalog the engine accepts and refuses one it does not, saving nothing', async () => {
    const ok = await api('PUT', '/catalogs/mem?target=local-1.20', {
      type: 'generic_in_memory',
      options: { 'default-database': 'default' },
      description: 'scratch space',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'mem', type: 'generic_in_memory', description: 'scratch space' });
    // A type the engine lacks is refused before Flink is asked; a definition Flink rejects, by Flink.
    const unknown = await api('PUT', '/catalogs/nope?target=local-1.20', { type: 'no_such_catalog' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain("catalog type 'no_such_catalog' is not available");
    const bad = await api('PUT', '/catalogs/nope?target=local-1.20', { type: 'jdbc' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('Missing required options');
    expect((await api('GET', '/catalogs/nope')).statusCode).toBe(404);
    const reserved = await api('PUT', '/catalogs/default_catalog', { type: 'generic_in_memory' });
    expect(reserved.statusCode).toBe(400);
  });

  it('browses a catalog through the engine', async () => {
    expect((await api('GET', '/catalogs/mem/databases?target=local-1.20')).json()).toEqual(['default']);
    expect((await api('GET', '/catalogs/mem/databases/default/tables?target=local-1.20')).json()).toEqual([]);
    const cli = await runSluice(url, ['catalog', 'browse', 'mem', '--target', 'local-1.20']);
    expect(cli.stdout.trim()).toBe('default');
    // Scripts written before the rename say `cluster`: still taken, as the same target.
    expect((await api('GET', '/catalogs/mem/databases?cluster=local-1.20')).json()).toEqual(['default']);
    const old = await runSluice(url, ['catalog', 'browse', 'mem', '--cluster', 'local-1.20']);
    expect(old.stdout.trim()).toBe('default');
  });

  it('creates the chosen catalogs in the job session before the SQL, and refuses unknown ones', async () => {
    const unknown = await api('POST', '/jobs', {
      name: 'needs-cat',
      sql: JOB,
      target: 'local-1.20',
      catalogs: ['nope'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toBe(
      'catalogs: catalog nope is not defined in the workspace: define it with `sluice catalog set`',
    );
    const created = await api('POST', '/jobs', {
      name: 'needs-cat',
      sql: JOB,
      target: 'local-1.20',
      catalogs: ['mem'],
    });
    expect(created.json().catalogs).toEqual(['mem']);
    const sub = (await api('POST', '/jobs/needs-cat/start', {})).json();
    await t.platform.submissions.wait(sub.id);
    const done = (await api('GET', `/jobs/needs-cat/submissions/${sub.number}`)).json();
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s: { name: string }) => s.name)).toContain('create catalogs');
    await waitFor('RUNNING', async () => (await api('GET', '/jobs/needs-cat')).json().state === 'RUNNING');

    const used = await api('DELETE', '/catalogs/mem');
    expect(used.statusCode).toBe(409);
    expect(used.json().error.message).toBe(
      'catalog mem is chosen by job(s) needs-cat: remove it from them first',
    );
    await t.platform.submissions.wait((await api('POST', '/jobs/needs-cat/cancel', {})).json().id);
  });

  it('fails the planner check of a script that needs a catalog it did not choose', async () => {
    const r = (await api('POST', '/sql/explain', { sql: JOB, target: 'local-1.20' })).json();
    expect(r.ok).toBe(false);
    expect(r.problems[0].message).toContain('mem');
    const chosen = (
      await api('POST', '/sql/explain', { sql: JOB, target: 'local-1.20', catalogs: ['mem'] })
    ).json();
    expect(chosen.ok).toBe(true);
  });

  it('browses a PostgreSQL database through a JDBC catalog whose password is a secret, and reads it in a debug run', async () => {
    const dbUrl = await createDatabase(inject('postgresAdminUrl'), 'sluice_catalog_shop');
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      await client.query(
        'CREATE TABLE orders (id BIGINT PRIMARY KEY, amount NUMERIC(10, 2) NOT NULL, note TEXT)',
      );
      await client.query("INSERT INTO orders VALUES (1, 9.50, 'first'), (2, 20.00, NULL)");
    } finally {
      await client.end();
    }
    const { port } = new URL(dbUrl);
    await api('PUT', '/variables/pg_password', { value: 'not-checked-by-trust-auth', secret: true });
    const saved = await api('PUT', '/catalogs/shop?target=local-1.20', {
      type: 'jdbc',
      options: {
        'base-url': `jdbc:postgresql://127.0.0.1:${port}`,
        'default-database': 'sluice_catalog_shop',
        username: 'sluice',
        password: '${pg_password}',
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().options.password).toBe('${pg_password}');
    expect((await api('GET', '/catalogs/shop/databases?target=local-1.20')).json()).toContain(
      'sluice_catalog_shop',
    );
    expect(
      (await api('GET', '/catalogs/shop/databases/sluice_catalog_shop/tables?target=local-1.20')).json(),
    ).toEqual(['public.orders']);
    const columns = (
      await api('GET', '/catalogs/shop/databases/sluice_catalog_shop/tables/public.orders?target=local-1.20')
    ).json();
    expect(
      columns.map((c: { name: string; type: string; nullable: boolean }) => [c.name, c.type, c.nullable]),
    ).toEqual([
      ['id', 'BIGINT', false],
      ['amount', 'DECIMAL(10, 2)', false],
      ['note', 'STRING', true],
    ]);
    const cli = await runSluice(url, [
      'catalog',
      'browse',
      'shop',
      'sluice_catalog_shop',
      'public.orders',
      '--target',
      'local-1.20',
    ]);
    expect(cli.stdout).toMatch(/amount\s+DECIMAL\(10, 2\)\s+false/);

    const run = await t.platform.debug.start({
      sql: 'SELECT id, amount FROM shop.sluice_catalog_shop.`public.orders`',
      target: 'local-1.20',
      catalogs: ['shop'],
    });
    const done = await t.platform.debug.settled(run.id);
    expect(done).toMatchObject({ state: 'finished', reason: 'every query has ended', rowCount: 2 });
  });
});
