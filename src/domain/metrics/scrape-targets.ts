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

/**
 * One group per process: the labels Sluice knows of it. A process of one job also carries the job's
 * name, the version deployed and the Flink job id. A session cluster's processes carry none of these:
 * they run several jobs, and Flink's own series already name theirs (`job_id` its Flink job id;
 * `job_name` Sluice's `pipeline.name`, the job's name with `_` for characters labels may not hold). There is no `space` label: Sluice has no
 * spaces yet.
 */
export function scrapeTargetGroups(
  endpoints: FlinkMetricsEndpoint[],
  deployedVersion: (jobName: string) => number | null,
): ScrapeTargetGroup[] {
  return [...endpoints]
    .sort((a, b) => a.target.localeCompare(b.target) || a.address.localeCompare(b.address))
    .map((e) => {
      const version = e.job ? deployedVersion(e.job.name) : null;
      return {
        targets: [e.address],
        labels: {
          target: e.target,
          engine_version: e.engineVersion,
          role: e.role,
          process: e.process,
          ...(e.job
            ? {
                job: e.job.name,
                ...(version === null ? {} : { version: String(version) }),
                flink_job_id: e.job.flinkJobId,
              }
            : {}),
        },
      };
    });
}
