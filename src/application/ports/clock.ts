/** Time as the lifecycle reads it: a test moves it by hand, production reads the system clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** The current time as ISO 8601, as every record keeps it. */
  iso(): string;
  /** Resolves after `ms`, or at once when `signal` aborts (a sleeper woken early, or stopped). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  iso: () => new Date().toISOString(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
