import { useQuery } from '@tanstack/react-query';
import type {
  TargetDetail,
  ClusterEvent,
  ClusterProcess,
  ClusterSettingsInput as ClusterSettings,
  ClusterSpec as LocalClusterSpec,
  TargetView,
  RemoteTarget,
  KubernetesClusterInfo,
  TargetResourcesInfo,
  TargetQuota,
} from '../../../contract/targets.ts';
import { defaultTargetIn } from '../models/spaces.ts';
import { useEngines } from './engines.ts';
import { api } from './http.ts';

export type {
  TargetDetail,
  ClusterEvent,
  ClusterProcess,
  ClusterSettings,
  TargetView,
  LocalClusterSpec,
  RemoteTarget,
  KubernetesClusterInfo,
  TargetResourcesInfo,
  TargetQuota,
};

/** Deployment targets and their session clusters, through the one typed client. */
export const targetsApi = api.targets;

export const targetKeys = {
  all: ['targets'] as const,
  one: (name: string) => ['targets', name] as const,
  resources: (name: string) => ['targets', name, 'resources'] as const,
  quota: (name: string) => ['targets', name, 'quota'] as const,
};

/** A target whose cluster is changing is polled more often. */
const busy = (state: string | undefined) =>
  state === 'starting' || state === 'stopping' || state === 'degraded';

export const useTargets = () =>
  useQuery({
    queryKey: targetKeys.all,
    queryFn: targetsApi.list,
    refetchInterval: (q) =>
      q.state.status === 'error' ? false : q.state.data?.some((c) => busy(c.state)) ? 3000 : 15_000,
  });

/**
 * The target a new job of `space` gets when it names none (on `engine`, else the default engine):
 * what the job forms show in an empty target field. Null while the space or the engines are not known.
 */
export function useDefaultTarget(space: string | null, engine?: string): string | null {
  const targets = useTargets();
  const engines = useEngines();
  return defaultTargetIn(
    targets.data ?? [],
    engine ?? engines.data?.find((e) => e.isDefault)?.version,
    space,
  );
}

export const useTarget = (name: string) =>
  useQuery({
    queryKey: targetKeys.one(name),
    queryFn: () => targetsApi.get(name),
    refetchInterval: (q) => (q.state.status === 'error' ? false : busy(q.state.data?.state) ? 3000 : 15_000),
  });

/** A target's resources (slots, TaskManagers, memory; on Kubernetes requests vs allocatable), read again every 5 s while shown. */
export const useTargetResources = (name: string, enabled = true) =>
  useQuery({
    enabled,
    queryKey: targetKeys.resources(name),
    queryFn: () => targetsApi.resources(name),
    refetchInterval: (q) => (q.state.status === 'error' ? false : 5000),
  });
