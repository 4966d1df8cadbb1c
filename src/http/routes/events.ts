import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { EventStream } from '../schemas.ts';
import { eventStream } from '../sse.ts';

/** Server-sent events: job state transitions and submission progress, as they happen. */
export const eventRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Each stream holds one of the browser's few connections to the server: counted, so that it shows.
    const streams = { open: 0, opened: 0 };
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Server-sent events (text/event-stream): `job.state` and `submission`; ?job=N narrows to one job',
          querystring: Type.Object({ job: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) }),
          response: { 200: EventStream(['job.state', 'submission']) },
        },
      },
      (req, reply) => {
        const only = req.query.job;
        let unsubscribe = () => {};
        streams.open++;
        streams.opened++;
        const stream = eventStream(req, reply, () => {
          streams.open--;
          unsubscribe();
        });
        unsubscribe = platform.bus.subscribe((e) => {
          if (only && e.jobName !== only) return;
          stream.send(e.type, e);
        });
      },
    );
    app.get(
      '/events/streams',
      {
        schema: {
          tags: ['events'],
          summary: 'How many event streams are open now, and how many were opened since the server started',
          response: { 200: Type.Object({ open: Type.Integer(), opened: Type.Integer() }) },
        },
      },
      () => ({ ...streams }),
    );
  };
