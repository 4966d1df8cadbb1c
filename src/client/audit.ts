import { audit as A } from '../contract/audit.ts';
import type { Query } from '../contract/operation.ts';
import type { Transport } from './http.ts';

export type AuditQuery = Query<typeof A.list>;
export type AuditExportQuery = Query<typeof A.export>;

/** The audit log (platform admins: all of it; a space's owners: their space's). */
export const auditClient = (t: Transport) => ({
  /** A page of the log, newest first (`GET /audit`); `next` is the `before` of the next page. */
  list: (query: AuditQuery = {}) => t.call(A.list, { query }),
  /** Everything the filters keep, as JSON lines or CSV text (`GET /audit/export`). */
  export: async (query: AuditExportQuery): Promise<string> => {
    const res = await t.fetch(t.url(A.export, undefined, query));
    if (!res.ok) throw t.refusal(res.status, await res.json().catch(() => null));
    return res.text();
  },
});
