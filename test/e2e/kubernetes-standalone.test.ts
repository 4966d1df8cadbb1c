import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubernetesStandaloneTarget } from '../../src/adapters/kubernetes/standalone/standalone-target.ts';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import type { ApplicationClusterFacts, ApplicationSpec } from '../../src/domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../src/domain/targets/kubernetes-target.ts';
import { planSqlDeployment } from '../../src/domain/sql/deployment-plan.ts';
import { officialFlinkImage } from '../../src/domain/targets/kubernetes-target.ts';
import { kubernetesRuntime } from '../../src/adapters/kubernetes/kubernetes-runtime.ts';
import { renderMessage } from '../../src/domain/messages.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';
import { TEST_IMAGE } from '../support/kubernetes/cluster.ts';
import { STATEFUL_COUNTER_MAIN, TEST_BUILDS_DIR, testJars } from '../support/test-jars.ts';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { createClient } from '../../src/client/index.ts';
import type { TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';
import {
  labelledObjects,
  onKubernetes,
  scrapedPodsOf,
  servedPerDescribe,
  STANDALONE_KINDS,
} from '../support/kubernetes/e2e.ts';

/**
 * Standalone Flink on Kubernetes against the real local cluster (test/support/kubernetes; reused when
 * it runs, never stopped here): the objects Sluice renders are accepted by the real API server, the
 * root ConfigMap's ownerReferences make its deletion remove everything, a pod that cannot run is
 * reported with the kubelet's or scheduler's own reason, and a restarted platform adopts what runs.
 * This cluster has no DNS (the TaskManagers reach the JobManager by its Service's ClusterIP), no
 * registry (images are imported; pull policy Never) and no Ingress.
 */

const NAMESPACE = 'h-standalone';
const FLINK_VERSION = '1.20.3';
const k = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION });
const { shared } = k;

const targetSpec = (over: Partial<KubernetesTargetSpec> = {}): KubernetesTargetSpec => ({
  name: 'k8s-standalone',
  engineVersion: '1.20',
  kubeconfig: k.cluster.kubeconfig,
  context: null,
  namespace: NAMESPACE,
  mode: 'standalone',
  image: TEST_IMAGE,
  imagePullPolicy: 'Never',
  imagePullSecrets: [],
  serviceAccount: null,
  sharedDir: shared,
  ...over,
});

/** Every target a test made: their pod watches end with the tests. */
const made: KubernetesStandaloneTarget[] = [];
const target = (over: Partial<KubernetesTargetSpec> = {}) => {
  const t = new KubernetesStandaloneTarget({
    spec: targetSpec(over),
    flinkVersion: async () => '1.20.3',
    // The SQL runner jar is built once per Flink release and kept with the other test builds.
    sluiceHome: path.join(TEST_BUILDS_DIR, 'home'),
    workbench: null,
  });
  made.push(t);
  return t;
};

function jarSpec(jobName: string, options: Record<string, string> = {}): ApplicationSpec {
  const jar = path.join(shared, `${jobName}.jar`);
  fs.writeFileSync(jar, 'not a real jar: busybox never reads it');
  return {
    jobName,
    space: 'default',
    flinkJobId: randomBytes(16).toString('hex'),
    program: { kind: 'jar', entryClass: 'com.acme.Main', args: ['--rate', '5'], options },
    jars: [jar],
    savepoint: null,
    allowNonRestoredState: false,
    resources: {
      taskManagers: 2,
      slotsPerTaskManager: 1,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1024m',
    },
  };
}

/** Everything in the namespace that carries the run's labels, as `Kind/name`. */
async function leftOf(flinkJobId: string): Promise<string[]> {
  const selector = selectorOf(flinkJobId);
  return labelledObjects(k.objects, NAMESPACE, [...STANDALONE_KINDS, ['apps/v1', 'ReplicaSet']], selector);
}

/** Prepares and applies a job's cluster as a start does, through the target's ApplicationClusters. */
afterAll(() => {
  for (const t of made) t.detach();
});

async function applyCluster(
  t: KubernetesStandaloneTarget,
  spec: ApplicationSpec,
  log: string[],
): Promise<void> {
  const say = (l: string) => log.push(l);
  await t.writeProgram(spec, say);
  await t.prepareFiles(spec, say);
  await t.start(spec.flinkJobId, say);
}

