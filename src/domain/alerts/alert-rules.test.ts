import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import {
  ALERT_RULE_KINDS,
  alertRuleOf,
  prometheusRule,
  renderPrometheusRules,
  type AlertRule,
  type AlertRuleInput,
} from './alert-rules.ts';

const NOW = '2026-12-03T10:00:00.000Z';
const rule = (name: string, input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'kind'>): AlertRule =>
  alertRuleOf(name, { channel: 'ops', ...input }, NOW);
const refusal = (name: string, input: AlertRuleInput) => {
  try {
    alertRuleOf(name, input, NOW);
  } catch (e) {
    return { field: (e as SluiceError).details.field, message: (e as Error).message };
  }
  throw new Error('accepted');
};

/** Runs Prometheus's own promtool in a folder holding these files; its exit status and output. */
function promtool(files: Record<string, string>, args: string[]): { status: number | null; out: string } {
  // promtool comes with Debian's prometheus package, which scripts/prerequisites.sh installs.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-rules-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const r = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
    expect(r.error?.message, 'promtool (Debian package prometheus) is not on the PATH').toBeUndefined();
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const EVERY_KIND = ALERT_RULE_KINDS.flatMap((kind) =>
  [null, 'orders'].map((job) =>
    rule(`${kind}-${job ?? 'all'}`, { kind, job, threshold: kind === 'lag' ? 1000 : undefined }),
  ),
);

describe('alert rules', () => {
  it('fills in the defaults of each kind', () => {
    expect(rule('f', { kind: 'failed', job: 'orders' })).toEqual({
      name: 'f',
      job: 'orders',
      space: 'default',
      kind: 'failed',
      threshold: null,
      for: '0s',
      severity: 'warning',
      channel: 'ops',
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(rule('b', { kind: 'backpressure' })).toMatchObject({ threshold: 50, for: '5m', job: null });
    expect(rule('r', { kind: 'restarts', threshold: 3, for: '1h', severity: 'critical' })).toMatchObject({
      threshold: 3,
      for: '1h',
      severity: 'critical',
    });
  });

  it('refuses a wrong field naming it and saying how to fix it', () => {
    expect(refusal('Bad Name', { kind: 'failed', channel: 'ops' })).toMatchObject({ field: 'name' });
    expect(refusal('r', { kind: 'exploded', channel: 'ops' })).toEqual({
      field: 'kind',
      message:
        "kind: 'exploded' is not a kind of rule: give one of failed, not-running, restarts, checkpoint-failures, backpressure, lag, lag-growing, no-output, pods-pending",
    });
    expect(refusal('r', { kind: 'lag', channel: 'ops' })).toMatchObject({
      field: 'threshold',
      message: expect.stringContaining('a lag rule needs a threshold (records)') as string,
    });
    expect(refusal('r', { kind: 'failed', threshold: 2, channel: 'ops' })).toMatchObject({
      field: 'threshold',
    });
    expect(refusal('r', { kind: 'backpressure', threshold: -1, channel: 'ops' })).toMatchObject({
      field: 'threshold',
    });
    expect(refusal('r', { kind: 'failed', for: '5 minutes', channel: 'ops' })).toMatchObject({
      field: 'for',
    });
    // A counting window of zero counts nothing.
    expect(refusal('r', { kind: 'restarts', for: '0s', channel: 'ops' })).toMatchObject({ field: 'for' });
    expect(refusal('r', { kind: 'failed', severity: 'page', channel: 'ops' })).toMatchObject({
      field: 'severity',
    });
    expect(refusal('r', { kind: 'failed', channel: '' })).toMatchObject({ field: 'channel' });
    // The space is a label value in the rule's expression: only a space's name gets there.
    expect(refusal('r', { kind: 'failed', channel: 'ops', space: 'x", job=~".*' })).toMatchObject({
      field: 'space',
    });
  });

  it('makes a rule without a job a rule per space: every job of its space, by the series’ space label', () => {
    const r = rule('web-failed', { kind: 'failed', space: 'web' });
    expect(r).toMatchObject({ job: null, space: 'web' });
    const p = prometheusRule(r);
    expect(p.expr).toBe('sluice_job_state{job="sluice", space="web", state="FAILED"} == 1');
    // The job that fired is named from the alert's own labels.
    expect(p.labels).toMatchObject({ sluice_job: '{{ $labels.exported_job }}', sluice_space: 'web' });
    // Flink's series are picked by the jobs of the space they are joined to.
    expect(prometheusRule(rule('web-bp', { kind: 'backpressure', space: 'web' })).expr).toContain(
      'label_replace(sluice_job_info{job="sluice", space="web"}',
    );
    // A rule on a job keeps to the job, whichever space it is in.
    expect(prometheusRule(rule('o', { kind: 'failed', job: 'orders', space: 'web' })).expr).toBe(
      'sluice_job_state{job="sluice", exported_job="orders", state="FAILED"} == 1',
    );
  });

  it("states a job's state over Sluice's series, and Flink's metrics joined to the job by its Flink job id", () => {
    expect(prometheusRule(rule('orders-failed', { kind: 'failed', job: 'orders' }))).toEqual({
      alert: 'orders-failed',
      expr: 'sluice_job_state{job="sluice", exported_job="orders", state="FAILED"} == 1',
      for: '0s',
      labels: {
        sluice_rule: 'orders-failed',
        sluice_kind: 'failed',
        sluice_job: 'orders',
        sluice_space: 'default',
        sluice_channel: 'ops',
        severity: 'warning',
      },
      annotations: { summary: '{{ $labels.exported_job }} is FAILED', value: '' },
    });
    const bp = prometheusRule(rule('bp', { kind: 'backpressure', threshold: 80 }));
    expect(bp.expr).toBe(
      '(max by (job_id) (flink_taskmanager_job_task_backPressuredTimeMsPerSecond) / 10) * on (job_id) group_left (exported_job) label_replace(sluice_job_info{job="sluice", space="default"}, "job_id", "$1", "flink_job_id", "(.+)") > 80',
    );
    expect(bp.labels.sluice_job).toBe('{{ $labels.exported_job }}');
    // A counting window is the rule's `for`: Prometheus fires as soon as the count is over.
    const restarts = prometheusRule(rule('r', { kind: 'restarts', job: 'orders', threshold: 2, for: '15m' }));
    expect(restarts.expr).toContain('increase(flink_jobmanager_job_numRestarts[15m])');
    expect(restarts.for).toBe('0s');
    expect(prometheusRule(rule('l', { kind: 'lag', threshold: 10 })).expr).toContain(
      '{__name__=~"flink_taskmanager_job_task_operator_(pendingRecords|KafkaSourceReader_KafkaConsumer_records_lag_max)"}',
    );
  });

  it("writes a rule file of every kind that Prometheus's promtool accepts", () => {
    const r = promtool({ 'rules.yml': renderPrometheusRules(EVERY_KIND) }, ['check', 'rules', 'rules.yml']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`SUCCESS: ${EVERY_KIND.length} rules found`);
    expect(promtool({ 'rules.yml': renderPrometheusRules([]) }, ['check', 'rules', 'rules.yml']).status).toBe(
      0,
    );
  });

  it('fires on the series Sluice and Flink serve, as promtool evaluates them', () => {
    const ID = 'a'.repeat(32);
    const OTHER = 'b'.repeat(32);
    // refunds is in space web; orders and clicks in default.
    const WEB = 'c'.repeat(32);
    const rules = [
      rule('orders-failed', { kind: 'failed', job: 'orders' }),
      rule('stuck', { kind: 'not-running', for: '5m' }),
      rule('bp', { kind: 'backpressure', threshold: 50, for: '2m' }),
      rule('quiet', { kind: 'no-output', job: 'clicks', for: '3m' }),
      rule('restarts', { kind: 'restarts', threshold: 1, for: '10m', severity: 'critical' }),
      rule('growing', { kind: 'lag-growing', for: '5m' }),
      rule('waiting', { kind: 'pods-pending', job: 'orders', for: '3m' }),
      rule('web-failed', { kind: 'failed', space: 'web' }),
      rule('web-bp', { kind: 'backpressure', threshold: 50, for: '2m', space: 'web' }),
    ];
    const spaceOf = (job: string) => (job === 'refunds' ? 'web' : 'default');
    const info = (job: string, id: string, desired = 'running') =>
      `sluice_job_info{job="sluice", exported_job="${job}", space="${spaceOf(job)}", target="local", flink_job_id="${id}", desired_state="${desired}"}`;
    const state = (job: string, s: string) =>
      `sluice_job_state{job="sluice", exported_job="${job}", space="${spaceOf(job)}", target="local", state="${s}"}`;
    const common = (r: AlertRule, job: string) => ({
      sluice_rule: r.name,
      sluice_kind: r.kind,
      sluice_job: job,
      sluice_space: r.space,
      sluice_channel: 'ops',
      severity: r.severity,
    });
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: state('orders', 'FAILED'), values: '1x20' },
            { series: info('orders', ID), values: '1x20' },
            { series: state('clicks', 'RUNNING'), values: '1x20' },
            { series: info('clicks', OTHER), values: '1x20' },
            // refunds (space web) is FAILED too, and asked to run.
            { series: state('refunds', 'FAILED'), values: '1x20' },
            { series: info('refunds', WEB), values: '1x20' },
            // orders' busiest subtask: 900 ms of every second back-pressured; clicks' none.
            {
              series: `flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job="flink", job_id="${ID}", task_name="map", subtask_index="0"}`,
              values: '900x20',
            },
            {
              series: `flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job="flink", job_id="${OTHER}", task_name="map", subtask_index="0"}`,
              values: '0x20',
            },
            // clicks sends nothing; orders restarted 3 times.
            {
              series: `flink_taskmanager_job_task_operator_numRecordsOutPerSecond{job="flink", job_id="${OTHER}", operator_name="src"}`,
              values: '0x20',
            },
            { series: `flink_jobmanager_job_numRestarts{job="flink", job_id="${ID}"}`, values: '0 1 2 3x17' },
            // orders' Kafka lag rises by 50 records a minute; clicks' stays where it is.
            {
              series: `flink_taskmanager_job_task_operator_pendingRecords{job="flink", job_id="${ID}", operator_name="src", subtask_index="0"}`,
              values: '100+50x20',
            },
            {
              series: `flink_taskmanager_job_task_operator_pendingRecords{job="flink", job_id="${OTHER}", operator_name="src", subtask_index="0"}`,
              values: '5000x20',
            },
            // Two of orders' pods Pending from minute 2 on, as Sluice's pod watch counts them.
            {
              series:
                'sluice_job_pods_pending{job="sluice", exported_job="orders", space="default", target="k8s"}',
              values: '0 0 2x18',
            },
          ],
          alert_rule_test: [
            {
              eval_time: '1m',
              alertname: 'orders-failed',
              exp_alerts: [
                {
                  exp_labels: {
                    ...common(rules[0]!, 'orders'),
                    job: 'sluice',
                    exported_job: 'orders',
                    space: 'default',
                    target: 'local',
                    state: 'FAILED',
                  },
                  exp_annotations: { summary: 'orders is FAILED', value: '' },
                },
              ],
            },
            // Not RUNNING while asked to run: fires after its 5m, only for orders.
            { eval_time: '4m', alertname: 'stuck', exp_alerts: [] },
            {
              eval_time: '6m',
              alertname: 'stuck',
              exp_alerts: [
                {
                  exp_labels: {
                    ...common(rules[1]!, 'orders'),
                    job: 'sluice',
                    exported_job: 'orders',
                    space: 'default',
                    target: 'local',
                    flink_job_id: ID,
                    desired_state: 'running',
                  },
                  exp_annotations: {
                    summary: 'orders is asked to run and has not been RUNNING for 5m',
                    value: '',
                  },
                },
              ],
            },
            {
              eval_time: '3m',
              alertname: 'bp',
              exp_alerts: [
                {
                  exp_labels: { ...common(rules[2]!, 'orders'), job_id: ID, exported_job: 'orders' },
                  exp_annotations: {
                    summary: 'orders is back-pressured 90% of the time (above 50% for 2m)',
                    value: '90.00 %',
                  },
                },
              ],
            },
            {
              eval_time: '4m',
              alertname: 'quiet',
              exp_alerts: [
                {
                  exp_labels: { ...common(rules[3]!, 'clicks'), job_id: OTHER, exported_job: 'clicks' },
                  exp_annotations: {
                    summary: 'clicks sent 0.0 records/s, not more than 0, for 3m',
                    value: '0.00 records/s',
                  },
                },
              ],
            },
            {
              eval_time: '5m',
              alertname: 'restarts',
              exp_alerts: [
                {
                  exp_labels: { ...common(rules[4]!, 'orders'), job_id: ID, exported_job: 'orders' },
                  exp_annotations: {
                    summary: 'orders restarted 3 times in 10m (more than 1)',
                    value: '3.00 restarts',
                  },
                },
              ],
            },
            {
              eval_time: '6m',
              alertname: 'growing',
              exp_alerts: [
                {
                  exp_labels: { ...common(rules[5]!, 'orders'), job_id: ID, exported_job: 'orders' },
                  exp_annotations: {
                    summary: "orders's Kafka lag grew by 0.8 records/s over 5m (more than 0)",
                    value: '0.83 records/s',
                  },
                },
              ],
            },
            // The rule per space web fires for refunds, its FAILED job, and not for orders (default's).
            {
              eval_time: '1m',
              alertname: 'web-failed',
              exp_alerts: [
                {
                  exp_labels: {
                    ...common(rules[7]!, 'refunds'),
                    job: 'sluice',
                    exported_job: 'refunds',
                    space: 'web',
                    target: 'local',
                    state: 'FAILED',
                  },
                  exp_annotations: { summary: 'refunds is FAILED', value: '' },
                },
              ],
            },
            // orders is back-pressured, but it is not in web: web's rule stays quiet.
            { eval_time: '3m', alertname: 'web-bp', exp_alerts: [] },
            // Pending since minute 2: held 2 of its 3 minutes at 4m, firing at 6m.
            { eval_time: '4m', alertname: 'waiting', exp_alerts: [] },
            {
              eval_time: '6m',
              alertname: 'waiting',
              exp_alerts: [
                {
                  exp_labels: {
                    ...common(rules[6]!, 'orders'),
                    job: 'sluice',
                    exported_job: 'orders',
                    space: 'default',
                    target: 'k8s',
                  },
                  exp_annotations: {
                    summary: 'orders has 2 pods Pending (more than 0) for 3m',
                    value: '2.00 pods',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const r = promtool({ 'rules.yml': renderPrometheusRules(rules), 'test.yml': JSON.stringify(tests) }, [
      'test',
      'rules',
      'test.yml',
    ]);
    expect(r.status, r.out).toBe(0);
  });
});
