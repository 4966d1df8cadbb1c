import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, startConsole, type ConsoleUnderTest } from '../support/console.ts';

const TARGET = 'local-application-1.20';

/**
 * A job's Profiles tab against a real `sluice server` (no Flink started): its profiles with the one
 * its target has active marked, the target's last switch (no job was running, so none moved), and
 * the target's scheduled switches added, run by the server's scheduler and removed.
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

  it("adds a scheduled switch of the job's target, refuses a past time naming the field, shows a switch's last outcome, and removes it", () =>
    c.explaining(async () => {
      await page.goto(`${c.base}/jobs/orders`);
      await page.getByRole('tab', { name: 'Profiles' }).click();
      const box = page.getByTestId('scheduled-switches');
      await box.getByText(`Scheduled switches of ${TARGET}`).waitFor();
      const rows = box.getByTestId('schedule-table').locator('tr.ant-table-row');
      await box.getByText('No scheduled switches').waitFor();

      await box.getByTestId('schedule-add').click();
      const modal = page.locator('.ant-modal:visible');
      await modal.getByLabel('Profile').fill('peak');
      await modal.getByLabel('Time').fill('2020-01-01T09:00:00+08:00');
      await modal.getByRole('button', { name: 'Schedule' }).click();
      await modal
        .getByTestId('schedule-error')
        .getByText(/at: 2020-01-01T09:00:00\+08:00 is in the past/)
        .waitFor();
      await modal.getByLabel('Time').fill('2030-11-10T23:00:00+08:00');
      await chooseOption(modal.getByTestId('schedule-repeat'), 'daily');
      await modal.getByRole('button', { name: 'Schedule' }).click();
      await modal.waitFor({ state: 'hidden' });
      await rows.first().getByText('2030-11-10T23:00:00+08:00').waitFor();
      expect(await rows.first().innerText()).toMatch(/peak\s+2030-11-10T23:00:00\+08:00\s+daily/);
      await c.shot('job-profiles-scheduled');

      // One a few seconds ahead: the server's scheduler runs it (no job runs: none moves) and the tab
      // shows its outcome.
      const soon = new Date(Date.now() + 10_000).toISOString();
      const added = await c.api('POST', `/targets/${TARGET}/profile-schedule`, {
        profile: 'normal',
        at: soon,
      });
      const row = rows.filter({ hasText: soon });
      await row.getByText('switched').waitFor({ timeout: 60_000 });
      await row.getByText(/^0 job\(s\) to upgrade, 0 skipped/).waitFor();
      await c.shot('job-profiles-schedule-outcome');

      await row.getByTestId(`schedule-remove-${String(added.id)}`).click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click();
      await row.waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(1);
      const [left] = (await c.api('GET', `/targets/${TARGET}/profile-schedule`)) as unknown as {
        id: number;
      }[];
      await rows.first().getByTestId(`schedule-remove-${left!.id}`).click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click();
      await box.getByText('No scheduled switches').waitFor();
      expect(await c.api('GET', `/targets/${TARGET}/profile-schedule`)).toEqual([]);
    }));

  it("switches the job's space from the tab: the space's profile wins over its target's, and the space's schedule is its own", () =>
    c.explaining(async () => {
      await page.goto(`${c.base}/jobs/orders`);
      await page.getByRole('tab', { name: 'Profiles' }).click();
      const tab = page.getByTestId('job-profiles');
      const space = tab.getByTestId('space-profile');
      await space
        .getByTestId('space-active-profile')
        .getByText('Active profile in space default: none')
        .waitFor();
      // The target's scheduled switch earlier left it at normal: the job runs normal.
      await tab.getByTestId('effective-profile').getByText('It runs with: normal').waitFor();

      await chooseOption(space.getByTestId('space-switch-profile'), 'peak');
      await space.getByTestId('space-switch').click();
      await space
        .getByTestId('space-active-profile')
        .getByText('Active profile in space default: peak')
        .waitFor();
      await space
        .getByTestId('space-switch-progress')
        .getByText(/Last switch of space default: none → peak by /)
        .waitFor();
      await space.getByTestId('space-switch-progress').getByText('No job of the space was running').waitFor();
      // The space's peak wins over the target's normal.
      await tab.getByTestId('effective-profile').getByText('It runs with: peak').waitFor();
      const rows = tab.getByTestId('profiles-table').locator('tr.ant-table-row');
      await rows.nth(1).getByText('active').waitFor();
      expect(await c.api('GET', '/spaces/default/active-profile')).toMatchObject({
        space: 'default',
        activeProfile: 'peak',
        lastSwitch: { profile: 'peak', jobs: [] },
      });
      expect(await c.api('GET', '/jobs/orders/profiles')).toMatchObject({
        activeProfile: 'normal',
        spaceActiveProfile: 'peak',
        effectiveProfile: 'peak',
      });

      const box = space.getByTestId('space-scheduled-switches');
      await box.getByText('Scheduled switches of space default').waitFor();
      await box.getByTestId('schedule-add').click();
      const modal = page.locator('.ant-modal:visible');
      await modal.getByText('Schedule a switch of space default').waitFor();
      await modal.getByLabel('Profile').fill('normal');
      await modal.getByLabel('Time').fill('2030-11-12T02:00:00+08:00');
      await modal.getByRole('button', { name: 'Schedule' }).click();
      await modal.waitFor({ state: 'hidden' });
      await box.getByTestId('schedule-table').getByText('2030-11-12T02:00:00+08:00').waitFor();
      await c.shot('job-profiles-space');
      expect(await c.api('GET', '/spaces/default/profile-schedule')).toMatchObject([
        { space: 'default', profile: 'normal', at: '2030-11-12T02:00:00+08:00' },
      ]);
      // The target's list does not hold it.
      expect(await c.api('GET', `/targets/${TARGET}/profile-schedule`)).toEqual([]);
    }));
});
