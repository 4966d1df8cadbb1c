import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFlinkImage } from '../../src/domain/targets/kubernetes-target.ts';
import { clusterUp, ensureFlinkImage, leftovers, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { flinkImageVersion } from '../support/kubernetes/flink-image.ts';
import { waitFor as waitUntil } from '../support/kubernetes/namespace.ts';
import {
  FLINK_SERVICE_ACCOUNT,
  OPERATOR_CRDS,
  operatorEnabled,
  prepareOperatorNamespace,
} from '../support/kubernetes/operator.ts';
import { STATEFUL_COUNTER_MAIN, testJars } from '../support/test-jars.ts';

/**
 * The real Apache Flink Kubernetes Operator (1.15.0, built from its release source) beside the local
 * Kubernetes (test/support/kubernetes): its CRDs validate FlinkDeployments in the API server, and the
 * operator reconciles them. The cluster is started or reused, never stopped here (other test files
 * share it). What the cluster lacks and these tests therefore do not use: DNS (the operator resolves
 * Service names from a hosts file, see operator.ts), Ingress, LoadBalancer, image pulls.
 */

const namespace = 'h-operator';
const group = 'flink.apache.org';
const version = 'v1beta1';
const plural = 'flinkdeployments';
/** The engine 1.20's release (1.20.3), whose image behaves as the official flink:<v>-java17. */
const FLINK_VERSION = flinkImageVersion('1.20');
/**
 * The folder the job's jar, savepoints, checkpoints and HA data live in, mounted into the pods at the
 * same path (hostPath: the node is this machine), as a target's sharedDir is.
 */
const shared = path.join(os.tmpdir(), 'sluice-k8s-operator-test');

let cluster: LocalCluster;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

const waitFor = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) =>
  waitUntil(what, timeoutMs, probe, 1000);

interface FlinkDeploymentStatus {
  lifecycleState?: string;
  error?: string;
  jobStatus?: { state?: string; upgradeSavepointPath?: string };
}

async function readStatus(name: string): Promise<FlinkDeploymentStatus> {
  const fd = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as {
    status?: FlinkDeploymentStatus;
  };
  return fd.status ?? {};
}

/** The FlinkStateSnapshot resources of the namespace: the operator records each savepoint as one. */
async function snapshots(): Promise<{ name: string; state?: string; path?: string }[]> {
  const list = (await custom.listNamespacedCustomObject({
    group,
    version,
    namespace,
    plural: 'flinkstatesnapshots',
  })) as { items: { metadata?: { name?: string }; status?: { state?: string; path?: string } }[] };
  return list.items.map((s) => ({
    name: s.metadata?.name ?? '',
    state: s.status?.state,
    path: s.status?.path,
  }));
}

async function namespaceGone(): Promise<true | undefined> {
  const all = await core.listNamespace();
  return all.items.some((n) => n.metadata?.name === namespace) ? undefined : true;
}

beforeAll(async () => {
  if (!operatorEnabled())
    throw new Error('these tests need the operator: unset SLUICE_K8S_OPERATOR (it is 0) and run them again');
  cluster = await clusterUp();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  // A namespace left by an interrupted run is removed first, so each run starts from nothing.
  if (!(await namespaceGone())) {
    await core.deleteNamespace({ name: namespace });
    await waitFor('the old namespace gone', 120_000, namespaceGone);
  }
  await prepareOperatorNamespace(cluster, namespace);
}, 30 * 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  fs.rmSync(shared, { recursive: true, force: true });
});

