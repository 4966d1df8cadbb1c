import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../application/platform.ts';

/**
 * Flink's own Web UI of a cluster, through the platform at /flink/<cluster>/: no JobManager port has
 * to be reachable from the browser. Read-only on purpose: a job cancelled from Flink's UI would bypass
 * the lifecycle, so changes go through Sluice where every transition is recorded.
 */
export async function flinkUiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get<{ Params: { cluster: string } }>('/flink/:cluster', { schema: { hide: true } }, (req, reply) =>
    // The UI loads its files relative to its own address, which must end with a slash.
    reply.redirect(`/flink/${encodeURIComponent(req.params.cluster)}/`),
  );
  app.route<{ Params: { cluster: string; '*': string } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/flink/:cluster/*',
    schema: { hide: true },
    handler: async (req, reply) => {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return reply.status(405).send({
          error: {
            code: 'invalid_argument',
            message:
              "Flink's Web UI is read-only through Sluice: start, stop, cancel and savepoints go through Sluice so that every change is recorded",
            details: {},
          },
        });
      const base = await platform.clusters.restUrlOf(req.params.cluster);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      let res: Response;
      try {
        res = await fetch(`${base}/${req.params['*']}${query}`, { signal: AbortSignal.timeout(15_000) });
      } catch (e) {
        return reply.status(503).send({
          error: {
            code: 'engine_unavailable',
            message: `cluster ${req.params.cluster} does not answer at ${base}: ${(e as Error).message}`,
            details: {},
          },
        });
      }
      reply.status(res.status);
      const type = res.headers.get('content-type');
      if (type) reply.type(type);
      return reply.send(Buffer.from(await res.arrayBuffer()));
    },
  });
}
