import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { buildUdfJar } from '../support/udf-jar.ts';

/**
 * The artifacts page in Debian's Chromium against a real `sluice server`: a jar uploaded from the
 * page, a bad one refused with its reason, versions, the functions found in a version with the
 * statement to copy, and a delete refused (naming the job and its version) while a job uses it.
 */
describe('the web console: artifacts', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let scratch: string;
  let jar: string;
  const errors: string[] = [];

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-artifacts-'));
    jar = buildUdfJar(scratch, inject('engineHome'));
    c = await startConsole('console-artifacts');
    page = c.page;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // A refused request is logged by the browser as a failed resource: that is the point of the test.
      if (m.type() === 'error' && !/status of (400|409)/.test(m.text())) errors.push(m.text());
    });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('uploads a jar, refuses a file that is not one, and shows the versions', async () => {
    await page.goto(`${c.base}/artifacts`);
    await page.getByTestId('artifacts-empty').waitFor();
    await page.getByTestId('artifact-upload').click();
    const dialog = page.getByRole('dialog');
    const notAJar = path.join(scratch, 'readme.jar');
    fs.writeFileSync(notAJar, 'not a zip');
    await dialog.getByTestId('artifact-file').setInputFiles(notAJar);
    await dialog.getByRole('button', { name: 'Upload a jar' }).click();
    await dialog
      .getByTestId('artifact-upload-error')
      .getByText(/readme\.jar is not a jar \(not a zip archive: .*\); nothing was stored/)
      .waitFor();
    await c.shot('60-artifact-refused');
    await dialog.getByTestId('artifact-file').setInputFiles(jar);
    await dialog.getByTestId('artifact-name').fill('udfs');
    await dialog.getByRole('button', { name: 'Upload a jar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('tr.ant-table-row', { hasText: 'udfs' });
    await row.getByText('v1').waitFor();
    // A second upload of the name is its version 2, through the API as the CLI would.
    const bytes = fs.readFileSync(jar);
    const res = await fetch(`${c.base}/api/v1/artifacts?name=udfs&fileName=udfs-2.jar`, {
      method: 'POST',
      headers: { 'content-type': 'application/java-archive' },
      body: bytes,
    });
    expect(res.status).toBe(201);
    await page.reload();
    await row.getByText('v2').waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    const versions = page.getByTestId('versions-udfs');
    await versions.getByText('udfs-2.jar').waitFor();
    await versions.getByText('sluice-test-udfs-1.0.jar').waitFor();
    expect(await versions.locator('tr.ant-table-row').count()).toBe(2);
    await c.shot('61-artifact-versions');
  });

  it('shows the functions of a version with the statement that registers them', async () => {
    await page.getByTestId('functions-udfs-1').click();
    const functions = page.getByTestId('functions');
    await functions.getByText('weighted_avg', { exact: true }).waitFor({ timeout: 60_000 });
    await functions.getByText('(Long, Integer) → Double').waitFor();
    await functions.getByText('(Integer, Boolean) → String').waitFor();
    const statement = await page.getByTestId('statement-to_upper').textContent();
    expect(statement).toMatch(
      /^CREATE TEMPORARY FUNCTION to_upper AS 'dev\.sluice\.udf\.ToUpper' USING JAR '.+\.jar';$/,
    );
    await c.shot('62-artifact-functions');
    await page.keyboard.press('Escape');
    await functions.waitFor({ state: 'hidden' });
  });

  it('refuses deleting what a job version uses, naming it, in English and Chinese', async () => {
    await c.api('POST', '/jobs', {
      name: 'with-udfs',
      sql: "CREATE TABLE s (x STRING) WITH ('connector' = 'datagen');\nCREATE TABLE k (x STRING) WITH ('connector' = 'blackhole');\nINSERT INTO k SELECT x FROM s;",
      artifacts: ['udfs@1'],
    });
    await page.getByTestId('delete-udfs').click();
    await page.getByRole('button', { name: 'OK' }).click();
    await page
      .getByTestId('artifact-delete-refusal')
      .getByText(
        'artifact udfs is used by job(s) with-udfs (v1): delete those jobs or save versions of them without it first',
      )
      .waitFor();
    await c.shot('63-artifact-delete-refused');
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'OK' }).click();
    await page.getByTestId('language').click();
    await page.getByText('简体中文').click();
    await page.getByTestId('delete-udfs-1').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page
      .getByTestId('artifact-delete-refusal')
      .getByText('制品 udfs 的版本 1 被作业 with-udfs (v1) 使用')
      .waitFor();
    await c.shot('64-artifact-delete-refused-zh');
    await page.locator('.ant-modal-confirm').getByRole('button').last().click();
    // Version 2 is not used: it goes.
    await page.getByTestId('delete-udfs-2').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page
      .getByTestId('versions-udfs')
      .locator('tr.ant-table-row')
      .first()
      .getByText('1', { exact: true })
      .waitFor();
    expect(((await c.api('GET', '/artifacts/udfs')) as { versions: unknown[] }).versions).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
