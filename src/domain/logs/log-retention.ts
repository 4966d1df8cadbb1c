/** A run's folder of kept files (logs), as retention sees it. */
export interface RetainedRun {
  /** The run's Flink job id (its folder's name). */
  id: string;
  /** When the run started or was kept (ms): the newest are kept. */
  at: number;
  /** Still going (its cluster runs, or it is being started): never deleted. */
  live: boolean;
}

/** Runs kept per job by default, for their logs (SLUICE_LOG_RETENTION_RUNS). */
export const DEFAULT_LOG_RETENTION_RUNS = 10;

/**
 * The runs to delete so that a job keeps its newest `keep` runs: the older ones, except any still
 * going (a live run is never deleted, and counts among the kept). Oldest last.
 */
export function runsBeyondRetention(runs: RetainedRun[], keep: number): string[] {
  const newestFirst = [...runs].sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
  return newestFirst
    .slice(Math.max(1, keep))
    .filter((r) => !r.live)
    .map((r) => r.id);
}

/**
 * SLUICE_LOG_RETENTION_RUNS read: a whole number of runs, 1 or more; unset gives the default. A bad
 * value is refused with what to give, not silently replaced.
 */
export function parseLogRetentionRuns(value: string | undefined, variable: string): number {
  if (value === undefined || value.trim() === '') return DEFAULT_LOG_RETENTION_RUNS;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new Error(
      `${variable}=${value} is not a number of runs: give a whole number, 1 or more (the newest runs of each job whose logs are kept; default ${DEFAULT_LOG_RETENTION_RUNS})`,
    );
  return Number(value);
}
