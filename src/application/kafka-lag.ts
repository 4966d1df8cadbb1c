import { SluiceError } from '../domain/errors.ts';
import { message, renderMessage } from '../domain/messages.ts';
import {
  connectionFor,
  kafkaSourceTables,
  type KafkaSourceTable,
  type PartitionLag,
} from '../domain/kafka/consumer-lag.ts';
import {
  flinkLabelValue,
  jobSelector,
  KAFKA_PARTITION_SERIES,
  kafkaLagSeries,
  quoted,
} from '../domain/metrics/job-panels.ts';
import type { Job } from '../domain/jobs/job.ts';
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

/** One partition as Flink's Kafka source reports its position, against the broker's end. */
export interface FlinkPartitionLag {
  /** As Kafka names it when a connection holds it, else as Flink's reporter labels it. */
  topic: string;
  partition: number;
  /** The registered connection whose end offsets are used; null when none is known. */
  connection: string | null;
  /** The next offset Flink reads (its `currentOffset` + 1); null before it read a record. */
  position: number | null;
  /** The offset Flink committed to the group at its last checkpoint (`committedOffset`); null: none. */
  committed: number | null;
  /** The partition's end at the broker; null when no connection is known or it did not answer. */
  end: number | null;
  /** end − position; null when either is unknown. */
  lag: number | null;
}

/** A topic a job's Kafka sources read, and the registered connection it is on. */
export interface SourceTopic {
  /** As Kafka names it (Flink's form when no connection holds it). */
  topic: string;
  connection: string | null;
  /** The group whose committed offsets count (`properties.group.id`); null when unknown (a JAR job's). */
  groupId: string | null;
}

export interface JobKafkaLag {
  job: string;
  kind: 'sql' | 'jar';
  flinkJobId: string | null;
  /** The Kafka tables its SQL reads, each with its group's lag at the broker (none for a JAR job). */
  sources: KafkaSourceLag[];
  /** What holds for the whole job: a JAR job's unknown group; or null. */
  note: string | null;
  /** Flink's side: what its Kafka sources report to Prometheus for the job's current run. */
  flink: {
    query: string | null;
    series: FlinkLagSeries[];
    max: number | null;
    problem: string | null;
    /** Per partition, Flink's position against the broker's end (the charts' per-partition lag). */
    partitions: FlinkPartitionLag[];
    partitionsProblem: string | null;
  };
}

/** What the lag reads of a job: a JAR job has no SQL (empty). */
export interface LagJob {
  kind: 'sql' | 'jar';
  sql: string;
  flinkJobId: string | null;
}
export const lagJob = (j: Job): LagJob => ({
  kind: j.kind,
  sql: j.kind === 'sql' ? j.sql : '',
  flinkJobId: j.flinkJobId,
});

// A SluiceError's message is its text rendered in English.
const render = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Consumer lag per job: the broker's (each Kafka table its SQL reads: its group's committed offsets
 * against the partitions' ends, through the connection its brokers are), Flink's (its Kafka sources'
 * `pendingRecords` and `records-lag-max` through Prometheus), and per partition Flink's live position
 * against the broker's end. Flink commits offsets to the group only when a checkpoint completes: the
 * broker's lag is the job's position at its last checkpoint. A JAR job's sources are in its program:
 * only the last is answered for it, its topics as Flink reports them.
 */
/** A partition as the run's Kafka source reports it: Flink's form of the topic, its subtasks' highest offsets. */
interface ReportedPartition {
  topic: string;
  partition: number;
  current: number | null;
  committed: number | null;
}

export class KafkaLagService {
  constructor(
    private readonly store: Pick<MetadataStore, 'jobs'>,
    private readonly variables: Pick<VariableService, 'forLineage'>,
    private readonly kafka: Pick<
      KafkaService,
      'connections' | 'groupLag' | 'topicsMatching' | 'topicNames' | 'partitionOffsets'
    >,
    private readonly query: PrometheusQuery,
    private readonly server: Pick<PrometheusServer, 'url' | 'status'>,
  ) {}

