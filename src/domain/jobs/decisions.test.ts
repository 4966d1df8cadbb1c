import { describe, expect, it } from 'vitest';
import {
  afterFailedInPlaceUpgrade,
  afterFailedStep,
  afterInterruption,
  commandOutcome,
  startsAJob,
} from './decisions.ts';
import { canTransition, transition } from './lifecycle.ts';
import type { SubmissionKind } from './submission.ts';

const KINDS: SubmissionKind[] = ['start', 'resubmit', 'stop', 'upgrade', 'cancel', 'savepoint'];

describe('which state a command leads to', () => {
  it('says state, source, submissionInFlight and what the user wants for every command', () => {
    expect(Object.fromEntries(KINDS.map((k) => [k, commandOutcome(k)]))).toEqual({
      start: { to: 'STARTING', source: 'user', submissionInFlight: 'starting', desiredState: 'running' },
      resubmit: { to: 'STARTING', source: 'platform', submissionInFlight: 'resubmitting' },
      stop: { to: 'STOPPING', source: 'user', submissionInFlight: 'stopping', desiredState: 'stopped' },
      upgrade: { to: 'STOPPING', source: 'user', submissionInFlight: 'upgrading', desiredState: 'running' },
      cancel: { to: 'CANCELLING', source: 'user', submissionInFlight: 'cancelling', desiredState: 'stopped' },
      savepoint: { to: null, source: 'user', submissionInFlight: 'savepointing' },
    });
  });

  it('only leads where the lifecycle allows from a state the command is taken in', () => {
    expect(transition('CREATED', commandOutcome('start').to!, 'r', 'user')).not.toBeNull();
    expect(transition('FAILED', commandOutcome('resubmit').to!, 'r', 'platform')).not.toBeNull();
    expect(transition('RUNNING', commandOutcome('stop').to!, 'r', 'user')).not.toBeNull();
    expect(transition('RUNNING', commandOutcome('cancel').to!, 'r', 'user')).not.toBeNull();
  });
});

describe('what a failed step leaves', () => {
  it('a start that created no Flink job: FAILED, desired stopped, the id forgotten, nothing to cancel', () => {
    expect(
      afterFailedStep({ kind: 'start', deploying: true, observed: 'absent', current: 'PODS_RUNNING' }),
    ).toEqual({
      deploying: true,
      to: 'FAILED',
      cancelFlinkJob: false,
      keepFlinkJobId: false,
      resubmitAgain: false,
      desiredState: 'stopped',
      reason: 'failedNoJob',
    });
  });

  it('a start whose Flink job exists and never ran: cancel it; a resubmission goes on to its next attempt', () => {
    expect(
      afterFailedStep({ kind: 'start', deploying: true, observed: 'CREATED', current: 'STARTING' }),
    ).toMatchObject({
      cancelFlinkJob: true,
      keepFlinkJobId: true,
      resubmitAgain: false,
      desiredState: 'stopped',
    });
    expect(
      afterFailedStep({ kind: 'resubmit', deploying: true, observed: 'FAILED', current: 'NOT_RUNNING' }),
    ).toMatchObject({
      cancelFlinkJob: false,
      keepFlinkJobId: true,
      resubmitAgain: true,
      desiredState: 'running',
      reason: 'failedAtStep',
    });
  });

  it('a stop, cancel or savepoint leaves the job as Flink reports it', () => {
    const f = (observed: Parameters<typeof afterFailedStep>[0]['observed'], kind: SubmissionKind = 'stop') =>
      afterFailedStep({ kind, deploying: false, observed, current: 'STOPPING' });
    expect(f('RUNNING')).toMatchObject({ to: 'RUNNING', stay: false, reason: 'failedJobIs' });
    expect(f('absent')).toMatchObject({ to: 'FAILED', reason: 'failedJobGone' });
    expect(f('FAILED')).toMatchObject({ to: 'FAILED' });
    expect(f('RESTARTING')).toMatchObject({ to: 'NOT_RUNNING' });
    expect(f('RUNNING', 'savepoint')).toMatchObject({ to: 'RUNNING', stay: true });
    expect(
      afterFailedStep({ kind: 'cancel', deploying: false, observed: 'RUNNING', current: 'RUNNING' }),
    ).toMatchObject({ stay: true });
  });
});

