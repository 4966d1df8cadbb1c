import type { Kysely, Selectable } from 'kysely';
import { spaceScope, type JobRanges, type Quota, type QuotaLimits } from '../../domain/quotas/quota.ts';
import type { QuotaStore } from '../../application/ports/quotas.ts';
import type { Database, QuotasTable } from './schema.ts';
import { requireSpace } from './new-in-space.ts';

const SPACE_PREFIX = spaceScope('');

const toQuota = (r: Selectable<QuotasTable>): Quota => ({
  scope: r.scope,
  limits: JSON.parse(r.limits) as QuotaLimits,
  perJob: JSON.parse(r.per_job) as JobRanges,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export class QuotaRepository implements QuotaStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(scope: string): Promise<Quota | undefined> {
    const r = await this.db.selectFrom('quotas').selectAll().where('scope', '=', scope).executeTakeFirst();
    return r && toQuota(r);
  }

  async save(q: Quota): Promise<void> {
    const row = {
      limits: JSON.stringify(q.limits),
      per_job: JSON.stringify(q.perJob),
      updated_at: q.updatedAt,
      updated_by: q.updatedBy,
    };
    await this.db.transaction().execute(async (tx) => {
      // A space's quota left behind by a removal under way would bind the next space of that name.
      const space = q.scope.startsWith(SPACE_PREFIX) ? q.scope.slice(SPACE_PREFIX.length) : null;
      if (space !== null) await requireSpace(tx, space);
      await tx
        .insertInto('quotas')
        .values({ scope: q.scope, ...row })
        .onConflict((oc) => oc.column('scope').doUpdateSet(row))
        .execute();
    });
  }

  async remove(scope: string): Promise<boolean> {
    const r = await this.db.deleteFrom('quotas').where('scope', '=', scope).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
