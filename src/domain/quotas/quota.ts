/**
 * Quotas: what the jobs of one scope may hold together (CPU, memory, slots, TaskManagers, jobs), and
 * the sane ranges one job's request must stay within. A quota's scope is a deployment target
 * (`target:<name>`: its jobs there, with per-job ranges) or a space (`space:<name>`: its jobs on every
 * target). What a job requests is computed from the cluster it really gets (applicationResources, the
 * pods' CPU options), so the check and the cluster agree.
 */
import { invalid, SluiceError } from '../errors.ts';
import { message, type Message } from '../messages.ts';
import { applicationResources, podCpu } from '../clusters/application-resources.ts';
import { formatMemorySize, parseMemorySize } from '../clusters/memory-size.ts';
import type { TargetKind } from '../targets/target-kinds.ts';
import type { LifecycleState } from '../jobs/lifecycle.ts';
import { sum } from '../targets/target-resources.ts';

export const QUOTA_RESOURCES = ['cpu', 'memory', 'slots', 'taskManagers', 'jobs'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];
/** A limit per resource; null: not limited. CPU in cores, memory in bytes. */
export type QuotaLimits = Record<QuotaResource, number | null>;

export const JOB_RANGES = [
  'maxParallelism',
  'maxTaskManagers',
  'maxTaskManagerMemory',
  'maxCpuPerPod',
] as const;
export type JobRange = (typeof JOB_RANGES)[number];
/** The most one job may request on the scope; null: no bound beyond Flink's and the kind's own. */
export type JobRanges = Record<JobRange, number | null>;

export interface Quota {
  scope: string;
  limits: QuotaLimits;
  perJob: JobRanges;
  updatedAt: string;
  updatedBy: string;
}

/** Whose quota: a deployment target's (platform admins set it) or a space's (its owners set it). */
export interface QuotaScope {
  kind: 'target' | 'space';
  name: string;
}

export const targetScope = (target: string): string => `target:${target}`;
export const spaceScope = (space: string): string => `space:${space}`;
/** The key a quota is kept under. */
export const scopeKey = (s: QuotaScope): string => `${s.kind}:${s.name}`;

export const NO_LIMITS: QuotaLimits = {
  cpu: null,
  memory: null,
  slots: null,
  taskManagers: null,
  jobs: null,
};
export const NO_RANGES: JobRanges = {
  maxParallelism: null,
  maxTaskManagers: null,
  maxTaskManagerMemory: null,
  maxCpuPerPod: null,
};

/**
 * The states in which a job holds what it requested: its cluster (or its slots on a session) exists or
 * is being made or taken down. CREATED, FINISHED, STOPPED, CANCELLED and FAILED hold nothing: their
 * clusters are released (a failed job's resubmission is the platform's, not counted until it starts).
 */
export const HOLDING_STATES: readonly LifecycleState[] = [
  'STARTING',
  'JM_RUNNING',
  'PODS_RUNNING',
  'RUNNING',
  'NOT_RUNNING',
  'STOPPING',
  'CANCELLING',
  'UNKNOWN',
];

/** One job's own cluster, as its processes (pods) are sized; CPU null where processes request none. */
export interface ClusterRequest {
  jobManagerCpu: number | null;
  taskManagerCpu: number | null;
  jobManagerMemory: number;
  taskManagerMemory: number;
  slotsPerTaskManager: number;
}

/**
 * What one job requests of its target. Null: not requested per job there (a session's cluster is
 * shared: its jobs take slots, not CPU, memory or TaskManagers; local processes request no CPU).
 */
export interface JobRequest extends Record<QuotaResource, number | null> {
  slots: number;
  jobs: number;
  /** The job's own cluster (application targets); null on a session. */
  cluster: ClusterRequest | null;
}

/** Where a job runs, as far as its request goes: a cluster of its own or a session's slots, in pods or processes. */
export type RequestPlace = Pick<TargetKind, 'deployment' | 'wireKind'>;

/** What the resources of a job with this parallelism and these options are on a target of this kind. */
export function jobRequest(
  place: RequestPlace,
  parallelism: number,
  options: Record<string, string>,
): JobRequest {
  if (place.deployment === 'session-job')
    return { cpu: null, memory: null, slots: parallelism, taskManagers: null, jobs: 1, cluster: null };
  const r = applicationResources(parallelism, options);
  const pods = place.wireKind === 'kubernetes';
  const cluster: ClusterRequest = {
    jobManagerCpu: pods ? podCpu(options, 'jobmanager') : null,
    taskManagerCpu: pods ? podCpu(options, 'taskmanager') : null,
    jobManagerMemory: parseMemorySize(r.jobManagerMemory)!,
    taskManagerMemory: parseMemorySize(r.taskManagerMemory)!,
    slotsPerTaskManager: r.slotsPerTaskManager,
  };
  return {
    cpu: pods ? cluster.jobManagerCpu! + r.taskManagers * cluster.taskManagerCpu! : null,
    memory: cluster.jobManagerMemory + r.taskManagers * cluster.taskManagerMemory,
    slots: r.taskManagers * r.slotsPerTaskManager,
    taskManagers: r.taskManagers,
    jobs: 1,
    cluster,
  };
}

