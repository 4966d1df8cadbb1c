import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

/** A value no other text in the run contains, so finding it anywhere means a leak. */
const SECRET = `Sx${Date.now().toString(36)}qZ7`;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-secret-out-'));

const JOB = `CREATE TABLE ticks (id INT, name STRING) WITH (
  'connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.min' = '1', 'fields.id.max' = '9'
);
CREATE TABLE files (id INT, name STRING) WITH (
  'connector' = 'filesystem', 'path' = 'file://\${out_dir}/\${token}', 'format' = 'csv',
  'sink.rolling-policy.rollover-interval' = '1 s', 'sink.rolling-policy.check-interval' = '1 s'
);
INSERT INTO files SELECT id, name FROM ticks WHERE name <> '\${token}';
`;

/**
 * Secrets: encrypted at rest, substituted only where SQL runs, masked in every answer, event and log
 * line; every response body of the test is scanned for the value.
 */
describe('variables and secrets', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let url: string;
  const bodies: string[] = [];
  const api = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    p: string,
    payload?: Record<string, unknown>,
  ) => {
    const r = await app.inject({ method, url: `/api/v1${p}`, ...(payload === undefined ? {} : { payload }) });
    bodies.push(r.body);
    return r;
  };
  const settle = async (job: string, sub: { id: string; number: number }) => {
    await t.platform.submissions.wait(sub.id);
    return (await api('GET', `/jobs/${job}/submissions/${sub.number}`)).json();
  };

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({
      sharedLocalCluster: true,
      config: { trackerIntervalMs: 500 },
    }));
  });
  afterAll(async () => {
    await close?.();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('stores a secret encrypted and never returns its value', async () => {
    expect((await api('PUT', '/variables/out_dir', { value: out })).json()).toMatchObject({
      name: 'out_dir',
      value: out,
      secret: false,
    });
    const set = await api('PUT', '/variables/token', {
      value: SECRET,
      secret: true,
      description: 'API token',
    });
    expect(set.json()).toMatchObject({ name: 'token', value: null, secret: true, description: 'API token' });
    // Setting it again without `secret` keeps it secret.
    await api('PUT', '/variables/token', { value: SECRET });
    expect((await api('GET', '/variables')).json()).toEqual([
      expect.objectContaining({ name: 'out_dir', secret: false }),
      expect.objectContaining({ name: 'token', value: null, secret: true }),
    ]);
    const stored = await t.platform.store.db
      .selectFrom('variables')
      .selectAll()
      .where('name', '=', 'token')
      .executeTakeFirstOrThrow();
    expect(stored.value).toMatch(/^v1:/);
    expect(stored.value).not.toContain(SECRET);
  });

  it('names an undefined variable and its line, when validating and when starting', async () => {
    const broken = JOB.replace("'\${token}';", "'\${tokn}';");
    const v = (await api('POST', '/sql/validate', { sql: broken })).json();
    expect(v.problems).toEqual([
      expect.objectContaining({
        source: 'platform',
        line: 8,
        column: 61,
        text: '${tokn}',
        message: 'variable ${tokn} is not defined: define it with `sluice variable set tokn <value>`',
      }),
    ]);
    await api('POST', '/jobs', { name: 'broken', sql: broken, target: 'local-1.20' });
    const sub = (await api('POST', '/jobs/broken/start', {})).json();
    const done = await settle('broken', sub);
    expect(done).toMatchObject({ status: 'failed', failedStep: 'validate' });
    expect(done.error).toContain('the script cannot run: line 8, column 61: variable ${tokn} is not defined');
  });

  it('keeps references in the stored SQL, even when the secret is pasted in', async () => {
    const created = (await api('POST', '/jobs', { name: 'to-files', sql: JOB, target: 'local-1.20' })).json();
    expect(created.sql).toBe(JOB);
    const pasted = (
      await api('POST', '/jobs', {
        name: 'pasted',
        sql: JOB.replace("'\${token}';", `'${SECRET}';`),
        options: { 'pipeline.name': `p-${SECRET}` },
        target: 'local-1.20',
      })
    ).json();
    expect(pasted.sql).toBe(JOB);
    expect(pasted.options).toEqual({ 'pipeline.name': 'p-${token}' });
  });

  it('substitutes the secret where the job runs, and masks it in plans, logs and debug rows', async () => {
    const sub = (await api('POST', '/jobs/to-files/start', {})).json();
    const done = await settle('to-files', sub);
    expect(done.status).toBe('succeeded');
    // The value reached Flink: the sink writes under a folder named by it.
    await waitFor('files under the secret folder', async () => fs.existsSync(path.join(out, SECRET)));
    const lines = done.steps.flatMap((s: { log: string[] }) => s.log).join('\n');
    expect(lines).toContain('variables substituted: out_dir, token (1 secret, masked in this log)');
    expect(lines).toContain("option 'pipeline.name' = 'to-files'");

    const plan = (await api('POST', '/sql/explain', { sql: JOB, target: 'local-1.20' })).json();
    expect(plan.ok).toBe(true);
    expect(plan.plans[0].plan).toContain("<> '******'");

    const debug = (
      await api('POST', '/sql/debug', {
        sql: `${JOB.split(';')[0]};\nSELECT '\${token}' AS t, id FROM ticks;`,
        rowLimit: 2,
        target: 'local-1.20',
      })
    ).json();
    await t.platform.debug.settled(debug.id);
    const events = await fetch(`${url}/api/v1/sql/debug/${debug.id}/results`, {
      headers: authHeaders(url),
    }).then((r) => r.text());
    bodies.push(events);
    expect(events).toContain('"fields":["******"');

    const cli = await runSluice(url, ['variable', 'list']);
    bodies.push(cli.stdout, cli.stderr);
    expect(cli.stdout).toMatch(/token\s+\(secret\)\s+API token/);
    await api('POST', '/jobs/to-files/cancel', {});
  });

  it('masks a secret that Flink quotes back in an error', async () => {
    const sql = JOB.replace("'fields.id.min' = '1'", "'fields.id.kind' = '\${token}'");
    await api('POST', '/jobs', { name: 'bad-kind', sql, target: 'local-1.20' });
    const sub = (await api('POST', '/jobs/bad-kind/start', {})).json();
    const done = await settle('bad-kind', sub);
    expect(done.status).toBe('failed');
    const job = (await api('GET', '/jobs/bad-kind')).json();
    expect(job.stateReason).toContain('******');
    expect(JSON.stringify(done)).toContain('******');
    (await api('GET', '/jobs/bad-kind/events')).json();
  });

  it('leaves the value in no answer, no log and no stored row', async () => {
    for (const b of bodies) expect(b).not.toContain(SECRET);
    await t.platform.tracker.tick();
    const logFile = fs.readFileSync(path.join(t.home, 'sluice.log'), 'utf8');
    expect(logFile.length).toBeGreaterThan(0);
    expect(logFile).not.toContain(SECRET);
    for (const f of fs.readdirSync(t.home).filter((f) => f.startsWith('sluice.db')))
      expect(fs.readFileSync(path.join(t.home, f)).includes(Buffer.from(SECRET))).toBe(false);
  });
});
