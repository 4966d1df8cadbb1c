import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { waitFor } from '../../../../test/support/platform.ts';
import { freePorts } from '../../../../test/support/ports.ts';
import { STATEFUL_COUNTER_MAIN, testJars, type TestJars } from '../../../../test/support/test-jars.ts';
import { findJava } from '../../system/prerequisites.ts';
import { inspectDistribution, type FlinkDistribution } from '../distribution.ts';
import { LocalApplicationCluster, type LocalApplicationSpec } from './local-application-cluster.ts';
import { processesWithArg } from './os-processes.ts';

/** Real Flink 1.20: the standalone application entry point running one DataStream job with its own TaskManager. */
describe('local application cluster', () => {
  let jars: TestJars;
  let dist: FlinkDistribution;
  let java: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-app-'));
  const root = path.join(scratch, 'counter');
  const jobId = randomBytes(16).toString('hex');
  let cluster: LocalApplicationCluster | null = null;

  const spec = async (program: Partial<LocalApplicationSpec['program']> = {}) => {
    const [restPort, rpcPort] = (await freePorts(2)) as [number, number];
    return {
      name: 'counter',
      restPort,
      rpcPort,
      taskManagers: 1,
      slotsPerTaskManager: 2,
      jobManagerMemory: '768m',
      taskManagerMemory: '1024m',
      flinkConfig: {},
      program: {
        jars: [jars.statefulCounter],
        entryClass: STATEFUL_COUNTER_MAIN,
        args: ['--keys', '2', '--rate', '50', '--name', 'counter'],
        jobId,
        savepointPath: null,
        allowNonRestoredState: false,
        ...program,
      },
    } satisfies LocalApplicationSpec;
  };
  /** The highest count the job printed for key k0 in the TaskManager's stdout since `from` bytes. */
  const countsSince = (from: number) => {
    const out = fs.readFileSync(path.join(root, 'log', 'taskmanager-1.out'), 'utf8').slice(from);
    return [...out.matchAll(/k0=(\d+)/g)].map((m) => Number(m[1]));
  };
  const outSize = () => {
    try {
      return fs.statSync(path.join(root, 'log', 'taskmanager-1.out')).size;
    } catch {
      return 0;
    }
  };

  beforeAll(async () => {
    dist = inspectDistribution(inject('engineHome'));
    java = findJava().path;
    jars = await testJars(dist.flinkVersion);
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
    expect(processesWithArg(`-Dsluice.cluster.dir=${root}`)).toEqual([]);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('runs the job under the id the platform chose, then keeps its JobManager after a stop with savepoint', async () => {
    const lines: string[] = [];
    cluster = new LocalApplicationCluster(await spec(), dist, java, root);
    await cluster.start((l) => lines.push(l));
    expect(lines.at(-1)).toMatch(/1\/1 TaskManagers registered/);
    const running = await waitFor('the job to run', async () => {
      const jobs = await cluster!.rest.jobs();
      return jobs.find((j) => j.state === 'RUNNING') && jobs;
    });
    expect(running.map((j) => [j.jid, j.name])).toEqual([[jobId, 'counter']]);
    await waitFor('counts in the TaskManager output', async () => countsSince(0).length >= 5);
    const trigger = await cluster.rest.stop(jobId, `file://${scratch}/savepoints`, false);
    const savepoint = await cluster.rest.awaitSavepoint(jobId, trigger);
    expect(savepoint).toMatch(/savepoints\/savepoint-/);
    // The JobManager stays: the job's final state is still there to read.
    const ended = await waitFor('the job to end', async () => {
      const j = await cluster!.rest.job(jobId);
      return j.state === 'FINISHED' && j;
    });
    expect(ended.state).toBe('FINISHED');
    const before = Math.max(...countsSince(0));
    await cluster.stop();
    expect(processesWithArg(`-Dsluice.cluster.dir=${root}`)).toEqual([]);

    // Started again from the savepoint: the count per key goes on from where it was.
    const from = outSize();
    cluster = new LocalApplicationCluster(await spec({ savepointPath: savepoint }), dist, java, root);
    await cluster.start();
    await waitFor('counts after the restore', async () => countsSince(from).length >= 3);
    expect(Math.min(...countsSince(from))).toBeGreaterThan(before);
  }, 300_000);

  it('a new platform process adopts the running cluster from what the earlier one wrote', async () => {
    const pids = processesWithArg(`-Dsluice.cluster.dir=${root}`)
      .map((p) => p.pid)
      .sort();
    expect(pids).toHaveLength(2);
    const ports = cluster!.status().map((p) => p.metricsPort);
    cluster!.detach();
    const written = LocalApplicationCluster.readSpec(root)!;
    expect(written.program.jobId).toBe(jobId);
    const adopted = new LocalApplicationCluster(written, dist, java, root);
    expect(await adopted.adopt()).toBe(true);
    // Each process's reporter port comes back from its pid file.
    expect(ports.every((p) => typeof p === 'number')).toBe(true);
    expect(adopted.status().map((p) => p.metricsPort)).toEqual(ports);
    expect(
      adopted
        .status()
        .map((p) => p.pid)
        .sort(),
    ).toEqual(pids);
    expect((await adopted.rest.jobs()).map((j) => [j.jid, j.state])).toEqual([[jobId, 'RUNNING']]);
    cluster = adopted;
    await adopted.stop();
    expect(processesWithArg(`-Dsluice.cluster.dir=${root}`)).toEqual([]);
  }, 120_000);

  it('an entry class the jar does not have fails the start with the JobManager log, and leaves nothing running', async () => {
    const bad = path.join(scratch, 'bad');
    cluster = new LocalApplicationCluster(
      await spec({ entryClass: 'dev.sluice.NoSuchMain' }),
      dist,
      java,
      bad,
    );
    await expect(cluster.start()).rejects.toThrow(/dev\.sluice\.NoSuchMain/);
    expect(processesWithArg(`-Dsluice.cluster.dir=${bad}`)).toEqual([]);
  }, 180_000);
});
