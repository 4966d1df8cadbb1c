import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { CatalogTypesBody, CodedMessage, EngineVersion, errors, OperationBody } from '../schemas.ts';

const EngineBody = Type.Object({
  version: Type.String(),
  flinkVersion: Type.String(),
  home: Type.String(),
  source: Type.String(),
  isDefault: Type.Boolean(),
  installedAt: Type.String(),
  healthy: Type.Optional(Type.Boolean()),
  problem: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  problemMessage: Type.Optional(CodedMessage),
});
const Version = EngineVersion;

export const engineRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/engines',
      {
        schema: {
          tags: ['engines'],
          summary: 'Installed Flink engines',
          response: { 200: Type.Array(EngineBody) },
        },
      },
      () => platform.engines.list(),
    );

    app.post(
      '/engines/install',
      {
        schema: {
          tags: ['engines'],
          summary: 'Provision a Flink version from Maven Central (background operation)',
          body: Type.Object({ version: Version }, { additionalProperties: false }),
          response: { 202: OperationBody, ...errors },
        },
      },
      async (req, reply) => {
        const { version } = req.body;
        const op = platform.operations.start('engine-install', version, (progress) =>
          platform.engines.install(version, progress),
        );
        return reply.status(202).send(op);
      },
    );

    app.post(
      '/engines',
      {
        schema: {
          tags: ['engines'],
          summary: 'Register an existing Flink distribution',
          body: Type.Object(
            { home: Type.String({ minLength: 1, maxLength: 4096 }) },
            { additionalProperties: false },
          ),
          response: { 201: EngineBody, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await platform.engines.register(req.body.home)),
    );

    app.get(
      '/engines/:version/catalog-types',
      {
        schema: {
          tags: ['engines'],
          summary:
            "The catalog types (CatalogFactory identifiers) in the engine's jars, and how to add others",
          params: Type.Object({ version: Version }),
          response: { 200: CatalogTypesBody, ...errors },
        },
      },
      (req) => platform.engines.catalogTypes(req.params.version),
    );

    app.put(
      '/engines/:version/default',
      {
        schema: {
          tags: ['engines'],
          summary: 'Make an engine the default for new jobs and clusters',
          params: Type.Object({ version: Version }),
          response: { 200: EngineBody, ...errors },
        },
      },
      (req) => platform.engines.setDefault(req.params.version),
    );
  };
