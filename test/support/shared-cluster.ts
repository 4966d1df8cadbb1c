import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { Platform } from '../../src/composition/platform.ts';
import {
  LOCAL_CLUSTER_DEFAULTS,
  type LocalClusterSpec,
} from '../../src/domain/clusters/local-cluster-spec.ts';
import { inspectDistribution } from '../../src/adapters/flink/distribution.ts';
import { LocalSessionCluster } from '../../src/adapters/flink/local-cluster/local-session-cluster.ts';
import { signal } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { FlinkRestClient, type JobOverview } from '../../src/adapters/flink/rest/flink-rest-client.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';
import { clusterJvmsUnder } from './jvms.ts';
import { clusterPorts } from './ports.ts';
import type { TestPlatform } from './platform.ts';

/**
 * One Flink 1.20 session cluster (JobManager, TaskManager, SQL Gateway) for the whole test run, for the
 * files whose subject is not the local cluster itself: each such file starting its own cost 20-40 s of
 * JVM starts and stops on the 2-core machine.
 *
 * Started by the first file that asks (a run that needs none pays nothing), left running between files
 * (its JVMs are detached), stopped by the global teardown (`stopSharedCluster`). Files run one at a time
 * (`fileParallelism: false`); a lock folder still keeps two askers from starting it twice.
 *
 * A file adopts it with `adoptSharedCluster(platform)`: the platform registers it as a remote session
 * cluster; or with `attachSharedCluster(platform)`: the platform sees it as its local session cluster
 * (adopted, never stopped by it). `release()` (in afterAll) cancels every Flink job that appeared on it
 * since, so the next file finds the cluster as this one did, with all its slots free.
 */
export interface SharedCluster {
  restUrl: string;
  gatewayUrl: string;
  /** Its definition (named SHARED_CLUSTER) and cluster folder, for a platform that attaches it as a local target. */
  spec: LocalClusterSpec;
  root: string;
}

/** The name files register the shared cluster under. */
export const SHARED_CLUSTER = 'shared-1.20';

const dirOf = () => path.join(inject('scratchDir'), 'shared-cluster');

async function answers(c: SharedCluster): Promise<boolean> {
  const gateway = await fetch(`${c.gatewayUrl}/v1/info`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.ok)
    .catch(() => false);
  const overview = await new FlinkRestClient(c.restUrl).overview().catch(() => null);
  return gateway && !!overview && overview['slots-available'] === overview['slots-total'];
}

/** The run's shared cluster, started now if no file has started it yet. */
export async function sharedSessionCluster(): Promise<SharedCluster> {
  const dir = dirOf();
  const info = path.join(dir, 'cluster.json');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() > deadline) throw new Error('the shared Flink cluster was being started for 5 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(info)) {
      const c = JSON.parse(fs.readFileSync(info, 'utf8')) as SharedCluster;
      if (await answers(c)) return c;
      // A previous file left it broken (or a job holding slots): start afresh rather than inherit that.
      await stopJvms(dir);
    }
    const spec: LocalClusterSpec = {
      ...LOCAL_CLUSTER_DEFAULTS,
      ...(await clusterPorts()),
      name: SHARED_CLUSTER,
      engineVersion: '1.20',
      taskManagerMemory: '1280m',
    };
    const root = path.join(dir, `root-${Date.now()}`);
    const cluster = new LocalSessionCluster(
      spec,
      inspectDistribution(inject('engineHome')),
      findJava().path,
      root,
    );
    await cluster.start((l) => process.env.SLUICE_TEST_VERBOSE && console.log(`[shared cluster] ${l}`));
    // Left running for the next files; the global teardown stops it.
    cluster.detach();
    const c = { restUrl: cluster.restUrl, gatewayUrl: cluster.gatewayUrl, spec, root };
    fs.writeFileSync(info, JSON.stringify(c));
    return c;
  } finally {
    fs.rmdirSync(lock);
  }
}

export interface AdoptedCluster {
  name: string;
  restUrl: string;
  gatewayUrl: string;
  rest: FlinkRestClient;
  /** Flink's jobs on the cluster that appeared since this file adopted it: this file's jobs. */
  jobs(): Promise<JobOverview[]>;
  /**
   * Cancels the Flink jobs that appeared on the cluster since it was adopted and waits until they
   * ended and their slots are free again (the next file finds it as this one did).
   */
  release(): Promise<void>;
}

/** Registers the run's shared cluster in `platform` as the remote session cluster `name`. */
export async function adoptSharedCluster(platform: Platform, name = SHARED_CLUSTER): Promise<AdoptedCluster> {
  const c = await sharedSessionCluster();
  const adopted = await trackJobs(c, name);
  await platform.targets.registerRemote({
    name,
    engineVersion: '1.20',
    restUrl: c.restUrl,
    gatewayUrl: c.gatewayUrl,
  });
  return adopted;
}

/**
 * Makes the run's shared cluster the local session target `name` of `platform` (TargetService.attach):
 * the platform sees a local cluster it adopted, with its catalog types, jars, logs and checkpoints, and
 * leaves it running when it closes.
 */
export async function attachSharedCluster(platform: Platform, name = 'local-1.20'): Promise<AdoptedCluster> {
  const c = await sharedSessionCluster();
  const adopted = await trackJobs(c, name);
  await platform.targets.attach({ ...c.spec, name }, c.root);
  return adopted;
}

/** The jobs that appear on the shared cluster from now on, and how to cancel them. */
async function trackJobs(c: SharedCluster, name: string): Promise<AdoptedCluster> {
  const rest = new FlinkRestClient(c.restUrl);
  const before = new Set((await rest.jobs()).map((j) => j.jid));
  const ours = async () => (await rest.jobs()).filter((j) => !before.has(j.jid));
  return {
    name,
    restUrl: c.restUrl,
    gatewayUrl: c.gatewayUrl,
    rest,
    jobs: ours,
    async release() {
      const ended = ['FINISHED', 'CANCELED', 'FAILED'];
      for (const j of await ours())
        if (!ended.includes(j.state)) await rest.cancel(j.jid).catch(() => undefined);
      const until = Date.now() + 60_000;
      const settled = async () => {
        if ((await ours()).some((j) => !ended.includes(j.state))) return false;
        const o = await rest.overview().catch(() => null);
        return !o || o['slots-available'] === o['slots-total'];
      };
      while (Date.now() < until && !(await settled())) await new Promise((r) => setTimeout(r, 200));
    },
  };
}

/**
 * The stdout file of a local target's TaskManager (where print() and the print connector write) and how
 * much of it was already written: a shared cluster's file holds what earlier files printed.
 */
export async function taskManagerOut(
  t: TestPlatform,
  target: string,
): Promise<{ file: string; from: number }> {
  const file = path.join((await t.platform.targets.cluster(target)).dirs.log, 'taskmanager-1.out');
  return { file, from: fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length : 0 };
}

/** For the global teardown: stops the shared cluster's JVMs, if a file started it. */
export async function stopSharedCluster(scratch: string): Promise<void> {
  await stopJvms(path.join(scratch, 'shared-cluster'));
}

/** SIGTERM, then SIGKILL what is left after 20 s. */
async function stopJvms(dir: string): Promise<void> {
  fs.rmSync(path.join(dir, 'cluster.json'), { force: true });
  for (const pid of clusterJvmsUnder(dir)) signal(pid, 'SIGTERM');
  const until = Date.now() + 20_000;
  while (clusterJvmsUnder(dir).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const pid of clusterJvmsUnder(dir)) signal(pid, 'SIGKILL');
}
