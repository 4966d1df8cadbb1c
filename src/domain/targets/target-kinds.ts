import { DEFAULT_SPACE } from '../access/spaces.ts';
import { defaultClusterName } from '../clusters/local-cluster-spec.ts';
import type { JobKind } from '../jobs/versions.ts';

/**
 * The registry of deployment target kinds. Each kind says what its deployments are made of: the
 * steps a submission shows are the kind's own, so that they say what really happens there. The
 * session kinds and `local-application` are here; the Kubernetes kinds register later. A Kubernetes
 * session kind deploys its jobs as a local session does (the same steps), on a cluster in pods.
 */
export type TargetKindName =
  | 'local-session'
  | 'remote-session'
  | 'local-application'
  | 'kubernetes-operator'
  | 'kubernetes-native'
  | 'kubernetes-standalone'
  | 'kubernetes-standalone-session'
  | 'kubernetes-native-session'
  | 'kubernetes-operator-session';

export interface TargetKind {
  name: TargetKindName;
  /** How the store, the HTTP API and the CLI name it ('local' | 'remote' | 'application'). */
  wireKind: 'local' | 'remote' | 'application' | 'kubernetes';
  /** Sluice runs its processes (and starts them on demand), or only reaches it by address. */
  managed: boolean;
  /**
   * What one job's deployment is on this kind, which says how the submission deploys it: a job in a
   * shared session cluster, or a cluster of its own made for the job and gone when it ends.
   */
  deployment: 'session-job' | 'application-cluster';
  /**
   * A JAR job's classpath artifacts reach its JobManager and TaskManagers: they read files on this
   * machine (local kinds), or the job's own cluster gets them in its usrlib (application clusters).
   * False where a session's processes run elsewhere: Flink ships no `pipeline.classpaths`.
   */
  classpathReachable: boolean;
  /**
   * The steps of a start after "resolve version" and "validate", in order, for each kind of job
   * content; bracketed ones are optional. Null: the kind does not take that content (yet).
   */
  deploySteps: Record<JobKind, readonly string[] | null>;
  /** The milestones of an application-cluster kind's start; absent on session kinds. */
  milestones?: ApplicationMilestones;
}

/** A job on a session cluster goes through its SQL Gateway: one session with the job's options. */
const SESSION_DEPLOY_STEPS = [
  'prepare cluster',
  'open SQL session',
  '[add jars]',
  '[create catalogs]',
  'create tables',
  'plan',
  'submit',
  'wait until running',
] as const;

/**
 * The milestones of a start on a kind whose jobs each run in a cluster of their own, in its own words:
 * the cluster is started (local processes) or applied (Kubernetes objects); its JobManager is seen
 * (JM_RUNNING), then every TaskManager (PODS_RUNNING). `pods`: they are seen as pods, not processes.
 */
export interface ApplicationMilestones {
  start: string;
  jobManager: string;
  taskManagers: string;
  pods: boolean;
  /**
   * The step of an upgrade in place, where the kind has one: the running cluster's spec changes and
   * its manager (the operator) carries the job's state into the new version. Absent: an upgrade stops
   * the job with a savepoint and starts the new version from it.
   */
  inPlaceUpgrade?: string;
  /**
   * The JobManager asks for its TaskManagers once its program has planned the job (Flink's native
   * way, also under the operator), so their milestone also waits for the program: a SQL job's planning takes a minute on a
   * loaded machine.
   */
  taskManagersAfterProgram?: boolean;
}

/** Local processes: the JobManager answers on its REST port, the TaskManagers have registered with it. */
const LOCAL_MILESTONES: ApplicationMilestones = {
  start: 'start application cluster',
  jobManager: 'JobManager answers',
  taskManagers: 'TaskManagers registered',
  pods: false,
};

/** Kubernetes: the objects are applied, the JobManager pod is Running, then every TaskManager pod. */
const POD_MILESTONES: ApplicationMilestones = {
  start: 'apply resources',
  jobManager: 'JobManager pod running',
  taskManagers: 'TaskManager pods running',
  pods: true,
};

/** The operator: Sluice applies a FlinkDeployment, the operator deploys the JobManager, which makes the TaskManager pods. */
const OPERATOR_MILESTONES: ApplicationMilestones = {
  start: 'apply FlinkDeployment',
  jobManager: 'JobManager pod running',
  taskManagers: 'TaskManager pods running',
  pods: true,
  inPlaceUpgrade: 'change FlinkDeployment spec',
  // The operator deploys a native cluster: its JobManager asks for TaskManagers once the program planned.
  taskManagersAfterProgram: true,
};

