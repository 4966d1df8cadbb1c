import { isEnded, type LifecycleState, type OperationInFlight } from './lifecycle.ts';

/** What a user (or the platform, for resubmit) can ask of a job. */
export type JobCommand = 'start' | 'stop' | 'cancel' | 'savepoint' | 'upgrade' | 'resubmit' | 'delete';

/** The facts of a job that decide which commands it takes. */
export interface CommandSubject {
  state: LifecycleState;
  operation: OperationInFlight;
  flinkJobId: string | null;
  lastKnownState: LifecycleState | null;
}

const LIVE: readonly LifecycleState[] = ['RUNNING', 'NOT_RUNNING', 'JM_RUNNING', 'PODS_RUNNING'];

/**
 * Why a command is refused in the job's present state, in words the user can act on, or null when it
 * is allowed. One rule for the server, which refuses with it, and the console, which disables the
 * button and shows it.
 */
export function commandRefusal(job: CommandSubject, command: JobCommand): string | null {
  const s = job.state;
  if (job.operation) return `it is busy: ${job.operation}; wait for it to finish`;
  switch (command) {
    case 'start':
      if (s === 'CREATED' || isEnded(s)) return null;
      return s === 'UNKNOWN'
        ? `the platform cannot see it right now (last seen ${job.lastKnownState}); wait, or cancel it`
        : `it is already ${s}${job.flinkJobId ? ` as Flink job ${job.flinkJobId}` : ''}; stop it before starting it again`;
    case 'resubmit':
      return s === 'FAILED' ? null : `it is ${s}, not FAILED`;
    case 'stop':
    case 'cancel':
      if (!LIVE.includes(s) && s !== 'UNKNOWN') return `it is ${s}, not running`;
      return job.flinkJobId ? null : 'it has no Flink job';
    case 'savepoint':
    case 'upgrade':
      if (s !== 'RUNNING') return `it is ${s}; a savepoint needs a RUNNING job`;
      return job.flinkJobId ? null : 'it has no Flink job';
    case 'delete':
      return s === 'CREATED' || isEnded(s) ? null : `it is ${s}: stop or cancel it before deleting it`;
  }
}
