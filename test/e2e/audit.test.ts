import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditRecord } from '../../src/contract/audit.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';
import { flinkFetch } from '../support/flink-tls.ts';
import { createDatabase } from '../support/postgres.ts';
import type { TestPlatform } from '../support/platform.ts';

/** A value no other text of the run holds: found anywhere in the log, it leaked. */
const SECRET = `Au${Date.now().toString(36)}dit9Q`;
const SQL = `CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '2');
CREATE TABLE sunk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;
`;

/**
 * Issue 15 item 5 end to end: a real API on PostgreSQL with the run's shared local Flink cluster, the
 * real CLI as three callers (the admin, a user the admin adds, that user's read-only token). A job is
 * created, changed, started on Flink, cancelled and deleted, a change is refused, a secret is set;
 * then the log read through the API, the CLI and both exports shows each with its actor, its state
 * before and after, the secret masked; the deleted job keeps its records; the database refuses to
 * rewrite them.
 */
describe('the audit log of a real server', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let carol: string;
  let viewer: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-audit-'));
  /** The CLI as the admin (the served API's remembered token), or with another user's token. */
  const sluice = (args: string[], token?: string) =>
    runSluice(url, args, token === undefined ? {} : { SLUICE_TOKEN: token });
  const ok = async (args: string[], token?: string) => {
    const r = await sluice(args, token);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const audit = async (query: string) => {
    const res = await fetch(`${url}/api/v1/audit?${query}`, { headers: authHeaders(url) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { entries: AuditRecord[] }).entries;
  };
  const whoIs = async (token: string) =>
    (
      (await (await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        name: string;
      }
    ).name;

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), `sluice_audit_${process.pid}`);
    ({ t, url, close } = await servedPlatform({
      sharedLocalCluster: true,
      databaseUrl,
      config: { trackerIntervalMs: 500 },
    }));
    expect(t.platform.store.dialect).toBe('postgres');
  }, 180_000);
  afterAll(async () => {
    await sluice(['job', 'cancel', 'audited']);
    await sluice(['job', 'cancel', 'owned']);
    await close?.();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('records who did what to a job on Flink, a refused change, a secret, and keeps them after the job is deleted', async () => {
    // The admin adds carol; carol makes herself a read-only token.
    carol = (await ok(['user', 'add', 'carol'])).trim();
    expect(await whoIs(carol)).toBe('carol');
    viewer = (await ok(['token', 'create', 'dashboards', '--read-only'], carol)).trim();

    const file = path.join(scratch, 'audited.sql');
    fs.writeFileSync(file, SQL);
    await ok(['job', 'create', '--name', 'audited', '--sql-file', file, '--target', 'local-1.20'], carol);
    await ok(['job', 'edit', 'audited', '--parallelism', '2', '-m', 'two slots'], carol);
    expect(await ok(['job', 'start', 'audited'], carol)).toContain('job audited is RUNNING');
    // The read-only token may look, never change: refused, and recorded as carol's try.
    const refused = await sluice(['job', 'delete', 'audited'], viewer);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('may only read');
    await ok(['job', 'cancel', 'audited'], carol);
    await ok(['variable', 'set', 'warehouse_password', SECRET, '--secret']);
    await ok(['job', 'delete', 'audited']);
    expect((await sluice(['job', 'get', 'audited'])).code).not.toBe(0);

    const carolTokens = (await (
      await fetch(`${url}/api/v1/tokens`, { headers: { authorization: `Bearer ${carol}` } })
    ).json()) as { id: string; name: string }[];
    const byName = (n: string) => carolTokens.find((x) => x.name === n)!.id;

    // The deleted job's whole story, newest first, through the API.
    const story = await audit('resourceKind=job&resourceName=audited');
    expect(story.map((e) => [e.operation, e.actor, e.via, e.status, e.errorCode])).toEqual([
      ['jobs.remove', 'admin', expect.stringMatching(/^token /), 200, null],
      ['jobs.cancel', 'carol', `token ${byName('first token')}`, 202, null],
      ['jobs.remove', 'carol', `token ${byName('dashboards')}`, 403, 'forbidden'],
      ['jobs.start', 'carol', `token ${byName('first token')}`, 202, null],
      ['jobs.update', 'carol', `token ${byName('first token')}`, 200, null],
      ['jobs.create', 'carol', `token ${byName('first token')}`, 201, null],
    ]);
    const at = (op: string, status = 0) =>
      story.find((e) => e.operation === op && (status === 0 || e.status === status))!;
    expect(at('jobs.create').after).toMatchObject({ version: 1, parallelism: 1, sql: SQL, state: 'CREATED' });
    expect(at('jobs.update').before).toMatchObject({ version: 1, parallelism: 1 });
    expect(at('jobs.update').after).toMatchObject({ version: 2, parallelism: 2, sql: SQL });
    expect(at('jobs.start').before).toMatchObject({ state: 'CREATED', desiredState: 'stopped' });
    expect(at('jobs.start').after).toMatchObject({ version: 2, desiredState: 'running' });
    expect(at('jobs.remove', 200).before).toMatchObject({ version: 2, state: 'CANCELLED' });
    expect(at('jobs.remove', 200).after).toBeNull();
    for (const e of story) {
      expect(e.sourceAddress).toBe('127.0.0.1');
      expect(e.userAgent).toMatch(/^sluice\//);
    }
    expect(at('jobs.remove', 403)).toMatchObject({ before: null, after: null, path: '/api/v1/jobs/audited' });

    const users = await audit('resourceKind=user');
    expect(users[0]).toMatchObject({ actor: 'admin', operation: 'access.addUser', resourceName: 'carol' });
    expect(users[0]!.after).toMatchObject({ name: 'carol', admin: false });
    const secret = (await audit('resourceName=warehouse_password'))[0]!;
    expect(secret).toMatchObject({
      actor: 'admin',
      operation: 'workspace.setVariable',
      before: null,
      after: { name: 'warehouse_password', value: '******', secret: true },
    });

    // The CLI: the table, filtered by job and by actor.
    const table = await ok(['audit', '--job', 'audited']);
    const rows = table.trim().split('\n');
    expect(rows[0]).toMatch(/^AT\s+WHO\s+FROM\s+WHAT\s+SPACE\s+RESOURCE\s+OUTCOME$/);
    expect(rows).toHaveLength(7);
    expect(rows[1]).toMatch(
      /admin \(token [0-9a-f]{16}\)\s+127\.0\.0\.1\s+jobs\.remove\s+default\s+job audited\s+200$/,
    );
    expect(rows[3]).toContain(`carol (token ${byName('dashboards')})`);
    expect(rows[3]).toMatch(/403 forbidden$/);
    const mine = await ok(['audit', '--actor', 'carol', '--since', '1h', '--json']);
    expect((JSON.parse(mine) as AuditRecord[]).every((e) => e.actor === 'carol')).toBe(true);
    // A developer of default is no owner there: refused.
    const notAdmin = await sluice(['audit'], carol);
    expect(notAdmin.code).not.toBe(0);
    expect(notAdmin.stderr).toContain(
      "needs to manage in space 'default' (role owner or more); carol is developer",
    );

    // Both exports: every record the filters keep, the secret nowhere.
    const jsonl = await ok(['audit', '--export', 'jsonl']);
    const all = jsonl
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(all.filter((e) => e.resourceName === 'audited').map((e) => e.id)).toEqual(story.map((e) => e.id));
    const csv = await ok(['audit', '--job', 'audited', '--export', 'csv']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,actor,via,sourceAddress,/);
    expect(lines).toHaveLength(1 + story.length);
    for (const text of [jsonl, csv, table, mine]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(carol);
      expect(text).not.toContain(viewer);
    }
    expect(jsonl).toContain('"value":"******"');
  }, 300_000);

  it("shows a space's owner the records of her space, through the CLI, and nothing else", async () => {
    await ok(['space', 'create', 'team-a']);
    const olga = (await ok(['user', 'add', 'olga', '--role', 'owner', '--space', 'team-a'])).trim();
    const file = path.join(scratch, 'owned.sql');
    fs.writeFileSync(file, SQL);
    await ok(['job', 'create', '--name', 'owned', '--sql-file', file, '--space', 'team-a'], olga);
    await ok(['variable', 'set', 'owned_region', 'eu', '--space', 'team-a'], olga);

    const records = JSON.parse(await ok(['audit', '--space', 'team-a', '--json'], olga)) as AuditRecord[];
    expect(records.map((e) => [e.operation, e.actor, e.resourceName, e.space])).toEqual([
      ['workspace.setVariable', 'olga', 'owned_region', 'team-a'],
      ['jobs.create', 'olga', 'owned', 'team-a'],
    ]);
    // The admin added olga to team-a: a user's record is of no space, so not hers.
    expect((await audit('space=team-a')).map((e) => e.id)).toEqual(records.map((e) => e.id));
    const table = (await ok(['audit', '--space', 'team-a'], olga)).trim().split('\n');
    expect(table[1]).toMatch(
      /olga \(token [0-9a-f]{16}\)\s+127\.0\.0\.1\s+workspace\.setVariable\s+team-a\s+variable owned_region\s+200$/,
    );
    const csv = await ok(['audit', '--space', 'team-a', '--export', 'csv'], olga);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + records.length);
    // Not an owner of default, nor of a space she is not in.
    for (const args of [['audit'], ['audit', '--space', 'default', '--export', 'jsonl']]) {
      const r = await sluice(args, olga);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        "needs to manage in space 'default' (role owner or more); olga is not a member there",
      );
    }
    expect((await sluice(['audit', '--space', 'team-a'], carol)).stderr).toContain(
      'carol is not a member there',
    );

    // Her job named no target: it runs in a Flink cluster of its own (the engine's local application
    // target), not on the default space's session cluster, where she is no member.
    const owned = JSON.parse(await ok(['job', 'get', 'owned', '--json'], olga)) as { target: string };
    expect(owned.target).toBe('local-application-1.20');
    expect(await ok(['job', 'start', 'owned'], olga)).toContain('job owned is RUNNING');
    const running = JSON.parse(await ok(['job', 'get', 'owned', '--json'], olga)) as {
      restUrl: string | null;
    };
    // Asked of the job's own JobManager (Flink's REST over the cluster's TLS).
    const overview = (await (await flinkFetch(`${running.restUrl}/jobs/overview`)).json()) as {
      jobs: { name: string; state: string }[];
    };
    expect(overview.jobs.map((j) => j.state)).toEqual(['RUNNING']);
    await ok(['job', 'cancel', 'owned'], olga);
  }, 300_000);

  it('refuses to rewrite or remove a record: the database keeps the log append-only', async () => {
    const newest = (await audit('limit=1'))[0]!;
    await expect(
      sql`UPDATE audit_log SET actor = 'nobody' WHERE id = ${newest.id}`.execute(t.platform.store.db),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/);
    await expect(sql`DELETE FROM audit_log`.execute(t.platform.store.db)).rejects.toThrow(
      /audit_log is append-only: DELETE refused/,
    );
    expect((await audit('limit=1'))[0]).toEqual(newest);
  });
});
