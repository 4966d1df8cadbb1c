import { SluiceError } from '../errors.ts';
import type { FlinkJobState } from '../jobs/job.ts';
import { message } from '../messages.ts';
import type { ApplicationResources } from '../clusters/application-resources.ts';
import type { SqlDeploymentPlan } from '../sql/deployment-plan.ts';
import type { TargetKindName } from './target-kinds.ts';
import type { JobLogs } from '../logs/job-logs.ts';
import type { ExceptionHistory } from '../logs/exception-history.ts';
import type { FlinkJobGraphAnswers } from '../metrics/job-graph.ts';

/**
 * Where jobs run, split by role as the Flink Kubernetes Operator splits its FlinkService: a deployer
 * changes what runs, an observer reads what runs, and an optional SQL workbench offers SQL sessions
 * (explain, debug runs, catalog browsing), and the logs of the Flink processes. Which kind of target it is (`kind`) is a name of the
 * registry of target kinds (target-kinds.ts), whose entry says how a job is deployed there.
 */
export interface DeploymentTarget {
  readonly name: string;
  /** A registered target kind: 'local-session', 'remote-session', 'local-application'. */
  readonly kind: TargetKindName;
  /** Makes the target able to take a job (a local cluster is started); reports milestones on the way. */
  prepare(log: (line: string) => void): Promise<void>;
  readonly deployer: Deployer;
  readonly observer: Observer;
  /** Null when the target has no SQL sessions (a session cluster registered without its SQL Gateway). */
  readonly workbench: SqlWorkbench | null;
  /** The per-job clusters of a kind whose deployments are application clusters; absent on session kinds. */
  readonly applications?: ApplicationClusters;
  /** How JAR jobs reach a session cluster (Flink REST /jars); absent where a job is deployed otherwise. */
  readonly jars?: JarRunner | null;
  /** The logs of the processes a job runs in (its own cluster's, or the session cluster's it shares); absent where none can be read. */
  readonly logs?: JobLogs;
  /**
   * Applies the log retention to the logs a session target keeps of its jobs' past runs (where the
   * target has no `applications` that do it); the platform calls it hourly.
   */
  pruneLogs?(log: (line: string) => void): void;
  /**
   * A folder this machine writes and the target's TaskManagers read at the same path (a Kubernetes
   * session's shared folder), where a debug run's rows files go; absent where there is none.
   */
  readonly debugFolder?: string;
  /**
   * Copies a jar of this machine to where the session's SQL Gateway and Flink processes read it at
   * the same path (a Kubernetes session's shared folder) and answers that path, which `ADD JAR` then
   * names. Absent where the gateway reads this machine's files as they are (local sessions).
   * `sha256`, a job's artifact's: the staged copy is named by it and checked against it.
   */
  stageJar?(file: string, sha256?: string): string;
  /**
   * A session cluster's Flink Web UI and REST where a plain fetch of its address cannot reach them
   * (a Kubernetes session: through the API server's service proxy, with the kubeconfig's credentials).
   */
  readonly sessionUi?: SessionUi;
}

/** Where Sluice's read-only proxy reaches a session cluster's Flink Web UI. */
export interface SessionUi {
  readonly baseUrl: string;
  /** Flink's answer, or the session's state when it is not running (nothing answered behind it). */
  get(pathAndQuery: string, signal: AbortSignal): Promise<RawResponse | { notRunning: string }>;
}

/** One run of a jar's main on a session cluster, as Flink's `POST /jars/:jarid/run` takes it. */
export interface JarRun {
  /** Null: the jar's Main-Class. */
  entryClass: string | null;
  args: string[];
  parallelism: number;
  /** The Flink job id Sluice reserved: the job is found again by it after a crash. */
  jobId: string;
  savepointPath: string | null;
  allowNonRestoredState: boolean;
  /** The job's Flink options for this run only. */
  flinkConfiguration: Record<string, string>;
}

/** Jars on a session cluster's JobManager: uploaded, run by their main, deleted. */
export interface JarRunner {
  /** Resolves with the jar's id on the JobManager. */
  uploadJar(file: string): Promise<string>;
  /** Resolves with the Flink job id; a main that throws is a StatementRefused with Flink's root cause. */
  runJar(jarId: string, run: JarRun): Promise<string>;
  deleteJar(jarId: string): Promise<void>;
}

