import { withKafka } from '../support/kafka.ts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../../src/adapters/flink/local-cluster/local-processes.ts';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { freePorts } from '../support/ports.ts';

/**
 * The Kafka page in Debian's Chromium against a real `sluice server`: the local broker (Kafka 4.1.1
 * from Maven, cached under ~/.cache/sluice/kafka) started from the page with its progress, topics
 * produced to with kafkajs, browsed (partitions, offsets, the latest messages, binary values marked),
 * the inferred CREATE TABLE copied and opened as a new job that Sluice saves, a connection refused at
 * its fields, in English and in Chinese, and the broker stopped from the page.
 */
describe('the web console: the Kafka page', { timeout: 600_000 }, () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let port: number;
  let brokerPid: number | null = null;
  const row = (name: string) => page.locator('tr.ant-table-row', { hasText: name });
  const connectionRow = (name: string) =>
    page.getByTestId('kafka-connections').locator('tr.ant-table-row', { hasText: name });

  beforeAll(async () => {
    const [p, controller] = await freePorts(2);
    port = p!;
    c = await startConsole('console-kafka', {
      SLUICE_KAFKA_PORT: String(port),
      SLUICE_KAFKA_CONTROLLER_PORT: String(controller),
    });
    page = c.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: c.base });
  });
  afterAll(async () => {
    // The server's clean stop stops the broker; one still alive after it is killed, and fails below.
    await c?.close();
    if (brokerPid && processArgs(brokerPid)) {
      await killAndWait(brokerPid);
      throw new Error(`the local broker (pid ${brokerPid}) outlived the server`);
    }
  });

  it('starts the local broker from the page, following its progress to running', async () => {
    await c.explaining(async () => {
      await page.goto(`${c.base}/kafka`);
      await page.getByTestId('kafka-broker-state').filter({ hasText: 'stopped' }).waitFor();
      await page.getByTestId('kafka-connections-empty').waitFor();
      await c.shot('40-kafka-stopped');
      await page.getByTestId('kafka-broker-start').click();
      await page
        .getByTestId('kafka-broker-progress')
        .getByText(/Starting the local broker/)
        .waitFor();
      await page
        .getByTestId('kafka-broker-state')
        .filter({ hasText: 'running' })
        .waitFor({ timeout: 300_000 });
      await page.getByTestId('kafka-broker-progress').waitFor({ state: 'detached' });
      expect(await page.getByTestId('kafka-broker-error').count()).toBe(0);
      // The start registered the broker as connection local.
      await connectionRow('local').getByText(`127.0.0.1:${port}`).waitFor();
      const status = (await c.api('GET', '/kafka/local')) as { state: string; pid: number };
      expect(status.state).toBe('running');
      brokerPid = status.pid;
      expect(processArgs(brokerPid)).toContain('kafka.Kafka');
      await c.shot('41-kafka-running');
    });
  });

  it('browses topics with their offsets, samples the latest messages, and copies the CREATE TABLE', async () => {
    await withKafka(port, async ({ admin, producer }) => {
      await admin.createTopics({
        topics: [{ topic: 'shop.orders', numPartitions: 2 }, { topic: 'raw-bytes' }, { topic: 'blank' }],
        waitForLeaders: true,
      });
      await producer.send({
        topic: 'shop.orders',
        messages: Array.from({ length: 6 }, (_, i) => ({
          key: `order-${i}`,
          value: JSON.stringify({ id: i, amount: i + 0.5, paid: i % 2 === 0, customer: { name: `c${i}` } }),
        })),
      });
      await producer.send({
        topic: 'raw-bytes',
        messages: [{ key: 'b', value: Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x41]) }],
      });
      await producer.send({ topic: 'blank', messages: [{ key: 'only-a-key', value: null }] });
    });

    await c.explaining(async () => {
      await connectionRow('local').getByTestId('kafka-browse').click();
      const topics = page.getByTestId('kafka-topics');
      await topics.getByText('shop.orders').waitFor();
      expect(await topics.getByText('__consumer_offsets').count()).toBe(0);
      // Partitions with their earliest and latest offsets, summing to the messages kept.
      await topics
        .locator('tr.ant-table-row', { hasText: 'shop.orders' })
        .locator('.ant-table-row-expand-icon')
        .click();
      const partitions = page.getByTestId('kafka-partitions-shop.orders').locator('tbody tr.ant-table-row');
      await expect.poll(() => partitions.count()).toBe(2);
      const listed = (await c.api('GET', '/kafka/connections/local/topics/shop.orders')) as {
        partitions: { partition: number; leader: number; replicas: number; low: number; high: number }[];
        messages: number;
      };
      expect(listed.messages).toBeGreaterThanOrEqual(6);
      const shown = await Promise.all([0, 1].map((i) => partitions.nth(i).locator('td').allTextContents()));
      expect(shown).toEqual(
        [...listed.partitions]
          .sort((a, b) => a.partition - b.partition)
          .map((p) => [p.partition, p.leader, p.replicas, p.low, p.high, p.high - p.low].map(String)),
      );

      await page.getByTestId('kafka-sample-shop.orders').click();
      const sample = page.getByTestId('kafka-sample');
      await sample.getByText('order-5').waitFor();
      const messages = sample.getByTestId('kafka-messages').locator('tbody tr.ant-table-row');
      expect(await messages.count()).toBeGreaterThanOrEqual(6);
      await sample.getByText('"customer":{"name":"c5"}', { exact: false }).first().waitFor();
      expect(await sample.getByTestId('kafka-binary').count()).toBe(0);
      const ddl = sample.getByTestId('kafka-ddl');
      await ddl.getByText('CREATE TABLE `shop_orders`', { exact: false }).waitFor();
      expect(await ddl.textContent()).toContain('`customer` ROW<`name` STRING>');
      await sample.getByText(/CREATE TABLE inferred from \d+ JSON value\(s\)/).waitFor();
      await c.shot('42-kafka-sample');
      await ddl.locator('.ant-typography-copy').click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toMatch(/^CREATE TABLE `shop_orders` \(/);
      expect(copied).toContain(`'properties.bootstrap.servers' = '127.0.0.1:${port}'`);

      // A value that is not text: shown as UTF-8 text, and said so.
      await page.getByTestId('kafka-sample-raw-bytes').click();
      await sample
        .getByTestId('kafka-binary')
        .getByText(/not text: they are shown as UTF-8 text/)
        .waitFor();
      await sample.getByText('binary', { exact: true }).waitFor();
      await c.shot('43-kafka-binary');
    });
  });

  it('opens a new job from the inferred table, which Sluice saves', async () => {
    await c.explaining(async () => {
      await page.getByTestId('kafka-sample-shop.orders').click();
      await page.getByTestId('kafka-sample').getByText('order-5').waitFor();
      await page.getByTestId('kafka-new-job').click();
      await page.waitForURL(/\/jobs\/new$/);
      expect(await page.getByTestId('job-name').inputValue()).toBe('shop-orders-job');
      const editor = page.locator('[data-testid=sql-editor] .view-lines');
      await editor.getByText('CREATE TABLE `shop_orders`', { exact: false }).waitFor();
      // Opened as an example is: nothing unsaved yet.
      expect(await page.getByTestId('unsaved').count()).toBe(0);
      await c.shot('44-kafka-new-job');
      await page.getByTestId('save').click();
      await page.getByTestId('save-message').fill('from the Kafka page');
      await page.locator('#confirm-save').click();
      await page.waitForURL(/\/jobs\/shop-orders-job$/);
      const job = (await c.api('GET', '/jobs/shop-orders-job')) as { sql: string };
      expect(job.sql).toMatch(/^CREATE TABLE `shop_orders` \(/);
      expect(job.sql).toContain('CREATE TABLE `shop_orders_out` (\n  `id` BIGINT,\n  `amount` DOUBLE,');
      expect(job.sql).toContain('INSERT INTO `shop_orders_out`\nSELECT\n  `id`,');
      expect(job.sql).toContain('FROM `shop_orders`;');
    });
  });

  it('refuses a connection at its fields, saves it with the password masked, and deletes it', async () => {
    await c.explaining(async () => {
      await page.getByRole('menuitem', { name: 'Kafka' }).click();
      await page.getByTestId('kafka-connection-new').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('kafka-connection-name').fill('prod');
      await dialog.getByTestId('kafka-connection-brokers').fill('nohost');
      await dialog.getByTestId('kafka-connection-protocol').click();
      await page.locator('.ant-select-dropdown:visible').getByText('SASL_SSL', { exact: true }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      const errors = dialog.locator('.ant-form-item-explain-error');
      await errors.getByText("'nohost' is not host:port", { exact: false }).waitFor();
      await errors.getByText('SASL_SSL needs a SASL user name').waitFor();
      await errors.getByText('SASL_SSL needs a SASL password').waitFor();
      await c.shot('45-kafka-connection-refused');
      await expect(c.api('GET', '/kafka/connections/prod')).rejects.toThrow(/404/);

      await dialog.getByTestId('kafka-connection-brokers').fill('b1.example.com:9093, b2.example.com:9093');
      await dialog.getByTestId('kafka-connection-mechanism').click();
      await page.locator('.ant-select-dropdown:visible').getByText('SCRAM-SHA-512', { exact: true }).click();
      await dialog.getByTestId('kafka-connection-user').fill('flink');
      await dialog.getByTestId('kafka-connection-password').fill('kafka-Secret-pass-42');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row('prod').getByText('SASL_SSL · SCRAM-SHA-512 · user flink · password ******').waitFor();
      expect(await page.content()).not.toContain('kafka-Secret-pass-42');
      expect(await c.api('GET', '/kafka/connections/prod')).toMatchObject({
        bootstrapServers: ['b1.example.com:9093', 'b2.example.com:9093'],
        hasSaslPassword: true,
      });
      await row('prod').getByTestId('kafka-connection-delete').click();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /OK|Yes/ })
        .click();
      await row('prod').waitFor({ state: 'detached' });
    });
  });

  it('says it all in Chinese: the broker, the sample, a table not inferred, and refusals at their fields', async () => {
    await c.explaining(async () => {
      await page.evaluate(() => localStorage.setItem('sluice.language', 'zh-CN'));
      await page.goto(`${c.base}/kafka`);
      await page.getByTestId('kafka-broker-state').filter({ hasText: '运行中' }).waitFor();
      await connectionRow('local').getByTestId('kafka-browse').click();
      await page.getByTestId('kafka-sample-shop.orders').click();
      const sample = page.getByTestId('kafka-sample');
      await sample.getByText(/由 \d+ 个 JSON 值推断的 CREATE TABLE/).waitFor();
      await sample.getByRole('button', { name: '用此表新建作业' }).waitFor();
      await c.shot('46-kafka-sample-zh-CN');
      // A topic whose only message has no value: the reason, from its code, in Chinese.
      await page.getByTestId('kafka-sample-blank').click();
      await sample.getByTestId('kafka-no-table').getByText('无法推断 CREATE TABLE').waitFor();
      await sample.getByText('主题「blank」的采样消息中没有可推断表结构的值', { exact: false }).waitFor();
      await c.shot('47-kafka-no-table-zh-CN');

      await page.getByTestId('kafka-connection-new').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('kafka-connection-name').fill('prod');
      await dialog.getByTestId('kafka-connection-brokers').fill('nohost');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog
        .locator('.ant-form-item-explain-error')
        .getByText('「nohost」不是 host:port 格式', { exact: false })
        .waitFor();
      await dialog
        .getByTestId('kafka-connection-error')
        .getByText('Kafka 连接「prod」被拒绝', { exact: false })
        .waitFor();
      await c.shot('48-kafka-connection-refused-zh-CN');
      await dialog.getByRole('button', { name: /取\s*消/ }).click();
      await page.evaluate(() => localStorage.setItem('sluice.language', 'en'));
    });
  });

  it('stops the broker from the page, leaving no process', async () => {
    await c.explaining(async () => {
      await page.goto(`${c.base}/kafka`);
      await page.getByTestId('kafka-broker-stop').click();
      await page
        .getByTestId('kafka-broker-state')
        .filter({ hasText: 'stopped' })
        .waitFor({ timeout: 120_000 });
      await c.shot('49-kafka-stopped-again');
      await expect.poll(() => processArgs(brokerPid!), { timeout: 30_000 }).toBeFalsy();
    });
  });
});
