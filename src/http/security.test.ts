import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type SluiceConfig } from '../application/config.ts';
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { buildServer } from './server.ts';
import { adminToken, injectWith } from '../../test/support/credentials.ts';

const SQL = `CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen');
CREATE TABLE sunk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;
`;

async function served(config: Partial<SluiceConfig> = {}) {
  const t = await testPlatform({ config });
  const app = await buildServer(t.platform);
  return { t, app, token: await adminToken(t.platform) };
}

/**
 * The security suite of issue 11 item 4 through fastify's inject (a real platform on SQLite, no
 * Flink): each attack is sent as a browser or a script would send it, and refused before any route
 * runs, so nothing changes; the requests Sluice's own clients send still pass.
 */
describe('requests prove where they come from', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let token: string;
  // As the first admin: this suite is about where requests come from, test/e2e/access.test.ts about who.
  const send = injectWith(
    () => app,
    () => ({ authorization: `Bearer ${token}` }),
  );
  const create = (name: string, headers: Record<string, string> = {}) =>
    send({ method: 'POST', url: '/api/v1/jobs', headers, payload: { name, sql: SQL } });
  const exists = async (name: string) =>
    (await send({ method: 'GET', url: `/api/v1/jobs/${name}` })).statusCode === 200;
  const versions = async (name: string) =>
    (await send({ method: 'GET', url: `/api/v1/jobs/${name}/versions` })).json() as { author: string }[];
  /** The author of what this suite's admin token does. */
  const byToken = async () => `admin (token ${(await t.platform.access.tokens('admin'))[0]!.id})`;

  beforeAll(async () => {
    ({ t, app, token } = await served());
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('refuses a state-changing request from another web site before its route runs', async () => {
    const refused = await create('evil', { origin: 'http://evil.example' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'forbidden',
      messageCode: 'request.originRefused',
      details: { origin: 'http://evil.example', method: 'POST' },
    });
    expect(refused.json().error.message).toBe(
      "POST /api/v1/jobs refused: it comes from a page of http://evil.example, not from this server's console (http://localhost:80). A web page of another site may not change anything here; if http://evil.example is a front-end you trust, add it to SLUICE_ALLOWED_ORIGINS.",
    );
    expect(await exists('evil')).toBe(false);

    // A job that exists is neither cancelled, nor changed, nor deleted from another site.
    expect((await create('kept')).statusCode).toBe(201);
    const evil = { origin: 'http://evil.example' };
    const cancel = await send({ method: 'POST', url: '/api/v1/jobs/kept/cancel', headers: evil });
    // 403, not the 409 of the lifecycle rule: the route was never reached.
    expect(cancel.statusCode).toBe(403);
    expect((await send({ method: 'GET', url: '/api/v1/jobs/kept/submissions' })).json()).toEqual([]);
    const patch = await send({
      method: 'PATCH',
      url: '/api/v1/jobs/kept',
      headers: evil,
      payload: { baseVersion: 1, message: 'pwned', description: 'pwned' },
    });
    expect(patch.statusCode).toBe(403);
    expect(await versions('kept')).toHaveLength(1);
    expect((await send({ method: 'DELETE', url: '/api/v1/jobs/kept', headers: evil })).statusCode).toBe(403);
    expect(await exists('kept')).toBe(true);

    // The same from a sandboxed frame (Origin: null), said only by the Referer, or only by Sec-Fetch-Site.
    for (const headers of [
      { origin: 'null' },
      { referer: 'http://evil.example/attack.html' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      // Another port of this machine is another origin (another local web app).
      { origin: 'http://localhost:3000' },
    ]) {
      const r = await send({
        method: 'PUT',
        url: '/api/v1/variables/planted',
        headers,
        payload: { value: 'x' },
      });
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json().error.message).toContain('SLUICE_ALLOWED_ORIGINS');
    }
    expect((await send({ method: 'GET', url: '/api/v1/variables/planted' })).statusCode).toBe(404);
    // Reads carry no CORS header: a page of another site cannot read the answer.
    const read = await send({ method: 'GET', url: '/api/v1/jobs', headers: evil });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("passes the console's own requests and those of clients that are not browsers", async () => {
    const own = await create('from-console', {
      origin: 'http://localhost:80',
      'sec-fetch-site': 'same-origin',
    });
    expect(own.statusCode, own.body).toBe(201);
    // The console seen through `npm run dev:web` (Vite's proxy keeps the browser's Host).
    const dev = await create('from-vite', { host: 'localhost:5173', origin: 'http://localhost:5173' });
    expect(dev.statusCode, dev.body).toBe(201);
    const ownByReferer = await create('by-referer', {
      host: '127.0.0.1:8080',
      referer: 'http://127.0.0.1:8080/jobs/new',
    });
    expect(ownByReferer.statusCode, ownByReferer.body).toBe(201);
    expect((await create('from-curl')).statusCode).toBe(201);
    // The author is who the credential proved, whatever page or program sent it.
    for (const name of ['from-console', 'from-vite', 'from-curl'])
      expect((await versions(name))[0]!.author, name).toBe(await byToken());
  });

  it('never takes a user header for the author', async () => {
    const forged = await create('forged', { 'x-sluice-user': 'root' });
    expect(forged.statusCode).toBe(201);
    expect((await versions('forged'))[0]!.author).toBe(await byToken());
    const copy = await send({
      method: 'POST',
      url: '/api/v1/jobs/forged/copy',
      headers: { 'x-sluice-user': 'ceo' },
      payload: { name: 'forged-copy' },
    });
    expect(copy.statusCode).toBe(201);
    expect((await versions('forged-copy'))[0]!.author).toBe(await byToken());
    // A claim that could fake the marking, or break a log line, is refused and saves nothing.
    for (const claim of ['alice (verified)', 'a\tb', 'x'.repeat(65)]) {
      const r = await create('bad-claim', { 'x-sluice-user': claim });
      expect(r.statusCode, claim).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'invalid_argument',
        messageCode: 'request.userClaimInvalid',
        details: { header: 'x-sluice-user' },
      });
    }
    expect(await exists('bad-claim')).toBe(false);
  });

  it('names the first admin when a CLI proves itself with the token file only its OS user can read', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const file = path.join(t.home, 'cli-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { port: number; token: string };
    expect(written).toEqual({ port, token: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Without an API token: the cli-token alone, as the CLI of the server's OS user sends it.
    const noToken = { authorization: '' };
    const proved = await create('proved', {
      ...noToken,
      'x-sluice-cli-token': written.token,
      'x-sluice-user': 'mallory',
    });
    expect(proved.statusCode, proved.body).toBe(201);
    // The token proves who can read the server's home (the first admin), whatever the claim says.
    expect((await versions('proved'))[0]!.author).toBe('admin (cli-token)');
    const wrong = await create('wrong-token', {
      ...noToken,
      'x-sluice-cli-token': '0'.repeat(64),
      'x-sluice-user': 'mallory',
    });
    expect(wrong.statusCode).toBe(401);
    // Sent over the network, a token proves nothing: it can only have leaked.
    const remote = await send({
      method: 'POST',
      url: '/api/v1/jobs',
      remoteAddress: '10.1.2.3',
      headers: { ...noToken, 'x-sluice-cli-token': written.token, 'x-sluice-user': 'mallory' },
      payload: { name: 'remote', sql: SQL },
    });
    expect(remote.statusCode).toBe(401);
    expect(await exists('remote')).toBe(false);
  });

  it('refuses a Host header it is not configured for (DNS rebinding)', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/jobs'],
      ['GET', '/api/v1/events'],
      ['GET', '/'],
      ['GET', '/jobs/kept'],
      ['GET', '/flink/local-1.20/jobs/overview'],
      ['POST', '/api/v1/jobs/kept/cancel'],
      ['OPTIONS', '/api/v1/jobs'],
    ] as const) {
      const r = await send({ method, url, headers: { host: 'evil.example:8080' } });
      expect(r.statusCode, `${method} ${url}`).toBe(421);
      expect(r.json().error).toMatchObject({
        code: 'misdirected',
        messageCode: 'request.hostRefused',
        details: { host: 'evil.example:8080' },
      });
    }
    const r = await send({ method: 'GET', url: '/api/v1/health', headers: { host: 'evil.example' } });
    expect(r.json().error.message).toBe(
      'Host evil.example is not a name this server answers to (a guard against DNS rebinding): open it as localhost or by an IP address, or add evil.example to SLUICE_ALLOWED_HOSTS when Sluice is reached under that name (a reverse proxy, a DNS name).',
    );
    for (const host of [
      'localhost:8080',
      'localhost',
      '127.0.0.1:9',
      '[::1]:8080',
      '10.0.0.7',
      'console.localhost:8080',
      'LOCALHOST',
    ])
      expect((await send({ method: 'GET', url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(
        200,
      );
    for (const host of ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'a b', 'x@localhost'])
      expect((await send({ method: 'GET', url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(
        421,
      );
  });

  it('answers OPTIONS by policy: what the path allows, and no cross-origin call by default', async () => {
    const plain = await send({ method: 'OPTIONS', url: '/api/v1/jobs/kept/cancel' });
    expect(plain.statusCode).toBe(204);
    expect(plain.headers.allow).toBe('OPTIONS, POST');
    expect((await send({ method: 'OPTIONS', url: '/api/v1/jobs/kept' })).headers.allow).toBe(
      'DELETE, GET, HEAD, OPTIONS, PATCH',
    );
    expect((await send({ method: 'OPTIONS', url: '/jobs/kept' })).headers.allow).toBe('GET, HEAD, OPTIONS');
    const unknown = await send({ method: 'OPTIONS', url: '/api/v1/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');

    const preflight = await send({
      method: 'OPTIONS',
      url: '/api/v1/jobs/kept/cancel',
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(403);
    expect(preflight.json().error).toMatchObject({
      code: 'forbidden',
      messageCode: 'request.preflightRefused',
    });
    expect(preflight.json().error.message).toContain('add it to SLUICE_ALLOWED_ORIGINS');
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('warns in /health only when the server listens beyond this machine', async () => {
    expect((await send({ method: 'GET', url: '/api/v1/health' })).json().warnings).toEqual([]);
    const open = await served({ host: '0.0.0.0' });
    try {
      const h = (await open.app.inject({ method: 'GET', url: '/api/v1/health' })).json();
      expect(h.warnings).toEqual([
        {
          message:
            'Sluice listens on 0.0.0.0, which other machines can reach, over plain HTTP: passwords, API tokens and session cookies would cross the network readable by anyone on the way. Put a reverse proxy that serves HTTPS in front of it, or listen on 127.0.0.1 (SLUICE_HOST or --host).',
          messageCode: 'server.exposedWithoutTls',
          messageParams: { host: '0.0.0.0' },
        },
      ]);
    } finally {
      await open.app.close();
      await open.t.close();
    }
  });
});

describe('trusted names and origins from the configuration', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let token: string;
  const send = injectWith(
    () => app,
    () => ({ authorization: `Bearer ${token}` }),
  );
  const ops = 'https://ops.example.com';

  beforeAll(async () => {
    const trusted = loadConfig({
      SLUICE_ALLOWED_HOSTS: 'sluice.example.com, .corp.example',
      SLUICE_ALLOWED_ORIGINS: `${ops}, http://localhost:5173`,
    });
    ({ t, app, token } = await served({
      allowedHosts: trusted.allowedHosts,
      allowedOrigins: trusted.allowedOrigins,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('serves the names of SLUICE_ALLOWED_HOSTS and no other', async () => {
    for (const [host, status] of [
      ['sluice.example.com', 200],
      ['sluice.example.com:443', 200],
      ['corp.example', 200],
      ['a.b.corp.example', 200],
      ['example.com', 421],
      ['evilcorp.example', 421],
    ] as const)
      expect((await send({ method: 'GET', url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(
        status,
      );
  });

  it('answers preflights of SLUICE_ALLOWED_ORIGINS with CORS headers, and lets them change things', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      url: '/api/v1/variables/from-ops',
      headers: {
        origin: ops,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': ops,
      'access-control-allow-methods': 'DELETE, GET, HEAD, PUT',
      'access-control-allow-headers': 'content-type, authorization',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const put = await send({
      method: 'PUT',
      url: '/api/v1/variables/from-ops',
      headers: { origin: ops, host: 'sluice.example.com' },
      payload: { value: 'v' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.headers['access-control-allow-origin']).toBe(ops);
    const other = await send({
      method: 'PUT',
      url: '/api/v1/variables/from-elsewhere',
      headers: { origin: 'https://ops.example.com.evil.example' },
      payload: { value: 'v' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses settings that would open the API to every site, or are not names and origins', () => {
    expect(() => loadConfig({ SLUICE_ALLOWED_ORIGINS: '*' })).toThrow(
      "SLUICE_ALLOWED_ORIGINS: '*' would let every web site change jobs here; list the origins of the front-ends you trust, such as https://ops.example.com",
    );
    expect(() => loadConfig({ SLUICE_ALLOWED_ORIGINS: 'https://ops.example.com/sluice' })).toThrow(
      "SLUICE_ALLOWED_ORIGINS: 'https://ops.example.com/sluice' is not an origin: give the scheme, host and port only, such as https://ops.example.com",
    );
    expect(() => loadConfig({ SLUICE_ALLOWED_ORIGINS: 'ops.example.com' })).toThrow(/is not an origin/);
    expect(() => loadConfig({ SLUICE_ALLOWED_HOSTS: 'sluice.example.com:443' })).toThrow(
      "SLUICE_ALLOWED_HOSTS: 'sluice.example.com:443' is not a host name: give the name alone (any port is served), such as sluice.example.com, or .example.com for its subdomains",
    );
    expect(() => loadConfig({ SLUICE_ALLOWED_HOSTS: 'http://x' })).toThrow(/is not a host name/);
  });
});
