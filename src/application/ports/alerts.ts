import type { AlertDeliveryResult, AlertNotification } from '../../domain/alerts/alert-notification.ts';
import type { AlertRule } from '../../domain/alerts/alert-rules.ts';
import type { EmbeddedRestarts } from '../../domain/supervision/restart-backoff.ts';
import type { Message } from '../../domain/messages.ts';
import type { AlertmanagerMode } from '../../domain/alerts/alertmanager-settings.ts';

/**
 * Where alert rules send their messages: the alert channels (stored and sent by the channels' use case).
 * `deliver` throws naming the channel and the receiver's answer when it refuses.
 */
export interface AlertDelivery {
  deliver(channel: string, notifications: AlertNotification[]): Promise<AlertDeliveryResult>;
  exists(channel: string): Promise<boolean>;
}

/** One alert as it fired and resolved: what the history lists. */
export interface AlertHistoryEntry {
  /** Alertmanager's fingerprint of the alert's labels; with `startsAt`, one entry per firing. */
  fingerprint: string;
  rule: string;
  job: string | null;
  channel: string;
  notification: AlertNotification;
  /** How the last message about it went: "sent in 1 message", or why it was not sent. */
  delivery: string;
  /** When Sluice last heard of it. */
  receivedAt: string;
}

/** The stored rules and the history of their alerts. */
export interface AlertRuleStore {
  rules(): Promise<AlertRule[]>;
  rule(name: string): Promise<AlertRule | undefined>;
  /** A new one lands in its `space` in the same write, a space that is not there refusing it with nothing written; an existing one keeps its space. */
  saveRule(rule: AlertRule): Promise<void>;
  removeRule(name: string): Promise<boolean>;
  /** Adds the entry, or updates the one of the same fingerprint and start (it resolved, was sent again). */
  recordAlert(entry: AlertHistoryEntry): Promise<void>;
  /** Newest first, at most `limit`; only the job's when `job` is given. */
  history(job: string | null, limit: number): Promise<AlertHistoryEntry[]>;
}

/** What health says of the Alertmanager in use. */
export interface AlertmanagerStatus {
  mode: AlertmanagerMode;
  url: string | null;
  ready: boolean;
  problem: Message | null;
  /** The embedded one's unexpected exits and restarts (none for the user's or none). */
  restarts: EmbeddedRestarts;
}

/**
 * The Alertmanager the platform uses: the embedded one is started with Prometheus and stopped with the
 * platform; the user's is only checked (Sluice writes the configuration to give it).
 */
export interface AlertmanagerServer {
  /** Picks its address and starts it (embedded) or checks it; failures are kept for `status`. */
  start(sluiceUrl: string): Promise<void>;
  url(): string | null;
  status(): Promise<AlertmanagerStatus>;
  /** Writes its configuration for these rules and has it reload (embedded); writes it only (external). */
  configure(rules: AlertRule[]): Promise<void>;
  /** Where Sluice writes the configuration (for the user's Alertmanager to be given). */
  readonly configFile: string | null;
  stop(): Promise<void>;
}

/** Prometheus's side: the rule file written and the (embedded) Prometheus reloaded. */
export interface AlertRuleEvaluator {
  /** Writes the rule file; reloads the embedded Prometheus when it runs. */
  configure(rules: AlertRule[]): Promise<void>;
}
