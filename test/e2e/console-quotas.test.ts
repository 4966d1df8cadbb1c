import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';

const TARGET = 'local-application-1.20';

/**
 * A target's quota in the console, against a real `sluice server` (no Flink started): the bars of
 * what its jobs hold against each limit, the edit form (its refusal in the form), and a start refused
 * by the target's per-job range said beside the job's buttons; a space's quota in the same panel.
 */
describe('the web console: quotas', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  const row = (name: string) => page.locator('tr.ant-table-row', { hasText: name });
  const SQL = `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE out_t (id INT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT id FROM src;`;

  beforeAll(async () => {
    c = await startConsole('quotas');
    page = c.page;
    // Saved before the range exists: its start is what the range refuses.
    await c.api('POST', '/jobs', { name: 'wide', sql: SQL, target: TARGET, parallelism: 4 });
    await c.api('PUT', `/targets/${TARGET}/quota`, { memory: '4g', maxParallelism: 2 });
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('shows the quota as bars, edits it, and says a refused start at the job', () =>
    c.explaining(async () => {
      await page.goto(`${c.base}/targets`);
      await row(TARGET).locator('.ant-table-row-expand-icon').click();
      const quota = page.getByTestId(`quota-${TARGET}`);
      await quota.getByTestId('quota-bar-memory').getByText('Memory: 0 of 4g').waitFor();
      expect(await quota.getByTestId('quota-bar-memory').locator('.ant-progress').count()).toBe(1);
      await quota.getByText('Max parallelism per job').waitFor();

      await quota.getByTestId(`quota-edit-${TARGET}`).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Jobs').fill('3');
      await dialog.getByRole('button', { name: 'Save quota' }).click();
      await quota.getByTestId('quota-bar-jobs').getByText('Jobs: 0 of 3').waitFor();
      expect((await c.api('GET', `/targets/${TARGET}/quota`)).limits).toMatchObject({
        jobs: 3,
        memory: 4 * 1024 ** 3,
      });
      await c.shot('quota-bars');

      await page.goto(`${c.base}/jobs/wide`);
      await page.getByTestId('action-start').click();
      await page.locator('#confirm-start').click();
      await page
        .getByTestId('action-refused')
        .getByText(
          `parallelism: target ${TARGET} allows each job at most 2 (maxParallelism), this job asks 4`,
        )
        .waitFor();
      await c.shot('quota-refused-start');
      expect((await c.api('GET', '/jobs/wide')).state).toBe('CREATED');
    }));

  it("shows a space's quota on the Targets page with the same panel, without per-job ranges, and edits it", () =>
    c.explaining(async () => {
      await c.api('PUT', '/spaces/default/quota', { jobs: 2 });
      await page.goto(`${c.base}/targets`);
      const quota = page.getByTestId('space-quotas').getByTestId('quota-space-default');
      await quota.getByText('Quota of space default').waitFor();
      await quota.getByTestId('quota-bar-jobs').getByText('Jobs: 0 of 2').waitFor();
      // Every resource, as a space's jobs run on targets of every kind; the ranges are a target's.
      await quota.getByTestId('quota-bar-cpu').getByText('CPU (cores): 0 (no limit)').waitFor();
      expect(await quota.getByText('Max parallelism per job').count()).toBe(0);

      await quota.getByTestId('quota-edit-space-default').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Quota of space default').waitFor();
      await dialog.getByLabel('Slots').fill('8');
      await dialog.getByRole('button', { name: 'Save quota' }).click();
      await quota.getByTestId('quota-bar-slots').getByText('Slots: 0 of 8').waitFor();
      expect((await c.api('GET', '/spaces/default/quota')).limits).toEqual({
        cpu: null,
        memory: null,
        slots: 8,
        taskManagers: null,
        jobs: 2,
      });
      await c.shot('space-quota');
    }));
});
