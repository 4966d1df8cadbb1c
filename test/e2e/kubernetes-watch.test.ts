import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  defaultServiceAccount,
  kubeClients,
  namespaceGone,
  waitFor as waitUntil,
} from '../support/kubernetes/namespace.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { killableServer, type KillableServer } from '../support/killable-server.ts';
import { TEST_BUILDS_DIR } from '../support/test-jars.ts';
import { FLINK_SERVICE_ACCOUNT, prepareOperatorNamespace } from '../support/kubernetes/operator.ts';

/**
 * States after the start of standalone Kubernetes jobs, on the real local cluster (reused, never
 * stopped here) with the platform as a real `sluice server` process: a killed TaskManager pod, a
 * TaskManager that cannot run (OOMKilled) whose pod's words become the job's reason, and the platform
 * killed with SIGKILL during the deploy steps, then started again over the same home. This cluster has
 * no DNS, no registry (images imported, pull policy Never) and no Ingress.
 */

const NAMESPACE = 'h-watch';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-watch';
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-k8s-watch-'));
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let objects: k8s.KubernetesObjectApi;
let server: KillableServer | null = null;

const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`;

type Job = {
  state: string;
  stateReason: string | null;
  flinkJobId: string | null;
  submissionInFlight: string | null;
  runtime?: { restarts: number | null } | null;
};
type JobEvent = { from: string; to: string; reason: string; source: string };

const api = <T>(method: string, p: string, body?: unknown): Promise<T> => server!.api<T>(method, p, body);
const job = (name: string) => api<Job>('GET', `/jobs/${name}`);
const events = (name: string) => api<JobEvent[]>('GET', `/jobs/${name}/events`);

const waitFor = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) =>
  waitUntil(what, timeoutMs, probe, 250);

const podsOf = async (selector: string, namespace = NAMESPACE) =>
  (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
async function createJob(name: string, target = TARGET): Promise<void> {
  await api('POST', '/jobs', { name, target, sql: COUNTING });
}

async function startRunning(name: string): Promise<Job> {
  await api('POST', `/jobs/${name}/start`);
  return waitFor(`${name} RUNNING`, 5 * 60_000, async () => {
    const j = await job(name);
    if (j.state === 'FAILED') throw new Error(`${name} FAILED: ${j.stateReason}`);
    return j.state === 'RUNNING' && !j.submissionInFlight ? j : undefined;
  });
}

async function cancel(name: string): Promise<void> {
  await api('POST', `/jobs/${name}/cancel`);
  await waitFor(`${name} cancelled`, 120_000, async () =>
    ['CANCELLED', 'FAILED'].includes((await job(name)).state) && !(await job(name)).submissionInFlight
      ? true
      : undefined,
  );
}

beforeAll(async () => {
  cluster = await clusterUp();
  await ensureFlinkImage(FLINK_VERSION);
  ({ core, apps, objects } = kubeClients(cluster));
  await namespaceGone(core, NAMESPACE, 120_000, 'the namespace of an earlier run to go');
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  await defaultServiceAccount(core, NAMESPACE);
  server = await killableServer('k8s-watch');
  // The SQL runner jar built once per Flink release for the tests: not built again by this server.
  const runners = path.join(TEST_BUILDS_DIR, 'home', 'sql-runner');
  if (fs.existsSync(runners)) fs.cpSync(runners, path.join(server.home, 'sql-runner'), { recursive: true });
  await server.start();
  await api('POST', '/engines', { home: inject('engineHome') });
  await api('POST', '/targets/kubernetes', {
    name: TARGET,
    kubeconfig: cluster.kubeconfig,
    namespace: NAMESPACE,
    mode: 'standalone',
    imagePullPolicy: 'Never',
    sharedDir: shared,
  });
}, 30 * 60_000);

afterAll(async () => {
  await server?.close().catch(() => undefined);
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  fs.rmSync(shared, { recursive: true, force: true });
}, 180_000);

/**
 * A way of running a job whose start the platform is killed during: its target, namespace and the
 * root object of a job's cluster (what exists once per job: exactly one is looked for after a restart).
 */
interface Way {
  target: string;
  namespace: string;
  root: readonly [apiVersion: string, kind: string];
  /** More of the root's selector than `sluice.dev/job=<job>`. */
  selector: string;
}
const STANDALONE: Way = {
  target: TARGET,
  namespace: NAMESPACE,
  root: ['v1', 'ConfigMap'],
  selector: ',app.kubernetes.io/component=config',
};
const NATIVE: Way = {
  target: 'k8s-watch-native',
  namespace: 'h-k8stests-native',
  root: ['apps/v1', 'Deployment'],
  selector: ',app.kubernetes.io/component=jobmanager',
};
const OPERATOR: Way = {
  target: 'k8s-watch-operator',
  namespace: 'h-k8stests-operator',
  root: ['flink.apache.org/v1beta1', 'FlinkDeployment'],
  selector: '',
};

/** The roots of a job's clusters in the way's namespace (none being deleted), as their Flink job ids. */
const clustersOf = async (way: Way, name: string): Promise<string[]> =>
  (
    await objects.list(
      way.root[0],
      way.root[1],
      way.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      `sluice.dev/job=${name}${way.selector}`,
    )
  ).items
    .filter((o) => !o.metadata?.deletionTimestamp)
    .map((o) => o.metadata!.labels!['sluice.dev/flink-job-id']!);

/** The standalone job the last kill case adopted and left RUNNING, for the killed TaskManager case. */
let adoptedStandalone: string | undefined;

/**
 * The rolled-back starts' "nor later" looks (10 s after their resources went) and the cancelled jobs'
 * clusters going, each running beside the next case rather than before it: the next case awaits them at its end, the describe's end the last.
 * Handled at once (an early failure is no unhandled rejection), they still fail whoever awaits them.
 */
const laterLooks: Promise<unknown>[] = [];
const laterLook = (look: Promise<unknown>) => {
  look.catch(() => undefined);
  laterLooks.push(look);
};
const laterLooksDone = () => Promise.all(laterLooks.splice(0));

/**
 * Starts job `name` on the way's target, kills the platform with SIGKILL once the start reached `step`,
 * (and logged a line matching `logged`), starts it again over the same home: within 10 s the job has a true state, and exactly one cluster
 * (adopted, then RUNNING and cancelled, or with `keepRunning` left RUNNING for the next case) or none
 * (the start rolled back, what it made deleted).
 */
async function killedDuringStart(
  way: Way,
  step: string,
  name: string,
  o: { logged?: RegExp; keepRunning?: boolean } = {},
): Promise<void> {
  const { logged } = o;
  await createJob(name, way.target);
  await api('POST', `/jobs/${name}/start`);
  await waitFor(
    `the start reaching "${step}"${logged ? ` and logging ${logged}` : ''}`,
    5 * 60_000,
    async () => {
      const s = await api<{ steps: { name: string; log: string[] }[] }>('GET', `/jobs/${name}/submissions/1`);
      return s.steps.some((st) => st.name === step && (!logged || st.log.some((l) => logged.test(l))))
        ? true
        : undefined;
    },
  );
  await server!.kill();
  await server!.start().catch((e: unknown) => {
    const log = fs.readFileSync(path.join(server!.home, 'server.log'), 'utf8');
    throw new Error(`the restarted server did not answer: ${String(e)}; its log ends:\n${log.slice(-4000)}`);
  });
  const t0 = Date.now();
  const settled = await waitFor('a true state', 10_000, async () => {
    const j = await job(name);
    // A cluster still coming up is adopted at the milestone its pods show; the tracker takes it on.
    return !j.submissionInFlight &&
      ['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING', 'FAILED'].includes(j.state)
      ? j
      : undefined;
  }).catch(async (e: unknown) => {
    throw new Error(`${String(e)}; the job: ${JSON.stringify(await job(name))}`);
  });
  console.log(`${name}: ${settled.state} ${Date.now() - t0} ms after the restart: ${settled.stateReason}`);
  if (settled.state === 'FAILED') {
    // Failed, then cleaned: nothing of the interrupted start is left, nor comes later.
    expect(settled.stateReason).toMatch(/restart/);
    await waitFor('its resources gone', 90_000, async () =>
      (await clustersOf(way, name)).length === 0 &&
      (await podsOf(`sluice.dev/job=${name}`, way.namespace)).length === 0
        ? true
        : undefined,
    );
    // Nor later: no process of the killed platform makes it afterwards (looked at while the next case runs).
    laterLook(
      new Promise((r) => setTimeout(r, 10_000)).then(async () =>
        expect(await clustersOf(way, name), `${name}: a cluster made 10 s after its rollback`).toEqual([]),
      ),
    );
  } else {
    // Adopted: exactly one cluster, the one the job names.
    expect(await clustersOf(way, name)).toEqual([settled.flinkJobId]);
    await waitFor(`${name} RUNNING after adoption`, 4 * 60_000, async () =>
      (await job(name)).state === 'RUNNING' ? true : undefined,
    ).catch(async (e: unknown) => {
      // What the next reader needs: where the job stopped, and its pods as the kubelet sees them.
      const pods = (await podsOf(`sluice.dev/job=${name}`, way.namespace)).map((p) => ({
        name: p.metadata?.name,
        phase: p.status?.phase,
        waiting: p.status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? null),
        conditions: p.status?.conditions?.map(
          (c) => `${c.type}=${c.status} ${c.reason ?? ''} ${c.message ?? ''}`,
        ),
      }));
      throw new Error(
        `${String(e)}; the job: ${JSON.stringify(await job(name))}; its events: ${JSON.stringify((await events(name)).slice(-5))}; its pods: ${JSON.stringify(pods)}`,
      );
    });
    expect(await clustersOf(way, name)).toEqual([settled.flinkJobId]);
    if (o.keepRunning) {
      adoptedStandalone = name;
    } else {
      await cancel(name);
      // Its cluster's deletion is waited for beside the next case too.
      laterLook(
        waitFor(`the cluster of ${name} gone`, 90_000, async () =>
          (await clustersOf(way, name)).length === 0 ? true : undefined,
        ),
      );
    }
  }
  // An earlier case's look, when it has not ended yet.
  await laterLooksDone();
}

describe('the platform killed with SIGKILL during a standalone start', () => {
  afterAll(laterLooksDone);
  it.each([
    ['apply resources', 'mid-apply'],
    ['JobManager pod running', 'after-apply'],
    ['TaskManager pods running', 'after-jm'],
  ])(
    'killed when the start reaches "%s": after the restart one set of resources, the true state within 10 s',
    // The last adopted job is left RUNNING for the killed TaskManager case after these.
    (step, name) => killedDuringStart(STANDALONE, step, name, { keepRunning: name === 'after-jm' }),
    10 * 60_000,
  );
});

describe('a running standalone Kubernetes job watched pod by pod', () => {
  it(
    'a killed TaskManager pod: NOT_RUNNING then RUNNING, the restart counted; an OOMKilled TaskManager is the reason within 10 s',
    async () => {
      // The job the last standalone kill case adopted, still RUNNING (a start of its own only when that
      // case did not run, as with -t): a job adopted after a restart is watched pod by pod as well.
      const name = adoptedStandalone ?? 'tm-kill';
      if (!adoptedStandalone) {
        await createJob(name);
        await startRunning(name);
      }
      const running = await job(name);
      expect(running.state).toBe('RUNNING');
      const id = running.flinkJobId!;
      const before = running.runtime?.restarts ?? 0;
      const seen = (await events(name)).length;

      const [tm] = await podsOf(`sluice.dev/flink-job-id=${id},app.kubernetes.io/component=taskmanager`);
      expect(tm, 'a TaskManager pod').toBeDefined();
      await core.deleteNamespacedPod({
        name: tm!.metadata!.name!,
        namespace: NAMESPACE,
        gracePeriodSeconds: 0,
      });
      await waitFor('NOT_RUNNING, then RUNNING again', 4 * 60_000, async () => {
        const after = (await events(name)).slice(seen).map((e) => e.to);
        const down = after.indexOf('NOT_RUNNING');
        return down >= 0 && after.indexOf('RUNNING', down) > down && (await job(name)).state === 'RUNNING'
          ? true
          : undefined;
      });
      const restarts = await waitFor('the restart counted', 30_000, async () => {
        const r = (await job(name)).runtime?.restarts ?? 0;
        return r > before ? r : undefined;
      });
      expect(restarts).toBeGreaterThan(before);

      // A TaskManager that cannot run: memory limited far below what the JVM takes, its old pod gone first.
      const deployment = `${tm!.metadata!.labels!['app.kubernetes.io/instance']}-taskmanager`;
      const d = await apps.readNamespacedDeployment({ name: deployment, namespace: NAMESPACE });
      const containers = d.spec!.template.spec!.containers.map((c) => ({
        name: c.name,
        resources: { requests: { memory: '24Mi' }, limits: { memory: '24Mi' } },
      }));
      await apps.patchNamespacedDeployment(
        {
          name: deployment,
          namespace: NAMESPACE,
          body: {
            spec: { strategy: { type: 'Recreate', rollingUpdate: null }, template: { spec: { containers } } },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      // When the pod is first seen killed for its memory (by this test's own look at it)...
      const oomAt = await waitFor('a TaskManager pod OOMKilled', 3 * 60_000, async () => {
        const pods = await podsOf(`sluice.dev/flink-job-id=${id},app.kubernetes.io/component=taskmanager`);
        const killed = pods.some((p) =>
          (p.status?.containerStatuses ?? []).some(
            (c) =>
              c.state?.terminated?.reason === 'OOMKilled' || c.lastState?.terminated?.reason === 'OOMKilled',
          ),
        );
        return killed ? Date.now() : undefined;
      });
      // ...the job says so within 10 s, in the pod's words.
      const said = await waitFor('the OOMKilled pod as the job reason', 10_000, async () => {
        const j = await job(name);
        return j.state === 'NOT_RUNNING' && /OOMKilled/.test(j.stateReason ?? '') ? j : undefined;
      });
      console.log(`OOMKilled seen to the job's reason: ${Date.now() - oomAt} ms: ${said.stateReason}`);
      expect(said.stateReason).toMatch(new RegExp(`^pod flink-${name}-\\S+-taskmanager-\\S+ of Flink job`));
      await cancel(name);
      expect(await clustersOf(STANDALONE, name)).toEqual([]);
    },
    15 * 60_000,
  );
});

