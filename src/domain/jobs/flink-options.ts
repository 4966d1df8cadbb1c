import { message, renderMessage, type Message } from '../messages.ts';
import { isRestartStrategyOption } from './restart-policy.ts';

/**
 * The Flink options a job most often tunes, with the value syntax Flink itself accepts, so that a
 * wrong value is refused when the job is saved (naming the option and what to write) instead of
 * failing later inside a submission. Keys are those of Flink 1.20; any other key is passed through
 * unchecked, since Flink and connectors know far more options than this list.
 */
export type FlinkOptionType =
  | { kind: 'duration'; minMs?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'state-backend' };

export interface FlinkOptionSpec {
  key: string;
  type: FlinkOptionType;
}

export const FLINK_OPTION_SPECS: readonly FlinkOptionSpec[] = [
  // Flink refuses checkpoint intervals and timeouts under 10 ms (CheckpointConfig).
  { key: 'execution.checkpointing.interval', type: { kind: 'duration', minMs: 10 } },
  {
    key: 'execution.checkpointing.mode',
    type: { kind: 'enum', values: ['EXACTLY_ONCE', 'AT_LEAST_ONCE'] },
  },
  { key: 'execution.checkpointing.timeout', type: { kind: 'duration', minMs: 10 } },
  { key: 'execution.checkpointing.min-pause', type: { kind: 'duration' } },
  {
    key: 'execution.checkpointing.max-concurrent-checkpoints',
    type: { kind: 'integer', min: 1, max: 100 },
  },
  {
    key: 'execution.checkpointing.tolerable-failed-checkpoints',
    type: { kind: 'integer', min: 0, max: 1_000_000 },
  },
  { key: 'execution.checkpointing.incremental', type: { kind: 'boolean' } },
  { key: 'state.backend.type', type: { kind: 'state-backend' } },
  { key: 'table.exec.state.ttl', type: { kind: 'duration' } },
  // Flink's upper bound for the number of key groups (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM).
  { key: 'pipeline.max-parallelism', type: { kind: 'integer', min: 1, max: 32_768 } },
  { key: 'table.exec.mini-batch.enabled', type: { kind: 'boolean' } },
  { key: 'table.exec.mini-batch.allow-latency', type: { kind: 'duration' } },
  {
    key: 'table.exec.mini-batch.size',
    type: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
  },
];

const SPECS = new Map(FLINK_OPTION_SPECS.map((s) => [s.key, s]));

/** Flink's time unit labels (org.apache.flink.util.TimeUtils), each also with a plural "s" where Flink has one. */
const DURATION_UNITS: Record<string, number> = {};
for (const [ms, singular, plural] of [
  [86_400_000, ['d'], ['day']],
  [3_600_000, ['h'], ['hour']],
  [60_000, ['min', 'm'], ['minute']],
  [1_000, ['s'], ['sec', 'second']],
  [1, ['ms'], ['milli', 'millisecond']],
  [0.001, ['µs'], ['micro', 'microsecond']],
  [0.000001, ['ns'], ['nano', 'nanosecond']],
] as const) {
  for (const l of singular) DURATION_UNITS[l] = ms;
  for (const l of plural) DURATION_UNITS[l] = DURATION_UNITS[`${l}s`] = ms;
}

/** A duration as Flink parses it: digits, then an optional unit (milliseconds when there is none). */
export function parseFlinkDuration(text: string): number | null {
  const m = /^(\d+)\s*(\S*)$/.exec(text.trim());
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? 1 : DURATION_UNITS[unit];
  return factor === undefined ? null : Number(m[1]) * factor;
}

/**
 * What is wrong with `value` for option `key`, in words a user can act on; null when Flink would take
 * it, or when the option is not one this list knows. A `${variable}` reference is checked once it is
 * substituted, not before.
 */
export function flinkOptionIssue(key: string, value: string): Message | null {
  if (!key.trim()) return message('option.noKey');
  if (isRestartStrategyOption(key.trim())) return message('option.restartStrategy');
  const spec = SPECS.get(key);
  if (!spec || value.includes('${')) return null;
  const v = value.trim();
  const t = spec.type;
  switch (t.kind) {
    case 'duration': {
      const ms = parseFlinkDuration(v);
      if (ms === null) return message('option.notADuration', { value });
      if (t.minMs !== undefined && ms < t.minMs) return message('option.tooShort', { value, min: t.minMs });
      return null;
    }
    case 'enum':
      return t.values.includes(v.toUpperCase())
        ? null
        : message('option.notOneOf', { value, values: t.values.join(', ') });
    case 'boolean':
      return /^(true|false)$/i.test(v) ? null : message('option.notABoolean', { value });
    case 'integer': {
      if (!/^-?\d+$/.test(v)) return message('option.notAWholeNumber', { value });
      const n = Number(v);
      return n < t.min || n > t.max
        ? message('option.outOfRange', { value: v, min: t.min, max: t.max })
        : null;
    }
    case 'state-backend':
      // Flink takes its two built-in names, or the class name of a StateBackendFactory on the classpath.
      return /^(hashmap|rocksdb)$/i.test(v) || /^[\w$]+(\.[\w$]+)+$/.test(v)
        ? null
        : message('option.notAStateBackend', { value });
  }
}

/** The same problem as English text (the console's option fields check as the user types). */
export function flinkOptionProblem(key: string, value: string): string | null {
  const issue = flinkOptionIssue(key, value);
  return issue && renderMessage(issue);
}

/** Flink runs no more parallel tasks than key groups: the maximum parallelism must reach the parallelism. */
export function maxParallelismIssue(options: Record<string, string>, parallelism: number): Message | null {
  const max = options['pipeline.max-parallelism']?.trim();
  return max && /^\d+$/.test(max) && Number(max) < parallelism
    ? message('option.maxParallelismBelow', { max, parallelism })
    : null;
}
