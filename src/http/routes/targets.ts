import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { targets as C } from '../../contract/targets.ts';
import { requireAdmin } from '../plugins/authentication.ts';
import { withoutSpace, withSpaces } from '../plugins/authorization.ts';

/** The deployment target operations of the contract (src/contract/targets.ts). */
export const targetRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...C.list,
      handler: async () => withSpaces('target', await platform.targets.list(), platform.spaces, null),
    });
    app.route({
      ...C.define,
      handler: (req) =>
        platform.targets.define({ ...withoutSpace(req.body), name: req.params.name }, { space: req.space }),
    });
    app.route({
      ...C.registerRemote,
      handler: async (req, reply) =>
        reply.status(201).send(
          await platform.targets.registerRemote(
            {
              name: req.body.name,
              restUrl: req.body.restUrl,
              gatewayUrl: req.body.gatewayUrl ?? null,
              engineVersion: '',
            },
            req.space,
          ),
        ),
    });
    app.route({
      ...C.registerKubernetes,
      handler: async (req, reply) => {
        const { spec, check } = await platform.targets.registerKubernetes(withoutSpace(req.body), req.space);
        return reply.status(201).send({
          spec,
          checks: check.results,
          serverVersion: check.serverVersion,
          operatorCrds: check.operatorCrds,
        });
      },
    });
    app.route({
      ...C.remove,
      handler: async (req) => {
        await platform.targets.remove(req.params.name);
        return { removed: req.params.name };
      },
    });
    app.route({ ...C.get, handler: (req) => platform.targets.status(req.params.name) });
    app.route({
      ...C.kubernetesCluster,
      handler: (req) => platform.targets.kubernetesCluster(req.params.name),
    });
    app.route({ ...C.resources, handler: (req) => platform.targets.resources(req.params.name) });
    app.route({ ...C.quota, handler: (req) => platform.quotas.view(req.params.name) });
    app.route({
      ...C.setQuota,
      handler: (req) => {
        requireAdmin(req);
        return platform.quotas.set(req.params.name, req.body, req.author);
      },
    });
    app.route({
      ...C.clearQuota,
      handler: async (req) => {
        requireAdmin(req);
        await platform.quotas.clear(req.params.name);
        return { cleared: req.params.name };
      },
    });
    app.route({
      ...C.start,
      handler: async (req, reply) => {
        await platform.targets.requireStartable(req.params.name);
        const op = platform.operations.start('cluster-start', req.params.name, (progress) =>
          platform.targets.start(req.params.name, progress),
        );
        return reply.status(202).send(op);
      },
    });
    app.route({ ...C.stop, handler: (req) => platform.targets.stop(req.params.name) });
  };
