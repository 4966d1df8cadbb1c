import { invalid } from '../errors.ts';
import { message, renderMessage, type Message } from '../messages.ts';

/**
 * What Flink does when a job's task fails: one of Flink's own restart strategies. Sluice sets it on
 * every deploy, `none` included, because Flink's default depends on checkpointing (unbounded
 * fixed-delay when checkpointing is on): what the job page says must be what Flink does.
 * Keys and meanings: org.apache.flink.configuration.RestartStrategyOptions (Flink 1.20).
 */
export type RestartPolicy =
  | { kind: 'none' }
  | { kind: 'fixed-delay'; attempts: number; delaySeconds: number }
  | {
      kind: 'exponential-delay';
      initialBackoffSeconds: number;
      maxBackoffSeconds: number;
      backoffMultiplier: number;
      /** A job that ran this long without failing starts again from the initial back-off. */
      resetBackoffThresholdSeconds: number;
      jitterFactor: number;
      /** Restarts before the job fails for good, counted since the last reset of the back-off. */
      attempts: number;
    }
  | { kind: 'failure-rate'; maxFailuresPerInterval: number; intervalSeconds: number; delaySeconds: number };

export type RestartStrategyKind = RestartPolicy['kind'];
export const RESTART_STRATEGY_KINDS: readonly RestartStrategyKind[] = [
  'none',
  'fixed-delay',
  'exponential-delay',
  'failure-rate',
];

/**
 * Whether the platform itself submits a job again after Flink gave up on it (the job ended FAILED
 * while the user wants it running), from its latest retained checkpoint, and how often.
 */
export type ResubmitPolicy =
  { kind: 'none' } | { kind: 'from-latest-checkpoint'; attempts: number; backoffSeconds: number };

/** Flink's own defaults for the exponential-delay strategy, offered when a user picks it. */
export const EXPONENTIAL_DELAY_DEFAULTS = {
  initialBackoffSeconds: 1,
  maxBackoffSeconds: 60,
  backoffMultiplier: 1.5,
  resetBackoffThresholdSeconds: 3600,
  jitterFactor: 0.1,
  attempts: 10,
} as const;

/**
 * A new job's policy: Flink 1.20's own default with checkpointing (exponential-delay, FLIP-364), but
 * with an end, so that a job failing for good is said to have failed.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  kind: 'exponential-delay',
  ...EXPONENTIAL_DELAY_DEFAULTS,
};

/** The policy of a kind with sensible values, as offered when a user switches to it. */
export function restartPolicyOf(kind: RestartStrategyKind): RestartPolicy {
  switch (kind) {
    case 'none':
      return { kind };
    case 'fixed-delay':
      return { kind, attempts: 3, delaySeconds: 10 };
    case 'exponential-delay':
      return DEFAULT_RESTART_POLICY;
    case 'failure-rate':
      return { kind, maxFailuresPerInterval: 3, intervalSeconds: 300, delaySeconds: 10 };
  }
}

/** The Flink options that make `policy` Flink's restart strategy for one job. */
export function restartStrategyOptions(policy: RestartPolicy): Record<string, string> {
  const s = (seconds: number) => `${Math.round(seconds * 1000)} ms`;
  switch (policy.kind) {
    case 'none':
      return { 'restart-strategy.type': 'none' };
    case 'fixed-delay':
      return {
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': String(policy.attempts),
        'restart-strategy.fixed-delay.delay': s(policy.delaySeconds),
      };
    case 'exponential-delay':
      return {
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.initial-backoff': s(policy.initialBackoffSeconds),
        'restart-strategy.exponential-delay.max-backoff': s(policy.maxBackoffSeconds),
        'restart-strategy.exponential-delay.backoff-multiplier': String(policy.backoffMultiplier),
        'restart-strategy.exponential-delay.reset-backoff-threshold': s(policy.resetBackoffThresholdSeconds),
        'restart-strategy.exponential-delay.jitter-factor': String(policy.jitterFactor),
        'restart-strategy.exponential-delay.attempts-before-reset-backoff': String(policy.attempts),
      };
    case 'failure-rate':
      return {
        'restart-strategy.type': 'failure-rate',
        'restart-strategy.failure-rate.max-failures-per-interval': String(policy.maxFailuresPerInterval),
        'restart-strategy.failure-rate.failure-rate-interval': s(policy.intervalSeconds),
        'restart-strategy.failure-rate.delay': s(policy.delaySeconds),
      };
  }
}

