/**
 * What a deployment target has and what its jobs take: Flink's slots, TaskManagers and their memory
 * (session clusters, and each job's own cluster of an application target), a Kubernetes target's
 * requested vs allocatable resources and Pending pods (kubernetes-cluster-view.ts), and the jobs that
 * wait for resources, each with its reason. Pure: adapters read Flink's REST API and the API server.
 */
import type { KubernetesClusterView } from './kubernetes-cluster-view.ts';
import type { TargetKindName } from './target-kinds.ts';

/** One TaskManager as Flink's `/taskmanagers` and `/taskmanagers/{id}` show it. */
export interface TaskManagerFacts {
  id: string;
  slotsTotal: number;
  slotsFree: number;
  /** The Flink job id of each allocated slot (`allocatedSlots` of `/taskmanagers/{id}`). */
  slotJobs: string[];
  /** `memoryConfiguration.totalProcessMemory`; null when Flink does not say it. */
  processMemoryBytes: number | null;
  /** `memoryConfiguration.managedMemory`. */
  managedMemoryBytes: number | null;
  /** `metrics.heapUsed` and `metrics.heapMax`. */
  heapUsedBytes: number | null;
  heapMaxBytes: number | null;
}

/** One Flink job as `/jobs/overview` shows it, with its latest NoResourceAvailableException if it waits. */
export interface FlinkJobFacts {
  flinkJobId: string;
  name: string;
  state: string;
  /** Its tasks counted by state (`tasks` of `/jobs/overview`: created, scheduled, deploying, running...). */
  tasks: Record<string, number>;
  /** The root cause of a NoResourceAvailableException in its exception history; null if none. */
  noResource: string | null;
}

export interface FlinkClusterFacts {
  taskManagers: TaskManagerFacts[];
  jobs: FlinkJobFacts[];
}

export interface FlinkJobSlots {
  flinkJobId: string;
  /** The Sluice job running as this Flink job; null for a Flink job Sluice did not submit. */
  job: string | null;
  name: string;
  state: string;
  /** Slots allocated to it on the cluster's TaskManagers. */
  slots: number;
  /** Tasks not yet given a slot (CREATED or SCHEDULED). */
  waitingTasks: number;
}

export interface FlinkClusterResources {
  /** The session cluster's target name, or the job whose own cluster it is. */
  cluster: string;
  restUrl: string;
  /** Why the cluster's figures are missing (not running, not answering); null when read. */
  problem: string | null;
  taskManagers: (Omit<TaskManagerFacts, 'slotJobs'> & { slotsUsed: number })[];
  slotsTotal: number;
  slotsFree: number;
  processMemoryBytes: number;
  jobs: FlinkJobSlots[];
}

/** A job that waits for resources, in the words of what makes it wait. */
export interface WaitingJob {
  job: string | null;
  flinkJobId: string | null;
  /** `NoResourceAvailable`, `NoFreeSlot` (Flink), or the pod's reason (`Unschedulable`...). */
  reason: string;
  message: string;
  /** Where it was read: `flink` (the job's tasks and exceptions) or `kubernetes` (a Pending pod). */
  source: 'flink' | 'kubernetes';
}

export interface TargetResources {
  target: string;
  targetKind: TargetKindName;
  at: string;
  /** The Flink clusters of the target (one session cluster, or one per job); null for Kubernetes targets. */
  flink: {
    clusters: FlinkClusterResources[];
    taskManagers: number;
    slotsTotal: number;
    slotsFree: number;
    processMemoryBytes: number;
  } | null;
  kubernetes: KubernetesClusterView | null;
  waiting: WaitingJob[];
  /** What each figure is read from, in words. */
  sources: string[];
}

const ENDED = new Set(['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED']);
const count = (tasks: Record<string, number>, ...states: string[]) =>
  states.reduce((a, s) => a + (tasks[s] ?? tasks[s.toUpperCase()] ?? 0), 0);

/** Tasks of a live job still without a slot. */
export const waitingTasksOf = (j: Pick<FlinkJobFacts, 'state' | 'tasks'>): number =>
  ENDED.has(j.state) ? 0 : count(j.tasks, 'created', 'scheduled');

