import { describe, expect, it } from 'vitest';
import { MOST_DEADLINES, progressDeadline } from './waits.ts';

describe('progressDeadline', () => {
  it('passes once nothing changed for its quiet time, counted from the last change', () => {
    let t = 0;
    const d = progressDeadline(() => t, 90_000);
    d.see('0/2 running');
    t = 80_000;
    d.see('1/2 running');
    t = 169_000;
    d.see('1/2 running');
    expect(d.passed()).toBe(false);
    t = 170_001;
    expect(d.passed()).toBe(true);
    expect(d.seconds()).toBe(170);
  });

  it('passes after its most time however much changes', () => {
    let t = 0;
    const d = progressDeadline(() => t, 1000);
    for (; t <= MOST_DEADLINES * 1000; t += 500) {
      d.see(`retry at ${t}`);
      expect(d.passed()).toBe(false);
    }
    d.see('one more retry');
    t += 1;
    expect(d.passed()).toBe(true);
  });
});
