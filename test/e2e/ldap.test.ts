import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { launchChromium, SHOTS } from '../support/console.ts';
import { authHeaders } from '../support/credentials.ts';
import { LDAP_PEOPLE, startLdap, type LdapServer } from '../support/ldap.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;
const { alice, bob } = LDAP_PEOPLE;
const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

const signIn = (base: string, name: string, password: string) =>
  fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
    signal: AbortSignal.timeout(30_000),
  });
const cookieOf = (r: Response) => /sluice_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')?.[0] ?? '';

/**
 * Sign-in through LDAP (issue 15, item 1) against a real slapd this file runs (test/support/ldap.ts),
 * over HTTP, with `sluice login` and in the console; then the directory stops and sign-in says so.
 */
describe('LDAP sign-in', () => {
  let ldap: LdapServer;
  let s: Served;
  beforeAll(async () => {
    ldap = await startLdap();
    s = await servedPlatform({ config: { ldap: ldap.settings } });
  }, 300_000);
  afterAll(async () => {
    await s?.close();
    await ldap?.stop({ remove: true });
  });

  it('an LDAP user signs in over HTTP: made at its first sign-in with source ldap, admin by its group', async () => {
    const r = await signIn(s.url, 'alice', alice.password);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ name: 'alice', admin: true, source: 'ldap' });
    const cookie = { cookie: cookieOf(r) };
    expect(await (await fetch(`${s.url}/api/v1/me`, { headers: cookie })).json()).toMatchObject({
      name: 'alice',
      admin: true,
      source: 'ldap',
      via: 'session',
    });
    // An admin by the directory's group: she may list users.
    const users = (await (await fetch(`${s.url}/api/v1/users`, { headers: cookie })).json()) as {
      name: string;
      source: string;
    }[];
    expect(users.map((u) => `${u.name}:${u.source}`)).toEqual(['admin:local', 'alice:ldap']);
    // Bob is not in the admin group.
    const b = await signIn(s.url, 'bob', bob.password);
    expect(await b.json()).toMatchObject({ name: 'bob', admin: false, source: 'ldap' });
    expect((await fetch(`${s.url}/api/v1/users`, { headers: { cookie: cookieOf(b) } })).status).toBe(403);
    const health = (await (
      await fetch(`${s.url}/api/v1/health`, { headers: authHeaders(s.url) })
    ).json()) as {
      directory: unknown;
    };
    expect(health.directory).toEqual({ kind: 'ldap', url: ldap.url, ready: true, detail: null });
    const anonymous = (await (await fetch(`${s.url}/api/v1/health`)).json()) as { directory: unknown };
    expect(anonymous.directory).toEqual({ kind: 'ldap', url: null, ready: true, detail: null });
  });

  it('a wrong password and an unknown user get the same 401 as a local wrong password', async () => {
    const bodies = [];
    for (const [name, password] of [
      ['alice', 'not her password'],
      ['nobody-here', alice.password],
      ['admin', 'not the admin password'],
      ['ali*', alice.password],
    ] as const) {
      const r = await signIn(s.url, name, password);
      expect(r.status, name).toBe(401);
      bodies.push(await r.json());
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toMatchObject({
      error: { code: 'unauthenticated', message: 'the user name or the password is wrong' },
    });
    expect((await s.t.platform.access.users()).map((u) => u.name)).not.toContain('nobody-here');
  }, 120_000);

  it('sluice login as an LDAP user; its token works as any; sluice user list shows the source', async () => {
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-xdg-'));
    try {
      const env = { XDG_CONFIG_HOME: config, SLUICE_TOKEN: '' };
      const login = await runSluice(s.url, ['login', '--user', 'bob'], env, `${bob.password}\n`);
      expect(login.code, login.stderr).toBe(0);
      expect((await runSluice(s.url, ['whoami'], env)).stdout).toBe(
        'bob from LDAP via token, may read and write\n',
      );
      expect((await runSluice(s.url, ['job', 'list'], env)).code).toBe(0);
      const list = await runSluice(s.url, ['user', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^NAME\s+SOURCE\s+ADMIN/);
      expect(list.stdout).toMatch(/\nbob\s+ldap\s/);
      expect(list.stdout).toMatch(/\nadmin\s+local\s+yes/);
      // Its password is the directory's: Sluice sets none.
      const password = await runSluice(
        s.url,
        ['user', 'add', 'bob', '--password-stdin'],
        {},
        'a local password\n',
      );
      expect(password.code).not.toBe(0);
      expect(password.stderr).toContain(
        "user bob signs in through LDAP: its password is the directory's and Sluice keeps none",
      );
    } finally {
      fs.rmSync(config, { recursive: true, force: true });
    }
  }, 120_000);

  it('the console signs an LDAP user in and shows the user and its source', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${s.url}/jobs`);
      await page.waitForURL(/\/sign-in/);
      await page.getByLabel('User name').fill('alice');
      await page.getByLabel('Password').fill(alice.password);
      await page.getByTestId('sign-in-submit').click();
      await page.waitForURL(/\/jobs$/);
      await expect.poll(() => page.getByTestId('signed-in-user').innerText()).toBe('alice');
      await expect.poll(() => page.getByTestId('signed-in-source').innerText()).toBe('LDAP');
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'ldap-signed-in.png') });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('a stopped directory: sign-in is a 503 naming it and what to check, quickly; health says it; local users still sign in', async () => {
    await ldap.stop();
    const started = Date.now();
    const r = await signIn(s.url, 'alice', alice.password);
    expect(r.status).toBe(503);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('directory_unavailable');
    expect(body.error.message).toMatch(
      new RegExp(
        `^the LDAP directory at ${ldap.url} does not answer \\(.*ECONNREFUSED.*\\): check that it runs`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const health = (await (
      await fetch(`${s.url}/api/v1/health`, { headers: authHeaders(s.url) })
    ).json()) as {
      directory: { ready: boolean; detail: string };
      warnings: { messageCode: string }[];
    };
    expect(health.directory).toMatchObject({ kind: 'ldap', url: ldap.url, ready: false });
    expect(health.directory.detail).toContain(`the LDAP directory at ${ldap.url} does not answer`);
    expect(health.warnings.map((w) => w.messageCode)).toContain('ldap.unavailable');
    // Tokens an LDAP user made keep working, and local users sign in without the directory.
    const { secret } = await s.t.platform.access.createToken('alice', {
      name: 'ci',
      scopes: ['read'],
      expiresAt: null,
    });
    expect(
      (await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);
    await s.t.platform.access.addUser({ name: 'dana', admin: false, password: 'dana’s local password' });
    expect((await signIn(s.url, 'dana', 'dana’s local password')).status).toBe(200);
  }, 120_000);

  it('the server refuses to start on an LDAP setting that cannot work, naming the variable', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-ldap-bad-'));
    try {
      const r = spawnSync(SLUICE, ['server', '--port', '0'], {
        env: {
          ...process.env,
          SLUICE_HOME: home,
          SLUICE_AUTO_START: 'false',
          SLUICE_LDAP_URL: 'ldap.example.com',
          SLUICE_LDAP_BIND_DN: 'cn=sluice,dc=example,dc=com',
          SLUICE_LDAP_BIND_PASSWORD: 'x',
          SLUICE_LDAP_USER_BASE: 'ou=people,dc=example,dc=com',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.signal).toBeNull();
      expect(r.stderr).toContain(
        "SLUICE_LDAP_URL: 'ldap.example.com' is not an LDAP URL: give ldap:// or ldaps://",
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
