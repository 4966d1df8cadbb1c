import type { AlertmanagerPayload } from '../../src/domain/alerts/alertmanager-webhook.ts';

/** A payload as Alertmanager 0.25's webhook_config posts it (version 4). */
export const alertmanagerPayload = (alerts: AlertmanagerPayload['alerts']): AlertmanagerPayload => ({
  version: '4',
  groupKey: '{}/{sluice_channel="ops"}:{sluice_job="orders", sluice_rule="orders-failed"}',
  truncatedAlerts: 0,
  status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
  receiver: 'sluice-channel-ops',
  groupLabels: { sluice_job: 'orders', sluice_rule: 'orders-failed' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9193',
  alerts,
});

export const failedAlert = (status: 'firing' | 'resolved', job = 'orders') => ({
  status,
  labels: {
    alertname: `${job}-failed`,
    sluice_rule: `${job}-failed`,
    sluice_kind: 'failed',
    sluice_job: job,
    sluice_channel: 'ops',
    severity: 'critical',
    exported_job: job,
    state: 'FAILED',
  },
  annotations: { summary: `${job} is FAILED`, value: '' },
  startsAt: '2026-12-03T10:00:00.000Z',
  endsAt: status === 'resolved' ? '2026-12-03T10:05:00.000Z' : '0001-01-01T00:00:00Z',
  generatorURL: 'http://127.0.0.1:9190/graph',
  fingerprint: `fp-${job}`,
});
