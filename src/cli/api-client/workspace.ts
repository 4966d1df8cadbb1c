import type { CatalogColumn, CatalogInput } from '../../application/catalog-service.ts';
import type { CatalogTypes } from '../../domain/engines/catalog-types.ts';
import type { CatalogDefinition } from '../../domain/workspace/catalogs.ts';
import type { Variable } from '../../domain/workspace/variables.ts';
import type { HttpClient } from './http.ts';

const enc = encodeURIComponent;
const on = (cluster?: string) => (cluster ? `?cluster=${enc(cluster)}` : '');

export class WorkspaceApi {
  constructor(private readonly http: HttpClient) {}
  variables = (): Promise<Variable[]> => this.http.request('GET', '/variables');
  setVariable = (
    name: string,
    body: { value: string; secret?: boolean; description?: string },
  ): Promise<Variable> => this.http.request('PUT', `/variables/${enc(name)}`, body);
  deleteVariable = (name: string): Promise<void> => this.http.request('DELETE', `/variables/${enc(name)}`);
  catalogs = (): Promise<CatalogDefinition[]> => this.http.request('GET', '/catalogs');
  catalogTypes = (cluster?: string): Promise<CatalogTypes> =>
    this.http.request('GET', `/catalog-types${on(cluster)}`);
  setCatalog = (name: string, body: CatalogInput, cluster?: string): Promise<CatalogDefinition> =>
    this.http.request('PUT', `/catalogs/${enc(name)}${on(cluster)}`, body);
  deleteCatalog = (name: string): Promise<void> => this.http.request('DELETE', `/catalogs/${enc(name)}`);
  databases = (name: string, cluster?: string): Promise<string[]> =>
    this.http.request('GET', `/catalogs/${enc(name)}/databases${on(cluster)}`);
  tables = (name: string, db: string, cluster?: string): Promise<string[]> =>
    this.http.request('GET', `/catalogs/${enc(name)}/databases/${enc(db)}/tables${on(cluster)}`);
  columns = (name: string, db: string, table: string, cluster?: string): Promise<CatalogColumn[]> =>
    this.http.request(
      'GET',
      `/catalogs/${enc(name)}/databases/${enc(db)}/tables/${enc(table)}${on(cluster)}`,
    );
}
