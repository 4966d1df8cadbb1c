import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SqlGatewayClient,
  SqlGatewayError,
} from '../../src/adapters/flink/sql-gateway/sql-gateway-client.ts';
import { FLINK_FUNCTIONS } from '../../src/web/src/models/flink-functions.ts';
import { readFlinkRestTls } from '../../src/adapters/flink/local-cluster/rest-tls.ts';
import { trustLocalCluster } from '../../src/adapters/flink/rest/flink-fetch.ts';
import { SHOTS, signedInContext, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { operationSucceeded } from '../support/platform.ts';
import { createShopDatabase } from '../support/postgres.ts';

/**
 * The SQL studio and the live job list in Debian's Chromium against a real `sluice server` and real
 * Flink: completion, the example gallery, problems that take the cursor to them, unsaved changes,
 * the debug run's limits and given rows, Delete refused while a job runs, and one event connection
 * for ten tabs. Any page error or console error fails the test it happens in.
 */
describe('the web console: SQL studio and live updates', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  const api = (method: string, p: string, body?: unknown) => c.api(method, p, body);
  const editor = () => page.locator('[data-testid=sql-editor]');
  const suggestions = () => page.locator('.suggest-widget .monaco-list-row');
  const problems: string[] = [];
  const requests: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  };
  const SHOP_DB = 'sluice_studio_shop';

  beforeAll(async () => {
    c = await startConsole('studio');
    page = c.page;
    watch(page);
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    const op = await api('POST', '/targets/local-1.20/start');
    await operationSucceeded(api, String(op.id), 'the start of cluster local-1.20', 180_000);
    // A JDBC catalog over the suite's PostgreSQL, with one table, for completion from catalogs.
    const dbUrl = await createShopDatabase(inject('postgresAdminUrl'), SHOP_DB);
    await api('PUT', '/variables/shop_password', { value: 'unused-with-trust', secret: true });
    await api('PUT', '/catalogs/shop?target=local-1.20', {
      type: 'jdbc',
      options: {
        'base-url': `jdbc:postgresql://127.0.0.1:${new URL(dbUrl).port}`,
        'default-database': SHOP_DB,
        username: 'sluice',
        password: '${shop_password}',
      },
    });
    const examples = (await api('GET', '/sql/examples')) as unknown as { name: string; sql: string }[];
    await api('POST', '/jobs', {
      name: 'studio-events',
      sql: examples.find((e) => e.name === 'datagen-to-print')!.sql,
    });
  });
  afterEach(() => {
    const seen = problems.splice(0);
    expect(seen, 'errors in the page').toEqual([]);
  });
  afterAll(async () => {
    await c?.close();
  });

  /** The text of the editor's line that holds `marker`, and where the marker is in it (1-based). */
  const lineWith = async (marker: string) => {
    const lines = (await editor().locator('.view-line').allInnerTexts()).map((l) =>
      l.replace(/\u00a0/g, ' '),
    );
    const line = lines.find((l) => l.includes(marker));
    return { text: line, column: line ? line.indexOf(marker) + 1 : 0 };
  };

  it('enters the editor through New job without a page error or a request for GET /api/v1/jobs/', async () => {
    await page.goto(`${c.base}/jobs`);
    // Twice through the app, not by reloading: Monaco is set up once, with its contributions.
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('new-job').click();
      await editor().locator('.view-lines').waitFor();
      await page.getByRole('menuitem', { name: 'Jobs' }).click();
      await page.getByTestId('new-job').waitFor();
    }
    await page.getByTestId('new-job').click();
    await editor().locator('.view-lines').waitFor();
    expect(requests.filter((r) => r.endsWith('/api/v1/jobs/'))).toEqual([]);
  });

  it('offers the tables the script declares, keywords and functions, and the columns after an alias', async () => {
    await editor().locator('.view-lines').click();
    await page.keyboard.insertText(
      "CREATE TABLE clicks (user_id INT, url STRING, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');\n",
    );
    await page.keyboard.type('SELECT * FROM cl');
    await suggestions().filter({ hasText: 'clicks' }).first().waitFor({ timeout: 30_000 });
    expect(await suggestions().first().textContent()).toMatch(/^clicks\s*table/);
    await c.shot('20-completion-table');
    await page.keyboard.press('Tab');
    // Asked for: functions and keywords where an expression may start.
    await page.keyboard.insertText(';\nSELECT COU');
    await page.keyboard.press('Control+Space');
    await suggestions()
      .filter({ hasText: /^COUNT\s*function/ })
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.insertText(';\nSELECT CAS');
    await page.keyboard.press('Control+Space');
    await suggestions()
      .filter({ hasText: /^CASE\s*keyword/ })
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');

    // Between SELECT and FROM: after `c.` the columns of clicks, with their types, and nothing else.
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(';\nSELECT  FROM clicks c;');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'SELECT '.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('c.');
    await suggestions().filter({ hasText: 'user_id' }).waitFor({ timeout: 30_000 });
    expect(await suggestions().allTextContents()).toEqual([
      'user_idINT · clicks',
      'urlSTRING · clicks',
      'tsTIMESTAMP · clicks',
    ]);
    await c.shot('21-completion-columns');
    await page.keyboard.press('Escape');
    expect((await lineWith('SELECT * FROM ')).text).toMatch(/^SELECT \* FROM clicks;?/);
  });

  it("offers the tables of the job's catalogs, and a catalog table's columns after its alias", async () => {
    await page.getByRole('tab', { name: 'Resources & options' }).click();
    await page.getByTestId('catalogs-select').click();
    // The tables of its default database are read first, through the engine.
    const listed = page.waitForResponse((r) =>
      r.url().includes(`/api/v1/catalogs/shop/databases/${SHOP_DB}/tables`),
    );
    await page.getByTitle('shop (jdbc)').click();
    await page.keyboard.press('Escape');
    await listed;
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n');
    await page.keyboard.type('SELECT * FROM shop.sl');
    const qualified = `shop.${SHOP_DB}.\`public.payments\``;
    await suggestions().filter({ hasText: qualified }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Tab');
    await page.keyboard.type(' p WHERE p.');
    await suggestions().filter({ hasText: 'amount' }).waitFor({ timeout: 60_000 });
    // In the order the table declares them.
    expect((await suggestions().allTextContents()).map((s) => s.split(/[A-Z]/)[0])).toEqual(['id', 'amount']);
    await page.keyboard.press('Escape');
    expect((await lineWith('WHERE p.')).text).toBe(`SELECT * FROM ${qualified} p WHERE p.`);
    await c.shot('22-completion-catalog');
  });

  it('takes the cursor to a problem chosen in the list and focuses the editor', async () => {
    await page.getByRole('tab', { name: /^Problems/ }).click();
    const problem = page.getByTestId('problem').first();
    await problem.waitFor({ timeout: 10_000 });
    // The last test's typing is still being checked: wait until the list stops changing.
    let listed = '';
    await expect
      .poll(
        async () => {
          const before = listed;
          listed = (await page.getByTestId('problem').allTextContents()).join('\n');
          return listed === before;
        },
        { timeout: 30_000, interval: 1_500 },
      )
      .toBe(true);
    const [line, column] = (await problem.locator('code').textContent())!.split(':').map(Number);
    // Somewhere else first: the first line's start.
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await problem.click();
    // The editor moves its cursor on the next frame after the click.
    await expect
      .poll(() => editor().locator('.line-numbers.active-line-number').textContent(), { timeout: 5_000 })
      .toBe(String(line));
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid=sql-editor]')), {
        timeout: 5_000,
      })
      .toBe(true);
    await page.keyboard.type('§');
    expect((await lineWith('§')).column).toBe(column);
    await page.keyboard.press('Backspace');
  });

  it('asks before leaving the editor with unsaved changes, in the app and when the tab closes', async () => {
    await page.getByTestId('unsaved').waitFor();
    await page.getByRole('menuitem', { name: 'Jobs' }).click();
    const ask = page.getByRole('dialog').filter({ hasText: 'Leave without saving?' });
    await ask.waitFor();
    await c.shot('23-editor-leave');
    await ask.getByRole('button', { name: 'Stay' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/jobs/new');
    expect((await lineWith('WHERE p.')).text).toContain('payments');

    // Reloading or closing the tab with changes: the browser's own question (beforeunload). Headless
    // Chromium asks it when the page is left, not when Playwright closes the page.
    const other = await c.newPage();
    watch(other);
    await other.goto(`${c.base}/jobs/new`);
    await other.locator('[data-testid=sql-editor] .view-lines').click();
    await other.keyboard.type('SELECT 1');
    await other.getByTestId('unsaved').waitFor();
    const question = other.waitForEvent('dialog');
    // Not awaited: the page is held by the question until it is answered.
    const reload = other.evaluate(() => location.reload()).catch(() => undefined);
    const asked = await question;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss();
    await reload;
    await other.getByTestId('unsaved').waitFor();
    expect(
      (await other.locator('[data-testid=sql-editor] .view-lines').textContent())!.replace(/\u00a0/g, ' '),
    ).toContain('SELECT 1');
    // Without changes there is nothing to ask.
    let questions = 0;
    other.on('dialog', (d) => void ((questions += 1), d.accept()));
    await other.goto(`${c.base}/jobs/new`); // the question is answered: leave
    expect(questions).toBe(1);
    await other.locator('[data-testid=sql-editor] .view-lines').click();
    expect(await other.getByTestId('unsaved').count()).toBe(0);
    await other.reload();
    await other.locator('[data-testid=sql-editor] .view-lines').waitFor();
    expect(questions).toBe(1);
    await other.close();

    await page.getByRole('menuitem', { name: 'Jobs' }).click();
    await ask.getByRole('button', { name: 'Leave' }).click();
    await page.waitForURL(/\/jobs$/);
  });

  it('opens the editor filled with an example chosen in the searchable gallery', async () => {
    await page.goto(`${c.base}/jobs`);
    await page.getByTestId('examples').click();
    await page.waitForURL(/\/examples$/);
    const cards = page.getByTestId('example-card');
    await cards.first().waitFor();
    const all = await cards.count();
    expect(all).toBeGreaterThan(10);
    const examples = (await api('GET', '/sql/examples')) as unknown as {
      name: string;
      title: string;
      description: string;
      tags: string[];
    }[];
    const about = (word: string) =>
      examples
        .filter((e) => [e.name, e.title, e.description, ...e.tags].join(' ').toLowerCase().includes(word))
        .map((e) => e.name);
    const shown = () => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    await page.getByPlaceholder('Search by name, description or tag').fill('window');
    await expect.poll(shown).toEqual(about('window'));
    expect(about('window').length).toBeLessThan(all);
    await page.getByPlaceholder('Search by name, description or tag').fill('no such thing at all');
    await page.getByTestId('examples-none').waitFor();
    // By a tag.
    await page.getByPlaceholder('Search by name, description or tag').fill('getting-started');
    await expect.poll(() => cards.count()).toBe(1);
    await c.shot('24-examples-gallery');
    await page.getByTestId('example-use-datagen-to-print').click();
    await page.waitForURL(/\/jobs\/new$/);
    await editor().locator('.view-lines').filter({ hasText: 'CREATE TABLE orders' }).waitFor();
    expect(await page.getByTestId('job-name').inputValue()).toBe('datagen-to-print');

    // The gallery in the editor: an untouched example is replaced without a question.
    await page.getByTestId('example-gallery-open').click();
    await page.getByRole('dialog').getByPlaceholder('Search by name, description or tag').fill('top');
    await page.getByTestId('example-use-top-n').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await editor().locator('.view-lines').filter({ hasText: 'ROW_NUMBER' }).waitFor();
    expect(await page.getByTestId('job-name').inputValue()).toBe('top-n');
    // Leaving an example untouched loses nothing: no question.
    await page.getByRole('menuitem', { name: 'Jobs' }).click();
    await page.waitForURL(/\/jobs$/);
  });

  it('debug-runs with a row limit, a time limit and rows given for a source, as JSON from a file or as CSV', async () => {
    await page.goto(`${c.base}/examples`);
    await page.getByTestId('example-use-datagen-to-print').click();
    await editor().locator('.view-lines').filter({ hasText: 'CREATE TABLE orders' }).waitFor();
    await page.getByRole('tab', { name: 'Debug run' }).click();
    const status = page.getByTestId('debug-status');
    const cells = page.getByTestId('debug-cell');

    await page.getByTestId('debug-row-limit').fill('3');
    await page.getByTestId('debug-start').click();
    await status.filter({ hasText: 'the row limit of 3 was reached' }).waitFor({ timeout: 90_000 });
    // Three rows of the sink's five columns.
    expect(await cells.count()).toBe(15);

    await page.getByTestId('debug-row-limit').fill('10000');
    await page.getByTestId('debug-time-limit').fill('3');
    await page.getByTestId('debug-start').click();
    await status.filter({ hasText: 'the time limit of 3 s was reached' }).waitFor({ timeout: 60_000 });

    // Rows given for the source table, read from a JSON file: exactly those rows come out.
    await page.getByTestId('debug-time-limit').fill('60');
    await page.getByTestId('debug-add-rows').click();
    // The script's one source table is chosen already.
    const given = page.getByTestId('debug-given');
    await given.getByTestId('debug-given-file').setInputFiles({
      name: 'orders.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        [
          '{"order_id": 41, "product_id": 2, "quantity": 3, "price": 1.50, "customer_name": "ann", "order_time": "2026-01-01 10:00:00"}',
          '{"order_id": 42, "product_id": 5, "quantity": 1, "price": 9.99, "customer_name": "bob", "order_time": "2026-01-01 10:00:01"}',
        ].join('\n'),
      ),
    });
    await expect.poll(() => given.getByTestId('debug-given-text').inputValue()).toContain('"ann"');
    await page.getByTestId('debug-start').click();
    // Exactly the rows given, through the job's own SELECT (total = price * quantity).
    const values = async () => (await cells.allTextContents()).map((v) => JSON.parse(v) as unknown);
    await expect
      .poll(values, { timeout: 60_000 })
      .toEqual([41, 2, 4.5, 'ann', '2026-01-01T10:00:00', 42, 5, 9.99, 'bob', '2026-01-01T10:00:01']);
    await status.filter({ hasText: 'every query has ended' }).waitFor({ timeout: 30_000 });
    await c.shot('25-debug-given-rows');

    // The same as CSV, pasted; a broken JSON is refused before anything runs.
    await given.getByText('CSV').click();
    await given.getByTestId('debug-given-text').fill('7,1,2,3.00,cid,2026-01-02 00:00:00');
    await page.getByTestId('debug-start').click();
    await expect.poll(values, { timeout: 60_000 }).toEqual([7, 1, 6, 'cid', '2026-01-02T00:00:00']);
    await status.filter({ hasText: 'every query has ended' }).waitFor({ timeout: 30_000 });
    await given.getByText('JSON').click();
    await given.getByTestId('debug-given-text').fill('{"order_id": 1,');
    const runs = ((await api('GET', '/sql/debug')) as unknown as unknown[]).length;
    await page.getByTestId('debug-start').click();
    await page
      .getByTestId('error-message')
      .filter({ hasText: 'The rows for orders are not JSON at line 1' })
      .waitFor();
    expect(((await api('GET', '/sql/debug')) as unknown as unknown[]).length).toBe(runs);
  });

  it('keeps Delete disabled, saying why, while a job is not ended, as the server refuses it', async () => {
    await page.goto(`${c.base}/jobs`);
    const row = page.locator('tr.ant-table-row', { hasText: 'studio-events' });
    await row.locator('[data-state=CREATED]').waitFor();
    expect(await row.getByTestId('action-delete').isEnabled()).toBe(true);
    await api('POST', '/jobs/studio-events/start', {});
    await row.locator('[data-state=RUNNING]').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('action-delete').isDisabled()).toBe(true);
    await row.getByTestId('action-delete').hover();
    await page.getByRole('tooltip').filter({ hasText: 'stop or cancel it before deleting it' }).waitFor();
    await c.shot('26-delete-disabled');
    await expect(api('DELETE', '/jobs/studio-events')).rejects.toThrow(/409/);
    await api('POST', '/jobs/studio-events/cancel', {});
    await row.locator('[data-state=CANCELLED]').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('action-delete').isEnabled()).toBe(true);
  });

  /** Opens `n` tabs of the job list in a context of their own; each sees the job before it returns. */
  const openTabs = async (context: BrowserContext, n: number, first?: Page) => {
    const tabs: Page[] = first ? [first] : [];
    while (tabs.length < n) {
      const tab = await context.newPage();
      watch(tab);
      await tab.goto(`${c.base}/jobs`);
      tabs.push(tab);
    }
    for (const tab of tabs) await tab.locator('tr.ant-table-row', { hasText: 'studio-events' }).waitFor();
    return tabs;
  };
  const streams = async () => (await api('GET', '/events/streams')) as { open: number; opened: number };
  const allSee = async (tabs: Page[], state: string) => {
    for (const tab of tabs)
      await tab
        .locator('tr.ant-table-row', { hasText: 'studio-events' })
        .locator(`[data-state=${state}]`)
        .waitFor({ timeout: 60_000 });
  };

  it('shares one event connection among ten tabs, each of which sees a state change without a reload', async () => {
    const before = (await streams()).open;
    const context = await signedInContext(c.browser, c.base, c.adminPassword());
    try {
      const tabs = await openTabs(context, 10);
      await expect.poll(async () => (await streams()).open, { timeout: 10_000 }).toBe(before + 1);
      await api('POST', '/jobs/studio-events/start', {});
      await allSee(tabs, 'RUNNING');
      await tabs[9]!.screenshot({ path: path.join(SHOTS, '27-tenth-tab.png') });
      // Tabs that close let go of their port; the last one keeps the connection.
      for (const tab of tabs.slice(0, 9)) await tab.close();
      await api('POST', '/jobs/studio-events/cancel', {});
      await allSee(tabs.slice(9), 'CANCELLED');
      expect((await streams()).open).toBe(before + 1);
    } finally {
      await context.close();
    }
    await expect.poll(async () => (await streams()).open, { timeout: 10_000 }).toBe(before);
  });

  it('without SharedWorker, elects one tab to hold the connection and another takes over when it closes', async () => {
    const before = (await streams()).open;
    const context = await signedInContext(c.browser, c.base, c.adminPassword());
    await context.addInitScript(() =>
      Object.defineProperty(window, 'SharedWorker', { value: undefined, configurable: true }),
    );
    try {
      // The first tab leads: it is alone when it connects.
      const leader = await context.newPage();
      watch(leader);
      await leader.goto(`${c.base}/jobs`);
      await expect.poll(async () => (await streams()).open, { timeout: 10_000 }).toBe(before + 1);
      const tabs = await openTabs(context, 10, leader);
      expect((await streams()).open).toBe(before + 1);
      await api('POST', '/jobs/studio-events/start', {});
      await allSee(tabs, 'RUNNING');

      const opened = (await streams()).opened;
      await leader.close();
      await expect.poll(async () => (await streams()).opened, { timeout: 10_000 }).toBe(opened + 1);
      await expect.poll(async () => (await streams()).open, { timeout: 10_000 }).toBe(before + 1);
      await api('POST', '/jobs/studio-events/cancel', {});
      await allSee(tabs.slice(1), 'CANCELLED');
    } finally {
      await context.close();
    }
    await expect.poll(async () => (await streams()).open, { timeout: 10_000 }).toBe(before);
  });

  it('offers only functions the engine knows: the planner of Flink 1.20 is asked about each one', async () => {
    const { gatewayUrl } = (await api('GET', '/targets/local-1.20')) as { gatewayUrl: string };
    // The server's clusters serve TLS to its home's key alone: the test asks with that key.
    if (gatewayUrl.startsWith('https:'))
      trustLocalCluster(gatewayUrl, readFlinkRestTls(path.join(c.home, 'flink-tls'))!);
    const gateway = new SqlGatewayClient(gatewayUrl);
    /** The planner's answer to a call of `name`; unknown only if no function of that name exists. */
    const unknown = async (session: string, name: string) => {
      for (const args of ['x', '']) {
        try {
          await gateway.execute(session, `EXPLAIN SELECT ${name}(${args}) FROM (VALUES (1)) AS t(x)`);
          return false;
        } catch (e) {
          if (!(e instanceof SqlGatewayError)) throw e;
          // A known name with other arguments, or a special syntax (CAST(x AS t)), fails differently.
          if (
            !/No match found for function signature/.test(e.rootCause) ||
            /Supported signatures/.test(e.rootCause)
          )
            return false;
        }
      }
      return true;
    };
    const sessions = await Promise.all([1, 2, 3].map(() => gateway.openSession()));
    try {
      // The check can fail: a made-up name is unknown.
      expect(await unknown(sessions[0]!, 'NO_SUCH_FUNCTION_HERE')).toBe(true);
      const queue = [...FLINK_FUNCTIONS];
      const missing: string[] = [];
      await Promise.all(
        sessions.map(async (s) => {
          for (let f = queue.shift(); f; f = queue.shift()) if (await unknown(s, f)) missing.push(f);
        }),
      );
      expect(missing).toEqual([]);
    } finally {
      await Promise.all(sessions.map((s) => gateway.closeSession(s)));
    }
  });
});
