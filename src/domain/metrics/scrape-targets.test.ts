import { describe, expect, it } from 'vitest';
import { scrapeTargetGroups, type FlinkMetricsEndpoint } from './scrape-targets.ts';

const endpoint = (e: Partial<FlinkMetricsEndpoint>): FlinkMetricsEndpoint => ({
  address: '127.0.0.1:9250',
  target: 'local-1.20',
  engineVersion: '1.20',
  role: 'jobmanager',
  process: 'jobmanager',
  job: null,
  ...e,
});

describe('Prometheus HTTP service discovery groups', () => {
  it("labels a job's own processes with the job, the version deployed and the Flink job id", () => {
    const groups = scrapeTargetGroups(
      [
        endpoint({
          address: '127.0.0.1:9311',
          target: 'local-application-1.20',
          role: 'taskmanager',
          process: 'taskmanager-1',
          job: { name: 'orders', flinkJobId: 'a'.repeat(32) },
        }),
      ],
      (name) => (name === 'orders' ? 3 : null),
      { job: (name) => (name === 'orders' ? 'shop' : undefined), target: () => 'elsewhere' },
    );
    expect(groups).toEqual([
      {
        targets: ['127.0.0.1:9311'],
        labels: {
          target: 'local-application-1.20',
          engine_version: '1.20',
          role: 'taskmanager',
          process: 'taskmanager-1',
          space: 'shop',
          job: 'orders',
          version: '3',
          flink_job_id: 'a'.repeat(32),
        },
      },
    ]);
  });

  it("gives a session cluster's processes no job labels (they run several jobs), and their target's space", () => {
    const [g] = scrapeTargetGroups([endpoint({})], () => 1, {
      job: () => 'not-this',
      target: (name) => (name === 'local-1.20' ? 'shop' : undefined),
    });
    expect(g!.labels).toEqual({
      target: 'local-1.20',
      engine_version: '1.20',
      role: 'jobmanager',
      process: 'jobmanager',
      space: 'shop',
    });
  });

  it('leaves the space label out where the space is not known (a target no space holds)', () => {
    const [g] = scrapeTargetGroups([endpoint({})], () => 1, { job: () => 'x', target: () => undefined });
    expect(g!.labels).not.toHaveProperty('space');
  });

  it('leaves out the version of a job never deployed, and lists one group per process in a stable order', () => {
    const groups = scrapeTargetGroups(
      [
        endpoint({ address: '127.0.0.1:9400', target: 'b', job: { name: 'new', flinkJobId: 'f' } }),
        endpoint({ address: '127.0.0.1:9300', target: 'b' }),
        endpoint({ address: '127.0.0.1:9500', target: 'a' }),
      ],
      () => null,
    );
    expect(groups.map((g) => g.targets[0])).toEqual(['127.0.0.1:9500', '127.0.0.1:9300', '127.0.0.1:9400']);
    expect(groups[2]!.labels).toMatchObject({ job: 'new', flink_job_id: 'f' });
    expect(groups[2]!.labels).not.toHaveProperty('version');
  });
});