/** Changes what runs on the target. */
export interface Deployer {
  /** Suspends the job with a savepoint (drain: emit MAX_WATERMARK first); resolves with its location. */
  stopWithSavepoint(flinkJobId: string, targetDirectory: string, drain: boolean): Promise<string>;
  cancel(flinkJobId: string): Promise<void>;
  triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string>;
}

/** Reads what runs on the target, never changing it. */
export interface Observer {
  /** The cluster-level facts: the JobManager answering, TaskManagers registered. Throws TargetUnreachable. */
  cluster(): Promise<ClusterFacts>;
  /** Every job the target knows, in one request. Throws TargetUnreachable when it cannot be asked. */
  observe(): Promise<Map<string, ObservedJob>>;
  /** The job's state, or 'absent' when the target (reachable) does not know the id. */
  jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'>;
  /** The job as the cluster's job overview shows it (with its tasks), or 'absent'. */
  observeJob(flinkJobId: string): Promise<ObservedJob | 'absent'>;
  /** The innermost cause of the job's latest failure, with the whole trace. */
  failureCause(flinkJobId: string): Promise<{ rootCause: string; trace: string } | null>;
  /** Flink's exception history of the job, newest first: read while a start waits and a task failed. */
  failures(flinkJobId: string): Promise<JobFailure[]>;
  /**
   * Flink's exception history of the job, each failure with its concurrent exceptions; 'absent' when
   * the cluster (reachable) does not know the job, or is gone. Throws TargetUnreachable otherwise.
   */
  exceptions(flinkJobId: string): Promise<ExceptionHistory | 'absent'>;
  /**
   * The JobManager's answers about a running job's graph (its vertices, plan, each vertex's backpressure
   * and records per second); 'absent' when the cluster (reachable) does not know the job, or is gone.
   * Throws TargetUnreachable otherwise. Read on demand.
   */
  jobGraph(flinkJobId: string): Promise<FlinkJobGraphAnswers | 'absent'>;
  /** What someone looking at one job wants beyond its state; read on demand, never by the tracker's round. */
  runtimeDetails(flinkJobId: string): Promise<RuntimeDetails>;
  /** The path of the job's latest completed savepoint, if it took one. */
  latestSavepoint(flinkJobId: string): Promise<string | null>;
  /** The external path of the latest completed checkpoint, if any was retained. */
  latestCheckpoint(flinkJobId: string): Promise<string | null>;
}

/** SQL sessions on the target, for what is not a deployment: explain, debug runs, catalog browsing. */
export interface SqlWorkbench {
  /**
   * A SQL session: one statement per call. `options` are the session's Flink options from its start,
   * as `SET` would make them, in the one request that opens it.
   */
  openSqlSession(name: string, options?: Record<string, string>): Promise<SqlSession>;
}

/** What the observer sees of the cluster itself (pod- and process-level facts). */
export interface ClusterFacts {
  /** Where the JobManager answered. */
  jobManager: string;
  /** TaskManagers registered with it. */
  taskManagers: number;
}

/** The target's SQL workbench, or a clear refusal naming the target when it has none. */
export function workbenchOf(target: DeploymentTarget): SqlWorkbench {
  if (!target.workbench)
    throw new SluiceError('precondition_failed', message('cluster.noGateway', { cluster: target.name }));
  return target.workbench;
}

/** The target's jar runs, or a clear refusal naming the target when it takes no jars. */
export function jarsOf(target: DeploymentTarget): JarRunner {
  if (!target.jars)
    throw new SluiceError('precondition_failed', message('target.noJarRuns', { target: target.name }));
  return target.jars;
}

export interface JobFailure {
  rootCause: string;
  trace: string;
  /** The exception's class name, e.g. org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException. */
  exception: string;
  at: string;
}

export interface ObservedJob {
  flinkJobId: string;
  name: string;
  state: FlinkJobState;
  /** Every task is RUNNING (or FINISHED): a RUNNING job can still be deploying or waiting for slots. */
  allTasksRunning: boolean;
  tasks: string;
}

export interface SqlSession {
  /** Runs one statement; rows are its first result page (a plan, a job id, OK). */
  execute(statement: string): Promise<{ jobId: string | null; rows: { kind: string; fields: unknown[] }[] }>;
  /** False once the gateway has forgotten the session (idle timeout, gateway restarted). */
  alive(): Promise<boolean>;
  /** Starts a query whose rows come back page by page through Flink's collect sink. */
  stream(statement: string): Promise<QueryStream>;
  close(): Promise<void>;
}

