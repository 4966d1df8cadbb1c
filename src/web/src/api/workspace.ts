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
  databases: (name: string, target?: string) => ['catalogs', name, target ?? '', 'databases'] as const,
  tables: (name: string, database: string, target?: string) =>
    ['catalogs', name, target ?? '', 'databases', database] as const,
  columns: (name: string, database: string, table: string, target?: string) =>
    ['catalogs', name, target ?? '', 'databases', database, table] as const,
};

export const useVariables = () =>
  useQuery({ queryKey: workspaceKeys.variables, queryFn: workspaceApi.variables });
export const useCatalogs = () =>
  useQuery({ queryKey: workspaceKeys.catalogs, queryFn: workspaceApi.catalogs });

// Browsing asks the engine (a SQL Gateway session): slow, so what was seen is kept a while.
const BROWSE = { staleTime: 60_000, retry: false } as const;

export const useCatalogDatabases = (name: string, target?: string) =>
  useQuery({
    queryKey: workspaceKeys.databases(name, target),
    queryFn: () => workspaceApi.databases(name, target),
    ...BROWSE,
  });

export const useCatalogColumns = (
  name: string,
  table: { database: string; table: string } | null,
  target?: string,
) =>
  useQuery({
    queryKey: workspaceKeys.columns(name, table?.database ?? '', table?.table ?? '', target),
    queryFn: () => workspaceApi.columns(name, table!.database, table!.table, target),
    enabled: table !== null,
    ...BROWSE,
  });

/** The catalog types the engine of a deployment target has (the server's default target without one). */
export const useCatalogTypes = (target?: string) =>
  useQuery({
    queryKey: ['catalog-types', target ?? ''],
    queryFn: () => workspaceApi.catalogTypes(target),
    staleTime: 10_000,
  });
export type { CatalogTypes };
