import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { clusters as C } from '../../contract/clusters.ts';

/** The clusters operations of the contract (src/contract/clusters.ts). */
export const clusterRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...C.list, handler: () => platform.clusters.list() });
    app.route({
      ...C.define,
      handler: (req) => platform.clusters.define({ ...req.body, name: req.params.name }),
    });
    app.route({
      ...C.registerRemote,
      handler: async (req, reply) =>
        reply.status(201).send(
          await platform.clusters.registerRemote({
            name: req.body.name,
            restUrl: req.body.restUrl,
            gatewayUrl: req.body.gatewayUrl ?? null,
            engineVersion: '',
          }),
        ),
    });
    app.route({ ...C.get, handler: (req) => platform.clusters.status(req.params.name) });
    app.route({
      ...C.start,
      handler: async (req, reply) => {
        await platform.clusters.spec(req.params.name);
        const op = platform.operations.start('cluster-start', req.params.name, (progress) =>
          platform.clusters.start(req.params.name, progress),
        );
        return reply.status(202).send(op);
      },
    });
    app.route({ ...C.stop, handler: (req) => platform.clusters.stop(req.params.name) });
  };
