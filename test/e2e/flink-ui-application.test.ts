import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { waitFor } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';
import { homeFlinkFetch } from '../support/flink-tls.ts';

const TARGET = 'local-application-1.20';
/** A value nothing else in the run contains: finding it in an answer means a leak. */
const SECRET = `Ax${Date.now().toString(36)}Q7z`;

const SQL = `CREATE TABLE ticks (id INT, name STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE sunk (id INT, name STRING) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id, name FROM ticks WHERE name <> '\${app_ui_token}';
`;

/**
 * Flink's Web UI of a job's own cluster (the local application target, real Flink 1.20) through
 * Sluice at /flink/<target>/<job>/, against a real `sluice server` and Debian's Chromium: reached from
 * the job's page while the job runs, read-only and masked as the session clusters' view is, and a
 * clear answer once the job's cluster is gone.
 */
describe("Flink's Web UI of a job's own cluster through Sluice", () => {
  let c: ConsoleUnderTest;
  let jid: string;
  let restUrl: string;
  const proxy = (p: string, init: RequestInit = {}) =>
    fetch(`${c.base}/flink/${TARGET}/app-ui${p}`, {
      redirect: 'manual',
      ...init,
      headers: { ...authHeaders(c.base), ...init?.headers },
    });
  const state = async () => (await c.api('GET', '/jobs/app-ui')).state;

  beforeAll(async () => {
    c = await startConsole('flink-ui-application');
    await c.api('PUT', '/variables/app_ui_token', { value: SECRET, secret: true });
    await c.api('POST', '/jobs', { name: 'app-ui', sql: SQL, target: TARGET });
    await c.api('POST', '/jobs/app-ui/start', {});
    await waitFor('the job RUNNING', async () => (await state()) === 'RUNNING', 180_000);
    const job = await c.api('GET', '/jobs/app-ui');
    jid = job.flinkJobId as string;
    restUrl = job.restUrl as string;
    expect(restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  }, 240_000);
  afterAll(async () => {
    await c?.close();
  });

  it("answers from the job's own JobManager, masked, and refuses every change naming the Sluice action", async () => {
    expect((await proxy('')).headers.get('location')).toBe(`/flink/${TARGET}/app-ui/`);
    const overview = (await proxy('/jobs/overview').then((r) => r.json())) as {
      jobs: { jid: string; name: string; state: string }[];
    };
    expect(overview.jobs).toEqual([expect.objectContaining({ jid, name: 'app-ui', state: 'RUNNING' })]);
    // What Flink itself answers holds the secret (else this would prove nothing); the proxy never does.
    expect(await homeFlinkFetch(c.home)(`${restUrl}/jobs/${jid}/plan`).then((r) => r.text())).toContain(
      SECRET,
    );
    const plan = await proxy(`/jobs/${jid}/plan`).then((r) => r.text());
    expect(plan).not.toContain(SECRET);
    expect(plan).toContain("(name &lt;&gt; '******')");

    const refused = async (method: string, p: string) => {
      const res = await proxy(p, { method });
      const body = (await res.json()) as { error: { message: string; details: Record<string, unknown> } };
      expect(res.status, `${method} ${p}`).toBe(403);
      expect(body.error.message).toContain(
        `/flink/${TARGET}/app-ui/ is Sluice's read-only view of Flink's Web UI`,
      );
      return body.error;
    };
    const cancel = await refused('PATCH', `/jobs/${jid}`);
    expect(cancel.message).toContain(`cancelling job 'app-ui' (Flink job ${jid}) is refused here`);
    expect(cancel.details).toMatchObject({ job: 'app-ui', instead: 'sluice job cancel app-ui' });
    // Shutting down the job's own cluster is stopping the job.
    expect((await refused('DELETE', '/cluster')).details.instead).toBe('sluice job stop app-ui');
    expect(await state()).toBe('RUNNING');

    // The target has no cluster of its own; another job's name is not there.
    const bare = await fetch(`${c.base}/flink/${TARGET}/`, { headers: authHeaders(c.base) });
    expect(bare.status).toBe(404);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toContain(
      `open a job's Flink Web UI at /flink/${TARGET}/<job>/ while the job runs`,
    );
    expect(
      (await fetch(`${c.base}/flink/${TARGET}/nope/jobs/overview`, { headers: authHeaders(c.base) })).status,
    ).toBe(404);
  });

  it("links the job's page to its cluster's UI, which shows the job in the browser", async () => {
    await c.page.goto(`${c.base}/jobs/app-ui`);
    const link = c.page.getByTestId('flink-ui');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/flink/${TARGET}/app-ui/#/job/running/${jid}/overview`);
    const flink = await c.newPage();
    try {
      await flink.goto(`${c.base}/flink/${TARGET}/app-ui/#/job/running/${jid}/overview`);
      await flink.getByText('app-ui').first().waitFor({ timeout: 30_000 });
      await flink.getByText('Cancel Job', { exact: true }).waitFor({ timeout: 30_000 });
      expect(await flink.content()).not.toContain(SECRET);
      await flink.screenshot({ path: path.join(SHOTS, '23-flink-ui-application-job.png') });
    } finally {
      await flink.close();
    }
  });

  it("shows the logs of the job's own cluster in its Logs tab, masked, with a download link", async () => {
    await c.page.goto(`${c.base}/jobs/app-ui`);
    await c.page.getByRole('tab', { name: 'Logs' }).click();
    await c.page
      .getByTestId('logs-scope')
      .getByText(`The logs of this job's own application cluster (run ${jid})`)
      .waitFor({ timeout: 30_000 });
    const text = c.page.getByTestId('log-text');
    await text.getByText(/Starting StandaloneApplicationClusterEntryPoint/).waitFor({ timeout: 30_000 });
    expect(await text.textContent()).not.toContain(SECRET);
    expect(await c.page.getByTestId('logs-download').getAttribute('href')).toBe(
      '/api/v1/jobs/app-ui/logs/jobmanager.log?download=true',
    );
    // A search keeps the lines holding the text, numbered in the log.
    await c.page.getByTestId('logs-search').locator('input').fill('standaloneapplicationclusterentrypoint');
    await c.page.getByTestId('logs-search').locator('input').press('Enter');
    await text
      .getByText(/^\d+:.*Starting StandaloneApplicationClusterEntryPoint/m)
      .waitFor({ timeout: 30_000 });
    await c.page.screenshot({ path: path.join(SHOTS, '24-job-logs-application.png') });
  });

  it("says the job's cluster is not running once the job ended, on the page and through the proxy", async () => {
    // The Logs tab follows the JobManager's log through the cancel, until its process ends.
    await c.page.goto(`${c.base}/jobs/app-ui`);
    await c.page.getByRole('tab', { name: 'Logs' }).click();
    const text = c.page.getByTestId('log-text');
    await text.getByText(/Starting StandaloneApplicationClusterEntryPoint/).waitFor({ timeout: 30_000 });
    await c.page.getByTestId('logs-follow').click();
    await c.api('POST', '/jobs/app-ui/cancel', {});
    await c.page
      .getByText('The process no longer writes this log: following ended.')
      .waitFor({ timeout: 120_000 });
    expect(await text.textContent()).toMatch(/switched from state RUNNING to CANCELLING/);
    await waitFor('the job CANCELLED', async () => (await state()) === 'CANCELLED', 120_000);
    const res = await proxy('/jobs/overview');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `job app-ui runs in a Flink cluster of its own on ${TARGET}, and that cluster is not running now (the job is CANCELLED): its Flink Web UI is there only while the job runs. Start the job (\`sluice job start app-ui\`); what it did is in Sluice's job page, its submissions and the cluster's logs`,
    );
    await c.page.goto(`${c.base}/jobs/app-ui`);
    const button = c.page.getByTestId('flink-ui');
    await c.page.locator('[data-state=CANCELLED]').first().waitFor({ timeout: 30_000 });
    expect(await button.isDisabled()).toBe(true);
    await button.hover({ force: true });
    await c.page
      .getByText('This job runs in a Flink cluster of its own, which is not running now')
      .waitFor({ timeout: 10_000 });
  });
});
