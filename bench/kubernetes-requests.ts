/**
 * `npm run bench k8s-requests`: the requests this Sluice process sends to the Kubernetes API server
 * (the Kubernetes API and Flink REST / SQL Gateway through its service proxy: the tracker's rounds,
 * the watches) while real SQL jobs run untouched, on the local Kubernetes (test/support/kubernetes,
 * started or reused; never stopped here). Measured, not computed:
 *  - on a standalone session target (one session cluster of a few TaskManagers with enough slots,
 *    small memory) with each count of SLUICE_BENCH_JOB_COUNTS (10,100) SQL jobs RUNNING on it
 *    (datagen at 10 rows per second into blackhole, parallelism 1, started through the platform);
 *  - beside it, SLUICE_BENCH_APPLICATION_JOBS (10; 0 leaves it out) jobs on standalone application
 *    clusters, one cluster per job (small CPU requests and memory, so that they fit on two cores).
 * Each over SLUICE_BENCH_WINDOW_S (60) seconds: in all, per minute, per job per minute, the kinds of
 * request, this process's CPU and the machine's load. Everything is cancelled, the session stopped
 * and the namespace h-reqbench deleted at the end, also when something failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { namespaceGone } from '../test/support/kubernetes/namespace.ts';
import type { Platform } from '../src/composition/platform.ts';
import { BENCH_JOB_SQL, benchPlatform, untilJobState } from './platform.ts';
import { benchNamespace, countRequests } from './kubernetes.ts';

/** The session's job counts; 0 leaves the session out. */
const COUNTS = (process.env.SLUICE_BENCH_JOB_COUNTS ?? '10,100')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const APPLICATION_JOBS = Number(process.env.SLUICE_BENCH_APPLICATION_JOBS ?? 10);
const WINDOW_S = Number(process.env.SLUICE_BENCH_WINDOW_S ?? 60);
/** Starts and cancels going on at once: the SQL Gateway plans one statement at a time per session anyway. */
const AT_ONCE = Number(process.env.SLUICE_BENCH_AT_ONCE ?? 4);
const NAMESPACE = 'h-reqbench';
const SESSION = 'k8s-req-session';
const APPLICATION = 'k8s-req-app';
/** Flink's most slots per TaskManager that a session target takes is 64: 50 keeps two TaskManagers for 100 jobs. */
const SLOTS_PER_TM = 50;

interface Row {
  what: string;
  jobs: number;
  requests: number;
  perMinute: number;
  perJob: number;
  cpuSeconds: number;
  load: string;
  kinds: [string, number][];
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** Runs `work` over `items`, `n` at a time; the first failure is thrown once all have settled. */
async function inTurn<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift())
        await work(item).catch((e: unknown) => void failures.push(e));
    }),
  );
  if (failures.length) throw failures[0];
}

async function startJobs(
  platform: Platform,
  names: string[],
  target: string,
  atOnce: number,
  options: Record<string, string> = {},
): Promise<void> {
  const t0 = performance.now();
  let again = 0;
  await inTurn(names, atOnce, async (name) => {
    const sql = BENCH_JOB_SQL(Number(name.split('-').at(-1)));
    await platform.jobs.create({ name, sql, target, options }, 'bench');
    await platform.jobs.start(name, { fromSavepoint: 'none' }, 'bench');
    await untilJobState(platform, name, 'RUNNING', 250).catch(async (e: Error) => {
      // A start that failed before anything ran (a JobManager slow to answer under load) is said and
      // started once more: the measurement needs the jobs, not this one start.
      if (!/no Flink job was created/.test(e.message)) throw e;
      console.log(`  ${name} started again after: ${e.message}`);
      again++;
      await platform.jobs.start(name, { fromSavepoint: 'none' }, 'bench');
      await untilJobState(platform, name, 'RUNNING', 250);
    });
  });
  console.log(
    `  ${names.length} more job(s) RUNNING on ${target} in ${((performance.now() - t0) / 1000).toFixed(0)} s, ${again} started twice (load ${load()})`,
  );
}

async function cancelJobs(platform: Platform, names: string[], atOnce: number): Promise<void> {
  await inTurn(names, atOnce, async (name) => {
    await platform.jobs.cancel(name, 'bench');
    await untilJobState(platform, name, 'CANCELLED', 250);
  });
}

/** The requests over the window while `jobs` jobs run untouched and the tracker follows them. */
async function measure(server: string, what: string, jobs: number): Promise<Row> {
  // A few tracker rounds first: the last starts' waits are over before the window opens.
  await new Promise((r) => setTimeout(r, 5_000));
  const counter = countRequests(server);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loadBefore = load();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const minutes = (performance.now() - t0) / 60_000;
  counter.restore();
  const cpu = process.cpuUsage(cpu0);
  const row: Row = {
    what,
    jobs,
    requests: counter.count(),
    perMinute: counter.count() / minutes,
    perJob: counter.count() / minutes / jobs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    load: `${loadBefore} → ${load()}`,
    kinds: counter.byKind(),
  };
  console.log(
    `${what}, ${jobs} RUNNING jobs, over ${WINDOW_S} s: ${row.requests} requests, ${row.perMinute.toFixed(0)} per minute, ${row.perJob.toFixed(1)} per job per minute; this process ${row.cpuSeconds.toFixed(1)} CPU s; load ${row.load}`,
  );
  for (const [kind, n] of row.kinds) console.log(`    ${String(n).padStart(6)}  ${kind}`);
  return row;
}