/** The resources a quota can limit on a target of this kind: the ones its jobs request per job. */
export function quotaResourcesOf(place: RequestPlace): QuotaResource[] {
  if (place.deployment === 'session-job') return ['slots', 'jobs'];
  return place.wireKind === 'kubernetes' ? [...QUOTA_RESOURCES] : ['memory', 'slots', 'taskManagers', 'jobs'];
}

/** The per-job ranges that mean something on a target of this kind. */
export function jobRangesOf(place: RequestPlace): JobRange[] {
  if (place.deployment === 'session-job') return ['maxParallelism'];
  return place.wireKind === 'kubernetes'
    ? [...JOB_RANGES]
    : ['maxParallelism', 'maxTaskManagers', 'maxTaskManagerMemory'];
}

/** A figure of a resource for people: memory as a size, CPU in cores, the rest as counts. */
export function formatAmount(resource: QuotaResource | JobRange, n: number): string {
  if (resource === 'memory' || resource === 'maxTaskManagerMemory')
    return n === 0 ? '0' : formatMemorySize(n);
  if (resource === 'cpu' || resource === 'maxCpuPerPod') return String(Math.round(n * 1000) / 1000);
  return String(n);
}

/** The CLI flag that sets each limit. */
export const QUOTA_FLAGS: Record<QuotaResource | JobRange, string> = {
  cpu: '--cpu',
  memory: '--memory',
  slots: '--slots',
  taskManagers: '--task-managers',
  jobs: '--jobs',
  maxParallelism: '--max-parallelism',
  maxTaskManagers: '--max-task-managers',
  maxTaskManagerMemory: '--max-task-manager-memory',
  maxCpuPerPod: '--max-cpu-per-pod',
};

/** The request of a job holding resources on the scope. */
export interface JobUsage {
  job: string;
  request: JobRequest;
}

export interface ResourceUsage {
  resource: QuotaResource;
  limit: number | null;
  used: number;
  /** The jobs holding some of it, with how much each. */
  jobs: { job: string; amount: number }[];
}

/** What the jobs holding resources use of each resource the quota can limit. */
export function quotaUsage(
  resources: QuotaResource[],
  limits: QuotaLimits,
  usage: JobUsage[],
): ResourceUsage[] {
  return resources.map((resource) => {
    const jobs = usage
      .map((u) => ({ job: u.job, amount: u.request[resource] ?? 0 }))
      .filter((j) => j.amount > 0);
    return { resource, limit: limits[resource], used: sum(jobs, (j) => j.amount), jobs };
  });
}

const FIXES: Record<QuotaResource, Message['code']> = {
  cpu: 'quota.fixCpu',
  memory: 'quota.fixMemory',
  slots: 'quota.fixSlots',
  taskManagers: 'quota.fixTaskManagers',
  jobs: 'quota.fixJobs',
};

/** Who raises a quota, and with which command: an admin a target's, an owner a space's. */
const raise = (scope: QuotaScope, flag: string): Message =>
  scope.kind === 'target'
    ? message('quota.raiseTarget', { target: scope.name, flag })
    : message('quota.raiseSpace', { space: scope.name, flag });

/**
 * Refuses a request that would take any limited resource beyond its limit (the first such, in the
 * order of QUOTA_RESOURCES), naming the quota, the request, what is in use and by which jobs, and how
 * to fix it. `usage` holds the other jobs only: a job being upgraded gives back what it holds. What
 * the request does not take per job (null: a session job's memory) is not compared.
 */
export function checkQuota(
  scope: QuotaScope,
  job: string,
  limits: QuotaLimits,
  request: JobRequest,
  usage: JobUsage[],
): void {
  for (const u of quotaUsage([...QUOTA_RESOURCES], limits, usage)) {
    const asked = request[u.resource];
    if (u.limit === null || asked === null || u.used + asked <= u.limit) continue;
    const f = (n: number) => formatAmount(u.resource, n);
    const said = {
      job,
      resource: u.resource,
      request: f(asked),
      limit: f(u.limit),
      used: f(u.used),
      jobs: u.jobs.length ? u.jobs.map((j) => `${j.job} (${f(j.amount)})`).join(', ') : '-',
      fix: message(FIXES[u.resource], { raise: raise(scope, QUOTA_FLAGS[u.resource]) }),
    };
    throw new SluiceError(
      'conflict',
      scope.kind === 'target'
        ? message('quota.exceeded', { ...said, target: scope.name })
        : message('quota.spaceExceeded', { ...said, space: scope.name }),
      {
        quota: {
          scope: scopeKey(scope),
          resource: u.resource,
          limit: u.limit,
          request: asked,
          used: u.used,
          jobs: u.jobs,
        },
      },
    );
  }
}

