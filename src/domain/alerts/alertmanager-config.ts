import { ALERT_LABELS } from './alert-rules.ts';
import type { AlertRouting } from './alertmanager-settings.ts';

/** The path of Sluice's receiver of Alertmanager's webhook (webhook_config, payload version 4). */
export const ALERTMANAGER_WEBHOOK_PATH = '/api/v1/alerts/alertmanager';

export interface AlertmanagerConfigInput {
  /** Sluice's API as Alertmanager reaches it: `http://127.0.0.1:8080`. */
  sluiceUrl: string;
  /** The channels the rules name: one route each. */
  channels: string[];
  routing: AlertRouting;
  /** The file with the API token the webhook sends to Sluice (owner-only; Alertmanager reads it at each call). */
  credentialsFile: string;
}

// A YAML scalar: JSON's double-quoted strings are YAML's too.
const q = (s: string) => JSON.stringify(s);
// A matcher's value in Alertmanager's own syntax (label="value"), as a YAML string.
const matcher = (label: string, op: '=' | '!=', value: string) => q(`${label}${op}${JSON.stringify(value)}`);

/** The receiver of one channel's alerts. */
export const channelReceiver = (channel: string) => `sluice-channel-${channel}`;

/**
 * Alertmanager's alertmanager.yml: alerts are grouped by rule and job, one route per channel (by the
 * `sluice_channel` label every rule puts on its alerts) to a receiver that is Sluice's own webhook,
 * which delivers through that channel. A job's FAILED alert inhibits its other alerts (a failed job
 * also has no output, restarts, lags). Silences are Alertmanager's own (amtool, its UI).
 */
export function renderAlertmanagerConfig(i: AlertmanagerConfigInput): string {
  const url = `${i.sluiceUrl.replace(/\/+$/, '')}${ALERTMANAGER_WEBHOOK_PATH}`;
  const channels = [...new Set(i.channels)].sort();
  const lines = [
    '# Written by Sluice from its alert rules (sluice alert rule ...): edits here are overwritten.',
    'route:',
    // Alerts of no channel Sluice knows (none should reach here) go nowhere.
    '  receiver: "sluice-none"',
    `  group_by: [${q(ALERT_LABELS.rule)}, ${q(ALERT_LABELS.job)}]`,
    `  group_wait: ${q(i.routing.groupWait)}`,
    `  group_interval: ${q(i.routing.groupInterval)}`,
    `  repeat_interval: ${q(i.routing.repeatInterval)}`,
    `  routes:${channels.length ? '' : ' []'}`,
  ];
  for (const c of channels)
    lines.push(
      `    - receiver: ${q(channelReceiver(c))}`,
      `      matchers: [${matcher(ALERT_LABELS.channel, '=', c)}]`,
    );
  lines.push('receivers:', '  - name: "sluice-none"');
  for (const c of channels)
    lines.push(
      `  - name: ${q(channelReceiver(c))}`,
      '    webhook_configs:',
      `      - url: ${q(url)}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      `            credentials_file: ${q(i.credentialsFile)}`,
    );
  lines.push(
    'inhibit_rules:',
    `  - source_matchers: [${matcher(ALERT_LABELS.kind, '=', 'failed')}]`,
    `    target_matchers: [${matcher(ALERT_LABELS.kind, '!=', 'failed')}]`,
    `    equal: [${q(ALERT_LABELS.job)}]`,
    '',
  );
  return lines.join('\n');
}
