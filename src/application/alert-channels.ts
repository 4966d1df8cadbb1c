import {
  channelSettings,
  channelView,
  checkChannelName,
  isChannelType,
  SECRET_FIELDS,
  type AlertChannel,
  type AlertChannelInput,
  type AlertChannelView,
} from '../domain/alerts/alert-channel.ts';
import type {
  AlertChannelSettings,
  AlertChannelType,
  AlertDeliveryResult,
  AlertNotification,
  AlertNotifier,
} from '../domain/alerts/alert-notification.ts';
import { testNotification } from '../domain/alerts/channel-messages.ts';
import { notFound, saidBy, SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import type { AlertChannelStore, StoredAlertChannel } from './ports/alert-channels.ts';
import type { SecretSealer } from './ports/secrets.ts';

/** What the test button reports: the channel, what was sent, and what the receiver answered. */
export interface AlertChannelTestResult extends AlertDeliveryResult {
  channel: string;
  type: AlertChannelType;
  answer: string;
}

/**
 * The channels alert messages go through: stored with their secrets sealed, shown masked, tested on
 * demand, and used by the alert rules (`deliver`) to send what Alertmanager routes to them.
 */
export class AlertChannelService {
  constructor(
    private readonly store: { alertChannels: AlertChannelStore },
    private readonly box: SecretSealer,
    private readonly notifier: AlertNotifier,
  ) {}

  async list(): Promise<AlertChannelView[]> {
    return (await this.store.alertChannels.list()).map((c) => channelView(this.opened(c)));
  }

  async get(name: string): Promise<AlertChannelView> {
    return channelView(await this.channel(name));
  }

  /** Creates or replaces a channel; secret fields left out keep their stored values (same type). */
  async save(name: string, input: AlertChannelInput): Promise<AlertChannelView> {
    checkChannelName(name);
    const stored = await this.store.alertChannels.get(name);
    const settings = channelSettings(input, stored ? this.opened(stored).settings : null);
    await this.store.alertChannels.save({ name, type: settings.type, settings: this.sealed(settings) });
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    if (!(await this.store.alertChannels.remove(name))) throw this.missing(name);
  }

  /** Sends a test notification and says what the receiver answered; a refusal is an error naming it. */
  async test(name: string): Promise<AlertChannelTestResult> {
    const c = await this.channel(name);
    const result = await this.send(c, [testNotification(name, new Date(), null)]);
    return { channel: name, type: c.settings.type, ...result, answer: result.answer ?? '' };
  }

  /** Sends notifications through the named channel (what the alert rules call for each routed alert). */
  async deliver(channelName: string, notifications: AlertNotification[]): Promise<AlertDeliveryResult> {
    if (!notifications.length) return { sent: 0, batched: 0 };
    return this.send(await this.channel(channelName), notifications);
  }

  private async send(c: AlertChannel, notifications: AlertNotification[]): Promise<AlertDeliveryResult> {
    try {
      return await this.notifier.send(c.settings, notifications);
    } catch (e) {
      const code = e instanceof SluiceError ? e.code : 'receiver_refused';
      throw new SluiceError(
        code,
        message('alertChannel.deliveryFailed', { channel: c.name, cause: saidBy(e) }),
        {
          ...(e instanceof SluiceError ? e.details : {}),
          channel: c.name,
        },
      );
    }
  }

  private async channel(name: string): Promise<AlertChannel> {
    const stored = await this.store.alertChannels.get(name);
    if (!stored) throw this.missing(name);
    return this.opened(stored);
  }

  private missing(name: string): SluiceError {
    return notFound('channel', name, message('alertChannel.notFound', { channel: name }));
  }

  private sealed(settings: AlertChannelSettings): string {
    const out: Record<string, unknown> = { ...settings };
    for (const f of SECRET_FIELDS[settings.type])
      if (typeof out[f] === 'string') out[f] = this.box.seal(out[f]);
    return JSON.stringify(out);
  }

  private opened(c: StoredAlertChannel): AlertChannel {
    const raw = JSON.parse(c.settings) as Record<string, unknown>;
    if (!isChannelType(c.type))
      throw new SluiceError(
        'internal',
        message('platform.unexpected', {
          detail: `alert channel ${c.name} has type ${c.type}, which this version does not know`,
        }),
      );
    for (const f of SECRET_FIELDS[c.type])
      if (typeof raw[f] === 'string') raw[f] = this.box.open(raw[f], `${c.name} (alert channel ${f})`);
    return {
      name: c.name,
      settings: { ...raw, type: c.type } as AlertChannelSettings,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }
}
