import {
  ALERT_RULE_KINDS,
  alertKindSettings,
  type AlertRuleKind,
} from '../../../domain/alerts/alert-rules.ts';
import { DEFAULT_SPACE } from '../../../domain/access/spaces.ts';

/** The fields of the alert rule form; an API refusal names one of them. */
export const RULE_FORM_FIELDS = [
  'name',
  'kind',
  'space',
  'job',
  'threshold',
  'for',
  'severity',
  'channel',
] as const;
export type RuleFormField = (typeof RULE_FORM_FIELDS)[number];

/**
 * The form's values as typed: `job` '' is the whole space (every job of `space`); `threshold` null or
 * `for` '' take the kind's default.
 */
export interface RuleFormValues {
  name: string;
  kind: AlertRuleKind;
  space: string;
  job: string;
  threshold: number | null;
  for: string;
  severity: 'critical' | 'warning' | 'info';
  channel: string;
}

/** A rule as the API answers it (the fields the console shows and edits). */
export interface RuleLike {
  name: string;
  job: string | null;
  space: string;
  kind: string;
  threshold: number | null;
  for: string;
  severity: 'critical' | 'warning' | 'info';
  channel: string;
}

const isKind = (k: string): k is AlertRuleKind => (ALERT_RULE_KINDS as readonly string[]).includes(k);

/**
 * What the form asks for a kind: the threshold (with its default, or required) or none, the `for`
 * default, and whether `for` is how long the condition holds or the window counted over.
 */
export function ruleFormOf(kind: AlertRuleKind): {
  threshold: { default: number | null; required: boolean } | null;
  forDefault: string;
  forIs: 'window' | 'hold';
} {
  const s = alertKindSettings(kind);
  return {
    threshold:
      s.threshold === null ? null : { default: s.threshold ?? null, required: s.threshold === undefined },
    forDefault: s.for,
    forIs: s.forIs,
  };
}

/** The API's input from the form: a threshold only where the kind takes one; left empty, the kind's default. */
export function ruleInput(v: RuleFormValues): {
  kind: string;
  space: string;
  job: string | null;
  threshold?: number;
  for?: string;
  severity: string;
  channel: string;
} {
  const takesThreshold = ruleFormOf(v.kind).threshold !== null;
  const forText = v.for.trim();
  return {
    kind: v.kind,
    space: v.space,
    job: v.job || null,
    ...(takesThreshold && v.threshold !== null && v.threshold !== undefined
      ? { threshold: v.threshold }
      : {}),
    ...(forText ? { for: forText } : {}),
    severity: v.severity,
    channel: v.channel,
  };
}

/** The form's starting values: a stored rule's, or a new rule's (kind `failed`, the whole default space). */
export function ruleFormValues(rule: RuleLike | null, job: string | null = null): RuleFormValues {
  return {
    name: rule?.name ?? '',
    kind: rule && isKind(rule.kind) ? rule.kind : 'failed',
    space: rule?.space ?? DEFAULT_SPACE,
    job: rule ? (rule.job ?? '') : (job ?? ''),
    threshold: rule?.threshold ?? null,
    for: rule?.for ?? '',
    severity: rule?.severity ?? 'warning',
    channel: rule?.channel ?? '',
  };
}

/**
 * Which field an API refusal is about: a 400's `details.field`, or the space, job or channel a 404
 * names (`details.space`, `details.job`, `details.channel`); null when it is about none (it is then
 * shown above the form).
 */
export function refusedRuleField(details: Record<string, unknown> | undefined): RuleFormField | null {
  if (!details) return null;
  const field =
    typeof details.field === 'string'
      ? details.field
      : (['space', 'job', 'channel'] as const).find((k) => typeof details[k] === 'string');
  return field && (RULE_FORM_FIELDS as readonly string[]).includes(field) ? (field as RuleFormField) : null;
}

/**
 * A rule's condition in short: its comparison with the threshold and the threshold's unit (the unit
 * in the console's words, by kind), or null for the kinds that take none.
 */
export function thresholdText(
  rule: Pick<RuleLike, 'kind' | 'threshold'>,
  unit: (kind: string) => string,
): string | null {
  if (rule.threshold === null) return null;
  // no-output fires at or below its threshold, every other kind above it.
  const op = rule.kind === 'no-output' ? '≤' : '>';
  const u = unit(rule.kind);
  return `${op} ${rule.threshold}${u === '%' ? '' : ' '}${u}`.trimEnd();
}

/** The rules that cover a job (as the API lists them): its own and those of its space, its own first, each set by name. */
export function rulesCovering<R extends Pick<RuleLike, 'name' | 'job'>>(rules: R[], job: string): R[] {
  const own = rules.filter((r) => r.job === job).sort((a, b) => a.name.localeCompare(b.name));
  const all = rules.filter((r) => r.job === null).sort((a, b) => a.name.localeCompare(b.name));
  return [...own, ...all];
}
