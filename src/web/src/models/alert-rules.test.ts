import { describe, expect, it } from 'vitest';
import { ALERT_RULE_KINDS, alertKindSettings } from '../../../domain/alerts/alert-rules.ts';
import { alertRulesEn, alertRulesZhCN } from '../i18n/alert-rules.ts';
import {
  refusedRuleField,
  ruleFormOf,
  ruleFormValues,
  ruleInput,
  rulesCovering,
  thresholdText,
  type RuleFormValues,
} from './alert-rules.ts';

const values = (v: Partial<RuleFormValues>): RuleFormValues => ({
  ...ruleFormValues(null),
  name: 'r',
  channel: 'ops',
  ...v,
});

describe('alert rule forms', () => {
  it('asks for a threshold only where the kind takes one, with its default or as required', () => {
    expect(ruleFormOf('failed')).toEqual({ threshold: null, forDefault: '0s', forIs: 'hold' });
    expect(ruleFormOf('backpressure').threshold).toEqual({ default: 50, required: false });
    expect(ruleFormOf('lag').threshold).toEqual({ default: null, required: true });
    expect(ruleFormOf('lag-growing')).toMatchObject({ forIs: 'window', forDefault: '10m' });
    expect(ruleFormOf('pods-pending').threshold).toEqual({ default: 0, required: false });
  });

  it('has a label for every kind, and a unit for every kind that takes a threshold, in both languages', () => {
    for (const texts of [alertRulesEn, alertRulesZhCN])
      for (const k of ALERT_RULE_KINDS) {
        expect(texts[`ar.kind.${k}`], k).toBeTruthy();
        expect(Boolean(texts[`ar.unit.${k}`]), k).toBe(alertKindSettings(k).threshold !== null);
      }
  });

  it("sends what the kind takes: no threshold for a state kind, empty fields left to the kind's default", () => {
    // A threshold left from another kind is not sent with failed.
    expect(ruleInput(values({ kind: 'failed', threshold: 5, job: 'orders', for: ' ' }))).toEqual({
      kind: 'failed',
      space: 'default',
      job: 'orders',
      severity: 'warning',
      channel: 'ops',
    });
    expect(
      ruleInput(
        values({ kind: 'backpressure', threshold: 80, for: ' 10m ', severity: 'critical', space: 'shop' }),
      ),
    ).toEqual({
      kind: 'backpressure',
      // No job: the whole space.
      space: 'shop',
      job: null,
      threshold: 80,
      for: '10m',
      severity: 'critical',
      channel: 'ops',
    });
    expect(ruleInput(values({ kind: 'restarts', threshold: null }))).not.toHaveProperty('threshold');
    expect(ruleInput(values({ kind: 'no-output', threshold: 0 }))).toMatchObject({ threshold: 0 });
  });

  it("starts from a stored rule's values, a new rule on every job (or the job it is opened from)", () => {
    expect(
      ruleFormValues({
        name: 'bp',
        job: null,
        space: 'shop',
        kind: 'backpressure',
        threshold: 80,
        for: '5m',
        severity: 'info',
        channel: 'ops',
      }),
    ).toEqual({
      name: 'bp',
      kind: 'backpressure',
      space: 'shop',
      job: '',
      threshold: 80,
      for: '5m',
      severity: 'info',
      channel: 'ops',
    });
    expect(ruleFormValues(null, 'orders')).toMatchObject({
      kind: 'failed',
      space: 'default',
      job: 'orders',
      severity: 'warning',
    });
  });

  it('finds the field a refusal is about: the 400 field, or the job or channel a 404 names', () => {
    expect(refusedRuleField({ field: 'for' })).toBe('for');
    expect(refusedRuleField({ field: 'threshold' })).toBe('threshold');
    expect(refusedRuleField({ job: 'gone' })).toBe('job');
    expect(refusedRuleField({ channel: 'gone' })).toBe('channel');
    expect(refusedRuleField({ space: 'gone' })).toBe('space');
    expect(refusedRuleField({ field: 'space' })).toBe('space');
    expect(refusedRuleField({ field: 'version' })).toBeNull();
    expect(refusedRuleField({ rule: 'x' })).toBeNull();
    expect(refusedRuleField(undefined)).toBeNull();
  });

  it('says a threshold with its comparison and unit, nothing for the state kinds', () => {
    const unit = (k: string) => alertRulesEn[`ar.unit.${k}`] ?? '';
    expect(thresholdText({ kind: 'backpressure', threshold: 80 }, unit)).toBe('> 80%');
    expect(thresholdText({ kind: 'lag', threshold: 1000 }, unit)).toBe('> 1000 records');
    expect(thresholdText({ kind: 'no-output', threshold: 0 }, unit)).toBe('≤ 0 records/s');
    expect(thresholdText({ kind: 'failed', threshold: null }, unit)).toBeNull();
  });

  it("lists a job's own rules first, then those on every job, leaving other jobs' out", () => {
    const rules = [
      { name: 'z-all', job: null },
      { name: 'b-own', job: 'orders' },
      { name: 'other', job: 'clicks' },
      { name: 'a-all', job: null },
      { name: 'a-own', job: 'orders' },
    ];
    expect(rulesCovering(rules, 'orders').map((r) => r.name)).toEqual(['a-own', 'b-own', 'a-all', 'z-all']);
  });
});