describe('standalone Flink on Kubernetes: the objects on the real API server', () => {
  it(
    'applies the rendered cluster (owned by its root ConfigMap), reports a pod that cannot run, and its release removes everything',
    async () => {
      const t = target();
      const spec = jarSpec('owned');
      const log: string[] = [];
      await applyCluster(t, spec, log);
      expect(log.join('\n')).toMatch(/ClusterIP \d+\.\d+\.\d+\.\d+ is jobmanager.rpc.address/);

      const name = `flink-owned-${spec.flinkJobId.slice(0, 8)}`;
      const root = await k.core.readNamespacedConfigMap({ name: `${name}-config`, namespace: NAMESPACE });
      const service = await k.core.readNamespacedService({
        name: `${name}-jobmanager`,
        namespace: NAMESPACE,
      });
      // The configuration names the Service's address, which the API server chose.
      expect(root.data!['config.yaml']).toContain(`jobmanager.rpc.address: ${service.spec!.clusterIP}\n`);
      expect(service.metadata!.ownerReferences![0]!.uid).toBe(root.metadata!.uid);
      const apps = await k.objects.list('apps/v1', 'Deployment', NAMESPACE);
      const mine = apps.items.filter((d) => d.metadata?.name?.startsWith(name));
      expect(mine.map((d) => d.metadata!.name).sort()).toEqual([`${name}-jobmanager`, `${name}-taskmanager`]);
      for (const d of mine) expect(d.metadata!.ownerReferences![0]!.uid).toBe(root.metadata!.uid);
      // Applied by Sluice's field manager (server-side apply).
      expect(root.metadata!.managedFields!.map((f) => f.manager)).toContain('sluice');
      // The jar is in the run's usrlib in the shared folder, which the pods mount.
      expect(fs.readdirSync(path.join(shared, 'k8s-standalone', 'owned', spec.flinkJobId, 'usrlib'))).toEqual(
        ['00-owned.jar'],
      );

      // busybox has no `standalone-job`: the container cannot start, and the facts say so with the kubelet's words.
      const failing = await waitFor('the JobManager pod reported failing', 60_000, async () => {
        const f: ApplicationClusterFacts = await t.facts(spec.flinkJobId);
        return f.failing ?? undefined;
      });
      expect(failing.process).toMatch(new RegExp(`^${name}-(jobmanager|taskmanager)-`));
      expect(failing.reason!.reason).toMatch(
        /CrashLoopBackOff|RunContainerError|CreateContainerError|restarted/,
      );
      expect(`${failing.reason!.detail} ${failing.log}`).toMatch(
        /standalone-job|taskmanager|executable file not found|exit code/,
      );

      // A restarted platform finds the cluster by its root's labels.
      const again = target();
      expect(await again.adopt(() => {})).toContain(spec.flinkJobId);
      expect((await again.facts(spec.flinkJobId)).expectedTaskManagers).toBe(2);

      const started = Date.now();
      const released: string[] = [];
      await again.release(spec.flinkJobId, (l) => released.push(l));
      console.log(`release (Foreground deletion of the root, pods gone) took ${Date.now() - started} ms`);
      expect(released.join('\n')).toContain(`deleted ConfigMap ${name}-config (Foreground)`);
      await waitFor('nothing of the run left in the namespace', 60_000, async () =>
        (await leftOf(spec.flinkJobId)).length === 0 ? true : undefined,
      );
      expect(await leftOf(spec.flinkJobId)).toEqual([]);
      // What the job wrote in the shared folder stays (its savepoints and checkpoints live there).
      expect(fs.existsSync(path.join(shared, 'k8s-standalone', 'owned', 'savepoints'))).toBe(true);
    },
    5 * 60_000,
  );

  it('renders what a start would apply, and the API server accepts it in a server-side dry run (creating nothing)', async () => {
    const t = target();
    const spec = jarSpec('rendered');
    const r = await t.render(spec, () => {});
    const name = `flink-rendered-${spec.flinkJobId.slice(0, 8)}`;
    expect(r.objects).toEqual([
      { kind: 'ConfigMap', name: `${name}-config` },
      { kind: 'Service', name: `${name}-jobmanager` },
      { kind: 'Deployment', name: `${name}-jobmanager` },
      { kind: 'Deployment', name: `${name}-taskmanager` },
    ]);
    expect(r.yaml.split('---\n')).toHaveLength(4);
    expect(r.yaml).toContain('jobmanager.rpc.address: "<the JobManager Service ClusterIP>"\n');
    expect(r.yaml).toContain(`- standalone-job`);
    expect(r.dryRun).toEqual({ accepted: true, detail: expect.stringContaining('accepted all 4 objects') });
    expect(await leftOf(spec.flinkJobId)).toEqual([]);
    // Nothing was written either: no usrlib for that run.
    expect(fs.existsSync(path.join(shared, 'k8s-standalone', 'rendered', spec.flinkJobId))).toBe(false);

    const nowhere = target({ namespace: 'h-standalone-absent' });
    const refused = await nowhere.render(jarSpec('rendered'), () => {});
    expect(refused.dryRun!.accepted).toBe(false);
    expect(refused.dryRun!.detail).toMatch(
      /namespace h-standalone-absent\) refused to apply ConfigMap .*404: namespaces "h-standalone-absent" not found/,
    );
  });

  it(
    'reports a pod the scheduler cannot place as Pending with its message, and an image that is not there',
    async () => {
      const t = target();
      const big = jarSpec('too-big', { 'kubernetes.jobmanager.cpu': '64' });
      await applyCluster(t, big, []);
      const pending = await waitFor('the JobManager pod Unschedulable', 30_000, async () => {
        const f = await t.facts(big.flinkJobId);
        return f.status?.includes('Unschedulable') ? f : undefined;
      });
      expect(pending.status).toMatch(
        /JobManager pod flink-too-big-\w+-jobmanager-\S+ Pending: Unschedulable: 0\/1 nodes are available: 1 Insufficient cpu/,
      );
      expect(pending.jobManagerLog).toContain('Insufficient cpu');
      expect(pending.failing).toBeNull();
      expect(pending.jobManager).toBeNull();
      await t.release(big.flinkJobId, () => {});

      const missing = target({ image: 'sluice.local/no-such-image:1' });
      const spec = jarSpec('no-image');
      const started = Date.now();
      await applyCluster(missing, spec, []);
      const failing = await waitFor(
        'the missing image reported',
        30_000,
        async () => (await missing.facts(spec.flinkJobId)).failing ?? undefined,
      );
      console.log(`missing image reported after ${Date.now() - started} ms: ${failing.reason!.reason}`);
      // Pull policy Never: the kubelet's reason is ErrImageNeverPull (with a registry: ErrImagePull, ImagePullBackOff).
      expect(failing.reason).toEqual({
        reason: 'ErrImageNeverPull',
        detail: expect.stringContaining('sluice.local/no-such-image:1'),
      });
      expect(Date.now() - started).toBeLessThan(10_000 + 5_000);
      await missing.release(spec.flinkJobId, () => {});
      expect(await leftOf(spec.flinkJobId)).toEqual([]);
    },
    3 * 60_000,
  );
});

