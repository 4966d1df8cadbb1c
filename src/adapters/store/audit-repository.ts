import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { AuditEntry, AuditFilter, AuditPage, NewAuditEntry } from '../../domain/audit/audit.ts';
import type { AuditStore } from '../../application/ports/audit.ts';
import type { AuditLogTable, Database } from './schema.ts';

const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

const toEntry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  via: r.via,
  sourceAddress: r.source_address,
  userAgent: r.user_agent,
  method: r.method,
  path: r.path,
  operation: r.operation,
  resourceKind: r.resource_kind,
  resourceName: r.resource_name,
  space: r.space,
  status: r.status,
  errorCode: r.error_code,
  before: json(r.before),
  after: json(r.after),
});

/** LIKE's own characters taken literally. */
const likeText = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The audit log: rows are only inserted (the database refuses UPDATE and DELETE on them). */
export class AuditRepository implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: NewAuditEntry): Promise<number> {
    const r = await this.db
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor: e.actor,
        via: e.via,
        source_address: e.sourceAddress,
        user_agent: e.userAgent,
        method: e.method,
        path: e.path,
        operation: e.operation,
        resource_kind: e.resourceKind,
        resource_name: e.resourceName,
        space: e.space,
        status: e.status,
        error_code: e.errorCode,
        before: text(e.before),
        after: text(e.after),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async find(filter: AuditFilter, page: AuditPage): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, filter, page)))
      .orderBy('id', 'desc')
      .limit(page.limit)
      .execute();
    return rows.map(toEntry);
  }
}

function conditions(
  eb: ExpressionBuilder<Database, 'audit_log'>,
  f: AuditFilter,
  page: AuditPage,
): Expression<SqlBool>[] {
  const all: Expression<SqlBool>[] = [];
  if (page.before !== undefined) all.push(eb('id', '<', page.before));
  if (f.actor !== undefined) all.push(eb('actor', '=', f.actor));
  if (f.resourceKind !== undefined) all.push(eb('resource_kind', '=', f.resourceKind));
  if (f.resourceName !== undefined) all.push(eb('resource_name', '=', f.resourceName));
  if (f.operation !== undefined) all.push(eb('operation', '=', f.operation));
  if (f.space !== undefined) all.push(eb('space', '=', f.space));
  if (f.outcome === 'succeeded') all.push(eb('status', '<', 400));
  if (f.outcome === 'refused') all.push(eb('status', 'in', [401, 403]));
  if (f.outcome === 'failed') all.push(eb.and([eb('status', '>=', 400), eb('status', 'not in', [401, 403])]));
  if (f.from !== undefined) all.push(eb('at', '>=', f.from));
  if (f.to !== undefined) all.push(eb('at', '<=', f.to));
  if (f.text !== undefined) {
    const pattern = likeText(f.text);
    const like = (column: string) =>
      sql<SqlBool>`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`;
    all.push(
      eb.or(
        ['actor', 'path', 'operation', 'resource_kind', 'resource_name', 'error_code', 'before', 'after'].map(
          like,
        ),
      ),
    );
  }
  return all;
}
