import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { counterRepo, type CounterRepo } from '../support/git-repo.ts';
import { STATEFUL_COUNTER_MAIN, testJars } from '../support/test-jars.ts';
import { buildUdfJar } from '../support/udf-jar.ts';
import { authHeaders } from '../support/credentials.ts';

/**
 * The artifacts page in Debian's Chromium against a real `sluice server`: a jar uploaded from the
 * page, a bad one refused with its reason, versions, the functions found in a version with the
 * statement to copy, and a delete refused (naming the job and its version) while a job uses it; a JAR
 * job created from an artifact's version, its refusals at their field, edited to a new version past
 * a concurrent save (409), and the diff of its jar fields; a jar built from a git repository from the
 * page, a failed build with its step and log, a stored one with its commit.
 */
describe('the web console: artifacts', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let scratch: string;
  let jar: string;
  let counterJar: string;
  const errors: string[] = [];
  // The OK of the delete's own popup: a click before it is shown (under load) would be lost.
  const confirmPopup = () =>
    page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-artifacts-'));
    jar = buildUdfJar(scratch, inject('engineHome'));
    counterJar = (await testJars('1.20.3')).statefulCounter;
    c = await startConsole('console-artifacts');
    page = c.page;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // A refused request is logged by the browser as a failed resource: that is the point of the test.
      if (m.type() === 'error' && !/status of (400|409)/.test(m.text())) errors.push(m.text());
    });
  }, 600_000);
  let repo: CounterRepo | undefined;
  afterAll(async () => {
    await c?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    repo?.remove();
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
      headers: { ...authHeaders(c.base), 'content-type': 'application/java-archive' },
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

  it('refuses deleting what a job version uses, naming it, in English and Chinese', () =>
    c.explaining(async () => {
      await c.api('POST', '/jobs', {
        name: 'with-udfs',
        sql: "CREATE TABLE s (x STRING) WITH ('connector' = 'datagen');\nCREATE TABLE k (x STRING) WITH ('connector' = 'blackhole');\nINSERT INTO k SELECT x FROM s;",
        artifacts: ['udfs@1'],
      });
      await page.getByTestId('delete-udfs').click();
      await confirmPopup();
      await page
        .getByTestId('artifact-delete-refusal')
        .getByText(
          'artifact udfs is used by job(s) with-udfs (v1): delete those jobs or save versions of them without it first',
        )
        .waitFor();
      await c.shot('63-artifact-delete-refused');
      await page.locator('.ant-modal-confirm').getByRole('button', { name: 'OK' }).click();
      await page.getByTestId('language').click();
      await page.locator('.ant-select-item-option[title="简体中文"]').click();
      await page.getByTestId('delete-udfs-1').click();
      await confirmPopup();
      await page
        .getByTestId('artifact-delete-refusal')
        .getByText('制品 udfs 的版本 1 被作业 with-udfs (v1) 使用')
        .waitFor();
      await c.shot('64-artifact-delete-refused-zh');
      await page.locator('.ant-modal-confirm').getByRole('button').last().click();
      // Version 2 is not used: it goes.
      await page.getByTestId('delete-udfs-2').click();
      await confirmPopup();
      await page
        .getByTestId('versions-udfs')
        .locator('tr.ant-table-row')
        .first()
        .getByText('1', { exact: true })
        .waitFor();
      expect(((await c.api('GET', '/artifacts/udfs')) as { versions: unknown[] }).versions).toHaveLength(1);
      expect(errors).toEqual([]);
    }));

  it('creates a JAR job from an artifact version, edits it to a new version past a concurrent save, and shows its diff', async () => {
    const upload = async (fileName: string) => {
      const res = await fetch(`${c.base}/api/v1/artifacts?name=counter&fileName=${fileName}`, {
        method: 'POST',
        headers: { ...authHeaders(c.base), 'content-type': 'application/java-archive' },
        body: fs.readFileSync(counterJar),
      });
      expect(res.status).toBe(201);
    };
    await upload('stateful-counter.jar');
    await upload('stateful-counter-2.jar');
    await page.getByTestId('language').click();
    await page.locator('.ant-select-item-option[title="English"]').click();
    await page.goto(`${c.base}/artifacts`);
    await page
      .locator('tr.ant-table-row', { hasText: 'counter' })
      .locator('.ant-table-row-expand-icon')
      .click();
    await page.getByTestId('job-from-counter-1').click();
    await page.waitForURL(/\/jobs\/new-jar\?jar=counter%401$/);
    // The entry class starts as the manifest's Main-Class.
    const entry = page.getByTestId('jar-entry-class');
    await page.getByText(`Left empty: the jar's Main-Class ${STATEFUL_COUNTER_MAIN}`).waitFor();
    expect(await entry.inputValue()).toBe(STATEFUL_COUNTER_MAIN);

    // The server's refusals land at their field: a class the jar lacks, then a bad name.
    await page.getByTestId('jar-job-name').fill('Counter Jar');
    await entry.fill('dev.sluice.Nope');
    await page.getByTestId('jar-args').fill('--keys 2 --name "counter one"');
    await page.getByTestId('save-jar-job').click();
    await page.getByTestId('error-name').waitFor();
    await page.getByTestId('jar-job-name').fill('counter-jar');
    await page.getByTestId('save-jar-job').click();
    await page
      .getByTestId('error-entryClass')
      .getByText(/artifact counter@1 has no class dev\.sluice\.Nope \(\d+ top-level classes\)/)
      .waitFor();
    await c.shot('65-jar-job-refused');
    await entry.fill(STATEFUL_COUNTER_MAIN);
    await page.getByTestId('save-jar-job').click();
    await page.waitForURL(/\/jobs\/counter-jar$/);
    await page.getByTestId('jar').getByText('counter@1').waitFor();
    expect(await page.getByTestId('entry-class').textContent()).toBe(STATEFUL_COUNTER_MAIN);
    expect(await page.getByTestId('args').textContent()).toBe('["--keys","2","--name","counter one"]');
    await c.shot('66-jar-job-created');
    await page.goto(`${c.base}/jobs`);
    await page.locator('tr.ant-table-row', { hasText: 'counter-jar' }).getByText('v1').waitFor();

    // Edit: another artifact version, arguments and classpath; someone saves in between.
    await page.getByRole('link', { name: 'counter-jar', exact: true }).click();
    await page.getByTestId('edit-jar-job').click();
    await page.waitForURL(/\/jobs\/counter-jar\/edit-jar$/);
    await page.getByTestId('jar-job-form').waitFor();
    expect(await page.getByTestId('jar-args').inputValue()).toBe("--keys 2 --name 'counter one'");
    const edit = async () => {
      // Chosen by typing: a closing dropdown of the other select is still in the page.
      await page.getByTestId('jar-select').click();
      await page.keyboard.type('counter@2');
      await page.keyboard.press('Enter');
      await page.getByTestId('jar-args').fill('--keys 4');
      await page.getByTestId('classpath-select').click();
      await page.keyboard.type('udfs@1');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.getByTestId('version-message').fill('counter 2 with udfs');
    };
    await edit();
    // The Main-Class of the new version is the same class: the field keeps it.
    expect(await page.getByTestId('jar-entry-class').inputValue()).toBe(STATEFUL_COUNTER_MAIN);
    await c.api('PATCH', '/jobs/counter-jar', { baseVersion: 1, message: 'wider', parallelism: 2 });
    await page.getByTestId('save-jar-job').click();
    await page
      .getByTestId('error-message')
      .getByText(/the job changed since version 1 you edited: it is now at version 2/)
      .waitFor();
    await c.shot('67-jar-job-conflict');
    await page.getByTestId('reload-job').click();
    await page.getByTestId('error-message').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('parallelism').inputValue()).toBe('2');
    await edit();
    await page.getByTestId('save-jar-job').click();
    await page.waitForURL(/\/jobs\/counter-jar$/);
    await page.getByTestId('jar').getByText('counter@2').waitFor();

    // The diff of v2 → v3 is the jar fields, not an empty SQL diff.
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByText('counter 2 with udfs').waitFor();
    await page.getByTestId('change-jar').getByText('jar: counter@1 → counter@2').waitFor();
    await page
      .getByTestId('change-args')
      .getByText("args: --keys 2 --name 'counter one' → --keys 4")
      .waitFor();
    await page.getByTestId('change-classpath').getByText('classpath: - → udfs@1').waitFor();
    expect(await page.getByTestId('change-entryClass').count()).toBe(0);
    await c.shot('68-jar-job-diff');
    const job = await c.api('GET', '/jobs/counter-jar');
    expect(job).toMatchObject({
      kind: 'jar',
      currentVersion: 3,
      parallelism: 2,
      jar: { name: 'counter', version: 2 },
      entryClass: STATEFUL_COUNTER_MAIN,
      args: ['--keys', '4'],
      classpath: [{ name: 'udfs', version: 1 }],
    });
    expect(errors).toEqual([]);
  });

  it('builds a jar from a git repository: a failure with its step and log, then a version with its commit', async () => {
    repo = counterRepo();
    await page.goto(`${c.base}/artifacts`);
    // In English, whichever language the tests before left chosen.
    await page.evaluate(() => localStorage.setItem('sluice.language', 'en'));
    await page.reload();
    const startBuild = async (fields: Record<string, string>) => {
      await page.getByTestId('artifact-git-build').click();
      const dialog = page.getByRole('dialog');
      for (const [field, value] of Object.entries(fields))
        await dialog.getByTestId(`git-build-${field}`).fill(value);
      await dialog.getByRole('button', { name: 'Build', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await startBuild({ url: `file://${repo.dir}`, ref: 'broken', module: repo.module });
    const failed = page.getByTestId('git-build');
    await failed
      .getByTestId('git-build-failure')
      .getByText(/failed at step "build": javac refused the sources/)
      .waitFor({ timeout: 120_000 });
    expect(await failed.getByTestId('git-build-step').textContent()).toBe('step: build');
    // The whole log, the compiler's own line among Maven's.
    expect(await failed.getByTestId('git-build-log').textContent()).toMatch(
      /\[clone\] cloning file:\/\/[\s\S]*\[ERROR\] .*StatefulCounter\.java:\[\d+,\d+\] incompatible types/,
    );
    await c.shot('69-git-build-failed');
    await failed.getByTestId('git-build-close').click();
    await failed.waitFor({ state: 'detached' });

    await startBuild({ url: `file://${repo.dir}`, module: repo.module, name: 'counter-git' });
    const built = page.getByTestId('git-build');
    await built
      .getByTestId('git-build-stored')
      .getByText('counter-git version 1 stored')
      .waitFor({ timeout: 120_000 });
    expect(await built.getByTestId('git-build-step').textContent()).toBe('step: check jar');
    const row = page.locator('tr.ant-table-row', { hasText: 'counter-git' });
    await row.locator('.ant-table-row-expand-icon').click();
    await page
      .getByTestId('source-counter-git-1')
      .getByText(`git file://${repo.dir}@main ${repo.head.slice(0, 12)} /${repo.module}`)
      .waitFor();
    await c.shot('70-git-build-stored');
    expect(errors).toEqual([]);
  }, 300_000);
});
