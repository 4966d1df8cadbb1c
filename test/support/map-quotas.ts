import type { QuotaStore } from '../../src/application/ports/quotas.ts';
import type { Quota } from '../../src/domain/quotas/quota.ts';

/** The quotas of a lifecycle unit, kept in a map as the store keeps its rows. */
export class MapQuotas implements QuotaStore {
  readonly rows = new Map<string, Quota>();
  async get(scope: string) {
    return this.rows.get(scope);
  }
  async save(q: Quota) {
    this.rows.set(q.scope, structuredClone(q));
  }
  async remove(scope: string) {
    return this.rows.delete(scope);
  }
}
