import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { eventStream } from '../sse.ts';

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
        const only = req.query.job;
        let unsubscribe = () => {};
        const stream = eventStream(req, reply, () => unsubscribe());
        unsubscribe = platform.bus.subscribe((e) => {
          if (only && e.jobName !== only) return;
          stream.send(e.type, e);
        });
      },
    );
  };
