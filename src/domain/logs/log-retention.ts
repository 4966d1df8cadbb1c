import { prometheusDurationMs } from '../metrics/prometheus-settings.ts';

/** A run's folder of kept files (logs), as retention sees it. */
export interface RetainedRun {
  /** The run's Flink job id (its folder's name). */
  id: string;
  /** When the run started or was kept (ms): the newest are kept. */
  at: number;
  /** When its logs were last written (ms), which its age counts from; `at` when not known apart. */
  lastWrittenAt?: number;
  /** Still going (its cluster runs, or it is being started): never deleted. */
  live: boolean;
}

/** Runs kept per job by default, for their logs (SLUICE_LOG_RETENTION_RUNS). */
export const DEFAULT_LOG_RETENTION_RUNS = 10;

/** How long a run's logs are kept by default (SLUICE_LOG_RETENTION). */
export const DEFAULT_LOG_RETENTION_AGE = '14d';

/** How the logs of past runs are kept, per job: the newest `runs`, none older than `maxAge`. */
export interface LogRetention {
  runs: number;
  /** null: no age limit (SLUICE_LOG_RETENTION=0 or off). */
  maxAge: { text: string; ms: number } | null;
}

export const DEFAULT_LOG_RETENTION: LogRetention = {
  runs: DEFAULT_LOG_RETENTION_RUNS,
  maxAge: { text: DEFAULT_LOG_RETENTION_AGE, ms: 14 * 86_400_000 },
};

/** The retention in words, for the lines that say what was deleted: "10 runs kept, none older than 14d". */
export const retentionText = (r: LogRetention): string =>
  `${r.runs} runs kept${r.maxAge ? `, none older than ${r.maxAge.text}` : ''}`;

/**
 * The runs to delete: those beyond the job's newest `retention.runs`, and those whose logs were last
 * written longer than `retention.maxAge` before `now`, whichever comes first; never a run still going
 * (it counts among the kept). Newest first.
 */
export function runsBeyondRetention(runs: RetainedRun[], retention: LogRetention, now: number): string[] {
  const newestFirst = [...runs].sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
  const keep = Math.max(1, retention.runs);
  const maxAge = retention.maxAge?.ms;
  return newestFirst
    .filter(
      (r, i) => !r.live && (i >= keep || (maxAge !== undefined && now - (r.lastWrittenAt ?? r.at) > maxAge)),
    )
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

/**
 * SLUICE_LOG_RETENTION read: how old a run's logs may grow, as a duration (14d, 36h, 1w3d, 90m);
 * 0 or off for no age limit; unset gives the default (14d). A bad value is refused naming the
 * variable, the value and the forms it takes.
 */
export function parseLogRetentionAge(value: string | undefined, variable: string): LogRetention['maxAge'] {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_LOG_RETENTION.maxAge;
  if (text === '0' || text.toLowerCase() === 'off') return null;
  const ms = prometheusDurationMs(text);
  if (!ms)
    throw new Error(
      `${variable}=${value} is not an age: give a number with a unit, largest first (w, d, h, m), such as 14d, 36h or 1w3d; or 0 or off for no age limit (the logs of a job's past runs older than this are deleted; default ${DEFAULT_LOG_RETENTION_AGE})`,
    );
  return { text, ms };
}
