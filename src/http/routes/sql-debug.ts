import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { sql as S, type DebugResultEvent } from '../../contract/sql.ts';
import { eventStream } from '../sse.ts';
import { withoutSpace } from '../plugins/authorization.ts';

/** Debug runs and their results stream (src/contract/sql.ts). */
export const sqlDebugRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...S.startDebug,
      handler: async (req, reply) =>
        reply.code(202).send(await platform.debug.start({ ...withoutSpace(req.body), space: req.space })),
    });
    app.route({ ...S.debugRuns, handler: () => platform.debug.list() });
    app.route({ ...S.debugRun, handler: (req) => platform.debug.get(req.params.id) });
    app.route({ ...S.stopDebug, handler: (req) => platform.debug.stop(req.params.id) });
    app.route({
      ...S.debugResults,
      handler: (req, reply) => {
        platform.debug.get(req.params.id); // 404 before the stream starts
        let unsubscribe = () => {};
        const stream = eventStream<DebugResultEvent>(req, reply, () => unsubscribe());
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
    });
  };
