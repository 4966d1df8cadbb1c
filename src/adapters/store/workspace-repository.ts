import type { Kysely, Selectable } from 'kysely';
import type { CatalogDefinition } from '../../domain/workspace/catalogs.ts';
import type { CatalogsTable, Database, VariablesTable } from './schema.ts';

import type { StoredVariable, WorkspaceStore } from '../../application/ports/store.ts';
import { requireSpace } from './new-in-space.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

export type { StoredVariable };

const toVariable = (r: Selectable<VariablesTable>): StoredVariable => ({
  name: r.name,
  storedValue: r.value,
  secret: r.secret === 1,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toCatalog = (r: Selectable<CatalogsTable>): CatalogDefinition => ({
  name: r.name,
  type: r.type,
  options: JSON.parse(r.options) as Record<string, string>,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What the workspace shares between jobs: variables (and secrets) and catalog definitions. */
export class WorkspaceRepository implements WorkspaceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async variables(): Promise<StoredVariable[]> {
    return (await this.db.selectFrom('variables').selectAll().orderBy('name').execute()).map(toVariable);
  }

  async variable(name: string): Promise<StoredVariable | undefined> {
    const r = await this.db.selectFrom('variables').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toVariable(r);
  }

  async saveVariable(
    v: Omit<StoredVariable, 'createdAt' | 'updatedAt'>,
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    const now = new Date().toISOString();
    const row = {
      value: v.storedValue,
      secret: v.secret ? 1 : 0,
      description: v.description,
      updated_at: now,
    };
    await this.db.transaction().execute(async (tx) => {
      const old = await tx
        .selectFrom('variables')
        .select('name')
        .where('name', '=', v.name)
        .executeTakeFirst();
      if (!old) await requireSpace(tx, space);
      // An existing one keeps its space: the update leaves the column alone.
      await tx
        .insertInto('variables')
        .values({ name: v.name, ...row, space, created_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    });
  }

  async deleteVariable(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('variables').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async catalogs(): Promise<CatalogDefinition[]> {
    return (await this.db.selectFrom('catalogs').selectAll().orderBy('name').execute()).map(toCatalog);
  }

  async catalog(name: string): Promise<CatalogDefinition | undefined> {
    const r = await this.db.selectFrom('catalogs').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toCatalog(r);
  }

  async saveCatalog(
    c: Omit<CatalogDefinition, 'createdAt' | 'updatedAt'>,
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    const now = new Date().toISOString();
    const row = {
      type: c.type,
      options: JSON.stringify(c.options),
      description: c.description,
      updated_at: now,
    };
    await this.db.transaction().execute(async (tx) => {
      const old = await tx
        .selectFrom('catalogs')
        .select('name')
        .where('name', '=', c.name)
        .executeTakeFirst();
      if (!old) await requireSpace(tx, space);
      await tx
        .insertInto('catalogs')
        .values({ name: c.name, ...row, space, created_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    });
  }

  async deleteCatalog(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('catalogs').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Names of jobs whose current version uses the catalog. */
  async jobsUsingCatalog(name: string): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select(['name', 'catalogs']).execute();
    return rows.filter((r) => (JSON.parse(r.catalogs) as string[]).includes(name)).map((r) => r.name);
  }
}
