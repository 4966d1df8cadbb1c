import { useQuery } from '@tanstack/react-query';
import type { EngineView } from '../../../application/engine-service.ts';
import type { Operation } from '../../../application/operations.ts';
import type { Engine } from '../../../domain/engines/engine.ts';
import { healthApi, healthKey } from './health.ts';
import { enc, request } from './http.ts';

export type { Engine, EngineView, Operation };

/** Installed Flink engines and background operations: the only code of the console that knows their URLs. */
export const enginesApi = {
  list: () => request<EngineView[]>('GET', '/engines'),
  /** Provisions a Flink version from Maven Central in the background: follow the operation. */
  install: (version: string) => request<Operation>('POST', '/engines/install', { version }),
  register: (home: string) => request<Engine>('POST', '/engines', { home }),
  setDefault: (version: string) => request<Engine>('PUT', `/engines/${enc(version)}/default`),
};

export const operationsApi = {
  get: (id: string) => request<Operation>('GET', `/operations/${enc(id)}`),
};

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
