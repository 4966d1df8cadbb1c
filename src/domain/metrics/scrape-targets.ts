/**
 * Prometheus's HTTP service discovery (`http_sd_configs`): a list of target groups, each the
 * addresses (`host:port`) Prometheus scrapes and the labels it puts on every series scraped there.
 * https://prometheus.io/docs/prometheus/latest/http_sd/
 */
export interface ScrapeTargetGroup {
  targets: string[];
  labels: ScrapeLabels;
}

export type FlinkProcessRole = 'jobmanager' | 'taskmanager';

/** The labels of a Flink process (Prometheus's words: snake_case). */
export interface ScrapeLabels {
  target: string;
  engine_version: string;
  role: FlinkProcessRole;
  process: string;
  /** The space of the process's job, or of its target for a session's processes (rules per space match it). */
  space?: string;
  job?: string;
  version?: string;
  flink_job_id?: string;
}

/** A running JobManager or TaskManager whose Prometheus reporter answers at `address`. */
export interface FlinkMetricsEndpoint {
  /** `host:port` of the process's reporter. */
  address: string;
  /** The deployment target it runs for. */
  target: string;
  /** The engine (Flink minor version) the target runs, as a job's `engineVersion` names it. */
  engineVersion: string;
  role: FlinkProcessRole;
  /** The process's name in its cluster: `jobmanager`, `taskmanager-2`, a pod's name. */
  process: string;
  /**
   * The one job the process runs (an application cluster, a job's pods); null for a session cluster's
   * processes, which serve every job of the session.
   */
  job: { name: string; flinkJobId: string } | null;
}

/** Where the things a process runs for belong: a job's space, a target's space (undefined: unknown). */
export interface SpacesOf {
  job: (name: string) => string | undefined;
  target: (name: string) => string | undefined;
}

/**
 * One group per process: the labels Sluice knows of it, and its space: its job's, or for a session's
 * processes their target's (the jobs of a session are in its target's space). A process of one job
 * also carries the job's name, the version deployed and the Flink job id. A session cluster's
 * processes carry none of these: they run several jobs, and Flink's own series already name theirs
 * (`job_id` its Flink job id; `job_name` Sluice's `pipeline.name`, the job's name with `_` for
 * characters labels may not hold).
 */
export function scrapeTargetGroups(
  endpoints: FlinkMetricsEndpoint[],
  deployedVersion: (jobName: string) => number | null,
  spaces: SpacesOf = { job: () => undefined, target: () => undefined },
): ScrapeTargetGroup[] {
  return [...endpoints]
    .sort((a, b) => a.target.localeCompare(b.target) || a.address.localeCompare(b.address))
    .map((e) => ({ targets: [e.address], labels: scrapeLabelsOf(e, deployedVersion, spaces) }));
}

/** The labels of one process, the same wherever it runs (a local process, a Kubernetes pod). */
export function scrapeLabelsOf(
  e: Omit<FlinkMetricsEndpoint, 'address'>,
  deployedVersion: (jobName: string) => number | null,
  spaces: SpacesOf,
): ScrapeLabels {
  const version = e.job ? deployedVersion(e.job.name) : null;
  const space = e.job ? spaces.job(e.job.name) : spaces.target(e.target);
  return {
    target: e.target,
    engine_version: e.engineVersion,
    role: e.role,
    process: e.process,
    ...(space === undefined ? {} : { space }),
    ...(e.job
      ? {
          job: e.job.name,
          ...(version === null ? {} : { version: String(version) }),
          flink_job_id: e.job.flinkJobId,
        }
      : {}),
  };
}
