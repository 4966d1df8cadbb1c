import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/jobs/job.ts';
import type { FlinkJobGraphAnswers } from '../domain/metrics/job-graph.ts';
import { TargetUnreachable, type DeploymentTarget } from '../domain/targets/deployment-target.ts';
import { freshAnyStore } from '../../test/support/stores.ts';
import { storedSqlContent } from '../../test/support/job-content.ts';
import { message } from '../domain/messages.ts';
import { JobGraphService } from './job-graph.ts';
import type { PrometheusQuery, PrometheusSample } from './ports/prometheus.ts';
import { forgetSecretsOf, rememberSecret } from './secret-masking.ts';

const RUN = 'b'.repeat(32);
const V = 'c'.repeat(32);
const owner = {};
afterEach(() => forgetSecretsOf(owner));

const keptShapes: string[] = [];
function service(state: Job['state'], answer: () => Promise<FlinkJobGraphAnswers | 'absent'>) {
  const job = { id: 'j1', name: 'orders', target: 'local-1.20', state, flinkJobId: RUN } as Job;
  const target = { name: 'local-1.20', observer: { jobGraph: answer } } as unknown as DeploymentTarget;
  return new JobGraphService(
    {
      jobs: { getByName: (n: string) => Promise.resolve(n === 'orders' ? job : undefined) },
      lifecycle: {
        keepRunGraph: (_: string, run: string, shape: unknown) =>
          Promise.resolve(void keptShapes.push(`${run} ${JSON.stringify(shape)}`)),
      },
    } as never,
    { target: () => Promise.resolve(target) },
    null,
    () => new Date('2026-12-03T12:00:00Z'),
  );
}

describe("a job's graph", () => {
  it("reads the current run's graph from its cluster, secrets in operator names masked", async () => {
    rememberSecret(owner, 'pw', 'S3cr3tTok');
    const g = await service('RUNNING', async () => ({
      job: { vertices: [{ id: V, name: "Calc[2] WHERE pwd = 'pw-S3cr3tTok'", parallelism: 2 }] },
      backpressure: { [V]: { status: 'ok', subtasks: [{ ratio: 0.6, busyRatio: 0.3 }] } },
      metrics: {},
    })).graph('orders');
    expect(g).toMatchObject({
      job: 'orders',
      run: RUN,
      at: '2026-12-03T12:00:00.000Z',
      source: 'jobmanager',
      edges: [],
    });
    // A run seen live is kept for later, a secret in its names masked there too.
    expect(keptShapes).toEqual([expect.stringMatching(new RegExp(`^${RUN} .*"parallelism":2`))]);
    expect(keptShapes[0]).not.toContain('S3cr3t');
    expect(g.vertices).toEqual([
      expect.objectContaining({ backpressure: { level: 'high', ratio: 0.6 }, parallelism: 2 }),
    ]);
    expect(g.vertices[0]!.name).not.toContain('S3cr3t');
  });

  it('refuses a job that is none, does not run, whose cluster forgot it or does not answer', async () => {
    const never = () => Promise.reject(new Error('not asked'));
    await expect(service('RUNNING', never).graph('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service('STOPPED', never).graph('orders')).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'graph.notRunning', params: { state: 'STOPPED' } },
    });
    await expect(service('RUNNING', async () => 'absent').graph('orders')).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'graph.clusterGone' },
    });
    await expect(
      service('RUNNING', () =>
        Promise.reject(new TargetUnreachable('local-1.20', 'connection refused')),
      ).graph('orders'),
    ).rejects.toMatchObject({
      code: 'engine_unavailable',
      message: expect.stringMatching(/connection refused/),
    });
  });
});

