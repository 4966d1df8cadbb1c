import { checkSpaceName, DEFAULT_SPACE } from '../access/spaces.ts';
import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { prometheusDurationMs } from '../metrics/prometheus-settings.ts';
import { byJobName, FLINK_SERIES, kafkaLagQuery, quoted, SLUICE_SCRAPE } from '../metrics/job-panels.ts';
import type { AlertSeverity } from './alert-notification.ts';

/**
 * Alert rules as Sluice stores them, and their translation into Prometheus alerting rules: what
 * Prometheus evaluates, Alertmanager routes (by the `channel` label) and Sluice receives back.
 */

/** What a rule watches; the same words in the CLI (`--when`), the API (`kind`) and the console. */
export const ALERT_RULE_KINDS = [
  'failed',
  'not-running',
  'restarts',
  'checkpoint-failures',
  'backpressure',
  'lag',
  'lag-growing',
  'no-output',
  'pods-pending',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

export interface AlertRule {
  name: string;
  /** The job it watches, or null for a rule per space: every job of `space`, present and future. */
  job: string | null;
  /** The space the rule belongs to: the one whose every job it watches when `job` is null. */
  space: string;
  kind: AlertRuleKind;
  /** The value the kind compares with (see KINDS), or null for the state kinds. */
  threshold: number | null;
  /** A Prometheus duration: how long the condition holds before it fires, or the window counted in. */
  for: string;
  severity: AlertSeverity;
  /** The alert channel its messages go through. */
  channel: string;
  createdAt: string;
  updatedAt: string;
}

/** A rule as asked for: what is left out takes the kind's default. */
export interface AlertRuleInput {
  job?: string | null | undefined;
  /** The rule's space (default: default); without a job, it watches all of it. */
  space?: string | undefined;
  kind: string;
  threshold?: number | null | undefined;
  for?: string | undefined;
  severity?: string | undefined;
  channel: string;
}

/** What a kind takes, for the forms and messages that ask for a rule (the console's, the CLI's). */
export interface AlertKindSettings {
  /** The threshold's default; undefined: it must be given; null: the kind takes none. */
  threshold: number | null | undefined;
  /** The `for` default. */
  for: string;
  /** `window`: `for` is the window counted over (Prometheus fires at once); `hold`: Prometheus's `for`. */
  forIs: 'window' | 'hold';
  /** What the threshold is, for messages and the summary. */
  unit: string;
}

interface KindSpec extends AlertKindSettings {
  /** The condition over the job's (or every job's) series. */
  expr: (j: JobMatch, threshold: number, window: string) => string;
  /** One line for the message, with Prometheus's template variables. */
  summary: (threshold: number, window: string) => string;
}

/** A Kafka source's lag series of the job(s), per series (partition, subtask): `lag` and `lag-growing` read the same. */
const kafkaLag = `{__name__=~"${FLINK_SERIES.kafkaLag}"}`;

/**
 * How a rule's expression picks its jobs: `exported_job` on Sluice's series for a job, their `space`
 * label for a whole space (so a job made later is watched without the rules being written again).
 */
interface JobMatch {
  /** The label matchers of Sluice's own series for the job(s), without braces. */
  sluice: string;
  /** Flink's series of the job(s): the expression by Flink's `job_id`, joined to Sluice's job name. */
  flink: (byJobId: string) => string;
}

function jobMatch(rule: Pick<AlertRule, 'job' | 'space'>): JobMatch {
  const sluice = `${SLUICE_SCRAPE}, ${rule.job === null ? `space=${quoted(rule.space)}` : `exported_job=${quoted(rule.job)}`}`;
  return { sluice, flink: (byJobId) => byJobName(byJobId, sluice) };
}

const KINDS: Record<AlertRuleKind, KindSpec> = {
  failed: {
    threshold: null,
    for: '0s',
    forIs: 'hold',
    unit: '',
    expr: (j) => `sluice_job_state{${j.sluice}, state="FAILED"} == 1`,
    summary: () => '{{ $labels.exported_job }} is FAILED',
  },
  'not-running': {
    threshold: null,
    for: '5m',
    forIs: 'hold',
    unit: '',
    // Asked to run (desired state running) and not RUNNING: starting, failed, restarting, unknown.
    expr: (j) =>
      `sluice_job_info{${j.sluice}, desired_state="running"} unless on (exported_job) sluice_job_state{${j.sluice}, state="RUNNING"} == 1`,
    summary: (_t, w) => `{{ $labels.exported_job }} is asked to run and has not been RUNNING for ${w}`,
  },
  restarts: {
    threshold: 0,
    for: '10m',
    forIs: 'window',
    unit: 'restarts',
    expr: (j, t, w) => j.flink(`max by (job_id) (increase(${FLINK_SERIES.restarts}[${w}]))`) + ` > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }} restarted {{ $value | printf "%.0f" }} times in ${w} (more than ${t})`,
  },
  'checkpoint-failures': {
    threshold: 0,
    for: '10m',
    forIs: 'window',
    unit: 'failed checkpoints',
    expr: (j, t, w) =>
      j.flink(`max by (job_id) (increase(${FLINK_SERIES.failedCheckpoints}[${w}]))`) + ` > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }} had {{ $value | printf "%.0f" }} failed checkpoints in ${w} (more than ${t})`,
  },
  backpressure: {
    threshold: 50,
    for: '5m',
    forIs: 'hold',
    unit: '%',
    // Back-pressured ms per second of its busiest subtask, as a percentage of the time.
    expr: (j, t) => j.flink(`max by (job_id) (${FLINK_SERIES.backPressured}) / 10`) + ` > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }} is back-pressured {{ $value | printf "%.0f" }}% of the time (above ${t}% for ${w})`,
  },
  lag: {
    threshold: undefined,
    for: '5m',
    forIs: 'hold',
    unit: 'records',
    expr: (j, t) => j.flink(kafkaLagQuery('job_id')) + ` > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }}'s Kafka source lags {{ $value | printf "%.0f" }} records (above ${t} for ${w})`,
  },
  'lag-growing': {
    threshold: 0,
    for: '10m',
    forIs: 'window',
    unit: 'records/s',
    // The slope of the lag over the window (least squares, per partition series): rising when above 0.
    expr: (j, t, w) => j.flink(`max by (job_id) (deriv(${kafkaLag}[${w}]))`) + ` > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }}'s Kafka lag grew by {{ $value | printf "%.1f" }} records/s over ${w} (more than ${t})`,
  },
  'no-output': {
    threshold: 0,
    for: '5m',
    forIs: 'hold',
    unit: 'records/s',
    // Every operator's records out together: sources emit while data flows through the job.
    expr: (j, t) => j.flink(`sum by (job_id) (${FLINK_SERIES.recordsOut})`) + ` <= ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }} sent {{ $value | printf "%.1f" }} records/s, not more than ${t}, for ${w}`,
  },
  'pods-pending': {
    threshold: 0,
    for: '5m',
    forIs: 'hold',
    unit: 'pods',
    // Sluice's own gauge, counted from its Kubernetes pod watch (jobs on Kubernetes application targets).
    expr: (j, t) => `sluice_job_pods_pending{${j.sluice}} > ${t}`,
    summary: (t, w) =>
      `{{ $labels.exported_job }} has {{ $value | printf "%.0f" }} pods Pending (more than ${t}) for ${w}`,
  },
};

/** What a kind takes: its threshold (and unit) or none, its `for` default and what `for` means. */
export function alertKindSettings(kind: AlertRuleKind): AlertKindSettings {
  const { threshold, for: forDefault, forIs, unit } = KINDS[kind];
  return { threshold, for: forDefault, forIs, unit };
}

const RULE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A rule's fields checked and defaulted; a wrong one is refused naming it. */
export function alertRuleOf(
  name: string,
  input: AlertRuleInput,
  now: string,
  createdAt: string = now,
): AlertRule {
  if (!RULE_NAME.test(name)) throw invalid('name', message('alert.badRuleName', { name }));
  if (!(ALERT_RULE_KINDS as readonly string[]).includes(input.kind))
    throw invalid(
      'kind',
      message('alert.badKind', { value: input.kind, kinds: ALERT_RULE_KINDS.join(', ') }),
    );
  const kind = input.kind as AlertRuleKind;
  const spec = KINDS[kind];
  let threshold: number | null = null;
  if (spec.threshold === null) {
    if (input.threshold !== undefined && input.threshold !== null)
      throw invalid('threshold', message('alert.noThreshold', { kind }));
  } else {
    threshold = input.threshold ?? spec.threshold ?? null;
    if (threshold === null)
      throw invalid('threshold', message('alert.thresholdNeeded', { kind, unit: spec.unit }));
    if (!Number.isFinite(threshold) || threshold < 0)
      throw invalid('threshold', message('alert.badThreshold', { value: String(threshold) }));
  }
  const forText = input.for ?? spec.for;
  const ms = prometheusDurationMs(forText);
  if (ms === undefined || (spec.forIs === 'window' && ms === 0))
    throw invalid('for', message('alert.badFor', { value: forText }));
  const severity = input.severity ?? 'warning';
  if (!(ALERT_SEVERITIES as readonly string[]).includes(severity))
    throw invalid('severity', message('alert.badSeverity', { value: severity }));
  if (!input.channel) throw invalid('channel', message('alert.noChannel'));
  // A label value in the rule's expression: checked as every space name is before it is quoted in.
  const space = checkSpaceName(input.space ?? DEFAULT_SPACE);
  return {
    name,
    job: input.job || null,
    space,
    kind,
    threshold,
    for: forText,
    severity: severity as AlertSeverity,
    channel: input.channel,
    createdAt,
    updatedAt: now,
  };
}

/** The labels Sluice puts on every alert and reads back from Alertmanager's webhook. */
export const ALERT_LABELS = {
  rule: 'sluice_rule',
  kind: 'sluice_kind',
  job: 'sluice_job',
  space: 'sluice_space',
  channel: 'sluice_channel',
  severity: 'severity',
} as const;

/** One Prometheus alerting rule. */
export interface PrometheusAlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The rule as Prometheus evaluates it. */
export function prometheusRule(rule: AlertRule): PrometheusAlertingRule {
  const spec = KINDS[rule.kind];
  const threshold = rule.threshold ?? 0;
  return {
    alert: rule.name,
    expr: spec.expr(jobMatch(rule), threshold, rule.for),
    for: spec.forIs === 'hold' ? rule.for : '0s',
    labels: {
      [ALERT_LABELS.rule]: rule.name,
      [ALERT_LABELS.kind]: rule.kind,
      // A rule per space names the job that fired from the series' own label.
      [ALERT_LABELS.job]: rule.job ?? '{{ $labels.exported_job }}',
      [ALERT_LABELS.space]: rule.space,
      [ALERT_LABELS.channel]: rule.channel,
      [ALERT_LABELS.severity]: rule.severity,
    },
    annotations: {
      summary: spec.summary(threshold, rule.for),
      value: spec.threshold === null ? '' : `{{ $value | printf "%.2f" }}${spec.unit ? ` ${spec.unit}` : ''}`,
    },
  };
}

// A YAML scalar: JSON's double-quoted strings are YAML's too.
const q = (s: string) => JSON.stringify(s);

/** Prometheus's rule file of every stored rule (one group), as `rule_files` names it. */
export function renderPrometheusRules(rules: AlertRule[]): string {
  const lines = [
    '# Written by Sluice from its alert rules (sluice alert rule ...): edits here are overwritten.',
  ];
  lines.push('groups:', '  - name: "sluice"', `    rules:${rules.length ? '' : ' []'}`);
  for (const r of rules.map(prometheusRule)) {
    lines.push(`      - alert: ${q(r.alert)}`, `        expr: ${q(r.expr)}`, `        for: ${q(r.for)}`);
    lines.push('        labels:');
    for (const [k, v] of Object.entries(r.labels)) lines.push(`          ${k}: ${q(v)}`);
    lines.push('        annotations:');
    for (const [k, v] of Object.entries(r.annotations)) lines.push(`          ${k}: ${q(v)}`);
  }
  lines.push('');
  return lines.join('\n');
}
