import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOG_RETENTION,
  DEFAULT_LOG_RETENTION_RUNS,
  parseLogRetentionAge,
  parseLogRetentionRuns,
  retentionText,
  runsBeyondRetention,
  type LogRetention,
} from './log-retention.ts';

const run = (id: string, at: number, live = false) => ({ id, at, live });
const byCount = (runs: number): LogRetention => ({ runs, maxAge: null });
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4);

describe('runsBeyondRetention', () => {
  it('keeps the newest runs and gives the older ones, whatever order they come in', () => {
    const runs = [run('r1', 1), run('r4', 4), run('r2', 2), run('r3', 3)];
    expect(runsBeyondRetention(runs, byCount(2), NOW)).toEqual(['r2', 'r1']);
    expect(runsBeyondRetention(runs, byCount(4), NOW)).toEqual([]);
    expect(runsBeyondRetention(runs, byCount(10), NOW)).toEqual([]);
  });

  it('never deletes a run still going, which counts among the kept', () => {
    const runs = [run('new', 5, true), run('r4', 4), run('old-live', 1, true), run('r2', 2)];
    expect(runsBeyondRetention(runs, byCount(2), NOW)).toEqual(['r2']);
    expect(runsBeyondRetention(runs, byCount(1), NOW)).toEqual(['r4', 'r2']);
  });

  it('keeps at least the newest run by count', () => {
    expect(runsBeyondRetention([run('a', 1), run('b', 2)], byCount(0), NOW)).toEqual(['a']);
  });

  it('deletes the runs older than the age too, whichever limit comes first', () => {
    const retention: LogRetention = { runs: 3, maxAge: { text: '14d', ms: 14 * DAY } };
    const runs = [
      run('today', NOW - DAY / 2),
      run('week', NOW - 7 * DAY),
      run('old', NOW - 15 * DAY),
      run('older', NOW - 20 * DAY),
      run('oldest', NOW - 30 * DAY),
    ];
    // Within the newest 3, 'old' goes by age; beyond them, by count.
    expect(runsBeyondRetention(runs, retention, NOW)).toEqual(['old', 'older', 'oldest']);
    // By count alone the newest one, however old, stays; by age it goes too.
    expect(runsBeyondRetention([run('only', NOW - 15 * DAY)], retention, NOW)).toEqual(['only']);
    // Just at the age: kept.
    expect(runsBeyondRetention([run('edge', NOW - 14 * DAY)], retention, NOW)).toEqual([]);
  });

  it('counts the age from when its logs were last written, and never deletes a run still going', () => {
    const retention: LogRetention = { runs: 10, maxAge: { text: '36h', ms: 36 * 3_600_000 } };
    const runs = [
      // Started a month ago, ran until an hour ago.
      { ...run('long', NOW - 30 * DAY), lastWrittenAt: NOW - 3_600_000 },
      { ...run('ended', NOW - 5 * DAY), lastWrittenAt: NOW - 2 * DAY },
      run('going', NOW - 40 * DAY, true),
    ];
    expect(runsBeyondRetention(runs, retention, NOW)).toEqual(['ended']);
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

describe('parseLogRetentionAge', () => {
  const V = 'SLUICE_LOG_RETENTION';
  it('reads an age with units, 14d when unset, none for 0 or off', () => {
    expect(parseLogRetentionAge(undefined, V)).toEqual({ text: '14d', ms: 14 * DAY });
    expect(parseLogRetentionAge(' ', V)).toEqual(DEFAULT_LOG_RETENTION.maxAge);
    expect(parseLogRetentionAge('36h', V)).toEqual({ text: '36h', ms: 36 * 3_600_000 });
    expect(parseLogRetentionAge('1w3d', V)).toEqual({ text: '1w3d', ms: 10 * DAY });
    expect(parseLogRetentionAge('90m', V)).toEqual({ text: '90m', ms: 90 * 60_000 });
    expect(parseLogRetentionAge('0', V)).toBeNull();
    expect(parseLogRetentionAge('off', V)).toBeNull();
    expect(parseLogRetentionAge('OFF', V)).toBeNull();
  });

  it('refuses anything else, naming the variable, the value and the forms it takes', () => {
    for (const bad of ['14', '14 days', '-1d', '1.5d', 'h', '3d1w', 'never'])
      expect(() => parseLogRetentionAge(bad, V)).toThrow(
        `SLUICE_LOG_RETENTION=${bad} is not an age: give a number with a unit, largest first (w, d, h, m), such as 14d, 36h or 1w3d; or 0 or off for no age limit`,
      );
  });

  it('is said in words in the lines that report deletions', () => {
    expect(retentionText(DEFAULT_LOG_RETENTION)).toBe('10 runs kept, none older than 14d');
    expect(retentionText(byCount(3))).toBe('3 runs kept');
  });
});