/** Restart options belong to the policy: set in a job's options or SET lines, they would silently win or lose. */
export const isRestartStrategyOption = (key: string): boolean =>
  key === 'restart-strategy' || key.startsWith('restart-strategy.');

const range = (field: string, v: number, min: number, max: number, whole = false): void => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v)))
    throw invalid(
      field,
      message(whole ? 'restart.rangeWhole' : 'restart.range', { value: String(v), min, max }),
    );
};

export function checkRestartPolicy(p: RestartPolicy): void {
  const f = (name: string) => `restartPolicy.${name}`;
  switch (p.kind) {
    case 'none':
      return;
    case 'fixed-delay':
      range(f('attempts'), p.attempts, 1, 1000, true);
      range(f('delaySeconds'), p.delaySeconds, 0, 86_400);
      return;
    case 'exponential-delay':
      range(f('initialBackoffSeconds'), p.initialBackoffSeconds, 0.001, 86_400);
      range(f('maxBackoffSeconds'), p.maxBackoffSeconds, 0.001, 86_400);
      if (p.maxBackoffSeconds < p.initialBackoffSeconds)
        throw invalid(
          f('maxBackoffSeconds'),
          message('restart.backoffShrinks', {
            max: p.maxBackoffSeconds,
            initial: p.initialBackoffSeconds,
          }),
        );
      range(f('backoffMultiplier'), p.backoffMultiplier, 1, 100);
      range(f('resetBackoffThresholdSeconds'), p.resetBackoffThresholdSeconds, 0.001, 864_000);
      range(f('jitterFactor'), p.jitterFactor, 0, 1);
      range(f('attempts'), p.attempts, 1, 1_000_000, true);
      return;
    case 'failure-rate':
      range(f('maxFailuresPerInterval'), p.maxFailuresPerInterval, 1, 1_000_000, true);
      range(f('intervalSeconds'), p.intervalSeconds, 0.001, 864_000);
      range(f('delaySeconds'), p.delaySeconds, 0, 86_400);
      return;
  }
}

export function checkResubmitPolicy(p: ResubmitPolicy): void {
  if (p.kind === 'none') return;
  range('resubmitPolicy.attempts', p.attempts, 1, 100, true);
  range('resubmitPolicy.backoffSeconds', p.backoffSeconds, 0, 3600);
}

/**
 * A stored policy as it is now. Versions saved before Flink's strategies were offered hold
 * `{kind: 'fixed', attempts, backoffSeconds}`, which the CLI's `fixed:<attempts>:<backoff>` still means:
 * Flink's fixed-delay strategy.
 */
export function normalizeRestartPolicy(raw: unknown): RestartPolicy {
  const r = raw as { kind?: string; attempts?: number; backoffSeconds?: number } | null;
  if (r?.kind === 'fixed')
    return { kind: 'fixed-delay', attempts: r.attempts ?? 1, delaySeconds: r.backoffSeconds ?? 0 };
  return (r?.kind ? r : { kind: 'none' }) as RestartPolicy;
}

const num = (field: string, text: string | undefined, fallback?: number): number => {
  if (text === undefined || text === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(field, message('restart.valueMissing'));
  }
  const n = Number(text.replace(/s$/, ''));
  if (!Number.isFinite(n)) throw invalid(field, message('restart.notANumber', { text }));
  return n;
};

