import type { EmbeddedRestarts } from '../../domain/supervision/restart-backoff.ts';
import type { Message } from '../../domain/messages.ts';
import type { PrometheusMode } from '../../domain/metrics/prometheus-settings.ts';

/** One series' value at one time, as an instant query answers. */
export interface PrometheusSample {
  labels: Record<string, string>;
  /** Seconds since the epoch, as Prometheus gives them. */
  time: number;
  /** NaN and ±Infinity stay as such (Prometheus writes them as text). */
  value: number;
}

/** One series' values over a range, as a range query answers. */
export interface PrometheusSeries {
  labels: Record<string, string>;
  points: { time: number; value: number }[];
}

/**
 * PromQL over the Prometheus in use (embedded or the user's): what the charts and alerts read. A query
 * Prometheus refuses throws naming the query with Prometheus's own error text; an unreachable one
 * throws naming its URL.
 */
export interface PrometheusQuery {
  /** The query's value at `at` (default: now). */
  instant(query: string, at?: Date): Promise<PrometheusSample[]>;
  /** The query's values from `start` to `end`, one point every `stepSeconds`. */
  range(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<PrometheusSeries[]>;
}

/** What health says of the Prometheus in use. */
export interface PrometheusStatus {
  mode: PrometheusMode;
  /** Its base URL; null when off, or embedded and not started. */
  url: string | null;
  /** It answers `/-/ready` now. */
  ready: boolean;
  /** Its sample retention (`--storage.tsdb.retention.time`), when known. */
  retention: string | null;
  /** Why it is not ready, or null. */
  problem: Message | null;
  /** The embedded one's unexpected exits and restarts (none for the user's or none). */
  restarts: EmbeddedRestarts;
}

/**
 * The Prometheus the platform uses: the embedded one is started once Sluice's API listens (it scrapes
 * that API) and stopped with the platform; the user's is only checked.
 */
export interface PrometheusServer {
  /** Starts (embedded) or checks (external) it; failures are kept for `status`, never thrown. */
  start(sluiceUrl: string): Promise<void>;
  /** Its base URL now; null when there is none to ask. */
  url(): string | null;
  status(): Promise<PrometheusStatus>;
  /** Writes its configuration again and has it reload it (embedded only). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}
