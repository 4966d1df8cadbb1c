import type { ClusterRuntime } from '../../application/ports/clusters.ts';
import { findJava } from '../system/prerequisites.ts';
import { LocalSessionCluster, portFree } from './local-cluster/local-session-cluster.ts';
import { ensureFlinkRestTls, type FlinkRestTls } from './local-cluster/rest-tls.ts';
import { flinkFetch } from './rest/flink-fetch.ts';
import { FlinkRestClient } from './rest/flink-rest-client.ts';
import { SessionClusterTarget } from './session-cluster-target.ts';
import { LocalApplicationTarget } from './local-application-target.ts';

/**
 * Flink session clusters on this machine (child JVMs) and by address (REST and SQL Gateway). With
 * `restTls`, the local clusters (session and application) serve their REST API and SQL Gateway over
 * TLS with mutual authentication, with the keys of the Sluice home `restTls.home` (made on first use).
 */
export function flinkClusterRuntime(restTls: { home: string } | null): ClusterRuntime<LocalSessionCluster> {
  let making: Promise<FlinkRestTls> | null = null;
  let keys: FlinkRestTls | null = null;
  const tls = async (): Promise<FlinkRestTls | null> => {
    if (!restTls) return null;
    // Made once; a failure (no keytool) is tried again at the next cluster start.
    making ??= ensureFlinkRestTls(restTls.home, findJava().path).catch((e: unknown) => {
      making = null;
      throw e;
    });
    return (keys = await making);
  };
  return {
    prepareLocalClusters: async () => void (await tls()),
    localCluster: (spec, dist, root, onEvent) => {
      if (restTls && !keys)
        throw new Error('prepareLocalClusters() must resolve before a local cluster is made');
      return new LocalSessionCluster(spec, dist, findJava().path, root, onEvent, keys);
    },
    hasLiveProcesses: (root) => LocalSessionCluster.hasLiveProcesses(root),
    portFree,
    localUrls: (ports) => {
      const scheme = restTls ? 'https' : 'http';
      return {
        restUrl: `${scheme}://127.0.0.1:${ports.restPort}`,
        gatewayUrl: `${scheme}://127.0.0.1:${ports.gatewayPort}`,
      };
    },
    overview: (restUrl) => new FlinkRestClient(restUrl).overview(),
    flinkResources: (restUrl) => new FlinkRestClient(restUrl).resourceFacts(),
    gatewayAnswers: (gatewayUrl) =>
      flinkFetch(`${gatewayUrl}/v1/info`, { signal: AbortSignal.timeout(1500) }).then(
        (r) => r.ok,
        () => false,
      ),
    sessionTarget: (name, kind, restUrl, gatewayUrl, ensureRunning, logs) =>
      new SessionClusterTarget(name, kind, restUrl, gatewayUrl, ensureRunning, logs),
    applicationTarget: (o) => new LocalApplicationTarget({ ...o, java: findJava().path, restTls: tls }),
  };
}
