import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenIdProvider } from '../../src/adapters/identity/openid-provider.ts';
import { AccessService } from '../../src/application/access-service.ts';
import { parseOidcSettings } from '../../src/domain/access/oidc-settings.ts';
import { SluiceError } from '../../src/domain/errors.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { launchChromium, SHOTS } from '../support/console.ts';
import { authHeaders } from '../support/credentials.ts';
import {
  OIDC_CLIENT,
  OIDC_EXPIRED_CLIENT,
  OIDC_PEOPLE,
  startOidcProvider,
  type OidcServer,
} from '../support/oidc.ts';
import { freshStore } from '../support/stores.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;
type Person = (typeof OIDC_PEOPLE)[keyof typeof OIDC_PEOPLE];
const { carol, dave, mallory } = OIDC_PEOPLE;
const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(30_000) });
const cookieOf = (r: Response, name: string) =>
  new RegExp(`${name}=[^;]*`).exec(
    r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '',
  )?.[0] ?? '';
const located = (r: Response, base: string) => {
  expect([302, 303], `${r.url}: ${r.status}`).toContain(r.status);
  return new URL(r.headers.get('location')!, base).href;
};

/**
 * The provider's side of a sign-in, as a browser does it over HTTP: from its authorization URL to its
 * login page, the form posted with the person's password, and its redirects back to where it sends
 * the browser: the callback URL with the code and state.
 */
async function atProvider(authorizationUrl: string, person: Person): Promise<URL> {
  const login = located(await get(authorizationUrl), authorizationUrl);
  const page = await (await get(login)).text();
  const id = /name="id" value="([^"]+)"/.exec(page)?.[1];
  expect(id, page).toBeDefined();
  const posted = await fetch(new URL('/login/username', login), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id: id!, username: person.username, password: person.password }),
  });
  let next = located(posted, login);
  // The provider's own redirects until it leaves for the client's redirect URI.
  while (new URL(next).origin === new URL(authorizationUrl).origin) next = located(await get(next), next);
  return new URL(next);
}

/** A sign-in started at Sluice: the provider's callback URL for `person` and the flow cookie Sluice set. */
async function startedAndSignedIn(base: string, person: Person): Promise<{ callback: URL; flow: string }> {
  const start = await get(`${base}/api/v1/auth/oidc/start?next=/jobs`);
  expect(start.status).toBe(302);
  const flow = cookieOf(start, 'sluice_oidc');
  expect(start.headers.getSetCookie().join()).toMatch(
    /sluice_oidc=[^;]+; HttpOnly; SameSite=Lax; Path=\/api\/v1\/auth\/oidc; Max-Age=600/,
  );
  const callback = await atProvider(start.headers.get('location')!, person);
  expect(callback.origin + callback.pathname).toBe(`${base}/api/v1/auth/oidc/callback`);
  return { callback, flow };
}

/**
 * Sign-in to the console through OpenID Connect (issue 15, item 1) against a real provider this file
 * runs (test/support/oidc.ts: zitadel/oidc's op package built from its Go module), over HTTP and in
 * the console; refusals (state, replayed code, expired and badly signed ID tokens) open no session;
 * then the provider stops and sign-in says so.
 */
