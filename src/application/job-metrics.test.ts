import { describe, expect, it } from 'vitest';
import type { Job } from '../domain/jobs/job.ts';
import type { Submission } from '../domain/jobs/submission.ts';
import { message } from '../domain/messages.ts';
import { JobMetricsService } from './job-metrics.ts';
import type { PrometheusQuery, PrometheusSeries } from './ports/prometheus.ts';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const now = new Date('2026-12-03T12:00:00Z');

const service = (o: {
  flinkJobId: string | null;
  submissions: (string | null)[];
  url: string | null;
  answer?: (query: string) => PrometheusSeries[];
}) => {
  const asked: { query: string; range: { start: Date; end: Date; stepSeconds: number } }[] = [];
  const job = { id: 'j1', name: 'orders', target: 'local-1.20', flinkJobId: o.flinkJobId } as Job;
  const query: PrometheusQuery = {
    instant: () => Promise.reject(new Error('not asked')),
    range: (q, range) => {
      asked.push({ query: q, range });
      return Promise.resolve(o.answer?.(q) ?? []);
    },
  };
  const s = new JobMetricsService(
    {
      jobs: { getByName: (n: string) => Promise.resolve(n === 'orders' ? job : undefined) },
      lifecycle: {
        submissions: () => Promise.resolve(o.submissions.map((flinkJobId) => ({ flinkJobId }) as Submission)),
      },
    } as never,
    query,
    {
      url: () => o.url,
      status: () =>
        Promise.resolve({
          mode: 'off',
          url: null,
          ready: false,
          retention: null,
          problem: message('prometheus.off'),
          restarts: { count: 0, recent: [] },
        }),
    },
    () => now,
  );
  return { s, asked };
};

describe("a job's charts", () => {
  it('asks every panel over the range for every Flink job id the job had, newest first', async () => {
    const { s, asked } = service({
      flinkJobId: B,
      submissions: [A, null, B],
      url: 'http://127.0.0.1:9190',
      answer: (q) =>
        q.includes('numRecordsOutPerSecond')
          ? [
              {
                labels: { operator_name: 'Sink: out' },
                points: [
                  { time: 1, value: 2 },
                  { time: 16, value: NaN },
                ],
              },
              { labels: { operator_name: 'Source: in' }, points: [{ time: 1, value: Infinity }] },
            ]
          : [],
    });
    const view = await s.read('orders', {});
    expect(view.flinkJobIds).toEqual([B, A]);
    expect(view).toMatchObject({ from: '2026-12-03T11:00:00.000Z', to: now.toISOString(), stepSeconds: 15 });
    expect(asked).toHaveLength(view.panels.length);
    expect(asked.map((a) => a.query)).toEqual(view.panels.map((p) => p.query));
    expect(asked[0]!.query).toContain(`job_id=~"${B}|${A}"`);
    expect(asked[0]!.range).toEqual({ start: new Date('2026-12-03T11:00:00Z'), end: now, stepSeconds: 15 });
    const out = view.panels.find((p) => p.id === 'records-out')!;
    // NaN and ±Inf have no JSON: null, a gap in the chart.
    expect(out.lines).toEqual([
      {
        name: 'Sink: out',
        labels: { operator_name: 'Sink: out' },
        points: [
          [1, 2],
          [16, null],
        ],
      },
      { name: 'Source: in', labels: { operator_name: 'Source: in' }, points: [[1, null]] },
    ]);
  });

  it('adds the panels per Kafka partition when asked, to the charts and the Grafana dashboard alike', async () => {
    const { s } = service({ flinkJobId: A, submissions: [], url: 'http://127.0.0.1:9190' });
    const ids = (panels: { id: string }[]) => panels.map((p) => p.id);
    expect(ids((await s.read('orders', {})).panels)).not.toContain('kafka-partition-lag');
    const asked = await s.read('orders', { partitions: true });
    expect(ids(asked.panels)).toContain('kafka-partition-lag');
    const dashboard = await s.grafana('orders', { perPartition: true });
    const targets = dashboard.panels.map((p) => JSON.stringify(p));
    for (const p of asked.panels) expect(targets.some((t) => t.includes(JSON.stringify(p.query)))).toBe(true);
    expect((await s.grafana('orders')).panels).toHaveLength(asked.panels.length - 2);
  });

  it('refuses a job that is none or never ran, and answers 503 saying what to set when no Prometheus is in use', async () => {
    await expect(
      service({ flinkJobId: null, submissions: [], url: null }).s.read('nope', {}),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      service({ flinkJobId: null, submissions: [null], url: 'http://p' }).s.read('orders', {}),
    ).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'metrics.noFlinkJob' },
    });
    const off = service({ flinkJobId: A, submissions: [A], url: null });
    await expect(off.s.read('orders', {})).rejects.toMatchObject({
      code: 'engine_unavailable',
      message: expect.stringMatching(/SLUICE_PROMETHEUS=off\): unset SLUICE_PROMETHEUS/),
    });
    expect(off.asked).toEqual([]);
    // A bad range is refused before anything is asked.
    await expect(off.s.read('orders', { from: '2026-12-03T12:00:00Z' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('exports the same queries to Grafana', async () => {
    const { s } = service({ flinkJobId: A, submissions: [A], url: null });
    const d = await s.grafana('orders');
    const { panels } = await s.panels('orders');
    expect(d.panels.map((p) => (p.targets as { expr: string }[])[0]!.expr)).toEqual(
      panels.map((p) => p.query),
    );
  });
});

describe("the platform's charts", () => {
  it('asks every platform panel over the range, without a job, and answers 503 without a Prometheus', async () => {
    const { s, asked } = service({
      flinkJobId: null,
      submissions: [],
      url: 'http://127.0.0.1:9190',
      answer: (q) =>
        q.startsWith('sum by (state)')
          ? [{ labels: { state: 'RUNNING' }, points: [{ time: 1, value: 2 }] }]
          : [],
    });
    const view = await s.platform({ step: 60 });
    expect(view).toMatchObject({ prometheus: 'http://127.0.0.1:9190', stepSeconds: 60 });
    expect(asked.map((a) => a.query)).toEqual(view.panels.map((p) => p.query));
    expect(view.panels.find((p) => p.id === 'jobs-by-state')!.lines).toEqual([
      { name: 'RUNNING', labels: { state: 'RUNNING' }, points: [[1, 2]] },
    ]);
    expect(s.platformGrafana().panels.map((p) => (p.targets as { expr: string }[])[0]!.expr)).toEqual(
      view.panels.map((p) => p.query),
    );
    const off = service({ flinkJobId: null, submissions: [], url: null });
    await expect(off.s.platform({})).rejects.toMatchObject({ code: 'engine_unavailable' });
    expect(off.asked).toEqual([]);
  });
});
