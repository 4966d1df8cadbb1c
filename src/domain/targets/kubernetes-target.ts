import type { TargetKindName } from './target-kinds.ts';

/**
 * How a Kubernetes target runs a job's Flink cluster: through the Flink Kubernetes Operator
 * (FlinkDeployment / FlinkSessionJob resources), through Flink's native Kubernetes mode (Flink's own
 * client creates the JobManager, the JobManager its TaskManager pods), or standalone (Sluice renders and
 * applies the JobManager and TaskManager Deployments, Services and ConfigMap itself).
 */
export type KubernetesMode = 'operator' | 'native' | 'standalone';
export const KUBERNETES_MODES: readonly KubernetesMode[] = ['operator', 'native', 'standalone'];

/** The registry's kind of a Kubernetes target by its mode. */
export const kubernetesKindOf = (mode: KubernetesMode): TargetKindName => `kubernetes-${mode}`;

/**
 * A Kubernetes deployment target as it is registered and stored: one Kubernetes cluster (from a
 * kubeconfig file, or the service account of the pod Sluice runs in) and one namespace, one way to
 * run jobs there, one engine version with its image.
 */
export interface KubernetesTargetSpec {
  name: string;
  /** The Flink minor version jobs on this target name (`1.20`), as for every target. */
  engineVersion: string;
  /** A kubeconfig file; null: the in-cluster service account (Sluice running in a pod). */
  kubeconfig: string | null;
  /** The kubeconfig's context; null: its current context. */
  context: string | null;
  namespace: string;
  mode: KubernetesMode;
  /** The Flink image of the engine version (the official `flink:<version>-java17` or one of the user's registry). */
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  imagePullSecrets: string[];
  /** The service account of the JobManager pods (native mode and Kubernetes HA need it to create pods and ConfigMaps); null: the namespace's default. */
  serviceAccount: string | null;
  /**
   * A folder that Sluice and every node see at the same path, mounted into the pods at that path
   * (hostPath): job jars, SQL runner plans, savepoints and checkpoints. Null when none is shared.
   */
  sharedDir: string | null;
}

/** The official image of a Flink version, as Docker Hub tags it (`flink:1.20.3-java17`). */
export const officialFlinkImage = (flinkVersion: string): string => `flink:${flinkVersion}-java17`;
