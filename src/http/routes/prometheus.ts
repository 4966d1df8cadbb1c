import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { prometheusPodTargets, prometheusTargets } from '../../application/prometheus-targets.ts';
import { jobMetrics as M, platformMetrics as PM, prometheus as P } from '../../contract/prometheus.ts';

/** Prometheus's HTTP service discovery of the Flink processes Sluice runs, and a job's and the platform's charts from Prometheus. */
export const prometheusRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...P.targets,
      handler: () => prometheusTargets(platform.targets, platform.store.jobs, platform.store.spaces),
    });
    // Asked at every refresh and scrape (each pod every 15 s): not logged one by one, as /metrics is not.
    app.route({
      ...P.podTargets,
      logLevel: 'warn',
      // The pods are scraped at Sluice as the Prometheus asking reached it (its Host, the connection's scheme).
      handler: (req) =>
        prometheusPodTargets(platform.podMetrics, platform.store.jobs, platform.store.spaces, {
          address: req.host,
          scheme: req.protocol,
        }),
    });
    app.route({
      ...P.podMetrics,
      logLevel: 'warn',
      handler: async (req, reply) => {
        // A scrape that went away (Prometheus's own timeout) ends the request to the API server.
        const left = new AbortController();
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) left.abort();
        });
        const answer = await platform.podMetrics.scrape(req.params.target, req.params.pod, {
          signal: left.signal,
          accept: req.headers.accept,
        });
        return reply.type(answer.contentType ?? 'text/plain; version=0.0.4; charset=utf-8').send(answer.body);
      },
    });
    app.route({ ...M.metrics, handler: (req) => platform.jobMetrics.read(req.params.name, req.query) });
    app.route({
      ...M.grafanaDashboard,
      handler: (req) =>
        platform.jobMetrics.grafana(req.params.name, {
          perPartition: req.query.partitions,
          perSubtask: req.query.subtasks,
        }),
    });
    app.route({ ...PM.metrics, handler: (req) => platform.jobMetrics.platform(req.query) });
    app.route({ ...PM.grafanaDashboard, handler: () => platform.jobMetrics.platformGrafana() });
  };
