import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifySchema,
  type RouteOptions,
} from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Platform } from '../composition/platform.ts';
import { SLUICE_VERSION } from '../application/version.ts';
import { message } from '../domain/messages.ts';
import { checkScriptLimits } from '../domain/sql/limits.ts';
import { HTTP_LIMITS, LIMITS_TEXT } from './limits.ts';
import { clientErrorHandler, errorBody, frameworkErrors, registerErrorHandling } from './plugins/errors.ts';
import { registerSecretMasking } from './plugins/secret-masking.ts';
import { registerConsole } from './plugins/console.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerRequestOrigin } from './plugins/request-origin.ts';
import { registerAuthentication } from './plugins/authentication.ts';
import { registerAuthorization } from './plugins/authorization.ts';
import { registerAudit } from './plugins/audit.ts';
import { accessRoutes } from './routes/access.ts';
import { ErrorBody } from './schemas.ts';
import { workspaceRoutes } from './routes/workspace.ts';
import { artifactRoutes } from './routes/artifacts.ts';
import { lineageRoutes } from './routes/lineage.ts';
import { flinkUiRoutes } from './routes/flink-ui.ts';
import { targetRoutes } from './routes/targets.ts';
import { engineRoutes } from './routes/engines.ts';
import { eventRoutes } from './routes/events.ts';
import { endEventStreamsOnClose } from './sse.ts';
import { lazySerializers, lazyValidators, serializerFactory, validatorCompiler } from './schema-compilers.ts';
import { healthRoutes } from './routes/health.ts';
import { prometheusRoutes } from './routes/prometheus.ts';
import { kafkaRoutes } from './routes/kafka.ts';
import { alertRuleRoutes } from './routes/alert-rules.ts';
import { profileRoutes } from './routes/profiles.ts';
import { jobRoutes } from './routes/jobs.ts';
import { operationRoutes } from './routes/operations.ts';
import { sqlRoutes } from './routes/sql.ts';
import { sqlDebugRoutes } from './routes/sql-debug.ts';
import { alertChannelRoutes } from './routes/alert-channels.ts';
import { auditRoutes } from './routes/audit.ts';
import { spaceRoutes } from './routes/spaces.ts';

/** The error shape under a status-specific description (without its $id, which may appear once per route). */
const errorResponse = (description: string) => {
  const schema: Record<string, unknown> = { ...ErrorBody, description };
  delete schema.$id;
  return schema;
};
const n = (x: number) => x.toLocaleString('en-US');
/** Answers any operation can give before its own code runs: the request's URL, headers, encoding. */
const TRANSPORT_ERRORS = {
  400: errorResponse(
    'the request is invalid: a field, a parameter or its encoding (invalid_argument, malformed_request)',
  ),
  414: errorResponse(
    `the URL is longer than ${n(HTTP_LIMITS.urlCharacters)} characters, or one of its path segments longer than ${n(HTTP_LIMITS.pathSegmentCharacters)} (uri_too_long)`,
  ),
  431: errorResponse(
    `the request line and headers are larger than ${n(HTTP_LIMITS.headerBytes)} bytes (headers_too_large)`,
  ),
};
/** ... those of an operation that needs credentials ... */
const ACCESS_ERRORS = {
  401: errorResponse(
    'no credentials, or an API token that is unknown, revoked or expired, or a console session that ended (unauthenticated); the answer has WWW-Authenticate: Bearer',
  ),
  403: errorResponse(
    'the credential may not do this: a read-only token asked for a change, a user who is not a platform admin asked to manage users, or a page of another origin asked for a change (forbidden)',
  ),
};
/** ... and those of an operation that takes a body. */
const BODY_ERRORS = {
  413: errorResponse(`the body is larger than ${n(HTTP_LIMITS.bodyBytes)} bytes (payload_too_large)`),
  415: errorResponse('the body is not application/json (unsupported_media_type)'),
};

interface OpenApiDocument {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: object } }>>;
}

/**
 * A body that may be left out (its schema admits null: start, stop, upgrade) is not required, whatever
 * @fastify/swagger assumes of every body.
 */
function optionalBodies(doc: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(doc.paths ?? {}))
    for (const op of Object.values(operations)) {
      const media = op.requestBody?.content as
        Record<string, { schema?: { nullable?: boolean } }> | undefined;
      if (op.requestBody && Object.values(media ?? {}).some((m) => m.schema?.nullable))
        op.requestBody.required = false;
    }
  return doc;
}

/** Each server's routes, as registered (with the errors below added): for the test that compiles their schemas. */
export const serverRoutes = new WeakMap<FastifyInstance, RouteOptions[]>();

