import { commandRefusal, type CommandSubject, type JobCommand } from '../../../domain/jobs/commands.ts';
import type { Message } from '../../../domain/messages.ts';
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

/**
 * Which commands a job takes now, and why not where it does not: the server's own rule, so that a
 * button is enabled exactly when the server would accept it.
 */
export function availableActions(
  job: CommandSubject,
): Record<Exclude<JobCommand, 'resubmit'>, { allowed: boolean; why: Message | null }> {
  const one = (c: JobCommand) => {
    const why = commandRefusal(job, c);
    return { allowed: why === null, why };
  };
  return {
    start: one('start'),
    stop: one('stop'),
    cancel: one('cancel'),
    savepoint: one('savepoint'),
    upgrade: one('upgrade'),
    delete: one('delete'),
  };
}