/**
 * The operator's session: each run of a job is a FlinkSessionJob that the operator submits to the
 * target's session FlinkDeployment (started on demand); its JobManager pod and TaskManager pods are
 * the session's, shared by every job on it.
 */
const OPERATOR_SESSION_MILESTONES: ApplicationMilestones = {
  start: 'apply FlinkSessionJob',
  jobManager: 'session JobManager pod running',
  taskManagers: 'session TaskManager pods running',
  pods: true,
};

/**
 * Flink's native way: Sluice runs Flink's client, which creates the JobManager Deployment; the
 * JobManager creates the TaskManager pods.
 */
const NATIVE_MILESTONES: ApplicationMilestones = {
  start: "run Flink's Kubernetes client",
  jobManager: 'JobManager pod running',
  taskManagers: 'TaskManager pods running',
  pods: true,
  taskManagersAfterProgram: true,
};

/**
 * A job in a cluster of its own: the SQL runner's plan and the cluster's files are written (the Flink
 * job id chosen before anything starts), the JobManager starts and runs the program, the TaskManagers
 * register, and the job runs. Each of these is seen, not assumed: JM_RUNNING when the JobManager
 * answers (or its pod runs), PODS_RUNNING when the TaskManagers have registered (or their pods run).
 * A JAR job has no plan to write: its id is reserved and its cluster's files written (the job's jar
 * and classpath in usrlib, its options as the cluster's configuration), then as for SQL.
 */
const applicationDeploySteps = (m: ApplicationMilestones) => {
  const sql = [
    'write SQL runner plan',
    'prepare cluster files',
    m.start,
    m.jobManager,
    m.taskManagers,
    'wait until running',
  ] as const;
  return { sql, jar: sql.slice(1) };
};
/**
 * How an upgrade of a running job goes: in place where the kind has an upgrade in place and the new
 * version runs on the same target (the operator upgrades the running FlinkDeployment), else a stop
 * with savepoint and a start of the new version from it.
 */
export function upgradeWay(kind: TargetKind, sameTarget: boolean): 'in-place' | 'stop-and-start' {
  return kind.milestones?.inPlaceUpgrade && sameTarget ? 'in-place' : 'stop-and-start';
}

/**
 * The steps of an upgrade in place after "resolve version" and "validate": a start's, with the
 * change of the running cluster's spec where a start applies a new one. Null on a kind without one.
 */
export function inPlaceUpgradeSteps(kind: TargetKind, content: JobKind): readonly string[] | null {
  const m = kind.milestones;
  const steps = kind.deploySteps[content];
  if (!m?.inPlaceUpgrade || !steps) return null;
  return steps.map((s) => (s === m.start ? m.inPlaceUpgrade! : s));
}

/** A JAR job on a session cluster goes through Flink REST: its jar uploaded, run with a reserved id, deleted. */
const SESSION_JAR_DEPLOY_STEPS = ['prepare cluster', 'upload jar', 'run jar', 'wait until running'] as const;

/**
 * The Kubernetes kinds: one cluster per job (application mode). A way not built yet has null deploy
 * steps, so that a start on it is refused saying so rather than half done.
 */
const kubernetesKind = (name: TargetKindName, milestones: ApplicationMilestones | null): TargetKind => ({
  name,
  wireKind: 'kubernetes',
  managed: true,
  deployment: 'application-cluster',
  classpathReachable: true,
  deploySteps: milestones ? applicationDeploySteps(milestones) : { sql: null, jar: null },
  ...(milestones ? { milestones } : {}),
});

/**
 * A session cluster on Kubernetes that Sluice starts (standalone or native): its jobs go through its
 * SQL Gateway or Flink REST as on a local session cluster, reached through the API server's proxy.
 * Its pods mount its shared folder, where a JAR job's classpath artifacts are staged.
 */
const kubernetesSessionKind = (name: TargetKindName): TargetKind => ({
  name,
  wireKind: 'kubernetes',
  managed: true,
  deployment: 'session-job',
  classpathReachable: true,
  deploySteps: { sql: SESSION_DEPLOY_STEPS, jar: SESSION_JAR_DEPLOY_STEPS },
});

