import { prometheus as P } from '../contract/prometheus.ts';
import type { Transport } from './http.ts';

/** Prometheus's HTTP service discovery, as Sluice serves it. */
export const prometheusClient = (t: Transport) => ({
  /** The running Flink processes with their reporter's address and labels (`GET /prometheus/targets`). */
  targets: (signal?: AbortSignal) => t.call(P.targets, signal ? { signal } : {}),
});
