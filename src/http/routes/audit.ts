import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { audit as A } from '../../contract/audit.ts';
import { csvHeader, csvLine, jsonLine, type AuditFilter } from '../../domain/audit/audit.ts';
import type { FastifyRequest } from 'fastify';
import { signedIn } from '../plugins/authentication.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/** Records read from the store at a time while exporting. */
const EXPORT_PAGE = 500;

/** The filters of a query, times in the stored form (UTC, ISO 8601) so that they compare as text. */
function filterOf(q: {
  space?: string;
  actor?: string;
  resourceKind?: string;
  resourceName?: string;
  operation?: string;
  outcome?: AuditFilter['outcome'];
  from?: string;
  to?: string;
  text?: string;
}): AuditFilter {
  const utc = (t: string | undefined, field: string) => {
    if (t === undefined) return undefined;
    const time = new Date(t);
    // A format-valid time Date cannot hold (a leap second, 23:59:60) is refused, not a 500.
    if (Number.isNaN(time.getTime()))
      throw new SluiceError('invalid_argument', message('audit.timeInvalid', { field, value: t }), {
        [field]: t,
      });
    return time.toISOString();
  };
  return {
    space: q.space,
    actor: q.actor,
    resourceKind: q.resourceKind,
    resourceName: q.resourceName,
    operation: q.operation,
    outcome: q.outcome,
    from: utc(q.from, 'from'),
    to: utc(q.to, 'to'),
    text: q.text,
  };
}

/**
 * The space whose records a caller reads: a platform admin's `space` (none: every record), anyone
 * else's the space the authorization checked it owns (`space`, else default).
 */
function spaceFor(req: FastifyRequest, asked: string | undefined): string | undefined {
  if (signedIn(req).admin) return asked;
  // Never every record for want of a space: the authorization always resolves one for a non-admin.
  if (!req.space) throw new Error('audit log: no space resolved for a caller who is no platform admin');
  return req.space;
}

/**
 * The audit log, for platform admins and the owners of a space (src/contract/authorization.ts): a
 * page to look at, or everything the filters keep to download.
 */
export const auditRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const log = platform.store.audit;
    app.route({
      ...A.list,
      handler: async (req) => {
        const limit = req.query.limit ?? 50;
        const filter = filterOf({ ...req.query, space: spaceFor(req, req.query.space) });
        const entries = await log.find(filter, { limit, before: req.query.before });
        return { entries, next: entries.length === limit ? entries.at(-1)!.id : null };
      },
    });
    app.route({
      ...A.export,
      handler: async (req, reply) => {
        const filter = filterOf({ ...req.query, space: spaceFor(req, req.query.space) });
        const csv = req.query.format === 'csv';
        async function* lines() {
          if (csv) yield csvHeader();
          let before: number | undefined;
          for (;;) {
            const page = await log.find(filter, { limit: EXPORT_PAGE, before });
            for (const e of page) yield csv ? csvLine(e) : jsonLine(e);
            if (page.length < EXPORT_PAGE) return;
            before = page.at(-1)!.id;
          }
        }
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return reply
          .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="sluice-audit-${stamp}.${req.query.format}"`)
          .send(Readable.from(lines()));
      },
    });
  };
