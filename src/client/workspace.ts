import { workspace as W, type CatalogInput, type VariableInput } from '../contract/workspace.ts';
import type { Transport } from './http.ts';

/** `?target=`: the session target whose cluster checks or browses a catalog; the server's default without one. */
const on = (target?: string) => (target ? { target } : {});

/** Workspace variables (secrets included) and catalog definitions. */
export const workspaceClient = (t: Transport) => ({
  variables: () => t.call(W.variables, {}),
  variable: (name: string) => t.call(W.variable, { params: { name } }),
  setVariable: (name: string, body: VariableInput) => t.call(W.setVariable, { params: { name }, body }),
  deleteVariable: (name: string) => t.call(W.deleteVariable, { params: { name } }),
  catalogs: () => t.call(W.catalogs, {}),
  catalog: (name: string) => t.call(W.catalog, { params: { name } }),
  catalogTypes: (target?: string) => t.call(W.catalogTypes, { query: on(target) }),
  /** Flink creates the catalog once before it is saved: a definition it rejects answers 422 with Flink's message. */
  setCatalog: (name: string, body: CatalogInput, target?: string) =>
    t.call(W.setCatalog, { params: { name }, query: on(target), body }),
  /** 409 while jobs use it. */
  deleteCatalog: (name: string) => t.call(W.deleteCatalog, { params: { name } }),
  databases: (name: string, target?: string) => t.call(W.databases, { params: { name }, query: on(target) }),
  tables: (name: string, database: string, target?: string) =>
    t.call(W.tables, { params: { name, database }, query: on(target) }),
  columns: (name: string, database: string, table: string, target?: string) =>
    t.call(W.columns, { params: { name, database, table }, query: on(target) }),
});
