import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { optionChangeReport } from '../../application/option-changes.ts';
import { getExample, listExamples } from '../../application/sql-examples.ts';
import { sql as S } from '../../contract/sql.ts';

/** The SQL checks and examples of the contract (src/contract/sql.ts). */
export const sqlRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...S.validate,
      handler: (req) =>
        platform.sql.validate(req.body.sql, req.body.asJob ?? false, req.body.engineVersion, req.space),
    });
    app.route({
      ...S.explain,
      handler: (req) =>
        platform.sql.explain(req.body.sql, {
          target: req.body.target,
          options: req.body.options,
          catalogs: req.body.catalogs,
          artifacts: req.body.artifacts,
          space: req.space,
        }),
    });
    app.route({
      ...S.optionChanges,
      handler: (req) => optionChangeReport(req.body.sql, req.body.options ?? {}, req.body.from, req.body.to),
    });
    app.route({ ...S.examples, handler: () => listExamples() });
    app.route({ ...S.example, handler: (req) => getExample(req.params.name) });
  };
