import {
  targets as C,
  type ClusterSettingsInput,
  type RegisterKubernetesInput,
  type TargetQuotaInput,
} from '../contract/targets.ts';
import type { Transport } from './http.ts';

/** Deployment targets, and the session clusters of the session targets. */
export const targetsClient = (t: Transport) => ({
  list: () => t.call(C.list, {}),
  /** A target with its clusters' processes and recent process events. */
  get: (name: string) => t.call(C.get, { params: { name } }),
  /** Creates or changes a local session target; its running session cluster takes it at its next start. */
  define: (name: string, settings: ClusterSettingsInput) =>
    t.call(C.define, { params: { name }, body: settings }),
  /** Registers a remote session target, in `space` (left out: `default`). */
  registerRemote: (name: string, restUrl: string, gatewayUrl?: string, space?: string) =>
    t.call(C.registerRemote, {
      body: { name, restUrl, ...(gatewayUrl ? { gatewayUrl } : {}), ...(space ? { space } : {}) },
    }),
  /** Registers (or changes) a Kubernetes target; its cluster is checked first, a failing check stores nothing. */
  registerKubernetes: (body: RegisterKubernetesInput) => t.call(C.registerKubernetes, { body }),
  /** A Kubernetes target's pending pods, nodes' requests against allocatable, and its jobs' requests. */
  kubernetesCluster: (name: string) => t.call(C.kubernetesCluster, { params: { name } }),
  resources: (name: string) => t.call(C.resources, { params: { name } }),
  /** The target's quota and per-job ranges, with what its jobs use of each and which jobs. */
  quota: (name: string) => t.call(C.quota, { params: { name } }),
  /** Sets the quota and ranges: the fields given, every other one unlimited. */
  setQuota: (name: string, quota: TargetQuotaInput) => t.call(C.setQuota, { params: { name }, body: quota }),
  clearQuota: (name: string) => t.call(C.clearQuota, { params: { name } }),
  /** Removes a stored target no job names. */
  remove: (name: string) => t.call(C.remove, { params: { name } }),
  /** Starts (or adopts) a local session target's session cluster in the background: follow the operation. */
  start: (name: string) => t.call(C.start, { params: { name } }),
  stop: (name: string) => t.call(C.stop, { params: { name } }),
});
