import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { NAME_LIMITS } from '../limits.ts';
import { EngineVersion, errors, OptionChangeReport, Problem, Sql, StringMap } from '../schemas.ts';

const ClusterName = Type.String({ minLength: 1, maxLength: NAME_LIMITS.cluster });
const Catalogs = Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), { maxItems: 100 });
import { optionChangeReport } from '../../application/option-changes.ts';
import { getExample, listExamples } from '../../application/sql-examples.ts';

export const sqlRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/sql/validate',
      {
        schema: {
          tags: ['sql'],
          summary:
            "Syntax check for every keystroke: the Flink SQL grammar, its errors judged by Flink's own SQL parser of the engine (default: the default engine); asJob adds the rules of a job script",
          body: Type.Object(
            {
              sql: Sql(),
              asJob: Type.Optional(Type.Boolean()),
              engineVersion: Type.Optional(EngineVersion),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              problems: Type.Array(Problem),
              statements: Type.Array(
                Type.Object({ line: Type.Integer(), column: Type.Integer(), kind: Type.String() }),
              ),
              parser: Type.Optional(
                Type.Object(
                  {
                    engine: Type.String(),
                    flinkVersion: Type.Optional(Type.String()),
                    used: Type.Boolean(),
                    reason: Type.Optional(Type.String()),
                  },
                  { description: "whether Flink's SQL parser judged the grammar's errors, or why not" },
                ),
              ),
            }),
            ...errors,
          },
        },
      },
      (req) => platform.sql.validate(req.body.sql, req.body.asJob ?? false, req.body.engineVersion),
    );
    app.post(
      '/sql/explain',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Planner validation on the real engine of a session cluster: EXPLAIN of every INSERT and query, no job started',
          body: Type.Object(
            {
              sql: Sql({ minLength: 1 }),
              clusterName: Type.Optional(ClusterName),
              options: Type.Optional(StringMap()),
              catalogs: Type.Optional(Catalogs),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              cluster: Type.String(),
              problems: Type.Array(Problem),
              plans: Type.Array(
                Type.Object({ line: Type.Integer(), statement: Type.String(), plan: Type.String() }),
              ),
            }),
            ...errors,
          },
        },
      },
      (req) =>
        platform.sql.explain(req.body.sql, {
          clusterName: req.body.clusterName,
          options: req.body.options,
          catalogs: req.body.catalogs,
        }),
    );
    app.post(
      '/sql/option-changes',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Connector and configuration options that change between two Flink versions, found in a script (and job options), with the script rewritten where that is safe',
          body: Type.Object(
            {
              sql: Sql(),
              options: Type.Optional(StringMap()),
              from: EngineVersion,
              to: EngineVersion,
            },
            { additionalProperties: false },
          ),
          response: { 200: OptionChangeReport, ...errors },
        },
      },
      (req) => optionChangeReport(req.body.sql, req.body.options ?? {}, req.body.from, req.body.to),
    );
    const Example = Type.Object({
      name: Type.String(),
      title: Type.String(),
      description: Type.String(),
      tags: Type.Array(Type.String()),
      sql: Type.String(),
    });
    app.get(
      '/sql/examples',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Worked examples to copy into a new job; each is planned by Flink and debug-run in the test suite',
          response: { 200: Type.Array(Example) },
        },
      },
      () => listExamples(),
    );
    app.get(
      '/sql/examples/:name',
      {
        schema: {
          tags: ['sql'],
          params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) }),
          response: { 200: Example, ...errors },
        },
      },
      (req) => getExample(req.params.name),
    );
  };
