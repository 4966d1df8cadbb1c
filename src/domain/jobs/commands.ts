import { message, type Message } from '../messages.ts';
import { isEnded, type LifecycleState, type SubmissionInFlight } from './lifecycle.ts';

/** What a user (or the platform, for resubmit) can ask of a job. */
export type JobCommand = 'start' | 'stop' | 'cancel' | 'savepoint' | 'upgrade' | 'resubmit' | 'delete';

/** The facts of a job that decide which commands it takes. */
export interface CommandSubject {
  state: LifecycleState;
  submissionInFlight: SubmissionInFlight;
  flinkJobId: string | null;
  lastKnownState: LifecycleState | null;
}

const LIVE: readonly LifecycleState[] = ['RUNNING', 'NOT_RUNNING', 'JM_RUNNING', 'PODS_RUNNING'];

/** A start in progress can be cancelled: the step under way ends, then nothing of it remains. */
export const CANCELLABLE_SUBMISSIONS: readonly SubmissionInFlight[] = [
  'starting',
  'resubmitting',
  'upgrading',
];

/**
 * Why a command is refused in the job's present state, in words the user can act on, or null when it
 * is allowed. One rule for the server, which refuses with it, and the console, which disables the
 * button and shows it.
 */
export function commandRefusal(job: CommandSubject, command: JobCommand): Message | null {
  const s = job.state;
  if (job.submissionInFlight)
    return command === 'cancel' && CANCELLABLE_SUBMISSIONS.includes(job.submissionInFlight)
      ? null
      : message('command.busy', { submissionInFlight: job.submissionInFlight });
  switch (command) {
    case 'start':
      if (s === 'CREATED' || isEnded(s)) return null;
      if (s === 'UNKNOWN') return message('command.unseen', { state: job.lastKnownState ?? 'UNKNOWN' });
      return job.flinkJobId
        ? message('command.alreadyLiveAs', { state: s, flinkJobId: job.flinkJobId })
        : message('command.alreadyLive', { state: s });
    case 'resubmit':
      return s === 'FAILED' ? null : message('command.notFailed', { state: s });
    case 'stop':
    case 'cancel':
      if (!LIVE.includes(s) && s !== 'UNKNOWN') return message('command.notRunning', { state: s });
      return job.flinkJobId ? null : message('command.noFlinkJob');
    case 'savepoint':
    case 'upgrade':
      if (s !== 'RUNNING') return message('command.savepointNeedsRunning', { state: s });
      return job.flinkJobId ? null : message('command.noFlinkJob');
    case 'delete':
      return s === 'CREATED' || isEnded(s) ? null : message('command.stopFirst', { state: s });
  }
}

/** The refusal of a command as an error message: what was asked, of which job, and why not. */
export const commandRefused = (job: string, command: JobCommand, why: Message): Message =>
  message('command.refused', { command, job, why });
