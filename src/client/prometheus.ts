import { jobMetrics as M, platformMetrics as PM, prometheus as P } from '../contract/prometheus.ts';
import type { Query } from '../contract/operation.ts';
import type { Transport } from './http.ts';

/** Prometheus's HTTP service discovery, as Sluice serves it, and a job's metric charts from Prometheus. */
export const prometheusClient = (t: Transport) => ({
  /** The running Flink processes with their reporter's address and labels (`GET /prometheus/targets`). */
  targets: (signal?: AbortSignal) => t.call(P.targets, signal ? { signal } : {}),
  /** The pods of Kubernetes targets, each addressed to Sluice's proxy of it (`GET /prometheus/pod-targets`). */
  podTargets: (signal?: AbortSignal) => t.call(P.podTargets, signal ? { signal } : {}),
  /** A job's charts over a range (`GET /jobs/{name}/metrics`): every panel with its query and lines. */
  jobMetrics: (name: string, range: Query<typeof M.metrics> = {}, signal?: AbortSignal) =>
    t.call(M.metrics, { params: { name }, query: range, ...(signal ? { signal } : {}) }),
  /** The job's charts as a Grafana dashboard JSON, with the same queries (`GET /jobs/{name}/grafana-dashboard`). */
  grafanaDashboard: (name: string, opts: Query<typeof M.grafanaDashboard> = {}) =>
    t.call(M.grafanaDashboard, { params: { name }, query: opts }),
  /** The platform's charts over a range (`GET /platform/metrics`): Sluice's own series and Flink's of every job. */
  platformMetrics: (range: Query<typeof PM.metrics> = {}, signal?: AbortSignal) =>
    t.call(PM.metrics, { query: range, ...(signal ? { signal } : {}) }),
  /** The platform's charts as a Grafana dashboard JSON (`GET /platform/grafana-dashboard`). */
  platformGrafanaDashboard: () => t.call(PM.grafanaDashboard, {}),
});