describe('OpenID Connect sign-in', () => {
  let provider: OidcServer;
  let s: Served;
  beforeAll(async () => {
    provider = await startOidcProvider();
    s = await servedPlatform({ config: { oidc: provider.settings } });
  }, 600_000);
  afterAll(async () => {
    await s?.close();
    await provider?.stop();
  });

  it('the admin-group user signs in: made at its first sign-in with source oidc, admin by its group, a session like a password one', async () => {
    const { callback, flow } = await startedAndSignedIn(s.url, carol);
    const done = await get(callback.href, { cookie: flow });
    expect(done.status, await done.clone().text()).toBe(303);
    expect(done.headers.get('location')).toBe('/jobs');
    expect(done.headers.getSetCookie().join('\n')).toMatch(
      /sluice_oidc=; HttpOnly; SameSite=Lax; Path=\/api\/v1\/auth\/oidc; Max-Age=0/,
    );
    const session = cookieOf(done, 'sluice_session');
    expect(done.headers.getSetCookie().join('\n')).toMatch(
      /sluice_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//,
    );
    const cookie = { cookie: session };
    expect(await (await get(`${s.url}/api/v1/me`, cookie)).json()).toEqual({
      name: 'carol',
      admin: true,
      source: 'oidc',
      scopes: ['read', 'write'],
      via: 'session',
      // A user the provider makes is a member of no space until an owner adds it (an admin needs none).
      spaces: [],
    });
    const users = (await (await get(`${s.url}/api/v1/users`, cookie)).json()) as {
      name: string;
      source: string;
    }[];
    expect(users.map((u) => `${u.name}:${u.source}`)).toEqual(['admin:local', 'carol:oidc']);
    // Her API token, made from her console session, works as a local user's; whoami says the source.
    const made = await fetch(`${s.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { ...cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'laptop' }),
    });
    expect(made.status).toBe(201);
    const { secret } = (await made.json()) as { secret: string };
    const whoami = await runSluice(s.url, ['whoami'], { SLUICE_TOKEN: secret, XDG_CONFIG_HOME: os.tmpdir() });
    expect(whoami.stdout, whoami.stderr).toBe(
      'carol (platform admin) from OpenID Connect via token, may read and write\n',
    );
    // Health names the provider to a signed-in caller, only its name and state to anyone else.
    const health = (await (await get(`${s.url}/api/v1/health`, authHeaders(s.url))).json()) as {
      oidc: unknown;
    };
    expect(health.oidc).toEqual({
      name: 'Test Provider',
      issuer: provider.issuer,
      ready: true,
      detail: null,
    });
    const anonymous = (await (await get(`${s.url}/api/v1/health`)).json()) as { oidc: unknown };
    expect(anonymous.oidc).toEqual({ name: 'Test Provider', issuer: null, ready: true, detail: null });
    // The provider's user has no password in Sluice, and none can be set.
    const password = await s.t.platform.access
      .addUser({ name: 'carol', admin: false, password: 'a local password' })
      .catch((e: unknown) => e);
    expect(String(password)).toContain(
      "user carol signs in through OpenID Connect: its password is the provider's",
    );
    const local = await fetch(`${s.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'carol', password: carol.password }),
    });
    expect(local.status).toBe(401);
  }, 120_000);

  it('a user outside the admin group is no admin; a second sign-in makes no second user', async () => {
    const { callback, flow } = await startedAndSignedIn(s.url, dave);
    const done = await get(callback.href, { cookie: flow });
    expect(done.status).toBe(303);
    const cookie = { cookie: cookieOf(done, 'sluice_session') };
    expect(await (await get(`${s.url}/api/v1/me`, cookie)).json()).toMatchObject({
      name: 'dave',
      admin: false,
      source: 'oidc',
    });
    expect((await get(`${s.url}/api/v1/users`, cookie)).status).toBe(403);
    const again = await startedAndSignedIn(s.url, dave);
    expect((await get(again.callback.href, { cookie: again.flow })).status).toBe(303);
    expect((await s.t.platform.access.users()).filter((u) => u.name === 'dave')).toHaveLength(1);
    // Another account of the provider whose name claim is DAVE is not dave: the user is bound to its subject.
    const other = await startedAndSignedIn(s.url, mallory);
    const refused = await get(other.callback.href, { cookie: other.flow });
    expect(refused.status).toBe(409);
    expect(cookieOf(refused, 'sluice_session')).toBe('');
    expect(await refused.json()).toMatchObject({
      error: {
        code: 'conflict',
        messageCode: 'oidc.subjectChanged',
        message: expect.stringMatching(
          /^user dave of Sluice was made by another OpenID Connect identity than subject 'subject-mallory-3'/,
        ),
      },
    });
    expect((await s.t.platform.access.user('dave'))?.admin).toBe(false);
  }, 120_000);

  it('a wrong state, a missing sign-in cookie and a replayed code are refused and open no session', async () => {
    const { callback, flow } = await startedAndSignedIn(s.url, carol);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'a-state-this-browser-never-sent');
    const wrong = await get(forged.href, { cookie: flow });
    expect(wrong.status).toBe(400);
    expect(cookieOf(wrong, 'sluice_session')).toBe('');
    expect(await wrong.json()).toMatchObject({
      error: {
        code: 'invalid_argument',
        messageCode: 'oidc.stateMismatch',
        message: expect.stringMatching(/^this sign-in's state is not the one this browser started with/),
      },
    });
    const noCookie = await get(callback.href);
    expect(noCookie.status).toBe(400);
    expect(((await noCookie.json()) as { error: { messageCode: string } }).error.messageCode).toBe(
      'oidc.noFlow',
    );
    // A changed cookie is no cookie of this server's.
    const changed = await get(callback.href, { cookie: flow.slice(0, -4) + 'AAAA' });
    expect(((await changed.json()) as { error: { messageCode: string } }).error.messageCode).toBe(
      'oidc.noFlow',
    );
    // The genuine answer works once; the same code again is refused by the provider.
    expect((await get(callback.href, { cookie: flow })).status).toBe(303);
    const replay = await get(callback.href, { cookie: flow, accept: 'text/html' });
    expect(replay.status).toBe(401);
    expect(cookieOf(replay, 'sluice_session')).toBe('');
    expect(replay.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await replay.text()).toMatch(
      /<p data-testid="oidc-error">the OpenID Connect provider http:\/\/127\.0\.0\.1:\d+ refused the sign-in \(invalid_grant/,
    );
    // Each end of a sign-in is in the audit log: who, whether it opened a session, and why not.
    const audit = await s.t.platform.store.audit.find({ operation: 'access.oidcCallback' }, { limit: 4 });
    expect(audit.slice(0, 4).map((e) => [e.status, e.errorCode, e.resourceName])).toEqual([
      [401, null, null],
      [303, null, 'carol'],
      [400, 'invalid_argument', null],
      [400, 'invalid_argument', null],
    ]);
  }, 120_000);

  it("an ID token issued expired, one whose signature the JWKS does not verify, and a local user's name are refused", async () => {
    const store = await freshStore('sqlite');
    const badKeys = await startOidcProvider({ wrongKeys: true });
    try {
      const redirectUri = 'http://127.0.0.1:1/api/v1/auth/oidc/callback';
      const cases = [
        {
          env: {
            ...provider.env,
            SLUICE_OIDC_CLIENT_ID: OIDC_EXPIRED_CLIENT.id,
            SLUICE_OIDC_CLIENT_SECRET: OIDC_EXPIRED_CLIENT.secret,
          },
          detail:
            /failed a check \(JWT timestamp claim value failed validation: unexpected JWT "exp" \(expiration time\) claim value, expiration is past/,
        },
        {
          env: badKeys.env,
          detail: /failed a check \(invalid response encountered: JWT signature verification failed\)/,
        },
      ];
      for (const c of cases) {
        const settings = parseOidcSettings(c.env)!;
        const access = new AccessService(store.access, undefined, null, {
          provider: new OpenIdProvider(settings),
          settings,
        });
        const started = await access.oidcStart(redirectUri, '/jobs');
        const callback = await atProvider(started.url, carol);
        const refused = await access.oidcFinish(callback, started.flow).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SluiceError);
        expect((refused as SluiceError).code).toBe('unauthenticated');
        expect((refused as SluiceError).text?.code).toBe('oidc.tokenRefused');
        expect((refused as SluiceError).message).toMatch(c.detail);
      }
      expect((await store.access.users()).map((u) => u.name)).not.toContain('carol');
      // A name a local user has is refused, never merged with it.
      const access = new AccessService(store.access, undefined, null, {
        provider: new OpenIdProvider(provider.settings),
        settings: provider.settings,
      });
      await access.addUser({ name: 'carol', admin: false, password: 'a local password of hers' });
      const started = await access.oidcStart(redirectUri, '/jobs');
      const taken = await access
        .oidcFinish(await atProvider(started.url, carol), started.flow)
        .catch((e: unknown) => e);
      expect((taken as SluiceError).code).toBe('conflict');
      expect((taken as SluiceError).message).toMatch(
        /^user carol of Sluice signs in as a local user: the OpenID Connect user whose preferred_username is carol cannot sign in as it/,
      );
      expect((await store.access.user('carol'))?.source).toBe('local');
    } finally {
      await badKeys.stop();
      await store.close();
    }
  }, 120_000);

  it('the console: "Sign in with" the provider, its login page, and back signed in', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${s.url}/jobs`);
      await page.waitForURL(/\/sign-in/);
      await page.getByTestId('sign-in-oidc').click();
      await page.waitForURL((u) => u.href.startsWith(provider.issuer));
      await page.locator('#username').fill('carol');
      await page.locator('#password').fill(carol.password);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL(/\/jobs$/);
      await expect.poll(() => page.getByTestId('signed-in-user').innerText()).toBe('carol');
      await expect.poll(() => page.getByTestId('signed-in-source').innerText()).toBe('OIDC');
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'oidc-signed-in.png') });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('a stopped provider: starting a sign-in is a 503 naming it, health says it; local users still sign in', async () => {
    await provider.stop();
    const r = await get(`${s.url}/api/v1/auth/oidc/start`);
    expect(r.status).toBe(503);
    expect(cookieOf(r, 'sluice_oidc')).toBe('');
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('provider_unavailable');
    expect(body.error.message).toMatch(
      new RegExp(
        `^the OpenID Connect provider ${provider.issuer} does not answer \\(.*ECONNREFUSED.*\\): check that it runs`,
      ),
    );
    const health = (await (await get(`${s.url}/api/v1/health`, authHeaders(s.url))).json()) as {
      oidc: { ready: boolean; detail: string };
      warnings: { messageCode: string }[];
    };
    expect(health.oidc).toMatchObject({ issuer: provider.issuer, ready: false });
    expect(health.oidc.detail).toContain(`the OpenID Connect provider ${provider.issuer} does not answer`);
    expect(health.warnings.map((w) => w.messageCode)).toContain('oidc.unavailable');
    const anonymous = (await (await get(`${s.url}/api/v1/health`)).json()) as {
      oidc: unknown;
      warnings: { messageCode: string }[];
    };
    expect(anonymous.oidc).toEqual({ name: 'Test Provider', issuer: null, ready: false, detail: null });
    expect(anonymous.warnings.map((w) => w.messageCode)).not.toContain('oidc.unavailable');
    await s.t.platform.access.addUser({ name: 'erin', admin: false, password: 'erin’s local password' });
    const local = await fetch(`${s.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'erin', password: 'erin’s local password' }),
    });
    expect(local.status).toBe(200);
  }, 120_000);

  it('the server refuses to start on an OIDC setting that cannot work, naming the variable', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-oidc-bad-'));
    try {
      const r = spawnSync(SLUICE, ['server', '--port', '0'], {
        env: {
          ...process.env,
          SLUICE_HOME: home,
          SLUICE_AUTO_START: 'false',
          SLUICE_OIDC_ISSUER: 'http://login.example.com',
          SLUICE_OIDC_CLIENT_ID: OIDC_CLIENT.id,
          SLUICE_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.signal).toBeNull();
      expect(r.stderr).toContain("SLUICE_OIDC_ISSUER: 'http://login.example.com' is not an issuer URL");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});

/**
 * The provider's groups give roles in spaces (SLUICE_OIDC_GROUP_ROLES): set at every sign-in from the
 * groups claim as it is then (the provider is started again, as the same issuer, with other groups),
 * roles set by hand kept, and the audit record of the sign-in says what changed.
 */
describe('OpenID Connect groups → roles in spaces', () => {
  let provider: OidcServer;
  let s: Served;
  const GROUP_ROLES = {
    developers: { 'team-a': 'developer' },
    'sluice-admins': { 'team-a': 'owner', 'team-b': 'viewer' },
  };
  beforeAll(async () => {
    provider = await startOidcProvider();
    const settings = parseOidcSettings({
      ...provider.env,
      SLUICE_OIDC_GROUP_ROLES: JSON.stringify(GROUP_ROLES),
    })!;
    s = await servedPlatform({ config: { oidc: settings } });
    for (const space of ['team-a', 'team-b']) await s.t.platform.spaces.create(space, 'admin');
  }, 600_000);
  afterAll(async () => {
    await s?.close();
    await provider?.stop();
  });

  const signedIn = async (person: Person) => {
    const { callback, flow } = await startedAndSignedIn(s.url, person);
    const done = await get(callback.href, { cookie: flow });
    expect(done.status, await done.clone().text()).toBe(303);
  };
  const spacesOf = async (user: string) =>
    (await s.t.platform.spaces.store.membershipsOf(user)).map((m) => `${m.space}:${m.role}:${m.source}`);
  /** The provider again on its port (the same issuer, so users keep their subject), with other groups. */
  const restartWith = async (groups: Partial<Record<keyof typeof OIDC_PEOPLE, string[]>>) => {
    const port = Number(new URL(provider.issuer).port);
    await provider.stop();
    provider = await startOidcProvider({ port, groups });
  };

  it('each sign-in sets the roles its groups give (the highest wins), keeps those set by hand, and the audit shows the change', async () => {
    await signedIn(carol);
    expect(await spacesOf('carol')).toEqual(['team-a:owner:oidc', 'team-b:viewer:oidc']);
    await signedIn(dave);
    expect(await spacesOf('dave')).toEqual(['team-a:developer:oidc']);
    await s.t.platform.spaces.setMember('team-b', 'dave', 'viewer');

    await restartWith({ dave: ['developers', 'sluice-admins'] });
    await signedIn(dave);
    // Owner of team-a (admin group over developers); team-b stays as it was set by hand.
    expect(await spacesOf('dave')).toEqual(['team-a:owner:oidc', 'team-b:viewer:manual']);
    const [record] = await s.t.platform.store.audit.find(
      { resourceKind: 'session', resourceName: 'dave' },
      { limit: 1 },
    );
    expect(record).toMatchObject({
      operation: 'access.oidcCallback',
      status: 303,
      before: {
        name: 'dave',
        admin: false,
        spaces: [
          { space: 'team-a', role: 'developer', source: 'oidc' },
          { space: 'team-b', role: 'viewer', source: 'manual' },
        ],
      },
      after: {
        name: 'dave',
        admin: true,
        spaces: [
          { space: 'team-a', role: 'owner', source: 'oidc' },
          { space: 'team-b', role: 'viewer', source: 'manual' },
        ],
      },
    });

    // No group any more: the provider's roles go, the one set by hand stays.
    await restartWith({ dave: [] });
    await signedIn(dave);
    expect(await spacesOf('dave')).toEqual(['team-b:viewer:manual']);
    expect((await s.t.platform.access.user('dave'))?.admin).toBe(false);
  }, 300_000);
});
