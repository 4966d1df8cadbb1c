import type { SessionResources } from '../clusters/local-cluster-spec.ts';

/**
 * The one session cluster of a session target: its TaskManager pods and their slots, the JobManager
 * pod's and each TaskManager pod's memory (Flink's process size) and the SQL Gateway container's
 * memory (beside the JobManager in its pod). Jobs share it, as on a local session cluster.
 * Apart from kubernetes-target.ts (which reads files' paths) so that the console can use it too.
 */
export type KubernetesSession = SessionResources;

/** A Kubernetes session cluster's sizes when a registration names none: room for a few small jobs and a debug run. */
export const KUBERNETES_SESSION_DEFAULTS: KubernetesSession = {
  taskManagers: 1,
  slotsPerTaskManager: 4,
  jobManagerMemory: '1024m',
  taskManagerMemory: '1536m',
  gatewayMemory: '512m',
};