describe("a run's graph at a moment, from Prometheus", () => {
  const NOW = new Date('2026-12-03T12:00:00Z');
  const OLD = 'd'.repeat(32);
  const answers: FlinkJobGraphAnswers = {
    job: { vertices: [{ id: V, name: 'Source: src', parallelism: 1 }] },
    backpressure: {},
    metrics: {},
  };

  async function fixture(o: { url?: string | null; retention?: string | null; series?: string[] } = {}) {
    const store = await freshAnyStore('memory');
    const job = await store.jobs.create('orders', storedSqlContent(), 'ann', 'm');
    const asked: { query: string; at: Date | undefined }[] = [];
    // Prometheus as it answers: the count of each run with series then, and the run's task series.
    const query: PrometheusQuery = {
      instant: (q, at) => {
        asked.push({ query: q, at });
        const sample = (labels: Record<string, string>, value: number): PrometheusSample => ({
          labels,
          time: (at ?? NOW).getTime() / 1000,
          value,
        });
        if (q.startsWith('count by (job_id)'))
          return Promise.resolve((o.series ?? [RUN]).map((id) => sample({ job_id: id }, 1)));
        if (q.includes('backPressured'))
          return Promise.resolve([sample({ task_id: V, subtask_index: '0' }, 900)]);
        return Promise.resolve([]);
      },
      range: () => Promise.reject(new Error('not asked')),
    };
    const target = {
      name: 'local-1.20',
      observer: { jobGraph: () => Promise.resolve(answers) },
    } as unknown as DeploymentTarget;
    const url = o.url === undefined ? 'http://127.0.0.1:9190' : o.url;
    const g = new JobGraphService(
      store,
      { target: () => Promise.resolve(target) },
      {
        query,
        server: {
          url: () => url,
          status: () =>
            Promise.resolve({
              mode: url ? 'embedded' : 'off',
              url,
              ready: !!url,
              retention: o.retention === undefined ? '15d' : o.retention,
              problem: url ? null : message('prometheus.off'),
              restarts: { count: 0, recent: [] },
            }),
        },
      },
      () => NOW,
    );
    return { store, job, g, asked };
  }

  it('keeps the run’s shape once when it is seen RUNNING, and draws it after the run ended, coloured then', async () => {
    const { store, job, g, asked } = await fixture();
    await store.jobs.updateRuntime(job.id, { flinkJobId: RUN, state: 'RUNNING' });
    await g.keep('orders');
    expect((await store.lifecycle.runGraph(RUN))?.shape.vertices).toEqual([
      { id: V, name: 'Source: src', parallelism: 1 },
    ]);
    await store.jobs.updateRuntime(job.id, { state: 'CANCELLED' });
    const view = await g.graph('orders', { at: '-10m' });
    expect(view).toMatchObject({ run: RUN, source: 'prometheus', at: '2026-12-03T11:50:00.000Z', edges: [] });
    expect(view.vertices[0]).toMatchObject({ backpressure: { level: 'high', ratio: 0.9 }, busyRatio: null });
    expect(asked.every((a) => a.at?.toISOString() === '2026-12-03T11:50:00.000Z')).toBe(true);
    expect(asked[0]!.query).toContain(`job_id=~"${RUN}"`);
    // Live, the ended job has none.
    await expect(g.graph('orders')).rejects.toMatchObject({ text: { code: 'graph.notRunning' } });
  });

  it('refuses clearly: no Prometheus, a moment that is none or outside the retention, no run then, a run never seen running', async () => {
    const off = await fixture({ url: null });
    await off.store.jobs.updateRuntime(off.job.id, { flinkJobId: RUN });
    await expect(off.g.graph('orders', { at: '-1m' })).rejects.toMatchObject({
      code: 'engine_unavailable',
      text: { code: 'prometheus.off' },
    });
    const { store, job, g } = await fixture({ retention: '1d', series: [OLD] });
    await expect(g.graph('orders', { at: '-1m' })).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'metrics.noFlinkJob' },
    });
    await store.jobs.updateRuntime(job.id, { flinkJobId: RUN });
    for (const [at, code] of [
      ['yesterday', 'graph.badMoment'],
      ['-10 minutes', 'graph.badMoment'],
      ['2026-12-03T12:05:00Z', 'graph.momentAhead'],
      ['-2d', 'graph.beyondRetention'],
    ])
      await expect(g.graph('orders', { at }), at).rejects.toMatchObject({
        code: 'invalid_argument',
        details: { field: 'at' },
        text: { params: { problem: { code } } },
      });
    // Prometheus has series of another run only (not one of this job's).
    await expect(g.graph('orders', { at: '2026-12-03T11:00:00Z' })).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'graph.noRunAt', params: { at: '2026-12-03T11:00:00.000Z' } },
    });
    const seen = await fixture({ series: [RUN] });
    await seen.store.jobs.updateRuntime(seen.job.id, { flinkJobId: RUN });
    await expect(seen.g.graph('orders', { at: '-5m' })).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'graph.runNotKept', params: { run: RUN } },
    });
  });
});