/** A sequence source: after a restore the first id printed is the one after the last printed before. */
const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

function sqlSpec(jobName: string, savepoint: string | null): ApplicationSpec {
  return {
    jobName,
    space: 'default',
    flinkJobId: randomBytes(16).toString('hex'),
    program: {
      kind: 'sql',
      plan: planSqlDeployment(COUNTING, { 'pipeline.name': jobName, 'parallelism.default': '1' }),
      catalogs: [],
    },
    jars: [],
    savepoint,
    allowNonRestoredState: false,
    resources: {
      taskManagers: 1,
      slotsPerTaskManager: 1,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1024m',
    },
  };
}

/**
 * A start as the submission drives it through the kind's steps, timed: apply resources -> JobManager
 * pod running -> TaskManager pods running -> the job RUNNING with every task running (Flink REST
 * through the API server's service proxy).
 */
async function startJob(t: KubernetesStandaloneTarget, spec: ApplicationSpec) {
  const t0 = Date.now();
  const log: string[] = [];
  await applyCluster(t, spec, log);
  const applied = Date.now() - t0;
  const until = (what: string, ready: (f: ApplicationClusterFacts) => boolean) =>
    waitFor(what, 180_000, async () => {
      const f = await t.facts(spec.flinkJobId);
      if (f.failing) throw new Error(`${what}: ${JSON.stringify(f.failing)}`);
      return ready(f) ? f : undefined;
    });
  const jm = await until('the JobManager pod Running', (f) => f.jobManager !== null);
  const jmAt = Date.now() - t0;
  await until('every TaskManager pod Running', (f) => f.taskManagers >= f.expectedTaskManagers);
  const tmAt = Date.now() - t0;
  const observer = t.observerOf(spec.flinkJobId);
  await waitFor('the job RUNNING with all its tasks', 240_000, async () => {
    const seen = await observer.observeJob(spec.flinkJobId);
    return seen !== 'absent' && seen.state === 'RUNNING' && seen.allTasksRunning ? true : undefined;
  });
  const runningAt = Date.now() - t0;
  console.log(
    `${spec.jobName}: applied ${applied} ms, JM pod Running ${jmAt} ms, TM pods Running ${tmAt} ms, RUNNING ${runningAt} ms (${jm.jobManager})`,
  );
  return { log, milestones: [applied, jmAt, tmAt, runningAt] };
}

