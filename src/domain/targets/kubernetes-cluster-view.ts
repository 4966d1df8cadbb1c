/**
 * What a Kubernetes target's cluster holds for Sluice's jobs, as `sluice target show` and the console's
 * targets page show it: the pods that wait (Pending, with the scheduler's or kubelet's reason), the
 * nodes' allocatable CPU and memory beside what all their pods request, and what each of Sluice's jobs
 * requests. Pure: the adapter reads the API server and gives the facts.
 */

/** CPU in millicores and memory in bytes, as the scheduler adds them. */
export interface Resources {
  cpuMillis: number;
  memoryBytes: number;
}

/** One container's requests as the API server keeps them (Kubernetes quantities). */
export interface ContainerRequests {
  cpu?: string | undefined;
  memory?: string | undefined;
  /** The container's limits; absent where it sets none. */
  limits?: { cpu?: string | undefined; memory?: string | undefined } | undefined;
}

export interface PodFacts {
  name: string;
  phase: string;
  nodeName: string | null;
  createdAt: string | null;
  labels: Record<string, string>;
  containers: ContainerRequests[];
  initContainers: ContainerRequests[];
  /** The PodScheduled condition when it is False. */
  unscheduled: { reason: string; message: string } | null;
  /** Containers (init ones too) waiting with a reason other than starting up. */
  waiting: { container: string; reason: string; message: string }[];
}

export interface NodeFacts {
  name: string;
  allocatable: ContainerRequests;
}

export interface PendingPod {
  pod: string;
  job: string | null;
  since: string | null;
  reason: string;
  message: string;
}

export interface NodeView {
  name: string;
  allocatable: Resources;
  /** What every pod scheduled there (all namespaces, not yet ended) requests. */
  requested: Resources;
  pods: number;
}

export interface JobRequests {
  job: string;
  flinkJobId: string;
  pods: number;
  running: number;
  pending: number;
  requests: Resources;
  /** Its containers' limits summed; a container without a limit adds nothing (only its node bounds it). */
  limits: Resources;
}

export interface KubernetesClusterView {
  target: string;
  namespace: string;
  server: string;
  at: string;
  pending: PendingPod[];
  /** Null when the target's credentials may not read nodes (or pods of every namespace): `nodesProblem` says why. */
  nodes: NodeView[] | null;
  nodesProblem: string | null;
  jobs: JobRequests[];
}

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  m: 1e-3,
};

/** A Kubernetes quantity (`250m`, `0.5`, `1Gi`, `128974848`, `1e3`) as a number of units; null if it is none. */
export function parseQuantity(q: string | undefined): number | null {
  if (q === undefined) return null;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(q.trim());
  if (!m) return null;
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

const cpuMillis = (q: string | undefined) => Math.round((parseQuantity(q) ?? 0) * 1000);
const memoryBytes = (q: string | undefined) => Math.round(parseQuantity(q) ?? 0);

/** A pod's requests as the scheduler counts them: its containers' sum, or its largest init container's if more. */
export function podRequests(p: Pick<PodFacts, 'containers' | 'initContainers'>): Resources {
  const sum = (cs: ContainerRequests[], f: (c: ContainerRequests) => number) =>
    cs.reduce((a, c) => a + f(c), 0);
  const max = (cs: ContainerRequests[], f: (c: ContainerRequests) => number) =>
    cs.reduce((a, c) => Math.max(a, f(c)), 0);
  const cpu = (c: ContainerRequests) => cpuMillis(c.cpu);
  const mem = (c: ContainerRequests) => memoryBytes(c.memory);
  return {
    cpuMillis: Math.max(sum(p.containers, cpu), max(p.initContainers, cpu)),
    memoryBytes: Math.max(sum(p.containers, mem), max(p.initContainers, mem)),
  };
}

/** A pod's containers' limits summed (those without one add nothing). */
export function podLimits(p: Pick<PodFacts, 'containers'>): Resources {
  return p.containers.reduce(
    (a, c) => ({
      cpuMillis: a.cpuMillis + cpuMillis(c.limits?.cpu),
      memoryBytes: a.memoryBytes + memoryBytes(c.limits?.memory),
    }),
    ZERO,
  );
}

const add = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});
const ZERO: Resources = { cpuMillis: 0, memoryBytes: 0 };
const ended = (p: PodFacts) => p.phase === 'Succeeded' || p.phase === 'Failed';

/** Why a Pending pod waits: the scheduler's condition first, then a container's waiting reason. */
function pendingReason(p: PodFacts): { reason: string; message: string } {
  if (p.unscheduled) return p.unscheduled;
  const w = p.waiting[0];
  if (w) return { reason: w.reason, message: `container ${w.container}: ${w.message || w.reason}` };
  return {
    reason: p.nodeName ? 'Starting' : 'NotScheduledYet',
    message: p.nodeName ? `on node ${p.nodeName}` : '',
  };
}

export function clusterViewOf(input: {
  target: string;
  namespace: string;
  server: string;
  at: Date;
  /** The namespace's pods. */
  pods: PodFacts[];
  /** The nodes and every namespace's pods, or why they cannot be read. */
  nodes: { nodes: NodeFacts[]; pods: PodFacts[] } | { problem: string };
  labels: { job: string; flinkJobId: string; target: string; managedBy: string };
}): KubernetesClusterView {
  const { labels } = input;
  const pending = input.pods
    .filter((p) => p.phase === 'Pending')
    .map((p) => ({
      pod: p.name,
      job: p.labels[labels.job] ?? null,
      since: p.createdAt,
      ...pendingReason(p),
    }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
  const jobs = new Map<string, JobRequests>();
  for (const p of input.pods) {
    const l = p.labels;
    if (l[labels.managedBy] !== 'sluice' || l[labels.target] !== input.target || ended(p)) continue;
    const id = l[labels.flinkJobId];
    const job = l[labels.job];
    if (!id || !job) continue;
    const j = jobs.get(id) ?? {
      job,
      flinkJobId: id,
      pods: 0,
      running: 0,
      pending: 0,
      requests: ZERO,
      limits: ZERO,
    };
    j.pods++;
    if (p.phase === 'Running') j.running++;
    if (p.phase === 'Pending') j.pending++;
    j.requests = add(j.requests, podRequests(p));
    j.limits = add(j.limits, podLimits(p));
    jobs.set(id, j);
  }
  let nodes: NodeView[] | null = null;
  let nodesProblem: string | null = null;
  if ('problem' in input.nodes) nodesProblem = input.nodes.problem;
  else {
    const all = input.nodes.pods;
    nodes = input.nodes.nodes
      .map((n) => {
        const on = all.filter((p) => p.nodeName === n.name && !ended(p));
        return {
          name: n.name,
          allocatable: {
            cpuMillis: cpuMillis(n.allocatable.cpu),
            memoryBytes: memoryBytes(n.allocatable.memory),
          },
          requested: on.reduce((a, p) => add(a, podRequests(p)), ZERO),
          pods: on.length,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return {
    target: input.target,
    namespace: input.namespace,
    server: input.server,
    at: input.at.toISOString(),
    pending,
    nodes,
    nodesProblem,
    jobs: [...jobs.values()].sort(
      (a, b) => a.job.localeCompare(b.job) || a.flinkJobId.localeCompare(b.flinkJobId),
    ),
  };
}

/** `1.25 cores`, `1.5 GiB`: what a person reads. */
export const formatCpu = (millis: number): string =>
  `${(millis / 1000).toFixed(2).replace(/\.?0+$/, '')} cpu`;
export const formatMemory = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
