import fs from 'node:fs';
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { Platform } from '../../application/platform.ts';
import { checkJarSize } from '../../domain/artifacts/jar-check.ts';
import { ArtifactName } from '../artifact-schemas.ts';
import { errors } from '../schemas.ts';

/** Media types a jar upload is accepted as. */
export const JAR_MEDIA_TYPES = ['application/java-archive', 'application/octet-stream'];

const Source = Type.Union([
  Type.Object({ kind: Type.Literal('upload') }),
  Type.Object({
    kind: Type.Literal('maven'),
    coordinates: Type.String(),
    repository: Type.Union([Type.String(), Type.Null()], { description: 'null: Maven Central' }),
  }),
]);
const ArtifactVersionBody = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  fileName: Type.String(),
  source: Source,
  mainClass: Type.Union([Type.String(), Type.Null()], { description: "the manifest's Main-Class" }),
  author: Type.String(),
  createdAt: Type.String(),
});
const ArtifactBody = Type.Object({
  name: Type.String(),
  latestVersion: Type.Integer(),
  versions: Type.Array(ArtifactVersionBody),
});
const FunctionsBody = Type.Object({
  artifact: Type.String(),
  version: Type.Integer(),
  functions: Type.Array(
    Type.Object({
      className: Type.String(),
      kind: Type.String({
        description: 'scalar, table, aggregate, table-aggregate, async-scalar or async-table',
      }),
      signatures: Type.Array(Type.Object({ parameters: Type.Array(Type.String()), returns: Type.String() })),
      name: Type.String({ description: 'the name it is offered under (its class name in snake case)' }),
      createStatement: Type.String({
        description: 'CREATE TEMPORARY FUNCTION ... USING JAR ..., to copy into a script',
      }),
    }),
  ),
});
const Name = Type.Object({ name: ArtifactName });
const NameVersion = Type.Object({ name: ArtifactName, version: Type.Integer({ minimum: 1 }) });
const ClassName = Type.String({ minLength: 1, maxLength: 1000 });

/** Query parameters keep their types (as every other route's); the jar body is checked by the service. */
function jarBodyCompiler(): FastifySchemaCompiler<FastifySchema> {
  const build = AjvCompiler() as unknown as (
    external: object,
    options: object,
  ) => FastifySchemaCompiler<FastifySchema>;
  const coercing = build({}, { customOptions: { coerceTypes: 'array', removeAdditional: false } });
  return (route) => (route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : coercing(route));
}

/** Jars kept by the platform: upload, Maven coordinates, versions, download, delete, the UDFs in them. */
export const artifactRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const maxBytes = platform.config.artifactMaxBytes;
    app.addContentTypeParser(
      JAR_MEDIA_TYPES,
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_req, body, done) => done(null, body),
    );
    const tags = ['artifacts'];
    app.get(
      '/artifacts',
      {
        schema: {
          tags,
          summary: 'Artifacts with their versions',
          response: { 200: Type.Array(ArtifactBody) },
        },
      },
      () => platform.artifacts.list(),
    );
    app.post(
      '/artifacts',
      {
        schema: {
          tags,
          summary: `Upload a jar as the next version of an artifact: the raw jar as the body (application/java-archive). Refused with the reason, storing nothing: not a zip, no manifest, an entry class not in it, an empty body, more than ${maxBytes} bytes`,
          consumes: JAR_MEDIA_TYPES,
          querystring: Type.Object(
            {
              name: Type.Optional(ArtifactName),
              fileName: Type.Optional(
                Type.String({
                  minLength: 1,
                  maxLength: 255,
                  description: 'the file name it came as; names the artifact when name is absent',
                }),
              ),
              entryClass: Type.Optional(ClassName),
            },
            { additionalProperties: false },
          ),
          body: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          response: { 201: ArtifactVersionBody, ...errors },
        },
        validatorCompiler: jarBodyCompiler(),
        // Said before the body is read: what the limit is, and that nothing was stored.
        onRequest: async (req) => {
          const length = Number(req.headers['content-length'] ?? 0);
          if (length > maxBytes)
            checkJarSize(
              length,
              maxBytes,
              String((req.query as { fileName?: string }).fileName ?? 'the upload'),
            );
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const saved = await platform.artifacts.upload(
          {
            bytes: body,
            fileName: req.query.fileName ?? (req.query.name ? `${req.query.name}.jar` : 'upload.jar'),
            name: req.query.name,
            entryClass: req.query.entryClass,
          },
          req.author,
        );
        return reply.status(201).send(saved);
      },
    );
    app.post(
      '/artifacts/maven',
      {
        schema: {
          tags,
          summary:
            'Resolve group:artifact:version[:classifier] with Maven (the configured repository or mirror and settings) and store the jar as the next version',
          body: Type.Object(
            {
              coordinates: Type.String({ minLength: 1, maxLength: 500 }),
              name: Type.Optional(ArtifactName),
            },
            { additionalProperties: false },
          ),
          response: { 201: ArtifactVersionBody, ...errors },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await platform.artifacts.fromMaven(req.body.coordinates, req.body.name, req.author)),
    );
    app.get(
      '/artifacts/:name',
      {
        schema: {
          tags,
          summary: 'An artifact and its versions',
          params: Name,
          response: { 200: ArtifactBody, ...errors },
        },
      },
      (req) => platform.artifacts.get(req.params.name),
    );
    app.delete(
      '/artifacts/:name',
      {
        schema: {
          tags,
          summary:
            'Delete an artifact with all its versions; refused (409) while any job version uses it, naming them',
          params: Name,
          response: { 200: Type.Object({ removedVersions: Type.Array(Type.Integer()) }), ...errors },
        },
      },
      (req) => platform.artifacts.delete(req.params.name, null),
    );
    app.delete(
      '/artifacts/:name/versions/:version',
      {
        schema: {
          tags,
          summary: 'Delete one version; refused (409) while any job version uses it, naming them',
          params: NameVersion,
          response: { 200: Type.Object({ removedVersions: Type.Array(Type.Integer()) }), ...errors },
        },
      },
      (req) => platform.artifacts.delete(req.params.name, req.params.version),
    );
    app.get(
      '/artifacts/:name/versions/:version/jar',
      {
        schema: {
          tags,
          summary: 'Download the jar of a version',
          params: NameVersion,
          produces: ['application/java-archive'],
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the jar' }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const f = await platform.artifacts.file(req.params.name, req.params.version);
        return reply
          .type('application/java-archive')
          .header('content-disposition', `attachment; filename="${f.fileName.replace(/["\\\r\n]/g, '_')}"`)
          .send(fs.readFileSync(f.path));
      },
    );
    app.get(
      '/artifacts/:name/versions/:version/functions',
      {
        schema: {
          tags,
          summary:
            'The user-defined functions in a version (classes extending UserDefinedFunction, read by a JVM over the default engine), with their signatures and the CREATE FUNCTION statement',
          params: NameVersion,
          response: { 200: FunctionsBody, ...errors },
        },
      },
      (req) => platform.artifacts.functions(req.params.name, req.params.version),
    );
  };
