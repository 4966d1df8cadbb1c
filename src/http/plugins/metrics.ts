import type { FastifyInstance } from 'fastify';
import type { SluiceMetrics } from '../../adapters/metrics/sluice-metrics.ts';

/**
 * Every answer's time by route pattern (never the raw URL: one series per job name would grow without
 * bound; unmatched URLs share one), and Sluice's metrics at /metrics for Prometheus to scrape. Outside
 * /api and the OpenAPI document: it is Prometheus's text format, not the JSON API.
 */
export function registerMetrics(app: FastifyInstance, metrics: SluiceMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Prometheus scrapes it every interval: its requests are not logged one by one (errors still are).
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.exposition()),
  );
}
