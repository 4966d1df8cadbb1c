import { PostgresAdapter, type Kysely } from 'kysely';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { Database } from './schema.ts';

/**
 * The space's row, read inside a transaction (`db`) and locked until it ends: shared by a write that
 * makes a thing in the space, exclusive for the space's removal. On PostgreSQL (READ COMMITTED) a
 * removal so waits for every making that read the space to commit, and then sees what it made; a making
 * that comes after the removal's lock waits, and finds no space. SQLite has no row locks and rejects the
 * clauses: Kysely's SqliteDialect runs every query through its one connection, held by a mutex for a
 * whole transaction, so two transactions never interleave there.
 */
export async function spaceRow(
  db: Kysely<Database>,
  space: string,
  lock: 'share' | 'update',
): Promise<boolean> {
  let q = db.selectFrom('spaces').select('name').where('name', '=', space);
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    q = lock === 'share' ? q.forShare() : q.forUpdate();
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * A new job, artifact, variable, catalog, alert rule or target is written with its space, in the
 * transaction that writes it (`db` is that transaction): a space that is not there (removed since the
 * request was checked) refuses it, and nothing is written. The `space` columns have no foreign key
 * (0026 added them to tables SQLite cannot alter so), so the check is here, and the space stays until
 * the transaction ends (see `spaceRow`).
 */
export async function requireSpace(db: Kysely<Database>, space: string): Promise<void> {
  if (!(await spaceRow(db, space, 'share')))
    throw new SluiceError('not_found', message('space.notFound', { space }), { space });
}
