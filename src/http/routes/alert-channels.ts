import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { alertChannels as A } from '../../contract/alert-channels.ts';

/** Alert channels (src/contract/alert-channels.ts). */
export const alertChannelRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...A.list, handler: () => platform.alertChannels.list() });
    app.route({ ...A.get, handler: (req) => platform.alertChannels.get(req.params.name) });
    app.route({ ...A.put, handler: (req) => platform.alertChannels.save(req.params.name, req.body) });
    app.route({
      ...A.remove,
      handler: async (req, reply) => {
        await platform.alertChannels.remove(req.params.name);
        return reply.code(204).send(null);
      },
    });
    app.route({ ...A.test, handler: (req) => platform.alertChannels.test(req.params.name) });
  };
