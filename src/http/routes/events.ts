import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';

/** Server-sent events: job state transitions and submission progress, as they happen. */
export const eventRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Server-sent events (text/event-stream): `job.state` and `submission`; ?job=N narrows to one job',
          querystring: Type.Object({ job: Type.Optional(Type.String()) }),
        },
      },
      (req, reply) => {
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        reply.raw.write(': connected\n\n');
        const only = req.query.job;
        const unsubscribe = platform.bus.subscribe((e) => {
          if (only && e.jobName !== only) return;
          reply.raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        });
        const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
        req.raw.on('close', () => {
          clearInterval(keepAlive);
          unsubscribe();
        });
        return reply.hijack();
      },
    );
  };