/** The ids the job printed: the print sink writes to the TaskManager's stdout, its pod's log. */
async function printed(t: KubernetesStandaloneTarget, flinkJobId: string): Promise<number[]> {
  const pods = await t.api.pods(selectorOf(flinkJobId, 'taskmanager'));
  const text = pods[0] ? await t.api.podLog(pods[0].metadata!.name!, 'taskmanager', false, 100_000) : '';
  return [...text.matchAll(/^row> \+I\[(\d+)\]$/gm)].map((m) => Number(m[1]));
}

describe('standalone Flink on Kubernetes: a real Flink job', () => {
  const flink = () => target({ image: officialFlinkImage(FLINK_VERSION) });

  it(
    'runs a SQL job in a cluster of its own, stops it with a savepoint (pods gone, savepoint kept), resumes from it and cancels it (nothing left)',
    async () => {
      const t = flink();
      const first = sqlSpec('counter', null);
      const started = await startJob(t, first);
      expect(started.milestones).toEqual([...started.milestones].sort((a, b) => a - b));
      await waitFor('rows printed', 60_000, async () =>
        (await printed(t, first.flinkJobId)).length >= 20 ? true : undefined,
      );

      // The platform's own savepoint folder is not in the pods: the savepoint goes to the shared folder.
      const location = await t.stopWithSavepoint(
        first.flinkJobId,
        'file:///var/lib/sluice/savepoints/counter',
        false,
      );
      expect(location).toMatch(new RegExp(`^file:${shared}/k8s-standalone/counter/savepoints/savepoint-`));
      const last = Math.max(...(await printed(t, first.flinkJobId)));
      expect(await t.observerOf(first.flinkJobId).jobState(first.flinkJobId)).toBe('FINISHED');
      await t.release(first.flinkJobId, () => {});
      expect(await leftOf(first.flinkJobId)).toEqual([]);
      expect(fs.existsSync(path.join(new URL(location).pathname, '_metadata'))).toBe(true);
      // A released cluster knows no job.
      expect(await t.observerOf(first.flinkJobId).jobState(first.flinkJobId)).toBe('absent');

      const second = sqlSpec('counter', location);
      await startJob(t, second);
      const after = await waitFor('rows after the restore', 60_000, async () => {
        const ids = await printed(t, second.flinkJobId);
        return ids.length ? ids : undefined;
      });
      expect(after[0]).toBe(last + 1);

      await t.cancel(second.flinkJobId);
      await waitFor('the job CANCELED', 60_000, async () =>
        (await t.observerOf(second.flinkJobId).jobState(second.flinkJobId)) === 'CANCELED' ? true : undefined,
      );
      await t.release(second.flinkJobId, () => {});
      expect(await leftOf(second.flinkJobId)).toEqual([]);
      expect(fs.existsSync(path.join(new URL(location).pathname, '_metadata'))).toBe(true);
    },
    15 * 60_000,
  );

  it(
    'runs a JAR job (its jar in usrlib from the shared folder), takes a savepoint, and cancels it with nothing left',
    async () => {
      await jarCounterRun(flink(), 'k8s-standalone');
    },
    10 * 60_000,
  );
});

/**
 * The JAR job case on a target: its jar placed in usrlib in the shared folder, a savepoint the pods
 * write into the job's folder and Sluice reads back, a cancel leaving nothing. `running` looks at the
 * run while it runs.
 */
