import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { processesWithArg } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { freePort } from '../support/ports.ts';
import { waitFor } from '../support/platform.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');
const SHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/console');

/**
 * The console in Debian's Chromium against a real `sluice server` process and a real local Flink:
 * the path of a first-time user from an example to a running job, its savepoint and its versions.
 * Each step leaves a screenshot in test-artifacts/console.
 */
describe('the web console', () => {
  let home: string;
  let port: number;
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  const base = () => `http://127.0.0.1:${port}`;
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base()}/api/v1${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-console-'));
    port = await freePort();
    server = spawn(SLUICE, ['server'], {
      env: { ...process.env, SLUICE_HOME: home, SLUICE_PORT: String(port), SLUICE_AUTO_START: 'false' },
      stdio: [
        'ignore',
        fs.openSync(path.join(home, 'server.log'), 'a'),
        fs.openSync(path.join(home, 'server.log'), 'a'),
      ],
    });
    await waitFor('the API', () => api('GET', '/health').then(() => true), 30_000);
    await api('POST', '/engines', { home: inject('engineHome') });
    await api('PUT', '/clusters/local-1.20', {
      engineVersion: '1.20',
      restPort: await freePort(),
      rpcPort: await freePort(),
      gatewayPort: await freePort(),
      taskManagerMemory: '1280m',
    });
    const op = await api('POST', '/clusters/local-1.20/start');
    await waitFor(
      'the cluster',
      async () => (await api('GET', `/operations/${op.id}`)).status === 'succeeded',
      120_000,
    );
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.kill('SIGTERM'); // a clean stop also stops the cluster
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    }
    for (const { pid } of processesWithArg(`-Dsluice.cluster.dir=${home}/clusters/`))
      process.kill(pid, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('guides a first-time user to an example, marks a syntax error as it is typed and clears it when fixed', async () => {
    await page.goto(base());
    await page.getByTestId('create-from-example').waitFor();
    await shot('01-jobs-empty');
    await page.getByTestId('create-from-example').click();
    await page.getByTestId('example-select').click();
    await page.getByTitle('Datagen to print').click();
    await page.getByTestId('job-name').fill('console-demo');
    await page.locator('[data-testid=sql-editor] .view-lines').filter({ hasText: 'CREATE' }).waitFor();
    await page.getByText('No syntax errors').waitFor();

    await page.locator('[data-testid=sql-editor] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSELEC oops;');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=sql-editor] .squiggly-error').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('problem').first().textContent()).toMatch(/SELEC/);
    await shot('02-editor-syntax-error');
    for (let i = 0; i < '\nSELEC oops;'.length; i++) await page.keyboard.press('Backspace');
    await page.getByText('No syntax errors').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=sql-editor] .squiggly-error').count()).toBe(0);
  });

  it('plans the script with Flink and debug-runs it with rows streaming in', async () => {
    await page.getByTestId('validate').click();
    await page.getByTestId('plan').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plan').first().textContent()).toContain('== Optimized Physical Plan ==');
    await page.getByRole('tab', { name: 'Debug run' }).click();
    await page.getByTestId('debug-start').click();
    await page.getByTestId('debug-cell').first().waitFor({ timeout: 60_000 });
    await shot('03-editor-debug-rows');
    expect(await page.getByTestId('debug-cell').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop debug run' }).click();
    await page.getByTestId('debug-status').filter({ hasText: 'Ended' }).waitFor({ timeout: 30_000 });
  });

  it('creates the job, starts it and sees RUNNING arrive without a reload', async () => {
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('first version from the example');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    await page.getByTestId('action-start').click();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.locator('[data-state=RUNNING]').first().waitFor({ timeout: 60_000 });
    await shot('04-job-running');
    // Flink's own Web UI through the platform, read-only.
    const ui = await fetch(`${base()}/flink/local-1.20/`);
    expect(ui.headers.get('content-type')).toContain('text/html');
    expect(await ui.text()).toContain('Apache Flink');
    const overview = (await fetch(`${base()}/flink/local-1.20/jobs/overview`).then((r) => r.json())) as {
      jobs: { name: string; state: string }[];
    };
    expect(overview.jobs).toContainEqual(expect.objectContaining({ name: 'console-demo', state: 'RUNNING' }));
    const flink = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await flink.goto(`${base()}/flink/local-1.20/#/job/running`);
    await flink.getByText('console-demo').first().waitFor({ timeout: 30_000 });
    await flink.screenshot({ path: path.join(SHOTS, '04b-flink-web-ui-through-sluice.png') });
    await flink.close();
    const cancel = await fetch(`${base()}/flink/local-1.20/jobs/x`, { method: 'PATCH' });
    expect(cancel.status).toBe(405);
    expect(await page.getByTestId('flink-ui').getAttribute('href')).toMatch(
      /^\/flink\/local-1\.20\/#\/job\/running\/\w+\/overview$/,
    );
  });

  it('stops it with a savepoint and shows the savepoint', async () => {
    await page.getByTestId('action-stop').click();
    await page.locator('#confirm-stop').click();
    await page.locator('[data-state=STOPPED]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Savepoints' }).click();
    await page.getByTestId('savepoint-path').first().waitFor();
    expect(await page.getByTestId('savepoint-path').first().textContent()).toContain('savepoint-');
    await shot('05-job-savepoints');
  });

  it('saves a second version and shows the two side by side', async () => {
    await page.getByRole('button', { name: 'Edit SQL' }).click();
    await page.locator('[data-testid=sql-editor] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' -- second version');
    await page.keyboard.press('Escape');
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('a comment');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByTestId('diff-view').waitFor();
    // The example ends with a newline: the comment is a line of its own in version 2.
    expect(await page.locator('[data-testid=diff-view] tr[data-kind=added]').count()).toBe(1);
    expect(await page.getByTestId('diff-view').textContent()).toContain('-- second version');
    await shot('06-job-versions-diff');
  });

  it('switches the language to Chinese', async () => {
    await page.getByTestId('language').click();
    await page.getByTitle('简体中文').click();
    await page.getByRole('menuitem', { name: '作业' }).waitFor();
    await page.getByRole('tab', { name: '版本' }).waitFor();
    await shot('07-job-zh-CN');
    await page.goto(`${base()}/jobs`);
    await page.getByText('部署目标').first().waitFor();
    await shot('08-jobs-zh-CN');
  });

  it('shows engines and clusters, variables with secrets masked, catalogs and the lineage graph', async () => {
    await page.getByTestId('language').click();
    await page.getByTitle('English').click();
    await page.getByRole('menuitem', { name: 'Engines & clusters' }).click();
    await page.getByText('local-1.20').first().waitFor();
    await shot('09-engines-clusters');

    await api('PUT', '/variables/kafka_password', { value: 'not-to-be-seen', secret: true });
    await api('PUT', '/variables/kafka_brokers', { value: 'k1:9092' });
    await page.getByRole('menuitem', { name: 'Variables' }).click();
    await page.getByText('kafka_brokers').waitFor();
    expect(await page.getByText('k1:9092').count()).toBeGreaterThan(0);
    expect(await page.getByText('••••').count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain('not-to-be-seen');
    await shot('10-variables');

    await page.getByRole('menuitem', { name: 'Catalogs' }).click();
    await page.getByText('No catalog is defined').waitFor();
    await shot('11-catalogs-empty');

    await page.getByRole('menuitem', { name: 'Lineage' }).click();
    await page.getByTestId('lineage-job-console-demo').waitFor();
    await shot('12-lineage');
    await page.getByTestId('lineage-job-console-demo').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
  });

  it('shows the server message when a request fails, not a blank page', async () => {
    await page.goto(`${base()}/jobs/no-such-job`);
    await page.getByTestId('error-message').waitFor();
    expect(await page.getByTestId('error-message').textContent()).toContain(
      "job 'no-such-job' does not exist",
    );
    await shot('13-error');
  });

  it("chooses a workspace catalog for the job in the editor's options", async () => {
    await api('PUT', '/catalogs/scratch?cluster=local-1.20', { type: 'generic_in_memory' });
    await page.goto(`${base()}/jobs/console-demo/edit`);
    await page.getByRole('tab', { name: 'Options' }).click();
    await page.getByTestId('catalogs-select').click();
    await page.getByTitle('scratch (generic_in_memory)').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('use the scratch catalog');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    expect((await api('GET', '/jobs/console-demo')).catalogs).toEqual(['scratch']);
  });
});
