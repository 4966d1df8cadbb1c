import { useQuery } from '@tanstack/react-query';
import type { CatalogColumn, CatalogInput } from '../../../application/catalog-service.ts';
import type { CatalogTypes } from '../../../domain/engines/catalog-types.ts';
import type { CatalogDefinition } from '../../../domain/workspace/catalogs.ts';
import type { Variable } from '../../../domain/workspace/variables.ts';
import { enc, request } from './http.ts';

export type { CatalogColumn, CatalogDefinition, CatalogInput, Variable };

export interface VariableInput {
  value: string;
  secret?: boolean;
  description?: string;
}

/** `?cluster=`: the session cluster that checks or browses a catalog; the server's default without one. */
const on = (cluster?: string) => (cluster ? `?cluster=${enc(cluster)}` : '');

/** Workspace variables and catalogs: the only code of the console that knows their URLs. */
export const workspaceApi = {
  variables: () => request<Variable[]>('GET', '/variables'),
  setVariable: (name: string, input: VariableInput) =>
    request<Variable>('PUT', `/variables/${enc(name)}`, input),
  deleteVariable: (name: string) => request<void>('DELETE', `/variables/${enc(name)}`),

  catalogs: () => request<CatalogDefinition[]>('GET', '/catalogs'),
  catalog: (name: string) => request<CatalogDefinition>('GET', `/catalogs/${enc(name)}`),
  /** Flink creates the catalog once before it is saved: a definition it rejects answers 422 with Flink's message. */
  saveCatalog: (name: string, input: CatalogInput, cluster?: string) =>
    request<CatalogDefinition>('PUT', `/catalogs/${enc(name)}${on(cluster)}`, input),
  /** 409 while jobs use it. */
  deleteCatalog: (name: string) => request<void>('DELETE', `/catalogs/${enc(name)}`),
  databases: (name: string, cluster?: string) =>
    request<string[]>('GET', `/catalogs/${enc(name)}/databases${on(cluster)}`),
  tables: (name: string, database: string, cluster?: string) =>
    request<string[]>('GET', `/catalogs/${enc(name)}/databases/${enc(database)}/tables${on(cluster)}`),
  columns: (name: string, database: string, table: string, cluster?: string) =>
    request<CatalogColumn[]>(
      'GET',
      `/catalogs/${enc(name)}/databases/${enc(database)}/tables/${enc(table)}${on(cluster)}`,
    ),
};

export const workspaceKeys = {
  variables: ['variables'] as const,
  catalogs: ['catalogs'] as const,
  databases: (name: string, cluster?: string) => ['catalogs', name, cluster ?? '', 'databases'] as const,
  tables: (name: string, database: string, cluster?: string) =>
    ['catalogs', name, cluster ?? '', 'databases', database] as const,
  columns: (name: string, database: string, table: string, cluster?: string) =>
    ['catalogs', name, cluster ?? '', 'databases', database, table] as const,
};

export const useVariables = () =>
  useQuery({ queryKey: workspaceKeys.variables, queryFn: workspaceApi.variables });
export const useCatalogs = () =>
  useQuery({ queryKey: workspaceKeys.catalogs, queryFn: workspaceApi.catalogs });

// Browsing asks the engine (a SQL Gateway session): slow, so what was seen is kept a while.
const BROWSE = { staleTime: 60_000, retry: false } as const;

export const useCatalogDatabases = (name: string, cluster?: string) =>
  useQuery({
    queryKey: workspaceKeys.databases(name, cluster),
    queryFn: () => workspaceApi.databases(name, cluster),
    ...BROWSE,
  });

export const useCatalogColumns = (
  name: string,
  table: { database: string; table: string } | null,
  cluster?: string,
) =>
  useQuery({
    queryKey: workspaceKeys.columns(name, table?.database ?? '', table?.table ?? '', cluster),
    queryFn: () => workspaceApi.columns(name, table!.database, table!.table, cluster),
    enabled: table !== null,
    ...BROWSE,
  });

/** The catalog types the engine of a cluster has (the server's default cluster without one). */
export const useCatalogTypes = (cluster?: string) =>
  useQuery({
    queryKey: ['catalog-types', cluster ?? ''],
    queryFn: () => request<CatalogTypes>('GET', `/catalog-types${on(cluster)}`),
    staleTime: 10_000,
  });
export type { CatalogTypes };
