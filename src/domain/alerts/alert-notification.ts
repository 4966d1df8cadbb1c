/**
 * What an alert says and where it goes: the contract between the alert rules (evaluated by Prometheus,
 * routed by Alertmanager, received by Sluice) and the channels that carry a message to people.
 */

/** The kinds of channel a message can go through; the same words in the CLI (`--type`) and the console. */
export const ALERT_CHANNEL_TYPES = ['webhook', 'dingtalk', 'wecom', 'lark', 'email'] as const;
export type AlertChannelType = (typeof ALERT_CHANNEL_TYPES)[number];

export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One alert, firing or resolved, as every channel renders it in its own format. */
export interface AlertNotification {
  status: 'firing' | 'resolved';
  severity: AlertSeverity;
  /** The rule's name. */
  rule: string;
  /** The Sluice job it is about, when the rule is about one. */
  job: string | null;
  /** One line: what happened ("orders is FAILED", "checkpoint failures 3 > 0 for 5m"). */
  summary: string;
  /** The value that crossed the threshold, formatted with its unit; null for state rules. */
  value: string | null;
  /** When it started firing (ISO 8601). */
  startsAt: string;
  /** When it resolved (ISO 8601); null while firing. */
  endsAt: string | null;
  /** Flink's root cause when the job failed, first line first; null otherwise. */
  rootCause: string | null;
  /** The job's page in the console, or null when the platform's public URL is not known. */
  link: string | null;
}

/** A channel's settings by type. Secret fields hold the value itself: the store keeps them sealed. */
export type AlertChannelSettings =
  | { type: 'webhook'; url: string }
  /** DingTalk custom robot: `url` carries access_token; `secret` turns on "加签" signing. */
  | { type: 'dingtalk'; url: string; secret: string | null }
  /** WeCom group robot: `url` carries key. */
  | { type: 'wecom'; url: string }
  /** Lark/Feishu custom bot: `secret` turns on signature verification. */
  | { type: 'lark'; url: string; secret: string | null }
  | {
      type: 'email';
      host: string;
      port: number;
      /** STARTTLS or implicit TLS as the server offers; false only for a local test server. */
      tls: boolean;
      username: string | null;
      password: string | null;
      from: string;
      to: string[];
    };

/** What a delivery did: sent in how many requests/messages, or why not. */
export interface AlertDeliveryResult {
  /** Requests (robots, webhook) or mails sent. */
  sent: number;
  /** Notifications merged into fewer messages to stay within the channel's rate limit. */
  batched: number;
  /** What the receiver said to the last message (its result code, HTTP status and body, the SMTP reply). */
  answer?: string;
}

/**
 * Sends notifications through one channel. Throws a message naming the channel type, the receiver's
 * answer (HTTP status and body, DingTalk's errcode/errmsg, the SMTP reply) when it refuses.
 */
export interface AlertNotifier {
  send(settings: AlertChannelSettings, notifications: AlertNotification[]): Promise<AlertDeliveryResult>;
}
