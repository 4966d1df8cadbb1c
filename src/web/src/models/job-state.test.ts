import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STATES } from '../../../domain/jobs/lifecycle.ts';
import { availableActions, stateBadge } from './job-state.ts';

describe('stateBadge', () => {
  it('gives every lifecycle state a tone, moving only while on the way', () => {
    for (const s of LIFECYCLE_STATES) expect(stateBadge(s).tone).toBeTruthy();
    expect(stateBadge('RUNNING')).toEqual({ tone: 'success', moving: false });
    expect(stateBadge('STARTING')).toEqual({ tone: 'processing', moving: true });
    expect(stateBadge('FAILED').tone).toBe('error');
  });

  it('offers stop only for a running job and start only for one that is not live', () => {
    expect(availableActions('RUNNING')).toEqual({ start: false, stop: true, cancel: true });
    expect(availableActions('STOPPED')).toEqual({ start: true, stop: false, cancel: false });
    expect(availableActions('STOPPING')).toEqual({ start: false, stop: false, cancel: false });
  });
});
