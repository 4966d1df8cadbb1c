import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { authHeaders, printedAdminPassword } from '../support/credentials.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;
interface OpenApi {
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>;
}

/** A path parameter that looks real: a name, a number, an id. */
const sample = (name: string) => (/id$/i.test(name) ? '1' : name === 'version' ? '1' : 'orders');

/**
 * Who may call what (issue 15, items 1, 2's "as nobody" and 6) against a real API on this machine:
 * every operation of the OpenAPI document is called without credentials, with a revoked token, with
 * an expired one, and every change with a read-only token, and none may succeed. Then the people's
 * ways in: the CLI's login through standard input, a user added by an admin, the first admin's
 * password printed once.
 */
describe('access: every route needs a credential that allows it', () => {
  let s: Served;
  let doc: OpenApi;
  let revoked: string;
  let expired: string;
  let readOnly: string;
  beforeAll(async () => {
    s = await servedPlatform();
    doc = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as OpenApi;
    const access = s.t.platform.access;
    const make = (name: string, scopes: ('read' | 'write')[], expiresAt: string | null = null) =>
      access.createToken('admin', { name, scopes, expiresAt });
    const r = await make('revoked', ['read', 'write']);
    await access.revokeToken('admin', r.token.id);
    revoked = r.secret;
    expired = (await make('expired', ['read', 'write'], '2020-01-01T00:00:00Z')).secret;
    readOnly = (await make('read only', ['read'])).secret;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: p.replace(/\{(\w+)\}/g, (_, n: string) => sample(n)),
        public: Array.isArray(op.security) && op.security.length === 0,
        body: op.requestBody !== undefined,
      })),
    );

  const call = (o: { method: string; path: string; body: boolean }, headers: Record<string, string>) =>
    fetch(`${s.url}${o.path}`, {
      method: o.method,
      headers: { ...headers, ...(o.body ? { 'content-type': 'application/json' } : {}) },
      ...(o.body ? { body: '{}' } : {}),
      signal: AbortSignal.timeout(20_000),
    }).then(async (r) => {
      await r.body?.cancel();
      return r.status;
    });

  it('the document declares the schemes, and only health, sign-in/out (OIDC too) and the pods’ artifact routes are public', () => {
    const publicOps = operations()
      .filter((o) => o.public)
      .map((o) => `${o.method} ${o.path}`);
    expect(publicOps.sort()).toEqual([
      'DELETE /api/v1/session',
      'GET /api/v1/auth/oidc/callback',
      'GET /api/v1/auth/oidc/start',
      'GET /api/v1/health',
      'GET /api/v1/submission-artifacts/1',
      'GET /api/v1/submission-artifacts/1/orders',
      'POST /api/v1/session',
    ]);
    expect(operations().length).toBeGreaterThan(100);
  });

  it.each([
    ['no credentials', () => ({})],
    ['a revoked token', () => ({ authorization: `Bearer ${revoked}` })],
    ['an expired token', () => ({ authorization: `Bearer ${expired}` })],
    ['an unknown token', () => ({ authorization: 'Bearer slu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
    ['a session that does not exist', () => ({ cookie: 'sluice_session=nope' })],
  ])(
    'with %s: 401 from every operation that is not public, 0 successes',
    async (_, headers) => {
      const successes: string[] = [];
      const other: string[] = [];
      for (const o of operations().filter((x) => !x.public)) {
        const status = await call(o, headers());
        if (status < 400) successes.push(`${o.method} ${o.path}: ${status}`);
        else if (status !== 401) other.push(`${o.method} ${o.path}: ${status}`);
      }
      expect(successes).toEqual([]);
      expect(other).toEqual([]);
    },
    300_000,
  );

  it('with a read-only token: every change refused 403 (0 successes), reads answered', async () => {
    const successes: string[] = [];
    for (const o of operations().filter((x) => !x.public && x.method !== 'GET')) {
      const status = await call(o, { authorization: `Bearer ${readOnly}` });
      if (status !== 403) successes.push(`${o.method} ${o.path}: ${status}`);
    }
    expect(successes).toEqual([]);
    expect(
      await call(
        { method: 'GET', path: '/api/v1/jobs', body: false },
        { authorization: `Bearer ${readOnly}` },
      ),
    ).toBe(200);
    const me = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `Bearer ${readOnly}` } });
    expect(await me.json()).toMatchObject({ name: 'admin', scopes: ['read'], via: 'token' });
  }, 300_000);

  it('a 401 says what to send, in both languages, with WWW-Authenticate; nobody sees less health', async () => {
    const r = await fetch(`${s.url}/api/v1/jobs`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await r.json()) as { error: { messageCode: string; message: string } };
    expect(body.error.messageCode).toBe('access.unauthenticated');
    expect(body.error.message).toContain('Authorization: Bearer slu_');
    const anonymous = (await (await fetch(`${s.url}/api/v1/health`)).json()) as Record<string, unknown>;
    expect(anonymous).toMatchObject({ engines: [], targets: [], artifactStorage: null });
    const full = (await (await fetch(`${s.url}/api/v1/health`, { headers: authHeaders(s.url) })).json()) as {
      engines: unknown[];
    };
    expect(full.engines.length).toBeGreaterThan(0);
  });

  it('users: an admin adds one whose printed token works; a non-admin may not manage users or quotas (403)', async () => {
    const added = await runSluice(s.url, ['user', 'add', 'carol']);
    expect(added.code, added.stderr).toBe(0);
    const token = added.stdout.trim();
    expect(token).toMatch(/^slu_/);
    const carol = { SLUICE_TOKEN: token };
    const who = await runSluice(s.url, ['whoami'], carol);
    // Added without a role: a developer of default, as every user was before spaces.
    expect(who.stdout).toBe('carol via token, may read and write\nspaces: default (developer)\n');
    const refused = await runSluice(s.url, ['user', 'list'], carol);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('is for platform admins; carol is not one');
    // Quotas are the platform admins' too: carol may write, not raise her own target's limits.
    const quota = await runSluice(
      s.url,
      ['target', 'quota', 'local-application-1.20', '--jobs', '99'],
      carol,
    );
    expect(quota.code).not.toBe(0);
    expect(quota.stderr).toContain(
      'PUT /api/v1/targets/local-application-1.20/quota is for platform admins; carol is not one',
    );
    const cleared = await runSluice(s.url, ['target', 'quota', 'local-application-1.20', '--clear'], carol);
    expect(cleared.stderr).toContain('is for platform admins; carol is not one');
    const made = await runSluice(s.url, ['token', 'create', 'ci', '--read-only', '--expires', '30d'], carol);
    expect(made.code, made.stderr).toBe(0);
    const ci = { SLUICE_TOKEN: made.stdout.trim() };
    expect((await runSluice(s.url, ['whoami'], ci)).stdout).toBe(
      'carol via token, may read\nspaces: default (developer)\n',
    );
    expect((await runSluice(s.url, ['variable', 'set', 'x', 'y'], ci)).stderr).toContain('may only read');
    expect((await runSluice(s.url, ['user', 'remove', 'carol'])).code).toBe(0);
    expect((await runSluice(s.url, ['whoami'], carol)).stderr).toContain('not one this server issued');
  }, 120_000);

  it('sluice space and sluice user add --role --space: an admin makes a space, its owner manages its members', async () => {
    const ok = async (args: string[], env: Record<string, string> = {}) => {
      const r = await runSluice(s.url, args, env);
      expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await ok(['space', 'create', 'payments']);
    const made = await ok(['user', 'add', 'paula', '--role', 'owner', '--space', 'payments']);
    expect(made.stderr).toContain('user paula added, owner of space payments');
    const paula = { SLUICE_TOKEN: made.stdout.trim() };
    expect((await ok(['whoami'], paula)).stdout).toBe(
      'paula via token, may read and write\nspaces: payments (owner)\n',
    );
    const victor = {
      SLUICE_TOKEN: (
        await ok(['user', 'add', 'victor', '--role', 'viewer', '--space', 'payments'])
      ).stdout.trim(),
    };
    // The owner manages the members; a viewer may not, and sees only its spaces.
    await ok(['user', 'add', 'pete', '--role', 'viewer', '--space', 'payments']);
    expect(
      (await ok(['space', 'add-member', 'payments', 'pete', '--role', 'developer'], paula)).stderr,
    ).toContain('pete is developer of space payments');
    const refused = await runSluice(s.url, ['space', 'remove-member', 'payments', 'pete'], victor);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "needs to manage in space 'payments' (role owner or more); victor is viewer there",
    );
    const members = await ok(['space', 'members', 'payments', '--json'], victor);
    expect(JSON.parse(members.stdout)).toEqual([
      { space: 'payments', user: 'paula', role: 'owner', source: 'manual' },
      { space: 'payments', user: 'pete', role: 'developer', source: 'manual' },
      { space: 'payments', user: 'victor', role: 'viewer', source: 'manual' },
    ]);
    expect(JSON.parse((await ok(['space', 'list', '--json'], victor)).stdout)).toMatchObject([
      { name: 'payments', role: 'viewer' },
    ]);
    await ok(['space', 'remove-member', 'payments', 'pete'], paula);
    // A job made there keeps the space from being deleted, naming it.
    const sqlFile = path.join(os.tmpdir(), `sluice-space-${process.pid}.sql`);
    fs.writeFileSync(
      sqlFile,
      "CREATE TABLE t (id INT) WITH ('connector' = 'datagen');\nCREATE TABLE s (id INT) WITH ('connector' = 'blackhole');\nINSERT INTO s SELECT id FROM t;\n",
    );
    await ok(['job', 'create', '--name', 'pay-1', '--sql-file', sqlFile, '--space', 'payments'], paula);
    fs.rmSync(sqlFile);
    // Named no target: not the default space's session cluster, the engine's application target.
    expect(JSON.parse((await ok(['job', 'get', 'pay-1', '--json'], paula)).stdout)).toMatchObject({
      space: 'payments',
      target: 'local-application-1.20',
    });
    const full = await runSluice(s.url, ['space', 'delete', 'payments']);
    expect(full.code).not.toBe(0);
    expect(full.stderr).toContain("space 'payments' still holds jobs pay-1");
    expect((await ok(['job', 'list', '--json'], paula)).stdout).toContain('pay-1');
    await ok(['job', 'delete', 'pay-1'], paula);
    await ok(['space', 'delete', 'payments']);
    expect((await runSluice(s.url, ['whoami'], paula)).stdout).toBe('paula via token, may read and write\n');
  }, 120_000);

  it('sluice login takes the password from standard input and keeps a 0600 token per server; logout revokes it', async () => {
    await s.t.platform.access.addUser({ name: 'dave', admin: false, password: 'dave’s long password' });
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-xdg-'));
    try {
      const env = { XDG_CONFIG_HOME: config, SLUICE_TOKEN: '' };
      const wrong = await runSluice(s.url, ['login', '--user', 'dave'], env, 'not it at all\n');
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('the user name or the password is wrong');
      const login = await runSluice(s.url, ['login', '--user', 'dave'], env, 'dave’s long password\n');
      expect(login.code, login.stderr).toBe(0);
      const file = path.join(config, 'sluice', 'credentials.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object)).toEqual([s.url]);
      // The stored token, not the admin's: this CLI now runs as dave.
      expect((await runSluice(s.url, ['whoami'], env)).stdout).toBe(
        'dave via token, may read and write\nspaces: default (developer)\n',
      );
      expect((await runSluice(s.url, ['logout'], env)).code).toBe(0);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({});
      const logins = (await s.t.platform.access.tokens('dave')).filter((t) =>
        t.name.startsWith('sluice login'),
      );
      expect(logins.map((t) => t.revokedAt !== null)).toEqual([true]);
    } finally {
      fs.rmSync(config, { recursive: true, force: true });
    }
  }, 120_000);

  it('the console sends a visitor to sign in and back, says a wrong password in its language, and signs out', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${s.url}/jobs`);
      await page.waitForURL(/\/sign-in\?next=%2Fjobs$/);
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill('not the password');
      await page.getByTestId('sign-in-submit').click();
      await expect
        .poll(() => page.getByTestId('sign-in-error').innerText())
        .toBe('the user name or the password is wrong');
      await page.getByLabel('Password').fill(printedAdminPassword(path.join(s.t.home, 'sluice.log')));
      await page.getByTestId('sign-in-submit').click();
      await page.waitForURL(/\/jobs$/);
      await expect.poll(() => page.getByTestId('signed-in-user').innerText()).toBe('admin');
      const cookie = (await page.context().cookies()).find((c) => c.name === 'sluice_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      await page.getByTestId('sign-out').click();
      await page.waitForURL(/\/sign-in/);
      // The session is over at the server, not only forgotten by the browser.
      expect(
        (
          await page.request.get(`${s.url}/api/v1/me`, {
            headers: { cookie: `sluice_session=${cookie!.value}` },
          })
        ).status(),
      ).toBe(401);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('sluice passwd and sluice user passwd: the current password proves it, other sessions end, tokens stay; never in the audit log', async () => {
    const erin = await s.t.platform.access.addUser({
      name: 'erin',
      admin: false,
      password: 'erin first password',
    });
    const asErin = { SLUICE_TOKEN: erin.secret };
    const signIn = async (password: string) => {
      const r = await fetch(`${s.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'erin', password }),
      });
      await r.body?.cancel();
      return r.status === 200 ? r.headers.get('set-cookie')!.split(';')[0]! : r.status;
    };
    const meWith = async (headers: Record<string, string>) => {
      const r = await fetch(`${s.url}/api/v1/me`, { headers });
      await r.body?.cancel();
      return r.status;
    };
    const console1 = (await signIn('erin first password')) as string;

    const wrong = await runSluice(s.url, ['passwd'], asErin, 'not the password\nerin second password\n');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(
      'the current password is wrong: nothing was changed; give the password you sign in with now',
    );
    expect(await meWith({ cookie: console1 })).toBe(200);
    const changed = await runSluice(
      s.url,
      ['passwd', '--password-stdin'],
      asErin,
      'erin first password\nerin second password\n',
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain('the password of erin is changed');
    // Changed with a token: every console session of erin ended, the token works on.
    expect(await meWith({ cookie: console1 })).toBe(401);
    expect(await meWith({ authorization: `Bearer ${erin.secret}` })).toBe(200);
    expect(await signIn('erin first password')).toBe(401);

    // Changed from the console: that session stays, the others end.
    const here = (await signIn('erin second password')) as string;
    const there = (await signIn('erin second password')) as string;
    const put = await fetch(`${s.url}/api/v1/me/password`, {
      method: 'PUT',
      headers: { cookie: here, 'content-type': 'application/json' },
      body: JSON.stringify({ current: 'erin second password', new: 'erin third password' }),
    });
    expect(put.status, await put.text()).toBe(204);
    expect(await meWith({ cookie: here })).toBe(200);
    expect(await meWith({ cookie: there })).toBe(401);

    // An admin sets it (a forgotten one); a user may not set another's.
    const set = await runSluice(
      s.url,
      ['user', 'passwd', 'erin', '--password-stdin'],
      {},
      'erin fourth password\n',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(await meWith({ cookie: here })).toBe(401);
    expect(typeof (await signIn('erin fourth password'))).toBe('string');
    const short = await runSluice(s.url, ['user', 'passwd', 'erin', '--password-stdin'], {}, 'too short\n');
    expect(short.stderr).toContain('the password must have at least 12 characters');
    const notAdmin = await runSluice(
      s.url,
      ['user', 'passwd', 'admin', '--password-stdin'],
      asErin,
      'a takeover password\n',
    );
    expect(notAdmin.stderr).toContain(
      'PUT /api/v1/users/admin/password is for platform admins; erin is not one',
    );

    // Recorded, and the passwords never: not in the audit log, not in the server's log.
    const audit = await fetch(`${s.url}/api/v1/audit?text=password&limit=500`, {
      headers: authHeaders(s.url),
    });
    const entries = (
      (await audit.json()) as { entries: { operation: string; resourceName: string; status: number }[] }
    ).entries;
    const records = entries
      .filter((e) => e.resourceName === 'erin' && /Password$/.test(e.operation))
      .map((e) => `${e.operation} ${e.status}`)
      .reverse();
    expect(records).toEqual([
      'access.changePassword 400',
      'access.changePassword 204',
      'access.changePassword 204',
      'access.setPassword 204',
      'access.setPassword 400',
    ]);
    const exported = await (
      await fetch(`${s.url}/api/v1/audit/export?format=jsonl`, { headers: authHeaders(s.url) })
    ).text();
    const log = fs.readFileSync(path.join(s.t.home, 'sluice.log'), 'utf8');
    for (const pw of [
      'erin first password',
      'erin second password',
      'erin third password',
      'erin fourth password',
    ])
      expect(exported + log).not.toContain(pw);
  }, 120_000);

  it('the first admin’s password was printed once, and signs in; the server did not print it again', async () => {
    const log = fs.readFileSync(path.join(s.t.home, 'sluice.log'), 'utf8');
    const lines = log.split('\n').filter((l) => l.includes('"password"'));
    expect(lines).toHaveLength(1);
    const password = (JSON.parse(lines[0]!) as { password: string }).password;
    const r = await fetch(`${s.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(
      /^sluice_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Expires=/,
    );
    expect(await s.t.platform.access.ensureFirstAdmin()).toBeNull();
  });
});
