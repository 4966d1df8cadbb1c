import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { prometheusTargets } from '../../application/prometheus-targets.ts';
import { jobMetrics as M, platformMetrics as PM, prometheus as P } from '../../contract/prometheus.ts';

/** Prometheus's HTTP service discovery of the Flink processes Sluice runs, and a job's and the platform's charts from Prometheus. */
export const prometheusRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...P.targets,
      handler: () => prometheusTargets(platform.targets, platform.store.jobs, platform.store.spaces),
    });
    app.route({ ...M.metrics, handler: (req) => platform.jobMetrics.read(req.params.name, req.query) });
    app.route({ ...M.grafanaDashboard, handler: (req) => platform.jobMetrics.grafana(req.params.name) });
    app.route({ ...PM.metrics, handler: (req) => platform.jobMetrics.platform(req.query) });
    app.route({ ...PM.grafanaDashboard, handler: () => platform.jobMetrics.platformGrafana() });
  };
