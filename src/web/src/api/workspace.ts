import { useQuery } from '@tanstack/react-query';
import type {
  CatalogColumn,
  CatalogDefinition,
  CatalogInput,
  Variable,
  VariableInput,
} from '../../../contract/workspace.ts';
import type { CatalogTypes } from '../../../contract/engines.ts';
import { api } from './http.ts';

export type { CatalogColumn, CatalogDefinition, CatalogInput, Variable, VariableInput };

/** Workspace variables and catalogs, through the one typed client. */
export const workspaceApi = api.workspace;

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
    queryFn: () => workspaceApi.catalogTypes(cluster),
    staleTime: 10_000,
  });
export type { CatalogTypes };
