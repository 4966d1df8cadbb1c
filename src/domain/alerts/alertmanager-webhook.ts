import type { AlertNotification, AlertSeverity } from './alert-notification.ts';
import { ALERT_LABELS, ALERT_SEVERITIES } from './alert-rules.ts';

/** One alert of Alertmanager's webhook payload (version 4). */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint: string;
}

/** Alertmanager's webhook_config payload, version 4: one group of alerts for one receiver. */
export interface AlertmanagerPayload {
  version: string;
  groupKey: string;
  truncatedAlerts?: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** One alert as Sluice reads it: which rule, job and channel, and the notification to send. */
export interface ReceivedAlert {
  fingerprint: string;
  channel: string;
  notification: AlertNotification;
}

/** What Sluice's store knows of a job, for the message: why it last failed. */
export type RootCauseOf = (job: string) => string | null;

/** The time a firing alert has no end: Alertmanager writes Go's zero time, Prometheus a time ahead. */
const endOf = (a: AlertmanagerAlert) => (a.status === 'resolved' ? a.endsAt : null);

/**
 * The alerts of a payload that come from Sluice's rules (those carrying its labels), each as the
 * notification its channel sends: the value from the rule's annotations, the root cause when the job
 * failed, the link to the job's page when the platform's URL is known.
 */
export function receivedAlerts(
  payload: AlertmanagerPayload,
  context: { rootCause: RootCauseOf; consoleUrl: string | null },
): ReceivedAlert[] {
  const received: ReceivedAlert[] = [];
  for (const a of payload.alerts) {
    const rule = a.labels[ALERT_LABELS.rule];
    const channel = a.labels[ALERT_LABELS.channel];
    if (!rule || !channel) continue;
    const job = a.labels[ALERT_LABELS.job] || null;
    const severity = (ALERT_SEVERITIES as readonly string[]).includes(a.labels.severity ?? '')
      ? (a.labels.severity as AlertSeverity)
      : 'warning';
    const base = context.consoleUrl?.replace(/\/+$/, '');
    received.push({
      fingerprint: a.fingerprint,
      channel,
      notification: {
        status: a.status,
        severity,
        rule,
        job,
        summary: a.annotations.summary || `${rule} is ${a.status}`,
        value: a.annotations.value || null,
        startsAt: a.startsAt,
        endsAt: endOf(a),
        rootCause: job && a.labels[ALERT_LABELS.kind] === 'failed' ? context.rootCause(job) : null,
        link: base && job ? `${base}/jobs/${encodeURIComponent(job)}` : null,
      },
    });
  }
  return received;
}
