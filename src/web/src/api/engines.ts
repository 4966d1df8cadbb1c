import { useQuery } from '@tanstack/react-query';
import type { CatalogTypes, EngineView, Operation } from '../../../contract/engines.ts';
import { healthApi, healthKey } from './health.ts';
import { api } from './http.ts';

export type { CatalogTypes, EngineView, Operation };
/** What registering or making default answers: the engine. */
export type Engine = EngineView;

/** Installed Flink engines and background operations, through the one typed client. */
export const enginesApi = api.engines;
export const operationsApi = api.operations;

export const engineKeys = {
  all: ['engines'] as const,
  operation: (id: string) => ['operations', id] as const,
};

export const useEngines = () => useQuery({ queryKey: engineKeys.all, queryFn: enginesApi.list });

export const useBootstrap = () =>
  useQuery({
    queryKey: healthKey,
    queryFn: healthApi.get,
    staleTime: 10_000,
    select: (h) => h.bootstrap ?? null,
  });

/** An operation, polled every second while it runs; null id: nothing to follow. */
export const useOperation = (id: string | null) =>
  useQuery({
    queryKey: engineKeys.operation(id ?? ''),
    queryFn: () => operationsApi.get(id!),
    enabled: id !== null,
    refetchInterval: (q) =>
      q.state.status !== 'error' && q.state.data?.status !== 'succeeded' && q.state.data?.status !== 'failed'
        ? 1000
        : false,
  });
