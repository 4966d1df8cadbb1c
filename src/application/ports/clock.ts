/** Time as the lifecycle reads it: a test moves it by hand, production reads the system clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** The current time as ISO 8601, as every record keeps it. */
  iso(): string;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  iso: () => new Date().toISOString(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
