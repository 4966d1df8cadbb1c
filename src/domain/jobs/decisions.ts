import type { FlinkJobState } from './job.ts';
import type { LifecycleState, SubmissionInFlight, TransitionSource } from './lifecycle.ts';
import type { SubmissionKind } from './submission.ts';

/**
 * The lifecycle's decisions, as pure functions: which state a command leads to, what a failed step
 * leaves, what an interruption (a platform killed mid-submission) leaves. The submission runner and
 * the reconciler act on them; which commands a state allows is commands.ts, what an observation
 * leads to is lifecycle.ts (nextStateForObservation).
 */

/** What Flink said of a job when the platform looked: a state, or that the cluster does not know it. */
export type FlinkSeen = FlinkJobState | 'absent';

export interface CommandOutcome {
  /** The state the job moves to when the command is accepted; null: it stays where it is. */
  to: LifecycleState | null;
  source: TransitionSource;
  submissionInFlight: Exclude<SubmissionInFlight, null>;
  /** What the user asked for, when the command says it. */
  desiredState?: 'running' | 'stopped';
}

/** Which state a command leads to, and which submission it puts in flight and what the user wants. */
export function commandOutcome(kind: SubmissionKind): CommandOutcome {
  switch (kind) {
    case 'start':
      return { to: 'STARTING', source: 'user', submissionInFlight: 'starting', desiredState: 'running' };
    case 'resubmit':
      return { to: 'STARTING', source: 'platform', submissionInFlight: 'resubmitting' };
    case 'stop':
      return { to: 'STOPPING', source: 'user', submissionInFlight: 'stopping', desiredState: 'stopped' };
    case 'upgrade':
      return { to: 'STOPPING', source: 'user', submissionInFlight: 'upgrading', desiredState: 'running' };
    case 'cancel':
      return { to: 'CANCELLING', source: 'user', submissionInFlight: 'cancelling', desiredState: 'stopped' };
    case 'savepoint':
      return { to: null, source: 'user', submissionInFlight: 'savepointing' };
  }
}

export type FailedStepOutcome =
  | {
      /** A start (or resubmission, or the start half of an upgrade) that failed. */
      deploying: true;
      to: 'FAILED';
      /** A Flink job was created but never ran: cancel it, nothing keeps running. */
      cancelFlinkJob: boolean;
      /** The Flink job id names a job Flink has; an id Flink never received names nothing. */
      keepFlinkJobId: boolean;
      /** A resubmission whose Flink job failed again goes on to the policy's next attempt. */
      resubmitAgain: boolean;
      desiredState: 'running' | 'stopped';
      reason: 'failedNoJob' | 'failedAtStep';
    }
  | {
      /** A stop, cancel or savepoint that failed leaves the job as Flink reports it. */
      deploying: false;
      to: LifecycleState;
      /** Nothing moves: the job is already there (or the command was a savepoint). */
      stay: boolean;
      reason: 'failedJobGone' | 'failedJobIs';
    };

const ended = (s: FlinkSeen) => s === 'FINISHED' || s === 'CANCELED' || s === 'FAILED';

/** What the state is after a running command's step failed, given what Flink says of the job now. */
export function afterFailedStep(f: {
  kind: SubmissionKind;
  /** The submission had begun deploying a Flink job. */
  deploying: boolean;
  observed: FlinkSeen;
  current: LifecycleState;
}): FailedStepOutcome {
  if (f.deploying) {
    // A start that never ran is not a runtime failure: the resubmit policy does not apply, and what
    // the user asked for is back to stopped.
    const resubmitAgain = f.kind === 'resubmit' && f.observed !== 'absent';
    return {
      deploying: true,
      to: 'FAILED',
      cancelFlinkJob: f.observed !== 'absent' && !ended(f.observed),
      keepFlinkJobId: f.observed !== 'absent',
      resubmitAgain,
      desiredState: resubmitAgain ? 'running' : 'stopped',
      reason: f.observed === 'absent' ? 'failedNoJob' : 'failedAtStep',
    };
  }
  const to: LifecycleState =
    f.observed === 'RUNNING'
      ? 'RUNNING'
      : f.observed === 'absent' || f.observed === 'FAILED'
        ? 'FAILED'
        : 'NOT_RUNNING';
  return {
    deploying: false,
    to,
    stay: f.current === to || f.kind === 'savepoint',
    reason: f.observed === 'absent' ? 'failedJobGone' : 'failedJobIs',
  };
}

