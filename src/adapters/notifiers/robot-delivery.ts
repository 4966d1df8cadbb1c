import type { AlertDeliveryResult, AlertNotification } from '../../domain/alerts/alert-notification.ts';
import type { MergeReason } from '../../domain/alerts/channel-messages.ts';
import { mergedCount, planMessages, RateWindow, type RateLimit } from '../../domain/alerts/rate-window.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sends one message to a robot and returns what it answered. */
export type SendMessage = (notifications: AlertNotification[], merged: MergeReason | null) => Promise<string>;

/**
 * Delivers to rate-limited robots: one window per robot address (shared by every channel naming it),
 * deliveries to one address one after the other, so that two at once cannot both take the last slot.
 */
export class RobotDelivery {
  private readonly windows = new Map<string, RateWindow>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly clock: Clock = realClock) {}

  deliver(
    address: string,
    limit: RateLimit,
    notifications: AlertNotification[],
    send: SendMessage,
  ): Promise<AlertDeliveryResult> {
    const before = this.queues.get(address) ?? Promise.resolve();
    const run = before.catch(() => {}).then(() => this.deliverNow(address, limit, notifications, send));
    const settled = run.catch(() => {});
    this.queues.set(address, settled);
    void settled.then(() => {
      if (this.queues.get(address) === settled) this.queues.delete(address);
    });
    return run;
  }

  private async deliverNow(
    address: string,
    limit: RateLimit,
    notifications: AlertNotification[],
    send: SendMessage,
  ): Promise<AlertDeliveryResult> {
    let window = this.windows.get(address);
    if (!window) this.windows.set(address, (window = new RateWindow(limit)));
    // A full window: wait for its first slot (at most a minute) rather than drop or be refused.
    if (window.room(this.clock.now()) === 0) await this.clock.sleep(window.waitFor(this.clock.now()));
    const plan = planMessages(notifications, window.room(this.clock.now()));
    let answer = '';
    for (const group of plan) {
      const wait = window.waitFor(this.clock.now());
      if (wait > 0) await this.clock.sleep(wait);
      window.record(this.clock.now());
      answer = await send(group, group.length > 1 ? { perMinute: limit.perMinute } : null);
    }
    return { sent: plan.length, batched: mergedCount(plan), answer };
  }
}
