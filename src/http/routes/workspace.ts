import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { NAME_LIMITS } from '../limits.ts';
import { CatalogTypesBody, CodedMessage, errors, StringMap, Text } from '../schemas.ts';

const Variable = Type.Object({
  name: Type.String(),
  value: Type.Union([Type.String(), Type.Null()], {
    description: 'null for a secret: its value is never returned',
  }),
  secret: Type.Boolean(),
  description: Type.String(),
  warning: Type.Union([Type.String(), Type.Null()], {
    description:
      'what is wrong with a secret saved before weak values were refused: it is kept and masked; set a stronger value',
  }),
  warningMessage: CodedMessage,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Catalog = Type.Object({
  name: Type.String(),
  type: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  description: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const VariableName = Type.Object({ name: Type.String({ minLength: 1, maxLength: NAME_LIMITS.variable }) });
const CatalogName = Type.Object({ name: Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }) });
const Cluster = Type.Object({
  cluster: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_LIMITS.cluster })),
});
/** A database or table of a catalog, as the engine names it. */
const ObjectName = Type.String({ minLength: 1, maxLength: 256 });

/** Workspace variables (with secrets) and catalog definitions shared by jobs. */
export const workspaceRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/variables',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Variables; a secret shows without its value',
          response: { 200: Type.Array(Variable) },
        },
      },
      () => platform.variables.list(),
    );
    app.get(
      '/variables/:name',
      { schema: { tags: ['workspace'], params: VariableName, response: { 200: Variable, ...errors } } },
      (req) => platform.variables.get(req.params.name),
    );
    app.put(
      '/variables/:name',
      {
        schema: {
          tags: ['workspace'],
          summary:
            'Set a variable, referenced as ${name} in SQL and options. A secret is stored encrypted, substituted only when SQL runs, and masked everywhere else; a value shorter than 6 characters, without letters, or a common word is refused as a secret (400, messageCode variable.secretRefused)',
          params: VariableName,
          body: Type.Object(
            {
              value: Type.String({ maxLength: NAME_LIMITS.optionValue }),
              secret: Type.Optional(Type.Boolean()),
              description: Type.Optional(Text(NAME_LIMITS.description)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Variable, ...errors },
        },
      },
      (req) =>
        platform.variables.set(req.params.name, req.body.value, {
          ...(req.body.secret === undefined ? {} : { secret: req.body.secret }),
          ...(req.body.description === undefined ? {} : { description: req.body.description }),
        }),
    );
    app.delete(
      '/variables/:name',
      { schema: { tags: ['workspace'], params: VariableName, response: { 204: Type.Null(), ...errors } } },
      async (req, reply) => {
        await platform.variables.delete(req.params.name);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/catalogs',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Catalog definitions of the workspace',
          response: { 200: Type.Array(Catalog) },
        },
      },
      () => platform.catalogs.list(),
    );
    app.get(
      '/catalog-types',
      {
        schema: {
          tags: ['workspace'],
          summary:
            'The catalog types the engine of a cluster has (default: the cluster that checks catalogs), and how to add others',
          querystring: Cluster,
          response: { 200: CatalogTypesBody, ...errors },
        },
      },
      (req) => platform.catalogs.types(req.query.cluster),
    );
    app.get(
      '/catalogs/:name',
      { schema: { tags: ['workspace'], params: CatalogName, response: { 200: Catalog, ...errors } } },
      (req) => platform.catalogs.get(req.params.name),
    );
    app.put(
      '/catalogs/:name',
      {
        schema: {
          tags: ['workspace'],
          summary:
            'Define a catalog (the options of CREATE CATALOG; values may reference ${variables}). The engine creates it once before it is saved',
          params: CatalogName,
          querystring: Cluster,
          body: Type.Object(
            {
              type: Type.String({ minLength: 1, maxLength: 256 }),
              options: Type.Optional(StringMap()),
              description: Type.Optional(Text(NAME_LIMITS.description)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Catalog, ...errors },
        },
      },
      (req) => platform.catalogs.save(req.params.name, req.body, { clusterName: req.query.cluster }),
    );
    app.delete(
      '/catalogs/:name',
      { schema: { tags: ['workspace'], params: CatalogName, response: { 204: Type.Null(), ...errors } } },
      async (req, reply) => {
        await platform.catalogs.delete(req.params.name);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/catalogs/:name/databases',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Databases of the catalog, as the engine sees them',
          params: CatalogName,
          querystring: Cluster,
          response: { 200: Type.Array(Type.String()), ...errors },
        },
      },
      (req) => platform.catalogs.databases(req.params.name, req.query.cluster),
    );
    app.get(
      '/catalogs/:name/databases/:database/tables',
      {
        schema: {
          tags: ['workspace'],
          params: Type.Object({ name: CatalogName.properties.name, database: ObjectName }),
          querystring: Cluster,
          response: { 200: Type.Array(Type.String()), ...errors },
        },
      },
      (req) => platform.catalogs.tables(req.params.name, req.params.database, req.query.cluster),
    );
    app.get(
      '/catalogs/:name/databases/:database/tables/:table',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Columns of a table (DESCRIBE)',
          params: Type.Object({ name: CatalogName.properties.name, database: ObjectName, table: ObjectName }),
          querystring: Cluster,
          response: {
            200: Type.Array(
              Type.Object({
                name: Type.String(),
                type: Type.String(),
                nullable: Type.Boolean(),
                key: Type.Union([Type.String(), Type.Null()]),
                extras: Type.Union([Type.String(), Type.Null()]),
                watermark: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            ...errors,
          },
        },
      },
      (req) =>
        platform.catalogs.columns(req.params.name, req.params.database, req.params.table, req.query.cluster),
    );
  };
