import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Platform } from '../application/platform.ts';
import { SLUICE_VERSION } from '../application/version.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerSecretMasking } from './plugins/secret-masking.ts';
import { registerConsole } from './plugins/console.ts';
import { registerRequestOrigin } from './plugins/request-origin.ts';
import { workspaceRoutes } from './routes/workspace.ts';
import { lineageRoutes } from './routes/lineage.ts';
import { flinkUiRoutes } from './routes/flink-ui.ts';
import { clusterRoutes } from './routes/clusters.ts';
import { engineRoutes } from './routes/engines.ts';
import { eventRoutes } from './routes/events.ts';
import { endEventStreamsOnClose } from './sse.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { operationRoutes } from './routes/operations.ts';
import { sqlRoutes } from './routes/sql.ts';
import { sqlDebugRoutes } from './routes/sql-debug.ts';

/** The HTTP API: thin schema-first routes over the platform, under /api/v1, described at /api/openapi.json. */
export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app);
  const { host, allowedHosts, allowedOrigins, home } = platform.config;
  registerRequestOrigin(app, { policy: { listenHost: host, allowedHosts, allowedOrigins }, home });
  registerSecretMasking(app);
  endEventStreamsOnClose(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Sluice API',
        version: SLUICE_VERSION,
        description: 'Real-time computing platform for Apache Flink',
      },
    },
  });
  await app.register(
    async (api) => {
      await api.register(healthRoutes(platform));
      await api.register(engineRoutes(platform));
      await api.register(clusterRoutes(platform));
      await api.register(jobRoutes(platform));
      await api.register(operationRoutes(platform));
      await api.register(eventRoutes(platform));
      await api.register(sqlRoutes(platform));
      await api.register(sqlDebugRoutes(platform));
      await api.register(workspaceRoutes(platform));
      await api.register(lineageRoutes(platform));
    },
    { prefix: '/api/v1' },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await flinkUiRoutes(app, platform);
  await registerConsole(app);
  return app;
}