/** After a failure, before the clean-up: the namespace's pods as the kubelet sees them, and the JobManager's last log lines. */
async function describePods(core: k8s.CoreV1Api, namespace: string): Promise<void> {
  for (const pod of (await core.listNamespacedPod({ namespace })).items) {
    const containers = (pod.status?.containerStatuses ?? []).map(
      (c) =>
        `${c.name}: ready ${c.ready}, restarts ${c.restartCount}${c.lastState?.terminated ? `, last ended ${c.lastState.terminated.reason} (${c.lastState.terminated.exitCode})` : ''}`,
    );
    console.log(`  pod ${pod.metadata!.name}: ${pod.status?.phase}; ${containers.join('; ')}`);
    if (pod.metadata!.name!.includes('jobmanager')) {
      const log = await core
        .readNamespacedPodLog({
          name: pod.metadata!.name!,
          namespace,
          container: 'jobmanager',
          tailLines: 40,
        })
        .catch((e: Error) => `(no log: ${e.message})`);
      console.log(String(log).replace(/^/gm, '    | '));
    }
  }
}

export async function kubernetesRequests(scratch: string): Promise<void> {
  console.log('\n== API requests per minute with 10 and 100 jobs on Kubernetes (measured) ==');
  const { kc, cluster, core } = await benchNamespace(NAMESPACE, { flinkAccount: false });
  const server = kc.getCurrentCluster()!.server;
  const shared = path.join(scratch, 'k8s-req-shared');
  fs.mkdirSync(shared, { recursive: true });
  const platform = await benchPlatform(scratch, 'k8s-req-home');
  const rows: Row[] = [];
  const most = Math.max(0, ...COUNTS);
  const sessionJobs = Array.from({ length: most }, (_, i) => `req-session-${i + 1}`);
  const applicationJobs = Array.from({ length: APPLICATION_JOBS }, (_, i) => `req-app-${i + 1}`);
  const running = new Set<string>();
  try {
    platform.tracker.start(platform.config.trackerIntervalMs);
    if (COUNTS.length) {
      const taskManagers = Math.ceil(most / SLOTS_PER_TM);
      await platform.targets.registerKubernetes({
        name: SESSION,
        kubeconfig: cluster.kubeconfig,
        namespace: NAMESPACE,
        mode: 'standalone',
        imagePullPolicy: 'Never',
        sharedDir: shared,
        flinkConfiguration: {
          // Stateless tasks of datagen into blackhole need next to no managed memory: task heap instead.
          'taskmanager.memory.managed.fraction': '0.05',
          // CPU shares follow the requests: at 0.25 a JobManager on two loaded cores answered late enough
          // for a start's cluster check (3 s, 4 times) to give up at the 29th job.
          'kubernetes.jobmanager.cpu': '0.5',
        },
        session: {
          taskManagers,
          slotsPerTaskManager: Math.ceil(most / taskManagers),
          jobManagerMemory: '1536m',
          taskManagerMemory: '1536m',
          gatewayMemory: '512m',
        },
      });
      const t0 = performance.now();
      await platform.targets.start(SESSION, () => undefined);
      console.log(
        `  session cluster of ${taskManagers} TaskManager(s), ${Math.ceil(most / taskManagers)} slots each, running in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
      let started = 0;
      for (const n of [...COUNTS].sort((a, b) => a - b)) {
        const more = sessionJobs.slice(started, n);
        more.forEach((j) => running.add(j));
        await startJobs(platform, more, SESSION, AT_ONCE);
        started = n;
        rows.push(await measure(server, 'session (standalone)', n));
      }
      await cancelJobs(platform, sessionJobs.slice(0, started), AT_ONCE);
      sessionJobs.forEach((j) => running.delete(j));
      await platform.targets.stop(SESSION);
    }

    if (APPLICATION_JOBS > 0) {
      await platform.targets.registerKubernetes({
        name: APPLICATION,
        kubeconfig: cluster.kubeconfig,
        namespace: NAMESPACE,
        mode: 'standalone',
        imagePullPolicy: 'Never',
        sharedDir: shared,
      });
      applicationJobs.forEach((j) => running.add(j));
      // Two at a time: each start is a JobManager and a TaskManager JVM starting on two cores.
      // Twenty pods on a node of two cores: CPU requests small enough to be scheduled, Flink's small
      // memory sizes. A job's pods take them from the job's own options (not the target's).
      await startJobs(platform, applicationJobs, APPLICATION, 2, {
        'kubernetes.jobmanager.cpu': '0.1',
        'kubernetes.taskmanager.cpu': '0.08',
        'jobmanager.memory.process.size': '768m',
        'taskmanager.memory.process.size': '1024m',
      });
      rows.push(await measure(server, 'application clusters (standalone)', APPLICATION_JOBS));
      await cancelJobs(platform, applicationJobs, 2);
      applicationJobs.forEach((j) => running.delete(j));
    }
  } catch (e) {
    await describePods(core, NAMESPACE).catch(() => undefined);
    throw e;
  } finally {
    // Also after a failure: the jobs cancelled, the session stopped, then the namespace and all in it gone.
    await cancelJobs(platform, [...running], AT_ONCE).catch((e: Error) =>
      console.log(`  (cancelling after a failure: ${e.message})`),
    );
    await platform.targets.stop(SESSION).catch(() => undefined);
    await platform.close();
    await namespaceGone(core, NAMESPACE, 300_000, `the bench namespace ${NAMESPACE} to go`);
  }
  console.log(`\nAPI requests per minute (measured over ${WINDOW_S} s each, ${os.cpus().length} cores):`);
  console.log(
    '| target | jobs RUNNING | requests per minute | per job per minute | Sluice CPU s | load (1, 5, 15 min) |',
  );
  for (const r of rows)
    console.log(
      `| ${r.what} | ${r.jobs} | ${r.perMinute.toFixed(0)} | ${r.perJob.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.load} |`,
    );
}
