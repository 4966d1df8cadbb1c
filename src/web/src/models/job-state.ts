import type { LifecycleState } from '../../../domain/jobs/lifecycle.ts';

export type BadgeTone = 'success' | 'processing' | 'error' | 'warning' | 'default';

/** How a lifecycle state looks: its tone, and whether it is on the way somewhere (animated). */
export function stateBadge(state: LifecycleState): { tone: BadgeTone; moving: boolean } {
  switch (state) {
    case 'RUNNING':
      return { tone: 'success', moving: false };
    case 'STARTING':
    case 'JM_RUNNING':
    case 'PODS_RUNNING':
    case 'STOPPING':
    case 'CANCELLING':
      return { tone: 'processing', moving: true };
    case 'FAILED':
      return { tone: 'error', moving: false };
    case 'NOT_RUNNING':
    case 'UNKNOWN':
      return { tone: 'warning', moving: false };
    default:
      return { tone: 'default', moving: false };
  }
}

/** Which lifecycle commands make sense in a state (the server checks again). */
export function availableActions(state: LifecycleState): { start: boolean; stop: boolean; cancel: boolean } {
  const live = ['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING', 'NOT_RUNNING', 'UNKNOWN'].includes(
    state,
  );
  return {
    start: !live && !['STOPPING', 'CANCELLING'].includes(state),
    stop: state === 'RUNNING',
    cancel: live,
  };
}