/** A Flink cluster's figures, its jobs named by the Sluice jobs they run as (`jobOf`, by Flink job id). */
export function flinkClusterResources(
  cluster: string,
  restUrl: string,
  facts: FlinkClusterFacts,
  jobOf: (flinkJobId: string) => string | null,
): FlinkClusterResources {
  const slotsOf = new Map<string, number>();
  for (const tm of facts.taskManagers)
    for (const id of tm.slotJobs) slotsOf.set(id, (slotsOf.get(id) ?? 0) + 1);
  const taskManagers = facts.taskManagers
    .map(({ slotJobs: _, ...tm }) => ({ ...tm, slotsUsed: tm.slotsTotal - tm.slotsFree }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const jobs = facts.jobs
    .filter((j) => !ENDED.has(j.state) || slotsOf.has(j.flinkJobId))
    .map((j) => ({
      flinkJobId: j.flinkJobId,
      job: jobOf(j.flinkJobId),
      name: j.name,
      state: j.state,
      slots: slotsOf.get(j.flinkJobId) ?? 0,
      waitingTasks: waitingTasksOf(j),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.flinkJobId.localeCompare(b.flinkJobId));
  return {
    cluster,
    restUrl,
    problem: null,
    taskManagers,
    slotsTotal: sum(taskManagers, (t) => t.slotsTotal),
    slotsFree: sum(taskManagers, (t) => t.slotsFree),
    processMemoryBytes: sum(taskManagers, (t) => t.processMemoryBytes ?? 0),
    jobs,
  };
}

/** A cluster whose figures could not be read, saying why. */
export const unreadCluster = (cluster: string, restUrl: string, problem: string): FlinkClusterResources => ({
  cluster,
  restUrl,
  problem,
  taskManagers: [],
  slotsTotal: 0,
  slotsFree: 0,
  processMemoryBytes: 0,
  jobs: [],
});

export const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

/** The target's totals over its Flink clusters. */
export function flinkTotals(clusters: FlinkClusterResources[]): NonNullable<TargetResources['flink']> {
  return {
    clusters,
    taskManagers: sum(clusters, (c) => c.taskManagers.length),
    slotsTotal: sum(clusters, (c) => c.slotsTotal),
    slotsFree: sum(clusters, (c) => c.slotsFree),
    processMemoryBytes: sum(clusters, (c) => c.processMemoryBytes),
  };
}

/**
 * The Flink jobs that wait for slots: Flink's NoResourceAvailableException when it said one, else
 * tasks without a slot while the cluster has no free slot (tasks waiting beside free slots are
 * deploying, not short of slots).
 */
export function flinkWaiting(
  cluster: FlinkClusterResources,
  facts: Pick<FlinkClusterFacts, 'jobs'>,
): WaitingJob[] {
  const out: WaitingJob[] = [];
  for (const j of facts.jobs) {
    const waiting = waitingTasksOf(j);
    if (waiting === 0) continue;
    const job = cluster.jobs.find((x) => x.flinkJobId === j.flinkJobId)?.job ?? null;
    const where = `cluster ${cluster.cluster} has ${cluster.slotsFree} of ${cluster.slotsTotal} slots free`;
    if (j.noResource)
      out.push({
        job,
        flinkJobId: j.flinkJobId,
        reason: 'NoResourceAvailable',
        message: `${waiting} task(s) without a slot; ${where}; Flink: ${j.noResource}`,
        source: 'flink',
      });
    else if (cluster.slotsFree === 0)
      out.push({
        job,
        flinkJobId: j.flinkJobId,
        reason: 'NoFreeSlot',
        message: `${waiting} task(s) without a slot; ${where}`,
        source: 'flink',
      });
  }
  return out;
}

/** The Sluice jobs whose pods are Pending, with the scheduler's (or kubelet's) reason. */
export function kubernetesWaiting(view: KubernetesClusterView): WaitingJob[] {
  const ids = new Map(view.jobs.map((j) => [j.job, j.flinkJobId]));
  return view.pending
    .filter((p) => p.job !== null)
    .map((p) => ({
      job: p.job,
      flinkJobId: ids.get(p.job!) ?? null,
      reason: p.reason,
      message: `pod ${p.pod}: ${p.message || p.reason}`,
      source: 'kubernetes' as const,
    }));
}
