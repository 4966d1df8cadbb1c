import { invalid } from '../errors.ts';
import { message, type Message } from '../messages.ts';
import type { LifecycleState, SubmissionInFlight } from './lifecycle.ts';
import type { JobContent } from './versions.ts';

/**
 * A job as the platform keeps it: the content of its current version, and apart from it three facts
 * about its deployment: what it runs (`state`), what the user asked for (`desiredState`) and what the
 * platform is doing to it (`submissionInFlight`: the job submission under way). Whether it needs a
 * deploy is derived: the deployed version differs from the current one.
 */
export type Job = JobRuntime & JobContent;

/** What the platform keeps about a job beside its content. */
export interface JobRuntime {
  id: string;
  name: string;
  /** The Flink job id of the current deployment, recorded before it is submitted. */
  flinkJobId: string | null;
  currentVersion: number;
  deployedVersion: number | null;
  state: LifecycleState;
  stateReason: string | null;
  /** The reason as a message code with parameters (null for reasons kept before codes existed). */
  stateReasonMessage: Message | null;
  stateSince: string | null;
  /** While UNKNOWN: the last state the platform saw. */
  lastKnownState: LifecycleState | null;
  desiredState: 'running' | 'stopped';
  submissionInFlight: SubmissionInFlight;
  /** Times the platform submitted the job again after Flink gave up on it (its resubmit policy), since the last start. */
  resubmissions: number;
  createdAt: string;
  updatedAt: string;
}

/** The content of a job's current version, as its row keeps it beside the runtime facts. */
export const contentOf = (j: Job): JobContent => {
  const common = {
    description: j.description,
    options: j.options,
    parallelism: j.parallelism,
    engineVersion: j.engineVersion,
    target: j.target,
    restartPolicy: j.restartPolicy,
    resubmitPolicy: j.resubmitPolicy,
  };
  return j.kind === 'sql'
    ? { kind: 'sql', ...common, sql: j.sql, catalogs: j.catalogs, artifacts: j.artifacts }
    : {
        kind: 'jar',
        ...common,
        jar: j.jar,
        entryClass: j.entryClass,
        args: j.args,
        classpath: j.classpath,
      };
};

export const needsDeploy = (j: Job): boolean =>
  j.deployedVersion !== null && j.deployedVersion !== j.currentVersion;

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Job names double as Kubernetes resource names later, so they follow the DNS-1123 label rule. */
export function checkJobName(name: string): void {
  if (!NAME.test(name)) throw invalid('name', message('job.badName', { name }));
}

export function checkParallelism(p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > 1024)
    throw invalid('parallelism', message('job.badParallelism', { value: String(p) }));
}

/** Runtime states Flink reports for a job, plus UNKNOWN when the platform cannot see the cluster. */
export type FlinkJobState =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING'
  | 'UNKNOWN';

/** A Flink job in one of these states will not run again. */
export const flinkJobEnded = (state: string): boolean => ['FINISHED', 'CANCELED', 'FAILED'].includes(state);
