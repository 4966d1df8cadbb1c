import type { Readable } from 'node:stream';
import type { Message } from '../../domain/messages.ts';
import type { FlinkPod } from '../../domain/metrics/pod-scrape-targets.ts';
import type { DeploymentTarget, SqlWorkbench } from '../../domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';
import type { ClusterEventSink, LocalClusterStatus } from './clusters.ts';
import type { FlinkDistribution } from './engines.ts';

/** The checks of a Kubernetes target, in the order they are made. */
export type KubernetesCheckName =
  'kubeconfig' | 'api' | 'namespace' | 'permissions' | 'serviceAccount' | 'sharedClaim' | 'crds';

export interface KubernetesCheckResult {
  name: KubernetesCheckName;
  ok: boolean;
  /** What was seen (`v1.34.4`, `namespace h-targets exists`, `28 permissions granted`). */
  detail: string;
  /** Why it failed and how to fix it; null when it passed. */
  problem: Message | null;
}

/** A CRD of the Flink Kubernetes Operator as the cluster serves it. */
export interface OperatorCrd {
  /** `flinkdeployments.flink.apache.org`. */
  name: string;
  servedVersions: string[];
}

/** What the cluster says of a Kubernetes target's spec now. */
export interface KubernetesCheck {
  /** The API server's address (the kubeconfig's cluster, or the in-cluster one); null when no config could be read. */
  server: string | null;
  /** The kubeconfig context used; null for the in-cluster service account. */
  context: string | null;
  /** Who Sluice is to the API server (SelfSubjectReview), when it said. */
  user: string | null;
  /** The API server's version (`v1.34.4`); null when it did not answer. */
  serverVersion: string | null;
  results: KubernetesCheckResult[];
  /**
   * The operator's CRDs the cluster serves: read from apiextensions, or when the user may not read
   * CRDs, from API discovery (the group's served versions, every resource of the group assumed).
   * Null when neither could be asked.
   */
  operatorCrds: { source: 'apiextensions' | 'discovery'; present: OperatorCrd[]; missing: string[] } | null;
}

/** What a Kubernetes target's DeploymentTarget is made with, besides its spec. */
export interface KubernetesTargetContext {
  /** The engine's distribution (the SQL runner jar, the Flink jars the client side needs). */
  distribution: () => Promise<FlinkDistribution>;
  /** Where the platform keeps its own files (the state a restarted platform adopts jobs from). */
  sluiceHome: string;
  /** The target's space: a session target's pods carry it (a job's own pods carry the job's). */
  space: string;
  /** Events of a job's pods and objects, by the job's name. */
  onEvent: (jobName: string) => ClusterEventSink;
  /** SQL sessions (explain, debug runs, catalogs) of the engine's local session cluster. */
  workbench: SqlWorkbench | null;
}

/** Makes the DeploymentTarget of one mode: each deployment way (standalone, native, operator) is one. */
export type KubernetesModeTarget = (
  spec: KubernetesTargetSpec,
  context: KubernetesTargetContext,
) => DeploymentTarget;

/** Kubernetes clusters as the application sees them: checked, and made deployment targets. */
export interface KubernetesRuntime {
  /**
   * Every check of the spec against its cluster (the kubeconfig, the API server, the namespace, the
   * permissions the mode needs, its service account, the operator's CRDs), each time-limited: an
   * unreachable cluster answers within seconds. Never throws: a failure is a failed check.
   * `registering`: the checks a registration rests on wait longer for each answer than a listing's
   * health does (a busy API server may take more than the listing's few seconds, and a check left
   * unanswered cannot vouch for what is registered).
   */
  check(spec: KubernetesTargetSpec, o?: { registering?: boolean }): Promise<KubernetesCheck>;
  /**
   * The deployment target of a spec: the seam each mode's deployer fills. Throws, saying so, for a
   * mode whose deployer is not built (its kind's deploy steps are null, so no start gets here).
   */
  target(spec: KubernetesTargetSpec, context: KubernetesTargetContext): DeploymentTarget;
  /**
   * The pods of the clusters Sluice runs for the target (its labels), in its namespace, as the metrics
   * discovery reads them. Time-limited; a failure is a SluiceError naming the target and server.
   */
  flinkPods(spec: KubernetesTargetSpec): Promise<FlinkPod[]>;
  /**
   * One pod's Prometheus reporter (`/metrics` on `port`) through the API server's pod proxy, with the
   * target's credentials: streamed, given up after a timeout or when `signal` aborts. A pod the API
   * server does not know is not_found.
   */
  podMetrics(
    spec: KubernetesTargetSpec,
    pod: string,
    port: number,
    o: { signal: AbortSignal; accept?: string | undefined },
  ): Promise<PodMetricsAnswer>;
}

/** A pod reporter's answer: its content type (Prometheus's text or OpenMetrics) and its body as it comes. */
export interface PodMetricsAnswer {
  contentType: string | null;
  body: Readable;
}

/**
 * The one session cluster of a Kubernetes session target, started and stopped as a local session
 * cluster is; its status in the same words (stopped, starting, running, degraded, stopping).
 */
export interface KubernetesSessionControl {
  start(progress: (line: string) => void): Promise<LocalClusterStatus>;
  stop(progress?: (line: string) => void): Promise<LocalClusterStatus>;
  status(): Promise<LocalClusterStatus>;
}

export const isSessionControl = (t: object): t is KubernetesSessionControl =>
  typeof (t as { start?: unknown; stop?: unknown; status?: unknown }).start === 'function' &&
  typeof (t as { stop?: unknown }).stop === 'function' &&
  typeof (t as { status?: unknown }).status === 'function';

/**
 * The session cluster of a target: the target itself (a standalone session), or its `sessionCluster`
 * where its own `start` is a run's (the operator's session); null where it has none.
 */
export function sessionControlOf(t: object): KubernetesSessionControl | null {
  const own = (t as { sessionCluster?: unknown }).sessionCluster;
  if (own && typeof own === 'object' && isSessionControl(own)) return own;
  return isSessionControl(t) ? t : null;
}
