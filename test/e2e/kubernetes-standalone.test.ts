import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesStandaloneTarget } from '../../src/adapters/kubernetes/standalone/standalone-target.ts';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import type { ApplicationClusterFacts, ApplicationSpec } from '../../src/domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../src/domain/targets/kubernetes-target.ts';
import { clusterUp, TEST_IMAGE, type LocalCluster } from '../support/kubernetes/cluster.ts';

/**
 * Standalone Flink on Kubernetes against the real local cluster (test/support/kubernetes; reused when
 * it runs, never stopped here): the objects Sluice renders are accepted by the real API server, the
 * root ConfigMap's ownerReferences make its deletion remove everything, a pod that cannot run is
 * reported with the kubelet's or scheduler's own reason, and a restarted platform adopts what runs.
 * This cluster has no DNS (the TaskManagers reach the JobManager by its Service's ClusterIP), no
 * registry (images are imported; pull policy Never) and no Ingress.
 */

const NAMESPACE = 'h-standalone';
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-k8s-shared-'));
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let objects: k8s.KubernetesObjectApi;

const targetSpec = (over: Partial<KubernetesTargetSpec> = {}): KubernetesTargetSpec => ({
  name: 'k8s-standalone',
  engineVersion: '1.20',
  kubeconfig: cluster.kubeconfig,
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

const target = (over: Partial<KubernetesTargetSpec> = {}) =>
  new KubernetesStandaloneTarget({
    spec: targetSpec(over),
    flinkVersion: async () => '1.20.3',
    sluiceHome: path.join(shared, 'home'),
    workbench: null,
  });

function jarSpec(jobName: string, options: Record<string, string> = {}): ApplicationSpec {
  const jar = path.join(shared, `${jobName}.jar`);
  fs.writeFileSync(jar, 'not a real jar: busybox never reads it');
  return {
    jobName,
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

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Everything in the namespace that carries the run's labels, as `Kind/name`. */
async function leftOf(flinkJobId: string): Promise<string[]> {
  const selector = selectorOf(flinkJobId);
  const found: string[] = [];
  for (const [apiVersion, kind] of [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
  ] as const) {
    const list = await objects.list(
      apiVersion,
      kind,
      NAMESPACE,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    for (const o of list.items) found.push(`${kind}/${o.metadata?.name}`);
  }
  return found;
}

/** Prepares and applies a job's cluster as a start does, through the target's ApplicationClusters. */
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

beforeAll(async () => {
  cluster = await clusterUp();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await waitFor(
    'the namespace left by an earlier run to go',
    120_000,
    async () =>
      (await core
        .readNamespace({ name: NAMESPACE })
        .then(() => false)
        .catch(() => true)) || undefined,
  );
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  // Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
  await waitFor('the default ServiceAccount', 60_000, () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: NAMESPACE }),
  );
}, 30 * 60_000);

afterAll(async () => {
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  fs.rmSync(shared, { recursive: true, force: true });
});

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
      const root = await core.readNamespacedConfigMap({ name: `${name}-config`, namespace: NAMESPACE });
      const service = await core.readNamespacedService({ name: `${name}-jobmanager`, namespace: NAMESPACE });
      // The configuration names the Service's address, which the API server chose.
      expect(root.data!['config.yaml']).toContain(`jobmanager.rpc.address: ${service.spec!.clusterIP}\n`);
      expect(service.metadata!.ownerReferences![0]!.uid).toBe(root.metadata!.uid);
      const apps = await objects.list('apps/v1', 'Deployment', NAMESPACE);
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
