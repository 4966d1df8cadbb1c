import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';

const TARGET = 'local-application-1.20';

/**
 * A job's Profiles tab against a real `sluice server` (no Flink started): its profiles with the one
 * its target has active marked, and the target's last switch (no job was running, so none moved).
 */
describe('the web console: resource profiles', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  const SQL = `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE out_t (id INT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT id FROM src;`;

  beforeAll(async () => {
    c = await startConsole('profiles');
    page = c.page;
    await c.api('POST', '/jobs', { name: 'orders', sql: SQL, target: TARGET });
    await c.api('PUT', '/jobs/orders/profiles/normal', { parallelism: 1 });
    await c.api('PUT', '/jobs/orders/profiles/peak', {
      parallelism: 2,
      options: { 'taskmanager.memory.process.size': '1536m' },
    });
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it("lists the job's profiles and marks the one its target switched to", () =>
    c.explaining(async () => {
      await page.goto(`${c.base}/jobs/orders`);
      await page.getByRole('tab', { name: 'Profiles' }).click();
      const tab = page.getByTestId('job-profiles');
      await tab.getByTestId('active-profile').getByText(`Active profile on target ${TARGET}: none`).waitFor();
      const rows = tab.getByTestId('profiles-table').locator('tr.ant-table-row');
      await rows.nth(1).getByText('taskmanager.memory.process.size=1536m').waitFor();
      expect(await rows.allInnerTexts()).toEqual([
        expect.stringMatching(/^normal\s+1\s+—$/),
        expect.stringMatching(/^peak\s+2\s+taskmanager\.memory\.process\.size=1536m$/),
      ]);

      const switched = await c.api('PUT', `/targets/${TARGET}/active-profile`, { profile: 'peak' });
      expect(switched).toMatchObject({ activeProfile: 'peak', lastSwitch: { profile: 'peak', jobs: [] } });
      await page.reload();
      await page.getByRole('tab', { name: 'Profiles' }).click();
      await tab.getByTestId('active-profile').getByText(`Active profile on target ${TARGET}: peak`).waitFor();
      await rows.nth(1).getByText('active').waitFor();
      await tab
        .getByTestId('last-switch')
        .getByText(/Last switch of .*: none → peak by /)
        .waitFor();
      await tab.getByTestId('switch-steps').getByText('No job was running on the target').waitFor();
      await c.shot('job-profiles');
    }));
});
