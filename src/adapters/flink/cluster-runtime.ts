import type { ClusterRuntime } from '../../application/ports/clusters.ts';
import { findJava } from '../system/prerequisites.ts';
import { LocalSessionCluster, portFree } from './local-cluster/local-session-cluster.ts';
import { FlinkRestClient } from './rest/flink-rest-client.ts';
import { SessionClusterTarget } from './session-cluster-target.ts';
import { LocalApplicationTarget } from './local-application-target.ts';

/** Flink session clusters on this machine (child JVMs) and by address (REST and SQL Gateway). */
export const flinkClusterRuntime: ClusterRuntime<LocalSessionCluster> = {
  localCluster: (spec, dist, root, onEvent) =>
    new LocalSessionCluster(spec, dist, findJava().path, root, onEvent),
  hasLiveProcesses: (root) => LocalSessionCluster.hasLiveProcesses(root),
  portFree,
  overview: (restUrl) => new FlinkRestClient(restUrl).overview(),
  flinkResources: (restUrl) => new FlinkRestClient(restUrl).resourceFacts(),
  gatewayAnswers: (gatewayUrl) =>
    fetch(`${gatewayUrl}/v1/info`, { signal: AbortSignal.timeout(1500) }).then(
      (r) => r.ok,
      () => false,
    ),
  sessionTarget: (name, kind, restUrl, gatewayUrl, ensureRunning, logs) =>
    new SessionClusterTarget(name, kind, restUrl, gatewayUrl, ensureRunning, logs),
  applicationTarget: (o) => new LocalApplicationTarget({ ...o, java: findJava().path }),
};
