import type { Kysely, Selectable } from 'kysely';
import type { AlertChannelStore, StoredAlertChannel } from '../../application/ports/alert-channels.ts';
import type { AlertChannelsTable, Database } from './schema.ts';

const toChannel = (r: Selectable<AlertChannelsTable>): StoredAlertChannel => ({
  name: r.name,
  type: r.type,
  settings: r.settings,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The channels alert messages go through (their secret settings sealed by the application). */
export class AlertChannelRepository implements AlertChannelStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<StoredAlertChannel[]> {
    return (await this.db.selectFrom('alert_channels').selectAll().orderBy('name').execute()).map(toChannel);
  }

  async get(name: string): Promise<StoredAlertChannel | undefined> {
    const r = await this.db
      .selectFrom('alert_channels')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r && toChannel(r);
  }

  async save(c: Omit<StoredAlertChannel, 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = new Date().toISOString();
    const row = { type: c.type, settings: c.settings, updated_at: now };
    await this.db
      .insertInto('alert_channels')
      .values({ name: c.name, ...row, created_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  async remove(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('alert_channels').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
