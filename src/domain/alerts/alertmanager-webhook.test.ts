import { describe, expect, it } from 'vitest';
import { receivedAlerts } from './alertmanager-webhook.ts';
import { alertmanagerPayload, failedAlert } from '../../../test/support/alertmanager.ts';

describe("Alertmanager's webhook payload", () => {
  it('turns each alert of a Sluice rule into the notification its channel sends', () => {
    const bp = {
      ...failedAlert('firing', 'clicks'),
      labels: {
        sluice_rule: 'bp',
        sluice_kind: 'backpressure',
        sluice_job: 'clicks',
        sluice_channel: 'pager',
        severity: 'bogus',
      },
      annotations: { summary: 'clicks is back-pressured 90% of the time', value: '90.00 %' },
    };
    const foreign = { ...failedAlert('firing'), labels: { alertname: 'NodeDown' } };
    const got = receivedAlerts(alertmanagerPayload([failedAlert('firing'), bp, foreign]), {
      rootCause: (job) =>
        job === 'orders' ? 'java.lang.NumberFormatException: For input string: "x11"' : null,
      consoleUrl: 'https://sluice.example.com/',
    });
    expect(got).toEqual([
      {
        fingerprint: 'fp-orders',
        channel: 'ops',
        notification: {
          status: 'firing',
          severity: 'critical',
          rule: 'orders-failed',
          job: 'orders',
          summary: 'orders is FAILED',
          value: null,
          startsAt: '2026-12-03T10:00:00.000Z',
          endsAt: null,
          rootCause: 'java.lang.NumberFormatException: For input string: "x11"',
          link: 'https://sluice.example.com/jobs/orders',
        },
      },
      {
        fingerprint: 'fp-clicks',
        channel: 'pager',
        notification: expect.objectContaining({
          rule: 'bp',
          severity: 'warning',
          value: '90.00 %',
          // A root cause only for a job that failed.
          rootCause: null,
        }) as object,
      },
    ]);
  });

  it('gives a resolved alert its end, and no link without the platform URL', () => {
    const [a] = receivedAlerts(alertmanagerPayload([failedAlert('resolved')]), {
      rootCause: () => null,
      consoleUrl: null,
    });
    expect(a!.notification).toMatchObject({
      status: 'resolved',
      endsAt: '2026-12-03T10:05:00.000Z',
      link: null,
    });
  });
});
