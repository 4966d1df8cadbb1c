import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import {
  chooseOption,
  CONTEXT_OPTIONS,
  noOpenSelectList,
  OPEN_SELECT_LIST,
  openBuiltConsole,
  SHOTS,
} from '../support/console.ts';
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
 * any button that changes or runs it, no create button, and the members read-only. Every create form
 * offers only the spaces where the user may create (a developer's JAR job and git build, an owner's
 * targets); the editor of a team's job offers only that team's targets and catalogs and every
 * space's; a viewer finds the editor's Save and the Profiles tab's switches disabled, saying why.
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
    const context = await browser!.newContext(CONTEXT_OPTIONS);
    const r = await context.request.post(`${url}/api/v1/session`, { data: { name, password: PASSWORD } });
    expect(r.status(), await r.text()).toBe(200);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    return page;
  };
  const choose = (page: Page, testId: string, option: string) =>
    chooseOption(page.getByTestId(testId), option);
  /** The options the antd Select with this test id offers, closed again after. */
  const offered = async (page: Page, testId: string): Promise<string[]> => {
    // Another Select's list still closing would be read instead of this one's.
    await noOpenSelectList(page);
    await page.getByTestId(testId).click();
    const list = page.locator(OPEN_SELECT_LIST);
    await list.locator('.ant-select-item-option, .ant-select-item-empty').first().waitFor();
    const texts = await list.locator('.ant-select-item-option').allTextContents();
    // Closed by a second click: Escape would close a modal around it too.
    await page.getByTestId(testId).click();
    await noOpenSelectList(page);
    return texts;
  };
  /** A button shown disabled by its role check, with the reason as its tooltip. */
  const refused = async (page: Page, testId: string): Promise<string | null> => {
    const button = page.getByTestId(testId).first();
    await button.waitFor();
    expect(await button.isDisabled(), testId).toBe(true);
    return page.getByTestId('not-allowed').filter({ has: button }).getAttribute('data-why');
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
    expect(await offered(page, 'job-space')).toEqual(['team-a']);
    await page.getByTestId('example-gallery-open').click();
    await page.getByTestId('example-use-datagen-to-print').click();
    await page.getByTestId('job-name').fill('dana-job');
    // Its target left empty: the field names team-a's default, not default's session cluster she sees.
    await page.getByTestId('options-tab').click();
    await page.getByTestId('cluster-select').getByText('Default in team-a: local-application-1.20').waitFor();
    await page.getByTestId('save').click();
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/dana-job$/);
    expect(await page.getByTestId('space-tag').textContent()).toBe('team-a');
    expect(await page.getByTestId('edit-job').count()).toBe(1);
    expect(await api('GET', '/jobs/dana-job')).toMatchObject({
      space: 'team-a',
      target: 'local-application-1.20',
    });

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

  it("offers the developer's JAR job and git build forms only its spaces, and an owner's target forms its own", async () => {
    const page = await signedIn('dana');
    // dana views default and develops in team-a: team-a is the only place to create.
    await page.goto(`${url}/jobs/new-jar`);
    await page.getByTestId('jar-job-space').getByText('team-a').waitFor();
    expect(await offered(page, 'jar-job-space')).toEqual(['team-a']);
    // default's session target (dana sees it as a viewer) is not offered to a team-a job.
    const targets = await offered(page, 'cluster-select');
    expect(targets.filter((o) => o.startsWith('local-1.20 '))).toEqual([]);
    await page.goto(`${url}/artifacts`);
    await page.getByTestId('artifact-git-build').click();
    await page.getByTestId('git-build-space').getByText('team-a').waitFor();
    expect(await offered(page, 'git-build-space')).toEqual(['team-a']);
    await page.context().close();

    // An owner of team-a (viewer of default) defines a target there; the other forms offer team-a too.
    await t.platform.access.addUser({
      name: 'olga',
      admin: false,
      password: PASSWORD,
      role: 'viewer',
      space: 'default',
    });
    await api('PUT', '/spaces/team-a/members/olga', { role: 'owner' });
    const owner = await signedIn('olga');
    await owner.goto(`${url}/targets`);
    await owner.getByTestId('cluster-define').click();
    await owner.getByTestId('cluster-space').getByText('team-a').waitFor();
    expect(await offered(owner, 'cluster-space')).toEqual(['team-a']);
    await owner.getByTestId('cluster-name').fill('olga-local');
    const ports = await t.clusterSettings();
    for (const k of ['restPort', 'rpcPort', 'gatewayPort'] as const)
      await owner.locator(`#cluster-define_${k}`).fill(String(ports[k]));
    await owner.locator('.ant-modal:visible .ant-btn-primary').click();
    await owner.locator('tr', { hasText: 'olga-local' }).getByTestId('space-tag').waitFor();
    const defined = (await api('GET', '/targets')) as { name: string; space: string | null }[];
    expect(defined.find((x) => x.name === 'olga-local')?.space).toBe('team-a');
    for (const [open, select] of [
      ['cluster-remote', 'remote-space'],
      ['target-kubernetes', 'kubernetes-space'],
    ] as const) {
      await owner.getByTestId(open).click();
      await owner.getByTestId(select).getByText('team-a').waitFor();
      expect(await offered(owner, select), select).toEqual(['team-a']);
      await owner.locator('.ant-modal:visible .ant-modal-close').click();
      await owner.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
    }
    await owner.context().close();
  });

  it("lists in the editor of a team-a job only team-a's targets and catalogs, and every space's", async () => {
    // Each team's own target and catalog. The catalogs are written into the store: saving one
    // through the API checks it on a running cluster, which is not what this file is about.
    const settings = { name: 'b-local', engineVersion: '1.20', ...(await t.clusterSettings()) };
    await t.platform.targets.define(settings, { space: 'team-b' });
    for (const [name, space] of [
      ['a_cat', 'team-a'],
      ['b_cat', 'team-b'],
      ['d_cat', 'default'],
    ] as const)
      await t.platform.store.workspace.saveCatalog(
        { name, type: 'generic_in_memory', options: {}, description: '' },
        space,
      );
    // The admin sees every space's things: the editor still offers only team-a's and every space's.
    await admin.goto(`${url}/jobs/dana-job/edit`);
    await admin.getByTestId('options-tab').click();
    const targets = (await offered(admin, 'cluster-select')).map((o) => o.split(' · ')[0]);
    expect(targets).toContain('olga-local');
    for (const other of ['b-local', 'local-1.20']) expect(targets).not.toContain(other);
    expect(await offered(admin, 'catalogs-select')).toEqual([expect.stringContaining('a_cat')]);
    await admin.screenshot({ path: path.join(SHOTS, 'spaces-editor-targets.png'), fullPage: true });
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
    // dana's job, olga's target and the editor test's catalog.
    expect(await row.getByTestId('space-holds').textContent()).toBe('1 jobs, 1 catalogs, 1 targets');
    expect(await page.getByTestId('space-new').count()).toBe(0);
    expect(await page.getByTestId('space-delete-team-a').count()).toBe(0);
    await page.getByTestId('space-members-team-a').click();
    await page.getByTestId('members-read-only').waitFor();
    expect(await page.getByTestId('member-role-dana').textContent()).toBe('developer');
    for (const id of ['member-add', 'member-remove-dana'])
      expect(await page.getByTestId(id).count(), id).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'spaces-viewer-members.png'), fullPage: true });
    await page.context().close();
  });

  it("disables the editor's Save and the Profiles tab's switches for the viewer, saying the role needed", async () => {
    const page = await signedIn('vic');
    await page.goto(`${url}/jobs/dana-job/edit`);
    expect(await refused(page, 'save')).toBe(
      'Needs the role developer or more in team-a; you are viewer there',
    );
    expect(await refused(page, 'validate')).toContain('developer');
    await page.goto(`${url}/jobs/dana-job`);
    await page.getByRole('tab', { name: 'Profiles' }).click();
    expect(await refused(page, 'space-switch')).toBe(
      'Needs the role owner or more in team-a; you are viewer there',
    );
    // The space's and the target's scheduled switches: both added by owners (or admins) only.
    await page.getByTestId('space-scheduled-switches').getByTestId('schedule-add').waitFor();
    for (const add of await page.getByTestId('schedule-add').all()) expect(await add.isDisabled()).toBe(true);
    // The Alerts tab only shows the rules and alerts: nothing there changes them.
    await page.getByRole('tab', { name: 'Alerts' }).click();
    await page.getByTestId('job-alert-rules').waitFor();
    expect(await page.getByTestId('job-alerts').getByRole('button').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'spaces-viewer-profiles.png'), fullPage: true });
    await page.context().close();
    expect(errors).toEqual([]);
  });
});
