import type { AuditEntry, AuditFilter, AuditPage, NewAuditEntry } from '../../domain/audit/audit.ts';

/** The audit log the metadata store keeps: append and read, never change (the database refuses it). */
export interface AuditStore {
  append(e: NewAuditEntry): Promise<number>;
  /** Newest first, at most `page.limit` records with ids below `page.before`. */
  find(filter: AuditFilter, page: AuditPage): Promise<AuditEntry[]>;
}