async function jarCounterRun(
  t: KubernetesStandaloneTarget,
  targetName: string,
  running: (spec: ApplicationSpec) => Promise<void> = async () => {},
): Promise<void> {
  const jars = await testJars(FLINK_VERSION);
  const spec: ApplicationSpec = {
    jobName: 'jar-counter',
    space: 'default',
    flinkJobId: randomBytes(16).toString('hex'),
    program: {
      kind: 'jar',
      entryClass: STATEFUL_COUNTER_MAIN,
      args: ['--keys', '2', '--rate', '20', '--name', 'jar-counter'],
      options: { 'parallelism.default': '1' },
    },
    jars: [jars.statefulCounter],
    savepoint: null,
    allowNonRestoredState: false,
    resources: {
      taskManagers: 1,
      slotsPerTaskManager: 1,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1024m',
    },
  };
  await startJob(t, spec);
  expect(fs.readdirSync(path.join(shared, targetName, 'jar-counter', spec.flinkJobId, 'usrlib'))).toEqual([
    `00-${path.basename(jars.statefulCounter)}`,
  ]);
  await running(spec);
  const savepoint = await t.triggerSavepoint(
    spec.flinkJobId,
    'file:///var/lib/sluice/savepoints/jar-counter',
  );
  expect(savepoint).toMatch(new RegExp(`^file:${shared}/${targetName}/jar-counter/savepoints/savepoint-`));
  expect(await t.latestSavepoint(spec.flinkJobId)).toBe(savepoint);
  await t.cancel(spec.flinkJobId);
  await waitFor('the job CANCELED', 60_000, async () =>
    (await t.jobState(spec.flinkJobId)) === 'CANCELED' ? true : undefined,
  );
  await t.release(spec.flinkJobId, () => {});
  expect(await leftOf(spec.flinkJobId)).toEqual([]);
  expect(fs.existsSync(path.join(new URL(savepoint).pathname, '_metadata'))).toBe(true);
}

