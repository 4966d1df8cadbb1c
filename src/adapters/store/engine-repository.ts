import type { Kysely, Selectable } from 'kysely';
import type { Engine } from '../../domain/engines/engine.ts';
import type { Database, EnginesTable } from './schema.ts';
import type { EngineStore } from '../../application/ports/store.ts';

const toEngine = (r: Selectable<EnginesTable>): Engine => ({
  version: r.version,
  flinkVersion: r.flink_version,
  home: r.home,
  source: r.source as Engine['source'],
  isDefault: r.is_default === 1,
  installedAt: r.installed_at,
});

export class EngineRepository implements EngineStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Engine[]> {
    return (await this.db.selectFrom('engines').selectAll().orderBy('version').execute()).map(toEngine);
  }

  async get(version: string): Promise<Engine | undefined> {
    const r = await this.db
      .selectFrom('engines')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return r && toEngine(r);
  }

  async getDefault(): Promise<Engine | undefined> {
    const r = await this.db.selectFrom('engines').selectAll().where('is_default', '=', 1).executeTakeFirst();
    return r && toEngine(r);
  }

  /** Inserts or replaces an engine; the first engine ever saved becomes the default. */
  async save(e: Omit<Engine, 'isDefault'>): Promise<Engine> {
    await this.db.transaction().execute(async (tx) => {
      const hasDefault = await tx
        .selectFrom('engines')
        .select('version')
        .where('is_default', '=', 1)
        .executeTakeFirst();
      const row = {
        version: e.version,
        flink_version: e.flinkVersion,
        home: e.home,
        source: e.source,
        installed_at: e.installedAt,
      };
      await tx
        .insertInto('engines')
        .values({ ...row, is_default: hasDefault ? 0 : 1 })
        .onConflict((oc) => oc.column('version').doUpdateSet(row))
        .execute();
    });
    return (await this.get(e.version))!;
  }

  async setDefault(version: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('engines').set({ is_default: 0 }).execute();
      await tx.updateTable('engines').set({ is_default: 1 }).where('version', '=', version).execute();
    });
  }

  async remove(version: string): Promise<void> {
    await this.db.deleteFrom('engines').where('version', '=', version).execute();
  }
}
