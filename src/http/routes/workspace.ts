import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { workspace as W } from '../../contract/workspace.ts';
import { withTarget } from './target-alias.ts';
import { withoutSpace, withSpaces } from '../plugins/authorization.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

/** Workspace variables (with secrets) and catalog definitions shared by jobs (src/contract/workspace.ts). */
export const workspaceRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...W.variables,
      handler: async () =>
        withSpaces('variable', await platform.variables.list(), platform.spaces, DEFAULT_SPACE),
    });
    app.route({ ...W.variable, handler: (req) => platform.variables.get(req.params.name) });
    app.route({
      ...W.setVariable,
      handler: (req) =>
        platform.variables.set(req.params.name, req.body.value, {
          ...(req.body.secret === undefined ? {} : { secret: req.body.secret }),
          ...(req.body.description === undefined ? {} : { description: req.body.description }),
          space: req.space,
        }),
    });
    app.route({
      ...W.deleteVariable,
      handler: async (req, reply) => {
        await platform.variables.delete(req.params.name);
        return reply.code(204).send(null);
      },
    });
    // `?cluster=` is the deprecated name of `?target=`.
    const on = (query: { target?: string; cluster?: string }) => withTarget(query, 'cluster').target;
    app.route({
      ...W.catalogs,
      handler: async () =>
        withSpaces('catalog', await platform.catalogs.list(), platform.spaces, DEFAULT_SPACE),
    });
    app.route({ ...W.catalogTypes, handler: (req) => platform.catalogs.types(on(req.query)) });
    app.route({ ...W.catalog, handler: (req) => platform.catalogs.get(req.params.name) });
    app.route({
      ...W.setCatalog,
      handler: (req) =>
        platform.catalogs.save(req.params.name, withoutSpace(req.body), {
          target: on(req.query),
          space: req.space,
        }),
    });
    app.route({
      ...W.deleteCatalog,
      handler: async (req, reply) => {
        await platform.catalogs.delete(req.params.name);
        return reply.code(204).send(null);
      },
    });
    app.route({
      ...W.databases,
      handler: (req) => platform.catalogs.databases(req.params.name, on(req.query)),
    });
    app.route({
      ...W.tables,
      handler: (req) => platform.catalogs.tables(req.params.name, req.params.database, on(req.query)),
    });
    app.route({
      ...W.columns,
      handler: (req) =>
        platform.catalogs.columns(req.params.name, req.params.database, req.params.table, on(req.query)),
    });
  };
