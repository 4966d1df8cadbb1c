import { describe, expect, it } from 'vitest';
import {
  checkRestartPolicy,
  normalizeRestartPolicy,
  parseRestartSpec,
  parseResubmitSpec,
  restartStrategyOptions,
} from './restart-policy.ts';
import { flinkOptionProblem } from './flink-options.ts';

describe('restart policy', () => {
  it("is always Flink's explicit restart strategy, none included", () => {
    expect(restartStrategyOptions({ kind: 'none' })).toEqual({ 'restart-strategy.type': 'none' });
    expect(restartStrategyOptions({ kind: 'fixed-delay', attempts: 2, delaySeconds: 5 })).toEqual({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': '2',
      'restart-strategy.fixed-delay.delay': '5000 ms',
    });
    expect(
      restartStrategyOptions({
        kind: 'failure-rate',
        maxFailuresPerInterval: 3,
        intervalSeconds: 60,
        delaySeconds: 0.5,
      }),
    ).toMatchObject({
      'restart-strategy.failure-rate.max-failures-per-interval': '3',
      'restart-strategy.failure-rate.failure-rate-interval': '60000 ms',
      'restart-strategy.failure-rate.delay': '500 ms',
    });
    expect(restartStrategyOptions(parseRestartSpec('exponential:1:30:2:7'))).toMatchObject({
      'restart-strategy.type': 'exponential-delay',
      'restart-strategy.exponential-delay.initial-backoff': '1000 ms',
      'restart-strategy.exponential-delay.max-backoff': '30000 ms',
      'restart-strategy.exponential-delay.backoff-multiplier': '2',
      'restart-strategy.exponential-delay.attempts-before-reset-backoff': '7',
    });
  });

  it('keeps `fixed:<attempts>:<backoff>` as the fixed-delay form, and reads versions saved before', () => {
    expect(parseRestartSpec('fixed:3:10')).toEqual({ kind: 'fixed-delay', attempts: 3, delaySeconds: 10 });
    expect(normalizeRestartPolicy({ kind: 'fixed', attempts: 2, backoffSeconds: 5 })).toEqual({
      kind: 'fixed-delay',
      attempts: 2,
      delaySeconds: 5,
    });
    expect(normalizeRestartPolicy(undefined)).toEqual({ kind: 'none' });
  });

  it('refuses what Flink would refuse or misread, naming the field', () => {
    expect(() => parseRestartSpec('fixed:0')).toThrow(/restartPolicy.attempts: 0: use a whole number from 1/);
    expect(() => parseRestartSpec('sometimes')).toThrow(/--restart sometimes: use none \| fixed:/);
    expect(() => parseRestartSpec('fixed:x')).toThrow(/'x' is not a number/);
    expect(() =>
      checkRestartPolicy({
        kind: 'exponential-delay',
        initialBackoffSeconds: 10,
        maxBackoffSeconds: 1,
        backoffMultiplier: 2,
        resetBackoffThresholdSeconds: 60,
        jitterFactor: 0.1,
        attempts: 3,
      }),
    ).toThrow(/maxBackoffSeconds: 1 is below the initial back-off 10/);
    expect(() => parseResubmitSpec('0')).toThrow(/resubmitPolicy.attempts/);
    expect(parseResubmitSpec('2:30')).toEqual({
      kind: 'from-latest-checkpoint',
      attempts: 2,
      backoffSeconds: 30,
    });
  });

  it('keeps restart options out of the free options, where they would fight the policy', () => {
    expect(flinkOptionProblem('restart-strategy.type', 'fixed-delay')).toMatch(/restart policy/);
    expect(flinkOptionProblem('restart-strategy', 'none')).toMatch(/restart policy/);
    expect(flinkOptionProblem('restart-strategyx', 'none')).toBeNull();
  });
});
