import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertmanagerPayload } from '../support/alerts.ts';
import { chooseOption, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { createShopDatabase } from '../support/postgres.ts';

/**
 * The workspace pages in Debian's Chromium against a real `sluice server` and real Flink: a local
 * cluster started and stopped from the page with its progress, a cluster defined through the form,
 * and a JDBC catalog over the suite's PostgreSQL defined, checked by Flink, browsed and deleted.
 */
describe('the web console: engines, clusters and catalogs', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  const row = (name: string) => page.locator('tr.ant-table-row', { hasText: name });

  beforeAll(async () => {
    c = await startConsole('console-ws');
    page = c.page;
  });
  afterAll(async () => {
    await c?.close();
  });

  it('starts a local cluster from the page, following its progress to healthy', async () => {
    await page.goto(`${c.base}/targets`);
    const cluster = row('local-1.20');
    await cluster.getByTestId('cluster-state').filter({ hasText: 'stopped' }).waitFor();
    await cluster.getByTestId('cluster-start').click();
    // The operation's progress lines appear while Flink's processes come up.
    await page.getByTestId('operation-cluster-start').waitFor();
    await page
      .getByTestId('operation-cluster-start')
      .getByText(/waiting for cluster local-1\.20/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId('operation-cluster-start')
      .getByTestId('operation-status')
      .filter({ hasText: 'succeeded' })
      .waitFor({ timeout: 120_000 });
    await cluster.getByTestId('cluster-state').filter({ hasText: 'running' }).waitFor({ timeout: 30_000 });
    await cluster.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('cluster-details-local-1.20').getByText('taskmanager-1').first().waitFor();
    await c.shot('15-cluster-started');
    expect((await c.api('GET', '/targets/local-1.20')).state).toBe('running');
  });

  it('defines a second cluster through the form and refuses a bad memory size there', async () => {
    await page.getByTestId('cluster-define').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('cluster-name').fill('spare');
    await dialog.getByTestId('cluster-tm-memory').fill('lots');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByTestId('cluster-tm-memory').fill('1024m');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('spare').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await c.api('GET', '/targets/spare')).toMatchObject({ state: 'stopped', engineVersion: '1.20' });
  });

  it('registers the running cluster as a remote one by its address, and reads its Flink version from it', async () => {
    const { restUrl } = (await c.api('GET', '/targets/local-1.20')) as { restUrl: string };
    await page.getByTestId('cluster-remote').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('far-away');
    await dialog.getByLabel('REST address').fill('not a url');
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByLabel('REST address').fill(restUrl);
    await dialog.getByRole('button', { name: 'Register' }).click();
    await row('far-away').getByText('remote').waitFor();
    await row('far-away').getByTestId('cluster-state').filter({ hasText: 'running' }).waitFor();
    expect(await c.api('GET', '/targets/far-away')).toMatchObject({
      kind: 'remote',
      flinkVersion: '1.20.3',
    });
  });

  it('keeps a secret variable typed into the form out of every page', async () => {
    await page.getByRole('menuitem', { name: 'Variables' }).click();
    await page.getByTestId('variable-new').click(); // the empty state has a button of the same name
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('variable-name').fill('shop_password');
    await dialog.getByTestId('variable-secret').check();
    await dialog.getByTestId('variable-value').fill('hunter2-not-shown');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('shop_password').waitFor();
    await expect.poll(async () => (await page.content()).includes('hunter2-not-shown')).toBe(false);
    expect(
      (await c.api('GET', '/variables')) as unknown as { name: string; value: string | null }[],
    ).toContainEqual(expect.objectContaining({ name: 'shop_password', secret: true, value: null }));
  });

  it('defines a JDBC catalog that Flink checks, browses its tables and columns, and deletes it', async () => {
    const dbUrl = await createShopDatabase(inject('postgresAdminUrl'), 'sluice_console_shop');
    await page.getByRole('menuitem', { name: 'Catalogs' }).click();
    await page.getByTestId('catalog-new').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('catalog-name').fill('shop');
    // The types offered are exactly those in the engine's jars; the others say which jar to add.
    await dialog.getByTestId('catalog-type').click();
    const offered = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // The types come from a scan of the engine's jars, which a loaded machine makes slow.
    await expect
      .poll(() => offered.allTextContents(), { timeout: 30_000 })
      .toEqual(['generic_in_memory', 'jdbc']);
    await dialog
      .getByTestId('catalog-types-help')
      .getByText(/paimon: the jar of org\.apache\.paimon:paimon-flink-1\.20/)
      .waitFor();
    await offered.getByText('jdbc', { exact: true }).click();
    // A definition Flink rejects (no options): Flink's own message, and nothing saved.
    await dialog.getByRole('button', { name: 'Check with Flink and save' }).click();
    await dialog
      .getByTestId('catalog-save-error')
      .getByText(/Missing required options/)
      .waitFor({ timeout: 60_000 });
    await c.shot('16-catalog-refused-by-flink');
    await expect(c.api('GET', '/catalogs/shop')).rejects.toThrow(/404/);

    const { port } = new URL(dbUrl);
    for (const [k, v] of [
      ['base-url', `jdbc:postgresql://127.0.0.1:${port}`],
      ['default-database', 'sluice_console_shop'],
      ['username', 'sluice'],
      ['password', 'typed-in-clear'],
    ]) {
      await dialog.getByTestId('catalog-add-option').click();
      await dialog.getByTestId('catalog-option-key').last().fill(k!);
      await dialog.getByTestId('catalog-option-value').last().fill(v!);
    }
    // A password typed in clear is flagged; the secret variable of the test above replaces it.
    const hint = dialog.getByText('This looks like a credential typed in clear');
    await hint.waitFor();
    await dialog.getByTestId('catalog-option-value').last().fill('${shop_password}');
    await hint.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Check with Flink and save' }).click();
    await row('shop').waitFor({ timeout: 60_000 });
    expect(await c.api('GET', '/catalogs/shop')).toMatchObject({
      type: 'jdbc',
      options: { password: '${shop_password}' },
    });

    await row('shop').getByTestId('catalog-browse').click();
    const tree = page.getByTestId('catalog-tree');
    await tree.getByText('sluice_console_shop').click();
    await tree.getByText('public.payments').click({ timeout: 60_000 });
    const browser = page.getByTestId('catalog-browser');
    await browser.getByText('DECIMAL(12, 2)').waitFor({ timeout: 60_000 });
    await c.shot('17-catalog-browsed');

    await row('shop').getByTestId('catalog-delete').click();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByTestId('catalogs-empty').waitFor();
    await expect(c.api('GET', '/catalogs/shop')).rejects.toThrow(/404/);
  });

  it("adds an alert rule in the form, shows a refusal at its field, and lists the rule and its alerts on the job's Alerts tab", () =>
    c.explaining(async () => {
      await c.api('POST', '/jobs', {
        name: 'watched',
        sql: "CREATE TABLE s (x STRING) WITH ('connector' = 'datagen');\nCREATE TABLE k (x STRING) WITH ('connector' = 'blackhole');\nINSERT INTO k SELECT x FROM s;",
      });
      // Nothing listens there: the alert below is kept with why its message was not sent.
      await c.api('PUT', '/alert-channels/ops', { type: 'webhook', url: 'http://127.0.0.1:9/alerts' });
      await page.getByRole('menuitem', { name: 'Alert rules' }).click();
      await page.getByTestId('rules-empty').waitFor();
      await page.getByTestId('rule-new').click();
      const dialog = page.getByRole('dialog');
      const choose = (testId: string, option: string) => chooseOption(dialog.getByTestId(testId), option);
      await dialog.getByTestId('rule-name').fill('watched-slow');
      // A state kind takes no threshold; backpressure takes one, in %.
      await expect.poll(() => dialog.getByTestId('rule-threshold').count()).toBe(0);
      await choose('rule-kind', 'backpressure:');
      await dialog.getByTestId('rule-threshold-unit').filter({ hasText: '%' }).waitFor();
      await choose('rule-job', 'watched');
      await dialog.getByTestId('rule-threshold').fill('80');
      await dialog.getByTestId('rule-for').fill('5 minutes');
      await choose('rule-channel', 'ops');
      await dialog.getByRole('button', { name: 'Save' }).click();
      // The server's refusal, at the field it names.
      await dialog
        .locator('.ant-form-item', { has: page.getByTestId('rule-for') })
        .locator('.ant-form-item-explain-error', { hasText: "'5 minutes' is not a Prometheus duration" })
        .waitFor();
      await expect(c.api('GET', '/alert-rules/watched-slow')).rejects.toThrow(/404/);
      await dialog.getByTestId('rule-for').fill('10m');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row('watched-slow').getByText('> 80%').waitFor();
      expect(await c.api('GET', '/alert-rules/watched-slow')).toMatchObject({
        job: 'watched',
        kind: 'backpressure',
        threshold: 80,
        for: '10m',
        channel: 'ops',
      });
      // A rule on a whole space: every job of it, chosen in the form.
      await c.api('POST', '/spaces', { name: 'night-shift' });
      // The page read the spaces before this one was made elsewhere: it is opened again.
      await page.reload();
      await page.getByTestId('rule-new').click();
      await dialog.getByTestId('rule-name').fill('night-failed');
      await choose('rule-space', 'night-shift');
      await choose('rule-job', 'Whole space');
      await choose('rule-channel', 'ops');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row('night-failed').getByText('Every job of space night-shift').waitFor();
      expect(await c.api('GET', '/alert-rules/night-failed')).toMatchObject({
        job: null,
        space: 'night-shift',
        kind: 'failed',
      });
      await c.api('PUT', '/alert-rules/every-failure', {
        kind: 'failed',
        channel: 'ops',
        severity: 'critical',
      });

      await page.goto(`${c.base}/jobs/watched`);
      await page.getByRole('tab', { name: 'Alerts' }).click();
      const rules = page.getByTestId('job-alert-rules');
      await rules.locator('tr.ant-table-row', { hasText: 'watched-slow' }).waitFor();
      await rules
        .locator('tr.ant-table-row', { hasText: 'every-failure' })
        .getByTestId('rule-all-jobs')
        .waitFor();
      // An alert comes back from Alertmanager while the tab is open: the tab shows it without a reload.
      const history = page.getByTestId('job-alert-history');
      await history.getByText('No alert yet').waitFor();
      await c.api(
        'POST',
        '/alerts/alertmanager',
        alertmanagerPayload([
          {
            labels: {
              alertname: 'watched-slow',
              sluice_rule: 'watched-slow',
              sluice_kind: 'backpressure',
              sluice_job: 'watched',
              sluice_channel: 'ops',
              severity: 'warning',
            },
            annotations: { summary: 'watched is back-pressured 91% of the time', value: '91.00 %' },
            startsAt: new Date().toISOString(),
            fingerprint: 'f00d',
          },
        ]),
      );
      const alert = history.locator('tr.ant-table-row', { hasText: 'watched-slow' });
      await alert.getByTestId('alert-status').filter({ hasText: 'firing' }).waitFor({ timeout: 30_000 });
      await alert.getByText('91.00 %').waitFor();
      await alert.getByText(/not sent/).waitFor();
      await c.shot('17-job-alerts');
    }));

  it('stops the cluster from the page', async () => {
    await page.getByRole('menuitem', { name: 'Deployment targets' }).click();
    const cluster = row('local-1.20');
    await cluster.getByTestId('cluster-stop').click();
    await page.getByRole('button', { name: 'OK' }).click();
    await cluster.getByTestId('cluster-state').filter({ hasText: 'stopped' }).waitFor({ timeout: 60_000 });
    expect((await c.api('GET', '/targets/local-1.20')).state).toBe('stopped');
  });
});
