import { useQuery } from '@tanstack/react-query';
import type {
  ClusterDetail,
  ClusterEvent,
  ClusterProcess,
  ClusterSettingsInput as ClusterSettings,
  ClusterSpec as LocalClusterSpec,
  ClusterView,
  RemoteCluster,
} from '../../../contract/clusters.ts';
import { api } from './http.ts';

export type {
  ClusterDetail,
  ClusterEvent,
  ClusterProcess,
  ClusterSettings,
  ClusterView,
  LocalClusterSpec,
  RemoteCluster,
};

/** Session clusters, local and remote, through the one typed client. */
export const clustersApi = api.clusters;

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
