import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { operationSucceeded, waitFor } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

/**
 * The console in Debian's Chromium against a real `sluice server` process and a real local Flink:
 * the path of a first-time user from an example to a running job, its savepoint and its versions.
 * Each step leaves a screenshot in test-artifacts/console.
 */
describe('the web console', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  const base = () => c.base;
  const api = (method: string, p: string, body?: unknown) => c.api(method, p, body);
  const shot = (name: string) => c.shot(name);

  beforeAll(async () => {
    c = await startConsole('console');
    ({ page } = c);
    const op = await api('POST', '/targets/local-1.20/start');
    await operationSucceeded(api, String(op.id), 'the start of cluster local-1.20', 180_000);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('guides a first-time user to an example, marks a syntax error as it is typed and clears it when fixed', async () => {
    await page.goto(base());
    await page.getByTestId('create-from-example').waitFor();
    await shot('01-jobs-empty');
    await page.getByTestId('create-from-example').click();
    await page.getByTestId('example-use-datagen-to-print').click();
    await page.getByTestId('job-name').fill('console-demo');
    await page.locator('[data-testid=sql-editor] .view-lines').filter({ hasText: 'CREATE' }).waitFor();
    await page.getByText('No syntax errors').waitFor();

    await page.locator('[data-testid=sql-editor] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSELEC oops;');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=sql-editor] .squiggly-error').first().waitFor({ timeout: 10_000 });
    // The squiggle may be an earlier keystroke's ('SELE'): the last one's answer replaces it.
    await expect
      .poll(() => page.getByTestId('problem').first().textContent(), { timeout: 10_000 })
      .toMatch(/SELEC/);
    await shot('02-editor-syntax-error');
    for (let i = 0; i < '\nSELEC oops;'.length; i++) await page.keyboard.press('Backspace');
    await page.getByText('No syntax errors').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=sql-editor] .squiggly-error').count()).toBe(0);
  });

  it('plans the script with Flink and debug-runs it with rows streaming in', async () => {
    await page.getByTestId('validate').click();
    await page.getByTestId('plan').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plan').first().textContent()).toContain('== Optimized Physical Plan ==');
    await page.getByRole('tab', { name: 'Debug run' }).click();
    await page.getByTestId('debug-start').click();
    await page.getByTestId('debug-cell').first().waitFor({ timeout: 60_000 });
    await shot('03-editor-debug-rows');
    expect(await page.getByTestId('debug-cell').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop debug run' }).click();
    await page.getByTestId('debug-status').filter({ hasText: 'Ended' }).waitFor({ timeout: 30_000 });
  });

  it('creates the job, starts it and sees RUNNING arrive without a reload', async () => {
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('first version from the example');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    await page.getByTestId('action-start').click();
    // A first start has nothing to restore, and says so.
    await page
      .getByText('The job has no savepoint or retained checkpoint: it starts with empty state.')
      .waitFor();
    await page.locator('#confirm-start').click();
    await page.locator('[data-state=RUNNING]').first().waitFor({ timeout: 60_000 });
    await shot('04-job-running');
    // Flink's own Web UI through the platform, read-only.
    const ui = await fetch(`${base()}/flink/local-1.20/`, { headers: authHeaders(base()) });
    expect(ui.headers.get('content-type')).toContain('text/html');
    expect(await ui.text()).toContain('Apache Flink');
    const overview = (await fetch(`${base()}/flink/local-1.20/jobs/overview`, {
      headers: authHeaders(base()),
    }).then((r) => r.json())) as {
      jobs: { name: string; state: string }[];
    };
    expect(overview.jobs).toContainEqual(expect.objectContaining({ name: 'console-demo', state: 'RUNNING' }));
    const flink = await c.newPage();
    await flink.goto(`${base()}/flink/local-1.20/#/job/running`);
    await flink.getByText('console-demo').first().waitFor({ timeout: 30_000 });
    await flink.screenshot({ path: path.join(SHOTS, '04b-flink-web-ui-through-sluice.png') });
    await flink.close();
    const cancel = await fetch(`${base()}/flink/local-1.20/jobs/x`, {
      method: 'PATCH',
      headers: authHeaders(base()),
    });
    expect(cancel.status).toBe(403);
    expect(await page.getByTestId('flink-ui').getAttribute('href')).toMatch(
      /^\/flink\/local-1\.20\/#\/job\/running\/\w+\/overview$/,
    );
  });

  it('stops it with a savepoint and shows the savepoint', async () => {
    await page.getByTestId('action-stop').click();
    await page.locator('#confirm-stop').click();
    await page.locator('[data-state=STOPPED]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Savepoints' }).click();
    await page.getByTestId('savepoint-path').first().waitFor();
    const savepoint = (await page.getByTestId('savepoint-path').first().textContent())!;
    expect(savepoint).toContain('savepoint-');
    await shot('05-job-savepoints');
    // A plain start restores that savepoint, and says so; choosing empty state is warned about.
    await page.getByTestId('action-start').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(savepoint).waitFor();
    expect(await dialog.getByRole('radio', { name: /^The latest savepoint: / }).isChecked()).toBe(true);
    await dialog.getByText('Empty state: nothing is restored').click();
    await dialog.getByTestId('no-state-warning').waitFor();
    await shot('05b-start-dialog-restore');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('saves a second version and shows the two side by side', async () => {
    await page.getByRole('button', { name: 'Edit SQL' }).click();
    await page.locator('[data-testid=sql-editor] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' -- second version');
    await page.keyboard.press('Escape');
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('a comment');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByTestId('diff-view').waitFor();
    // The example ends with a newline: the comment is a line of its own in version 2.
    expect(await page.locator('[data-testid=diff-view] tr[data-kind=added]').count()).toBe(1);
    expect(await page.getByTestId('diff-view').textContent()).toContain('-- second version');
    await shot('06-job-versions-diff');
  });

  it('starts from a savepoint once confirmed, then upgrades the running job to its newest version with one button', async () => {
    await page.getByRole('tab', { name: 'Savepoints' }).click();
    await page.getByTestId('restore-savepoint').first().click();
    await page.locator('#confirm-restore').click();
    // On a loaded 2-core machine (the suite's Kubernetes lane building beside it) this took over 60 s
    // once; 15 s alone.
    await page.locator('[data-state=RUNNING]').first().waitFor({ timeout: 120_000 });
    const started = (await api('GET', '/jobs/console-demo/submissions')) as unknown as {
      steps: { name: string; log: string[] }[];
    }[];
    expect(started.at(-1)!.steps[1]!.log.join('\n')).toMatch(/restoring from file:.*savepoint-/);
    // While it runs, a savepoint cannot be started from: the button says why.
    expect(await page.getByTestId('restore-savepoint').first().isDisabled()).toBe(true);
    expect(await page.getByTestId('action-delete').isDisabled()).toBe(true);
    // Version 2 was saved while version 1 runs: one button upgrades it.
    await page.getByTestId('action-upgrade').click();
    await page.locator('#confirm-upgrade').click();
    await waitFor(
      'version 2 running',
      async () => {
        const j = await api('GET', '/jobs/console-demo');
        return j.state === 'RUNNING' && j.deployedVersion === 2;
      },
      90_000,
    );
    await shot('06b-job-upgraded');
    await api('POST', '/jobs/console-demo/cancel', {});
    await page.locator('[data-state=CANCELLED]').first().waitFor({ timeout: 60_000 });
  });

  it('switches the language to Chinese', async () => {
    await page.getByTestId('language').click();
    await page.getByTitle('简体中文').click();
    await page.getByRole('menuitem', { name: '作业' }).waitFor();
    await page.getByRole('tab', { name: '版本' }).waitFor();
    // The timeline: the badge's words, reasons and dates in Chinese; Flink's own words stay.
    await page.getByRole('tab', { name: '时间线' }).click();
    const timeline = page.getByTestId('event');
    await timeline.filter({ hasText: '集群 local-1.20 上已注册' }).first().waitFor();
    const events = (await timeline.allTextContents()).join('\n');
    expect(events).toContain('TaskManager 运行中 → 运行中');
    expect(events).not.toMatch(/PODS_RUNNING|JM_RUNNING|requested by/);
    expect(events).toMatch(/admin \(console\) 请求启动（提交 #\d+）/);
    expect(events).toMatch(/\d{4}\/\d{1,2}\/\d{1,2}/); // zh-CN dates: 2026/12/1 ...
    // Submissions: kinds, statuses and step names.
    await page.getByRole('tab', { name: '提交记录' }).click();
    await page.getByTestId('submission-kind').filter({ hasText: '升级' }).first().click();
    await page.getByTestId('step-name').filter({ hasText: '带保存点停止' }).first().waitFor();
    expect(await page.getByText('成功').count()).toBeGreaterThan(0);
    // A server error, said in Chinese from its code.
    await page.getByRole('button', { name: /^复\s*制$/ }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('console-demo');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('已有名为「console-demo」的作业：请换一个名称').waitFor();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /取\s*消|Cancel/ })
      .click();
    await shot('07-job-zh-CN');
    await page.goto(`${base()}/jobs`);
    await page.getByText('部署目标').first().waitFor();
    await shot('08-jobs-zh-CN');

    // An error of another area (a workspace catalog's name, refused by the server): in Chinese too.
    await page.getByRole('menuitem', { name: '数据目录' }).click();
    await page.getByTestId('catalog-new').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('catalog-name').fill('default_catalog');
    await dialog.getByRole('button', { name: '用 Flink 校验并保存' }).click();
    await dialog
      .getByTestId('catalog-save-error')
      .getByText('name：「default_catalog」不是有效的数据目录名称', { exact: false })
      .waitFor();
    await shot('08b-catalog-refused-zh-CN');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();

    // A submission that fails at a step: the step, what failed and the job's reason in Chinese,
    // Flink's own words (the column it cannot find) as Flink wrote them.
    await api('POST', '/jobs', {
      name: 'console-broken',
      sql: [
        "CREATE TABLE src (id INT) WITH ('connector' = 'datagen');",
        "CREATE TABLE snk (id INT) WITH ('connector' = 'blackhole');",
        'INSERT INTO snk SELECT nope FROM src;',
      ].join('\n'),
    });
    await api('POST', '/jobs/console-broken/start', {});
    await waitFor(
      'the start of console-broken to fail',
      async () => (await api('GET', '/jobs/console-broken')).state === 'FAILED',
      60_000,
    );
    const [submission] = (await api('GET', '/jobs/console-broken/submissions')) as unknown as {
      error: string;
      errorMessage: { code: string };
    }[];
    expect(submission!.error).toBe(
      'step "plan" failed: Flink rejected the statement at line 3, column 24: Column \'nope\' not found in any table',
    );
    expect(submission!.errorMessage.code).toBe('submission.stepFailed');
    await page.goto(`${base()}/jobs/console-broken`);
    expect(await page.getByTestId('state-reason').textContent()).toMatch(
      /^启动在步骤「生成执行计划」失败：.*Column 'nope' not found in any table/,
    );
    await page.getByRole('tab', { name: '提交记录' }).click();
    await page.getByTestId('submission-kind').filter({ hasText: '启动' }).first().click();
    await page.getByText('失败步骤："生成执行计划"').waitFor();
    expect(await page.getByTestId('submission-failure').textContent()).toBe(
      "Flink 拒绝了第 3 行第 24 列的语句：Column 'nope' not found in any table",
    );
    await shot('08c-submission-failed-zh-CN');
    await api('DELETE', '/jobs/console-broken');
  });

  it('shows engines and deployment targets, variables with secrets masked, catalogs and the lineage graph', async () => {
    await page.getByTestId('language').click();
    await page.getByTitle('English').click();
    await page.getByRole('menuitem', { name: 'Engines', exact: true }).click();
    await page.getByText('Flink engines').waitFor();
    await page.getByRole('menuitem', { name: 'Deployment targets' }).click();
    await page.getByText('local-1.20').first().waitFor();
    await page.getByText('local application').first().waitFor();
    await shot('09-deployment-targets');

    await api('PUT', '/variables/kafka_password', { value: 'not-to-be-seen', secret: true });
    await api('PUT', '/variables/kafka_brokers', { value: 'k1:9092' });
    await page.getByRole('menuitem', { name: 'Variables' }).click();
    await page.getByText('kafka_brokers').waitFor();
    expect(await page.getByText('k1:9092').count()).toBeGreaterThan(0);
    expect(await page.getByText('••••').count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain('not-to-be-seen');
    await shot('10-variables');

    await page.getByRole('menuitem', { name: 'Catalogs' }).click();
    await page.getByText('No catalog is defined').waitFor();
    await shot('11-catalogs-empty');

    await page.getByRole('menuitem', { name: 'Lineage' }).click();
    await page.getByTestId('lineage-job-console-demo').waitFor();
    await shot('12-lineage');
    await page.getByTestId('lineage-job-console-demo').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
  });

  it('shows the server message when a request fails, not a blank page', async () => {
    await page.goto(`${base()}/jobs/no-such-job`);
    await page.getByTestId('error-message').waitFor();
    expect(await page.getByTestId('error-message').textContent()).toContain(
      "job 'no-such-job' does not exist",
    );
    await shot('13-error');
  });

  it("chooses a workspace catalog for the job in the editor's options", async () => {
    await api('PUT', '/catalogs/scratch?target=local-1.20', { type: 'generic_in_memory' });
    await page.goto(`${base()}/jobs/console-demo/edit`);
    await page.getByRole('tab', { name: 'Resources & options' }).click();
    await page.getByTestId('catalogs-select').click();
    await page.getByTitle('scratch (generic_in_memory)').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('use the scratch catalog');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-demo$/);
    expect((await api('GET', '/jobs/console-demo')).catalogs).toEqual(['scratch']);
  });

  it('sets checkpointing, the RocksDB state backend and a restart policy in the form, and Flink runs the job with them', async () => {
    const example = (await api('GET', '/sql/examples')) as unknown as { name: string; sql: string }[];
    const sql = example.find((e) => e.name === 'datagen-to-print')!.sql;
    await api('POST', '/jobs', { name: 'console-tuned', sql, target: 'local-1.20' });
    await page.goto(`${base()}/jobs/console-tuned/edit`);
    await page.getByTestId('options-tab').click();
    const interval = page.getByTestId('option-execution.checkpointing.interval');
    await interval.fill('2 sekunden');
    await page.getByText("'2 sekunden' is not a duration: write a number and a unit").waitFor();
    await page.getByTestId('save').click();
    await page.locator('#confirm-save').click();
    // Nothing is saved while a field is wrong; the message names the option.
    await page.getByTestId('error-message').filter({ hasText: 'execution.checkpointing.interval' }).waitFor();
    expect((await api('GET', '/jobs/console-tuned')).currentVersion).toBe(1);
    await interval.fill('2 s');
    // Each choice shows in its field before the next one is made.
    for (const [key, value] of [
      ['execution.checkpointing.mode', 'AT_LEAST_ONCE'],
      ['state.backend.type', 'rocksdb'],
      ['execution.checkpointing.incremental', 'true'],
    ] as const) {
      await page.getByTestId(`option-${key}`).click();
      await page.getByTitle(value, { exact: true }).click();
      await page
        .locator('.ant-form-item', { has: page.getByTestId(`option-${key}`) })
        .getByTitle(value)
        .waitFor();
    }
    await page.getByTestId('restart-policy').click();
    await page.getByTitle('Fixed delay', { exact: true }).click();
    await page.getByTestId('restart-attempts').fill('2');
    await page.getByTestId('restart-delaySeconds').fill('5');
    await page
      .getByTestId('restart-summary')
      .filter({ hasText: 'Flink restarts the job up to 2 times, 5 s apart, then fails it' })
      .waitFor();
    await page.getByText('Submit it again from the latest checkpoint').click();
    await page.getByTestId('resubmit-attempts').fill('1');
    await page.getByTestId('other-options').fill('table.local-time-zone=Asia/Shanghai');
    await shot('14-editor-resources-and-options');
    await page.getByTestId('save').click();
    await page.getByTestId('save-message').fill('checkpoint every 2 s into RocksDB');
    await page.locator('#confirm-save').click();
    await page.waitForURL(/\/jobs\/console-tuned$/);
    expect(await api('GET', '/jobs/console-tuned')).toMatchObject({
      currentVersion: 2,
      options: {
        'execution.checkpointing.interval': '2 s',
        'execution.checkpointing.mode': 'AT_LEAST_ONCE',
        'execution.checkpointing.incremental': 'true',
        'state.backend.type': 'rocksdb',
        'table.local-time-zone': 'Asia/Shanghai',
      },
      restartPolicy: { kind: 'fixed-delay', attempts: 2, delaySeconds: 5 },
      resubmitPolicy: { kind: 'from-latest-checkpoint', attempts: 1, backoffSeconds: 30 },
    });

    await api('POST', '/jobs/console-tuned/start', {});
    await page.locator('[data-state=RUNNING]').first().waitFor({ timeout: 60_000 });
    const jid = (await api('GET', '/jobs/console-tuned')).flinkJobId as string;
    const flink = (p: string) =>
      fetch(`${base()}/flink/local-1.20${p}`, { headers: authHeaders(base()) }).then((r) => r.json());
    expect(await flink(`/jobs/${jid}/checkpoints/config`)).toMatchObject({
      mode: 'at_least_once',
      interval: 2000,
      state_backend: 'EmbeddedRocksDBStateBackend',
    });
    // The job is sent with the restart strategy the form set (Flink's REST config view names only
    // its cluster default; lifecycle-truths.test.ts shows Flink restarting exactly as set).
    const subs = (await api('GET', '/jobs/console-tuned/submissions')) as unknown as {
      steps: { name: string; log: string[] }[];
    }[];
    const applied = subs
      .at(-1)!
      .steps.find((st) => st.name === 'open SQL session')!
      .log.join('\n');
    expect(applied).toContain("option 'restart-strategy.type' = 'fixed-delay'");
    expect(applied).toContain("option 'restart-strategy.fixed-delay.attempts' = '2'");
    await waitFor(
      'a completed checkpoint',
      async () =>
        ((await flink(`/jobs/${jid}/checkpoints`)) as { counts: { completed: number } }).counts.completed > 0,
      30_000,
    );
    // The job's page shows what it runs with, and the checkpoint Flink completed.
    await page.reload();
    await page.getByText('every 2 s · AT_LEAST_ONCE · rocksdb').waitFor();
    await page
      .getByTestId('last-checkpoint')
      .filter({ hasText: /^#\d+ · / })
      .waitFor();
    await shot('14b-job-checkpointing');
    await api('POST', '/jobs/console-tuned/cancel', {});
    await page.locator('[data-state=CANCELLED]').first().waitFor({ timeout: 60_000 });
  });

  it('copies a job from the list, finds it by name and by state, and deletes the copy once confirmed', async () => {
    await page.goto(`${base()}/jobs`);
    const rows = page.locator('tr.ant-table-row');
    await rows.filter({ hasText: 'console-tuned' }).getByRole('button', { name: 'Copy' }).click();
    await page.getByLabel('Name of the copy').fill('console-tuned-copy');
    // The copy's answer is awaited and said: a run in CI once waited 30 s for the job's page without
    // telling whether the copy was refused, never sent, or answered and not followed.
    const [copied] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/jobs/console-tuned/copy'),
        {
          timeout: 15_000,
        },
      ),
      page.getByRole('dialog').getByRole('button', { name: 'OK' }).click(),
    ]);
    expect(copied.status(), await copied.text()).toBe(201);
    await page.waitForURL(/\/jobs\/console-tuned-copy$/);
    // A copy is a new job with the source's current content, never its deployment.
    expect(await api('GET', '/jobs/console-tuned-copy')).toMatchObject({
      state: 'CREATED',
      currentVersion: 1,
      options: { 'state.backend.type': 'rocksdb' },
    });

    await page.getByRole('menuitem', { name: 'Jobs' }).click();
    await page.getByPlaceholder('Search by name').fill('tuned');
    await rows.filter({ hasText: 'console-tuned-copy' }).waitFor();
    expect(await rows.count()).toBe(2);
    await page.getByTestId('jobs-filter-state').click();
    await page.getByTitle('Created').click();
    await page.keyboard.press('Escape');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('console-tuned-copy');
    await shot('18-jobs-filtered');

    await rows.filter({ hasText: 'console-tuned-copy' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Its versions, submissions and events are deleted').waitFor();
    await page.locator('#confirm-delete').click();
    await expect.poll(() => rows.count()).toBe(0);
    await expect(api('GET', '/jobs/console-tuned-copy')).rejects.toThrow(/404/);
  });
});
