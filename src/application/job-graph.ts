import { SluiceError } from '../domain/errors.ts';
import { isEnded } from '../domain/jobs/lifecycle.ts';
import { message } from '../domain/messages.ts';
import {
  GRAPH_SERIES,
  graphMoment,
  graphQueries,
  jobGraphAt,
  jobGraphOf,
  shapeOf,
  type JobGraph,
} from '../domain/metrics/job-graph.ts';
import { askCluster } from './job-exceptions.ts';
import type { PrometheusQuery, PrometheusServer } from './ports/prometheus.ts';
import type { MetadataStore } from './ports/store.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

export interface JobGraphView extends JobGraph {
  job: string;
  target: string;
  /** The run (Flink job id) whose graph this is. */
  run: string;
  /** When the JobManager was asked, or the moment Prometheus was asked about. */
  at: string;
  /** Where the measures come from: the JobManager now, or Prometheus at `at` (the shape Sluice kept). */
  source: 'jobmanager' | 'prometheus';
}

/** A job's runs whose series are looked for at a moment: its newest Flink job ids. */
const MAX_RUNS = 20;

/**
 * A job's graph, each vertex with its backpressure by Flink's thresholds. Live: asked through the
 * observer of the job's deployment target (where the tracker goes: the session cluster, the job's own
 * application cluster, the JobManager behind the Kubernetes API server's proxy). At a moment (a past
 * or finished run): the run's shape kept when it was first seen RUNNING, coloured from Prometheus.
 */
export class JobGraphService {
  /** Runs whose shape is kept (or being kept) by this process: kept once, not at every look. */
  private readonly kept = new Map<string, string>();

  constructor(
    private readonly store: Pick<MetadataStore, 'jobs' | 'lifecycle'>,
    private readonly targets: Pick<TargetService, 'target'>,
    private readonly prometheus: {
      query: PrometheusQuery;
      server: Pick<PrometheusServer, 'url' | 'status'>;
    } | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async graph(jobName: string, opts: { at?: string | undefined } = {}): Promise<JobGraphView> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    if (opts.at !== undefined) return this.graphAt(job.id, job.name, job.target, job.flinkJobId, opts.at);
    const run = job.flinkJobId;
    if (!run || isEnded(job.state) || job.state === 'CREATED')
      throw new SluiceError('conflict', message('graph.notRunning', { job: job.name, state: job.state }), {
        job: job.name,
        state: job.state,
      });
    const target = await this.targets.target(job.target);
    const at = this.now().toISOString();
    const answers = await askCluster(target.name, run, () => target.observer.jobGraph(run));
    if (answers === 'absent')
      throw new SluiceError('conflict', message('graph.clusterGone', { run, target: target.name }), { run });
    const graph = jobGraphOf(answers);
    // A run that ran before its first RUNNING was seen (or before this version) is kept at a look.
    await this.keepShape(job.id, run, masked(graph));
    return { job: job.name, target: job.target, run, at, source: 'jobmanager', ...masked(graph) };
  }

  /**
   * Keeps the graph of the job's current run, once per run: called when the job is seen RUNNING, so
   * that the run's graph is still drawn once it ended. Throws what asking its cluster threw.
   */
  async keep(jobName: string): Promise<void> {
    const job = await this.store.jobs.getByName(jobName);
    const run = job?.flinkJobId;
    if (!job || !run || this.kept.has(run)) return;
    const target = await this.targets.target(job.target);
    const answers = await target.observer.jobGraph(run);
    if (answers !== 'absent') await this.keepShape(job.id, run, masked(jobGraphOf(answers)));
  }

  /** Kept with its names masked: a secret written in the SQL is not stored with the graph. */
  private async keepShape(jobId: string, run: string, graph: JobGraph): Promise<void> {
    const shape = shapeOf(graph);
    const text = JSON.stringify(shape);
    // A rescaled run changes its parallelism: the newest shape seen is kept.
    if (this.kept.get(run) === text || shape.vertices.length === 0) return;
    this.kept.set(run, text);
    await this.store.lifecycle.keepRunGraph(jobId, run, shape);
  }

  /** The graph of the run that had series in Prometheus at the moment, in its kept shape. */
  private async graphAt(
    jobId: string,
    jobName: string,
    targetName: string,
    current: string | null,
    text: string,
  ): Promise<JobGraphView> {
    const url = this.prometheus?.server.url() ?? null;
    if (!this.prometheus || !url)
      throw new SluiceError(
        'engine_unavailable',
        (await this.prometheus?.server.status())?.problem ?? message('prometheus.off'),
        { job: jobName },
      );
    const { query } = this.prometheus;
    const at = graphMoment(text, this.now(), (await this.prometheus.server.status()).retention);
    const runs = await this.runsOf(jobId, current);
    if (runs.length === 0)
      throw new SluiceError('conflict', message('metrics.noFlinkJob', { job: jobName }), { job: jobName });
    // Which of the job's runs had task series then (newest first when, oddly, two did).
    const seen = new Set(
      (
        await query.instant(
          `count by (job_id) (${GRAPH_SERIES.backPressured}{job_id=~"${runs.join('|')}"})`,
          at,
        )
      ).map((s) => s.labels['job_id']),
    );
    const run = runs.find((r) => seen.has(r));
    if (!run)
      throw new SluiceError('conflict', message('graph.noRunAt', { job: jobName, at: at.toISOString() }), {
        job: jobName,
        at: at.toISOString(),
      });
    const kept = await this.store.lifecycle.runGraph(run);
    if (!kept)
      throw new SluiceError('conflict', message('graph.runNotKept', { job: jobName, run }), {
        job: jobName,
        run,
      });
    const q = graphQueries(run);
    const [backPressured, busy, idle, recordsIn, recordsOut] = await Promise.all(
      [q.backPressured, q.busy, q.idle, q.recordsIn, q.recordsOut].map((x) => query.instant(x, at)),
    );
    const graph = jobGraphAt(kept.shape, {
      backPressured: backPressured!,
      busy: busy!,
      idle: idle!,
      recordsIn: recordsIn!,
      recordsOut: recordsOut!,
    });
    return {
      job: jobName,
      target: targetName,
      run,
      at: at.toISOString(),
      source: 'prometheus',
      ...masked(graph),
    };
  }

  /** The job's Flink job ids, newest first: its current one, then its submissions'. */
  private async runsOf(jobId: string, current: string | null): Promise<string[]> {
    const ids = current ? [current] : [];
    for (const s of [...(await this.store.lifecycle.submissions(jobId))].reverse())
      if (s.flinkJobId && !ids.includes(s.flinkJobId)) ids.push(s.flinkJobId);
    return ids.filter((id) => /^[0-9a-f]{32}$/.test(id)).slice(0, MAX_RUNS);
  }
}

// Operator names carry what the SQL said; a secret written there is masked as everywhere else.
const masked = (graph: JobGraph): JobGraph => ({
  vertices: graph.vertices.map((v) => ({ ...v, name: maskKnownSecrets(v.name) })),
  edges: graph.edges,
});
