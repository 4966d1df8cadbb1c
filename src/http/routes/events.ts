import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { events as E, type PlatformEventMap } from '../../contract/events.ts';
import { eventStream } from '../sse.ts';

/** Server-sent events: job state transitions and submission progress, as they happen. */
export const eventRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Each stream holds one of the browser's few connections to the server: counted, so that it shows.
    const streams = { open: 0, opened: 0 };
    app.route({
      ...E.stream,
      handler: (req, reply) => {
        const only = req.query.job;
        let unsubscribe = () => {};
        streams.open++;
        streams.opened++;
        const stream = eventStream<PlatformEventMap>(req, reply, () => {
          streams.open--;
          unsubscribe();
        });
        unsubscribe = platform.bus.subscribe((e) => {
          if (only && e.jobName !== only) return;
          if (e.type === 'job.state') stream.send(e.type, e);
          else stream.send(e.type, e);
        });
      },
    });
    app.route({ ...E.streams, handler: () => ({ ...streams }) });
  };