/**
 * A session target of the operator way: its jobs share the session FlinkDeployment, yet each run is
 * deployed as an application's program is (the SQL runner and its plan, or the job's jar, written
 * first; then a FlinkSessionJob the operator submits), so it takes the application kinds' steps. Its
 * SQL sessions (debug runs, explain, catalogs) go to the SQL Gateway beside the operator's
 * JobManager, as on the other session kinds.
 */
const operatorSessionKind = kubernetesKind('kubernetes-operator-session', OPERATOR_SESSION_MILESTONES);

export const TARGET_KINDS: Record<TargetKindName, TargetKind> = {
  'local-session': {
    name: 'local-session',
    wireKind: 'local',
    managed: true,
    deployment: 'session-job',
    classpathReachable: true,
    deploySteps: { sql: SESSION_DEPLOY_STEPS, jar: SESSION_JAR_DEPLOY_STEPS },
  },
  'remote-session': {
    name: 'remote-session',
    wireKind: 'remote',
    managed: false,
    deployment: 'session-job',
    classpathReachable: false,
    deploySteps: { sql: SESSION_DEPLOY_STEPS, jar: SESSION_JAR_DEPLOY_STEPS },
  },
  'local-application': {
    name: 'local-application',
    wireKind: 'application',
    managed: true,
    deployment: 'application-cluster',
    classpathReachable: true,
    deploySteps: applicationDeploySteps(LOCAL_MILESTONES),
    milestones: LOCAL_MILESTONES,
  },
  'kubernetes-operator': kubernetesKind('kubernetes-operator', OPERATOR_MILESTONES),
  'kubernetes-native': kubernetesKind('kubernetes-native', NATIVE_MILESTONES),
  'kubernetes-standalone': kubernetesKind('kubernetes-standalone', POD_MILESTONES),
  // One session cluster in the namespace (Sluice's JobManager and TaskManager Deployments, the SQL
  // Gateway beside the JobManager), its jobs deployed as on a local session cluster.
  'kubernetes-standalone-session': kubernetesSessionKind('kubernetes-standalone-session'),
  // One native session cluster in the namespace (Flink's client makes its JobManager, which makes its
  // TaskManager pods; the SQL Gateway beside the JobManager), its jobs deployed as on a local session.
  'kubernetes-native-session': kubernetesSessionKind('kubernetes-native-session'),
  'kubernetes-operator-session': operatorSessionKind,
};

export function targetKind(name: TargetKindName): TargetKind {
  return TARGET_KINDS[name];
}

/** The registry's kind of a cluster as the store and the API name it today. */
export const sessionKindOf = (wire: 'local' | 'remote'): TargetKindName =>
  wire === 'local' ? 'local-session' : 'remote-session';

/** The registry's kind of a target by the name the store gives its kind. */
export const targetKindOfWire = (wire: 'local' | 'remote' | 'application'): TargetKindName =>
  wire === 'application' ? 'local-application' : sessionKindOf(wire);

/**
 * The local application target of an engine: one per installed engine, since the engine is all the
 * target fixes (each job's cluster is made from the job itself), named as the engine's default
 * session cluster is (`local-1.20`) with the kind in front of the version.
 */
export const LOCAL_APPLICATION_PREFIX = 'local-application-';
export const localApplicationTargetName = (engineVersion: string): string =>
  `${LOCAL_APPLICATION_PREFIX}${engineVersion}`;
/** The engine of a local application target's name, or null when the name is not one. */
export const engineOfLocalApplicationTarget = (name: string): string | null =>
  name.startsWith(LOCAL_APPLICATION_PREFIX) ? name.slice(LOCAL_APPLICATION_PREFIX.length) || null : null;

/**
 * The target a job of `space` gets when it names none: the engine's session cluster (`local-1.20`)
 * for a job of that cluster's own space (`default`, where Sluice defines it), else the engine's local
 * application target, which is every space's. Leaving the target out never puts a team's job on
 * another space's cluster (under that space's quota and profile), and each such job gets a cluster of
 * its own. `clusterSpace`: the session cluster's space; undefined while it is not defined yet (it will
 * be made in `default`).
 */
export const defaultTargetOf = (engine: string, space: string, clusterSpace: string | undefined): string =>
  space === (clusterSpace ?? DEFAULT_SPACE) ? defaultClusterName(engine) : localApplicationTargetName(engine);
