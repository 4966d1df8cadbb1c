import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { adminToken } from '../../test/support/credentials.ts';
import type { AuditRecord } from '../contract/audit.ts';
import { buildServer } from './server.ts';

const SQL = `CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen');
CREATE TABLE sunk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;
`;
const PASSWORD = 'correct horse battery staple';
const SECRET_VALUE = 'Xy7!s3cr3t-value-never-logged';

/**
 * The audit log's writer and readers through fastify's inject, on a real platform (SQLite, no
 * Flink): what is recorded for each kind of request, with which actor, state and masking.
 */
describe('the audit log records every change asked of the API', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let admin: string;
  let carol: string;
  let reader: string;
  let carolTokenId: string;

  const as = (token: string | null) => (method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'user-agent': 'audit-test/1' },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const log = async (query = '') => {
    const r = await as(admin)('GET', `/audit${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { entries: AuditRecord[]; next: number | null };
  };

  beforeAll(async () => {
    t = await testPlatform();
    app = await buildServer(t.platform);
    admin = await adminToken(t.platform);
    const added = await t.platform.access.addUser({ name: 'carol', admin: false, password: PASSWORD });
    carol = added.secret;
    carolTokenId = added.token.id;
    reader = (
      await t.platform.access.createToken('carol', { name: 'viewer', scopes: ['read'], expiresAt: null })
    ).secret;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it("keeps a job's changes with who made them and its SQL before and after, also once the job is deleted", async () => {
    expect((await as(carol)('POST', '/jobs', { name: 'orders', sql: SQL })).statusCode).toBe(201);
    const patched = await as(carol)('PATCH', '/jobs/orders', {
      baseVersion: 1,
      message: 'faster',
      parallelism: 2,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await as(carol)('GET', '/jobs/orders')).statusCode).toBe(200);
    expect((await as(admin)('DELETE', '/jobs/orders')).statusCode).toBe(200);
    expect((await as(carol)('GET', '/jobs/orders')).statusCode).toBe(404);

    const { entries } = await log('?resourceKind=job&resourceName=orders');
    // Newest first; the reads are not there.
    expect(entries.map((e) => [e.operation, e.actor, e.via, e.status])).toEqual([
      ['jobs.remove', 'admin', expect.stringMatching(/^token [0-9a-f]{16}$/), 200],
      ['jobs.update', 'carol', `token ${carolTokenId}`, 200],
      ['jobs.create', 'carol', `token ${carolTokenId}`, 201],
    ]);
    const [removed, updated, created] = entries as [AuditRecord, AuditRecord, AuditRecord];
    expect(created).toMatchObject({
      method: 'POST',
      path: '/api/v1/jobs',
      sourceAddress: '127.0.0.1',
      userAgent: 'audit-test/1',
      errorCode: null,
      before: null,
      after: { name: 'orders', version: 1, sql: SQL, parallelism: 1, state: 'CREATED' },
    });
    expect(updated.before).toMatchObject({ version: 1, parallelism: 1, sql: SQL });
    expect(updated.after).toMatchObject({ version: 2, parallelism: 2, sql: SQL });
    expect(removed.before).toMatchObject({ version: 2, parallelism: 2 });
    expect(removed.after).toBeNull();
  });

  it('records refusals with who tried what: no credentials, a read-only token, a non-admin, invalid input', async () => {
    expect((await as(null)('POST', '/jobs', { name: 'anon', sql: SQL })).statusCode).toBe(401);
    expect((await as(reader)('PUT', '/variables/region', { value: 'eu' })).statusCode).toBe(403);
    expect((await as(carol)('POST', '/users', { name: 'mallory', admin: true })).statusCode).toBe(403);
    expect((await as(carol)('PUT', '/variables/bad name', { value: 'x' })).statusCode).toBe(400);

    const refused = (await log('?outcome=refused')).entries;
    expect(
      refused.map((e) => [e.actor, e.via, e.operation, e.resourceKind, e.resourceName, e.errorCode]),
    ).toEqual([
      ['carol', `token ${carolTokenId}`, 'access.addUser', 'user', 'mallory', 'forbidden'],
      ['carol', expect.stringMatching(/^token /), 'workspace.setVariable', 'variable', 'region', 'forbidden'],
      ['anonymous', 'none', 'jobs.create', 'job', null, 'unauthenticated'],
    ]);
    // Refused before any route ran: nothing was read, nothing changed.
    expect(refused.every((e) => e.before === null && e.after === null)).toBe(true);
    const failed = (await log('?outcome=failed&actor=carol')).entries[0]!;
    expect(failed).toMatchObject({
      status: 400,
      operation: 'workspace.setVariable',
      errorCode: 'invalid_argument',
    });
  });

  it('masks secret values and never keeps a password or a token secret', async () => {
    expect(
      (await as(carol)('PUT', '/variables/db_password', { value: SECRET_VALUE, secret: true })).statusCode,
    ).toBe(200);
    expect(
      (await as(carol)('PUT', '/variables/db_password', { value: `${SECRET_VALUE}2`, secret: true }))
        .statusCode,
    ).toBe(200);
    const made = await as(carol)('POST', '/tokens', { name: 'ci', scopes: ['read'] });
    expect(made.statusCode).toBe(201);
    const tokenSecret = (made.json() as { secret: string }).secret;
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'carol', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'carol', password: 'not her password at all' },
    });
    expect(wrong.statusCode).toBe(401);
    const added = await as(admin)('POST', '/users', { name: 'dave', password: PASSWORD });
    expect(added.statusCode).toBe(201);
    // From the console: the session is the proof.
    const fromConsole = await app.inject({
      method: 'PUT',
      url: '/api/v1/variables/region',
      headers: { cookie, origin: 'http://localhost:80' },
      payload: { value: 'eu' },
    });
    expect(fromConsole.statusCode, fromConsole.body).toBe(200);

    const variable = (await log('?resourceKind=variable&resourceName=db_password')).entries;
    expect(variable.map((e) => [e.before, e.after])).toEqual([
      [
        expect.objectContaining({ value: '******', secret: true }),
        expect.objectContaining({ value: '******', secret: true }),
      ],
      [null, expect.objectContaining({ name: 'db_password', value: '******', secret: true })],
    ]);
    // A second token of the same name: the first is not its before.
    expect((await as(carol)('POST', '/tokens', { name: 'ci' })).statusCode).toBe(201);
    const [second, token] = (await log('?resourceKind=token')).entries as [AuditRecord, AuditRecord];
    expect(token).toMatchObject({
      actor: 'carol',
      resourceName: 'ci',
      before: null,
      after: { name: 'ci', scopes: ['read'] },
    });
    expect(second).toMatchObject({ before: null, after: { name: 'ci', scopes: ['read', 'write'] } });
    const sessions = (await log('?resourceKind=session')).entries;
    expect(sessions.map((e) => [e.actor, e.resourceName, e.status])).toEqual([
      ['anonymous', 'carol', 401],
      ['anonymous', 'carol', 200],
    ]);
    expect((await log('?resourceName=region&actor=carol')).entries[0]).toMatchObject({
      via: 'console',
      after: { name: 'region', value: 'eu' },
    });

    // Nothing secret anywhere in the log, as read or exported.
    const everything = (await as(admin)('GET', '/audit/export?format=jsonl')).body;
    for (const secret of [SECRET_VALUE, tokenSecret, PASSWORD, carol, admin, 'not her password', 'scrypt'])
      expect(everything, secret).not.toContain(secret);
    expect(everything).toContain('"resourceName":"db_password"');
  });

  it('answers the log to platform admins only, filtered, paged and exported as JSON lines or CSV', async () => {
    expect((await as(carol)('GET', '/audit')).statusCode).toBe(403);
    expect((await as(carol)('GET', '/audit/export?format=csv')).statusCode).toBe(403);
    expect((await as(null)('GET', '/audit')).statusCode).toBe(401);
    // Reading the log is not recorded either.
    expect((await log('?operation=audit.list')).entries).toEqual([]);

    const all = (await log('?limit=500')).entries;
    expect(all.length).toBeGreaterThan(10);
    const first = await log('?limit=3');
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    const second = await log(`?limit=3&before=${first.next}`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(3, 6).map((e) => e.id));
    expect((await log(`?text=DB_PASSWORD`)).entries.length).toBe(2);
    const from = all.at(-1)!.at;
    expect(
      (await log(`?from=${encodeURIComponent(from)}&to=${encodeURIComponent(from)}`)).entries.length,
    ).toBeGreaterThan(0);
    expect((await as(admin)('GET', '/audit?outcome=maybe')).statusCode).toBe(400);
    expect((await as(admin)('GET', '/audit?from=yesterday')).statusCode).toBe(400);
    const leap = await as(admin)('GET', '/audit?to=2026-12-31T23:59:60Z');
    expect(leap.statusCode).toBe(400);
    expect(leap.json().error).toMatchObject({ code: 'invalid_argument', messageCode: 'audit.timeInvalid' });

    const jsonl = await as(admin)('GET', '/audit/export?format=jsonl&actor=carol');
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(jsonl.headers['content-disposition']).toMatch(/^attachment; filename="sluice-audit-.*\.jsonl"$/);
    const lines = jsonl.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(lines.map((e) => e.id)).toEqual(all.filter((e) => e.actor === 'carol').map((e) => e.id));
    const csv = await as(admin)('GET', '/audit/export?format=csv&resourceKind=job');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,at,actor,via,sourceAddress,userAgent,method,path,operation,resourceKind,resourceName,space,status,errorCode,before,after',
    );
    expect(rows.length).toBe(1 + all.filter((e) => e.resourceKind === 'job').length);
    expect(rows[1]).toContain(
      ',anonymous,none,127.0.0.1,audit-test/1,POST,/api/v1/jobs,jobs.create,job,,,401,unauthenticated,,',
    );
    expect(rows.find((r) => r.includes(',DELETE,'))).toContain(
      ',DELETE,/api/v1/jobs/orders,jobs.remove,job,orders,default,200,,"{""name"":""orders"",',
    );
  });

  it("answers a space's records to its owners, none to its other members, every record to platform admins", async () => {
    const user = async (name: string) =>
      (await t.platform.access.addUser({ name, admin: false, password: PASSWORD })).secret;
    const [olga, dev] = [await user('olga'), await user('dev')];
    expect((await as(admin)('POST', '/spaces', { name: 'team-a' })).statusCode).toBe(201);
    expect((await as(admin)('PUT', '/spaces/team-a/members/olga', { role: 'owner' })).statusCode).toBe(200);
    expect((await as(olga)('PUT', '/spaces/team-a/members/dev', { role: 'developer' })).statusCode).toBe(200);
    const made = await as(dev)('POST', '/jobs', { name: 'payments', sql: SQL, space: 'team-a' });
    expect(made.statusCode, made.body).toBe(201);
    expect((await as(dev)('PUT', '/variables/pay_region', { value: 'eu', space: 'team-a' })).statusCode).toBe(
      200,
    );
    // Carol (of default only) probes team-a's job: the 404 of a job that does not exist, recorded there.
    expect((await as(carol)('DELETE', '/jobs/payments')).statusCode).toBe(404);
    expect((await as(dev)('DELETE', '/jobs/payments')).statusCode).toBe(200);
    expect((await as(carol)('POST', '/jobs', { name: 'ledger', sql: SQL })).statusCode).toBe(201);

    const teamA = async (token: string, query = '') => {
      const r = await as(token)('GET', `/audit?space=team-a${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { entries: AuditRecord[] }).entries;
    };
    const mine = await teamA(olga);
    expect(mine.map((e) => [e.operation, e.actor, e.resourceName, e.status])).toEqual([
      ['jobs.remove', 'dev', 'payments', 200],
      ['jobs.remove', 'carol', 'payments', 404],
      ['workspace.setVariable', 'dev', 'pay_region', 200],
      ['jobs.create', 'dev', 'payments', 201],
      ['spaces.setMember', 'olga', 'team-a', 200],
      ['spaces.setMember', 'admin', 'team-a', 200],
    ]);
    expect(mine.every((e) => e.space === 'team-a')).toBe(true);
    expect(mine[0]!.before).toMatchObject({ name: 'payments', version: 1 });
    expect((await teamA(admin)).map((e) => e.id)).toEqual(mine.map((e) => e.id));
    expect((await teamA(olga, '&actor=dev&operation=jobs.create')).map((e) => e.id)).toEqual([mine[3]!.id]);

    // The admin sees the rest: default's records and those of no space (users, spaces made).
    const all = (await log('?limit=500')).entries;
    expect(all.find((e) => e.resourceName === 'ledger')).toMatchObject({ space: 'default' });
    expect(all.find((e) => e.operation === 'spaces.create')).toMatchObject({ space: null });
    expect((await log('?space=default&limit=500')).entries.map((e) => e.id)).toEqual(
      all.filter((e) => e.space === 'default').map((e) => e.id),
    );

    // Not an owner there: refused, whatever the space, and without one (default is asked).
    for (const [token, query] of [
      [dev, '?space=team-a'],
      [olga, ''],
      [olga, '?space=default'],
      [carol, '?space=team-a'],
      [carol, ''],
    ] as const) {
      const r = await as(token)('GET', `/audit${query}`);
      expect(r.statusCode, `${query} ${r.body}`).toBe(403);
      expect(
        (await as(token)('GET', `/audit/export?format=jsonl${query.replace('?', '&')}`)).statusCode,
      ).toBe(403);
    }
    const csv = await as(olga)('GET', '/audit/export?format=csv&space=team-a');
    expect(csv.statusCode).toBe(200);
    const rows = csv.body.trimEnd().split('\r\n').slice(1);
    expect(rows.map((r) => Number(r.split(',')[0]))).toEqual(mine.map((e) => e.id));
  });

  it("records a change tried through Flink's read-only Web UI", async () => {
    const tried = await app.inject({
      method: 'PATCH',
      url: '/flink/local-1.20/jobs/0123456789abcdef0123456789abcdef?mode=cancel',
      headers: { authorization: `Bearer ${carol}` },
    });
    expect(tried.statusCode).toBeGreaterThanOrEqual(400);
    expect((await log('?resourceKind=flink-ui')).entries[0]).toMatchObject({
      actor: 'carol',
      method: 'PATCH',
      path: '/flink/local-1.20/jobs/0123456789abcdef0123456789abcdef',
      operation: null,
      resourceName: 'local-1.20',
      status: tried.statusCode,
    });
  });

  it('does not record what changes nothing: checks and plans sent by POST', async () => {
    const before = (await log('?limit=500')).entries.length;
    expect((await as(carol)('POST', '/sql/validate', { sql: SQL })).statusCode).toBe(200);
    expect((await log('?limit=500')).entries.length).toBe(before);
  });
});