/**
 * What a failed upgrade in place leaves. Before its cluster's spec change began nothing of the running
 * job changed: the job stays on it (its Flink job id again; the id reserved for the new version named
 * nothing) and the failure is a failed command on a running job. From the change on, it is a failed
 * start of the new version.
 */
export function afterFailedInPlaceUpgrade(f: {
  /** The Flink job the upgrade was to change. */
  running: string;
  /** The id reserved for the new version, if it got that far (the running one's in last-state mode). */
  reserved: string | null;
  /** The step that changes the running cluster's spec had begun. */
  changeBegun: boolean;
}): { keepsRunning: true; flinkJobId: string; dropReservation: boolean } | { keepsRunning: false } {
  if (f.changeBegun) return { keepsRunning: false };
  return { keepsRunning: true, flinkJobId: f.running, dropReservation: f.reserved !== null };
}

export type InterruptionOutcome =
  /** The cluster does not answer: the outcome is not known; UNKNOWN until the tracker sees it. */
  | { submission: 'failed'; to: 'UNKNOWN'; why: 'silent' }
  /** The reserved Flink job exists: the start is finished and the job re-attached. */
  | { submission: 'succeeded'; to: LifecycleState; why: 'reattached' }
  /** Flink never received the job: rolled back, nothing runs. */
  | { submission: 'rolled_back'; to: 'FAILED'; why: 'rolledBack' }
  /** A stop, cancel or savepoint: Flink's answer decides whether it was carried out. */
  | { submission: 'succeeded' | 'failed'; to: LifecycleState; why: 'asked' | 'interrupted' };

/** Submissions that start a Flink job (an upgrade once it reserved the id of its new one). */
export const startsAJob = (kind: SubmissionKind, reservedId: boolean): boolean =>
  kind === 'start' || kind === 'resubmit' || (kind === 'upgrade' && reservedId);

/**
 * What a submission a killed platform left half-way leaves, from what Flink says now (never by
 * guessing). `seen` is the reserved Flink job for a start, the job's current one otherwise.
 */
export function afterInterruption(i: {
  kind: SubmissionKind;
  reservedId: boolean;
  seen: FlinkSeen | 'unreachable';
  current: LifecycleState;
}): InterruptionOutcome {
  if (i.seen === 'unreachable') return { submission: 'failed', to: 'UNKNOWN', why: 'silent' };
  if (startsAJob(i.kind, i.reservedId)) {
    if (i.seen === 'absent') return { submission: 'rolled_back', to: 'FAILED', why: 'rolledBack' };
    const to = i.seen === 'RUNNING' ? 'RUNNING' : i.current === 'STARTING' ? 'NOT_RUNNING' : i.current;
    return { submission: 'succeeded', to, why: 'reattached' };
  }
  // What Flink shows decides: a cancel or stop that Flink carried out before the crash succeeded.
  const done =
    (i.kind === 'cancel' && i.seen === 'CANCELED') ||
    (i.kind === 'stop' && (i.seen === 'FINISHED' || i.seen === 'CANCELED'));
  const to: LifecycleState =
    i.seen === 'RUNNING'
      ? 'RUNNING'
      : i.seen === 'FINISHED' && (i.kind === 'stop' || i.kind === 'upgrade')
        ? 'STOPPED'
        : i.seen === 'CANCELED'
          ? 'CANCELLED'
          : i.seen === 'absent' || i.seen === 'FAILED'
            ? 'FAILED'
            : 'NOT_RUNNING';
  return { submission: done ? 'succeeded' : 'failed', to, why: done ? 'asked' : 'interrupted' };
}