export const RESTART_SPEC_HELP =
  'none | fixed:<attempts>:<delay s> (also fixed-delay:...) | exponential:<initial s>:<max s>[:<multiplier>[:<attempts>]] | failure-rate:<failures>:<interval s>:<delay s>';

/** The CLI's `--restart` text as a policy, checked. */
export function parseRestartSpec(spec: string): RestartPolicy {
  const [kind, ...a] = spec.trim().split(':');
  const field = `--restart ${spec}`;
  let p: RestartPolicy;
  switch (kind) {
    case 'none':
      p = { kind: 'none' };
      break;
    case 'fixed':
    case 'fixed-delay':
      p = { kind: 'fixed-delay', attempts: num(field, a[0]), delaySeconds: num(field, a[1], 1) };
      break;
    case 'exponential':
    case 'exponential-delay':
      p = {
        kind: 'exponential-delay',
        ...EXPONENTIAL_DELAY_DEFAULTS,
        initialBackoffSeconds: num(field, a[0], EXPONENTIAL_DELAY_DEFAULTS.initialBackoffSeconds),
        maxBackoffSeconds: num(field, a[1], EXPONENTIAL_DELAY_DEFAULTS.maxBackoffSeconds),
        backoffMultiplier: num(field, a[2], EXPONENTIAL_DELAY_DEFAULTS.backoffMultiplier),
        attempts: num(field, a[3], EXPONENTIAL_DELAY_DEFAULTS.attempts),
      };
      break;
    case 'failure-rate':
      p = {
        kind: 'failure-rate',
        maxFailuresPerInterval: num(field, a[0]),
        intervalSeconds: num(field, a[1]),
        delaySeconds: num(field, a[2], 1),
      };
      break;
    default:
      throw invalid(field, message('restart.badSpec', { help: RESTART_SPEC_HELP }));
  }
  checkRestartPolicy(p);
  return p;
}

/** The CLI's `--resubmit` text: none, or <attempts>[:<backoff s>]. */
export function parseResubmitSpec(spec: string): ResubmitPolicy {
  if (spec.trim() === 'none') return { kind: 'none' };
  const [attempts, backoff] = spec.trim().split(':');
  const p: ResubmitPolicy = {
    kind: 'from-latest-checkpoint',
    attempts: num(`--resubmit ${spec}`, attempts),
    backoffSeconds: num(`--resubmit ${spec}`, backoff, 10),
  };
  checkResubmitPolicy(p);
  return p;
}

/** The policy in words, as the CLI and the job page say it. */
/** What a policy makes Flink do, as a message (submission logs and failures quote it). */
export function restartPolicyMessage(p: RestartPolicy): Message {
  switch (p.kind) {
    case 'none':
      return message('restart.none');
    case 'fixed-delay':
      return message(p.attempts === 1 ? 'restart.fixedDelayOnce' : 'restart.fixedDelay', {
        attempts: p.attempts,
        delay: p.delaySeconds,
      });
    case 'exponential-delay':
      return message('restart.exponentialDelay', {
        attempts: p.attempts,
        initial: p.initialBackoffSeconds,
        multiplier: p.backoffMultiplier,
        max: p.maxBackoffSeconds,
      });
    case 'failure-rate':
      return message('restart.failureRate', {
        delay: p.delaySeconds,
        failures: p.maxFailuresPerInterval,
        interval: p.intervalSeconds,
      });
  }
}

export const describeRestartPolicy = (p: RestartPolicy): string => renderMessage(restartPolicyMessage(p));

export function describeResubmitPolicy(p: ResubmitPolicy): string {
  return p.kind === 'none'
    ? 'the platform does not resubmit a failed job'
    : `the platform resubmits a failed job from its latest checkpoint up to ${p.attempts} time${p.attempts === 1 ? '' : 's'}, ${p.backoffSeconds} s after the failure`;
}