/** An application-mode FlinkDeployment of the stateful counter test job. */
function counterDeployment(name: string, jarPath: string): object {
  return {
    apiVersion: `${group}/${version}`,
    kind: 'FlinkDeployment',
    metadata: { name, namespace },
    spec: {
      image: officialFlinkImage(FLINK_VERSION),
      // No registry here: the image was imported into the node's containerd.
      imagePullPolicy: 'Never',
      flinkVersion: 'v1_20',
      serviceAccount: FLINK_SERVICE_ACCOUNT,
      flinkConfiguration: {
        'taskmanager.numberOfTaskSlots': '1',
        // No cluster DNS: with Kubernetes HA the TaskManagers find the JobManager by its pod IP (from
        // the leader ConfigMap) instead of by its Service name.
        'high-availability.type': 'kubernetes',
        'high-availability.storageDir': `file://${shared}/ha`,
        'state.savepoints.dir': `file://${shared}/savepoints`,
        'state.checkpoints.dir': `file://${shared}/checkpoints`,
        // Small requests on a 2-core node shared with other tests; the limits let the JVMs start quickly.
        'kubernetes.jobmanager.cpu.limit-factor': '8',
        'kubernetes.taskmanager.cpu.limit-factor': '8',
        // The operator keeps the JobManager of a finished or suspended application cluster for this
        // long (default 1 day) so that its result stays readable.
        'kubernetes.operator.jm-deployment.shutdown-ttl': '5 s',
      },
      podTemplate: {
        spec: {
          // Nothing in a pod may ask the host's resolver (there is no cluster DNS to ask instead).
          dnsPolicy: 'None',
          dnsConfig: { nameservers: ['127.0.0.1'] },
          containers: [
            { name: 'flink-main-container', volumeMounts: [{ name: 'shared', mountPath: shared }] },
          ],
          volumes: [{ name: 'shared', hostPath: { path: shared, type: 'Directory' } }],
        },
      },
      jobManager: { resource: { memory: '1024m', cpu: 0.25 } },
      taskManager: { resource: { memory: '1024m', cpu: 0.25 } },
      job: {
        jarURI: `local://${jarPath}`,
        entryClass: STATEFUL_COUNTER_MAIN,
        args: ['--rate', '5'],
        parallelism: 1,
        upgradeMode: 'stateless',
      },
    },
  };
}

