import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_RETENTION_RUNS, parseLogRetentionRuns, runsBeyondRetention } from './log-retention.ts';

const run = (id: string, at: number, live = false) => ({ id, at, live });

describe('runsBeyondRetention', () => {
  it('keeps the newest runs and gives the older ones, whatever order they come in', () => {
    const runs = [run('r1', 1), run('r4', 4), run('r2', 2), run('r3', 3)];
    expect(runsBeyondRetention(runs, 2)).toEqual(['r2', 'r1']);
    expect(runsBeyondRetention(runs, 4)).toEqual([]);
    expect(runsBeyondRetention(runs, 10)).toEqual([]);
  });

  it('never deletes a run still going, which counts among the kept', () => {
    const runs = [run('new', 5, true), run('r4', 4), run('old-live', 1, true), run('r2', 2)];
    expect(runsBeyondRetention(runs, 2)).toEqual(['r2']);
    expect(runsBeyondRetention(runs, 1)).toEqual(['r4', 'r2']);
  });

  it('keeps at least the newest run', () => {
    expect(runsBeyondRetention([run('a', 1), run('b', 2)], 0)).toEqual(['a']);
  });
});

describe('parseLogRetentionRuns', () => {
  it('reads a whole number of runs, the default when unset', () => {
    expect(parseLogRetentionRuns(undefined, 'X')).toBe(DEFAULT_LOG_RETENTION_RUNS);
    expect(parseLogRetentionRuns('', 'X')).toBe(DEFAULT_LOG_RETENTION_RUNS);
    expect(parseLogRetentionRuns('3', 'X')).toBe(3);
  });

  it('refuses anything else, naming the variable and what to give', () => {
    for (const bad of ['0', '-1', 'ten', '2.5'])
      expect(() => parseLogRetentionRuns(bad, 'SLUICE_LOG_RETENTION_RUNS')).toThrow(
        `SLUICE_LOG_RETENTION_RUNS=${bad} is not a number of runs: give a whole number, 1 or more`,
      );
  });
});