describe('standalone Flink on Kubernetes: the shared folder as a PersistentVolumeClaim', () => {
  // This cluster has no provisioner (no StorageClass): the claim is bound by hand to a PersistentVolume
  // of type hostPath at this file's shared folder, as an NFS or CephFS volume would be the folder Sluice's
  // machine mounts at the shared folder. The pods see only the claim.
  const CLAIM = 'sluice-shared';
  const volume = `${NAMESPACE}-shared-${randomBytes(4).toString('hex')}`;
  // A served platform: `sluice target add --shared-claim` registers through it (registration only).
  const { sluice } = servedPerDescribe();
  const addClaimed = () =>
    sluice(
      'target',
      'add',
      'k8s-claim-cli',
      '--kubernetes',
      '--kubeconfig',
      k.cluster.kubeconfig,
      '--namespace',
      NAMESPACE,
      '--mode',
      'standalone',
      '--image-pull-policy',
      'Never',
      '--shared-dir',
      shared,
      '--shared-claim',
      CLAIM,
    );
  /** The CLI's registration refused with the claim's problem, and nothing registered. */
  const expectCliRefused = async (problem: RegExp) => {
    const refused = await addClaimed();
    expect(refused.code, refused.stdout).not.toBe(0);
    expect(refused.stderr).toMatch(/Kubernetes target k8s-claim-cli is not registered: /);
    expect(refused.stderr).toMatch(problem);
    const listed = await sluice('target', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((x) => x.name)).not.toContain(
      'k8s-claim-cli',
    );
  };
  afterAll(async () => {
    await k.core
      .deleteNamespacedPersistentVolumeClaim({ name: CLAIM, namespace: NAMESPACE })
      .catch(() => undefined);
    await k.core.deletePersistentVolume({ name: volume }).catch(() => undefined);
  });

  it(
    'refuses a claim that does not exist or is not Bound (the CLI registration too, nothing registered), accepts it once Bound, then runs the JAR job with every pod mounting the Bound claim by subPath',
    async () => {
      const spec = targetSpec({ name: 'k8s-standalone-pvc', sharedClaim: CLAIM });
      const claimCheck = async () => {
        const c = await kubernetesRuntime().check(spec);
        const r = c.results.find((x) => x.name === 'sharedClaim')!;
        return { ...r, text: r.problem ? renderMessage(r.problem) : null, all: c.results };
      };
      expect(await claimCheck()).toMatchObject({
        ok: false,
        text: expect.stringMatching(
          /^persistent volume claim sluice-shared does not exist in namespace h-standalone on \S+ \(context [^)]+\): .*create it there/,
        ),
      });
      await expectCliRefused(
        /persistent volume claim sluice-shared does not exist in namespace h-standalone on \S+ \(context [^)]+\): .*create it there/,
      );

      // A claim naming a volume that is not there yet stays Pending.
      await k.core.createNamespacedPersistentVolumeClaim({
        namespace: NAMESPACE,
        body: {
          metadata: { name: CLAIM },
          spec: {
            storageClassName: '',
            volumeName: volume,
            accessModes: ['ReadWriteMany'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      });
      expect(await claimCheck()).toMatchObject({
        ok: false,
        text: expect.stringMatching(
          /^persistent volume claim sluice-shared in namespace h-standalone on \S+ \(context [^)]+\) is Pending/,
        ),
      });
      expect((await claimCheck()).text).toMatch(/is Pending, not Bound: pods mounting it would stay Pending/);
      await expectCliRefused(
        /sluice-shared in namespace h-standalone .* is Pending, not Bound: pods mounting it would stay Pending/,
      );

      await k.core.createPersistentVolume({
        body: {
          metadata: { name: volume },
          spec: {
            storageClassName: '',
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteMany'],
            persistentVolumeReclaimPolicy: 'Retain',
            claimRef: { namespace: NAMESPACE, name: CLAIM },
            hostPath: { path: shared, type: 'Directory' },
          },
        },
      });
      await waitFor('the claim Bound', 60_000, async () => {
        const pvc = await k.core.readNamespacedPersistentVolumeClaim({ name: CLAIM, namespace: NAMESPACE });
        return pvc.status?.phase === 'Bound' ? true : undefined;
      });
      const bound = await claimCheck();
      expect(bound).toMatchObject({ ok: true, detail: expect.stringContaining('sluice-shared is Bound') });
      // Every check passes: registration would accept the target (get persistentvolumeclaims asked too).
      expect(bound.all.filter((r) => !r.ok)).toEqual([]);
      // And the CLI's does, the target then showing its claim.
      const added = await addClaimed();
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain('Kubernetes target k8s-claim-cli registered: standalone mode');
      expect(added.stderr).toContain('sharedClaim: persistent volume claim sluice-shared is Bound');
      const shown = await sluice('target', 'show', 'k8s-claim-cli');
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(
        `shared folder ${shared}, the pods mount it from persistent volume claim sluice-shared`,
      );
      const listed = await sluice('target', 'list', '--json');
      expect(
        (JSON.parse(listed.stdout) as { name: string; checks?: { name: string; ok: boolean }[] }[]).find(
          (x) => x.name === 'k8s-claim-cli',
        )?.checks,
      ).toContainEqual(expect.objectContaining({ name: 'sharedClaim', ok: true }));
      const removed = await sluice('target', 'remove', 'k8s-claim-cli');
      expect(removed.code, removed.stderr).toBe(0);

      const t = target({ ...spec, image: officialFlinkImage(FLINK_VERSION) });
      // The dry run shows the claim: what `sluice k8s render` prints.
      const rendered = await t.render(jarSpec('claimed'), () => {});
      expect(rendered.yaml).toContain('claimName: sluice-shared');
      expect(rendered.yaml).not.toContain('hostPath');
      expect(rendered.dryRun!.accepted).toBe(true);

      await jarCounterRun(t, 'k8s-standalone-pvc', async (run) => {
        const pods = await t.api.pods(selectorOf(run.flinkJobId));
        expect(pods.map((p) => p.metadata!.labels!['app.kubernetes.io/component']).sort()).toEqual([
          'jobmanager',
          'taskmanager',
        ]);
        for (const pod of pods) {
          const volumes = pod.spec!.volumes!;
          expect(volumes.filter((v) => v.hostPath)).toEqual([]);
          expect(volumes.filter((v) => v.persistentVolumeClaim)).toEqual([
            { name: 'shared-folder', persistentVolumeClaim: { claimName: CLAIM } },
          ]);
          const mounts = pod.spec!.containers[0]!.volumeMounts!.filter((m) => m.name === 'shared-folder');
          expect(mounts.map((m) => [m.mountPath, m.subPath])).toEqual([
            ['/opt/flink/usrlib', `k8s-standalone-pvc/jar-counter/${run.flinkJobId}/usrlib`],
            [path.join(shared, 'k8s-standalone-pvc', 'jar-counter'), 'k8s-standalone-pvc/jar-counter'],
          ]);
        }
      });

      // Nothing of the claim stays on the shared cluster: the claim, then its volume.
      await k.core.deleteNamespacedPersistentVolumeClaim({ name: CLAIM, namespace: NAMESPACE });
      await k.core.deletePersistentVolume({ name: volume });
      await waitFor('the volume gone', 60_000, async () =>
        (await k.core.listPersistentVolume()).items.some((v) => v.metadata?.name === volume)
          ? undefined
          : true,
      );
      // A hostPath volume kept (Retain): what the pods wrote is still in the shared folder.
      expect(fs.existsSync(path.join(shared, 'k8s-standalone-pvc', 'jar-counter', 'savepoints'))).toBe(true);
    },
    12 * 60_000,
  );
});

