import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { sql as S } from '../../contract/sql.ts';

/** Lineage of a script and of the workspace (src/contract/sql.ts). */
export const lineageRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...S.lineage, handler: (req) => platform.lineage.ofScript(req.body.sql, req.space) });
    app.route({ ...S.graph, handler: (req) => platform.lineage.graph(req.query.job) });
  };
