import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { launchChromium, SHOTS } from '../support/console.ts';
import { authHeaders } from '../support/credentials.ts';
import { parseLdapSettings } from '../../src/domain/access/ldap-settings.ts';
import {
  addPersonLdif,
  LDAP_PEOPLE,
  LDAP_TREE,
  removePersonLdif,
  startLdap,
  type LdapServer,
} from '../support/ldap.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;
const { alice, bob, erin } = LDAP_PEOPLE;

/** Which directory groups give which roles (SLUICE_LDAP_GROUP_ROLES) in the servers of this file. */
const GROUP_ROLES = JSON.stringify({
  [`cn=developers,${LDAP_TREE.groups}`]: { 'team-a': 'developer' },
  [LDAP_TREE.adminGroup]: { 'team-a': 'owner' },
  // erin is in these only through groups (stream-team ∈ flink-dev ∈ data-platform).
  [LDAP_TREE.flinkDev]: { 'team-b': 'viewer' },
  [LDAP_TREE.dataPlatform]: { 'team-b': 'developer' },
  [LDAP_TREE.streamTeam]: { 'no-such-space': 'viewer' },
});
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
    const settings = parseLdapSettings({ ...ldap.env, SLUICE_LDAP_GROUP_ROLES: GROUP_ROLES })!;
    s = await servedPlatform({ config: { ldap: settings } });
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

  it('directory groups give roles in spaces at every sign-in, through groups within groups; roles set by hand stay; the audit shows the change', async () => {
    const admin = authHeaders(s.url);
    for (const space of ['team-a', 'team-b']) await s.t.platform.spaces.create(space, 'admin');
    const spacesOf = async (user: string) =>
      (await s.t.platform.spaces.store.membershipsOf(user)).map((m) => `${m.space}:${m.role}:${m.source}`);
    const member = (change: 'add' | 'delete', group: string, user: string) =>
      ldap.modify(
        `dn: ${group}\nchangetype: modify\n${change}: member\nmember: uid=${user},${LDAP_TREE.users}\n`,
      );

    // A mapped space that does not exist is not made: health says so to those signed in.
    const health = (await (await fetch(`${s.url}/api/v1/health`, { headers: admin })).json()) as {
      warnings: { messageCode: string; message: string }[];
    };
    expect(
      health.warnings.filter((w) => w.messageCode === 'access.groupRolesNoSpace').map((w) => w.message),
    ).toEqual([
      `SLUICE_LDAP_GROUP_ROLES gives group '${LDAP_TREE.streamTeam}' a role in space 'no-such-space', which does not exist: create it (sluice space create no-such-space) or change the mapping; until then the group's members get no role there`,
    ]);
    const anonymous = (await (await fetch(`${s.url}/api/v1/health`)).json()) as {
      warnings: { messageCode: string }[];
    };
    expect(anonymous.warnings.map((w) => w.messageCode)).not.toContain('access.groupRolesNoSpace');

    // bob is in developers: a developer of team-a, from the directory.
    expect((await signIn(s.url, 'bob', bob.password)).status).toBe(200);
    expect(await spacesOf('bob')).toEqual(['team-a:developer:ldap']);
    const members = await fetch(`${s.url}/api/v1/spaces/team-a/members`, { headers: admin });
    expect(await members.json()).toEqual([
      { space: 'team-a', user: 'bob', role: 'developer', source: 'ldap' },
    ]);
    // An admin makes him owner of team-b by hand.
    const put = await fetch(`${s.url}/api/v1/spaces/team-b/members/bob`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'owner' }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ space: 'team-b', user: 'bob', role: 'owner', source: 'manual' });

    try {
      // In the admin group too: owner of team-a (the higher of the two roles), and platform admin.
      member('add', LDAP_TREE.adminGroup, 'bob');
      const signedIn = await signIn(s.url, 'bob', bob.password);
      expect(await signedIn.json()).toMatchObject({ name: 'bob', admin: true });
      expect(await spacesOf('bob')).toEqual(['team-a:owner:ldap', 'team-b:owner:manual']);
      const [record] = await s.t.platform.store.audit.find(
        { resourceKind: 'session', resourceName: 'bob' },
        { limit: 1 },
      );
      expect(record).toMatchObject({
        operation: 'access.signIn',
        status: 200,
        before: {
          name: 'bob',
          admin: false,
          source: 'ldap',
          spaces: [
            { space: 'team-a', role: 'developer', source: 'ldap' },
            { space: 'team-b', role: 'owner', source: 'manual' },
          ],
        },
        after: {
          name: 'bob',
          admin: true,
          source: 'ldap',
          spaces: [
            { space: 'team-a', role: 'owner', source: 'ldap' },
            { space: 'team-b', role: 'owner', source: 'manual' },
          ],
        },
      });

      // In no mapped group any more: what came from the directory goes, what was set by hand stays.
      member('delete', LDAP_TREE.adminGroup, 'bob');
      member('delete', `cn=developers,${LDAP_TREE.groups}`, 'bob');
      expect((await signIn(s.url, 'bob', bob.password)).status).toBe(200);
      expect(await spacesOf('bob')).toEqual(['team-b:owner:manual']);
    } finally {
      for (const g of [LDAP_TREE.adminGroup, `cn=developers,${LDAP_TREE.groups}`])
        try {
          member(g === LDAP_TREE.adminGroup ? 'delete' : 'add', g, 'bob');
        } catch {
          // Already as it was.
        }
    }
    // The directory's role again once he is back in developers.
    expect((await signIn(s.url, 'bob', bob.password)).status).toBe(200);
    expect(await spacesOf('bob')).toEqual(['team-a:developer:ldap', 'team-b:owner:manual']);

    // erin is named by stream-team only: flink-dev (viewer) and data-platform (developer) through it,
    // the higher role wins; the space that does not exist is not made.
    const e = await signIn(s.url, 'erin', erin.password);
    expect(e.status).toBe(200);
    expect(await spacesOf('erin')).toEqual(['team-b:developer:ldap']);
    expect(await s.t.platform.spaces.store.space('no-such-space')).toBeUndefined();
    const me = (await (await fetch(`${s.url}/api/v1/me`, { headers: { cookie: cookieOf(e) } })).json()) as {
      spaces: unknown;
    };
    expect(me.spaces).toEqual([{ space: 'team-b', role: 'developer' }]);
  }, 120_000);

  it('sluice user sync: a group left takes its role and a user gone from the directory its token, without a sign-in; the audit keeps both', async () => {
    const dave = { uid: 'dave', password: "dave's directory password", cn: 'Dave Leaving' };
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-xdg-'));
    const env = { XDG_CONFIG_HOME: config, SLUICE_TOKEN: '' };
    // In stream-team, so developer of team-b through data-platform (see GROUP_ROLES).
    ldap.modify(addPersonLdif(dave, [LDAP_TREE.streamTeam]));
    try {
      const login = await runSluice(s.url, ['login', '--user', 'dave'], env, `${dave.password}\n`);
      expect(login.code, login.stderr).toBe(0);
      expect((await runSluice(s.url, ['whoami'], env)).code).toBe(0);
      expect((await s.t.platform.spaces.store.membershipsOf('dave')).map((m) => m.role)).toEqual([
        'developer',
      ]);

      ldap.modify(
        `dn: ${LDAP_TREE.streamTeam}\nchangetype: modify\ndelete: member\nmember: uid=dave,${LDAP_TREE.users}\n`,
      );
      const left = await runSluice(s.url, ['user', 'sync']);
      expect(left.code, left.stderr).toBe(0);
      expect(left.stderr).toContain('dave: not an admin, no role in team-b');
      expect(await s.t.platform.spaces.store.membershipsOf('dave')).toEqual([]);
      // A member's token still works (the user is still in the directory); a non-admin may not ask.
      const refused = await runSluice(s.url, ['user', 'sync'], env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/platform admins/);

      ldap.modify(removePersonLdif(dave.uid));
      const gone = await runSluice(s.url, ['user', 'sync', '--json']);
      expect(gone.code, gone.stderr).toBe(0);
      expect(JSON.parse(gone.stdout)).toMatchObject({ removed: ['dave'], kept: [] });
      const whoami = await runSluice(s.url, ['whoami'], env);
      expect(whoami.code).not.toBe(0);
      expect(whoami.stderr).toMatch(/401|sign in/i);
      expect((await runSluice(s.url, ['user', 'list'])).stdout).not.toMatch(/\ndave\s/);

      const records = await s.t.platform.store.audit.find(
        { operation: 'access.directorySync', resourceName: 'dave' },
        { limit: 10 },
      );
      expect(records.map((r) => [r.actor, r.after === null ? 'removed' : 'changed'])).toEqual([
        ['admin', 'removed'],
        ['admin', 'changed'],
      ]);
      expect(records[1]).toMatchObject({
        before: { name: 'dave', spaces: [{ space: 'team-b', role: 'developer', source: 'ldap' }] },
        after: { name: 'dave', spaces: [] },
      });
    } finally {
      fs.rmSync(config, { recursive: true, force: true });
      try {
        ldap.modify(removePersonLdif(dave.uid, [LDAP_TREE.streamTeam]));
      } catch {
        // Removed by the test.
      }
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

/**
 * StartTLS (SLUICE_LDAP_STARTTLS, SLUICE_LDAP_CA_FILE) against a slapd that takes binds over TLS only
 * (`security tls=1`), its certificate made by openssl in its folder: the server signs in with the
 * right CA, refuses plain binds and a wrong CA saying what to set, and health says the same.
 */
describe('LDAP sign-in over StartTLS', () => {
  let ldap: LdapServer;
  const started: Served[] = [];
  const serve = async (env: Record<string, string>, ca?: string) => {
    const settings = parseLdapSettings({ ...ldap.env, ...env }, undefined, { ca });
    const served = await servedPlatform({ config: { ldap: settings } });
    started.push(served);
    return served;
  };
  beforeAll(async () => {
    ldap = await startLdap({ requireTls: true });
  }, 300_000);
  afterAll(async () => {
    for (const served of started) await served.close();
    await ldap?.stop({ remove: true });
  });

  it('with the CA that signed the directory: signs in; with another CA or without StartTLS: a 503 naming what to set, in health too', async () => {
    const tls = ldap.tls!;
    const right = await serve(
      { SLUICE_LDAP_STARTTLS: 'true', SLUICE_LDAP_CA_FILE: tls.caFile },
      fs.readFileSync(tls.caFile, 'utf8'),
    );
    const ok = await signIn(right.url, 'alice', alice.password);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'alice', admin: true, source: 'ldap' });
    expect((await signIn(right.url, 'alice', bob.password)).status).toBe(401);

    const wrong = await serve(
      { SLUICE_LDAP_STARTTLS: 'true', SLUICE_LDAP_CA_FILE: tls.otherCaFile },
      fs.readFileSync(tls.otherCaFile, 'utf8'),
    );
    const refused = await signIn(wrong.url, 'alice', alice.password);
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('directory_unavailable');
    expect(body.error.message).toMatch(
      new RegExp(
        `^the TLS certificate of the LDAP directory at ${ldap.url} is not trusted \\(.+\\): nobody was signed in; give the certificate authority that signed it in SLUICE_LDAP_CA_FILE`,
      ),
    );
    const health = (await (
      await fetch(`${wrong.url}/api/v1/health`, { headers: authHeaders(wrong.url) })
    ).json()) as {
      directory: { ready: boolean; detail: string };
      warnings: { messageCode: string }[];
    };
    expect(health.directory.ready).toBe(false);
    expect(health.directory.detail).toContain('is not trusted');
    expect(health.warnings.map((w) => w.messageCode)).toContain('ldap.tlsRefused');

    const plain = await serve({});
    const noTls = await signIn(plain.url, 'alice', alice.password);
    expect(noTls.status).toBe(503);
    expect(((await noTls.json()) as { error: { message: string } }).error.message).toBe(
      `the LDAP directory at ${ldap.url} takes binds over TLS only (confidentiality required, LDAP result 13): nobody was signed in; set SLUICE_LDAP_STARTTLS=true to upgrade the connection (with SLUICE_LDAP_CA_FILE if its certificate is not signed by a system CA), or use an ldaps:// URL`,
    );
  }, 300_000);

  it('the server refuses to start with a CA file that is not there, or a mapping that gives no role, naming the variable', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-ldap-ca-'));
    try {
      const r = spawnSync(SLUICE, ['server', '--port', '0'], {
        env: {
          ...process.env,
          ...ldap.env,
          SLUICE_HOME: home,
          SLUICE_AUTO_START: 'false',
          SLUICE_LDAP_STARTTLS: 'true',
          SLUICE_LDAP_CA_FILE: path.join(home, 'no-such-ca.pem'),
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        `SLUICE_LDAP_CA_FILE: ${path.join(home, 'no-such-ca.pem')} cannot be read (ENOENT): give the path of a PEM file`,
      );
      const mapping = spawnSync(SLUICE, ['server', '--port', '0'], {
        env: {
          ...process.env,
          ...ldap.env,
          SLUICE_HOME: home,
          SLUICE_AUTO_START: 'false',
          SLUICE_LDAP_GROUP_ROLES: JSON.stringify({ [LDAP_TREE.flinkDev]: { 'team-a': 'superuser' } }),
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(mapping.status).not.toBe(0);
      expect(mapping.stderr).toContain(
        `SLUICE_LDAP_GROUP_ROLES: group '${LDAP_TREE.flinkDev}', space 'team-a': 'superuser' is not a role: give one of viewer, developer, owner`,
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
