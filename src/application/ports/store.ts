import type { LocalClusterSpec } from '../../domain/clusters/local-cluster-spec.ts';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';
import type { Engine } from '../../domain/engines/engine.ts';
import type { Job } from '../../domain/jobs/job.ts';
import type { JobEvent, SavepointRecord, Submission } from '../../domain/jobs/submission.ts';
import type { JobContent, JobVersion } from '../../domain/jobs/versions.ts';
import type { CatalogDefinition } from '../../domain/workspace/catalogs.ts';
import type { KafkaConnection } from '../../domain/kafka/kafka-connection.ts';
import type { RunGraphShape } from '../../domain/metrics/job-graph.ts';
import type { SpaceStore } from './spaces.ts';

/**
 * The metadata store as the application sees it: one repository per concern. The SQLite/PostgreSQL
 * store (src/adapters/store) and the in-memory one (src/adapters/store/memory) implement it.
 */
export interface MetadataStore {
  readonly engines: EngineStore;
  readonly targets: TargetStore;
  readonly jobs: JobStore;
  readonly lifecycle: LifecycleStore;
  readonly workspace: WorkspaceStore;
  /** Spaces, their members, and the space of each thing. */
  readonly spaces: SpaceStore;
  /** What keeps the data, for health and messages: 'sqlite', 'postgres' or 'memory'. */
  readonly dialect: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface EngineStore {
  list(): Promise<Engine[]>;
  get(version: string): Promise<Engine | undefined>;
  getDefault(): Promise<Engine | undefined>;
  /** Inserts or replaces an engine; the first engine ever saved becomes the default. */
  save(e: Omit<Engine, 'isDefault'>): Promise<Engine>;
  setDefault(version: string): Promise<void>;
  remove(version: string): Promise<void>;
}

/** A session cluster Sluice does not run: any Flink reachable over REST, with an optional SQL Gateway. */
export interface RemoteClusterSpec {
  name: string;
  engineVersion: string;
  restUrl: string;
  gatewayUrl: string | null;
}

export type SessionTargetRecord =
  | { name: string; kind: 'local'; spec: LocalClusterSpec; createdAt: string }
  | { name: string; kind: 'remote'; spec: RemoteClusterSpec; createdAt: string };
export type KubernetesTargetRecord = {
  name: string;
  kind: 'kubernetes';
  spec: KubernetesTargetSpec;
  createdAt: string;
};
/** A stored deployment target: its kind as the store names it, and its spec as JSON. */
export type StoredTargetRecord = SessionTargetRecord | KubernetesTargetRecord;
/** How the store names the kind of a stored target. */
export type StoredTargetKind = StoredTargetRecord['kind'];

/** What happened to a cluster's processes: started, adopted, exited, restarted, stopped, orphan-killed. */
export interface ClusterEvent {
  id: number;
  clusterName: string;
  processId: string;
  kind: string;
  detail: string;
  at: string;
}

export interface TargetStore {
  list(): Promise<StoredTargetRecord[]>;
  get(name: string): Promise<StoredTargetRecord | undefined>;
  save(spec: LocalClusterSpec): Promise<void>;
  /** A new one lands in `space` (default `default`) in the same write, a space that is not there refusing it with nothing written; an existing one keeps its space. */
  save(
    spec: LocalClusterSpec | RemoteClusterSpec | KubernetesTargetSpec,
    kind: StoredTargetKind,
    space?: string,
  ): Promise<void>;
  remove(name: string): Promise<void>;
  recordEvent(clusterName: string, processId: string, kind: string, detail: string): Promise<void>;
  /** The newest `limit` events, oldest first. */
  events(clusterName: string, limit?: number): Promise<ClusterEvent[]>;
}

/** The runtime facts of a job, written by the lifecycle and the tracker, never by an edit. */
export type RuntimePatch = Partial<
  Pick<
    Job,
    | 'state'
    | 'stateReason'
    | 'stateReasonMessage'
    | 'stateSince'
    | 'lastKnownState'
    | 'desiredState'
    | 'submissionInFlight'
    | 'flinkJobId'
    | 'deployedVersion'
    | 'resubmissions'
  >
>;

export interface JobStore {
  /**
   * A job and its version 1 in `space` (default `default`), together or not at all: a space that is
   * not there refuses it (404) with nothing written.
   */
  create(name: string, content: JobContent, author: string, message: string, space?: string): Promise<Job>;
  /**
   * Saves a new version on top of `baseVersion`. If someone saved in between, nothing is written and
   * the conflict names both versions.
   */
  saveVersion(
    jobId: string,
    baseVersion: number,
    content: JobContent,
    author: string,
    message: string,
  ): Promise<JobVersion>;
  versions(jobId: string): Promise<JobVersion[]>;
  version(jobId: string, n: number): Promise<JobVersion | undefined>;
  getByName(name: string): Promise<Job | undefined>;
  getById(id: string): Promise<Job | undefined>;
  list(): Promise<Job[]>;
  /** Jobs the tracker watches: a Flink job id and a state that is not final. */
  tracked(): Promise<Job[]>;
  updateRuntime(id: string, patch: RuntimePatch): Promise<void>;
  /** Deletes the job and everything recorded about it (savepoint files stay on disk). */
  remove(id: string): Promise<void>;
}

export type NewSubmission = Omit<Submission, 'id' | 'number' | 'createdAt' | 'finishedAt' | 'uploadedJarId'>;

export type SubmissionPatch = Partial<
  Pick<
    Submission,
    | 'status'
    | 'flinkJobId'
    | 'savepointPath'
    | 'uploadedJarId'
    | 'steps'
    | 'failedStep'
    | 'error'
    | 'errorMessage'
    | 'rootCause'
    | 'finishedAt'
  >
>;

/** Submissions, state-transition events and savepoint records of jobs. */
export interface LifecycleStore {
  /** A new submission: no jar uploaded for it yet. */
  createSubmission(s: NewSubmission): Promise<Submission>;
  updateSubmission(id: string, patch: SubmissionPatch): Promise<void>;
  submission(id: string): Promise<Submission | undefined>;
  submissionByNumber(jobId: string, n: number): Promise<Submission | undefined>;
  /** Oldest first. */
  submissions(jobId: string): Promise<Submission[]>;
  runningSubmissions(): Promise<Submission[]>;
  addEvent(e: Omit<JobEvent, 'id' | 'at'>): Promise<JobEvent>;
  events(jobId: string): Promise<JobEvent[]>;
  addSavepoint(s: Omit<SavepointRecord, 'id' | 'createdAt'>): Promise<SavepointRecord>;
  /** Newest first. */
  savepoints(jobId: string): Promise<SavepointRecord[]>;
  removeSavepoint(id: string): Promise<void>;
  /** Keeps (or replaces) the graph of a run (its Flink job id), as seen while it ran. */
  keepRunGraph(jobId: string, flinkJobId: string, shape: RunGraphShape): Promise<void>;
  /** The kept graph of a run, with when it was kept; undefined for a run never seen running. */
  runGraph(flinkJobId: string): Promise<KeptRunGraph | undefined>;
}

export interface KeptRunGraph {
  jobId: string;
  flinkJobId: string;
  shape: RunGraphShape;
  keptAt: string;
}

/** A variable as stored: a secret's value is the sealed text, opened only by the variable service. */
export interface StoredVariable {
  name: string;
  storedValue: string;
  secret: boolean;
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** What the workspace shares between jobs: variables (and secrets) and catalog definitions. */
export interface WorkspaceStore {
  variables(): Promise<StoredVariable[]>;
  variable(name: string): Promise<StoredVariable | undefined>;
  /** A new one lands in `space` (default `default`) in the same write, a space that is not there refusing it with nothing written; an existing one keeps its space. */
  saveVariable(v: Omit<StoredVariable, 'createdAt' | 'updatedAt'>, space?: string): Promise<void>;
  deleteVariable(name: string): Promise<boolean>;
  catalogs(): Promise<CatalogDefinition[]>;
  catalog(name: string): Promise<CatalogDefinition | undefined>;
  /** A new one lands in `space` (default `default`) in the same write, a space that is not there refusing it with nothing written; an existing one keeps its space. */
  saveCatalog(c: Omit<CatalogDefinition, 'createdAt' | 'updatedAt'>, space?: string): Promise<void>;
  deleteCatalog(name: string): Promise<boolean>;
  /** Names of jobs whose current version uses the catalog. */
  jobsUsingCatalog(name: string): Promise<string[]>;
}

/** A Kafka connection as stored: its SASL password sealed, opened only where a client connects. */
export interface StoredKafkaConnection extends KafkaConnection {
  sealedPassword: string | null;
}

/** Kafka clusters registered as connections. */
export interface KafkaConnectionStore {
  list(): Promise<StoredKafkaConnection[]>;
  get(name: string): Promise<StoredKafkaConnection | undefined>;
  save(c: Omit<StoredKafkaConnection, 'createdAt' | 'updatedAt'>): Promise<void>;
  delete(name: string): Promise<boolean>;
}
