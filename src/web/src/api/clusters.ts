import { useQuery } from '@tanstack/react-query';
import type { ClusterDefinition, ClusterService, ClusterView } from '../../../application/cluster-service.ts';
import type { Operation } from '../../../application/operations.ts';
import type { LocalClusterSpec } from '../../../domain/clusters/local-cluster-spec.ts';
import { enc, request } from './http.ts';

/** A cluster with its recent process events (started, adopted, exited, restarted, stopped, orphan-killed). */
export type ClusterDetail = Awaited<ReturnType<ClusterService['status']>>;
export type ClusterEvent = ClusterDetail['events'][number];
export type ClusterProcess = ClusterView['processes'][number];
export type ClusterSettings = Omit<ClusterDefinition, 'name'>;

export interface RemoteCluster {
  name: string;
  engineVersion: string;
  restUrl: string;
  gatewayUrl: string | null;
}

export type { ClusterView, LocalClusterSpec };

/** Session clusters, local and remote: the only code of the console that knows their URLs. */
export const clustersApi = {
  list: () => request<ClusterView[]>('GET', '/clusters'),
  get: (name: string) => request<ClusterDetail>('GET', `/clusters/${enc(name)}`),
  /** Creates or changes a local cluster definition; a running cluster takes it at its next start. */
  define: (name: string, settings: ClusterSettings) =>
    request<LocalClusterSpec>('PUT', `/clusters/${enc(name)}`, settings),
  registerRemote: (name: string, restUrl: string, gatewayUrl?: string) =>
    request<RemoteCluster>('POST', '/clusters/remote', {
      name,
      restUrl,
      ...(gatewayUrl ? { gatewayUrl } : {}),
    }),
  /** Starts (or adopts) a local cluster in the background: follow the operation. */
  start: (name: string) => request<Operation>('POST', `/clusters/${enc(name)}/start`),
  stop: (name: string) => request<ClusterView>('POST', `/clusters/${enc(name)}/stop`),
};

export const clusterKeys = {
  all: ['clusters'] as const,
  one: (name: string) => ['clusters', name] as const,
};

/** A cluster that is changing is polled more often. */
const busy = (state: string | undefined) =>
  state === 'starting' || state === 'stopping' || state === 'degraded';

export const useClusters = () =>
  useQuery({
    queryKey: clusterKeys.all,
    queryFn: clustersApi.list,
    refetchInterval: (q) =>
      q.state.status === 'error' ? false : q.state.data?.some((c) => busy(c.state)) ? 3000 : 15_000,
  });

export const useCluster = (name: string) =>
  useQuery({
    queryKey: clusterKeys.one(name),
    queryFn: () => clustersApi.get(name),
    refetchInterval: (q) => (q.state.status === 'error' ? false : busy(q.state.data?.state) ? 3000 : 15_000),
  });