describe('the platform killed with SIGKILL during a native and an operator start', () => {
  beforeAll(async () => {
    for (const way of [NATIVE, OPERATOR]) {
      await namespaceGone(core, way.namespace, 180_000, 'the namespace of an earlier run to go');
      await prepareOperatorNamespace(cluster, way.namespace);
      await defaultServiceAccount(core, way.namespace);
    }
    for (const [way, mode] of [
      [NATIVE, 'native'],
      [OPERATOR, 'operator'],
    ] as const)
      await api('POST', '/targets/kubernetes', {
        name: way.target,
        kubeconfig: cluster.kubeconfig,
        namespace: way.namespace,
        mode,
        imagePullPolicy: 'Never',
        serviceAccount: FLINK_SERVICE_ACCOUNT,
        sharedDir: shared,
      });
  }, 10 * 60_000);
  afterAll(async () => {
    await laterLooksDone();
    for (const way of [NATIVE, OPERATOR])
      await core?.deleteNamespace({ name: way.namespace }).catch(() => undefined);
  });

  it.each([
    ['native', "run Flink's Kubernetes client", 'native-client'],
    ['native', 'JobManager pod running', 'native-jm'],
    ['native', 'TaskManager pods running', 'native-tm'],
    ['operator', 'apply FlinkDeployment', 'op-apply'],
    ['operator', 'JobManager pod running', 'op-jm'],
    ['operator', 'TaskManager pods running', 'op-tm'],
  ] as const)(
    '%s: killed when the start reaches "%s": after the restart one set of resources, the true state within 10 s',
    (mode, step, name) =>
      killedDuringStart(
        mode === 'native' ? NATIVE : OPERATOR,
        step,
        name,
        // Killed while Flink's client runs (not while Maven fetches it): the client outlives the platform.
        name === 'native-client' ? { logged: /running Flink's client/ } : {},
      ),
    10 * 60_000,
  );

  it(
    "operator session: killed after applying the FlinkSessionJob and before recording the operator's job id: after the restart the run is adopted under it",
    async () => {
      const target = 'k8s-watch-opsession';
      const name = 'ops-session-id';
      await api('POST', '/targets/kubernetes', {
        name: target,
        kubeconfig: cluster.kubeconfig,
        namespace: OPERATOR.namespace,
        mode: 'operator',
        imagePullPolicy: 'Never',
        serviceAccount: FLINK_SERVICE_ACCOUNT,
        sharedDir: shared,
        session: { taskManagers: 1, slotsPerTaskManager: 1 },
      });
      await createJob(name, target);
      const custom = kubeClients(cluster).kc.makeApiClient(k8s.CustomObjectsApi);
      type SessionJob = {
        metadata: { name: string; labels: Record<string, string> };
        status?: { jobStatus?: { jobId?: string } };
      };
      const sessionJobs = async () =>
        (
          (await custom.listNamespacedCustomObject({
            group: 'flink.apache.org',
            version: 'v1beta1',
            namespace: OPERATOR.namespace,
            plural: 'flinksessionjobs',
            labelSelector: `sluice.dev/job=${name}`,
          })) as { items: SessionJob[] }
        ).items;
      // The job's start starts the session first (minutes), then applies the FlinkSessionJob: the
      // platform is frozen the moment that exists, before the operator has given it a job id.
      await api('POST', `/jobs/${name}/start`);
      const deadline = Date.now() + 8 * 60_000;
      for (let i = 0; !(await sessionJobs()).length; i++) {
        // A start that fails first (a session that cannot run here) says so rather than time out.
        const j = i % 20 === 19 ? await job(name) : null;
        if (j?.state === 'FAILED')
          throw new Error(`${name} FAILED before its FlinkSessionJob: ${j.stateReason}`);
        if (Date.now() > deadline) throw new Error(`no FlinkSessionJob of ${name} within 8 min`);
        await new Promise((r) => setTimeout(r, 100));
      }
      server!.pause();
      const [sj] = await waitFor("the operator's job id", 120_000, async () => {
        const found = await sessionJobs();
        return found[0]?.status?.jobStatus?.jobId ? found : undefined;
      });
      const operators = sj!.status!.jobStatus!.jobId!;
      const reserved = sj!.metadata.labels['sluice.dev/flink-job-id']!;
      expect(operators).not.toBe(reserved);
      await server!.kill();
      await server!.start();
      const settled = await waitFor('a true state', 10_000, async () => {
        const j = await job(name);
        return !j.submissionInFlight &&
          ['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING'].includes(j.state)
          ? j
          : undefined;
      }).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the job: ${JSON.stringify(await job(name))}`);
      });
      console.log(`${name}: ${settled.state} after the restart: ${settled.stateReason}`);
      // Known by the operator's id from here on, which the killed platform never recorded.
      expect(settled.flinkJobId).toBe(operators);
      const sub = await api<{ status: string; flinkJobId: string; steps: { log: string[] }[] }>(
        'GET',
        `/jobs/${name}/submissions/1`,
      );
      expect(sub).toMatchObject({ status: 'succeeded', flinkJobId: operators });
      const logged = sub.steps.flatMap((st) => st.log).join('\n');
      expect(logged).toContain(
        `Flink job id ${operators} chosen by the cluster's manager for the run reserved as ${reserved}, found after the restart`,
      );
      expect(logged).not.toContain(`the operator submits the job as Flink job ${operators}`);
      expect(fs.readFileSync(path.join(server!.home, 'server.log'), 'utf8')).toContain(
        `(Flink job ${operators}, reserved as ${reserved})`,
      );
      await waitFor(`${name} RUNNING after adoption`, 4 * 60_000, async () =>
        (await job(name)).state === 'RUNNING' ? true : undefined,
      );
      expect((await sessionJobs()).map((x) => x.metadata.name)).toEqual([sj!.metadata.name]);
      await cancel(name);
      await waitFor('its FlinkSessionJob gone', 90_000, async () =>
        (await sessionJobs()).length === 0 ? true : undefined,
      );
      await api('POST', `/targets/${target}/stop`);
      await waitFor('the session gone', 120_000, async () =>
        (await podsOf(`sluice.dev/session=${target}`, OPERATOR.namespace)).length === 0 ? true : undefined,
      );
      await api('DELETE', `/jobs/${name}`);
      await api('DELETE', `/targets/${target}`);
    },
    15 * 60_000,
  );

  it(
    "native: Flink's client stopped after the Deployment and before its ConfigMap and Service: after the restart the start rolls back and nothing is left",
    async () => {
      const name = 'native-half';
      await createJob(name, NATIVE.target);
      await api('POST', `/jobs/${name}/start`);
      await waitFor("the start running Flink's client", 5 * 60_000, async () => {
        const s = await api<{ steps: { log: string[] }[] }>('GET', `/jobs/${name}/submissions/1`);
        return s.steps.some((st) => st.log.some((l) => /running Flink's client/.test(l))) ? true : undefined;
      });
      await server!.kill();
      // The client outlives the platform and makes the Deployment first.
      const [made] = await waitFor("the client's Deployment", 180_000, async () => {
        const found = (
          await apps.listNamespacedDeployment({
            namespace: NATIVE.namespace,
            labelSelector: `sluice.dev/job=${name}${NATIVE.selector}`,
          })
        ).items;
        return found.length ? found : undefined;
      });
      const id = made!.metadata!.labels!['sluice.dev/flink-job-id']!;
      const deployment = made!.metadata!.name!;
      // As if the client died right then: it is stopped, and what it makes after the Deployment is removed.
      try {
        execFileSync('pkill', ['-KILL', '-f', path.join(server!.home, 'native-kubernetes', 'runs', id)]);
      } catch {
        // It had finished already.
      }
      await core
        .deleteNamespacedConfigMap({ name: `flink-config-${deployment}`, namespace: NATIVE.namespace })
        .catch(() => undefined);
      await core
        .deleteNamespacedService({ name: `${deployment}-rest`, namespace: NATIVE.namespace })
        .catch(() => undefined);
      await server!.start();
      // Not adopted (its JobManager would wait for the ConfigMap forever): rolled back, its Deployment deleted.
      const failed = await waitFor('the start rolled back', 60_000, async () => {
        const j = await job(name);
        return j.state === 'FAILED' && !j.submissionInFlight ? j : undefined;
      });
      expect(failed.stateReason).toMatch(/restart/);
      await waitFor('its resources gone', 120_000, async () =>
        (await clustersOf(NATIVE, name)).length === 0 &&
        (await podsOf(`sluice.dev/job=${name}`, NATIVE.namespace)).length === 0
          ? true
          : undefined,
      );
      const log = fs.readFileSync(path.join(server!.home, 'server.log'), 'utf8');
      expect(log).toMatch(
        new RegExp(`not adopted: the native cluster of job ${name} .*ConfigMap flink-config-${deployment}`),
      );
    },
    10 * 60_000,
  );
});