  async read(jobName: string): Promise<JobKafkaLag> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    const connections = await this.kafka.connections();
    const sources: KafkaSourceLag[] = [];
    if (job.kind === 'sql') {
      const tables = await this.tablesOf(lagJob(job));
      if (tables.length === 0)
        throw new SluiceError('conflict', message('kafkaLag.noKafkaSource', { job: jobName }), {
          job: jobName,
        });
      for (const t of tables)
        sources.push(await this.brokerLag(t, connectionFor(t.bootstrapServers, connections)));
    }
    const flink = await this.flinkLag(job.flinkJobId);
    const partitions = await this.flinkPartitions(lagJob(job));
    return {
      job: jobName,
      kind: job.kind,
      flinkJobId: job.flinkJobId,
      sources,
      note: job.kind === 'jar' ? renderMessage(message('kafkaLag.jarJob', { job: jobName })) : null,
      flink: { ...flink, ...partitions },
    };
  }

  /**
   * The topics a job's Kafka sources read, each with the connection it is on. A SQL job's: every Kafka
   * table its SQL reads, on the connection its brokers are (a topic-pattern matched there), with its
   * group. A JAR job's sources are in its program: its topics are those its current run's sources
   * report per partition through Prometheus (in Flink's form), each on the one registered connection
   * holding a topic of that form; its group is not known. What cannot be known is said in `problems`.
   */
  async sourceTopics(
    job: LagJob,
    /** What the run reports per partition, when the caller read it already (a JAR job's topics come from it). */
    known?: ReportedPartition[],
  ): Promise<{ topics: SourceTopic[]; problems: string[] }> {
    const connections = await this.kafka.connections();
    const problems: string[] = [];
    const topics: SourceTopic[] = [];
    if (job.kind === 'sql') {
      for (const t of await this.tablesOf(job)) {
        const c = connectionFor(t.bootstrapServers, connections);
        let names = t.topics;
        if (c && t.topicPattern)
          names = await this.kafka.topicsMatching(c.name, t.topicPattern).catch((e: unknown) => {
            problems.push(render(e));
            return [];
          });
        for (const topic of names) topics.push({ topic, connection: c?.name ?? null, groupId: t.groupId });
      }
      return { topics, problems };
    }
    const reported = known ?? (await this.reportedPartitions(job.flinkJobId));
    if (typeof reported === 'string') return { topics, problems: [reported] };
    const flinkTopics = [...new Set(reported.map((r) => r.topic))].sort();
    if (flinkTopics.length === 0) return { topics, problems };
    // Each connection's topics by Flink's form of their names.
    const held = new Map<string, { connection: string; topic: string }[]>();
    for (const c of connections) {
      let names: string[];
      try {
        names = await this.kafka.topicNames(c.name);
      } catch (e) {
        problems.push(
          renderMessage(message('kafkaLag.connectionSilent', { connection: c.name, detail: render(e) })),
        );
        continue;
      }
      for (const topic of names)
        held.set(flinkLabelValue(topic), [
          ...(held.get(flinkLabelValue(topic)) ?? []),
          { connection: c.name, topic },
        ]);
    }
    for (const flinkTopic of flinkTopics) {
      const on = held.get(flinkTopic) ?? [];
      if (on.length === 1) topics.push({ topic: on[0]!.topic, connection: on[0]!.connection, groupId: null });
      else {
        topics.push({ topic: flinkTopic, connection: null, groupId: null });
        problems.push(
          renderMessage(
            on.length === 0
              ? message('kafkaLag.noConnectionForTopic', { topic: flinkTopic })
              : message('kafkaLag.topicOnSeveral', {
                  topic: flinkTopic,
                  connections: on.map((o) => `${o.connection}:${o.topic}`).join(', '),
                }),
          ),
        );
      }
    }
    return { topics, problems };
  }

  private async tablesOf(job: LagJob): Promise<KafkaSourceTable[]> {
    const v = await this.variables.forLineage();
    return kafkaSourceTables(v.script(job.sql), v.value);
  }

  /**
   * Each partition the current run's Kafka sources report (`currentOffset`, `committedOffset`, their
   * subtasks' highest), by Flink's form of the topic; a string says why there is no answer.
   */
  private async reportedPartitions(flinkJobId: string | null): Promise<string | ReportedPartition[]> {
    if (!flinkJobId) return renderMessage(message('kafkaLag.notRunning'));
    if (!this.server.url())
      return renderMessage((await this.server.status()).problem ?? message('prometheus.off'));
    const names = `${KAFKA_PARTITION_SERIES.currentOffset}|${KAFKA_PARTITION_SERIES.committedOffset}`;
    let samples;
    try {
      samples = await this.query.instant(
        `max by (__name__, topic, partition) ({__name__=~${quoted(names)}, ${jobSelector({ flinkJobIds: [flinkJobId], target: '' })}})`,
      );
    } catch (e) {
      return render(e);
    }
    const byPartition = new Map<string, ReportedPartition>();
    for (const s of samples) {
      const topic = s.labels['topic'];
      const partition = Number(s.labels['partition']);
      if (!topic || !Number.isInteger(partition) || !Number.isFinite(s.value)) continue;
      const key = `${topic}/${partition}`;
      const row = byPartition.get(key) ?? { topic, partition, current: null, committed: null };
      // Flink's -1 (and below) is "none yet".
      const value = s.value >= 0 ? s.value : null;
      if (s.labels['__name__'] === KAFKA_PARTITION_SERIES.currentOffset) row.current = value;
      else row.committed = value;
      byPartition.set(key, row);
    }
    return [...byPartition.values()].sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
  }

  /**
   * Per partition, Flink's live position against the partition's end at the broker of the connection
   * its topic is on; what is missing is said in `partitionsProblem`, a broker that does not answer too.
   */
  private async flinkPartitions(
    job: LagJob,
  ): Promise<{ partitions: FlinkPartitionLag[]; partitionsProblem: string | null }> {
    const reported = await this.reportedPartitions(job.flinkJobId);
    if (typeof reported === 'string') return { partitions: [], partitionsProblem: reported };
    if (reported.length === 0)
      return { partitions: [], partitionsProblem: renderMessage(message('kafkaLag.noPartitions')) };
    const { topics, problems } = await this.sourceTopics(job, reported);
    const byFlinkTopic = new Map(topics.map((t) => [flinkLabelValue(t.topic), t]));
    const ends = new Map<string, number>();
    const onConnection = new Map<string, string[]>();
    for (const t of topics)
      if (t.connection) onConnection.set(t.connection, [...(onConnection.get(t.connection) ?? []), t.topic]);
    for (const [connection, names] of onConnection)
      try {
        const o = await this.kafka.partitionOffsets(connection, names, []);
        for (const e of o.ends) ends.set(`${connection}/${e.topic}/${e.partition}`, e.end);
      } catch (e) {
        problems.push(render(e));
      }
    const partitions = reported.map((r): FlinkPartitionLag => {
      const source = byFlinkTopic.get(r.topic);
      const connection = source?.connection ?? null;
      const topic = source?.topic ?? r.topic;
      const end = connection ? (ends.get(`${connection}/${topic}/${r.partition}`) ?? null) : null;
      const position = r.current === null ? null : r.current + 1;
      return {
        topic,
        partition: r.partition,
        connection,
        position,
        committed: r.committed,
        end,
        lag: end === null || position === null ? null : Math.max(0, end - position),
      };
    });
    return { partitions, partitionsProblem: problems.join('; ') || null };
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
  private async flinkLag(
    flinkJobId: string | null,
  ): Promise<Omit<JobKafkaLag['flink'], 'partitions' | 'partitionsProblem'>> {
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
