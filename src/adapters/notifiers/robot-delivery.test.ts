import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../domain/alerts/alert-notification.ts';
import { ROBOT_RATE_LIMITS } from '../../domain/alerts/rate-window.ts';
import { RobotDelivery, type Clock } from './robot-delivery.ts';

/** A clock whose sleeps pass at once and are recorded. */
const fakeClock = () => {
  const c = { t: 0, slept: [] as number[] };
  const clock: Clock = {
    now: () => c.t,
    sleep: async (ms) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return { c, clock };
};

const n = (i: number): AlertNotification => ({
  status: 'firing',
  severity: 'warning',
  rule: `r${i}`,
  job: 'j',
  summary: `s${i}`,
  value: null,
  startsAt: '2026-12-03T00:00:00Z',
  endsAt: null,
  rootCause: null,
  link: null,
});

describe('robot delivery', () => {
  it('sends 25 notifications to one DingTalk robot in 20 messages, the last merging 6', async () => {
    const { clock } = fakeClock();
    const sent: number[] = [];
    const robots = new RobotDelivery(clock);
    const r = await robots.deliver(
      'u',
      ROBOT_RATE_LIMITS.dingtalk,
      Array.from({ length: 25 }, (_, i) => n(i)),
      async (g) => {
        sent.push(g.length);
        return 'errcode 0';
      },
    );
    expect(r).toEqual({ sent: 20, batched: 6, answer: 'errcode 0' });
    expect(sent).toEqual([...Array<number>(19).fill(1), 6]);
  });

  it('waits for the window of a full robot, and keeps one window per address', async () => {
    const { c, clock } = fakeClock();
    const robots = new RobotDelivery(clock);
    const send = async () => 'ok';
    const twenty = Array.from({ length: 20 }, (_, i) => n(i));
    await robots.deliver('u', ROBOT_RATE_LIMITS.wecom, twenty, send);
    expect(c.slept).toEqual([]);
    expect(await robots.deliver('other', ROBOT_RATE_LIMITS.wecom, [n(1)], send)).toMatchObject({ sent: 1 });
    expect(c.slept).toEqual([]);
    c.t = 30_000;
    // All 20 went at 0: a minute after, the window is empty again and each goes on its own.
    expect(await robots.deliver('u', ROBOT_RATE_LIMITS.wecom, [n(1), n(2)], send)).toEqual({
      sent: 2,
      batched: 0,
      answer: 'ok',
    });
    expect(c.slept).toEqual([30_000]);
  });

  it('paces Lark at 5 messages a second', async () => {
    const { c, clock } = fakeClock();
    const robots = new RobotDelivery(clock);
    await robots.deliver(
      'l',
      ROBOT_RATE_LIMITS.lark,
      Array.from({ length: 7 }, (_, i) => n(i)),
      async () => 'code 0',
    );
    expect(c.slept).toEqual([1000]);
  });

  it('runs deliveries to one address one after the other, and goes on after a refusal', async () => {
    const { clock } = fakeClock();
    const robots = new RobotDelivery(clock);
    const order: string[] = [];
    const first = robots.deliver('u', ROBOT_RATE_LIMITS.dingtalk, [n(1)], async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
      throw new Error('refused');
    });
    const second = robots.deliver('u', ROBOT_RATE_LIMITS.dingtalk, [n(2)], async () => {
      order.push('second');
      return 'ok';
    });
    await expect(first).rejects.toThrow('refused');
    await expect(second).resolves.toMatchObject({ sent: 1 });
    expect(order).toEqual(['first', 'second']);
  });
});
