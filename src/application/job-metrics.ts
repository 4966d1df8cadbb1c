import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import {
  grafanaDashboard,
  platformGrafanaDashboard,
  type GrafanaDashboard,
} from '../domain/metrics/grafana-dashboard.ts';
import { jobPanels, lineName, type JobMetricsScope, type JobPanel } from '../domain/metrics/job-panels.ts';
import { metricRange, type MetricRange } from '../domain/metrics/metric-range.ts';
import { platformPanels } from '../domain/metrics/platform-panels.ts';
import type { PrometheusQuery, PrometheusServer } from './ports/prometheus.ts';
import type { MetadataStore } from './ports/store.ts';

/** A job's runs whose series the charts join: its newest Flink job ids (older runs are left out). */
const MAX_RUNS = 20;

/** One line of a chart: its name, its labels, its points (null where Prometheus gave NaN or ±Inf). */
export interface MetricLine {
  name: string;
  labels: Record<string, string>;
  points: [number, number | null][];
}

/** Panels with their lines over a range, and the Prometheus asked. */
export interface MetricsView {
  from: string;
  to: string;
  stepSeconds: number;
  /** The Prometheus asked. */
  prometheus: string;
  panels: (JobPanel & { lines: MetricLine[] })[];
}

export interface JobMetricsView extends MetricsView {
  job: string;
  target: string;
  flinkJobIds: string[];
}

/**
 * A job's metric charts over a range, from the Prometheus in use (the panels of
 * src/domain/metrics/job-panels.ts, over every Flink job id the job had), and the platform's (those of
 * platform-panels.ts); both also as Grafana dashboards.
 */
export class JobMetricsService {
  constructor(
    private readonly store: Pick<MetadataStore, 'jobs' | 'lifecycle'>,
    private readonly query: PrometheusQuery,
    private readonly server: Pick<PrometheusServer, 'url' | 'status'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The job's panels with their queries; 409 when it never ran (no Flink job id to ask for). */
  async panels(
    jobName: string,
    opts: { perPartition?: boolean | undefined; perSubtask?: boolean | undefined } = {},
  ): Promise<{ scope: JobMetricsScope; panels: JobPanel[] }> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    const ids: string[] = job.flinkJobId ? [job.flinkJobId] : [];
    const submissions = await this.store.lifecycle.submissions(job.id);
    for (const s of [...submissions].reverse())
      if (s.flinkJobId && !ids.includes(s.flinkJobId)) ids.push(s.flinkJobId);
    if (ids.length === 0)
      throw new SluiceError('conflict', message('metrics.noFlinkJob', { job: jobName }), { job: jobName });
    const scope = { flinkJobIds: ids.slice(0, MAX_RUNS), target: job.target };
    return {
      scope,
      panels: jobPanels(scope, {
        perPartition: opts.perPartition ?? false,
        perSubtask: opts.perSubtask ?? false,
      }),
    };
  }

  async read(
    jobName: string,
    q: {
      from?: string | undefined;
      to?: string | undefined;
      step?: number | undefined;
      partitions?: boolean | undefined;
      subtasks?: boolean | undefined;
    },
  ): Promise<JobMetricsView> {
    const range = this.range(q);
    const { scope, panels } = await this.panels(jobName, {
      perPartition: q.partitions,
      perSubtask: q.subtasks,
    });
    return {
      job: jobName,
      target: scope.target,
      flinkJobIds: scope.flinkJobIds,
      ...(await this.answer(panels, range, { job: jobName })),
    };
  }

  /** The platform's charts over a range: Sluice's own series and Flink's of every job. */
  platform(q: { from?: string | undefined; to?: string | undefined; step?: number | undefined }) {
    return this.answer(platformPanels(), this.range(q), {});
  }

  /** The platform's panels as a Grafana dashboard: the same queries the Platform page asks. */
  platformGrafana(): GrafanaDashboard {
    return platformGrafanaDashboard(platformPanels());
  }

  private range(q: { from?: string | undefined; to?: string | undefined; step?: number | undefined }) {
    return metricRange(
      {
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.step === undefined ? {} : { step: q.step }),
      },
      this.now(),
    );
  }

  /** Each panel's lines over the range, from the Prometheus in use. */
  private async answer(
    panels: JobPanel[],
    range: MetricRange,
    details: Record<string, unknown>,
  ): Promise<MetricsView> {
    const url = this.server.url();
    // No Prometheus to ask is the platform's state, not the request's fault: 503, saying what to set.
    if (!url)
      throw new SluiceError(
        'engine_unavailable',
        (await this.server.status()).problem ?? message('prometheus.off'),
        details,
      );
    const answered = await Promise.all(
      panels.map(async (p) => ({
        ...p,
        lines: (await this.query.range(p.query, range))
          .map((s) => ({
            name: lineName(p, s.labels),
            labels: s.labels,
            points: s.points.map(({ time, value }): [number, number | null] => [
              time,
              Number.isFinite(value) ? value : null,
            ]),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      })),
    );
    return {
      from: range.start.toISOString(),
      to: range.end.toISOString(),
      stepSeconds: range.stepSeconds,
      prometheus: url,
      panels: answered,
    };
  }

  /** The job's panels as a Grafana dashboard: the same queries the charts ask. */
  async grafana(
    jobName: string,
    opts: { perPartition?: boolean | undefined; perSubtask?: boolean | undefined } = {},
  ): Promise<GrafanaDashboard> {
    return grafanaDashboard(jobName, (await this.panels(jobName, opts)).panels);
  }
}
