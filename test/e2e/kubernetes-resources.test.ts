import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import type { TargetResourcesInfo } from '../../src/contract/targets.ts';
import { parseQuantity } from '../../src/domain/targets/kubernetes-cluster-view.ts';
import { freshNamespace, kubeClients, waitFor } from '../support/kubernetes/namespace.ts';
import { clusterUp, TEST_IMAGE, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';

/**
 * The resources view of a Kubernetes target on the real local cluster (reused, never stopped here): a
 * pod labelled as a Sluice job's TaskManager asks more CPU than the node has, and `sluice target
 * resources` names the job as waiting with the scheduler's message, beside the node's allocatable CPU
 * and memory as the API server gives them. The pod is made directly (no Flink starts): what is tested
 * is the view, not a job's start, which costs the shared cluster minutes.
 */

const NAMESPACE = 'h-resources';
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let url: string;
let t: TestPlatform;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  cluster = await clusterUp();
  ({ core } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
  ({ t, url, close } = await servedPlatform());
}, 10 * 60_000);

afterAll(async () => {
  await close?.();
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
}, 180_000);

describe('Kubernetes: a target resources view', () => {
  it("names a job whose pod asks more CPU than the node has as waiting, with the scheduler's message; requested vs allocatable from the real node", async () => {
    const sluice = (...args: string[]) => runSluice(url, args);
    // Registered through the service: the CLI's `target add --kubernetes` is other files' subject.
    await t.platform.targets.registerKubernetes({
      name: 'k8s-res',
      kubeconfig: cluster.kubeconfig,
      namespace: NAMESPACE,
      mode: 'standalone',
      imagePullPolicy: 'Never',
    });
    const id = 'e'.repeat(32);
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: 'flink-greedy-taskmanager',
          labels: {
            [LABELS.managedBy]: 'sluice',
            [LABELS.target]: 'k8s-res',
            [LABELS.job]: 'greedy',
            [LABELS.flinkJobId]: id,
          },
        },
        spec: {
          containers: [
            {
              name: 'taskmanager',
              image: TEST_IMAGE,
              imagePullPolicy: 'Never',
              command: ['sleep', '3600'],
              resources: { requests: { cpu: '64', memory: '256Mi' }, limits: { cpu: '64', memory: '512Mi' } },
            },
          ],
        },
      },
    });
    const v = await waitFor(
      'the greedy job named as waiting',
      60_000,
      async () => {
        const r = await sluice('target', 'resources', 'k8s-res', '--json');
        if (r.code !== 0) throw new Error(r.stderr);
        const got = JSON.parse(r.stdout) as TargetResourcesInfo;
        return got.waiting.some((w) => w.job === 'greedy') ? got : undefined;
      },
      500,
    );
    expect(v).toMatchObject({ targetKind: 'kubernetes-standalone', flink: null });
    expect(v.waiting).toEqual([
      {
        job: 'greedy',
        flinkJobId: id,
        reason: 'Unschedulable',
        message: expect.stringMatching(/^pod flink-greedy-taskmanager: .*Insufficient cpu/) as string,
        source: 'kubernetes',
      },
    ]);
    expect(v.kubernetes!.jobs).toEqual([
      {
        job: 'greedy',
        flinkJobId: id,
        pods: 1,
        running: 0,
        pending: 1,
        requests: { cpuMillis: 64_000, memoryBytes: 256 * 2 ** 20 },
        limits: { cpuMillis: 64_000, memoryBytes: 512 * 2 ** 20 },
      },
    ]);
    // The node's allocatable is the API server's, and what its pods request stays below it.
    const nodes = (await core.listNode()).items;
    expect(v.kubernetes!.nodes!.map((n) => n.name)).toEqual(nodes.map((n) => n.metadata!.name).sort());
    const node = nodes[0]!;
    const shown = v.kubernetes!.nodes!.find((n) => n.name === node.metadata!.name)!;
    expect(shown.allocatable.cpuMillis).toBe(
      Math.round(parseQuantity(node.status!.allocatable!.cpu)! * 1000),
    );
    expect(shown.allocatable.memoryBytes).toBe(Math.round(parseQuantity(node.status!.allocatable!.memory)!));
    expect(shown.requested.cpuMillis).toBeLessThan(64_000);
    expect(v.sources.join('\n')).toMatch(/pods of namespace h-resources .* from the API server/);

    const text = await sluice('target', 'resources', 'k8s-res');
    expect(text.stdout).toMatch(/greedy\s+Unschedulable\s+pod flink-greedy-taskmanager: .*Insufficient cpu/);
    expect(text.stdout).toMatch(/greedy\s+e{32}\s+1\s+0\s+1\s+64 cpu, 256 MiB\s+64 cpu, 512 MiB/);
  });
});
