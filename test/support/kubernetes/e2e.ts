import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, expect } from 'vitest';
import { CLICKS, collectDebugRun, expectClickCounts } from '../debug-runs.ts';
import { createClient } from '../../../src/client/index.ts';
import { TARGET_KINDS, type TargetKindName } from '../../../src/domain/targets/target-kinds.ts';
import type { Submission } from '../../../src/domain/jobs/submission.ts';
import { runSluice, servedPlatform, type CliResult } from '../cli.ts';
import { authHeaders } from '../credentials.ts';
import type { PodScrapeTargetGroupView } from '../../../src/contract/prometheus.ts';
import type { TestPlatform } from '../platform.ts';
import { STATEFUL_COUNTER_MAIN, testJars } from '../test-jars.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from './cluster.ts';
import {
  defaultServiceAccount,
  freshNamespace,
  kubeClients,
  namespaceGone,
  waitFor,
  type KubeClients,
} from './namespace.ts';
import { FLINK_SERVICE_ACCOUNT, operatorEnabled, prepareOperatorNamespace } from './operator.ts';

/**
 * What a Kubernetes e2e file sets up around its tests, written once: the local cluster (reused when it
 * runs, never stopped here), the engine's image, a namespace of its own (fresh for the run, deleted
 * after it, also after a failure) and a shared folder; and per describe, a served platform with the CLI.
 */

export interface KubernetesFile extends KubeClients {
  readonly cluster: LocalCluster;
  /** The folder the target mounts into its pods (hostPath): on this machine, the node's own disk. */
  readonly shared: string;
}

/**
 * Registers the file's beforeAll/afterAll. `flinkAccount`: the namespace gets the `flink` ServiceAccount
 * bound to ClusterRole edit (JobManagers that make pods or HA ConfigMaps need it); `operator`: the
 * tests need the operator running.
 */
