import { Type, type Static } from 'typebox';
import { ALERT_RULE_KINDS } from '../domain/alerts/alert-rules.ts';
import { NAME_LIMITS } from '../http/limits.ts';
import { errors, Name } from './common.ts';
import { operation } from './operation.ts';
import { inSpace, SpaceField } from './spaces.ts';

/** Alert rules (evaluated by Prometheus, routed by Alertmanager) and the alerts they raised. */

const Severity = Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('info')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });

export const AlertRuleBody = Type.Object({
  name: Type.String(),
  job: Nullable(
    Type.String(),
    'the job it watches; null: a rule per space, on every job of `space`, present and future',
  ),
  space: Type.String({
    description: 'the space the rule belongs to: the one whose every job it watches when `job` is null',
  }),
  kind: Type.Enum(ALERT_RULE_KINDS, {
    description:
      'failed: the job is FAILED; not-running: asked to run and not RUNNING for `for`; restarts / checkpoint-failures: more than `threshold` in the window `for`; backpressure: its busiest subtask back-pressured more than `threshold` % of the time for `for`; lag: its Kafka source lags more than `threshold` records for `for` (Flink’s pendingRecords or records-lag-max); lag-growing: that lag’s slope over the window `for` is above `threshold` records/s; no-output: its operators send at most `threshold` records/s for `for`; pods-pending: more than `threshold` of its pods Pending for `for` (jobs on Kubernetes application targets, from Sluice’s pod watch)',
  }),
  threshold: Nullable(
    Type.Number(),
    'what the kind compares with (its unit by kind); null for failed and not-running',
  ),
  for: Type.String({ description: 'a Prometheus duration: how long it holds, or the window counted over' }),
  severity: Severity,
  channel: Type.String({ description: 'the alert channel its messages go through' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const AlertRuleInputBody = Type.Object(
  {
    job: Type.Optional(
      Nullable(
        Name,
        'the job it watches, a job of the rule’s space; left out or null: every job of the space (a rule per space)',
      ),
    ),
    space: SpaceField,
    kind: Type.String({ maxLength: 64, description: `one of ${ALERT_RULE_KINDS.join(', ')}` }),
    threshold: Type.Optional(Nullable(Type.Number(), 'default by kind (lag: none, it must be given)')),
    for: Type.Optional(Type.String({ maxLength: 64, description: 'a Prometheus duration; default by kind' })),
    severity: Type.Optional(
      Type.String({ maxLength: 32, description: 'critical, warning (default) or info' }),
    ),
    channel: Type.String({ maxLength: NAME_LIMITS.job, description: 'an alert channel’s name' }),
  },
  { additionalProperties: false },
);

export const AlertBody = Type.Object({
  rule: Type.String(),
  job: Nullable(Type.String(), 'the job it is about'),
  channel: Type.String(),
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  severity: Severity,
  summary: Type.String(),
  value: Nullable(Type.String(), 'the value that crossed the threshold, with its unit'),
  startsAt: Type.String({ description: 'ISO 8601' }),
  endsAt: Nullable(Type.String(), 'ISO 8601; null while firing'),
  rootCause: Nullable(Type.String(), "the job's last failure, for a failed rule"),
  link: Nullable(Type.String(), "the job's page in the console (SLUICE_PUBLIC_URL)"),
  delivery: Type.String({ description: 'how the last message about it went: sent, or why not' }),
  receivedAt: Type.String({ description: 'when Sluice last heard of it from Alertmanager' }),
});

const Labels = Type.Record(Type.String(), Type.String());
/** Alertmanager's webhook_config payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const AlertmanagerPayloadBody = Type.Object({
  version: Type.String({ maxLength: 8 }),
  groupKey: Type.String(),
  truncatedAlerts: Type.Optional(Type.Integer()),
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  receiver: Type.String(),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
  externalURL: Type.String(),
  alerts: Type.Array(
    Type.Object({
      status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
      labels: Labels,
      annotations: Labels,
      startsAt: Type.String(),
      endsAt: Type.String(),
      generatorURL: Type.Optional(Type.String()),
      fingerprint: Type.String(),
    }),
    { maxItems: 1000 },
  ),
});

const RuleName = Type.Object({ name: Name });

export const alertRules = {
  list: operation('GET', '/alert-rules', {
    tags: ['alerts'],
    summary: 'The alert rules; with `job`, those watching it (its own and those of its space)',
    querystring: Type.Object({ job: Type.Optional(Name) }),
    response: { 200: Type.Array(inSpace(AlertRuleBody)), ...errors },
  }),
  get: operation('GET', '/alert-rules/:name', {
    tags: ['alerts'],
    summary: 'One alert rule; 404 when it does not exist',
    params: RuleName,
    response: { 200: AlertRuleBody, ...errors },
  }),
  put: operation('PUT', '/alert-rules/:name', {
    tags: ['alerts'],
    summary:
      'Creates or replaces an alert rule in its space, on a job of the space or (without `job`) on every job of it, then writes the rules for Prometheus and Alertmanager and has them reload. 400 names the wrong field (a job of another space: `job`); 404 an unknown space, job or channel',
    params: RuleName,
    body: AlertRuleInputBody,
    response: { 200: AlertRuleBody, ...errors },
  }),
  remove: operation('DELETE', '/alert-rules/:name', {
    tags: ['alerts'],
    summary: 'Deletes an alert rule (its history stays); 404 when it does not exist',
    params: RuleName,
    response: { 204: Type.Null(), ...errors },
  }),
  history: operation('GET', '/alerts', {
    tags: ['alerts'],
    summary: 'The alerts that fired and resolved, newest first (at most 200); with `job`, that job’s',
    querystring: Type.Object({ job: Type.Optional(Name) }),
    response: { 200: Type.Array(AlertBody), ...errors },
  }),
  alertmanager: operation('POST', '/alerts/alertmanager', {
    tags: ['alerts'],
    summary:
      "Alertmanager's webhook (the receivers of the configuration Sluice writes): each alert of Sluice's rules is kept in the history and delivered through its rule's channel; a channel that refuses is said in the history. 400 for a payload version other than 4",
    body: AlertmanagerPayloadBody,
    response: {
      200: Type.Object({
        received: Type.Integer({ description: "the payload's alerts that came from Sluice's rules" }),
        delivered: Type.Integer({ description: 'those its channel took' }),
      }),
      ...errors,
    },
  }),
};

export type AlertRuleView = Static<typeof AlertRuleBody>;
export type AlertView = Static<typeof AlertBody>;
