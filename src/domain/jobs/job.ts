import { invalid } from '../errors.ts';

/** A job as the platform keeps it. The lifecycle issue adds versions and submissions around it. */
export interface Job {
  id: string;
  name: string;
  description: string;
  kind: 'sql';
  sql: string;
  /** Flink options managed per job (never shared with another job). */
  options: Record<string, string>;
  parallelism: number;
  engineVersion: string;
  /** The deployment target: for now the name of a session cluster. */
  clusterName: string;
  /** The Flink job id of the current deployment, recorded as soon as Flink returns it. */
  flinkJobId: string | null;
  createdAt: string;
  updatedAt: string;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Job names double as Kubernetes resource names later, so they follow the DNS-1123 label rule. */
export function checkJobName(name: string): void {
  if (!NAME.test(name))
    throw invalid(
      'name',
      `'${name}' is not a valid job name: use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
}

export function checkParallelism(p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > 1024)
    throw invalid('parallelism', `${p} is not a valid parallelism: use a whole number from 1 to 1024`);
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

export const TERMINAL_FLINK_STATES: ReadonlySet<FlinkJobState> = new Set(['FAILED', 'CANCELED', 'FINISHED']);
