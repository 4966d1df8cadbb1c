import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import { openBuiltConsole, SHOTS } from '../support/console.ts';
import { authHeaders } from '../support/credentials.ts';
import type { TestPlatform } from '../support/platform.ts';

const SQL = `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE out_t (id INT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT id FROM src;`;
const PASSWORD = 'a long enough password 7';

/**
 * Spaces in the console (issue 15 item 2) in Debian's Chromium against a real API with a real
 * platform (no Flink run needed): a platform admin creates a space and adds a developer and a viewer
 * on the Spaces page; the developer, signed in with its password, picks the space, creates a job
 * there and sees it with its space, never a job of another space; the viewer sees the job without
 * any button that changes or runs it, no create button, and the members read-only.
 */
describe('the web console: spaces', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser | undefined;
  let admin: Page;
  let errors: string[];

  /** A page of its own signed in as `name` with its password, as the sign-in page does. */
  const signedIn = async (name: string): Promise<Page> => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const r = await context.request.post(`${url}/api/v1/session`, { data: { name, password: PASSWORD } });
    expect(r.status(), await r.text()).toBe(200);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    return page;
  };
  /** Picks an option of the antd Select with this test id. */
  const choose = async (page: Page, testId: string, option: string) => {
    await page.getByTestId(testId).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first()
      .click();
  };
  const jobRows = (page: Page) => page.locator('[data-testid="jobs-table"] tr.ant-table-row');
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: { ...authHeaders(url), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status, `${method} ${p}`).toBeLessThan(300);
    return res.status === 204 ? null : ((await res.json()) as unknown);
  };

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
    // Both users view `default` only, until the admin adds them to team-a.
    for (const name of ['dana', 'vic'])
      await t.platform.access.addUser({
        name,
        admin: false,
        password: PASSWORD,
        role: 'viewer',
        space: 'default',
      });
    await api('POST', '/spaces', { name: 'team-b' });
    await api('POST', '/jobs', { name: 'b-job', space: 'team-b', sql: SQL });
    await api('POST', '/jobs', { name: 'default-job', sql: SQL });
    ({ browser, page: admin, errors } = await openBuiltConsole(url));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('lets a platform admin create a space and add a developer and a viewer', async () => {
    await admin.goto(`${url}/spaces`);
    await admin.getByTestId('space-new').click();
    await admin.getByTestId('space-name').fill('team-a');
    await admin.locator('#confirm-space-new').click();
    await admin.getByTestId('space-members-team-a').click();
    for (const [user, role] of [
      ['dana', 'developer'],
      ['vic', 'viewer'],
    ] as const) {
      await admin.getByTestId('member-user').fill(user);
      await choose(admin, 'member-role', role);
      await admin.getByTestId('member-add').click();
      await admin.getByTestId(`member-role-${user}`).waitFor();
    }
    expect(await api('GET', '/spaces/team-a/members')).toEqual([
      { space: 'team-a', user: 'dana', role: 'developer', source: 'manual' },
      { space: 'team-a', user: 'vic', role: 'viewer', source: 'manual' },
    ]);
    await admin.screenshot({ path: path.join(SHOTS, 'spaces-members.png'), fullPage: true });
    await admin.keyboard.press('Escape');

    // A space that holds something is not deleted: the server's reason is shown.
    await admin.getByTestId('space-delete-team-b').click();
    await admin.locator('#confirm-space-delete').click();
    expect(await admin.getByTestId('space-error').textContent()).toContain('b-job');
    const holds = admin
      .locator('[data-testid="spaces-table"] tr', { hasText: 'team-b' })
      .getByTestId('space-holds');
    expect(await holds.textContent()).toBe('1 jobs');
  });

  it('lets the developer pick team-a and create a job there, seeing only what its spaces hold', async () => {
    const page = await signedIn('dana');
    await page.goto(`${url}/jobs`);
    await choose(page, 'space-picker', 'team-a');
    await page.getByTestId('new-job').click();
    await page.waitForURL(/\/jobs\/new$/);
    // The new job's space starts as the picked one; only spaces where dana may change are offered.
    await page.getByTestId('job-space').getByText('team-a').waitFor();
    await page.getByTestId('job-space').click();
    const offered = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await offered.first().waitFor();
    expect(await offered.allTextContents()).toEqual(['team-a']);
    await page.keyboard.press('Escape');
    await page.getByTestId('example-gallery-open').click();
    await page.getByTestId('example-use-datagen-to-print').click();
    await page.getByTestId('job-name').fill('dana-job');
    await page.getByTestId('save').click();
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/dana-job$/);
    expect(await page.getByTestId('space-tag').textContent()).toBe('team-a');
    expect(await page.getByTestId('edit-job').count()).toBe(1);
    expect(((await api('GET', '/jobs/dana-job')) as { space: string }).space).toBe('team-a');

    // In team-a: its job with its space, nothing of default or team-b.
    await page.goto(`${url}/jobs`);
    await jobRows(page).first().waitFor();
    expect(await jobRows(page).allTextContents()).toEqual([expect.stringContaining('dana-job')]);
    expect(await jobRows(page).first().getByTestId('space-tag').textContent()).toBe('team-a');
    await page.screenshot({ path: path.join(SHOTS, 'spaces-developer-jobs.png'), fullPage: true });
    // All its spaces: default's job too, never team-b's; the choice is kept across a reload.
    await choose(page, 'space-picker', 'All my spaces');
    await jobRows(page).filter({ hasText: 'default-job' }).waitFor();
    expect((await jobRows(page).allTextContents()).join()).not.toContain('b-job');
    await page.reload();
    await jobRows(page).filter({ hasText: 'default-job' }).waitFor();
    await choose(page, 'space-picker', 'team-a');
    await page.reload();
    await jobRows(page).first().waitFor();
    expect(await jobRows(page).count()).toBe(1);
    await page.context().close();
  });

  it('shows the viewer the job without any button that changes or runs it, and the members read-only', async () => {
    const page = await signedIn('vic');
    await page.goto(`${url}/jobs`);
    await choose(page, 'space-picker', 'team-a');
    await jobRows(page).filter({ hasText: 'dana-job' }).waitFor();
    for (const id of ['new-job', 'new-jar-job', 'examples', 'action-start', 'action-delete'])
      expect(await page.getByTestId(id).count(), id).toBe(0);
    await page.getByRole('link', { name: 'dana-job' }).click();
    await page.waitForURL(/\/jobs\/dana-job$/);
    expect(await page.getByTestId('space-tag').textContent()).toBe('team-a');
    for (const id of ['edit-job', 'action-start', 'action-stop', 'action-delete'])
      expect(await page.getByTestId(id).count(), id).toBe(0);

    await page.goto(`${url}/spaces`);
    const row = page.locator('[data-testid="spaces-table"] tr', { hasText: 'team-a' });
    // In Chinese: the page's title, the role and the picker's "all".
    await choose(page, 'language', '简体中文');
    await page.getByRole('heading', { name: '空间' }).waitFor();
    expect(await row.getByTestId('space-role').textContent()).toBe('查看者');
    await choose(page, 'space-picker', '我的全部空间');
    await choose(page, 'language', 'English');
    await page.getByRole('heading', { name: 'Spaces' }).waitFor();
    expect(await row.getByTestId('space-role').textContent()).toBe('viewer');
    expect(await row.getByTestId('space-holds').textContent()).toBe('1 jobs');
    expect(await page.getByTestId('space-new').count()).toBe(0);
    expect(await page.getByTestId('space-delete-team-a').count()).toBe(0);
    await page.getByTestId('space-members-team-a').click();
    await page.getByTestId('members-read-only').waitFor();
    expect(await page.getByTestId('member-role-dana').textContent()).toBe('developer');
    for (const id of ['member-add', 'member-remove-dana'])
      expect(await page.getByTestId(id).count(), id).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'spaces-viewer-members.png'), fullPage: true });
    await page.context().close();
    expect(errors).toEqual([]);
  });
});