export interface QueryStream {
  /** The next page: empty while no row is ready; `ended` after the last one. */
  next(): Promise<{ columns: string[]; rows: { kind: string; fields: unknown[] }[]; ended: boolean }>;
  /** Ends the query; its Flink job is cancelled. */
  close(): Promise<void>;
}

export interface RuntimeDetails {
  restarts: number | null;
  lastCheckpoint: { id: number; path: string | null; completedAt: string } | null;
}

/** The target could not be asked; `detail` is what went wrong on the way (a refused connection...). */
export class TargetUnreachable extends Error {
  constructor(
    readonly target: string,
    readonly detail: string,
  ) {
    super(`cluster ${target} does not answer: ${detail}`);
  }
}

/** A job's own cluster that does not answer yet because it is still coming up (within its start's grace). */
export class ClusterStarting extends TargetUnreachable {}

/**
 * The clusters of a target whose deployments are application clusters: one cluster per job, made from
 * the job's spec when it starts and gone when it ends (its files stay, for the logs). A submission
 * drives them step by step, so that each step says what really happens; the job's own cluster is
 * observed as any cluster is, one request per cluster.
 */
export interface ApplicationClusters {
  /** Writes the program the job's cluster runs (the SQL runner's plan); nothing starts. */
  writeProgram(spec: ApplicationSpec, log: (line: string) => void): Promise<void>;
  /** Writes the cluster's files: its configuration, the jars of its classpath, the spec a restarted platform adopts it from. */
  prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void>;
  /**
   * Starts the JobManager (which runs the program and submits the job under its reserved id) and the
   * TaskManagers. Resolves with the Flink job id the job runs under when the cluster's manager chose
   * another than the reserved one (the operator picks a session job's id itself); from then on the
   * run is known by it.
   */
  start(flinkJobId: string, log: (line: string) => void): Promise<string | void>;
  /** What is seen of the job's cluster now: its processes and whether its JobManager answers. */
  facts(flinkJobId: string): Promise<ApplicationClusterFacts>;
  /** The observer of the job's own cluster: what the tracker asks, one request per cluster. */
  observerOf(flinkJobId: string): Observer;
  /** Stops the job's cluster (processes gone, ports free); its files stay for the logs. No-op when it is gone. */
  release(flinkJobId: string, log: (line: string) => void): Promise<void>;
  /** Where the job's JobManager answers while its cluster runs; null otherwise. */
  restUrl(flinkJobId: string): string | null;
  /**
   * A GET of the job's JobManager (Flink's Web UI and REST) where a plain fetch of restUrl cannot
   * reach it (Kubernetes: the API server's service proxy, with the kubeconfig's credentials); null
   * while its cluster is not running. Absent where restUrl is fetched as it is.
   */
  restGet?(flinkJobId: string, pathAndQuery: string, signal: AbortSignal): Promise<RawResponse | null>;
  /** Adopts the clusters an earlier platform process left running; the Flink job ids they run. */
  adopt(log: (line: string) => void): Promise<string[]>;
  /**
   * The Flink job id the cluster's manager chose for a run adopted by `adopt`, by the id Sluice
   * reserved for it: all a start killed before it recorded the chosen id left in the platform. Null
   * when none was chosen for it. Absent where the reserved id is the job's.
   */
  chosenJobId?(reservedId: string): string | null;
  /** Leaves every cluster running unsupervised (a platform restart that keeps Flink up). */
  detach(): void;
  /** Stops every cluster of the target. */
  stopAll(): Promise<void>;
  /**
   * Applies the log retention to the kept logs of every job's past runs (SLUICE_LOG_RETENTION_RUNS,
   * SLUICE_LOG_RETENTION); the platform calls it hourly, as runs age while no new one starts. Absent
   * where no logs are kept by the target.
   */
  pruneLogs?(log: (line: string) => void): void;
  /**
   * What a start would apply for the spec, without starting anything (Kubernetes: the manifests, and
   * the API server's server-side dry run of them when it can be asked). Absent where a cluster is not
   * made of declared objects (local processes).
   */
  render?(spec: ApplicationSpec, log: (line: string) => void): Promise<RenderedCluster>;
  /**
   * A pod of the job's cluster that cannot run now, in the scheduler's or kubelet's own words, read
   * from the target's watch (no request); null while every pod runs or may still come up. Absent
   * where a cluster has no pods (local processes).
   */
  podTrouble?(flinkJobId: string): Promise<PodTrouble | null>;
  /** Calls `listener` with the Flink job id whenever a pod of that job's cluster changes (pushed by a watch). */
  onPodChange?(listener: (flinkJobId: string) => void): void;
  /**
   * Upgrades in place (the operator way): a running cluster takes a new version by a change of its
   * spec, which the operator carries out. Absent where an upgrade stops the job and makes a new cluster.
   */
  inPlace?: InPlaceUpgrades;
}

