import { SluiceError } from '../domain/errors.ts';
import { message, renderMessage } from '../domain/messages.ts';
import {
  connectionFor,
  kafkaSourceTables,
  type KafkaSourceTable,
  type PartitionLag,
} from '../domain/kafka/consumer-lag.ts';
import { jobSelector, kafkaLagSeries } from '../domain/metrics/job-panels.ts';
import type { KafkaService } from './kafka-service.ts';
import type { PrometheusQuery, PrometheusServer } from './ports/prometheus.ts';
import type { MetadataStore } from './ports/store.ts';
import type { VariableService } from './variable-service.ts';

/** One Kafka table the job reads, with the broker's lag of its consumer group. */
export interface KafkaSourceLag extends KafkaSourceTable {
  /** The registered connection its brokers are; null when none is. */
  connection: string | null;
  /** Every partition of its topics (the pattern's matching topics), by the broker's offsets. */
  partitions: PartitionLag[];
  /** The sum of the partitions' known lags; null when none is known. */
  total: number | null;
  /** Why the broker's lag is missing or partial, or null. */
  problem: string | null;
}

/** One series of Flink's own lag metrics of the job's Kafka sources. */
export interface FlinkLagSeries {
  /** `pendingRecords` or `records_lag_max` (the reporter's name without its prefix). */
  metric: string;
  operator: string | null;
  subtask: string | null;
  value: number;
}

export interface JobKafkaLag {
  job: string;
  flinkJobId: string | null;
  sources: KafkaSourceLag[];
  /** Flink's side: what its Kafka sources report to Prometheus for the job's current run. */
  flink: { query: string | null; series: FlinkLagSeries[]; max: number | null; problem: string | null };
}

// A SluiceError's message is its text rendered in English.
const render = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Consumer lag per job, two ways: the broker's (each Kafka table its SQL reads: its group's committed
 * offsets against the partitions' ends, through the connection its brokers are) and Flink's (its Kafka
 * sources' `pendingRecords` and `records-lag-max` through Prometheus). Flink commits offsets to the
 * group only when a checkpoint completes: the broker's lag is the job's position at its last checkpoint.
 */
export class KafkaLagService {
  constructor(
    private readonly store: Pick<MetadataStore, 'jobs'>,
    private readonly variables: Pick<VariableService, 'forLineage'>,
    private readonly kafka: Pick<KafkaService, 'connections' | 'groupLag' | 'topicsMatching'>,
    private readonly query: PrometheusQuery,
    private readonly server: Pick<PrometheusServer, 'url' | 'status'>,
  ) {}

  async read(jobName: string): Promise<JobKafkaLag> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    if (job.kind !== 'sql')
      throw new SluiceError('conflict', message('kafkaLag.jarJob', { job: jobName }), { job: jobName });
    const v = await this.variables.forLineage();
    const tables = kafkaSourceTables(v.script(job.sql), v.value);
    if (tables.length === 0)
      throw new SluiceError('conflict', message('kafkaLag.noKafkaSource', { job: jobName }), {
        job: jobName,
      });
    const connections = await this.kafka.connections();
    const sources: KafkaSourceLag[] = [];
    for (const t of tables)
      sources.push(await this.brokerLag(t, connectionFor(t.bootstrapServers, connections)));
    return { job: jobName, flinkJobId: job.flinkJobId, sources, flink: await this.flinkLag(job.flinkJobId) };
  }

  /** A table's lag by its group's committed offsets; a broker that does not answer fails the request (503). */
  private async brokerLag(t: KafkaSourceTable, c: { name: string } | null): Promise<KafkaSourceLag> {
    const lag: KafkaSourceLag = {
      ...t,
      connection: c?.name ?? null,
      partitions: [],
      total: null,
      problem: null,
    };
    const servers = t.bootstrapServers.join(',');
    if (!c)
      return {
        ...lag,
        problem: renderMessage(
          message('kafkaLag.noConnection', { table: t.table, bootstrapServers: servers }),
        ),
      };
    if (!t.groupId)
      return { ...lag, problem: renderMessage(message('kafkaLag.noGroup', { table: t.table })) };
    let topics = t.topics;
    if (t.topicPattern)
      try {
        topics = await this.kafka.topicsMatching(c.name, t.topicPattern);
      } catch (e) {
        // Java's pattern syntax is not quite JavaScript's: one JavaScript cannot read is said, not thrown.
        if (!(e instanceof SyntaxError)) throw e;
        const said = message('kafkaLag.badPattern', {
          table: t.table,
          pattern: t.topicPattern,
          detail: e.message,
        });
        return { ...lag, problem: renderMessage(said) };
      }
    const problems: string[] = [];
    for (const topic of topics) {
      try {
        const r = await this.kafka.groupLag(c.name, t.groupId, topic);
        lag.partitions.push(...r.partitions);
        if (r.total !== null) lag.total = (lag.total ?? 0) + r.total;
      } catch (e) {
        // A topic not there yet is this table's problem; a broker that does not answer is the request's.
        if (!(e instanceof SluiceError && e.code === 'not_found')) throw e;
        problems.push(render(e));
      }
    }
    if (lag.partitions.length > 0 && lag.partitions.every((p) => p.committed === null))
      problems.push(renderMessage(message('kafkaLag.nothingCommitted', { group: t.groupId })));
    return { ...lag, problem: problems.join('; ') || null };
  }

  /** Flink's metrics of the current run, from the Prometheus in use; what is missing is said, not thrown. */
  private async flinkLag(flinkJobId: string | null): Promise<JobKafkaLag['flink']> {
    const none = { query: null, series: [], max: null };
    if (!flinkJobId) return { ...none, problem: renderMessage(message('kafkaLag.notRunning')) };
    const query = kafkaLagSeries(jobSelector({ flinkJobIds: [flinkJobId], target: '' }));
    if (!this.server.url())
      return {
        ...none,
        query,
        problem: renderMessage((await this.server.status()).problem ?? message('prometheus.off')),
      };
    try {
      const series = (await this.query.instant(query))
        .filter((s) => Number.isFinite(s.value))
        .map((s) => ({
          metric: (s.labels['__name__'] ?? '').replace(/^flink_taskmanager_job_task_operator_/, ''),
          operator: s.labels['operator_name'] ?? null,
          subtask: s.labels['subtask_index'] ?? null,
          value: s.value,
        }))
        .sort((a, b) =>
          `${a.operator}${a.subtask}${a.metric}`.localeCompare(`${b.operator}${b.subtask}${b.metric}`),
        );
      const max = series.length ? Math.max(...series.map((s) => s.value)) : null;
      return { query, series, max, problem: null };
    } catch (e) {
      return { ...none, query, problem: render(e) };
    }
  }
}
