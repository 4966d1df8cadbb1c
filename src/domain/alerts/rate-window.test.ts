import { describe, expect, it } from 'vitest';
import { mergedCount, planMessages, RateWindow, ROBOT_RATE_LIMITS } from './rate-window.ts';

describe('robot rate windows', () => {
  it('gives DingTalk 20 messages a minute, room again once the oldest is a minute old', () => {
    const w = new RateWindow(ROBOT_RATE_LIMITS.dingtalk);
    expect(w.room(0)).toBe(20);
    for (let i = 0; i < 20; i++) w.record(i * 1000);
    expect(w.room(20_000)).toBe(0);
    expect(w.waitFor(20_000)).toBe(40_000);
    expect(w.room(60_000)).toBe(1);
    expect(w.waitFor(60_000)).toBe(0);
  });

  it('paces Lark at 5 a second within its 100 a minute', () => {
    const w = new RateWindow(ROBOT_RATE_LIMITS.lark);
    for (let i = 0; i < 5; i++) w.record(1000 + i * 10);
    expect(w.room(1100)).toBe(95);
    expect(w.waitFor(1100)).toBe(900);
    expect(w.waitFor(2000)).toBe(0);
  });

  it('merges what does not fit into the last message instead of dropping it', () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const plan = planMessages(items, 20);
    expect(plan).toHaveLength(20);
    expect(plan.flat()).toEqual(items);
    expect(plan[19]).toEqual([19, 20, 21, 22, 23, 24]);
    expect(mergedCount(plan)).toBe(6);
    expect(planMessages(items.slice(0, 3), 20)).toEqual([[0], [1], [2]]);
    expect(mergedCount(planMessages(items.slice(0, 3), 20))).toBe(0);
    expect(planMessages(items.slice(0, 3), 0)).toEqual([[0, 1, 2]]);
  });
});