export function onKubernetes(o: {
  namespace: string;
  flinkVersion: string;
  flinkAccount?: boolean;
  operator?: boolean;
}): KubernetesFile {
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-${o.namespace}-`));
  let cluster: LocalCluster | undefined;
  let clients: KubeClients | undefined;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the Kubernetes fixture is used before its beforeAll ran');
    return v;
  };
  beforeAll(async () => {
    if (o.operator && !operatorEnabled())
      throw new Error(
        'these tests need the operator: unset SLUICE_K8S_OPERATOR (it is 0) and run them again',
      );
    cluster = await clusterUp();
    await ensureFlinkImage(o.flinkVersion);
    clients = kubeClients(cluster);
    if (o.flinkAccount) {
      await namespaceGone(clients.core, o.namespace, 180_000);
      await prepareOperatorNamespace(cluster, o.namespace);
      await defaultServiceAccount(clients.core, o.namespace);
    } else {
      await freshNamespace(clients.core, o.namespace);
    }
  }, 30 * 60_000);
  afterAll(async () => {
    // Also after a failure: nothing of this file stays on the shared cluster.
    await clients?.core.deleteNamespace({ name: o.namespace }).catch(() => undefined);
    fs.rmSync(shared, { recursive: true, force: true });
  });
  return {
    shared,
    get cluster() {
      return ready(cluster);
    },
    get kc() {
      return ready(clients).kc;
    },
    get core() {
      return ready(clients).core;
    },
    get apps() {
      return ready(clients).apps;
    },
    get objects() {
      return ready(clients).objects;
    },
  };
}

export interface ServedForTests {
  readonly t: TestPlatform;
  readonly url: string;
  /** The `sluice` CLI against the served API. */
  sluice(...args: string[]): Promise<CliResult>;
  /** Waits for a submission to end and reads it back as stored. */
  run(s: Promise<Submission>): Promise<Submission>;
  readonly author: string;
}

/**
 * A served platform for the describe it is called in, closed after it (`beforeClose` first); `platform`:
 * the options of servedPlatform (a Prometheus in its config).
 */
export function servedPerDescribe(
  o: {
    beforeClose?: (t: TestPlatform) => Promise<void>;
    platform?: Parameters<typeof servedPlatform>[0];
  } = {},
): ServedForTests {
  let served: Awaited<ReturnType<typeof servedPlatform>> | undefined;
  const ready = () => {
    if (!served) throw new Error('the served platform is used before its beforeAll ran');
    return served;
  };
  beforeAll(async () => {
    served = await servedPlatform(o.platform);
  }, 600_000);
  afterAll(async () => {
    if (served && o.beforeClose) await o.beforeClose(served.t).catch(() => undefined);
    await served?.close();
  }, 180_000);
  return {
    get t() {
      return ready().t;
    },
    get url() {
      return ready().url;
    },
    sluice: (...args) => runSluice(ready().url, args),
    run: async (s) => {
      const sub = await s;
      await ready().t.platform.submissions.wait(sub.id);
      return (await ready().t.platform.store.lifecycle.submission(sub.id))!;
    },
    author: 'tester',
  };
}

/**
 * The JAR job `jar-counter` (or `o.name`) on `target`: the stateful counter test job (two keys, 20
 * records a second, `o.options` as its Flink options), its jar uploaded as artifact `counter-jar`
 * unless an earlier call of the same platform did.
 */
export async function createCounterJarJob(
  platform: TestPlatform['platform'],
  flinkVersion: string,
  target: string,
  author: string,
  o: { name?: string; options?: Record<string, string>; args?: string[]; classpath?: string[] } = {},
): Promise<void> {
  const name = o.name ?? 'jar-counter';
  if (!(await platform.artifacts.list()).some((a) => a.name === 'counter-jar')) {
    const jars = await testJars(flinkVersion);
    await platform.artifacts.upload(
      {
        bytes: fs.readFileSync(jars.statefulCounter),
        fileName: path.basename(jars.statefulCounter),
        name: 'counter-jar',
      },
      author,
    );
  }
  await platform.jobs.create(
    {
      name,
      jar: 'counter-jar',
      entryClass: STATEFUL_COUNTER_MAIN,
      args: ['--keys', '2', '--rate', '20', '--name', name, ...(o.args ?? [])],
      target,
      ...(o.options ? { options: o.options } : {}),
      ...(o.classpath ? { classpath: o.classpath } : {}),
    },
    author,
  );
}

/** The counts of `key` (`k0=12` lines of the stateful counter) in a log, in order. */
export const countsOf = (log: string, key: string): number[] =>
  [...log.matchAll(new RegExp(`^${key}=(\\d+)$`, 'gm'))].map((m) => Number(m[1]));

/** What a standalone cluster is made of: its root ConfigMap and what it owns. */
export const STANDALONE_KINDS = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
] as const;

/** The objects of these kinds in the namespace that match the label selector, as `Kind/name`. */
export async function labelledObjects(
  objects: k8s.KubernetesObjectApi,
  namespace: string,
  kinds: readonly (readonly [apiVersion: string, kind: string])[],
  selector: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of kinds) {
    const list = await objects.list(
      apiVersion,
      kind,
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    for (const item of list.items) found.push(`${kind}/${item.metadata?.name}`);
  }
  return found;
}

/** The print sink's rows in a session target's TaskManager pod logs, in order. */
export async function sessionPrintedRows(
  core: k8s.CoreV1Api,
  namespace: string,
  target: string,
): Promise<number[]> {
  const log = await sessionTaskManagerLogs(core, namespace, target);
  return [...log.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/** The logs of a session target's TaskManager pods, one after the other. */
export async function sessionTaskManagerLogs(
  core: k8s.CoreV1Api,
  namespace: string,
  target: string,
): Promise<string> {
  const pods = await core.listNamespacedPod({
    namespace,
    labelSelector: `sluice.dev/session=${target},app.kubernetes.io/component=taskmanager`,
  });
  const logs: string[] = [];
  for (const pod of pods.items)
    logs.push(await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace }));
  return logs.join('\n');
}

/**
 * A debug run on a Kubernetes session target, through the API: its rows file goes into the shared
 * folder, where the TaskManager pod reads it; the rows come back, the run ends by itself, and its rows
 * files are removed with it.
 */
export async function expectSessionDebugRun(url: string, target: string, shared: string): Promise<void> {
  expectClickCounts(
    await collectDebugRun(createClient({ baseUrl: url, headers: authHeaders(url) }).sql, {
      target,
      sql: `CREATE TABLE clicks (user_id INT, url STRING) WITH ('connector' = 'datagen');
CREATE TABLE counts (user_id INT, clicks BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;`,
      sources: CLICKS,
    }),
  );
  expect(fs.readdirSync(path.join(shared, target, 'session', 'debug'))).toEqual([]);
}

interface LogsView {
  scope: string;
  run: string | null;
  runs: { flinkJobId: string }[];
  sources: { id: string; process: string; role: string; live: boolean }[];
}

/**
 * A running job's logs on a Kubernetes session target through the CLI (the session's pods, named by
 * pod and shared by every job on it; the TaskManager pod's log holds the job's printed rows), and the
 * session's Flink Web UI through Sluice's read-only proxy at `/flink/<target>/<ui>` (the overview with
 * the job RUNNING, the index page, a cancel refused).
 */
export async function expectSessionLogsAndUi(
  s: Pick<ServedForTests, 'sluice' | 'url'>,
  o: { target: string; job: string; flinkJobId: string; gateway: boolean; ui: string },
): Promise<LogsView> {
  const listed = await s.sluice('job', 'logs', o.job, '--list');
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain(
    `logs of the session cluster of ${o.target}, shared by every job running there`,
  );
  const view = JSON.parse((await s.sluice('job', 'logs', o.job, '--list', '--json')).stdout) as LogsView;
  expect(view).toMatchObject({ scope: 'cluster', run: null });
  const roles = view.sources.map((x) => x.role).sort();
  expect(roles).toEqual(
    ['jobmanager', 'taskmanager', ...(o.gateway ? ['sql-gateway'] : [])].sort((a, b) => a.localeCompare(b)),
  );
  const tm = view.sources.find((x) => x.role === 'taskmanager')!;
  expect(tm).toMatchObject({ process: 'taskmanager-1', live: true });
  const printed = await waitFor(
    'printed rows in the TaskManager pod log through sluice job logs --pod',
    60_000,
    async () => {
      const r = await s.sluice('job', 'logs', o.job, '--pod', tm.id, '--tail', '400');
      return r.code === 0 && /\+I\[\d+\]/.test(r.stdout) ? r : undefined;
    },
  );
  expect(printed.stdout).toMatch(/\+I\[\d+\]/);
  const wrong = await s.sluice('job', 'logs', o.job, '--pod', 'no-such-pod');
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toContain(`has no log of pod no-such-pod: its sources are ${view.sources[0]!.id}`);

  const base = `${s.url}/flink/${encodeURIComponent(o.target)}/${o.ui}`;
  const headers = authHeaders(s.url);
  const overview = await fetch(`${base}jobs/overview`, { headers });
  expect(overview.status).toBe(200);
  const seen = (await overview.json()) as { jobs: { jid: string; state: string }[] };
  expect(seen.jobs).toContainEqual(expect.objectContaining({ jid: o.flinkJobId, state: 'RUNNING' }));
  const index = await fetch(base, { headers });
  expect(index.status).toBe(200);
  expect(await index.text()).toContain('<html');
  // Read-only: a cancel through the UI is refused before it reaches Flink.
  expect((await fetch(`${base}jobs/${o.flinkJobId}`, { method: 'PATCH', headers })).status).toBe(403);
  return view;
}

/** After a job's run ended on the session: the session's pod logs were kept for it, readable by `--run`. */
export async function expectKeptSessionLogs(
  s: Pick<ServedForTests, 'sluice'>,
  job: string,
  flinkJobId: string,
): Promise<void> {
  const listed = await s.sluice('job', 'logs', job, '--list');
  expect(listed.stdout).toContain('kept runs (--run):');
  expect(listed.stdout).toContain(flinkJobId);
  const kept = JSON.parse(
    (await s.sluice('job', 'logs', job, '--list', '--json', '--run', flinkJobId)).stdout,
  ) as LogsView;
  expect(kept).toMatchObject({ scope: 'cluster', run: flinkJobId });
  const tm = kept.sources.find((x) => x.role === 'taskmanager')!;
  expect(tm.live).toBe(false);
  const read = await s.sluice('job', 'logs', job, '--run', flinkJobId, '--pod', tm.id, '--tail', '400');
  expect(read.code, read.stderr).toBe(0);
  expect(read.stdout).toMatch(/\+I\[\d+\]/);
}

/**
 * How long each step of a submission took, with the load, printed: a slow run on a loaded machine
 * shows where its time went (and a failed one its last step's log, in the assertion's message).
 */
export function logStepTimes(what: string, s: Submission): void {
  const took = s.steps.map(
    (x) =>
      `${x.name} ${((Date.parse(x.endedAt ?? x.startedAt) - Date.parse(x.startedAt)) / 1000).toFixed(1)} s`,
  );
  console.log(`${what} (${s.status}, load ${os.loadavg()[0]!.toFixed(1)}): ${took.join(', ')}`);
}

/**
 * The states job `job` moved through from its event `from` on. A task failure Flink recovered from
 * while the job started (NOT_RUNNING in Flink's words, then RUNNING: on a loaded machine a TaskManager
 * that boots for minutes can miss one of Flink's own timeouts) is printed with its cause and left out:
 * what is left is the path every start takes.
 */
export async function statesSince(
  platform: TestPlatform['platform'],
  job: string,
  from = 0,
): Promise<string[]> {
  const events = (await platform.jobs.events(job)).slice(from);
  return events.flatMap((e, i) => {
    const recovered =
      e.to === 'NOT_RUNNING' &&
      e.source === 'flink' &&
      e.reasonMessage?.code === 'lifecycle.failureWhileStarting' &&
      events[i + 1]?.to === 'RUNNING';
    if (recovered) console.log(`${job}: a failure Flink recovered from while it started: ${e.reason}`);
    return recovered ? [] : [e.to];
  });
}

/** A JAR job's start went through its kind's deploy steps and the pod milestones, in order. */
export async function expectJarStartedThroughMilestones(
  platform: TestPlatform['platform'],
  job: string,
  start: Submission,
  kind: TargetKindName,
): Promise<void> {
  logStepTimes(`${job} start`, start);
  expect(start.status, JSON.stringify(start.steps.at(-1))).toBe('succeeded');
  expect(start.steps.map((x) => x.name)).toEqual([
    'resolve version',
    'validate',
    ...TARGET_KINDS[kind].deploySteps.jar!,
  ]);
  expect(await statesSince(platform, job)).toEqual(['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
}

/**
 * `sluice target add NAME --kubernetes ...` of a target in `namespace` whose pods run as `flink` with
 * the imported image (pull policy Never), its jobs' files in `sharedDir`; `extra` options after.
 */
export const kubernetesTargetAdd = (
  name: string,
  o: { kubeconfig: string; namespace: string; mode: 'native' | 'operator'; sharedDir: string },
  ...extra: string[]
): string[] => [
  'target',
  'add',
  name,
  '--kubernetes',
  '--kubeconfig',
  o.kubeconfig,
  '--namespace',
  o.namespace,
  '--mode',
  o.mode,
  '--image-pull-policy',
  'Never',
  '--service-account',
  FLINK_SERVICE_ACCOUNT,
  '--shared-dir',
  o.sharedDir,
  ...extra,
];

/**
 * The JobManager and TaskManager pods of a run (`job`), or of a session (`job` null: its pods carry no
 * job labels, they run several jobs), as Sluice's pod discovery lists them for Prometheus (waited for:
 * Running and Ready), each addressed to Sluice with its proxy path, and the JobManager's reporter
 * answering through that path (the API server's pod proxy) with `runningJobs` jobs running.
 */
export async function scrapedPodsOf(
  url: string,
  o: {
    target: string;
    namespace: string;
    job: { name: string; flinkJobId: string } | null;
    runningJobs?: number;
  },
): Promise<PodScrapeTargetGroupView[]> {
  const client = createClient({ baseUrl: url, headers: authHeaders(url) });
  const mine = (g: PodScrapeTargetGroupView) =>
    g.labels.target === o.target && (o.job ? g.labels.flink_job_id === o.job.flinkJobId : !g.labels.job);
  const groups = await waitFor(
    'the JobManager and TaskManager pods in the pod discovery',
    120_000,
    async () => {
      const found = (await client.prometheus.podTargets()).filter(mine);
      return found.some((g) => g.labels.role === 'jobmanager') &&
        found.some((g) => g.labels.role === 'taskmanager')
        ? found
        : undefined;
    },
  );
  for (const g of groups) {
    expect(g.targets).toEqual([new URL(url).host]);
    expect(g.labels).toMatchObject({ target: o.target, space: 'default', __scheme__: 'http' });
    if (o.job) expect(g.labels).toMatchObject({ job: o.job.name, flink_job_id: o.job.flinkJobId });
    else {
      expect(g.labels.flink_job_id).toBeUndefined();
      expect(g.labels.version).toBeUndefined();
    }
    expect(g.labels.instance).toMatch(new RegExp(`^${o.namespace}/${g.labels.process}:\\d+$`));
    expect(g.labels.__metrics_path__).toBe(`/api/v1/prometheus/pods/${o.target}/${g.labels.process}/metrics`);
  }
  const jm = groups.find((g) => g.labels.role === 'jobmanager')!;
  const page = await fetch(`${url}${jm.labels.__metrics_path__}`, { headers: authHeaders(url) });
  const text = await page.text();
  expect(page.status, text.slice(0, 300)).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(text).toMatch(
    new RegExp(`^flink_jobmanager_numRunningJobs(\\{[^}]*\\})? ${o.runningJobs ?? 1}\\.0$`, 'm'),
  );
  return groups;
}

/**
 * Each pod's `fetch-artifacts` log, once it is checked that the pod mounts no hostPath and that its
 * init container exited 0: a run whose jars reach its pods without a shared folder. Each caller then
 * checks where the fetcher says it fetched from.
 */
export async function fetchArtifactsLogs(
  core: k8s.CoreV1Api,
  namespace: string,
  pods: k8s.V1Pod[],
): Promise<string[]> {
  const logs: string[] = [];
  for (const pod of pods) {
    expect(pod.spec!.volumes!.filter((v) => v.hostPath)).toEqual([]);
    const init = pod.status!.initContainerStatuses!.find((c) => c.name === 'fetch-artifacts');
    expect(init?.state?.terminated?.exitCode, pod.metadata!.name).toBe(0);
    logs.push(
      await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'fetch-artifacts' }),
    );
  }
  return logs;
}
