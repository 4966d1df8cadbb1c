import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LIFECYCLE_STATES, type LifecycleState } from '../../domain/jobs/lifecycle.ts';
import type { Submission, SubmissionStatus } from '../../domain/jobs/submission.ts';
import { flinkLabelValue, SLUICE_KAFKA_SERIES } from '../../domain/metrics/job-panels.ts';
import type { PartitionSample } from '../../application/kafka-offset-sampler.ts';

/** What the job gauges are read from at each scrape: the store's jobs, as they are now. */
export interface JobStateSource {
  (): Promise<
    Array<{
      name: string;
      target: string;
      /** The job's space: rules per space match it. */
      space: string;
      state: LifecycleState;
      flinkJobId: string | null;
      desiredState: 'running' | 'stopped';
    }>
  >;
}

/**
 * How many pods of a job's run are Pending now, as the target's Kubernetes pod watch sees them; null
 * where nothing watches its pods (a target not on Kubernetes, a session's shared pods, a watch not
 * listed yet), so that no series says 0 for what is not known.
 */
export type PendingPodsSource = (target: string, flinkJobId: string) => number | null;

type PartitionLabel = 'job' | 'space' | 'job_id' | 'connection' | 'topic' | 'flink_topic' | 'partition';

/** Submission outcomes: a submission still running is not one yet. */
const OUTCOMES: readonly SubmissionStatus[] = ['succeeded', 'failed', 'rolled_back', 'cancelled'];
/** Submission ids already counted (a finished submission may be saved again, e.g. its last log lines). */
const COUNTED_LIMIT = 10_000;

/**
 * Sluice's own metrics in Prometheus's text format, served at /metrics: API latency, tracker rounds,
 * jobs by state, submissions by outcome, and one `sluice_job_state` series per job so that alerting
 * rules can use the platform's state of a job. One registry per platform (tests open several in one
 * process). Job gauges are read from the store when scraped, never kept in step by hand.
 */
export class SluiceMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly trackerRounds: Counter;
  private readonly trackerRoundDuration: Histogram;
  private readonly submissions: Counter<'kind' | 'outcome'>;
  private readonly jobs: Gauge<'state'>;
  private readonly jobState: Gauge<'job' | 'space' | 'target' | 'state'>;
  private readonly jobInfo: Gauge<'job' | 'space' | 'target' | 'flink_job_id' | 'desired_state'>;
  private readonly podsPending: Gauge<'job' | 'space' | 'target'>;
  private readonly kafkaEnd: Gauge<PartitionLabel>;
  private readonly kafkaLag: Gauge<PartitionLabel | 'group'>;
  private readonly counted = new Set<string>();

  constructor(
    private readonly jobStates: JobStateSource,
    private readonly pendingPods: PendingPodsSource = () => null,
    /** The last sample of the running jobs' Kafka partitions (see KafkaOffsetSampler). */
    private readonly kafkaPartitions: () => PartitionSample[] = () => [],
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'sluice_http_request_duration_seconds',
      help: 'Time the API took to answer, by route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.trackerRounds = new Counter({
      name: 'sluice_tracker_rounds_total',
      help: 'Rounds the job tracker made over every tracked job',
      registers,
    });
    this.trackerRoundDuration = new Histogram({
      name: 'sluice_tracker_round_duration_seconds',
      help: 'Time one tracker round took',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.submissions = new Counter({
      name: 'sluice_submissions_total',
      help: 'Submissions (start, stop, cancel, savepoint, resubmit, upgrade) that ended, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.jobs = new Gauge({
      name: 'sluice_jobs',
      help: 'Jobs in each lifecycle state',
      labelNames: ['state'],
      registers,
    });
    this.jobState = new Gauge({
      name: 'sluice_job_state',
      help: "The platform's state of each job: 1 for its current state",
      labelNames: ['job', 'space', 'target', 'state'],
      registers,
    });
    this.jobInfo = new Gauge({
      name: 'sluice_job_info',
      help: "Each job's Flink job id now (alert rules join Flink's series, which carry only it, to the job) and its desired state; always 1",
      labelNames: ['job', 'space', 'target', 'flink_job_id', 'desired_state'],
      registers,
    });
    this.podsPending = new Gauge({
      name: 'sluice_job_pods_pending',
      help: "Pods of each job's current run that are Pending, from Sluice's Kubernetes pod watch (jobs on Kubernetes application targets)",
      labelNames: ['job', 'space', 'target'],
      registers,
    });
    const partitionLabels: PartitionLabel[] = [
      'job',
      'space',
      'job_id',
      'connection',
      'topic',
      'flink_topic',
      'partition',
    ];
    this.kafkaEnd = new Gauge({
      name: SLUICE_KAFKA_SERIES.endOffset,
      help: "End offset of each partition a running job's Kafka source reads, sampled from its broker; job_id is the run's Flink job id and flink_topic the topic as Flink's reporter labels it, to join Flink's currentOffset",
      labelNames: partitionLabels,
      registers,
    });
    this.kafkaLag = new Gauge({
      name: SLUICE_KAFKA_SERIES.consumerLag,
      help: "Per partition a running job's Kafka source reads, the end offset minus its group's committed offset (Flink commits at each completed checkpoint)",
      labelNames: [...partitionLabels, 'group'],
      registers,
    });
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  observeTrackerRound(seconds: number): void {
    this.trackerRounds.inc();
    this.trackerRoundDuration.observe(seconds);
  }

  /** Counts a submission once, when it has ended. */
  observeSubmission(s: Pick<Submission, 'id' | 'kind' | 'status'>): void {
    if (!OUTCOMES.includes(s.status) || this.counted.has(s.id)) return;
    if (this.counted.size >= COUNTED_LIMIT) this.counted.delete(this.counted.values().next().value!);
    this.counted.add(s.id);
    this.submissions.inc({ kind: s.kind, outcome: s.status });
  }

  /** The exposition text, with the job gauges read from the store first. */
  async exposition(): Promise<string> {
    const jobs = await this.jobStates();
    this.jobs.reset();
    this.jobState.reset();
    this.jobInfo.reset();
    this.podsPending.reset();
    // Every state is present (0 when no job is in it), so that a rule sees a state empty out.
    const byState = new Map<LifecycleState, number>(LIFECYCLE_STATES.map((s) => [s, 0]));
    for (const job of jobs) {
      byState.set(job.state, (byState.get(job.state) ?? 0) + 1);
      this.jobState.set({ job: job.name, space: job.space, target: job.target, state: job.state }, 1);
      this.jobInfo.set(
        {
          job: job.name,
          space: job.space,
          target: job.target,
          flink_job_id: job.flinkJobId ?? '',
          desired_state: job.desiredState,
        },
        1,
      );
      const pending = job.flinkJobId ? this.pendingPods(job.target, job.flinkJobId) : null;
      if (pending !== null)
        this.podsPending.set({ job: job.name, space: job.space, target: job.target }, pending);
    }
    for (const [state, count] of byState) this.jobs.set({ state }, count);
    this.kafkaEnd.reset();
    this.kafkaLag.reset();
    for (const p of this.kafkaPartitions()) {
      const labels = {
        job: p.job,
        space: p.space,
        job_id: p.flinkJobId,
        connection: p.connection,
        topic: p.topic,
        flink_topic: flinkLabelValue(p.topic),
        partition: String(p.partition),
      };
      this.kafkaEnd.set(labels, p.end);
      if (p.lag !== null && p.group !== null) this.kafkaLag.set({ ...labels, group: p.group }, p.lag);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
