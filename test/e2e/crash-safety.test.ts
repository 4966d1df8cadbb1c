import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { processesWithArg } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { clusterPorts } from '../support/ports.ts';
import { operationSucceeded, waitFor } from '../support/platform.ts';
import { killableServer, type KillableServer } from '../support/killable-server.ts';
import { homeFlinkFetch } from '../support/flink-tls.ts';

/**
 * The platform as a real `sluice server` process, killed with SIGKILL during a submission and after
 * it, then started again over the same home: Flink keeps running meanwhile, and afterwards there is
 * exactly one Flink job for the Sluice job, with its true state, within 10 seconds.
 */
describe('crash safety of the platform process', () => {
  let server: KillableServer | null = null;
  let home = '';
  let restUrl = '';
  const api = <T>(method: string, p: string, body?: unknown): Promise<T> => server!.api<T>(method, p, body);
  const startServer = () => server!.start();
  const killServer = () => server!.kill();
  const flinkJobsNamed = async (name: string) => {
    const { jobs } = (await homeFlinkFetch(home)(`${restUrl}/jobs/overview`).then((r) => r.json())) as {
      jobs: { jid: string; name: string; state: string }[];
    };
    return jobs.filter((j) => j.name === name && !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state));
  };
  type Job = {
    state: string;
    flinkJobId: string | null;
    submissionInFlight: string | null;
    stateReason: string | null;
  };
  const job = (name: string) => api<Job>('GET', `/jobs/${name}`);

  beforeAll(async () => {
    server = await killableServer('crash');
    home = server.home;
    await startServer();
    await api('POST', '/engines', { home: inject('engineHome') });
    await api('PUT', '/targets/local-crash', {
      engineVersion: '1.20',
      ...(await clusterPorts()),
      taskManagerMemory: '1280m',
    });
    const op = await api<{ id: string }>('POST', '/targets/local-crash/start');
    await operationSucceeded(api, op.id, 'the start of cluster local-crash', 180_000);
    restUrl = (await api<{ restUrl: string }>('GET', '/targets/local-crash')).restUrl;
    for (const name of ['mid-create-tables', 'mid-submit', 'after'])
      await api('POST', '/jobs', {
        name,
        target: 'local-crash',
        sql: `CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE d (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO d SELECT id FROM s;`,
      });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['create tables', 'mid-create-tables'],
    ['submit', 'mid-submit'],
  ])(
    'killed when the submission reaches "%s": after restart it is finished or rolled back, never run twice',
    async (step, name) => {
      await api('POST', `/jobs/${name}/start`);
      await waitFor(
        `the submission reaching "${step}"`,
        async () => {
          const s = await api<{ steps: { name: string }[] }>('GET', `/jobs/${name}/submissions/1`);
          return s.steps.some((st) => st.name === step);
        },
        30_000,
      );
      await killServer();
      await startServer();
      const t0 = Date.now();
      const settled = await waitFor(
        'a true state',
        async () => {
          const j = await job(name);
          return !j.submissionInFlight && ['RUNNING', 'FAILED'].includes(j.state) && j;
        },
        10_000,
      );
      expect(Date.now() - t0).toBeLessThan(10_000);
      const sub = await api<{ status: string; steps: { log: string[] }[] }>(
        'GET',
        `/jobs/${name}/submissions/1`,
      );
      expect(['succeeded', 'rolled_back']).toContain(sub.status);
      expect(sub.steps.at(-1)!.log.join('\n')).toMatch(/after a platform restart/);
      if (settled.state === 'FAILED') {
        expect(settled.stateReason).toMatch(
          /start interrupted by a platform restart .* before Flink received the job/,
        );
        await api('POST', `/jobs/${name}/start`);
        await waitFor(
          'RUNNING after starting again',
          async () => (await job(name)).state === 'RUNNING',
          60_000,
        );
      }
      // Give a late submission from the gateway time to show up, then count.
      await new Promise((r) => setTimeout(r, 3000));
      const running = await flinkJobsNamed(name);
      expect(running).toHaveLength(1);
      expect(running[0]!.jid).toBe((await job(name)).flinkJobId);
    },
  );

  it('killed while a job and a debug run run: after restart the job is re-attached by its Flink job id within 10 s, and the job of the debug run is cancelled', async () => {
    await api('POST', '/jobs/after/start');
    const before = await waitFor(
      'RUNNING',
      async () => {
        const j = await job('after');
        return j.state === 'RUNNING' && j;
      },
      60_000,
    );
    const debug = await api<{ id: string }>('POST', '/sql/debug', {
      jobName: 'after',
      target: 'local-crash',
      timeLimitSeconds: 600,
    });
    const debugJobs = async () => {
      const { jobs } = (await homeFlinkFetch(home)(`${restUrl}/jobs/overview`).then((r) => r.json())) as {
        jobs: { name: string; state: string }[];
      };
      return jobs.filter(
        (j) =>
          j.name.startsWith(`sluice-debug-${debug.id}`) &&
          !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state),
      );
    };
    await waitFor('the debug run on the cluster', async () => (await debugJobs()).length === 1, 60_000);
    const jvms = processesWithArg(`-Dsluice.cluster.dir=${home}/clusters/local-crash`)
      .map((p) => p.pid)
      .sort();
    await killServer();
    await startServer();
    const t0 = Date.now();
    await waitFor('RUNNING after restart', async () => (await job('after')).state === 'RUNNING', 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await job('after')).flinkJobId).toBe(before.flinkJobId);
    expect(await flinkJobsNamed('after')).toHaveLength(1);
    expect(await flinkJobsNamed('mid-create-tables')).toHaveLength(1);
    expect(await flinkJobsNamed('mid-submit')).toHaveLength(1);
    await waitFor('no debug job left', async () => (await debugJobs()).length === 0, 10_000);
    // The cluster was adopted, not started a second time.
    expect(
      processesWithArg(`-Dsluice.cluster.dir=${home}/clusters/local-crash`)
        .map((p) => p.pid)
        .sort(),
    ).toEqual(jvms);
  });
});
