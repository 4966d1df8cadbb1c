import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import { confirmUntil, CONTEXT_OPTIONS, openBuiltConsole, SHOTS } from '../support/console.ts';

const FIRST = 'nina’s first password';
const SECOND = 'nina’s second password';

/**
 * The Account and Users pages (issue 15 item 1) in Debian's Chromium against a real API: a platform
 * admin adds a user on the Users page and sees its first token once, sets its password there, and is
 * told by the server why the last admin cannot be removed; that user signs in on the sign-in page,
 * sees no Users page, is told the server's reason for a wrong current password, changes its password
 * on the Account page, makes a read-only token (its secret shown once) and revokes it, and signs in
 * again with the new password only.
 */
describe('the web console: account and users', () => {
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser | undefined;
  let admin: Page;
  let errors: string[];
  let firstToken = '';

  const meWith = async (token: string) => {
    const r = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: r.status,
      body: r.status === 200 ? ((await r.json()) as { name: string; scopes: string[] }) : null,
    };
  };
  /** Signs in through the sign-in page, as a person does; the page lands on the jobs. */
  const signIn = async (page: Page, password: string) => {
    await page.goto(`${url}/sign-in`);
    await page.getByLabel('User name').fill('nina');
    await page.getByLabel('Password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  };

  beforeAll(async () => {
    ({ url, close } = await servedPlatform());
    ({ browser, page: admin, errors } = await openBuiltConsole(url));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('lets a platform admin add a user (its first token shown once), set its password, and not remove the last admin', async () => {
    await admin.goto(`${url}/users`);
    await admin.getByTestId('users-table').waitFor();
    expect(await admin.locator('header a[href="/users"]').count()).toBeGreaterThan(0);
    await admin.getByTestId('user-new').click();
    await admin.getByTestId('user-name').fill('nina');
    await admin.getByTestId('user-add').click();
    const secret = admin.getByTestId('token-secret');
    await secret.waitFor();
    firstToken = (await secret.innerText()).trim();
    expect(firstToken).toMatch(/^slu_/);
    expect(await meWith(firstToken)).toMatchObject({ status: 200, body: { name: 'nina' } });
    await admin.screenshot({ path: path.join(SHOTS, 'users-first-token.png'), fullPage: true });
    await admin.getByTestId('user-done').click();
    // Shown once: the dialog is gone, and nothing on the page holds the secret any more.
    await admin.getByTestId('token-secret').waitFor({ state: 'detached' });
    expect(await admin.content()).not.toContain(firstToken);
    await admin.getByTestId('user-password-nina').waitFor();

    // Added with tokens only; its first password is set here (typed twice).
    await admin.getByTestId('user-password-nina').click();
    await admin.getByTestId('user-password').fill(FIRST);
    await admin.getByTestId('user-password-repeat').fill(FIRST);
    await admin.locator('#confirm-user-password').click();
    await admin.getByText('The password of nina is set').waitFor();

    // The last admin stays: the server's reason is shown.
    const refusal = admin.getByTestId('user-error');
    await confirmUntil(admin.getByTestId('user-remove-admin'), 'confirm-user-remove', refusal);
    expect(await refusal.innerText()).toContain(
      'user admin is the last platform admin: add another admin before removing it',
    );
  }, 120_000);

  it('lets the user change its password on the Account page, make and revoke a token, and sign in with the new password', async () => {
    const context = await browser!.newContext(CONTEXT_OPTIONS);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`nina: ${e.message}`));
    await signIn(page, FIRST);
    await page.waitForURL(/\/jobs$/);
    // Users are the platform admins': no link for nina; its Account page is linked from its name.
    // Once the header knows who signed in (its name links to the Account page), it has no Users link.
    await page.locator('header a[href="/account"]').first().waitFor();
    expect(await page.locator('header a[href="/users"]').count()).toBe(0);
    await page.goto(`${url}/users`);
    expect(await page.getByTestId('users-admin-only').innerText()).toContain('Only platform admins');
    expect(await page.getByTestId('users-table').count()).toBe(0);
    // The user's name in the header opens its Account page.
    await page.getByTestId('signed-in-user').click();
    await page.waitForURL(/\/account$/);
    expect(await page.getByTestId('account-name').innerText()).toBe('nina');
    expect(await page.getByTestId('account-spaces').innerText()).toContain('default: developer');

    // A wrong current password: the server's message, nothing changed.
    await page.getByTestId('password-current').fill('not my password at all');
    await page.getByTestId('password-new').fill(SECOND);
    await page.getByTestId('password-repeat').fill(SECOND);
    await page.getByTestId('password-change').click();
    await expect
      .poll(() => page.getByTestId('password-error').innerText())
      .toContain('the current password is wrong: nothing was changed');
    await page.getByTestId('password-current').fill(FIRST);
    await page.getByTestId('password-change').click();
    await page.getByText('Password changed').waitFor();
    // This session stays signed in.
    await page.reload();
    expect(await page.getByTestId('account-name').innerText()).toBe('nina');

    // A read-only token, its secret shown once, then revoked after a confirmation.
    await page.getByTestId('token-new').click();
    await page.getByTestId('token-name').fill('ci');
    await page.getByTestId('token-read-only').check();
    await page.getByTestId('token-create').click();
    const shown = page.getByTestId('token-secret');
    await shown.waitFor();
    const ci = (await shown.innerText()).trim();
    expect(await meWith(ci)).toMatchObject({ status: 200, body: { name: 'nina', scopes: ['read'] } });
    await page.screenshot({ path: path.join(SHOTS, 'account-token.png'), fullPage: true });
    await page.getByTestId('token-done').click();
    await page.getByTestId('token-secret').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('token-state-ci').innerText()).toBe('active');
    expect(await page.content()).not.toContain(ci);
    await page.getByTestId('token-revoke-ci').click();
    await page.locator('#confirm-token-revoke').click();
    await expect.poll(() => page.getByTestId('token-state-ci').innerText()).toBe('revoked');
    expect((await meWith(ci)).status).toBe(401);
    // The first token is untouched by the password change and the revocation.
    expect((await meWith(firstToken)).status).toBe(200);
    await page.screenshot({ path: path.join(SHOTS, 'account.png'), fullPage: true });

    // Signed out, the old password no longer signs in; the new one does.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await signIn(page, FIRST);
    await expect
      .poll(() => page.getByTestId('sign-in-error').innerText())
      .toBe('the user name or the password is wrong');
    await signIn(page, SECOND);
    await page.waitForURL(/\/jobs$/);
    await expect.poll(() => page.getByTestId('signed-in-user').innerText()).toBe('nina');
    await context.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
