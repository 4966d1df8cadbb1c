import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterUp, leftovers, type LocalCluster } from '../support/kubernetes/cluster.ts';
import {
  FLINK_SERVICE_ACCOUNT,
  OPERATOR_CRDS,
  operatorEnabled,
  prepareOperatorNamespace,
} from '../support/kubernetes/operator.ts';

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

let cluster: LocalCluster;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;

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
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

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
  // A namespace left by an interrupted run is removed first, so each run starts from nothing.
  if (!(await namespaceGone())) {
    await core.deleteNamespace({ name: namespace });
    await waitFor('the old namespace gone', 120_000, namespaceGone);
  }
  await prepareOperatorNamespace(cluster, namespace);
}, 30 * 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
});

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
        image: 'flink:1.20-java17',
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
          image: 'flink:1.20-java17',
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
});
