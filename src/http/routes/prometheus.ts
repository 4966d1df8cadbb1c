import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { prometheusTargets } from '../../application/prometheus-targets.ts';
import { prometheus as P } from '../../contract/prometheus.ts';

/** Prometheus's HTTP service discovery of the Flink processes Sluice runs. */
export const prometheusRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...P.targets,
      handler: () => prometheusTargets(platform.targets, platform.store.jobs),
    });
  };
