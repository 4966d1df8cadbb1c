import { invalid } from '../errors.ts';
import { flinkOptionIssue } from '../jobs/flink-options.ts';
import { checkParallelism } from '../jobs/job.ts';
import type { JobContent } from '../jobs/versions.ts';
import { parseMemorySize } from '../clusters/memory-size.ts';
import { message } from '../messages.ts';

/**
 * A named resource profile of a job (normal, peak): the parallelism and Flink options it runs with
 * while its space's (or its target's) active profile has that name (effectiveProfile). TaskManager resources are Flink's own options
 * (taskmanager.memory.process.size, taskmanager.numberOfTaskSlots, kubernetes.taskmanager.cpu), as a
 * job's version carries them: a profile is an overlay of the version's parallelism and options.
 */
export interface ResourceProfile {
  name: string;
  parallelism: number;
  /** Flink options laid over the version's (a key here wins). */
  options: Record<string, string>;
}

/**
 * What switches its active profile: a space (issue 15: "a space switches its active profile"), or a
 * deployment target (the first unit that switched, kept for compatibility). One switch machinery
 * serves both; only which running jobs take part differs.
 */
export const PROFILE_SCOPES = ['space', 'target'] as const;
export type ProfileScopeKind = (typeof PROFILE_SCOPES)[number];
export interface ProfileScope {
  kind: ProfileScopeKind;
  name: string;
}

export const targetScope = (name: string): ProfileScope => ({ kind: 'target', name });
export const spaceScope = (name: string): ProfileScope => ({ kind: 'space', name });
export const sameScope = (a: ProfileScope, b: ProfileScope): boolean =>
  a.kind === b.kind && a.name === b.name;
/** `space team-a`, `target local-1.20`: for logs, reasons and authors. */
export const describeScope = (s: ProfileScope): string => `${s.kind} ${s.name}`;

/** What a scope runs its jobs with now, and what its last switch did to each of them. */
export interface ProfileState {
  /** Null: no profile is active, every job runs its version's settings. */
  activeProfile: string | null;
  lastSwitch: ProfileSwitch | null;
}

export interface TargetProfileState extends ProfileState {
  target: string;
}

/** The active profiles that bear on one job: its space's and its target's (null: none active). */
export interface ActiveProfiles {
  space: string | null;
  target: string | null;
}

/**
 * The one rule for the profile a job runs with (its start, upgrade, resubmission, quota check and
 * render all ask it): its space's active profile if the job has one of that name, else its target's
 * active profile if it has one of that name, else none (its version's settings). The space's wins:
 * the issue makes the space the unit that switches; a target's switch stays for compatibility and
 * still applies to the jobs its space's profile does not name.
 */
export function effectiveProfile(
  profiles: readonly ResourceProfile[],
  active: ActiveProfiles,
): ResourceProfile | null {
  return profileNamed(profiles, active.space) ?? profileNamed(profiles, active.target);
}

export const SWITCH_STEP_STATUSES = ['waiting', 'upgrading', 'succeeded', 'failed', 'skipped'] as const;
export type SwitchStepStatus = (typeof SWITCH_STEP_STATUSES)[number];

/** One job's part in a switch: its upgrade submission, or why it was skipped or failed. */
export interface SwitchStep {
  job: string;
  status: SwitchStepStatus;
  /** The upgrade's submission number, once launched. */
  submission: number | null;
  reason: string | null;
}

export interface ProfileSwitch {
  /** The profile switched to (null: back to the versions' own settings). */
  profile: string | null;
  from: string | null;
  author: string;
  startedAt: string;
  finishedAt: string | null;
  /** How many jobs were upgraded at once. */
  concurrency: number;
  jobs: SwitchStep[];
}

/** The option keys TaskManager resources go by (the CLI's --taskmanager-memory, --slots, --taskmanager-cpu). */
export const TASKMANAGER_MEMORY = 'taskmanager.memory.process.size';
export const TASKMANAGER_SLOTS = 'taskmanager.numberOfTaskSlots';
export const TASKMANAGER_CPU = 'kubernetes.taskmanager.cpu';

// Profile names are short words users type and see (normal, peak, night): a DNS-1123 label, as job names.
const NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

export function checkProfileName(name: string, field = 'name'): void {
  if (!NAME.test(name)) throw invalid(field, message('profile.badName', { name }));
}

/**
 * A profile as given, checked as a version's parallelism and options are: what is wrong is refused
 * naming the field, and nothing is kept.
 */
export function parseProfile(input: {
  name: string;
  parallelism: number;
  options?: Record<string, string> | undefined;
}): ResourceProfile {
  checkProfileName(input.name);
  checkParallelism(input.parallelism);
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.options ?? {})) {
    const key = k.trim();
    const issue = flinkOptionIssue(key, v);
    if (issue) throw invalid(`options.${key}`, message('job.badOption', { key, problem: issue }));
    options[key] = v.trim();
  }
  if (options['parallelism.default'] !== undefined)
    throw invalid('options.parallelism.default', message('job.parallelismOption', { min: 1, max: 1024 }));
  const memory = options[TASKMANAGER_MEMORY];
  if (memory !== undefined && !(parseMemorySize(memory) ?? 0))
    throw invalid(
      `options.${TASKMANAGER_MEMORY}`,
      message('cluster.memoryNotASize', { field: TASKMANAGER_MEMORY, value: memory }),
    );
  for (const key of [TASKMANAGER_SLOTS, TASKMANAGER_CPU]) {
    const v = options[key];
    if (v !== undefined && !(Number(v) > 0))
      throw invalid(`options.${key}`, message('kubernetes.badNumber', { option: key, value: v }));
  }
  if (options[TASKMANAGER_SLOTS] !== undefined && !Number.isInteger(Number(options[TASKMANAGER_SLOTS])))
    throw invalid(
      `options.${TASKMANAGER_SLOTS}`,
      message('kubernetes.badNumber', { option: TASKMANAGER_SLOTS, value: options[TASKMANAGER_SLOTS]! }),
    );
  // Switching profiles restores a savepoint: the number of key groups its state is kept in must stay.
  if (options['pipeline.max-parallelism'] !== undefined)
    throw invalid('options.pipeline.max-parallelism', message('profile.maxParallelism'));
  return { name: input.name, parallelism: input.parallelism, options };
}

/** The job's profile of that name, if it has one (a job without it runs its version's settings). */
export const profileNamed = (
  profiles: readonly ResourceProfile[],
  name: string | null,
): ResourceProfile | null => (name === null ? null : (profiles.find((p) => p.name === name) ?? null));

/**
 * What a job runs with: its version's settings overlaid by its active profile (parallelism replaced,
 * options merged, the profile's winning). Without a profile the version's own settings, unchanged.
 */
export function effectiveContent<C extends JobContent>(content: C, profile: ResourceProfile | null): C {
  if (!profile) return content;
  return {
    ...content,
    parallelism: profile.parallelism,
    options: { ...content.options, ...profile.options },
  };
}

/** A profile in one line, for submission logs and the CLI. */
export function describeProfile(p: ResourceProfile): string {
  const opts = Object.entries(p.options)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return `${p.name}: parallelism ${p.parallelism}${opts.length ? `, ${opts.join(', ')}` : ''}`;
}
