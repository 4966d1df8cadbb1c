import { describe, expect, it } from 'vitest';
import { alertRuleOf, prometheusRule } from '../alerts/alert-rules.ts';
import { platformGrafanaDashboard } from './grafana-dashboard.ts';
import { platformPanels } from './platform-panels.ts';

describe('the platform panels', () => {
  const panels = platformPanels();
  const query = (id: string) => panels.find((p) => p.id === id)!.query;

  it('asks Sluice’s own series as Prometheus stores them: scraped as job "sluice"', () => {
    expect(query('jobs-by-state')).toBe('sum by (state) (sluice_jobs{job="sluice"} > 0)');
    expect(query('submissions')).toBe(
      'sum by (outcome) (increase(sluice_submissions_total{job="sluice"}[5m]))',
    );
    expect(query('api-latency')).toBe(
      '1000 * histogram_quantile(0.95, sum by (le, route) (rate(sluice_http_request_duration_seconds_bucket{job="sluice"}[5m])))',
    );
    expect(query('tracker-round-duration')).toContain('sluice_tracker_round_duration_seconds_bucket');
  });

  it("names every job's Flink line by Sluice's job name, joined on its Flink job id", () => {
    expect(query('records-out-by-job')).toBe(
      'sum by (exported_job) ((sum by (job_id) (flink_taskmanager_job_task_operator_numRecordsOutPerSecond)) * on (job_id) group_left (exported_job) label_replace(sluice_job_info{job="sluice"}, "job_id", "$1", "flink_job_id", "(.+)"))',
    );
    for (const id of [
      'records-in-by-job',
      'backpressure-by-job',
      'checkpoint-failures-by-job',
      'restarts-by-job',
    ])
      expect(panels.find((p) => p.id === id)).toMatchObject({ legend: 'exported_job', scope: 'platform' });
  });

  it('joins the way the alert rules do', () => {
    // The backpressure rule over a whole space reads the panel's joined series, for that space's jobs.
    const rule = alertRuleOf('bp', { kind: 'backpressure', channel: 'ops' }, '2026-01-01T00:00:00Z');
    expect(prometheusRule(rule).expr).toContain(
      '* on (job_id) group_left (exported_job) label_replace(sluice_job_info{job="sluice", space="default"}',
    );
    expect(query('backpressure-by-job')).toContain(
      '* on (job_id) group_left (exported_job) label_replace(sluice_job_info{job="sluice"}',
    );
  });

  it('exports the same queries as a Grafana dashboard', () => {
    const d = platformGrafanaDashboard(panels);
    expect(d).toMatchObject({ uid: 'sluice-platform', title: 'Sluice platform' });
    expect(d.panels.map((p) => (p.targets as { expr: string }[])[0]!.expr)).toEqual(
      panels.map((p) => p.query),
    );
    expect(d.panels.map((p) => (p.targets as { legendFormat: string }[])[0]!.legendFormat)[0]).toBe(
      '{{state}}',
    );
  });
});
