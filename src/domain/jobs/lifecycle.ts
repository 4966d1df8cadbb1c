import type { FlinkJobState } from './job.ts';

/**
 * The job lifecycle, in one place. The nine states of the Jidu account (started, JM running, all pods
 * running, running, not running, finished, stopping, stopped, failed) plus cancelling/cancelled, the
 * never-deployed CREATED, and UNKNOWN for "the platform cannot see the job right now". On the local
 * target the pod-level states follow the cluster processes: JM_RUNNING once the JobManager answers,
 * PODS_RUNNING once every TaskManager has registered.
 */
export const LIFECYCLE_STATES = [
  'CREATED',
  'STARTING',
  'JM_RUNNING',
  'PODS_RUNNING',
  'RUNNING',
  'NOT_RUNNING',
  'FINISHED',
  'STOPPING',
  'STOPPED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
  'UNKNOWN',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export type TransitionSource = 'user' | 'flink' | 'platform';

const ENDED: LifecycleState[] = ['FINISHED', 'STOPPED', 'FAILED', 'CANCELLED'];
/** States the platform can only learn from Flink; UNKNOWN may resolve into any of them. */
const OBSERVABLE: LifecycleState[] = ['RUNNING', 'NOT_RUNNING', 'FINISHED', 'STOPPED', 'FAILED', 'CANCELLED'];

const ALLOWED: Record<LifecycleState, readonly LifecycleState[]> = {
  CREATED: ['STARTING'],
  STARTING: [
    'JM_RUNNING',
    'PODS_RUNNING',
    'RUNNING',
    'NOT_RUNNING',
    'FAILED',
    'FINISHED',
    'STOPPING',
    'CANCELLING',
    'UNKNOWN',
    'CREATED',
    'STOPPED',
    'CANCELLED',
  ],
  JM_RUNNING: ['PODS_RUNNING', 'RUNNING', 'NOT_RUNNING', 'FAILED', 'STOPPING', 'CANCELLING', 'UNKNOWN'],
  PODS_RUNNING: ['RUNNING', 'NOT_RUNNING', 'FAILED', 'FINISHED', 'STOPPING', 'CANCELLING', 'UNKNOWN'],
  RUNNING: ['NOT_RUNNING', 'FINISHED', 'FAILED', 'STOPPING', 'CANCELLING', 'UNKNOWN', 'STOPPED', 'CANCELLED'],
  NOT_RUNNING: ['RUNNING', 'FINISHED', 'FAILED', 'STOPPING', 'CANCELLING', 'UNKNOWN', 'STOPPED', 'CANCELLED'],
  // A stop or cancel that Flink refuses leaves the job running.
  STOPPING: ['STOPPED', 'FAILED', 'RUNNING', 'NOT_RUNNING', 'CANCELLING', 'UNKNOWN', 'FINISHED', 'CANCELLED'],
  CANCELLING: ['CANCELLED', 'FAILED', 'RUNNING', 'NOT_RUNNING', 'UNKNOWN', 'FINISHED', 'STOPPED'],
  FINISHED: ['STARTING'],
  STOPPED: ['STARTING'],
  FAILED: ['STARTING'],
  CANCELLED: ['STARTING'],
  UNKNOWN: [...OBSERVABLE, 'STOPPING', 'CANCELLING'],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return ALLOWED[from].includes(to);
}

export class IllegalTransition extends Error {
  constructor(
    readonly from: LifecycleState,
    readonly to: LifecycleState,
  ) {
    super(`a job cannot go from ${from} to ${to}`);
  }
}

export interface Transition {
  from: LifecycleState;
  to: LifecycleState;
  reason: string;
  source: TransitionSource;
}

/** Checks a transition; a transition to the same state is not a transition (returns undefined). */
export function transition(
  from: LifecycleState,
  to: LifecycleState,
  reason: string,
  source: TransitionSource,
): Transition | undefined {
  if (from === to) return undefined;
  if (!canTransition(from, to)) throw new IllegalTransition(from, to);
  return { from, to, reason, source };
}

export const isEnded = (s: LifecycleState): boolean => ENDED.includes(s);

/** The submission the platform is running against Flink for a job right now (not a background operation), kept apart from what the job runs. */
export type SubmissionInFlight =
  'starting' | 'stopping' | 'cancelling' | 'savepointing' | 'upgrading' | 'resubmitting' | null;

/**
 * What Flink's job status means for the lifecycle, given what the platform was doing. Stop-with-
 * savepoint ends as FINISHED in Flink: that is STOPPED here when a stop was in flight.
 */
export function stateFromFlink(flink: FlinkJobState, submissionInFlight: SubmissionInFlight): LifecycleState {
  switch (flink) {
    case 'RUNNING':
      return 'RUNNING';
    case 'FINISHED':
      return submissionInFlight === 'stopping' || submissionInFlight === 'upgrading' ? 'STOPPED' : 'FINISHED';
    case 'CANCELED':
      return submissionInFlight === 'stopping' || submissionInFlight === 'upgrading'
        ? 'STOPPED'
        : 'CANCELLED';
    case 'FAILED':
      return 'FAILED';
    case 'CANCELLING':
      return 'CANCELLING';
    case 'UNKNOWN':
      return 'UNKNOWN';
    case 'INITIALIZING':
    case 'CREATED':
    case 'RESTARTING':
    case 'FAILING':
    case 'RECONCILING':
    case 'SUSPENDED':
      return 'NOT_RUNNING';
  }
}

const START_MILESTONES: LifecycleState[] = ['STARTING', 'JM_RUNNING', 'PODS_RUNNING'];

/**
 * The state a tracked job should move to for an observation, or undefined to stay. INITIALIZING and
 * CREATED right after a start are part of starting, not a fall from RUNNING. `podsFailing`: a pod of
 * the job's own cluster cannot run (Kubernetes: Unschedulable, CrashLoopBackOff, OOMKilled...), which
 * the pods show before Flink does: the job is not running, whatever Flink still reports.
 */
export function nextStateForObservation(
  current: LifecycleState,
  flink: FlinkJobState,
  submissionInFlight: SubmissionInFlight,
  allTasksRunning = true,
  podsFailing = false,
): LifecycleState | undefined {
  // A RUNNING job whose tasks wait for slots (a TaskManager died) or still deploy is not running.
  const observed =
    flink === 'RUNNING' && (!allTasksRunning || podsFailing)
      ? 'NOT_RUNNING'
      : stateFromFlink(flink, submissionInFlight);
  if (observed === current) return undefined;
  // A start still under way (a job adopted at its milestone after a restart): its tasks deploying,
  // with no pod failing, are not a job that stopped running.
  if (
    START_MILESTONES.includes(current) &&
    (flink === 'INITIALIZING' ||
      flink === 'CREATED' ||
      (flink === 'RUNNING' && !allTasksRunning && !podsFailing))
  )
    return undefined;
  if (current === 'STOPPING' && observed === 'RUNNING') return undefined; // the stop is still in progress
  if (current === 'CANCELLING' && (observed === 'RUNNING' || observed === 'NOT_RUNNING')) return undefined;
  if (observed === 'CANCELLING')
    return current === 'CANCELLING'
      ? undefined
      : canTransition(current, 'CANCELLING')
        ? 'CANCELLING'
        : undefined;
  return canTransition(current, observed) ? observed : undefined;
}

/**
 * A job whose start a platform restart interrupted while its own cluster was coming up (adopted, its
 * JobManager not answering yet): the milestone its pods show, never a step back from the one it had.
 */
export function milestoneAfterRestart(
  current: LifecycleState,
  jobManagerRunning: boolean,
  allRunning: boolean,
): LifecycleState {
  const seen =
    allRunning && jobManagerRunning ? 'PODS_RUNNING' : jobManagerRunning ? 'JM_RUNNING' : 'STARTING';
  return START_MILESTONES.indexOf(current) > START_MILESTONES.indexOf(seen) ? current : seen;
}

/** A job at a start milestone keeps it while its own cluster is still coming up (not UNKNOWN). */
export const keepsMilestoneWhileStarting = (current: LifecycleState): boolean =>
  START_MILESTONES.includes(current);

/**
 * A job that stays NOT_RUNNING takes the failing pod's words as its reason (Flink's "TaskManager lost"
 * said the first part; the pod that cannot come back says why it does not).
 */
export const podTroubleRestatesReason = (current: LifecycleState, podsFailing: boolean): boolean =>
  podsFailing && current === 'NOT_RUNNING';
