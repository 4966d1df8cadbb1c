import type { Quota } from '../../domain/quotas/quota.ts';

/** The quotas the metadata store keeps, one per scope (`target:<name>`, `space:<name>`). */
export interface QuotaStore {
  get(scope: string): Promise<Quota | undefined>;
  /** Inserts or replaces the scope's quota. */
  save(q: Quota): Promise<void>;
  /** False when the scope had no quota. */
  remove(scope: string): Promise<boolean>;
}
