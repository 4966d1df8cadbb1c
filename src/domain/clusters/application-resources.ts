import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { MIN_MEMORY } from './local-cluster-spec.ts';
import { formatMemorySize, parseMemorySize } from './memory-size.ts';

/** What one job's application cluster is sized with. */
export interface ApplicationResources {
  taskManagers: number;
  slotsPerTaskManager: number;
  jobManagerMemory: string;
  taskManagerMemory: string;
}

/**
 * The defaults, chosen for a laptop (and the 2-core test machine) running several jobs side by side:
 * at most 4 slots per TaskManager (as a session cluster has), as many TaskManagers as the parallelism
 * needs, a 1024m JobManager (it plans the job's SQL in its own JVM, where 768m leaves the planner a
 * 192m heap) and a 1024m TaskManager (the least Flink 1.20 starts one with, enough for a few slots of
 * SQL operators on the hashmap state backend).
 */
export const APPLICATION_DEFAULTS = {
  maxSlotsPerTaskManager: 4,
  jobManagerMemory: '1024m',
  taskManagerMemory: '1024m',
  /** As a session cluster: more JVMs than this is not what one machine runs for one job. */
  maxTaskManagers: 8,
} as const;

/** The job options that size its application cluster (Flink's own option names). */
export const APPLICATION_RESOURCE_OPTIONS = [
  'taskmanager.numberOfTaskSlots',
  'jobmanager.memory.process.size',
  'taskmanager.memory.process.size',
] as const;

/** CPU a pod requests when the job names none: small, so that several jobs fit on a laptop's node. */
export const DEFAULT_CPU = { jobmanager: '0.25', taskmanager: '0.25' } as const;

/** A positive number option (`fallback` when unset; null when neither), refused naming the option. */
export function positiveNumber(
  options: Record<string, string>,
  key: string,
  fallback: string | null,
): number | null {
  const text = options[key] ?? fallback;
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new SluiceError('invalid_argument', message('kubernetes.badNumber', { option: key, value: text }), {
      field: `options.${key}`,
    });
  return n;
}

/** The CPU a pod of the role requests: `kubernetes.<role>.cpu` as Flink's native mode reads it, else DEFAULT_CPU. */
export const podCpu = (options: Record<string, string>, role: 'jobmanager' | 'taskmanager'): number =>
  positiveNumber(options, `kubernetes.${role}.cpu`, DEFAULT_CPU[role])!;

const refuse = (key: string, text: ReturnType<typeof message>) =>
  new SluiceError('invalid_argument', text, { field: `options.${key}` });

/**
 * The cluster a job gets on the local application target, from its parallelism and options:
 * `taskmanager.numberOfTaskSlots` (default: the parallelism, at most 4), as many TaskManagers as the
 * parallelism needs, `jobmanager.memory.process.size` and `taskmanager.memory.process.size`
 * (default 1024m each). A value Flink would refuse or could not start with is refused, naming the option.
 */
export function applicationResources(
  parallelism: number,
  options: Record<string, string>,
): ApplicationResources {
  const slotsText = options['taskmanager.numberOfTaskSlots'];
  let slots = Math.min(parallelism, APPLICATION_DEFAULTS.maxSlotsPerTaskManager);
  if (slotsText !== undefined) {
    slots = /^\s*\d+\s*$/.test(slotsText) ? Number(slotsText) : NaN;
    if (!Number.isInteger(slots) || slots < 1 || slots > 64)
      throw refuse('taskmanager.numberOfTaskSlots', message('job.applicationSlots', { value: slotsText }));
  }
  const taskManagers = Math.ceil(parallelism / slots);
  if (taskManagers > APPLICATION_DEFAULTS.maxTaskManagers)
    throw refuse(
      'taskmanager.numberOfTaskSlots',
      message('job.applicationTaskManagers', {
        parallelism,
        slots,
        taskManagers,
        max: APPLICATION_DEFAULTS.maxTaskManagers,
        least: Math.ceil(parallelism / APPLICATION_DEFAULTS.maxTaskManagers),
      }),
    );
  const memory = (key: string, fallback: string, min: number, role: string): string => {
    const value = options[key];
    if (value === undefined) return fallback;
    const bytes = parseMemorySize(value);
    if (bytes === null)
      throw refuse(key, message('cluster.memoryNotASize', { field: `options.${key}`, value }));
    if (bytes < min)
      throw refuse(
        key,
        message('cluster.memoryTooSmall', {
          field: `options.${key}`,
          value,
          min: formatMemorySize(min),
          role,
        }),
      );
    return value;
  };
  return {
    taskManagers,
    slotsPerTaskManager: slots,
    jobManagerMemory: memory(
      'jobmanager.memory.process.size',
      APPLICATION_DEFAULTS.jobManagerMemory,
      MIN_MEMORY.jobManagerMemory,
      'JobManager',
    ),
    taskManagerMemory: memory(
      'taskmanager.memory.process.size',
      APPLICATION_DEFAULTS.taskManagerMemory,
      MIN_MEMORY.taskManagerMemory,
      'TaskManager',
    ),
  };
}
