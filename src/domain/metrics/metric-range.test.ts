import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { MAX_POINTS, metricRange } from './metric-range.ts';

const now = new Date('2026-12-03T12:00:00Z');
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('not refused');
};

describe('the range of a chart', () => {
  it('defaults to the last hour, about 300 points and never under 15 s', () => {
    expect(metricRange({}, now)).toEqual({
      start: new Date('2026-12-03T11:00:00Z'),
      end: now,
      stepSeconds: 15,
    });
    expect(metricRange({ from: '2026-12-02T12:00:00Z' }, now).stepSeconds).toBe(288);
    expect(metricRange({ from: '2026-12-03T11:59:00Z', to: '2026-12-03T12:00:00Z', step: 1 }, now)).toEqual({
      start: new Date('2026-12-03T11:59:00Z'),
      end: now,
      stepSeconds: 1,
    });
  });

  it('refuses a time that is none, an end not after the start, a step under a second, too many points', () => {
    const bad = refusal(() => metricRange({ from: 'yesterday' }, now));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toMatch(/^from: 'yesterday' is not a time/);
    expect(
      refusal(() => metricRange({ from: '2026-12-03T12:00:00Z', to: '2026-12-03T11:00:00Z' }, now)).message,
    ).toMatch(/^to: the range ends \(2026-12-03T11:00:00.000Z\) before or when it starts/);
    expect(refusal(() => metricRange({ step: 0.5 }, now)).message).toMatch(
      /^step: a step of 0.5 s is under one second/,
    );
    const many = refusal(() => metricRange({ from: '2026-11-03T12:00:00Z', step: 1 }, now));
    expect(many.message).toMatch(
      new RegExp(`more than the ${MAX_POINTS} Prometheus answers: give a step of 236 s or more`),
    );
    // The step it names is enough.
    expect(metricRange({ from: '2026-11-03T12:00:00Z', step: 236 }, now).stepSeconds).toBe(236);
  });
});
