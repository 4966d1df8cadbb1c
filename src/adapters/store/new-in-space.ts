import type { Kysely } from 'kysely';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { Database } from './schema.ts';

/**
 * A new job, artifact, variable, catalog, alert rule or target is written with its space, in the
 * transaction that writes it (`db` is that transaction): a space that is not there (removed since the
 * request was checked) refuses it, and nothing is written. The `space` columns have no foreign key
 * (0026 added them to tables SQLite cannot alter so), so the check is here.
 */
export async function requireSpace(db: Kysely<Database>, space: string): Promise<void> {
  const found = await db.selectFrom('spaces').select('name').where('name', '=', space).executeTakeFirst();
  if (!found) throw new SluiceError('not_found', message('space.notFound', { space }), { space });
}
