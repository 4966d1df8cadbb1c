import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/jobs/job.ts';
import type { FlinkJobGraphAnswers } from '../domain/metrics/job-graph.ts';
import { TargetUnreachable, type DeploymentTarget } from '../domain/targets/deployment-target.ts';
import { JobGraphService } from './job-graph.ts';
import { forgetSecretsOf, rememberSecret } from './secret-masking.ts';

const RUN = 'b'.repeat(32);
const V = 'c'.repeat(32);
const owner = {};
afterEach(() => forgetSecretsOf(owner));

function service(state: Job['state'], answer: () => Promise<FlinkJobGraphAnswers | 'absent'>) {
  const job = { name: 'orders', target: 'local-1.20', state, flinkJobId: RUN } as Job;
  const target = { name: 'local-1.20', observer: { jobGraph: answer } } as unknown as DeploymentTarget;
  return new JobGraphService(
    { jobs: { getByName: (n: string) => Promise.resolve(n === 'orders' ? job : undefined) } } as never,
    { target: () => Promise.resolve(target) },
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
    expect(g).toMatchObject({ job: 'orders', run: RUN, at: '2026-12-03T12:00:00.000Z', edges: [] });
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
