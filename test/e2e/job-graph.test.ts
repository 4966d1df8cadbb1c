import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import type { JobGraphView } from '../../src/contract/jobs.ts';
import { backpressureLevel } from '../../src/domain/metrics/job-graph.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { LEVEL_COLOURS, type VertexLevel } from '../../src/web/src/models/job-graph.ts';
import { closeWithJob, runSluice, servedPlatform, startSqlJobWithCli } from '../support/cli.ts';
import { openBuiltConsole, SHOTS } from '../support/console.ts';
import { authHeaders } from '../support/credentials.ts';
import { waitFor } from '../support/platform.ts';

const JOB = 'pressed';
const hex = (rgb: string) =>
  '#' +
  (rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('');

/**
 * A running job's graph from its JobManager (real Flink 1.20 on the run's shared session cluster): a
 * datagen source at full speed into a GROUP BY that cannot keep up, so that the source's chain is
 * back-pressured (HIGH by Flink's thresholds); the API, Flink's own REST answer (through the Web UI
 * proxy), `sluice job graph` and the console's Graph tab agree. The embedded Prometheus (Debian's)
 * scrapes the session: once the job is cancelled, its graph at a moment it ran is still drawn, the
 * shape Sluice kept when it first saw the run RUNNING, coloured from Prometheus then.
 */
describe("a running job's graph coloured by backpressure", () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let graph: JobGraphView;

  beforeAll(async () => {
    ({ url, close } = await servedPlatform({
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
  }, 300_000);
  afterAll(() => closeWithJob({ url, job: JOB, close, browser }), 120_000);

  it('answers each vertex with its parallelism, records per second and backpressure, as Flink reports it', async () => {
    // No rows-per-second limit: the source outruns the aggregation behind the hash exchange.
    await startSqlJobWithCli(
      url,
      JOB,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100000000');
CREATE TABLE snk (k BIGINT, n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id % 100000, COUNT(*) FROM src GROUP BY id % 100000;`,
    );
    const job = await client.jobs.get(JOB);
    let last: JobGraphView | undefined;
    graph = await waitFor(
      'the source chain back-pressured HIGH, records flowing',
      async () => {
        last = await client.jobs.graph(JOB);
        const [source] = last.vertices;
        return source?.backpressure?.level === 'high' && (source.recordsOutPerSecond ?? 0) > 0 && last;
      },
      120_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last: ${JSON.stringify(last?.vertices)}`);
    });
    expect(graph.run).toBe(job.flinkJobId);
    expect(graph.vertices).toHaveLength(2);
    const [source, agg] = graph.vertices;
    expect(source!.name).toMatch(/^Source: src/);
    expect(agg!.name).toMatch(/GroupAggregate/);
    expect(graph.edges).toEqual([{ from: source!.id, to: agg!.id, shipStrategy: 'HASH' }]);
    // The level is Flink's threshold applied to the ratio; the aggregation, the bottleneck, is busy.
    expect(source!.backpressure!.level).toBe(backpressureLevel(source!.backpressure!.ratio));
    expect(agg!.recordsInPerSecond).toBeGreaterThan(0);
    expect(agg!.busyRatio).toBeGreaterThan(0.5);
    // Each subtask by index; the vertex shows its most back-pressured and its busiest one.
    for (const v of graph.vertices) {
      expect(v.subtasks.map((x) => x.subtask)).toEqual([...Array(v.parallelism).keys()]);
      expect(Math.max(...v.subtasks.map((x) => x.backpressure?.ratio ?? 0))).toBe(v.backpressure?.ratio ?? 0);
      expect(Math.max(...v.subtasks.map((x) => x.busyRatio ?? 0))).toBe(v.busyRatio ?? 0);
    }

    // Flink's own answer (its Web UI's backpressure request, through Sluice's proxy) says the same.
    const rest = (p: string) =>
      fetch(`${url}/flink/local-1.20/jobs/${graph.run}${p}`, { headers: authHeaders(url) }).then((r) =>
        r.json(),
      );
    const flinkSays = (await rest(`/vertices/${source!.id}/backpressure`)) as { backpressureLevel: string };
    expect(flinkSays.backpressureLevel).toBe('high');
    const plan = (await rest('')) as { vertices: { id: string; parallelism: number }[] };
    expect(graph.vertices.map((v) => [v.id, v.parallelism])).toEqual(
      plan.vertices.map((v) => [v.id, v.parallelism]),
    );

    const cli = await runSluice(url, ['job', 'graph', JOB]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^1\s+Source: src.*\s+HIGH \d+%/m);
    expect(cli.stdout).toContain('edges: #1 -> #2 (HASH)');
    expect(cli.stdout).not.toContain('SUBTASK');
    const perSubtask = await runSluice(url, ['job', 'graph', JOB, '--subtasks']);
    expect(perSubtask.code, perSubtask.stderr).toBe(0);
    // Under the vertex's number and name, its subtask 0 with a level and its busy and idle time (a
    // source back-pressured all the time has no busy ratio in Flink's answer).
    expect(perSubtask.stdout).toMatch(
      /^#1 Source: src.*\nSUBTASK\s+BACKPRESSURE\s+BUSY\s+IDLE\n0\s+(OK|LOW|HIGH) \d+%\s+(\d+%|-)\s+(\d+%|-)$/m,
    );
    expect(perSubtask.stdout).toMatch(/^#2 GroupAggregate/m);

    // A job that does not run has no graph: 409 saying so.
    await expect(client.jobs.graph('nope')).rejects.toMatchObject({ status: 404 });
  }, 300_000);

  it('colours the vertices in the console’s Graph tab by their level (Chromium)', async () => {
    const opened = await openBuiltConsole(url);
    browser = opened.browser;
    const { errors } = opened;
    page = opened.page;
    await page.goto(`${url}/jobs/${JOB}`);
    await page.getByRole('tab', { name: 'Graph' }).click();
    const source = page.getByTestId('graph-vertex-0');
    await source.getByText(/backpressure HIGH \d+%/).waitFor({ timeout: 60_000 });
    const border = await source.evaluate((el) => getComputedStyle(el).borderLeftColor);
    expect(hex(border)).toBe(LEVEL_COLOURS.high);
    // The other vertex is painted in the colour of the level it shows.
    const agg = page.getByTestId('graph-vertex-1');
    const shown = (await agg.textContent())?.match(/backpressure (OK|LOW|HIGH)/)?.[1]?.toLowerCase() as
      VertexLevel | undefined;
    expect(hex(await agg.evaluate((el) => getComputedStyle(el).borderLeftColor))).toBe(
      LEVEL_COLOURS[shown ?? 'unknown'],
    );
    // Under the graph: the subtasks of the most back-pressured vertex, then of the one clicked.
    const subtasks = page.getByTestId('graph-subtasks');
    await subtasks.getByText(/^Subtasks of Source: src/).waitFor({ timeout: 30_000 });
    await subtasks
      .getByText(/^HIGH \d+%$/)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, '92-job-graph.png'), fullPage: true });
    await agg.click();
    await subtasks.getByText(/^Subtasks of .*GroupAggregate/).waitFor({ timeout: 30_000 });
    expect(await subtasks.locator('tbody tr').count()).toBe(graph.vertices[1]!.parallelism);
    expect(errors).toEqual([]);
  }, 120_000);

  it('draws the graph of the cancelled run at a moment it ran, coloured from Prometheus (source HIGH)', async () => {
    // A moment while it runs whose samples Prometheus holds: the source HIGH there too.
    let last: JobGraphView | Error | undefined;
    const then = await waitFor(
      "the source HIGH in Prometheus's samples of a moment",
      async () => {
        last = await client.jobs.graph(JOB, undefined, '-5s').catch((e: Error) => e);
        return !(last instanceof Error) && last.vertices[0]?.backpressure?.level === 'high' && last;
      },
      120_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    });
    expect(then).toMatchObject({ run: graph.run, source: 'prometheus' });
    // The kept shape is the JobManager's: same vertices, parallelism and edges.
    expect(then.vertices.map((v) => [v.id, v.name, v.parallelism])).toEqual(
      graph.vertices.map((v) => [v.id, v.name, v.parallelism]),
    );
    expect(then.edges).toEqual(graph.edges);
    for (const v of then.vertices)
      expect(v.subtasks.map((x) => x.subtask)).toEqual([...Array(v.parallelism).keys()]);
    expect(then.vertices[1]!.recordsInPerSecond).toBeGreaterThan(0);

    // A click on a Metrics chart while it runs: the Graph tab at the time under the pointer, from Prometheus.
    const p = page!;
    await p.goto(`${url}/jobs/${JOB}`);
    // The tab's first answer (the last hour) is what its charts draw until the next refresh.
    const answered = p.waitForResponse(
      (r) => {
        const q = new URL(r.url()).searchParams;
        return (
          r.url().includes(`/jobs/${JOB}/metrics`) &&
          Date.parse(q.get('to') ?? '') - Date.parse(q.get('from') ?? '') === 60 * 60_000
        );
      },
      { timeout: 60_000 },
    );
    await p.getByRole('tab', { name: 'Metrics' }).click();
    const range = (await (await answered).json()) as { from: string; to: string };
    const chart = p.getByTestId('metric-panel-records-out').getByTestId('metric-chart');
    await chart.locator('canvas').first().waitFor({ timeout: 60_000 });
    const box = (await chart.boundingBox())!;
    // Just after the moment above, whose samples Prometheus holds: a pixel is about 7 s of the hour, and
    // a range refreshed since (every 15 s) only moves the pixel's time later, still while the job runs.
    const aim = Date.parse(then.at) + 5000;
    const share = (aim - Date.parse(range.from)) / (Date.parse(range.to) - Date.parse(range.from));
    // The chart's grid: 64 px on the left, 16 on the right (metric-charts.ts).
    // A chart redrawn under the pointer (its answer refreshed) may miss a click: clicked again until the tab moves.
    for (let i = 0; i < 3 && !(await p.getByTestId('graph-at').count()); i++) {
      await chart.click({ position: { x: 64 + share * (box.width - 80), y: box.height / 2 } });
      await p
        .getByTestId('graph-at')
        .waitFor({ timeout: 5000 })
        .catch(() => undefined);
    }
    await p
      .getByTestId('graph-source')
      .getByText(/Prometheus/)
      .waitFor({ timeout: 30_000 })
      .catch(async (e: Error) => {
        await p.screenshot({ path: path.join(SHOTS, '93-job-graph-picked-failed.png'), fullPage: true });
        const at = await p
          .getByTestId('graph-at')
          .inputValue({ timeout: 1000 })
          .catch(() => 'no field');
        const none = await p
          .getByTestId('job-graph-none')
          .textContent({ timeout: 1000 })
          .catch(() => null);
        throw new Error(
          `${e.message}; aimed at ${then.at} in ${JSON.stringify(range)}, picked ${at}: ${none}`,
        );
      });
    const picked = await p.evaluate(
      (v) => new Date(v).toISOString(),
      await p.getByTestId('graph-at').inputValue(),
    );
    expect(Math.abs(Date.parse(picked) - aim)).toBeLessThan(60_000);
    const atPicked = await client.jobs.graph(JOB, undefined, picked);
    const level = atPicked.vertices[0]!.backpressure?.level;
    await p
      .getByTestId('graph-vertex-0')
      .getByText(level ? new RegExp(`backpressure ${level.toUpperCase()} \\d+%`) : /not sampled/)
      .waitFor({ timeout: 30_000 });

    const cancelled = await runSluice(url, ['job', 'cancel', JOB]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    await waitFor(
      'the job CANCELLED',
      async () => (await client.jobs.get(JOB)).state === 'CANCELLED',
      60_000,
    );
    await expect(client.jobs.graph(JOB)).rejects.toMatchObject({ status: 409 });

    // After the cancel, the moment it ran: its kept graph, the source HIGH from Prometheus.
    const cli = await runSluice(url, ['job', 'graph', JOB, '--at', then.at]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`run ${graph.run}`);
    expect(cli.stdout).toContain("from Prometheus's samples");
    expect(cli.stdout).toMatch(/^1\s+Source: src.*\s+HIGH \d+%/m);
    expect(cli.stdout).toContain('edges: #1 -> #2 (HASH)');
    const after = await client.jobs.graph(JOB, undefined, then.at);
    expect(after.vertices[0]!.backpressure!.level).toBe('high');

    // Refusals: a moment before the job ran (no run had series), one older than the retention, no moment.
    await expect(client.jobs.graph(JOB, undefined, '2020-01-01T00:00:00Z')).rejects.toMatchObject({
      status: 400,
      details: { field: 'at' },
    });
    const before = new Date(Date.parse(graph.at) - 10 * 60_000).toISOString();
    await expect(client.jobs.graph(JOB, undefined, before)).rejects.toMatchObject({ status: 409 });
    const bad = await runSluice(url, ['job', 'graph', JOB, '--at', 'yesterday']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a moment/);

    // The console's Graph tab: the cancelled job has no live graph; the moment picked draws it.
    await p.goto(`${url}/jobs/${JOB}`);
    await p.getByRole('tab', { name: 'Graph' }).click();
    await p.getByTestId('job-graph-none').waitFor({ timeout: 30_000 });
    // The field holds seconds: rounded up, not down, so that the moment stays within the HIGH samples
    // (then.at is the first moment seen HIGH; the job ran on HIGH long after).
    const local = await p.evaluate((iso) => {
      const d = new Date(Math.ceil(Date.parse(iso) / 1000) * 1000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    }, then.at);
    await p.getByTestId('graph-at').fill(local);
    await p
      .getByTestId('graph-vertex-0')
      .getByText(/backpressure HIGH \d+%/)
      .waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('graph-source').textContent()).toMatch(/Prometheus/);
    expect(
      hex(await p.getByTestId('graph-vertex-0').evaluate((el) => getComputedStyle(el).borderLeftColor)),
    ).toBe(LEVEL_COLOURS.high);
    await p.screenshot({ path: path.join(SHOTS, '93-job-graph-at-a-moment.png'), fullPage: true });
  }, 240_000);
});
