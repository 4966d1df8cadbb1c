import type { Message } from '../messages.ts';
import type { LifecycleState } from './lifecycle.ts';

/**
 * Each start, stop, cancel, savepoint, upgrade, or resubmission by the platform after Flink gave up on
 * a job, is a submission (a "batch") with ordered steps.
 */
export type SubmissionKind = 'start' | 'stop' | 'cancel' | 'savepoint' | 'resubmit' | 'upgrade';
export type SubmissionStatus = 'running' | 'succeeded' | 'failed' | 'rolled_back' | 'cancelled';

export interface SubmissionStep {
  name: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  startedAt: string;
  endedAt: string | null;
  log: string[];
}

export interface SubmissionParams {
  fromSavepoint?: string | undefined;
  allowNonRestoredState?: boolean | undefined;
  drain?: boolean | undefined;
  withSavepoint?: boolean | undefined;
  /** The resource profile a start, upgrade or resubmission deploys with (recorded when it is launched). */
  profile?: string | undefined;
  /** The deployment target whose profile switch launched this upgrade. */
  profileSwitch?: string | undefined;
}

export interface Submission {
  id: string;
  jobId: string;
  /** 1, 2, 3... per job. */
  number: number;
  kind: SubmissionKind;
  versionNumber: number;
  status: SubmissionStatus;
  previousState: LifecycleState;
  flinkJobId: string | null;
  savepointPath: string | null;
  /**
   * A jar uploaded to a session cluster's JobManager for this submission and not deleted yet: recorded
   * before the run, so that a platform that dies before the delete removes it when it starts again.
   */
  uploadedJarId: string | null;
  params: SubmissionParams;
  steps: SubmissionStep[];
  failedStep: string | null;
  error: string | null;
  /** The error as a message code with parameters (null for errors kept before codes existed). */
  errorMessage: Message | null;
  rootCause: string | null;
  author: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface JobEvent {
  id: number;
  jobId: string;
  from: LifecycleState;
  to: LifecycleState;
  reason: string;
  reasonMessage: Message | null;
  source: 'user' | 'flink' | 'platform';
  submissionId: string | null;
  at: string;
}

export interface SavepointRecord {
  id: string;
  jobId: string;
  submissionId: string | null;
  flinkJobId: string;
  path: string;
  kind: 'savepoint' | 'checkpoint';
  /** Why it exists: a stop, a user's trigger, an upgrade, or a checkpoint retained by Flink. */
  origin: 'stop' | 'user' | 'upgrade' | 'retained';
  sizeBytes: number | null;
  createdAt: string;
}
