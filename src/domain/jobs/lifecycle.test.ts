import { describe, expect, it } from 'vitest';
import {
  canTransition,
  IllegalTransition,
  isEnded,
  LIFECYCLE_STATES,
  keepsMilestoneWhileStarting,
  milestoneAfterRestart,
  nextStateForObservation,
  podTroubleRestatesReason,
  stateFromFlink,
  transition,
  type LifecycleState,
} from './lifecycle.ts';

/** Every pair of states, with the answer the lifecycle must give. */
const LEGAL: Record<LifecycleState, LifecycleState[]> = {
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
  STOPPING: ['STOPPED', 'FAILED', 'RUNNING', 'NOT_RUNNING', 'CANCELLING', 'UNKNOWN', 'FINISHED', 'CANCELLED'],
  CANCELLING: ['CANCELLED', 'FAILED', 'RUNNING', 'NOT_RUNNING', 'UNKNOWN', 'FINISHED', 'STOPPED'],
  FINISHED: ['STARTING'],
  STOPPED: ['STARTING'],
  FAILED: ['STARTING'],
  CANCELLED: ['STARTING'],
  UNKNOWN: ['RUNNING', 'NOT_RUNNING', 'FINISHED', 'STOPPED', 'FAILED', 'CANCELLED', 'STOPPING', 'CANCELLING'],
};

describe('job lifecycle', () => {
  const pairs = LIFECYCLE_STATES.flatMap((from) =>
    LIFECYCLE_STATES.filter((to) => to !== from).map((to) => [from, to] as const),
  );

  it.each(pairs)('%s -> %s is allowed exactly when the table says so', (from, to) => {
    const legal = LEGAL[from].includes(to);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(transition(from, to, 'r', 'user')).toEqual({ from, to, reason: 'r', source: 'user' });
    else expect(() => transition(from, to, 'r', 'user')).toThrow(IllegalTransition);
  });

  it('treats staying in a state as no transition', () => {
    for (const s of LIFECYCLE_STATES) expect(transition(s, s, 'r', 'flink')).toBeUndefined();
  });

  it('only a start leaves an ended state; UNKNOWN never becomes FAILED by itself', () => {
    for (const s of LIFECYCLE_STATES.filter(isEnded)) expect(LEGAL[s]).toEqual(['STARTING']);
    // UNKNOWN resolves only through an observation (or a user's stop/cancel), never to STARTING.
    expect(canTransition('UNKNOWN', 'STARTING')).toBe(false);
  });

  it('maps Flink states, reading FINISHED after a stop as STOPPED', () => {
    expect(stateFromFlink('RUNNING', null)).toBe('RUNNING');
    expect(stateFromFlink('RESTARTING', null)).toBe('NOT_RUNNING');
    expect(stateFromFlink('FINISHED', null)).toBe('FINISHED');
    expect(stateFromFlink('FINISHED', 'stopping')).toBe('STOPPED');
    expect(stateFromFlink('CANCELED', null)).toBe('CANCELLED');
    expect(stateFromFlink('FAILED', 'stopping')).toBe('FAILED');
  });

  it('decides the next state for an observation', () => {
    expect(nextStateForObservation('STARTING', 'INITIALIZING', 'starting')).toBeUndefined();
    expect(nextStateForObservation('PODS_RUNNING', 'RUNNING', 'starting')).toBe('RUNNING');
    expect(nextStateForObservation('RUNNING', 'RESTARTING', null)).toBe('NOT_RUNNING');
    expect(nextStateForObservation('NOT_RUNNING', 'RUNNING', null)).toBe('RUNNING');
    expect(nextStateForObservation('STOPPING', 'RUNNING', 'stopping')).toBeUndefined();
    expect(nextStateForObservation('STOPPING', 'FINISHED', 'stopping')).toBe('STOPPED');
    expect(nextStateForObservation('UNKNOWN', 'RUNNING', null)).toBe('RUNNING');
    expect(nextStateForObservation('RUNNING', 'RUNNING', null)).toBeUndefined();
    expect(nextStateForObservation('CANCELLING', 'CANCELED', 'cancelling')).toBe('CANCELLED');
    expect(nextStateForObservation('RUNNING', 'RUNNING', null, false)).toBe('NOT_RUNNING');
    expect(nextStateForObservation('NOT_RUNNING', 'RUNNING', null, false)).toBeUndefined();
    expect(nextStateForObservation('NOT_RUNNING', 'RUNNING', null, true)).toBe('RUNNING');
    // A start at its milestone whose tasks still deploy keeps the milestone; then RUNNING.
    expect(nextStateForObservation('PODS_RUNNING', 'RUNNING', null, false)).toBeUndefined();
    expect(nextStateForObservation('JM_RUNNING', 'RUNNING', null, false)).toBeUndefined();
    expect(nextStateForObservation('PODS_RUNNING', 'RUNNING', null, true)).toBe('RUNNING');
  });

  it('a pod of the cluster that cannot run makes a running job NOT_RUNNING before Flink says so, and keeps it there', () => {
    expect(nextStateForObservation('RUNNING', 'RUNNING', null, true, true)).toBe('NOT_RUNNING');
    expect(nextStateForObservation('PODS_RUNNING', 'RUNNING', null, true, true)).toBe('NOT_RUNNING');
    // Flink says RUNNING again while the pod still crashes: the job stays NOT_RUNNING.
    expect(nextStateForObservation('NOT_RUNNING', 'RUNNING', null, true, true)).toBeUndefined();
    expect(nextStateForObservation('NOT_RUNNING', 'RESTARTING', null, true, true)).toBeUndefined();
    // Flink's own end wins over a pod's trouble.
    expect(nextStateForObservation('RUNNING', 'FAILED', null, true, true)).toBe('FAILED');
    expect(podTroubleRestatesReason('NOT_RUNNING', true)).toBe(true);
    expect(podTroubleRestatesReason('NOT_RUNNING', false)).toBe(false);
    expect(podTroubleRestatesReason('RUNNING', true)).toBe(false);
  });

  it('a start interrupted by a restart while its cluster comes up is adopted at the milestone its pods show, never a step back', () => {
    expect(milestoneAfterRestart('STARTING', false, false)).toBe('STARTING');
    expect(milestoneAfterRestart('STARTING', true, false)).toBe('JM_RUNNING');
    expect(milestoneAfterRestart('STARTING', true, true)).toBe('PODS_RUNNING');
    expect(milestoneAfterRestart('PODS_RUNNING', true, false)).toBe('PODS_RUNNING');
    expect(keepsMilestoneWhileStarting('JM_RUNNING')).toBe(true);
    expect(keepsMilestoneWhileStarting('RUNNING')).toBe(false);
  });
});