describe('the Flink Kubernetes Operator beside the local cluster', () => {
  it('runs, with its CRDs established in the API server', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    for (const name of OPERATOR_CRDS) {
      const crd = await ext.readCustomResourceDefinition({ name });
      expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status, name).toBe('True');
    }
    // Supervised by the harness: `down` stops it, `leftovers` lists it.
    expect(
      leftovers().filter((p) => p.includes('org.apache.flink.kubernetes.operator.FlinkOperator')),
    ).toHaveLength(1);
    const sa = await core.readNamespacedServiceAccount({ name: FLINK_SERVICE_ACCOUNT, namespace });
    expect(sa.metadata?.name).toBe(FLINK_SERVICE_ACCOUNT);
  });

  it('an invalid FlinkDeployment is refused by the API server with 422 naming the field', async () => {
    const body = {
      apiVersion: `${group}/${version}`,
      kind: 'FlinkDeployment',
      metadata: { name: 'invalid', namespace },
      spec: {
        flinkVersion: 'v1_20',
        image: officialFlinkImage(FLINK_VERSION),
        job: {
          jarURI: 'local:///opt/flink/examples/streaming/StateMachineExample.jar',
          upgradeMode: 'sometimes',
        },
      },
    };
    const refusal = await custom
      .createNamespacedCustomObject({ group, version, namespace, plural, body })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refusal).toBeInstanceOf(k8s.ApiException);
    const e = refusal as k8s.ApiException<string>;
    expect(e.code).toBe(422);
    const status = JSON.parse(String(e.body)) as {
      reason: string;
      details?: { causes?: { reason: string; field: string; message: string }[] };
    };
    expect(status.reason).toBe('Invalid');
    expect(status.details?.causes).toEqual([
      expect.objectContaining({ field: 'spec.job.upgradeMode', reason: 'FieldValueNotSupported' }),
    ]);
    expect(status.details?.causes?.[0]?.message).toContain('Unsupported value: "sometimes"');
  });

  it('reconciles a FlinkDeployment the API server accepts but the operator refuses, with the reason in its status', async () => {
    // Valid against the CRD, refused by the operator's own validator: two JobManagers need HA. Nothing
    // is deployed, so this needs no Flink image.
    await custom.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: {
        apiVersion: `${group}/${version}`,
        kind: 'FlinkDeployment',
        metadata: { name: 'standby-without-ha', namespace },
        spec: {
          flinkVersion: 'v1_20',
          image: officialFlinkImage(FLINK_VERSION),
          serviceAccount: FLINK_SERVICE_ACCOUNT,
          jobManager: { replicas: 2, resource: { memory: '1024m', cpu: 0.5 } },
          taskManager: { resource: { memory: '1024m', cpu: 0.5 } },
          job: {
            jarURI: 'local:///opt/flink/examples/streaming/StateMachineExample.jar',
            parallelism: 1,
            upgradeMode: 'stateless',
          },
        },
      },
    });
    const status = await waitFor('the operator to report the error', 60_000, async () => {
      const s = await readStatus('standby-without-ha');
      return s.error ? s : undefined;
    });
    expect(status.error).toContain('High availability should be enabled when starting standby JobManagers');
    // It deployed nothing.
    const pods = await core.listNamespacedPod({ namespace });
    expect(pods.items).toEqual([]);
    await custom.deleteNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'standby-without-ha',
    });
  });

  const app = 'counter';

  it(
    'an application FlinkDeployment is reconciled to STABLE with its job RUNNING',
    async () => {
      fs.rmSync(shared, { recursive: true, force: true });
      for (const d of ['', 'ha', 'savepoints', 'checkpoints'])
        fs.mkdirSync(path.join(shared, d), { recursive: true });
      // The pods run as the image's user flink (uid 9999): the folders are theirs to write.
      for (const d of ['', 'ha', 'savepoints', 'checkpoints']) fs.chmodSync(path.join(shared, d), 0o777);
      // Built and imported into the node's containerd when missing (there is no registry to pull from).
      await ensureFlinkImage(FLINK_VERSION);
      const jar = path.join(shared, 'stateful-counter.jar');
      fs.copyFileSync((await testJars(FLINK_VERSION)).statefulCounter, jar);

      const started = Date.now();
      await custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        body: counterDeployment(app, jar),
      });
      const seen = new Set<string>();
      const status = await waitFor('STABLE and RUNNING', 5 * 60_000, async () => {
        const s = await readStatus(app);
        seen.add(`${s.lifecycleState}/${s.jobStatus?.state}`);
        if (s.error && s.lifecycleState === 'FAILED') throw new Error(`the deployment failed: ${s.error}`);
        return s.lifecycleState === 'STABLE' && s.jobStatus?.state === 'RUNNING' ? s : undefined;
      });
      console.log(
        `FlinkDeployment to STABLE/RUNNING in ${((Date.now() - started) / 1000).toFixed(1)} s via ${[...seen].join(' -> ')}`,
      );
      expect(status.error ?? null).toBeNull();
      // The operator read the job's state over REST from <name>-rest.<namespace>: the JobManager's pod
      // and its REST Service are there, and so is the TaskManager.
      const pods = await core.listNamespacedPod({ namespace });
      expect(pods.items.map((p) => p.metadata?.labels?.component).sort()).toEqual([
        'jobmanager',
        'taskmanager',
      ]);
      const service = await core.readNamespacedService({ name: `${app}-rest`, namespace });
      expect(service.spec?.ports?.[0]?.port).toBe(8081);
      // The pods log: the operator handed them the log4j-console.properties of its own conf folder.
      const jm = pods.items.find((p) => p.metadata?.labels?.component === 'jobmanager')?.metadata?.name ?? '';
      const jmLog = await core.readNamespacedPodLog({
        name: jm,
        namespace,
        container: 'flink-main-container',
      });
      expect(jmLog).toContain('KubernetesApplicationClusterEntrypoint');
      // ...and the JobManager passed it on to the TaskManager pod it created.
      const tm =
        pods.items.find((p) => p.metadata?.labels?.component === 'taskmanager')?.metadata?.name ?? '';
      const tmLog = await core.readNamespacedPodLog({
        name: tm,
        namespace,
        container: 'flink-main-container',
      });
      expect(tmLog).toContain('KubernetesTaskExecutorRunner');
    },
    6 * 60_000,
  );

  it(
    'suspending with upgradeMode savepoint leaves a savepoint in the status',
    async () => {
      const started = Date.now();
      await custom.patchNamespacedCustomObject(
        {
          group,
          version,
          namespace,
          plural,
          name: app,
          body: { spec: { job: { state: 'suspended', upgradeMode: 'savepoint' } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const status = await waitFor('SUSPENDED with a savepoint', 3 * 60_000, async () => {
        const s = await readStatus(app);
        return s.lifecycleState === 'SUSPENDED' && s.jobStatus?.upgradeSavepointPath ? s : undefined;
      });
      console.log(`suspended with a savepoint in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const savepoint = status.jobStatus?.upgradeSavepointPath ?? '';
      expect(savepoint).toMatch(new RegExp(`^file:${shared}/savepoints/savepoint-`));
      // Written by the JobManager into the shared folder: the savepoint's metadata is on this machine.
      expect(fs.existsSync(path.join(savepoint.replace(/^file:/, ''), '_metadata'))).toBe(true);
      // ...and recorded as a FlinkStateSnapshot resource.
      const recorded = await waitFor('the savepoint recorded', 60_000, async () => {
        const all = await snapshots();
        return all.some((x) => x.state === 'COMPLETED') ? all : undefined;
      });
      expect(recorded).toEqual([expect.objectContaining({ state: 'COMPLETED', path: savepoint })]);
      // The job's cluster goes (after the shutdown TTL above, at a following reconciliation); the
      // FlinkDeployment stays, suspended.
      await waitFor('the pods gone', 2 * 60_000, async () => {
        const pods = (await core.listNamespacedPod({ namespace })).items;
        if (pods.length > 0)
          throw new Error(
            `still there: ${pods.map((p) => `${p.metadata?.name} (${p.status?.phase})`).join(', ')}`,
          );
        return true;
      });
    },
    6 * 60_000,
  );

  it(
    'deleting the FlinkDeployment leaves nothing of its cluster in the namespace, and keeps its savepoint',
    async () => {
      const started = Date.now();
      await custom.deleteNamespacedCustomObject({ group, version, namespace, plural, name: app });
      await waitFor('everything gone', 3 * 60_000, async () => {
        const [fds, pods, deployments, services, configMaps] = await Promise.all([
          custom.listNamespacedCustomObject({ group, version, namespace, plural }) as Promise<{
            items: unknown[];
          }>,
          core.listNamespacedPod({ namespace }),
          apps.listNamespacedDeployment({ namespace }),
          core.listNamespacedService({ namespace }),
          core.listNamespacedConfigMap({ namespace }),
        ]);
        const left = [
          ...fds.items.map(() => 'FlinkDeployment'),
          ...pods.items.map((p) => `pod ${p.metadata?.name}`),
          ...deployments.items.map((d) => `deployment ${d.metadata?.name}`),
          ...services.items.map((s) => `service ${s.metadata?.name}`),
          // Every namespace has the cluster's CA bundle; anything else is Flink's.
          ...configMaps.items
            .filter((c) => c.metadata?.name !== 'kube-root-ca.crt')
            .map((c) => `configmap ${c.metadata?.name}`),
        ];
        if (left.length > 0) throw new Error(`still there: ${left.join(', ')}`);
        return true;
      });
      console.log(`deleted, nothing left, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // The savepoint's record has no owner: it outlives the deployment (until the operator's savepoint
      // history limits, kubernetes.operator.savepoint.history.max.age/count, remove it), so a job can be
      // started again from it.
      expect(await snapshots()).toEqual([expect.objectContaining({ state: 'COMPLETED' })]);
    },
    4 * 60_000,
  );
});