/**
 * What Sluice's own Prometheus sees of a running Kubernetes job: its JobManager and TaskManager pods in
 * the pod discovery with the labels a local process has, each pod's reporter through Sluice's proxy
 * (the API server's pod proxy: the pod network is in the cluster's own network namespace, out of the
 * host's reach), and the job's series in Prometheus by the labels the charts and rules select on.
 */
async function expectScrapedThroughSluice(url: string, t: TestPlatform, flinkJobId: string): Promise<string> {
  const client = createClient({ baseUrl: url, headers: authHeaders(url) });
  const groups = await scrapedPodsOf(url, {
    target: 'k8s-sa',
    namespace: NAMESPACE,
    job: { name: 'orders', flinkJobId },
  });
  expect(groups.map((g) => g.labels.role).sort()).toEqual(['jobmanager', 'taskmanager']);
  for (const g of groups) {
    expect(g.labels).toMatchObject({ engine_version: '1.20', version: '1' });
    expect(g.labels.process).toMatch(new RegExp(`^flink-orders-${flinkJobId.slice(0, 8)}-${g.labels.role}-`));
    expect(g.labels.instance).toBe(`${NAMESPACE}/${g.labels.process}:9249`);
  }
  const jm = groups.find((g) => g.labels.role === 'jobmanager')!;
  // The proxy asks the same credentials as the discovery.
  expect((await fetch(`${url}${jm.labels.__metrics_path__}`)).status).toBe(401);
  // A pod that is no Flink process of the target is not proxied.
  const other = await fetch(`${url}/api/v1/prometheus/pods/k8s-sa/kube-apiserver/metrics`, {
    headers: authHeaders(url),
  });
  expect(other.status).toBe(404);

  // Sluice's Prometheus scraped both pods: the job's series by the labels the charts and rules use.
  const series = await waitFor("the job's JVM series of both pods in Prometheus", 180_000, async () => {
    const r = await t.platform.prometheusQuery.instant(
      `flink_jobmanager_numRunningJobs{job="orders", flink_job_id="${flinkJobId}"} or flink_taskmanager_Status_JVM_Memory_Heap_Used{job="orders", flink_job_id="${flinkJobId}"}`,
    );
    return r.length === 2 ? r : undefined;
  });
  expect(
    series.map((s) => [s.labels.__name__, s.labels.role, s.labels.target, s.labels.space]).sort(),
  ).toEqual([
    ['flink_jobmanager_numRunningJobs', 'jobmanager', 'k8s-sa', 'default'],
    ['flink_taskmanager_Status_JVM_Memory_Heap_Used', 'taskmanager', 'k8s-sa', 'default'],
  ]);
  expect(series.find((s) => s.labels.role === 'jobmanager')!.value).toBe(1);
  const up = await t.platform.prometheusQuery.instant(`up{job="orders", flink_job_id="${flinkJobId}"}`);
  expect(up.map((s) => s.value)).toEqual([1, 1]);
  // The job's charts, unchanged, draw its pods: the heap panel has a line per pod.
  const charts = await client.prometheus.jobMetrics('orders', { step: 2 });
  expect(charts.flinkJobIds).toEqual([flinkJobId]);
  expect(
    charts.panels
      .find((x) => x.id === 'heap')!
      .lines.map((l) => l.name)
      .sort(),
  ).toEqual(groups.map((g) => g.labels.process).sort());
  return jm.labels.__metrics_path__;
}

