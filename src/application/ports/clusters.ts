import type { LogRetention } from '../../domain/logs/log-retention.ts';
import type { LocalClusterSpec } from '../../domain/clusters/local-cluster-spec.ts';
import type {
  ApplicationClusters,
  DeploymentTarget,
  SqlWorkbench,
} from '../../domain/targets/deployment-target.ts';
import type { FlinkDistribution } from './engines.ts';
import type { JobLogs } from '../../domain/logs/job-logs.ts';
import type { FlinkClusterFacts } from '../../domain/targets/target-resources.ts';

/** What Flink's `/overview` says of a cluster. */
export interface ClusterOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'flink-version': string;
}

export interface ClusterProcessStatus {
  id: string;
  /** jobmanager, taskmanager, sql-gateway (an application cluster's own roles beside them). */
  role: string;
  pid: number | null;
  alive: boolean;
  adopted: boolean;
  restarts: number;
  startedAt: string | null;
  logFile: string;
  /** The port its Prometheus reporter listens on while it runs; null when it has none. */
  metricsPort: number | null;
}

export type LocalClusterState = 'stopped' | 'starting' | 'running' | 'degraded' | 'stopping';

export interface LocalClusterStatus {
  name: string;
  state: LocalClusterState;
  flinkVersion: string;
  restUrl: string;
  gatewayUrl: string;
  processes: ClusterProcessStatus[];
  overview: ClusterOverview | null;
  gatewayHealthy: boolean;
}

/** A process event of a local cluster: started, adopted, exited, restarted, stopped, orphan-killed. */
export type ClusterEventSink = (processId: string, kind: string, detail: string) => void;

/** The processes of one local cluster, supervised by the platform. */
export interface LocalClusterProcesses {
  readonly spec: LocalClusterSpec;
  readonly dist: FlinkDistribution;
  readonly restUrl: string;
  readonly gatewayUrl: string;
  /** Starts (or adopts) every process; resolves when the cluster answers with all of them. */
  start(progress?: (line: string) => void): Promise<void>;
  stop(): Promise<void>;
  /** Stops supervising but leaves the processes running, for the next platform process to adopt. */
  detach(): void;
  status(): Promise<LocalClusterStatus>;
  /** Its processes' log files (they stay after it stops), shared by the jobs it runs. */
  readonly logs?: JobLogs;
}

/**
 * What the machine offers the cluster service: local cluster processes, reaching a cluster by address,
 * and the deployment target of a session cluster. `C` is the adapter's own cluster type, so that the
 * composition root (and tests through it) keep its extra powers.
 */
export interface ClusterRuntime<C extends LocalClusterProcesses = LocalClusterProcesses> {
  /** Makes what every local cluster needs before the first is made (the home's TLS keys, once). */
  prepareLocalClusters(): Promise<void>;
  /** The processes of a local cluster kept under `root` (nothing is started). */
  localCluster(spec: LocalClusterSpec, dist: FlinkDistribution, root: string, onEvent: ClusterEventSink): C;
  /** True when any process of the cluster kept under `root` is alive (left by a platform that died). */
  hasLiveProcesses(root: string): boolean;
  portFree(port: number): Promise<boolean>;
  /** Where a local cluster on these ports is reached once started (its scheme: TLS or plain HTTP). */
  localUrls(ports: { restPort: number; gatewayPort: number }): { restUrl: string; gatewayUrl: string };
  /** Flink's overview at a REST address; throws when nothing answers there. */
  overview(restUrl: string): Promise<ClusterOverview>;
  /** A Flink cluster's TaskManagers, slots and jobs at a REST address (resources view); throws when nothing answers there. */
  flinkResources(restUrl: string): Promise<FlinkClusterFacts>;
  /** True when a SQL Gateway answers at the address. */
  gatewayAnswers(gatewayUrl: string): Promise<boolean>;
  /** The deployment target of a session cluster; `ensureRunning` starts a local one on demand. */
  sessionTarget(
    name: string,
    kind: 'local' | 'remote',
    restUrl: string,
    gatewayUrl: string | null,
    ensureRunning?: (log: (line: string) => void) => Promise<void>,
    /** The cluster's logs when they are read otherwise than through its REST API (a local cluster's files). */
    logs?: JobLogs,
  ): DeploymentTarget;
  /** The local application target of an engine: each job in a cluster of its own, kept under `root`. */
  applicationTarget(opts: ApplicationTargetOptions): ApplicationTarget;
}

/** A target whose jobs each run in a cluster of their own. */
export type ApplicationTarget = DeploymentTarget & {
  readonly applications: ApplicationClusters;
  /** The live clusters, with their job's name and processes. */
  clusters(): { jobName: string; flinkJobId: string; restUrl: string; processes: ClusterProcessStatus[] }[];
};

export interface ApplicationTargetOptions {
  name: string;
  /** The engine's distribution, read when a cluster is made (a broken engine fails that start, not the platform). */
  distribution: () => Promise<FlinkDistribution>;
  /** Where the target keeps its jobs' clusters (configuration, jars, logs). */
  root: string;
  sluiceHome: string;
  mavenLocalRepository: string | undefined;
  mavenMirror: string | undefined;
  /** Process events of a job's cluster, by the job's name. */
  onEvent: (jobName: string) => ClusterEventSink;
  /** SQL sessions (explain, debug runs, catalogs) of the engine's session cluster. */
  workbench: SqlWorkbench | null;
  /** The runs per job whose folders (their logs) are kept, by count and age; a running one is never deleted. */
  logRetention: LogRetention;
}
