import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import { openBuiltConsole, REDUCED_MOTION, SHOTS } from '../support/console.ts';
import type { TestPlatform } from '../support/platform.ts';

const SQL = `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE out_t (id INT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT id FROM src;`;
const SECRET = `Cn${Date.now().toString(36)}sole7Q`;

/**
 * The console's audit page (issue 15 item 5) in Debian's Chromium against a real API with a real
 * platform (no Flink): in the menu of a platform admin only, the records in a table that filters,
 * a record opening to its resource before and after, the export, both languages; another user is
 * not shown the page and is refused its records.
 */
describe('the web console: the audit log', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];
  let admin: string;
  const row = (text: string) =>
    page.locator('[data-testid="audit-table"] tr.ant-table-row', { hasText: text });
  const call = (token: string, method: string, p: string, body?: unknown) =>
    fetch(`${url}/api/v1${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
    admin = (
      await t.platform.access.createToken('admin', {
        name: 'setup',
        scopes: ['read', 'write'],
        expiresAt: null,
      })
    ).secret;
    const carol = await t.platform.access.addUser({ name: 'carol', admin: false });
    const viewer = await t.platform.access.createToken('carol', {
      name: 'viewer',
      scopes: ['read'],
      expiresAt: null,
    });
    expect((await call(carol.secret, 'POST', '/jobs', { name: 'orders', sql: SQL })).status).toBe(201);
    expect(
      (
        await call(carol.secret, 'PATCH', '/jobs/orders', {
          baseVersion: 1,
          message: 'wider',
          parallelism: 3,
        })
      ).status,
    ).toBe(200);
    expect((await call(viewer.secret, 'DELETE', '/jobs/orders')).status).toBe(403);
    expect((await call(admin, 'PUT', '/variables/db_password', { value: SECRET, secret: true })).status).toBe(
      200,
    );
    ({ browser, page, errors } = await openBuiltConsole(url));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('lists, filters and opens the records, and exports them, for a platform admin', async () => {
    await page.goto(`${url}/jobs`);
    await page.getByRole('menuitem', { name: 'Jobs' }).waitFor();
    // The menu's last entry: past the header's width it is under the menu's "more" (…).
    expect(await page.locator('.ant-menu a[href="/audit"]').count()).toBeGreaterThan(0);
    await page.locator('.ant-menu-overflow-item-rest').hover();
    await page.getByRole('menuitem', { name: 'Audit' }).click();
    await page.waitForURL(`${url}/audit`);
    await row('jobs.update').waitFor();
    expect(await row('jobs.create').textContent()).toContain('carol (token ');
    expect(await row('workspace.setVariable').textContent()).toMatch(
      /admin \(token [0-9a-f]{16}\)127\.0\.0\.1workspace\.setVariabledefaultvariable db_password200/,
    );

    // A record opens to its resource before and after: the job's parallelism changed.
    await row('jobs.update').locator('.ant-table-row-expand-icon').click();
    const change = page.locator('[data-testid^="audit-change-"]');
    await change.waitFor();
    const changed = change.locator('tr[data-kind="changed"]');
    expect(await changed.count()).toBeGreaterThan(0);
    expect(await change.textContent()).toContain('"parallelism": 1');
    expect(await change.textContent()).toContain('"parallelism": 3');
    await page.screenshot({ path: path.join(SHOTS, 'audit-log.png'), fullPage: true });

    // The refused change, by the outcome filter; the secret's record, masked.
    await page.getByTestId('audit-outcome').click();
    await page.getByTitle('refused').click();
    await row('jobs.remove').getByText('403 forbidden').waitFor();
    expect(await page.locator('[data-testid="audit-table"] tr.ant-table-row').count()).toBe(1);
    await page.getByTestId('audit-outcome').locator('.ant-select-clear').click();
    await page.getByTestId('audit-name').fill('db_password');
    await row('workspace.setVariable').locator('.ant-table-row-expand-icon').click();
    await page.getByText('"value": "******"').waitFor();
    expect(await page.content()).not.toContain(SECRET);

    // The export is what the filters keep.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('sluice-audit.csv');
    const file = await download.path();
    const csv = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^id,at,actor,via,/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(',workspace.setVariable,variable,db_password,default,200,');
    expect(csv[1]).not.toContain(SECRET);

    // In Chinese.
    await page.getByTestId('language').click();
    await page.getByTitle('简体中文').click();
    await page.getByRole('heading', { name: '审计' }).waitFor();
    await page.getByRole('columnheader', { name: '操作者' }).waitFor();
    await page.getByTestId('language').click();
    await page.getByTitle('English').click();
    expect(errors).toEqual([]);
  });

  it("shows a space's owner the records of her spaces, one at a time, and nothing of the others", async () => {
    expect((await call(admin, 'POST', '/spaces', { name: 'team-a' })).status).toBe(201);
    expect((await call(admin, 'POST', '/spaces', { name: 'team-b' })).status).toBe(201);
    const added = await call(admin, 'POST', '/users', { name: 'olga', role: 'owner', space: 'team-a' });
    expect(added.status).toBe(201);
    const olga = ((await added.json()) as { secret: string }).secret;
    expect((await call(admin, 'PUT', '/spaces/team-b/members/olga', { role: 'owner' })).status).toBe(200);
    expect((await call(olga, 'POST', '/jobs', { name: 'payments', sql: SQL, space: 'team-a' })).status).toBe(
      201,
    );
    expect((await call(olga, 'POST', '/jobs', { name: 'refunds', sql: SQL, space: 'team-b' })).status).toBe(
      201,
    );

    const context = await browser!.newContext({
      ...REDUCED_MOTION,
      extraHTTPHeaders: { authorization: `Bearer ${olga}` },
    });
    const hers = await context.newPage();
    await hers.goto(`${url}/jobs`);
    await hers.getByRole('menuitem', { name: 'Jobs' }).waitFor();
    expect(await hers.locator('.ant-menu a[href="/audit"]').count()).toBeGreaterThan(0);
    await hers.goto(`${url}/audit`);
    const rows = hers.locator('[data-testid="audit-table"] tr.ant-table-row');
    // Her first space until she picks another; default's records (carol's job, the secret) never.
    await rows.filter({ hasText: 'payments' }).waitFor();
    expect(await hers.getByTestId('audit-space').textContent()).toContain('team-a');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(
      /olga \(token [0-9a-f]{16}\)127\.0\.0\.1jobs\.createteam-ajob payments201/,
    );
    await hers.getByTestId('audit-space').click();
    await hers.getByTitle('team-b').click();
    await rows.filter({ hasText: 'refunds' }).waitFor();
    // The admin's making her an owner there is team-b's too.
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('spaces.setMember');
    const text = await hers.content();
    for (const other of ['orders', 'db_password', SECRET]) expect(text).not.toContain(other);
    await context.close();
  });

  it('is neither shown nor answered to a user who owns no space', async () => {
    const carol = (
      await t.platform.access.createToken('carol', {
        name: 'browser',
        scopes: ['read', 'write'],
        expiresAt: null,
      })
    ).secret;
    const context = await browser!.newContext({
      ...REDUCED_MOTION,
      extraHTTPHeaders: { authorization: `Bearer ${carol}` },
    });
    const theirs = await context.newPage();
    await theirs.goto(`${url}/jobs`);
    await theirs.getByRole('menuitem', { name: 'Jobs' }).waitFor();
    await theirs.getByText('orders').waitFor();
    expect(await theirs.locator('.ant-menu a[href="/audit"]').count()).toBe(0);
    await theirs.goto(`${url}/audit`);
    await theirs
      .getByTestId('error-message')
      .getByText(/needs to manage in space 'default' \(role owner or more\); carol is developer there/)
      .waitFor();
    await context.close();
  });
});