/** The HTTP API: thin schema-first routes over the platform, under /api/v1, described at /api/openapi.json. */
export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    bodyLimit: HTTP_LIMITS.bodyBytes,
    routerOptions: { maxParamLength: HTTP_LIMITS.pathSegmentCharacters },
    frameworkErrors,
    clientErrorHandler,
    // Schemas are compiled at their route's first request, not at start (src/http/schema-compilers.ts).
    schemaController: { compilersFactory: { buildSerializer: lazySerializers(serializerFactory) } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(lazyValidators(validatorCompiler()));
  const routes: RouteOptions[] = [];
  serverRoutes.set(app, routes);
  // The API speaks JSON: a text/plain body is refused as such (415), not read as a string.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  const { host, allowedHosts, allowedOrigins, home } = platform.config;
  const { cliTokenMatches } = registerRequestOrigin(app, {
    policy: { listenHost: host, allowedHosts, allowedOrigins },
    home,
  });
  registerAuthentication(app, { access: platform.access, cliTokenMatches });
  registerAuthorization(app, platform.spaces);
  registerAudit(app, platform);
  registerSecretMasking(app);
  registerMetrics(app, platform.metrics);
  endEventStreamsOnClose(app);
  // Every operation documents the refusals any request can meet, with the limit that caused them.
  app.addHook('onRoute', (route) => {
    routes.push(route);
    const schema = route.schema as (FastifySchema & { hide?: boolean }) | undefined;
    if (!schema || schema.hide) return;
    const permission = (route.config as { permission?: string } | undefined)?.permission;
    schema.response = {
      ...TRANSPORT_ERRORS,
      ...(schema.body ? BODY_ERRORS : {}),
      ...(permission === 'public' ? {} : ACCESS_ERRORS),
      ...(schema.response as object | undefined),
    };
    // Public operations need no credential; the others take any of the document's schemes.
    if (permission === 'public') (schema as { security?: unknown[] }).security = [];
  });
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > HTTP_LIMITS.urlCharacters)
      return reply
        .status(414)
        .send(
          errorBody(
            'uri_too_long',
            message('request.uriTooLong', { length: req.url.length, limit: HTTP_LIMITS.urlCharacters }),
          ),
        );
  });
  // A script's statements cost the most to check: counted before any route reads the script.
  app.addHook('preHandler', async (req) => {
    const body = req.body as { sql?: unknown } | null | undefined;
    if (body && typeof body === 'object' && typeof body.sql === 'string') checkScriptLimits(body.sql);
  });
  await app.register(swagger, {
    transformObject: (doc) =>
      'openapiObject' in doc ? optionalBodies(doc.openapiObject as OpenApiDocument) : doc.swaggerObject,
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Sluice API',
        version: SLUICE_VERSION,
        description: `Real-time computing platform for Apache Flink. Every error is {"error": {"code", "message", "details", "messageCode", "messageParams"}}. ${LIMITS_TEXT} Every operation needs credentials unless it says \`security: []\`: an API token, or the console's session cookie.`,
      },
      components: {
        securitySchemes: {
          apiToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API token (slu_...) from `sluice login`, `sluice token create` or POST /api/v1/tokens; a read-only one may only GET',
          },
          consoleSession: {
            type: 'apiKey',
            in: 'cookie',
            name: 'sluice_session',
            description: 'The console session of POST /api/v1/session',
          },
        },
      },
      security: [{ apiToken: [] }, { consoleSession: [] }],
    },
  });
  await app.register(
    async (api) => {
      await api.register(healthRoutes(platform));
      await api.register(accessRoutes(platform));
      await api.register(engineRoutes(platform));
      await api.register(targetRoutes(platform));
      await api.register(jobRoutes(platform));
      await api.register(operationRoutes(platform));
      await api.register(eventRoutes(platform));
      await api.register(sqlRoutes(platform));
      await api.register(sqlDebugRoutes(platform));
      await api.register(workspaceRoutes(platform));
      await api.register(artifactRoutes(platform));
      await api.register(lineageRoutes(platform));
      await api.register(prometheusRoutes(platform));
      await api.register(kafkaRoutes(platform));
      await api.register(alertChannelRoutes(platform));
      await api.register(alertRuleRoutes(platform));
      await api.register(auditRoutes(platform));
      await api.register(spaceRoutes(platform));
      await api.register(profileRoutes(platform));
    },
    { prefix: '/api/v1' },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await flinkUiRoutes(app, platform);
  await registerConsole(app);
  return app;
}
