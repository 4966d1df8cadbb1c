import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_STATES,
  type LifecycleState,
  type SubmissionInFlight,
} from '../../../domain/jobs/lifecycle.ts';
import { availableActions, stateBadge } from './job-state.ts';

describe('stateBadge', () => {
  it('gives every lifecycle state a tone, moving only while on the way', () => {
    for (const s of LIFECYCLE_STATES) expect(stateBadge(s).tone).toBeTruthy();
    expect(stateBadge('RUNNING')).toEqual({ tone: 'success', moving: false });
    expect(stateBadge('STARTING')).toEqual({ tone: 'processing', moving: true });
    expect(stateBadge('FAILED').tone).toBe('error');
  });

  it('enables exactly what the server accepts, and says why not otherwise', () => {
    const job = (state: LifecycleState, submissionInFlight: SubmissionInFlight = null) => ({
      state,
      submissionInFlight,
      flinkJobId: 'f1',
      lastKnownState: null,
    });
    const allowed = (j: ReturnType<typeof job>) =>
      Object.entries(availableActions(j))
        .filter(([, a]) => a.allowed)
        .map(([c]) => c);
    expect(allowed(job('RUNNING'))).toEqual(['stop', 'cancel', 'savepoint', 'upgrade']);
    expect(allowed(job('STOPPED'))).toEqual(['start', 'delete']);
    expect(allowed(job('NOT_RUNNING'))).toEqual(['stop', 'cancel']);
    expect(allowed(job('STOPPING', 'stopping'))).toEqual([]);
    // A start under way can be cancelled, and nothing else.
    expect(allowed(job('JM_RUNNING', 'starting'))).toEqual(['cancel']);
    expect(availableActions(job('RUNNING')).delete.why).toEqual({
      code: 'command.stopFirst',
      params: { state: 'RUNNING' },
    });
    expect(availableActions(job('RUNNING', 'savepointing')).stop.why).toEqual({
      code: 'command.busy',
      params: { submissionInFlight: 'savepointing' },
    });
  });
});
