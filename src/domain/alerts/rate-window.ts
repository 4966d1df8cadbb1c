/**
 * The chat robots refuse messages beyond a rate (DingTalk answers errcode 130101 "send too fast").
 * A sender keeps one window per robot address and, when a delivery holds more notifications than
 * the window has room for, merges the rest into one message rather than dropping them or failing.
 */

export interface RateLimit {
  perMinute: number;
  /** A second limit within the minute (Lark: 5 a second), or null. */
  perSecond: number | null;
}

/**
 * DingTalk: 20 messages a minute per robot (open.dingtalk.com, "自定义机器人发送群消息" limits);
 * WeCom: 20 a minute per robot (developer.work.weixin.qq.com/document/path/91770, "消息发送频率限制");
 * Lark/Feishu: 100 a minute and 5 a second per bot (open.feishu.cn bot-v3/add-custom-bot, "使用限制").
 */
export const ROBOT_RATE_LIMITS = {
  dingtalk: { perMinute: 20, perSecond: null },
  wecom: { perMinute: 20, perSecond: null },
  lark: { perMinute: 100, perSecond: 5 },
} as const satisfies Record<string, RateLimit>;

const MINUTE = 60_000;
const SECOND = 1_000;

/** The requests sent to one robot in the last minute. Times are milliseconds (Date.now()). */
export class RateWindow {
  private sent: number[] = [];

  constructor(readonly limit: RateLimit) {}

  private forget(now: number): void {
    this.sent = this.sent.filter((t) => now - t < MINUTE);
  }

  /** How many requests may still go in the current minute. */
  room(now: number): number {
    this.forget(now);
    return Math.max(0, this.limit.perMinute - this.sent.length);
  }

  /** Milliseconds to wait before one more request may go (0: now), for both limits. */
  waitFor(now: number): number {
    this.forget(now);
    let wait = 0;
    if (this.sent.length >= this.limit.perMinute)
      wait = this.sent[this.sent.length - this.limit.perMinute]! + MINUTE - now;
    const perSecond = this.limit.perSecond;
    if (perSecond !== null) {
      const lastSecond = this.sent.filter((t) => now - t < SECOND);
      if (lastSecond.length >= perSecond)
        wait = Math.max(wait, lastSecond[lastSecond.length - perSecond]! + SECOND - now);
    }
    return Math.max(0, wait);
  }

  record(now: number): void {
    this.sent.push(now);
  }
}

/**
 * The messages to send for `items` when `room` requests may go: one item per message while there is
 * room, the last message merging all that remain. `room` below 1 is taken as 1 (the caller waits for
 * a slot first).
 */
export function planMessages<T>(items: readonly T[], room: number): T[][] {
  const slots = Math.max(1, room);
  if (items.length <= slots) return items.map((i) => [i]);
  return [...items.slice(0, slots - 1).map((i) => [i]), items.slice(slots - 1)];
}

/** How many notifications the plan merged: those in messages of more than one. */
export const mergedCount = <T>(plan: readonly T[][]): number =>
  plan.filter((m) => m.length > 1).reduce((n, m) => n + m.length, 0);
