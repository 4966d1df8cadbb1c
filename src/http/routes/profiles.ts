import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { profiles as C } from '../../contract/profiles.ts';

/** Resource profile operations of the contract (src/contract/profiles.ts). */
export const profileRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...C.ofJob, handler: (req) => platform.profiles.list(req.params.name) });
    app.route({
      ...C.set,
      handler: (req) =>
        platform.profiles.set(req.params.name, {
          name: req.params.profile,
          parallelism: req.body.parallelism,
          options: req.body.options,
        }),
    });
    app.route({
      ...C.remove,
      handler: async (req) => {
        await platform.profiles.remove(req.params.name, req.params.profile);
        return { removed: req.params.profile };
      },
    });
    app.route({ ...C.active, handler: (req) => platform.profiles.state(req.params.name) });
    app.route({
      ...C.switch,
      handler: async (req, reply) =>
        reply
          .status(202)
          .send(await platform.profiles.switchTo(req.params.name, req.body.profile, req.author)),
    });
    app.route({ ...C.schedule, handler: (req) => platform.profileSchedules.list(req.params.name) });
    app.route({
      ...C.addSchedule,
      handler: async (req, reply) =>
        reply.status(201).send(await platform.profileSchedules.add(req.params.name, req.body, req.author)),
    });
    app.route({
      ...C.removeSchedule,
      handler: async (req) => {
        await platform.profileSchedules.remove(req.params.name, req.params.id);
        return { removed: req.params.id };
      },
    });
  };
