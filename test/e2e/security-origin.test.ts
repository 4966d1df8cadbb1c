import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSluice } from '../support/cli.ts';
import { authHeaders, printedAdminPassword, rememberServerUserToken } from '../support/credentials.ts';
import { SHOTS } from '../support/console.ts';
import { clusterJvmsUnder } from '../support/jvms.ts';
import { clusterPorts, freePort } from '../support/ports.ts';
import { waitFor } from '../support/platform.ts';
import { homeFlinkFetch } from '../support/flink-tls.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

const SQL = `CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE sunk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;
`;

interface Server {
  base: string;
  home: string;
  port: number;
  log: () => string;
  /** The first admin's password, as it printed it once. */
  adminPassword: () => string;
  stop: () => Promise<void>;
}

/**
 * A real `sluice server` process in a home of its own, with an admin token remembered for it (made as
 * this OS user, through the home's cli-token); `stop` ends it (and its clusters) and removes nothing.
 */
async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-security-'));
  const port = await freePort();
  const logFile = path.join(home, 'server.log');
  const out = fs.openSync(logFile, 'a');
  let child: ChildProcess | undefined = spawn(SLUICE, ['server'], {
    env: { ...process.env, SLUICE_HOME: home, SLUICE_PORT: String(port), SLUICE_AUTO_START: 'false', ...env },
    stdio: ['ignore', out, out],
  });
  const stop = async () => {
    const c = child;
    child = undefined;
    if (c) {
      c.kill('SIGTERM');
      await new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
    }
    for (const pid of clusterJvmsUnder(path.join(home, 'clusters'))) process.kill(pid, 'SIGKILL');
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    // Its cli-token file is written once it listens: until then, no token can be made.
    await waitFor('the API', () => rememberServerUserToken(base, home).then(() => true), 30_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${fs.readFileSync(logFile, 'utf8')}`);
  }
  const log = () => fs.readFileSync(logFile, 'utf8');
  return { base, home, port, log, adminPassword: () => printedAdminPassword(logFile), stop };
}

/**
 * Issue 11 item 4 against a real `sluice server`, a real local Flink cluster, the real CLI and
 * Debian's Chromium: a page of another site tries to cancel a running job, a rebound DNS name tries to
 * read the API, and a caller claims to be someone else. Each attack worked before the fix. Every route
 * needs credentials now, so each attack is made as a signed-in user: the browser has a console session
 * (its cookie is SameSite=Strict, yet a page on another port of 127.0.0.1 is the same site), and the
 * API calls carry the admin's token; the origin checks still refuse, before credentials are looked at.
 */
describe('a real server knows where requests come from', () => {
  let s: Server;
  let browser: Browser;
  let page: Page;
  let evil: http.Server;
  let evilPort: number;
  /** The API with the admin's token (`headers` add to it). */
  const api = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${s.base}/api/v1${p}`, {
      method,
      headers: {
        ...authHeaders(s.base),
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const job = async () => (await api('GET', '/jobs/guarded')).body as { state: string; flinkJobId: string };
  /**
   * The CLI of this user: with the server's home it can read the cli-token file, without it it
   * cannot; with `token` it sends the admin's API token instead (and proves no OS user).
   */
  const sluice = (args: string[], withHome: boolean, token = false) =>
    runSluice(s.base, args, {
      SLUICE_HOME: withHome ? s.home : path.join(s.home, 'elsewhere'),
      ...(token ? {} : { SLUICE_TOKEN: '' }),
    });
  /** Signs the browser in to `server` as the first admin: the session cookie is the browser's. */
  const signIn = async (server: Server) => {
    const r = await page.request.post(`${server.base}/api/v1/session`, {
      data: { name: 'admin', password: server.adminPassword() },
    });
    expect(r.status(), await r.text()).toBe(200);
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    s = await startServer();
    expect((await api('POST', '/engines', { home: inject('engineHome') })).status).toBe(201);
    const cluster = await api('PUT', '/targets/local-1.20', {
      engineVersion: '1.20',
      ...(await clusterPorts()),
      taskManagerMemory: '1280m',
    });
    expect(cluster.status, JSON.stringify(cluster.body)).toBeLessThan(300);
    const sqlFile = path.join(s.home, 'guarded.sql');
    fs.writeFileSync(sqlFile, SQL);
    const created = await sluice(['job', 'create', '--name', 'guarded', '--sql-file', sqlFile], true);
    expect(created.code, created.stderr).toBe(0);
    const started = await sluice(['job', 'start', 'guarded'], true);
    expect(started.code, started.stderr).toBe(0);
    expect((await job()).state).toBe('RUNNING');

    // A web site of its own on this machine: another origin (another port), as an attacker's page is.
    evilPort = await freePort();
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>free kittens</title><p>kittens</p>`);
    });
    await new Promise<void>((r) => evil.listen(evilPort, '127.0.0.1', r));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        // DNS rebinding without DNS: the attacker's name resolves to this machine.
        '--host-resolver-rules=MAP evil.example 127.0.0.1',
      ],
    });
    page = await browser.newPage();
    await signIn(s);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (evil ? evil.close(r) : r(null)));
    await s?.stop();
    if (s) fs.rmSync(s.home, { recursive: true, force: true });
  });

  it('a page of another site cannot cancel a running job of a signed-in browser (the browser sends it, Sluice refuses it)', async () => {
    const cookies = await page.context().cookies(s.base);
    expect(cookies).toContainEqual(
      expect.objectContaining({ name: 'sluice_session', httpOnly: true, sameSite: 'Strict' }),
    );
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    const refused: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/v1/jobs/guarded/cancel')) refused.push(r.status());
    });
    const outcome = await page.evaluate(async (target) => {
      const said: string[] = [];
      // The classic forged request: no preflight, the answer unreadable, the side effect the point;
      // with the browser's cookies, as a form's POST would send them.
      await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include' }).then(
        (r) => said.push(`no-cors: ${r.type}`),
        (e: Error) => said.push(`no-cors: ${e.message}`),
      );
      // A JSON request needs a preflight, which Sluice refuses: the browser never sends it.
      await fetch(target, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then(
        (r) => said.push(`cors: ${r.status}`),
        (e: Error) => said.push(`cors: ${e.message}`),
      );
      return said;
    }, `${s.base}/api/v1/jobs/guarded/cancel`);
    expect(outcome).toEqual(['no-cors: opaque', 'cors: Failed to fetch']);
    // The one request that left the browser was answered 403 before any route ran: by the origin
    // check, not for want of credentials (that would be 401), so no session cookie would let it pass.
    await waitFor('the refusal seen', async () => refused.length > 0, 10_000);
    expect(refused).toEqual([403]);
    await new Promise((r) => setTimeout(r, 2_000));
    const after = await job();
    expect(after.state).toBe('RUNNING');
    const restUrl = ((await api('GET', '/targets/local-1.20')).body as { restUrl: string }).restUrl;
    const flink = (await homeFlinkFetch(s.home)(`${restUrl}/jobs/${after.flinkJobId}`).then((r) =>
      r.json(),
    )) as {
      state: string;
    };
    expect(flink.state).toBe('RUNNING');
    const kinds = ((await api('GET', '/jobs/guarded/submissions')).body as unknown as { kind: string }[]).map(
      (x) => x.kind,
    );
    expect(kinds).toEqual(['start']);
    // What a script would send in the browser's name, with a valid API token, is refused the same
    // way, with the setting to use.
    const direct = await api('POST', '/jobs/guarded/cancel', undefined, {
      origin: `http://127.0.0.1:${evilPort}`,
    });
    expect(direct.status).toBe(403);
    expect((direct.body.error as { message: string }).message).toContain('add it to SLUICE_ALLOWED_ORIGINS');
    const preflight = await fetch(`${s.base}/api/v1/jobs/guarded/cancel`, {
      method: 'OPTIONS',
      headers: { origin: `http://127.0.0.1:${evilPort}`, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(`${s.base}/api/v1/jobs/guarded/cancel`, { method: 'OPTIONS' });
    expect([plain.status, plain.headers.get('allow')]).toEqual([204, 'OPTIONS, POST']);
  });

  it('a name rebound to this machine reads nothing: its Host is refused (421)', async () => {
    const ui = await page.goto(`http://evil.example:${s.port}/`);
    expect(ui!.status()).toBe(421);
    const jobs = await page.goto(`http://evil.example:${s.port}/api/v1/jobs`);
    expect(jobs!.status()).toBe(421);
    const text = await page.locator('body').innerText();
    expect(text).toContain('add evil.example to SLUICE_ALLOWED_HOSTS');
    expect(text).not.toContain('guarded');
    await page.screenshot({ path: path.join(SHOTS, 'security-rebinding-refused.png') });
    // Even the page's own (same-origin, to the browser) change is refused.
    const cancel = await page.evaluate(
      (target) => fetch(target, { method: 'POST' }).then((r) => r.status),
      `http://evil.example:${s.port}/api/v1/jobs/guarded/cancel`,
    );
    expect(cancel).toBe(421);
    expect((await job()).state).toBe('RUNNING');
  });

  it("the console's own pages (signed in) still change things, recorded as the user's console session", async () => {
    await page.goto(`${s.base}/`);
    const copied = await page.evaluate(() =>
      fetch('/api/v1/jobs/guarded/copy', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'from-console' }),
      }).then((r) => r.status),
    );
    expect(copied).toBe(201);
    const v = (await api('GET', '/jobs/from-console/versions')).body as unknown as { author: string }[];
    expect(v.map((x) => x.author)).toEqual(['admin (console)']);
  });

  it('the author is the user a credential proved and how, never what a caller claims', async () => {
    const file = path.join(s.home, 'cli-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { token, port } = JSON.parse(fs.readFileSync(file, 'utf8')) as { token: string; port: number };
    expect(port).toBe(s.port);
    const tokens = (await api('GET', '/tokens')).body as unknown as { id: string }[];
    const byToken = `admin (token ${tokens[0]!.id})`;

    const versions = async (name: string) =>
      ((await api('GET', `/jobs/${name}/versions`)).body as unknown as { author: string }[]).map(
        (x) => x.author,
      );
    const subs = (
      (await api('GET', '/jobs/guarded/submissions')).body as unknown as { author: string }[]
    ).map((x) => x.author);
    // The CLI with the server's home proved itself with the cli-token: the first admin.
    expect(await versions('guarded')).toEqual(['admin (cli-token)']);
    expect(subs).toEqual(['admin (cli-token)']);
    const events = (await api('GET', '/jobs/guarded/events')).body as unknown as { reason: string }[];
    expect(events.map((e) => e.reason)).toContain('start requested by admin (cli-token) (submission #1)');

    // The same CLI without the server's home and without a token is not let in at all ...
    const refused = await sluice(['job', 'copy', 'guarded', 'by-nobody'], false);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('needs credentials: send an API token');
    expect((await api('GET', '/jobs/by-nobody')).status).toBe(404);
    // ... and with an API token it is the token's user, by that token (its OS user is only a claim).
    const unproved = await sluice(['job', 'copy', 'guarded', 'by-claim'], false, true);
    expect(unproved.code, unproved.stderr).toBe(0);
    expect(await versions('by-claim')).toEqual([byToken]);
    const listed = await sluice(['job', 'versions', 'by-claim'], false, true);
    expect(listed.stdout).toContain(byToken);

    // Whoever a caller claims to be, the record says what was proved.
    const forged = await api('POST', '/jobs/guarded/copy', { name: 'forged' }, { 'x-sluice-user': 'ceo' });
    expect(forged.status).toBe(201);
    expect(await versions('forged')).toEqual([byToken]);
    const proved = await api(
      'POST',
      '/jobs/guarded/copy',
      { name: 'proved' },
      { authorization: '', 'x-sluice-user': 'ceo', 'x-sluice-cli-token': token },
    );
    expect(proved.status).toBe(201);
    expect(await versions('proved')).toEqual(['admin (cli-token)']);
  });

  it('warns loudly at start, in /health and atop every console page when it listens beyond this machine', async () => {
    expect((await api('GET', '/health')).body.warnings).toEqual([]);
    expect(s.log()).not.toContain('server.exposedWithoutTls');
    const healthRead = page.waitForResponse((r) => r.url().endsWith('/api/v1/health'));
    await page.goto(`${s.base}/jobs`);
    await healthRead;
    await page.getByRole('menuitem', { name: 'Jobs' }).waitFor();
    expect(await page.getByTestId('server-warning').count()).toBe(0);
    const open = await startServer({ SLUICE_HOST: '0.0.0.0' });
    try {
      // Said to nobody too: whoever reaches it should know (once its Alertmanager, started as the API
      // answers, is up: until then that is a warning of its own).
      type Health = { warnings: { messageCode: string; message: string }[] };
      let health: Health | undefined;
      await waitFor('the exposure warning alone in /health', async () => {
        health = (await fetch(`${open.base}/api/v1/health`).then((r) => r.json())) as Health;
        return health.warnings.every((w) => w.messageCode !== 'alertmanager.starting');
      });
      expect(health!.warnings.map((w) => w.messageCode)).toEqual(['server.exposedWithoutTls']);
      // The console's pages need a session (the cookie is per host, not per port: this replaces s's).
      await signIn(open);
      await page.goto(`${open.base}/jobs`);
      const banner = page.getByTestId('server-warning');
      await banner.waitFor();
      expect(await banner.textContent()).toBe(health!.warnings[0]!.message);
      const warned = open
        .log()
        .split('\n')
        .filter((l) => l.includes('server.exposedWithoutTls'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(warned).toEqual([
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(
            /^Sluice listens on 0\.0\.0\.0, which other machines can reach, over plain HTTP: passwords, API tokens/,
          ),
        }),
      ]);
    } finally {
      await open.stop();
      fs.rmSync(open.home, { recursive: true, force: true });
    }
  });

  it('takes its token file away when it stops', async () => {
    const file = path.join(s.home, 'cli-token');
    expect(fs.existsSync(file)).toBe(true);
    await browser.close();
    await s.stop();
    expect(fs.existsSync(file)).toBe(false);
  });
});
