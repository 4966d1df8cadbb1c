import { invalid, notFound, SluiceError, saidBy } from '../domain/errors.ts';
import { message, renderMessage } from '../domain/messages.ts';
import { alertRuleOf, type AlertRule, type AlertRuleInput } from '../domain/alerts/alert-rules.ts';
import type { AlertDeliveryResult } from '../domain/alerts/alert-notification.ts';
import {
  receivedAlerts,
  type AlertmanagerPayload,
  type ReceivedAlert,
} from '../domain/alerts/alertmanager-webhook.ts';
import { ALERT_LABELS } from '../domain/alerts/alert-rules.ts';
import type { AlertDelivery, AlertHistoryEntry, AlertRuleStore } from './ports/alerts.ts';
import type { SpaceStore } from './ports/spaces.ts';
import type { JobStore, LifecycleStore } from './ports/store.ts';

/** How many alerts the history lists at most. */
const HISTORY_LIMIT = 200;

export interface AlertRulesOptions {
  /** Writes the rules where Prometheus and Alertmanager read them, and has them reload. */
  apply: (rules: AlertRule[]) => Promise<void>;
  /** The console's address for links in messages (SLUICE_PUBLIC_URL), or null. */
  consoleUrl: string | null;
  log: { warn(line: string): void };
  now?: () => Date;
  /** Tells listeners (the event stream) of each alert about a job as it is kept, so they need not poll. */
  published?: (entry: AlertHistoryEntry & { job: string }) => void;
}

/** What a delivery did, in a line of the history. */
const deliverySaid = (r: AlertDeliveryResult) =>
  `sent in ${r.sent} message${r.sent === 1 ? '' : 's'}${r.batched ? ` (${r.batched} batched)` : ''}`;

/**
 * Alert rules: stored, checked against the jobs and channels they name, handed to Prometheus (which
 * evaluates them) and Alertmanager (which routes their alerts back to Sluice); and the alerts that
 * come back: kept as history and delivered through each rule's channel.
 */
export class AlertRules {
  private readonly now: () => Date;

  constructor(
    private readonly store: AlertRuleStore,
    private readonly jobs: Pick<JobStore, 'getByName'>,
    private readonly lifecycle: Pick<LifecycleStore, 'events'>,
    private readonly delivery: AlertDelivery,
    private readonly spaces: Pick<SpaceStore, 'space' | 'spaceOf'>,
    private readonly options: AlertRulesOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Every rule, or those watching the job: its own and the rules of its space. */
  async list(job?: string): Promise<AlertRule[]> {
    const rules = await this.store.rules();
    if (job === undefined) return rules;
    const space = await this.spaces.spaceOf('job', job);
    return rules.filter((r) => r.job === job || (r.job === null && r.space === space));
  }

  async get(name: string): Promise<AlertRule> {
    const rule = await this.store.rule(name);
    if (!rule) throw notFound('rule', name, message('alert.ruleNotFound', { name }));
    return rule;
  }

  /**
   * Creates or replaces a rule in its space (`input.space`, as the authorization resolved it): on a
   * job of that space, or without a job on every job of it. A wrong field, an unknown space, job or
   * channel, or a job of another space is refused and nothing changes.
   */
  async put(name: string, input: AlertRuleInput): Promise<AlertRule> {
    const now = this.now().toISOString();
    const existing = await this.store.rule(name);
    const rule = alertRuleOf(name, input, now, existing?.createdAt ?? now);
    if (!(await this.spaces.space(rule.space)))
      throw notFound('space', rule.space, message('space.notFound', { space: rule.space }));
    if (rule.job !== null) {
      if (!(await this.jobs.getByName(rule.job)))
        throw notFound('job', rule.job, message('alert.jobNotFound', { job: rule.job }));
      const jobSpace = await this.spaces.spaceOf('job', rule.job);
      if (jobSpace !== undefined && jobSpace !== rule.space)
        throw invalid(
          'job',
          message('alert.jobElsewhere', { job: rule.job, jobSpace, space: rule.space, name }),
        );
    }
    if (!(await this.delivery.exists(rule.channel)))
      throw notFound('channel', rule.channel, message('alert.channelNotFound', { channel: rule.channel }));
    await this.store.saveRule(rule);
    await this.applyAll();
    return rule;
  }

  async remove(name: string): Promise<void> {
    if (!(await this.store.removeRule(name)))
      throw notFound('rule', name, message('alert.ruleNotFound', { name }));
    await this.applyAll();
  }

  /** Hands every rule to Prometheus and Alertmanager; a failure is said in the log, the rules are kept. */
  async applyAll(): Promise<void> {
    try {
      await this.options.apply(await this.store.rules());
    } catch (e) {
      this.options.log.warn(`alert rules are stored but not applied: ${String(saidBy(e))}`);
    }
  }

  /** The alerts that fired and resolved, newest first: every job's, or one job's. */
  async history(job?: string): Promise<AlertHistoryEntry[]> {
    return this.store.history(job ?? null, HISTORY_LIMIT);
  }

  /**
   * Alertmanager's webhook: each alert of Sluice's rules is kept in the history and delivered through
   * its channel (one delivery per channel, the group's alerts together). A channel that refuses is
   * said in the history and the log; the other channels still get theirs.
   */
  async receive(payload: AlertmanagerPayload): Promise<{ received: number; delivered: number }> {
    if (payload.version !== '4')
      throw new SluiceError(
        'invalid_argument',
        message('alert.payloadVersion', { version: payload.version }),
        {
          field: 'version',
        },
      );
    const causes = await this.rootCauses(payload);
    const alerts = receivedAlerts(payload, {
      rootCause: (job) => causes.get(job) ?? null,
      consoleUrl: this.options.consoleUrl,
    });
    const byChannel = new Map<string, ReceivedAlert[]>();
    for (const a of alerts) byChannel.set(a.channel, [...(byChannel.get(a.channel) ?? []), a]);
    let delivered = 0;
    for (const [channel, group] of byChannel) {
      let said: string;
      try {
        said = deliverySaid(
          await this.delivery.deliver(
            channel,
            group.map((a) => a.notification),
          ),
        );
        delivered += group.length;
      } catch (e) {
        const why = saidBy(e);
        said = `not sent: ${typeof why === 'object' ? renderMessage(why) : String(why)}`;
        this.options.log.warn(`alerts of channel ${channel} ${said}`);
      }
      const receivedAt = this.now().toISOString();
      for (const a of group) {
        const entry: AlertHistoryEntry = {
          fingerprint: a.fingerprint,
          rule: a.notification.rule,
          job: a.notification.job,
          channel,
          notification: a.notification,
          delivery: said,
          receivedAt,
        };
        await this.store.recordAlert(entry);
        if (entry.job !== null) this.options.published?.({ ...entry, job: entry.job });
      }
    }
    return { received: alerts.length, delivered };
  }

  /** Why each failed job of the payload last failed, as Sluice's store keeps it. */
  private async rootCauses(payload: AlertmanagerPayload): Promise<Map<string, string>> {
    const causes = new Map<string, string>();
    for (const a of payload.alerts) {
      const name = a.labels[ALERT_LABELS.job];
      if (!name || a.labels[ALERT_LABELS.kind] !== 'failed' || causes.has(name)) continue;
      const job = await this.jobs.getByName(name);
      if (!job) continue;
      const reason =
        job.state === 'FAILED' && job.stateReason
          ? job.stateReason
          : (await this.lifecycle.events(job.id)).filter((e) => e.to === 'FAILED').at(-1)?.reason;
      if (reason) causes.set(name, reason);
    }
    return causes;
  }
}
