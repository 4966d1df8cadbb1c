import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { engines as E } from '../../contract/engines.ts';

/** The engines operations of the contract (src/contract/engines.ts). */
export const engineRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...E.list, handler: () => platform.engines.list() });
    app.route({
      ...E.install,
      handler: async (req, reply) => {
        const { version } = req.body;
        platform.engines.recipeFor(version);
        const op = platform.operations.start('engine-install', version, (progress) =>
          platform.engines.install(version, progress),
        );
        return reply.status(202).send(op);
      },
    });
    app.route({
      ...E.register,
      handler: async (req, reply) => reply.status(201).send(await platform.engines.register(req.body.home)),
    });
    app.route({ ...E.catalogTypes, handler: (req) => platform.engines.catalogTypes(req.params.version) });
    app.route({ ...E.setDefault, handler: (req) => platform.engines.setDefault(req.params.version) });
  };