/** A running job's cluster changed into the prepared one of its new version, by whoever manages it. */
export interface InPlaceUpgrades {
  /** The new version runs under the running job's Flink job id (its state is found by it), or a new one. */
  keepsFlinkJobId(): boolean;
  /**
   * Changes the cluster of the running Flink job `from` into the prepared spec of `to` (writeProgram
   * and prepareFiles done); resolves once the running job has ended, with the savepoint that carries
   * its state (null when none does) and what carries it, in words.
   */
  change(
    from: string,
    to: string,
    log: (line: string) => void,
  ): Promise<{ savepoint: string | null; carried: string }>;
}

/** A pod that cannot run: `Unschedulable`, `CrashLoopBackOff`, `OOMKilled`, `ImagePullBackOff`... */
export interface PodTrouble {
  pod: string;
  reason: string;
  /** The scheduler's or kubelet's message (what `kubectl describe pod` shows). */
  detail: string;
}

/** A job's cluster as it would be applied. */
export interface RenderedCluster {
  /** Every object, as YAML documents in the order they are applied. */
  yaml: string;
  objects: { kind: string; name: string }[];
  /** The API server's dry run of every object: accepted, or what it said; null when it was not asked. */
  dryRun: { accepted: boolean; detail: string } | null;
}

/** What is seen of one application cluster. */
export interface ApplicationClusterFacts {
  /** Where its JobManager answered; null while it does not (or is gone). */
  jobManager: string | null;
  taskManagers: number;
  /** The TaskManagers the cluster was made with. */
  expectedTaskManagers: number;
  /**
   * A process that died for good (the JobManager) or keeps dying, with its last log lines; on
   * Kubernetes a pod that cannot run, with the kubelet's reason (ImagePullBackOff, CrashLoopBackOff...)
   * and its message.
   */
  failing: {
    process: string;
    restartable: boolean;
    crashes: number;
    log: string;
    reason?: { reason: string; detail: string };
  } | null;
  /** What is seen now in the target's own words (pods Pending with the scheduler's message...), for the step's log. */
  status?: string;
  /** Its processes are running (or some of them). */
  alive: boolean;
  /** The folder of its configuration, jars and logs. */
  root: string;
  /** The last lines of the JobManager's log (its errors first), and of the first TaskManager's. */
  jobManagerLog: string;
  taskManagerLog: string;
}

/** What one job's application cluster is made from. */
export interface ApplicationSpec {
  jobName: string;
  /** The job's space: its Kubernetes pods carry it as a label (sluice.dev/space), as they carry its name. */
  space: string;
  /** Chosen and recorded before the cluster starts: after a crash the platform looks for exactly it. */
  flinkJobId: string;
  program:
    | {
        kind: 'sql';
        /** The job's statements and Flink options (restart strategy, parallelism, its own options). */
        plan: SqlDeploymentPlan;
        catalogs: { name: string; statement: string }[];
      }
    | {
        kind: 'jar';
        /** Resolved before the cluster starts (the manifest's Main-Class when the job names none). */
        entryClass: string;
        args: string[];
        /** The run's Flink options (restart strategy, parallelism, the job's own): the cluster's configuration. */
        options: Record<string, string>;
      };
  /** Files put on the cluster's classpath (usrlib): a JAR job's own jar first, then its classpath; a SQL job's artifacts. */
  jars: string[];
  savepoint: string | null;
  allowNonRestoredState: boolean;
  resources: ApplicationResources;
}

/** An HTTP answer as it came: status, content type and body bytes. */
export interface RawResponse {
  status: number;
  contentType: string | null;
  body: Buffer;
}
