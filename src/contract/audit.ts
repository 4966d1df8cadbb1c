import { Type, type Static } from 'typebox';
import { OUTCOMES, type Outcome } from '../domain/audit/audit.ts';
import { ErrorBody } from './common.ts';
import { operation } from './operation.ts';
import { SPACE_NAME } from '../domain/access/spaces.ts';

/**
 * The audit log (issue 15 item 5): read and exported by platform admins (every record) and by the
 * owners of a space (the records about its things, `?space=`).
 */

const Json = Type.Unknown({ description: 'the resource as JSON, secret values masked (******); null: none' });

export const AuditEntryBody = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'when the answer was given (ISO 8601, UTC)' }),
  actor: Type.String({ description: 'the signed-in user; anonymous when the request proved no one' }),
  via: Type.String({ description: 'how the actor proved it: token <id>, console, cli-token; none' }),
  sourceAddress: Type.String({ description: 'the address the request came from' }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  path: Type.String(),
  operation: Type.Union([Type.String(), Type.Null()], {
    description: "the contract's operation (jobs.update); null for a path no operation serves",
  }),
  resourceKind: Type.Union([Type.String(), Type.Null()], {
    description:
      "job, target, quota (a target's), space-quota, space-file-folders, variable, catalog, artifact, user, token, session, ...",
  }),
  resourceName: Type.Union([Type.String(), Type.Null()]),
  space: Type.Union([Type.String(), Type.Null()], {
    description:
      'the space of the resource when recorded; null: one of no space (user, token, engine, Kafka connection, alert channel...), or recorded before spaces were',
  }),
  status: Type.Integer({ description: 'the HTTP status of the answer' }),
  errorCode: Type.Union([Type.String(), Type.Null()], { description: 'the error code of a refusal' }),
  before: Json,
  after: Json,
});

const Filters = {
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'exactly this user' })),
  resourceKind: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'job, variable, ...' }),
  ),
  resourceName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  operation: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'jobs.update, ...' })),
  space: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: SPACE_NAME.source,
      description:
        "only the records about this space's things; an owner who is no platform admin reads one space at a time (without it: default)",
    }),
  ),
  outcome: Type.Optional(
    Type.Unsafe<Outcome>(
      Type.Union(
        OUTCOMES.map((o) => Type.Literal(o)),
        { description: 'succeeded (below 400), refused (401, 403), failed (any other error)' },
      ),
    ),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'at or before this time' })),
  text: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'found in actor, path, operation, resource, error code, before or after (any case)',
    }),
  ),
};

const tags = ['audit'];
// 404: a `space` that does not exist.
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const audit = {
  list: operation('GET', '/audit', {
    tags,
    summary:
      'The audit log, newest first: every record to a platform admin; the records of `space` to its owners (others get 403): every change and action asked of the API, refused ones too, with who, how they proved it, from where, the resource before and after (secrets masked). A page holds `limit` records; `next` is the `before` of the next page (null: the last)',
    querystring: Type.Object(
      {
        ...Filters,
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'default 50' })),
        before: Type.Optional(Type.Integer({ minimum: 1, description: 'records with ids below this' })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        entries: Type.Array(AuditEntryBody),
        next: Type.Union([Type.Integer(), Type.Null()]),
      }),
      ...errors,
    },
  }),
  export: operation('GET', '/audit/export', {
    tags,
    summary:
      'Every record of the audit log the filters keep, newest first, as a download (platform admins; the owners of `space`): JSON lines (one record a line) or CSV (a header line, before and after as JSON text, a leading = + - @ quoted with an apostrophe)',
    querystring: Type.Object(
      { ...Filters, format: Type.Union([Type.Literal('jsonl'), Type.Literal('csv')]) },
      { additionalProperties: false },
    ),
    response: {
      200: {
        description: 'application/x-ndjson or text/csv, as an attachment',
        content: {
          'application/x-ndjson': { schema: { type: 'string' } },
          'text/csv': { schema: { type: 'string' } },
        },
      },
      ...errors,
    },
  }),
};

export type AuditRecord = Static<typeof AuditEntryBody>;
