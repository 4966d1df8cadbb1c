/** A growing wait between polls: `firstMs`, then 1.5 times longer each call, at most `maxMs`. */
export function backoff(
  firstMs = 10,
  maxMs = 250,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): () => Promise<void> {
  let next = firstMs;
  return () => {
    const ms = next;
    next = Math.min(maxMs, Math.ceil(next * 1.5));
    return sleep(ms);
  };
}

/** However much a starting cluster keeps changing, its wait gives up after this many of its deadlines. */
export const MOST_DEADLINES = 4;

/**
 * A deadline that moves with progress: the wait gives up once what it watches has not changed for
 * `quietMs` (a cluster that logs and changes state is still starting; on a loaded machine its JVMs
 * take minutes), or `MOST_DEADLINES` times `quietMs` after it began, however much changes (a process
 * that logs the same failing retry forever).
 */
export function progressDeadline(now: () => number, quietMs: number) {
  const began = now();
  let changedAt = began;
  let seen: string | undefined;
  return {
    /** Notes what is seen now; a change is progress. */
    see(what: string): void {
      if (what === seen) return;
      seen = what;
      changedAt = now();
    },
    passed(): boolean {
      const t = now();
      return t - changedAt > quietMs || t - began > MOST_DEADLINES * quietMs;
    },
    /** Whole seconds since the wait began, for the message that says it gave up. */
    seconds(): number {
      return Math.floor((now() - began) / 1000);
    },
  };
}
