import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { waitFor } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';
import { signedInPage } from '../support/console.ts';

const APP = 'local-application-1.20';
/** A value nothing else in the run contains: finding it in an answer means a leak. */
const SECRET = `Ex${Date.now().toString(36)}P4q`;

/** Runs until its id reaches `failAt`, then fails at runtime: a CAST of text holding the secret. */
const failingSql = (failAt: number) => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000');
CREATE TABLE sink (n INT) WITH ('connector' = 'print');
INSERT INTO sink SELECT CAST(IF(id >= ${failAt}, CONCAT('\${exc_secret}', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`;

/**
 * Flink's exception history of a job on real Flink 1.20, through the API, the built CLI and the
 * console (Debian's Chromium): a job that fails at runtime on the run's shared session cluster (its
 * history read from Flink, root cause first, masked), and one on its own local application cluster,
 * whose history is gone with the cluster (the root cause Sluice recorded is said instead).
 */
describe('job exceptions', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;
  let browser: Browser | undefined;
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const failed = (name: string) =>
    waitFor(`${name} FAILED`, async () => (await client.jobs.get(name)).state === 'FAILED', 180_000);

  beforeAll(async () => {
    let t;
    ({ t, url, close } = await servedPlatform({ sharedCluster: true, config: { trackerIntervalMs: 500 } }));
    client = createClient({ baseUrl: url, headers: authHeaders(url) });
    await t.platform.boot();
    await client.workspace.setVariable('exc_secret', { value: SECRET, secret: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  }, 120_000);

  it('reads a failed run from the session cluster: root cause first, each failure, masked, in API, CLI and console', async () => {
    await client.jobs.create({
      name: 'cast-fails',
      sql: failingSql(20),
      target: 'local-1.20',
      restartPolicy: { kind: 'fixed-delay', attempts: 1, delaySeconds: 1 },
    });
    await client.jobs.start('cast-fails', {});
    await failed('cast-fails');
    const job = await client.jobs.get('cast-fails');

    // Flink's history is read from a cache that lives a few seconds: both failures once it shows them.
    const view = await waitFor(
      'two failures in the history',
      async () => {
        const v = await client.jobs.exceptions('cast-fails');
        return v.failures.length >= 2 && v;
      },
      30_000,
    );
    expect(view).toMatchObject({ run: job.flinkJobId, source: 'flink', note: null, target: 'local-1.20' });
    expect(view.rootCause!.text).toMatch(
      /^NumberFormatException: For input string: '\*{6}\d+'\. Invalid character found\.$/,
    );
    const newest = view.failures[0]!;
    expect(view.rootCause).toMatchObject({ at: newest.at, task: newest.task, location: newest.location });
    // A task's failure names the task (with its subtask) and the TaskManager it ran on.
    const inTask = view.failures.find((f) => f.task);
    expect(inTask?.task).toMatch(/\(1\/1\)/);
    expect(inTask?.location).toMatch(/:\d+$/);
    // Newest first; the one that ended the job is the restart strategy's refusal.
    expect(view.failures[0]!.at! >= view.failures[1]!.at!).toBe(true);
    expect(view.failures[0]!.causes[0]).toMatch(/JobException: Recovery is suppressed/);
    expect(view.failures[0]!.trace).toContain('\tat org.apache.flink');
    const body = JSON.stringify(view);
    expect(body).not.toContain(SECRET);
    expect(body).toContain('******');

    const text = await sluice('job', 'exceptions', 'cast-fails');
    const lines = text.split('\n');
    expect(lines[0]).toBe(`root cause (run ${job.flinkJobId}): ${view.rootCause!.text}`);
    expect(lines[1]).toContain(view.rootCause!.at!);
    expect(text.indexOf('failure 1 of')).toBeGreaterThan(0);
    expect(text.indexOf('failure 1 of')).toBeLessThan(text.indexOf('failure 2 of'));
    expect(text).not.toContain('\tat org.apache.flink');
    const full = await sluice('job', 'exceptions', 'cast-fails', '--full');
    expect(full).toContain('\tat org.apache.flink');
    expect(full).not.toContain(SECRET);
    expect(JSON.parse(await sluice('job', 'exceptions', 'cast-fails', '--json'))).toMatchObject({
      source: 'flink',
      run: job.flinkJobId,
    });
    const other = await runSluice(url, ['job', 'exceptions', 'cast-fails', '--run', 'f'.repeat(32)]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(`job cast-fails has no run ${'f'.repeat(32)}`);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await signedInPage(browser, url);
    await page.goto(`${url}/jobs/cast-fails`);
    await page.getByRole('tab', { name: 'Exceptions' }).click();
    const root = page.getByTestId('exceptions-root-cause');
    await root.waitFor();
    expect(await root.textContent()).toContain(`Root cause: ${view.rootCause!.text}`);
    const failures = page.getByTestId('exception-failure');
    expect(await failures.count()).toBe(view.failures.length);
    // Root cause first: it is above the list of failures.
    const [rootBox, listBox] = [await root.boundingBox(), await failures.first().boundingBox()];
    expect(rootBox!.y).toBeLessThan(listBox!.y);
    await failures.first().click();
    const trace = page.getByTestId('exception-trace').first();
    await trace.waitFor();
    expect(await trace.textContent()).toContain('at org.apache.flink');
    expect(await page.content()).not.toContain(SECRET);
  }, 300_000);

  it("says a local application run's history went with its cluster, and answers the root cause Sluice recorded", async () => {
    await client.jobs.create({
      name: 'cast-fails-app',
      sql: failingSql(20),
      target: APP,
      restartPolicy: { kind: 'fixed-delay', attempts: 1, delaySeconds: 1 },
    });
    await client.jobs.start('cast-fails-app', {});
    await failed('cast-fails-app');
    const job = await client.jobs.get('cast-fails-app');
    const view = await client.jobs.exceptions('cast-fails-app');
    expect(view).toMatchObject({ run: job.flinkJobId, source: 'recorded', failures: [] });
    expect(view.noteMessage?.code).toBe('exceptions.recorded');
    expect(view.rootCause!.text).toMatch(/NumberFormatException: For input string: '\*{6}\d+'/);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const text = await sluice('job', 'exceptions', 'cast-fails-app');
    expect(text.split('\n').slice(0, 2)).toEqual([
      view.note,
      `root cause (run ${job.flinkJobId}): ${view.rootCause!.text}`,
    ]);
  }, 300_000);
});
