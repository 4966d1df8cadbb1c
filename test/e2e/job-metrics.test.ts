import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import type { JobMetricsView, PlatformMetricsView } from '../../src/contract/prometheus.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { closeWithJob, servedPlatform, startSqlJobWithCli } from '../support/cli.ts';
import { openBuiltConsole, SHOTS } from '../support/console.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

const JOB = 'charted';
const panel = (v: JobMetricsView, id: string) => v.panels.find((p) => p.id === id)!;
const values = (v: JobMetricsView, id: string) =>
  panel(v, id).lines.flatMap((l) =>
    l.points.flatMap(([, value]) => (typeof value === 'number' ? [value] : [])),
  );

/**
 * A job's charts from the embedded Prometheus (Debian's), scraping the run's shared session cluster
 * (real Flink 1.20, its processes started with the reporter) through Sluice's service discovery: a SQL
 * job's records out reach the API's panels, the Grafana dashboard asks the same queries, and the
 * console's Metrics tab draws them in Chromium (when `npm run build:web` built the console).
 */
describe("a job's metric charts from Prometheus", () => {
  let url: string;
  let close: () => Promise<void>;
  let t: TestPlatform;
  let client: SluiceClient;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform({
      sharedLocalCluster: true,
      config: {
        trackerIntervalMs: 500,
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '2s',
        }),
      },
    }));
    client = createClient({ baseUrl: url, headers: authHeaders(url) });
    // `sluice server` starts the tracker; the test platform does not: its rounds are the platform charts'.
    t.platform.tracker.start(500);
  }, 300_000);
  afterAll(() => closeWithJob({ url, job: JOB, close, browser }), 120_000);

  it('charts a running SQL job: records out per operator, JVM heap of the session, the same queries in Grafana', async () => {
    await startSqlJobWithCli(
      url,
      JOB,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '50');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`,
    );
    const job = await client.jobs.get(JOB);
    expect(job.state).toBe('RUNNING');

    const asked = () =>
      client.prometheus.jobMetrics(JOB, { from: new Date(Date.now() - 5 * 60_000).toISOString(), step: 2 });
    let last: JobMetricsView | undefined;
    const view = await waitFor(
      'records out per second above 0 in the API, and the heap of the session processes',
      async () => {
        last = await asked();
        return (
          values(last, 'records-out').some((v) => v > 0) && panel(last, 'heap').lines.length >= 2 && last
        );
      },
      180_000,
    ).catch((e: Error) => {
      const lines = last?.panels.map((p) => `${p.id}: ${p.lines.map((l) => l.name).join(', ') || 'none'}`);
      throw new Error(`${e.message}; the panels' lines: ${lines?.join(' | ') ?? 'no answer'}`);
    });

    expect(view.flinkJobIds).toEqual([job.flinkJobId]);
    expect(view.prometheus).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(view.stepSeconds).toBe(2);
    // One line per operator, named by Flink's operator_name.
    const out = panel(view, 'records-out');
    expect(out.query).toContain(`job_id=~"${job.flinkJobId}"`);
    expect(out.lines.map((l) => l.name).join(' ')).toMatch(/src/);
    expect(values(view, 'records-in').some((v) => v > 0)).toBe(true);
    // A session's processes: JobManager and TaskManager, by the discovery's process label.
    expect(panel(view, 'heap').lines.map((l) => l.name)).toEqual(
      expect.arrayContaining(['jobmanager', expect.stringMatching(/^taskmanager/) as string]),
    );
    expect(values(view, 'heap').every((v) => v > 0)).toBe(true);
    // GC time and CPU load of the same processes: the names Flink 1.20's reporter serves.
    expect(panel(view, 'gc').lines.map((l) => l.name)).toContain('jobmanager');
    expect(panel(view, 'cpu').lines.map((l) => l.name)).toContain('jobmanager');
    expect(values(view, 'restarts')).toContain(0);
    // No checkpoint completed (none configured): Flink's -1 is no value, not a negative duration.
    expect(values(view, 'checkpoint-duration')).toEqual([]);
    expect(panel(view, 'busy').lines.length).toBeGreaterThan(0);

    // Grafana asks exactly what the charts asked; the real Prometheus answers those queries.
    const dashboard = await client.prometheus.grafanaDashboard(JOB);
    const exprs = dashboard.panels.map((p) => (p.targets as { expr: string }[])[0]!.expr);
    expect(exprs).toEqual(view.panels.map((p) => p.query));
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource' });

    // Per subtask: a line per subtask index of each operator or task, the same queries in Grafana.
    const fine = await client.prometheus.jobMetrics(JOB, {
      from: new Date(Date.now() - 5 * 60_000).toISOString(),
      step: 2,
      subtasks: true,
    });
    expect(panel(fine, 'records-out').perSubtask).toBe(true);
    expect(panel(fine, 'records-out').lines.map((l) => l.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/src.* #0$/) as string]),
    );
    expect(panel(fine, 'busy').lines.every((l) => /#\d+$/.test(l.name))).toBe(true);
    expect(panel(fine, 'busy').lines.length).toBeGreaterThan(0);
    const fineDashboard = await client.prometheus.grafanaDashboard(JOB, { subtasks: true });
    expect(fineDashboard.panels.map((p) => (p.targets as { expr: string }[])[0]!.expr)).toEqual(
      fine.panels.map((p) => p.query),
    );

    // A bad range is refused naming its field, Prometheus not asked.
    await expect(
      client.prometheus.jobMetrics(JOB, { from: new Date().toISOString(), to: '2020-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({
      status: 400,
      details: { field: 'to' },
    });
  }, 420_000);

  it("charts the platform: Sluice's own series and the running job's Flink series, each query answering, the same in Grafana", async () => {
    const asked = () =>
      client.prometheus.platformMetrics({ from: new Date(Date.now() - 5 * 60_000).toISOString(), step: 2 });
    const answering = (v: PlatformMetricsView) =>
      v.panels.filter((p) => p.lines.some((l) => l.points.some(([, value]) => typeof value === 'number')));
    let last: PlatformMetricsView | undefined;
    const view = await waitFor(
      'every platform panel answering with a value',
      async () => {
        last = await asked();
        return answering(last).length === last.panels.length && last;
      },
      120_000,
    ).catch((e: Error) => {
      const silent = last?.panels.filter((p) => !answering(last!).includes(p)).map((p) => p.id);
      throw new Error(`${e.message}; silent: ${silent?.join(', ') ?? 'no answer'}`);
    });
    const lines = (id: string) => view.panels.find((p) => p.id === id)!.lines;
    expect(lines('jobs-by-state').map((l) => l.name)).toContain('RUNNING');
    expect(lines('submissions').map((l) => l.name)).toContain('succeeded');
    // Flink's series of every job, each line named by Sluice's job name (joined on its Flink job id).
    for (const id of ['records-out-by-job', 'records-in-by-job', 'restarts-by-job', 'backpressure-by-job'])
      expect(
        lines(id).map((l) => l.name),
        id,
      ).toContain(JOB);
    const out = lines('records-out-by-job').find((l) => l.name === JOB)!;
    expect(out.points.some(([, value]) => typeof value === 'number' && value > 0)).toBe(true);
    expect(lines('api-latency').map((l) => l.name)).toContain('/api/v1/jobs/:name/metrics');

    const dashboard = await client.prometheus.platformGrafanaDashboard();
    expect(dashboard.panels.map((p) => (p.targets as { expr: string }[])[0]!.expr)).toEqual(
      (await asked()).panels.map((p) => p.query),
    );
  }, 180_000);

  it('draws the charts in the console’s Metrics tab and Platform page (Chromium)', async () => {
    const opened = await openBuiltConsole(url);
    browser = opened.browser;
    const { page, errors } = opened;
    await page.goto(`${url}/jobs/${JOB}`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const out = page.getByTestId('metric-panel-records-out');
    await out.locator('canvas').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('metrics-range').getByText('15 min').click();
    await out.locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, '90-job-metrics.png'), fullPage: true });
    // Per subtask once switched on: the records panel's title says so.
    await page.getByTestId('metrics-per-subtask').click();
    await out.getByText('Records out per second, per subtask').waitFor({ timeout: 60_000 });
    await page.getByTestId('metrics-per-subtask').click();
    // The panels per Kafka partition only once switched on (this job reads no Kafka: they have no points).
    expect(await page.getByTestId('metric-panel-kafka-partition-lag').count()).toBe(0);
    await page.getByTestId('metrics-per-partition').click();
    await page.getByTestId('metric-panel-kafka-partition-lag').waitFor({ timeout: 60_000 });
    await page.getByTestId('metric-panel-kafka-partition-committed-lag').waitFor();
    // The export downloads the dashboard the API gives, with the panels per partition while switched on.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('metrics-grafana').click(),
    ]);
    const saved = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { title: string };
    expect(saved.title).toBe(`Sluice job ${JOB}`);
    expect(JSON.stringify(saved)).toContain('sluice_kafka_partition_end_offset');

    // The Platform page: the platform's charts, the job's records out among them.
    await page.getByRole('menuitem', { name: 'Platform' }).click();
    const byJob = page.getByTestId('metric-panel-records-out-by-job');
    await byJob.locator('canvas').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('metric-panel-jobs-by-state').locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, '91-platform-metrics.png'), fullPage: true });
    const [platformDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('metrics-grafana').click(),
    ]);
    const platformSaved = JSON.parse(fs.readFileSync((await platformDownload.path())!, 'utf8')) as {
      title: string;
    };
    expect(platformSaved.title).toBe('Sluice platform');
    expect(errors).toEqual([]);
  }, 120_000);
});
