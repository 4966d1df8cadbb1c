import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import tls from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFlinkRestTls, type FlinkRestTls } from '../../src/adapters/flink/local-cluster/rest-tls.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';
import { createClient } from '../../src/client/index.ts';
import { servedPlatform } from '../support/cli.ts';
import { CLICKS, collectDebugRun, expectClickCounts } from '../support/debug-runs.ts';
import { authHeaders } from '../support/credentials.ts';
import { flinkFetch } from '../support/flink-tls.ts';
import { callApi } from '../support/http.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { clusterJvmsUnder } from '../support/jvms.ts';

const SQL = `CREATE TABLE ticks (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE sunk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;`;
const APP = 'local-application-1.20';
const COUNTS = `CREATE TABLE clicks (user_id INT, url STRING) WITH ('connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'json');
CREATE TABLE counts (user_id INT, clicks BIGINT, PRIMARY KEY (user_id) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = '127.0.0.1:1', 'key.format' = 'json', 'value.format' = 'json');
INSERT INTO counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;`;

/** What a caller other than Sluice gets: an HTTP status if Flink answered it, else how the connection failed. */
function knock(url: string, identity: { pfx: Buffer; passphrase: string } | null): Promise<string> {
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false, ...(identity ?? {}) }, (res) => {
      res.resume();
      resolve(`HTTP ${res.statusCode}`);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? ''} ${e.message}`));
  });
}

/** A TLS handshake with a port: 'connected', or how it failed. */
function handshake(port: number, identity: { pfx: Buffer; passphrase: string } | null): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(identity ?? {}) });
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
    // In TLS 1.2 the server judges the client's certificate before the handshake ends.
    socket.once('secureConnect', () => {
      socket.end();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? ''} ${e.message}`));
  });
}

/** A plain HTTP request: its status, where it is sent on, and what came with it. */
function plainKnock(url: string): Promise<{ status: number; location: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? '', body }),
        );
      })
      .on('error', reject);
  });
}

/** curl as another local user would run it: its exit code and the HTTP status it saw (000: none). */
function curl(...args: string[]): { exit: number | null; status: string } {
  const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', ...args], {
    encoding: 'utf8',
  });
  return { exit: r.status, status: r.stdout.trim() };
}

/**
 * Flink's own doors on real Flink 1.20: the local clusters Sluice starts (a session cluster with its SQL
 * Gateway, and a job's own application cluster) serve their REST endpoints over TLS with mutual
 * authentication, with keys the platform makes in its home. Jobs run end to end through Sluice (its
 * REST client, SQL Gateway client and Flink UI proxy knock with the home's key), while a caller without
 * that key, with a key of another CA, or in plain HTTP gets no answer from Flink.
 */
