import fs from 'node:fs';
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { checkJarSize } from '../../domain/artifacts/jar-check.ts';
import { artifacts as A, JAR_MEDIA_TYPES } from '../../contract/artifacts.ts';
import { withoutSpace, withSpaces } from '../plugins/authorization.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

/** Query parameters keep their types (as every other route's); the jar body is checked by the service. */
function jarBodyCompiler(): FastifySchemaCompiler<FastifySchema> {
  const build = AjvCompiler() as unknown as (
    external: object,
    options: object,
  ) => FastifySchemaCompiler<FastifySchema>;
  const coercing = build({}, { customOptions: { coerceTypes: 'array', removeAdditional: false } });
  return (route) => (route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : coercing(route));
}

const STEP_LINE = /^\[(clone|checkout|build|pick jar|check jar)\] /;

/** Jars kept by the platform (the operations are in src/contract/artifacts.ts). */
export const artifactRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const maxBytes = platform.config.artifactMaxBytes;
    app.addContentTypeParser(
      JAR_MEDIA_TYPES,
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_req, body, done) => done(null, body),
    );
    app.route({
      ...A.list,
      handler: async () =>
        withSpaces('artifact', await platform.artifacts.list(), platform.spaces, DEFAULT_SPACE),
    });
    app.route({
      ...A.upload,
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
      handler: async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const saved = await platform.artifacts.upload(
          {
            bytes: body,
            fileName: req.query.fileName ?? (req.query.name ? `${req.query.name}.jar` : 'upload.jar'),
            name: req.query.name,
            entryClass: req.query.entryClass,
            space: req.space,
          },
          req.author,
        );
        return reply.status(201).send(saved);
      },
    });
    app.route({
      ...A.fromMaven,
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(
            await platform.artifacts.fromMaven(req.body.coordinates, req.body.name, req.author, req.space),
          ),
    });
    app.route({
      ...A.build,
      handler: async (req, reply) => {
        // A bad URL, ref, module, pattern or name is refused now, not as a failed operation.
        const input = withoutSpace(req.body);
        const { subject } = platform.artifacts.checkGitBuild(input);
        // The build stores its jar later: a new artifact (its version 1) is written in the space then.
        const space = req.space;
        const op = platform.operations.start(
          'artifact-build',
          subject,
          (progress) => platform.artifacts.buildFromGit(input, req.author, progress, space),
          // The operation keeps git's and Maven's whole output; the server's log gets the steps.
          (line) => STEP_LINE.test(line),
        );
        return reply.status(202).send(op);
      },
    });
    app.route({ ...A.get, handler: (req) => platform.artifacts.get(req.params.name) });
    app.route({ ...A.delete, handler: (req) => platform.artifacts.delete(req.params.name, null) });
    app.route({
      ...A.deleteVersion,
      handler: (req) => platform.artifacts.delete(req.params.name, req.params.version),
    });
    app.route({
      ...A.jar,
      handler: async (req, reply) => {
        const f = await platform.artifacts.file(req.params.name, req.params.version);
        return reply
          .type('application/java-archive')
          .header('content-disposition', `attachment; filename="${f.fileName.replace(/["\\\r\n]/g, '_')}"`)
          .send(fs.readFileSync(f.path));
      },
    });
    app.route({
      ...A.functions,
      handler: (req) => platform.artifacts.functions(req.params.name, req.params.version),
    });
    // Asked by pods, not people: the run's token is the whole authorization.
    app.route({
      ...A.submissionListing,
      handler: async (req, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .send(platform.submissionArtifacts.listing(req.params.flinkJobId, req.headers.authorization)),
    });
    app.route({
      ...A.submissionFile,
      handler: async (req, reply) =>
        reply
          .type('application/java-archive')
          .send(
            fs.readFileSync(
              platform.submissionArtifacts.file(
                req.params.flinkJobId,
                req.params.file,
                req.headers.authorization,
              ),
            ),
          ),
    });
  };
