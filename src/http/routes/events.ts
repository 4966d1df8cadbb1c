import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { events as E, type PlatformEventMap } from '../../contract/events.ts';
import { eventStream } from '../sse.ts';
import { signedIn } from '../plugins/authentication.ts';
import { alertView } from './alert-rules.ts';

/** Server-sent events: job state transitions, submission progress and alerts, as they happen. */
export const eventRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Each stream holds one of the browser's few connections to the server: counted, so that it shows.
    const streams = { open: 0, opened: 0 };
    app.route({
      ...E.stream,
      handler: async (req, reply) => {
        const only = req.query.job;
        // Only the events of jobs in the caller's spaces (a platform admin's: all), as lists answer.
        const p = signedIn(req);
        const visible = p.admin ? null : await platform.spaces.visible(p.user);
        const shown = async (job: string) =>
          visible!.has((await platform.spaces.store.spaceOf('job', job)) ?? '');
        let unsubscribe = () => {};
        streams.open++;
        streams.opened++;
        let closed = false;
        const stream = eventStream<PlatformEventMap>(req, reply, () => {
          closed = true;
          streams.open--;
          unsubscribe();
        });
        // In the order they happen: each event waits for the space of the one before.
        let chain = Promise.resolve();
        unsubscribe = platform.bus.subscribe((e) => {
          if (only && e.jobName !== only) return;
          const send = () => {
            if (e.type === 'job.state') stream.send(e.type, e);
            else if (e.type === 'submission') stream.send(e.type, e);
            else stream.send(e.type, { ...e, alert: alertView(e.alert) });
          };
          if (visible === null) return send();
          chain = chain
            .then(async () => {
              if ((await shown(e.jobName)) && !closed) send();
            })
            .catch((err: unknown) => req.log.warn({ err }, 'the space of an event could not be read'));
        });
      },
    });
    app.route({ ...E.streams, handler: () => ({ ...streams }) });
  };