describe('standalone Flink on Kubernetes: a job through the platform', () => {
  // With Sluice's own Prometheus, scraping every 2 s: the job's pods are scraped through Sluice.
  const served = servedPerDescribe({
    platform: {
      config: {
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '2s',
        }),
      },
    },
  });
  const { sluice, run, author } = served;

  it(
    'registers the target, renders the job, starts it through the pod milestones, stops it with a savepoint, resumes, upgrades and cancels it with nothing left',
    async () => {
      const added = await sluice(
        'target',
        'add',
        'k8s-sa',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        shared,
      );
      expect(added.code, added.stderr).toBe(0);
      const p = served.t.platform;
      await p.jobs.create({ name: 'orders', sql: COUNTING, target: 'k8s-sa' }, author);

      const rendered = await sluice('k8s', 'render', 'orders');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/^kind: \w+$/gm)).toEqual([
        'kind: ConfigMap',
        'kind: Secret',
        'kind: Service',
        'kind: Deployment',
        'kind: Deployment',
      ]);
      expect(rendered.stdout).toContain('dev.sluice.sqlrunner.SluiceSqlRunner');
      expect(rendered.stderr).toMatch(
        /server-side dry run accepted: the API server at \S+ accepted all 5 objects/,
      );

      const t0 = Date.now();
      const first = await run(p.jobs.start('orders', {}, author));
      console.log(`platform start to RUNNING: ${Date.now() - t0} ms`);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      expect(first.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-standalone'].deploySteps.sql!,
      ]);
      expect((await p.jobs.events('orders')).map((e) => e.to)).toEqual([
        'STARTING',
        'JM_RUNNING',
        'PODS_RUNNING',
        'RUNNING',
      ]);
      const id1 = (await p.jobs.get('orders')).flinkJobId!;
      expect(first.flinkJobId).toBe(id1);
      await p.tracker.tick();
      expect((await p.jobs.get('orders')).state).toBe('RUNNING');

      const jmMetrics = await expectScrapedThroughSluice(served.url, served.t, id1);

      // Its logs are its pods' logs: one source per pod, by role.
      const listedLogs = await sluice('job', 'logs', 'orders', '--list', '--json');
      expect(listedLogs.code, listedLogs.stderr).toBe(0);
      const view = JSON.parse(listedLogs.stdout) as {
        run: string;
        sources: { id: string; process: string }[];
      };
      expect(view.run).toBe(id1);
      expect(view.sources.map((x) => x.process)).toEqual(['jobmanager', 'taskmanager-1']);
      expect(view.sources[0]!.id).toMatch(new RegExp(`^flink-orders-${id1.slice(0, 8)}-jobmanager-`));
      const entry = await sluice(
        'job',
        'logs',
        'orders',
        '--search',
        'StandaloneApplicationClusterEntryPoint',
      );
      expect(entry.code, entry.stderr).toBe(0);
      expect(entry.stdout).toContain('Starting StandaloneApplicationClusterEntryPoint');
      const rows = await waitFor('rows in the TaskManager pod log', 60_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '20');
        return r.code === 0 && /row> \+I\[\d+\]/.test(r.stdout) ? r : undefined;
      });
      expect(rows.stdout).toMatch(/row> \+I\[\d+\]/);

      const stop = await run(p.jobs.stop('orders', false, author));
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('STOPPED');
      expect(stop.savepointPath).toMatch(new RegExp(`^file:${shared}/k8s-sa/orders/savepoints/savepoint-`));
      expect(await leftOf(id1)).toEqual([]);
      // Its pods gone, so are their groups, and a scrape of one answers 404 (Prometheus marks it down).
      expect(
        (
          await createClient({
            baseUrl: served.url,
            headers: authHeaders(served.url),
          }).prometheus.podTargets()
        ).filter((g) => g.labels.job === 'orders'),
      ).toEqual([]);
      const gone = await fetch(`${served.url}${jmMetrics}`, { headers: authHeaders(served.url) });
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('not_found');

      const second = await run(p.jobs.start('orders', {}, author));
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      const id2 = (await p.jobs.get('orders')).flinkJobId!;
      expect(id2).not.toBe(id1);

      // An upgrade: stop with a savepoint (its cluster gone), a new cluster of the new version from it.
      const job = await p.jobs.get('orders');
      await p.jobs.update('orders', job.currentVersion, { parallelism: 2 }, 'two slots', author);
      const upgrade = await run(p.jobs.upgrade('orders', {}, author));
      expect(upgrade.status, JSON.stringify(upgrade.steps.at(-1))).toBe('succeeded');
      const upgraded = await p.jobs.get('orders');
      expect(upgraded).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });
      expect(await leftOf(id2)).toEqual([]);
      const id3 = upgraded.flinkJobId!;
      const tm = (
        await k.core.listNamespacedConfigMap({
          namespace: NAMESPACE,
          labelSelector: selectorOf(id3, 'config'),
        })
      ).items[0]!;
      expect(tm.data!['config.yaml']).toContain('taskmanager.numberOfTaskSlots: 2\n');

      const cancel = await run(p.jobs.cancel('orders', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('CANCELLED');
      expect(await leftOf(id3)).toEqual([]);
      // Nothing of the job is left in the namespace, whatever its run.
      const ofJob = await k.objects.list(
        'v1',
        'Pod',
        NAMESPACE,
        undefined,
        undefined,
        undefined,
        undefined,
        'sluice.dev/job=orders',
      );
      expect(ofJob.items).toEqual([]);
      // Its savepoint stays in the shared folder.
      expect(fs.existsSync(path.join(new URL(stop.savepointPath!).pathname, '_metadata'))).toBe(true);
    },
    20 * 60_000,
  );
});
