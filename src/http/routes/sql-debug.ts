import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { NAME_LIMITS } from '../limits.ts';
import { CodedMessage, ErrorBody, errors, EventStream, Name, Problem, Sql, StringMap } from '../schemas.ts';
import { eventStream } from '../sse.ts';

const DebugRun = Type.Object({
  id: Type.String(),
  state: Type.String({ description: 'starting, running, finished or failed' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'in English' }),
  reasonMessage: CodedMessage,
  cluster: Type.String(),
  jobName: Type.Union([Type.String(), Type.Null()]),
  rowLimit: Type.Integer(),
  timeLimitSeconds: Type.Number(),
  rowCount: Type.Integer(),
  startedAt: Type.String(),
  firstRowAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  sinks: Type.Array(
    Type.Object({
      sink: Type.String(),
      line: Type.Integer(),
      columns: Type.Array(Type.String()),
      rows: Type.Integer(),
    }),
  ),
  tables: Type.Array(
    Type.Object({ name: Type.String(), line: Type.Integer(), as: Type.String(), reason: Type.String() }),
  ),
  notes: Type.Array(Type.String()),
  problem: Type.Union([Problem, Type.Null()]),
  log: Type.Array(Type.String()),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const sqlDebugRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/sql/debug',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Start a debug run: sources re-declared over datagen (or given rows), each INSERT run as the SELECT it writes, rows collected; no real sink is written',
          body: Type.Object(
            {
              sql: Type.Optional(Sql({ minLength: 1, description: 'the script, or jobName: one of both' })),
              jobName: Type.Optional(Name),
              clusterName: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_LIMITS.cluster })),
              rowLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
              timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.001, maximum: 3600 })),
              rowsPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
              catalogs: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), { maxItems: 100 }),
              ),
              sources: Type.Optional(
                Type.Unsafe<
                  Record<
                    string,
                    { options?: Record<string, string>; rows?: Record<string, unknown>[]; csv?: string }
                  >
                >({
                  type: 'object',
                  description: 'rows or generator options per source table, by table name',
                  propertyNames: { type: 'string', minLength: 1, maxLength: 256 },
                  maxProperties: 100,
                  additionalProperties: Type.Object(
                    {
                      options: Type.Optional(StringMap()),
                      rows: Type.Optional(
                        Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 10_000 }),
                      ),
                      csv: Type.Optional(Type.String({ maxLength: 1_000_000 })),
                    },
                    { additionalProperties: false },
                  ),
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 202: DebugRun, ...errors },
        },
      },
      async (req, reply) => reply.code(202).send(await platform.debug.start(req.body)),
    );
    app.get(
      '/sql/debug',
      {
        schema: {
          tags: ['sql'],
          summary: 'Recent debug runs, newest first',
          response: { 200: Type.Array(DebugRun) },
        },
      },
      () => platform.debug.list(),
    );
    app.get(
      '/sql/debug/:id',
      { schema: { tags: ['sql'], params: IdParams, response: { 200: DebugRun, ...errors } } },
      (req) => platform.debug.get(req.params.id),
    );
    app.post(
      '/sql/debug/:id/stop',
      {
        schema: {
          tags: ['sql'],
          summary: 'Stop a debug run: its Flink jobs are cancelled',
          params: IdParams,
          response: { 200: DebugRun, ...errors },
        },
      },
      (req) => platform.debug.stop(req.params.id),
    );
    app.get(
      '/sql/debug/:id/results',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Server-sent events: `status` (the run), `row` ({seq, sink, kind: +I/-U/+U/-D, fields}) for every row so far and then live, `end` when the run has ended',
          params: IdParams,
          response: { 200: EventStream(['status', 'row', 'end']), 404: ErrorBody },
        },
      },
      (req, reply) => {
        platform.debug.get(req.params.id); // 404 before the stream starts
        let unsubscribe = () => {};
        const stream = eventStream(req, reply, () => unsubscribe());
        unsubscribe = platform.debug.subscribe(req.params.id, (e) => {
          if (e.type === 'row') stream.send('row', e.row);
          else {
            stream.send('status', e.run);
            // After the rows a late subscriber is replayed, which follow this status synchronously.
            if (e.run.endedAt)
              setImmediate(() => {
                stream.send('end', { reason: e.run.reason, state: e.run.state });
                unsubscribe();
                stream.end();
              });
          }
        });
      },
    );
  };