describe("Flink's own doors: TLS with mutual authentication on local clusters", () => {
  let s: Awaited<ReturnType<typeof servedPlatform>>;
  let t: TestPlatform;
  let keys: FlinkRestTls;
  let restUrl: string;
  let gatewayUrl: string;
  let stranger: FlinkRestTls;
  const api = (method: string, p: string, body?: unknown) => callApi(s.url, method, p, body);
  const stateOf = async (job: string) => (await api('GET', `/jobs/${job}`)).json().state;

  /** Every way in that is not Sluice's is refused before Flink answers; Sluice's key gets an answer. */
  const refusesStrangers = async (url: string) => {
    const port = new URL(url).port;
    const strangerKey = { pfx: fs.readFileSync(stranger.keystore), passphrase: stranger.password };
    const ownKey = { pfx: fs.readFileSync(keys.keystore), passphrase: keys.password };
    // TLS without a client certificate (and not even checking the server's): the handshake fails.
    expect(await knock(url, null)).toMatch(/^refused/);
    // A certificate of another CA, say another user's Sluice home: refused too.
    expect(await knock(url, strangerKey)).toMatch(/^refused/);
    // With the home's key Flink answers: what was refused is the caller, not the port.
    expect(await knock(url, ownKey)).toBe('HTTP 200');
    // So does curl given the home's key, its password and its CA (as the README shows).
    const keyed = ['--cert-type', 'P12', '--cert', `${keys.keystore}:${keys.password}`];
    expect(curl(...keyed, '--cacert', path.join(keys.dir, 'ca.pem'), url)).toEqual({
      exit: 0,
      status: '200',
    });
    // curl, with and without TLS: no HTTP answer at all.
    const bare = curl('-k', url);
    expect(bare.status).toBe('000');
    expect(bare.exit).not.toBe(0);
    // Plain HTTP on the same port: Flink only redirects to https, where the handshake refuses again.
    const plain = `http://127.0.0.1:${port}${new URL(url).pathname}`;
    const redirect = await plainKnock(plain);
    expect(redirect).toMatchObject({ status: 301, location: expect.stringMatching(/^https:/) });
    expect(redirect.body).not.toMatch(/taskmanagers|productName|flink-version/);
    const followed = curl('-L', '-k', plain);
    expect(followed.exit).not.toBe(0);
    expect(followed.status).not.toBe('200');
    // A plain fetch does not take the cluster's certificate (its CA is the home's alone).
    await expect(fetch(url)).rejects.toThrow();
  };

  beforeAll(async () => {
    // The platform makes its keys itself, as a fresh home does.
    s = await servedPlatform({ ownFlinkRestTls: true });
    t = s.t;
    expect(fs.existsSync(path.join(t.home, 'flink-tls'))).toBe(false);
    await t.platform.targets.start('local-1.20', () => {});
    const view = await t.platform.targets.status('local-1.20');
    restUrl = view.restUrl;
    gatewayUrl = view.gatewayUrl;
    keys = await ensureFlinkRestTls(t.home, findJava().path);
    stranger = await ensureFlinkRestTls(
      fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-stranger-')),
      findJava().path,
    );
  }, 300_000);

  afterAll(async () => {
    await s?.close();
    fs.rmSync(path.dirname(stranger?.dir ?? '/nonexistent/x'), { recursive: true, force: true });
    expect(clusterJvmsUnder(t.home)).toEqual([]);
  }, 120_000);

  it('makes the keys once per home, owner only, and the cluster serves https with them', async () => {
    expect(restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(gatewayUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.statSync(keys.dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(keys.dir))
      expect(fs.statSync(path.join(keys.dir, f)).mode & 0o777).toBe(0o600);
    // The configuration names the keys and their password: the owner's alone too.
    const conf = path.join(t.home, 'clusters', 'local-1.20', 'conf', 'config.yaml');
    expect(fs.statSync(conf).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(conf, 'utf8');
    expect(text).toContain('security.ssl.rest.enabled: true');
    expect(text).toContain('security.ssl.rest.authentication-enabled: true');
    expect(text).toContain(`security.ssl.rest.truststore: ${keys.truststore}`);
    // Made once: the same keys after the cluster started (a second call finds them).
    expect((await ensureFlinkRestTls(t.home, findJava().path)).caPem).toBe(keys.caPem);
    expect((await t.platform.targets.status('local-1.20')).gatewayHealthy).toBe(true);
  });

  it('refuses callers without the home key on the REST port and the SQL Gateway port', async () => {
    await refusesStrangers(`${restUrl}/overview`);
    await refusesStrangers(`${gatewayUrl}/v1/info`);
  }, 120_000);

  it("refuses them on the JobManager's RPC port too (a job can be submitted over RPC)", async () => {
    const { rpcPort } = await t.platform.targets.spec('local-1.20');
    expect(await handshake(rpcPort, null)).toMatch(/^refused/);
    expect(
      await handshake(rpcPort, { pfx: fs.readFileSync(stranger.keystore), passphrase: stranger.password }),
    ).toMatch(/^refused/);
    expect(await handshake(rpcPort, { pfx: fs.readFileSync(keys.keystore), passphrase: keys.password })).toBe(
      'connected',
    );
    const conf = fs.readFileSync(path.join(t.home, 'clusters', 'local-1.20', 'conf', 'config.yaml'), 'utf8');
    expect(conf).toContain('security.ssl.internal.enabled: true');
  });

  it('runs a SQL job end to end through Sluice: submitted through the SQL Gateway, tracked, seen in Flink UI, cancelled', async () => {
    expect((await api('POST', '/jobs', { name: 'doors', sql: SQL, target: 'local-1.20' })).status).toBe(201);
    expect((await api('POST', '/jobs/doors/start', {})).status).toBe(202);
    await waitFor('the job RUNNING', async () => (await stateOf('doors')) === 'RUNNING', 120_000);
    const jid = String((await api('GET', '/jobs/doors')).json().flinkJobId);
    // Flink's Web UI through Sluice: the proxy knocks with the home's key.
    const ui = await fetch(`${s.url}/flink/local-1.20/jobs/overview`, { headers: authHeaders(s.url) });
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { jobs: { jid: string; state: string }[] }).jobs).toContainEqual(
      expect.objectContaining({ jid, state: 'RUNNING' }),
    );
    // The job's graph is read from Flink's REST API.
    expect((await api('GET', '/jobs/doors/graph')).status).toBe(200);
    // A debug run: a session of its own on the SQL Gateway, its rows fetched from there.
    const sql = createClient({ baseUrl: s.url, headers: authHeaders(s.url) }).sql;
    expectClickCounts(await collectDebugRun(sql, { sql: COUNTS, target: 'local-1.20', sources: CLICKS }));
    // And what this test reaches over the same doors with the home's key.
    const flink = (await (await flinkFetch(`${restUrl}/jobs/${jid}`)).json()) as { state: string };
    expect(flink.state).toBe('RUNNING');
    expect((await api('POST', '/jobs/doors/cancel', {})).status).toBe(202);
    await waitFor('the job CANCELLED', async () => (await stateOf('doors')) === 'CANCELLED', 120_000);
  }, 300_000);

  it("serves a job's own application cluster the same way", async () => {
    expect((await api('POST', '/jobs', { name: 'own-doors', sql: SQL, target: APP })).status).toBe(201);
    expect((await api('POST', '/jobs/own-doors/start', {})).status).toBe(202);
    await waitFor('the job RUNNING', async () => (await stateOf('own-doors')) === 'RUNNING', 180_000);
    const job = (await api('GET', '/jobs/own-doors')).json();
    const own = String(job.restUrl);
    expect(own).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await refusesStrangers(`${own}/overview`);
    const ui = await fetch(`${s.url}/flink/${APP}/own-doors/jobs/overview`, { headers: authHeaders(s.url) });
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { jobs: { jid: string }[] }).jobs.map((j) => j.jid)).toEqual([
      job.flinkJobId,
    ]);
    expect((await api('POST', '/jobs/own-doors/cancel', {})).status).toBe(202);
    await waitFor('the job CANCELLED', async () => (await stateOf('own-doors')) === 'CANCELLED', 120_000);
  }, 400_000);
});
