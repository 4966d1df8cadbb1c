import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_BACKOFF, nextRestartDelay } from './restart-backoff.ts';

describe('nextRestartDelay', () => {
  it('waits 1 s before the first restart, however long it ran', () => {
    expect(nextRestartDelay(null, 0)).toBe(1_000);
    expect(nextRestartDelay(null, 3_600_000)).toBe(1_000);
  });

  it('doubles while it keeps dying soon after its start, up to 60 s', () => {
    const delays: number[] = [];
    let delay: number | null = null;
    for (let i = 0; i < 9; i++) {
      delay = nextRestartDelay(delay, 2_000);
      delays.push(delay);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('starts again at 1 s once a run lasted 5 minutes', () => {
    expect(nextRestartDelay(60_000, 5 * 60_000 - 1)).toBe(60_000);
    expect(nextRestartDelay(60_000, 5 * 60_000)).toBe(1_000);
    expect(nextRestartDelay(16_000, 10 * 60_000)).toBe(1_000);
  });

  it('follows the policy it is given', () => {
    const policy = { initialMs: 500, maxMs: 3_000, stableAfterMs: 10_000 };
    expect(nextRestartDelay(null, 0, policy)).toBe(500);
    expect(nextRestartDelay(500, 9_999, policy)).toBe(1_000);
    expect(nextRestartDelay(2_000, 0, policy)).toBe(3_000);
    expect(nextRestartDelay(3_000, 10_000, policy)).toBe(500);
    expect(DEFAULT_RESTART_BACKOFF).toEqual({ initialMs: 1_000, maxMs: 60_000, stableAfterMs: 300_000 });
  });
});
