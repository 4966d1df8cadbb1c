import { describe, expect, it } from 'vitest';
import { clusterViewOf, parseQuantity, podRequests, type PodFacts } from './kubernetes-cluster-view.ts';

const labels = {
  job: 'sluice.dev/job',
  flinkJobId: 'sluice.dev/flink-job-id',
  target: 'sluice.dev/target',
  managedBy: 'app.kubernetes.io/managed-by',
};
const pod = (over: Partial<PodFacts>): PodFacts => ({
  name: 'p',
  phase: 'Running',
  nodeName: 'node-1',
  createdAt: '2026-01-01T00:00:00Z',
  labels: {},
  containers: [],
  initContainers: [],
  unscheduled: null,
  waiting: [],
  ...over,
});
const ours = (job: string, id: string) => ({
  [labels.managedBy]: 'sluice',
  [labels.target]: 'k8s',
  [labels.job]: job,
  [labels.flinkJobId]: id,
});

describe('Kubernetes cluster view', () => {
  it('reads quantities as the API server writes them', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1024Mi')).toBe(2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeNull();
  });

  it("counts a pod's requests as the scheduler does: containers summed, or its largest init container", () => {
    expect(
      podRequests({
        containers: [{ cpu: '250m', memory: '1024Mi' }, { cpu: '100m' }],
        initContainers: [{ cpu: '2', memory: '128Mi' }],
      }),
    ).toEqual({ cpuMillis: 2000, memoryBytes: 2 ** 30 });
  });

  it("shows pending pods with the scheduler's reason, nodes' requests against allocatable, and each job's requests", () => {
    const a = 'a'.repeat(32);
    const pending = pod({
      name: 'flink-big-aaaaaaaa-taskmanager-x',
      phase: 'Pending',
      nodeName: null,
      labels: ours('big', a),
      containers: [{ cpu: '64', memory: '1Gi', limits: { cpu: '64', memory: '2Gi' } }],
      unscheduled: { reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' },
    });
    const jm = pod({
      name: 'flink-big-aaaaaaaa-jobmanager-y',
      labels: ours('big', a),
      containers: [{ cpu: '250m', memory: '1Gi', limits: { memory: '1Gi' } }],
    });
    const other = pod({ name: 'etcd', containers: [{ cpu: '100m', memory: '100Mi' }] });
    const done = pod({ name: 'job-done', phase: 'Succeeded', containers: [{ cpu: '1' }] });
    const view = clusterViewOf({
      target: 'k8s',
      namespace: 'ns',
      server: 'https://127.0.0.1:6443',
      at: new Date(0),
      pods: [pending, jm],
      nodes: {
        nodes: [{ name: 'node-1', allocatable: { cpu: '2', memory: '8Gi' } }],
        pods: [pending, jm, other, done],
      },
      labels,
    });
    expect(view.pending).toEqual([
      {
        pod: 'flink-big-aaaaaaaa-taskmanager-x',
        job: 'big',
        since: '2026-01-01T00:00:00Z',
        reason: 'Unschedulable',
        message: '0/1 nodes are available: 1 Insufficient cpu.',
      },
    ]);
    // The pending pod is on no node: the node's requests are the Running pods'.
    expect(view.nodes).toEqual([
      {
        name: 'node-1',
        allocatable: { cpuMillis: 2000, memoryBytes: 8 * 2 ** 30 },
        requested: { cpuMillis: 350, memoryBytes: 2 ** 30 + 100 * 2 ** 20 },
        pods: 2,
      },
    ]);
    expect(view.jobs).toEqual([
      {
        job: 'big',
        flinkJobId: a,
        pods: 2,
        running: 1,
        pending: 1,
        requests: { cpuMillis: 64250, memoryBytes: 2 * 2 ** 30 },
        // The JobManager sets no CPU limit: it adds nothing.
        limits: { cpuMillis: 64000, memoryBytes: 3 * 2 ** 30 },
      },
    ]);
  });

  it('says why nodes are not shown when the credentials may not read them', () => {
    const view = clusterViewOf({
      target: 'k8s',
      namespace: 'ns',
      server: 's',
      at: new Date(0),
      pods: [],
      nodes: { problem: 'nodes is forbidden' },
      labels,
    });
    expect(view).toMatchObject({ nodes: null, nodesProblem: 'nodes is forbidden', pending: [], jobs: [] });
  });
});
