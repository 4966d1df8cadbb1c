/** How a process Sluice runs as its child is restarted when it exits unexpectedly. */
export interface RestartBackoff {
  /** The wait before the first restart, and again once it ran long enough. */
  initialMs: number;
  /** The longest wait: doubling stops there. */
  maxMs: number;
  /** A run at least this long was healthy: the next restart waits `initialMs` again. */
  stableAfterMs: number;
}

/** 1 s doubling to 60 s, back to 1 s after 5 minutes of running. */
export const DEFAULT_RESTART_BACKOFF: RestartBackoff = {
  initialMs: 1_000,
  maxMs: 60_000,
  stableAfterMs: 5 * 60_000,
};

/**
 * How long to wait before restarting a process that just exited after running `ranForMs`, given the
 * wait before its previous restart (null when it never restarted): a process that keeps dying soon
 * after its start is restarted ever more slowly (it would otherwise spin), one that ran for a while
 * is restarted at once.
 */
export function nextRestartDelay(
  previousDelayMs: number | null,
  ranForMs: number,
  policy: RestartBackoff = DEFAULT_RESTART_BACKOFF,
): number {
  if (previousDelayMs === null || ranForMs >= policy.stableAfterMs) return policy.initialMs;
  return Math.min(Math.max(previousDelayMs, policy.initialMs) * 2, policy.maxMs);
}

/** One unexpected exit of a supervised process, and the restart it led to. */
export interface ProcessRestart {
  /** When it exited (ISO 8601). */
  exitedAt: string;
  /** How it ended: `exit code 2`, `signal SIGKILL`, or why it could not be spawned again. */
  exit: string;
  /** How long it had run (s). */
  ranSeconds: number;
  /** The wait before it was started again (s). */
  delaySeconds: number;
}

/** How many restarts a supervised process remembers (its health lists them, newest first). */
export const RESTARTS_KEPT = 10;

/** A supervised process's restarts: how many in all, and the last RESTARTS_KEPT, newest first. */
export interface EmbeddedRestarts {
  count: number;
  recent: ProcessRestart[];
}