describe('what an interruption leaves', () => {
  it('a silent cluster: the outcome is not known, UNKNOWN', () => {
    for (const kind of KINDS)
      expect(afterInterruption({ kind, reservedId: true, seen: 'unreachable', current: 'STARTING' })).toEqual(
        {
          submission: 'failed',
          to: 'UNKNOWN',
          why: 'silent',
        },
      );
  });

  it('a start: re-attached when the reserved job exists, rolled back when Flink never received it', () => {
    expect(
      afterInterruption({ kind: 'start', reservedId: true, seen: 'RUNNING', current: 'PODS_RUNNING' }),
    ).toEqual({
      submission: 'succeeded',
      to: 'RUNNING',
      why: 'reattached',
    });
    expect(
      afterInterruption({ kind: 'start', reservedId: true, seen: 'CREATED', current: 'STARTING' }).to,
    ).toBe('NOT_RUNNING');
    expect(
      afterInterruption({ kind: 'resubmit', reservedId: false, seen: 'absent', current: 'STARTING' }),
    ).toEqual({
      submission: 'rolled_back',
      to: 'FAILED',
      why: 'rolledBack',
    });
  });

  it('an upgrade is a start once it reserved its new id, a stop before', () => {
    expect(startsAJob('upgrade', true)).toBe(true);
    expect(startsAJob('upgrade', false)).toBe(false);
    expect(
      afterInterruption({ kind: 'upgrade', reservedId: false, seen: 'FINISHED', current: 'STOPPING' }),
    ).toEqual({
      submission: 'failed',
      to: 'STOPPED',
      why: 'interrupted',
    });
  });

  it('a stop or cancel Flink carried out succeeded; otherwise the job is as Flink says', () => {
    const f = (kind: SubmissionKind, seen: Parameters<typeof afterInterruption>[0]['seen']) =>
      afterInterruption({ kind, reservedId: false, seen, current: 'STOPPING' });
    expect(f('stop', 'FINISHED')).toEqual({ submission: 'succeeded', to: 'STOPPED', why: 'asked' });
    expect(f('stop', 'CANCELED')).toEqual({ submission: 'succeeded', to: 'CANCELLED', why: 'asked' });
    expect(f('cancel', 'CANCELED')).toEqual({ submission: 'succeeded', to: 'CANCELLED', why: 'asked' });
    expect(f('stop', 'RUNNING')).toEqual({ submission: 'failed', to: 'RUNNING', why: 'interrupted' });
    expect(f('cancel', 'absent')).toEqual({ submission: 'failed', to: 'FAILED', why: 'interrupted' });
    expect(f('savepoint', 'RESTARTING')).toEqual({
      submission: 'failed',
      to: 'NOT_RUNNING',
      why: 'interrupted',
    });
  });
});

describe('what a failed upgrade in place leaves', () => {
  const running = 'a'.repeat(32);
  it('before the spec change began: the job stays on its running Flink job, the new id dropped', () => {
    expect(afterFailedInPlaceUpgrade({ running, reserved: 'b'.repeat(32), changeBegun: false })).toEqual({
      keepsRunning: true,
      flinkJobId: running,
      dropReservation: true,
    });
    // last-state reserves the running id itself: the submission still started nothing.
    expect(afterFailedInPlaceUpgrade({ running, reserved: running, changeBegun: false })).toEqual({
      keepsRunning: true,
      flinkJobId: running,
      dropReservation: true,
    });
    // A failure at 'resolve version' or 'validate' reserved nothing.
    expect(afterFailedInPlaceUpgrade({ running, reserved: null, changeBegun: false })).toEqual({
      keepsRunning: true,
      flinkJobId: running,
      dropReservation: false,
    });
  });
  it('once the spec change began: a failed start of the new version', () => {
    expect(afterFailedInPlaceUpgrade({ running, reserved: 'b'.repeat(32), changeBegun: true })).toEqual({
      keepsRunning: false,
    });
  });
  it('a job kept on its running Flink job goes back from STOPPING as a failed stop does', () => {
    const o = afterFailedStep({
      kind: 'upgrade',
      deploying: false,
      observed: 'RUNNING',
      current: 'STOPPING',
    });
    expect(o).toMatchObject({ deploying: false, to: 'RUNNING', stay: false });
    expect(canTransition('STOPPING', 'RUNNING')).toBe(true);
  });
});
