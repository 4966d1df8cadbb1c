import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { operationSucceeded, waitFor } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';
import { homeFlinkFetch } from '../support/flink-tls.ts';

/** Values nothing else in the run contains: finding one in an answer means a leak. */
const SECRET = `Px${Date.now().toString(36)}"q\\Z7`;
const KEY = `Kx${Date.now().toString(36)}Q9`;
/** The SQL secret as Flink writes it in a plan's descriptions (HTML-escaped, backslash as &#92;). */
const RENDERED = SECRET.replace('"', '&quot;').replace('\\', '&#92;');

const SQL = `CREATE TABLE ticks (id INT, name STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE sunk (id INT, name STRING) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id, name FROM ticks WHERE name <> '\${proxy_token}';
`;

/**
 * Flink's own Web UI through Sluice at /flink/<target>/, against a real `sluice server`, a real local
 * Flink 1.20 and Debian's Chromium: every request that would change something is refused (sent
 * directly, and by Flink's own "Cancel Job" button), the job keeps running, and what Flink answers
 * reaches the browser with the job's secret masked.
 */
describe("Flink's Web UI through Sluice", () => {
  let c: ConsoleUnderTest;
  let jid: string;
  let restUrl: string;
  const proxy = (p: string, init: RequestInit = {}) =>
    fetch(`${c.base}/flink/local-1.20${p}`, {
      ...init,
      headers: { ...authHeaders(c.base), ...(init.headers as Record<string, string> | undefined) },
    });
  /** What Flink itself says, straight from its REST port. */
  const flinkState = async () =>
    ((await homeFlinkFetch(c.home)(`${restUrl}/jobs/${jid}`).then((r) => r.json())) as { state: string })
      .state;
  const sluiceState = async () => (await c.api('GET', '/jobs/proxied')).state;

  beforeAll(async () => {
    c = await startConsole('flink-ui');
    const op = await c.api('POST', '/targets/local-1.20/start');
    await operationSucceeded(c.api, String(op.id), 'the start of cluster local-1.20', 180_000);
    restUrl = (await c.api('GET', '/targets/local-1.20')).restUrl as string;
    await c.api('PUT', '/variables/proxy_token', { value: SECRET, secret: true });
    await c.api('PUT', '/variables/proxy_key', { value: KEY, secret: true });
    await c.api('POST', '/jobs', {
      name: 'proxied',
      sql: SQL,
      // Job parameters are shown by Flink in /jobs/<id>/config.
      options: { 'pipeline.global-job-parameters': 'api-key:${proxy_key}' },
      target: 'local-1.20',
    });
    await c.api('POST', '/jobs/proxied/start', {});
    await waitFor('the job RUNNING', async () => (await sluiceState()) === 'RUNNING', 90_000);
    jid = (await c.api('GET', '/jobs/proxied')).flinkJobId as string;
  });
  afterAll(async () => {
    await c?.close();
  });

  it('refuses every request that would change the job or the cluster, naming the Sluice action', async () => {
    const refused = async (method: string, p: string, init: RequestInit = {}) => {
      const res = await proxy(p, { method, ...init });
      const body = (await res.json()) as {
        error: { code: string; message: string; details: Record<string, unknown> };
        errors: string[];
      };
      expect(res.status, `${method} ${p}`).toBe(403);
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toContain("/flink/local-1.20/ is Sluice's read-only view of Flink's Web UI");
      // Flink's UI shows the first of `errors` in its notification.
      expect(body.errors).toEqual([body.error.message]);
      return body.error;
    };
    const cancel = await refused('GET', `/jobs/${jid}/yarn-cancel`);
    expect(cancel.message).toContain(`cancelling job 'proxied' (Flink job ${jid}) is refused here`);
    expect(cancel.message).toContain('`sluice job cancel proxied`');
    expect(cancel.details).toMatchObject({ job: 'proxied', flinkJobId: jid, change: 'cancel' });
    expect((await refused('GET', `/jobs/${jid}/yarn-stop`)).message).toContain('`sluice job stop proxied`');
    expect((await refused('PATCH', `/jobs/${jid}`)).details.instead).toBe('sluice job cancel proxied');
    await refused('PATCH', `/jobs/${jid}?mode=cancel`);
    await refused('POST', `/jobs/${jid}/stop`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drain: false }),
    });
    expect(
      (
        await refused('POST', `/jobs/${jid}/savepoints`, {
          headers: { 'content-type': 'application/json' },
          body: '{"cancel-job": true',
        })
      ).message,
    ).toContain('`sluice job savepoint proxied`');
    const jar = new FormData();
    jar.append('jarfile', new Blob([Buffer.from('PK\u0003\u0004 not really a jar')]), 'job.jar');
    expect((await refused('POST', '/jars/upload', { body: jar })).message).toContain('Sluice runs SQL jobs');
    expect((await refused('DELETE', '/cluster')).message).toContain('`sluice cluster stop local-1.20`');
    await refused('PUT', `/jobs/${jid}/resource-requirements`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    // The same requests spelled otherwise: encoded, as HEAD, in upper case.
    await refused('GET', `/jobs/${jid}/yarn%2Dcancel`);
    await refused('GET', `/jobs%2F${jid}%2Fyarn-cancel`);
    expect((await proxy(`/jobs/${jid}/yarn-cancel`, { method: 'HEAD' })).status).toBe(403);
    await refused('GET', `/jobs/${jid.toUpperCase()}/yarn-cancel`);
    await refused('GET', `/jobs/${jid}/yarn-cancel/`);
    await refused('OPTIONS', `/jobs/${jid}`);

    // Reads still pass, and the job runs on, as Flink and Sluice both say.
    expect((await proxy(`/jobs/${jid}`)).status).toBe(200);
    expect(await flinkState()).toBe('RUNNING');
    expect(await sluiceState()).toBe('RUNNING');
  });

  it('refuses a path with dot segments or broken escapes as a bad request', async () => {
    const raw = async (p: string) => {
      // fetch would resolve the dots before sending: a raw request keeps them.
      const url = new URL(c.base);
      // With the suite's credentials: the refusal seen is the path's, not the missing sign-in's.
      const credentials = Object.entries(authHeaders(c.base))
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const net = await import('node:net');
      return new Promise<string>((resolve, reject) => {
        const s = net.connect(Number(url.port), url.hostname, () =>
          s.write(
            `GET /flink/local-1.20${p} HTTP/1.1\r\nHost: ${url.host}\r\n${credentials}Connection: close\r\n\r\n`,
          ),
        );
        let out = '';
        s.on('data', (d) => (out += d.toString()));
        s.on('end', () => resolve(out));
        s.on('error', reject);
      });
    };
    const dots = await raw(`/jobs/overview/../${jid}/yarn-cancel`);
    expect(dots).toMatch(/^HTTP\/1\.1 400/);
    expect(dots).toContain('dot segments');
    expect(await raw('/jobs/%E0%A4%A')).toMatch(/^HTTP\/1\.1 400/);
    expect(await flinkState()).toBe('RUNNING');
  });

  it("masks the job's secrets in its details, plan and configuration, with the right length", async () => {
    const paths = ['', '/plan', '/config'];
    const leaks = (text: string) =>
      [SECRET, JSON.stringify(SECRET).slice(1, -1), RENDERED, KEY].filter((x) => text.includes(x));
    // What Flink itself answers holds them (else this test would prove nothing)...
    const direct = await Promise.all(
      paths.map((p) => homeFlinkFetch(c.home)(`${restUrl}/jobs/${jid}${p}`).then((r) => r.text())),
    );
    expect(direct.map(leaks)).toEqual([[RENDERED], [RENDERED], [KEY]]);
    // ...and the proxy never does, with the mask where they were.
    for (const p of paths) {
      const res = await proxy(`/jobs/${jid}${p}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(Number(res.headers.get('content-length')), p).toBe(body.length);
      const text = body.toString('utf8');
      expect(leaks(text), p).toEqual([]);
      expect(text, p).toContain('******');
      JSON.parse(text);
    }
    const plan = (await proxy(`/jobs/${jid}/plan`).then((r) => r.json())) as {
      plan: { nodes: { description: string }[] };
    };
    expect(plan.plan.nodes.map((n) => n.description).join('\n')).toContain("(name &lt;&gt; '******')");
    const config = (await proxy(`/jobs/${jid}/config`).then((r) => r.json())) as {
      'execution-config': { 'user-config': Record<string, string> };
    };
    expect(config['execution-config']['user-config']).toEqual({ 'api-key': '******' });
  });

  it("refuses Flink's own Cancel Job button in the proxied UI, and the job keeps running", async () => {
    const page: Page = await c.newPage();
    const answers: { method: string; url: string; status: number }[] = [];
    page.on('response', (r: Response) =>
      answers.push({ method: r.request().method(), url: r.url(), status: r.status() }),
    );
    try {
      await page.goto(`${c.base}/flink/local-1.20/#/job/running/${jid}/overview`);
      await page.getByText('proxied').first().waitFor({ timeout: 30_000 });
      await page.getByText('Cancel Job', { exact: true }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(SHOTS, '20-flink-ui-job-through-sluice.png') });
      // Every page the UI drew so far read only, and all of it passed.
      expect(answers.filter((a) => a.status === 403)).toEqual([]);

      await page.getByText('Cancel Job', { exact: true }).click();
      await page.getByText('Cancel Job?').waitFor();
      await page.screenshot({ path: path.join(SHOTS, '21-flink-ui-cancel-confirm.png') });
      const refusal = page.waitForResponse((r) => r.url().endsWith(`/jobs/${jid}/yarn-cancel`));
      await page.getByRole('button', { name: 'Yes' }).click();
      const res = await refusal;
      expect(res.status()).toBe(403);
      // Flink's UI shows the server's message in its own notification.
      const note = page.locator('.ant-notification-notice').filter({ hasText: 'Server Response Message:' });
      await note.waitFor({ timeout: 10_000 });
      // Whole: the UI breaks a message into lines at every " at " (for Java stack traces).
      expect(await note.textContent()).toContain(
        `/flink/local-1.20/ is Sluice's read-only view of Flink's Web UI: cancelling job 'proxied' (Flink job ${jid}) is refused here`,
      );
      expect(await note.textContent()).toContain('sluice job cancel proxied');
      await page.screenshot({ path: path.join(SHOTS, '22-flink-ui-cancel-refused.png') });

      // Long enough for a cancel to have shown in both: Sluice's tracker polls every second.
      await new Promise((r) => setTimeout(r, 3000));
      expect(await flinkState()).toBe('RUNNING');
      expect(await sluiceState()).toBe('RUNNING');
      const events = (await c.api('GET', '/jobs/proxied/events')) as unknown as { to: string }[];
      expect(events.map((e) => e.to)).not.toContain('CANCELLING');
      expect(events.map((e) => e.to)).not.toContain('CANCELLED');

      // The rest of the UI still reads through Sluice: each view gets what it asks Flink for.
      const ui = `${c.base}/flink/local-1.20`;
      const views: [view: string, request: string][] = [
        ['#/overview', `${ui}/overview`],
        [`#/job/running/${jid}/exceptions`, `${ui}/jobs/${jid}/exceptions`],
        [`#/job/running/${jid}/checkpoints`, `${ui}/jobs/${jid}/checkpoints`],
        [`#/job/running/${jid}/configuration`, `${ui}/jobs/${jid}/config`],
        ['#/task-manager', `${ui}/taskmanagers`],
        ['#/job-manager/config', `${ui}/jobmanager/config`],
        ['#/job-manager/logs', `${ui}/jobmanager/log`],
        ['#/submit', `${ui}/jars`],
      ];
      for (const [view, request] of views) {
        const answer = page.waitForResponse((r) => r.url().split('?')[0] === request);
        await page.goto(`${ui}/${view}`);
        expect((await answer).status(), view).toBe(200);
        if (view.endsWith('/configuration')) {
          // The job parameter holding a secret, as the UI shows it.
          await page.getByText('api-key').waitFor();
          await page.getByText('******').first().waitFor();
          await page.screenshot({ path: path.join(SHOTS, '23-flink-ui-job-configuration-masked.png') });
        }
      }
      await page.screenshot({ path: path.join(SHOTS, '24-flink-ui-submit-page.png') });
      expect(answers.filter((a) => a.status === 403).map((a) => `${a.method} ${a.url}`)).toEqual([
        `GET ${ui}/jobs/${jid}/yarn-cancel`,
      ]);
      expect(await page.content()).not.toContain(KEY);
    } finally {
      await page.close();
    }
  });
});