/**
 * Refuses a job whose request is beyond the scope's per-job ranges, naming the field to change: the
 * parallelism, the TaskManager count (slots per TaskManager), a pod's memory or CPU option.
 */
export function checkJobRanges(
  target: string,
  ranges: JobRanges,
  parallelism: number,
  request: JobRequest,
): void {
  const over = (range: JobRange, field: string, value: number) => {
    const max = ranges[range];
    if (max === null || value <= max) return;
    throw invalid(
      field,
      message('quota.overRange', {
        target,
        range,
        value: formatAmount(range, value),
        max: formatAmount(range, max),
      }),
    );
  };
  over('maxParallelism', 'parallelism', parallelism);
  const c = request.cluster;
  if (!c) return;
  over('maxTaskManagers', 'options.taskmanager.numberOfTaskSlots', request.taskManagers ?? 0);
  over('maxTaskManagerMemory', 'options.taskmanager.memory.process.size', c.taskManagerMemory);
  if (c.jobManagerCpu !== null) over('maxCpuPerPod', 'options.kubernetes.jobmanager.cpu', c.jobManagerCpu);
  if (c.taskManagerCpu !== null) over('maxCpuPerPod', 'options.kubernetes.taskmanager.cpu', c.taskManagerCpu);
}

/** What a PUT gives: counts and cores as numbers, memory as a Flink size ("8g") or bytes. */
export type QuotaInput = Partial<Record<QuotaResource | JobRange, number | string | null>>;

/**
 * The limits and ranges of a PUT, checked against what the target's kind requests per job: a limit on
 * a resource its jobs do not request (CPU of local processes, memory of a session's jobs) is refused,
 * naming the field, as is a value that is not a positive number (memory: not a Flink size).
 */
export function parseQuotaInput(
  target: string,
  place: RequestPlace,
  input: QuotaInput,
): { limits: QuotaLimits; perJob: JobRanges } {
  const allowed = new Set<string>([...quotaResourcesOf(place), ...jobRangesOf(place)]);
  return readQuotaInput(input, (field) =>
    allowed.has(field)
      ? null
      : message('quota.notRequested', {
          field,
          target,
          kind: placeName(place),
          fields: [...allowed].join(', '),
        }),
  );
}

/**
 * The limits of a space's PUT: every resource, as a space's jobs run on targets of every kind (each
 * job counts what it requests on its own target); the per-job ranges are a target's, refused here.
 */
export function parseSpaceQuotaInput(space: string, input: QuotaInput): QuotaLimits {
  return readQuotaInput(input, (field) =>
    (QUOTA_RESOURCES as readonly string[]).includes(field)
      ? null
      : message('quota.rangeOfTarget', { field, space }),
  ).limits;
}

/** Reads each field given; `refuse` says why a known field does not apply here (null: it does). */
function readQuotaInput(
  input: QuotaInput,
  refuse: (field: QuotaResource | JobRange) => Message | null,
): { limits: QuotaLimits; perJob: JobRanges } {
  const limits: QuotaLimits = { ...NO_LIMITS };
  const perJob: JobRanges = { ...NO_RANGES };
  for (const [field, raw] of Object.entries(input)) {
    if (raw === null || raw === undefined) continue;
    if (
      !(QUOTA_RESOURCES as readonly string[]).includes(field) &&
      !(JOB_RANGES as readonly string[]).includes(field)
    )
      throw invalid(field, message('quota.unknownField', { field }));
    const known = field as QuotaResource | JobRange;
    const refused = refuse(known);
    if (refused) throw invalid(field, refused);
    const value = amountOf(known, raw);
    if (value === null) throw invalid(field, message('quota.badAmount', { field, value: String(raw) }));
    if ((QUOTA_RESOURCES as readonly string[]).includes(field)) limits[field as QuotaResource] = value;
    else perJob[field as JobRange] = value;
  }
  return { limits, perJob };
}

const placeName = (p: RequestPlace) =>
  p.deployment === 'session-job'
    ? 'session'
    : p.wireKind === 'kubernetes'
      ? 'Kubernetes application'
      : 'local application';

function amountOf(field: QuotaResource | JobRange, raw: number | string): number | null {
  if (field === 'memory' || field === 'maxTaskManagerMemory') {
    const bytes = typeof raw === 'number' ? raw : parseMemorySize(raw);
    return bytes !== null && Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
  }
  const n = typeof raw === 'number' ? raw : /^\s*[0-9.]+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  if (field === 'cpu' || field === 'maxCpuPerPod') return n;
  return Number.isInteger(n) ? n : null;
}
