import type { V1ContainerPort } from '@kubernetes/client-node';
import { PROMETHEUS_REPORTER_FACTORY } from '../../domain/engines/flink-distribution.ts';

/**
 * Flink's Prometheus reporter in the pods of every way Sluice runs Flink on Kubernetes (standalone,
 * session, native, operator). The image carries the reporter as a plugin (the official `flink:` images
 * and the test images keep it in /opt/flink/plugins/metrics-prometheus), so the configuration turns it
 * on; each pod has its own address, so every pod listens on Flink's customary port. Pods are annotated
 * for the usual annotation-based discovery (`prometheus.io/scrape|port|path`) and name the port
 * `metrics` for a PodMonitor.
 */
export const METRICS_PORT = 9249;
export const METRICS_PORT_NAME = 'metrics';

/** The reporter's options; a job's own `metrics.reporter.prom.*` options are written after them and win. */
export const prometheusReporterOptions = (): Record<string, string> => ({
  'metrics.reporter.prom.factory.class': PROMETHEUS_REPORTER_FACTORY,
  'metrics.reporter.prom.port': String(METRICS_PORT),
});

/** The port the reporter listens on under these options: the job's own single port, or Flink's customary one. */
export function reporterPort(options: Record<string, string>): number {
  const own = options['metrics.reporter.prom.port']?.trim();
  return own && /^\d+$/.test(own) ? Number(own) : METRICS_PORT;
}

export const prometheusAnnotations = (port: number = METRICS_PORT): Record<string, string> => ({
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(port),
  'prometheus.io/path': '/metrics',
});

export const metricsContainerPort = (port: number = METRICS_PORT): V1ContainerPort => ({
  name: METRICS_PORT_NAME,
  containerPort: port,
  protocol: 'TCP',
});
