import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { spaces as S } from '../../contract/spaces.ts';
import { signedIn } from '../plugins/authentication.ts';

/** Spaces and their members (src/contract/spaces.ts); who may call each is in its access declaration. */
export const spaceRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const spaces = platform.spaces;
    app.route({
      ...S.list,
      handler: (req) => {
        const p = signedIn(req);
        return spaces.list(p.user, p.admin);
      },
    });
    app.route({
      ...S.create,
      handler: async (req, reply) => reply.code(201).send(await spaces.create(req.body.name, req.author)),
    });
    app.route({
      ...S.remove,
      handler: async (req, reply) => {
        await spaces.remove(req.params.name);
        return reply.code(204).send(null);
      },
    });
    app.route({ ...S.members, handler: (req) => spaces.members(req.params.name) });
    app.route({ ...S.member, handler: (req) => spaces.member(req.params.name, req.params.user) });
    app.route({
      ...S.setMember,
      handler: (req) => spaces.setMember(req.params.name, req.params.user, req.body.role),
    });
    app.route({
      ...S.removeMember,
      handler: async (req, reply) => {
        await spaces.removeMember(req.params.name, req.params.user);
        return reply.code(204).send(null);
      },
    });
    app.route({
      ...S.fileFolders,
      handler: async (req) => {
        await spaces.existing(req.params.name);
        return platform.files.of(req.params.name);
      },
    });
    app.route({
      ...S.setFileFolders,
      handler: (req) => platform.files.set(req.params.name, req.body.folders),
    });
    app.route({ ...S.clearFileFolders, handler: (req) => platform.files.set(req.params.name, null) });
    app.route({ ...S.quota, handler: (req) => platform.quotas.spaceView(req.params.name) });
    app.route({
      ...S.setQuota,
      handler: (req) => platform.quotas.setSpace(req.params.name, req.body, req.author),
    });
    app.route({
      ...S.clearQuota,
      handler: async (req) => {
        await platform.quotas.clearSpace(req.params.name);
        return { cleared: req.params.name };
      },
    });
  };
