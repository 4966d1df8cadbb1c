import { isRestartStrategyOption, RESTART_OPTION_REFUSAL } from './restart-policy.ts';

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

const DURATION_HINT = 'write a number and a unit such as 30 s, 5 min, 2 h or 500 ms';

/**
 * What is wrong with `value` for option `key`, in words a user can act on; null when Flink would take
 * it, or when the option is not one this list knows. A `${variable}` reference is checked once it is
 * substituted, not before.
 */
export function flinkOptionProblem(key: string, value: string): string | null {
  if (!key.trim()) return 'an option needs a key';
  if (isRestartStrategyOption(key.trim())) return RESTART_OPTION_REFUSAL;
  const spec = SPECS.get(key);
  if (!spec || value.includes('${')) return null;
  const v = value.trim();
  const t = spec.type;
  switch (t.kind) {
    case 'duration': {
      const ms = parseFlinkDuration(v);
      if (ms === null) return `'${value}' is not a duration: ${DURATION_HINT}`;
      if (t.minMs !== undefined && ms < t.minMs)
        return `'${value}' is too short: Flink needs at least ${t.minMs} ms`;
      return null;
    }
    case 'enum':
      return t.values.includes(v.toUpperCase()) ? null : `'${value}' is not one of ${t.values.join(', ')}`;
    case 'boolean':
      return /^(true|false)$/i.test(v) ? null : `'${value}' is not true or false`;
    case 'integer': {
      if (!/^-?\d+$/.test(v)) return `'${value}' is not a whole number`;
      const n = Number(v);
      return n < t.min || n > t.max ? `${v} is out of range: use ${t.min} to ${t.max}` : null;
    }
    case 'state-backend':
      // Flink takes its two built-in names, or the class name of a StateBackendFactory on the classpath.
      return /^(hashmap|rocksdb)$/i.test(v) || /^[\w$]+(\.[\w$]+)+$/.test(v)
        ? null
        : `'${value}' is not a state backend: use hashmap, rocksdb, or the class name of a state backend factory`;
  }
}

/** Flink runs no more parallel tasks than key groups: the maximum parallelism must reach the parallelism. */
export function maxParallelismProblem(options: Record<string, string>, parallelism: number): string | null {
  const max = options['pipeline.max-parallelism']?.trim();
  return max && /^\d+$/.test(max) && Number(max) < parallelism
    ? `${max} is below the job's parallelism ${parallelism}: Flink cannot run more parallel tasks than key groups`
    : null;
}
