import type { KafkaLagService, LagJob, SourceTopic } from './kafka-lag.ts';
import type { KafkaService } from './kafka-service.ts';

/** One partition a running job's Kafka source reads, as sampled from its broker. */
export interface PartitionSample {
  job: string;
  space: string;
  /** The run's Flink job id: Flink's own series carry it as `job_id`, so the charts join on it. */
  flinkJobId: string;
  connection: string;
  /** As Kafka names it. */
  topic: string;
  partition: number;
  /** The offset the next record written to the partition gets. */
  end: number;
  /** The job's group (`properties.group.id`); null when not known (a JAR job's, a table without one). */
  group: string | null;
  /** end − the group's committed offset; null without a group or before it committed. */
  lag: number | null;
}

/** A running job whose Kafka sources are sampled. */
export interface SampledJob extends LagJob {
  name: string;
  space: string;
  flinkJobId: string;
}

/** Topics asked of one connection in one round, at most: a round stays one bounded request per connection. */
export const MAX_TOPICS_PER_CONNECTION = 500;

/**
 * Samples, on an interval, the end offsets (and the groups' committed offsets) of the partitions the
 * running jobs' Kafka sources read, through one admin client per connection at a time, so that Sluice's
 * /metrics can serve them to Prometheus beside Flink's positions: the charts' lag per partition is the
 * one minus the other. A broker that does not answer, or a job whose sources cannot be read, is logged
 * (once per change of its error) and left out of the round; nothing is thrown.
 */
export class KafkaOffsetSampler {
  private latest: PartitionSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private round_: Promise<void> | null = null;
  private stopped = false;
  private readonly said = new Map<string, string>();

  constructor(
    private readonly jobs: () => Promise<SampledJob[]>,
    private readonly lag: Pick<KafkaLagService, 'sourceTopics'>,
    private readonly kafka: Pick<KafkaService, 'partitionOffsets'>,
    private readonly log: { warn(line: string): void; info(line: string): void },
  ) {}

  /** The last round's samples. */
  samples(): PartitionSample[] {
    return this.latest;
  }

  /** One round: every running job's sources, their connections asked one after the other. */
  async sample(): Promise<PartitionSample[]> {
    const reads: { job: SampledJob; topic: SourceTopic & { connection: string } }[] = [];
    for (const job of await this.jobs()) {
      let found;
      try {
        found = await this.lag.sourceTopics(job);
      } catch (e) {
        this.say(`job ${job.name}`, `the Kafka sources of job ${job.name} were not read: ${text(e)}`);
        continue;
      }
      this.say(`job ${job.name}`, null);
      for (const t of found.topics)
        if (t.connection) reads.push({ job, topic: { ...t, connection: t.connection } });
    }
    const byConnection = new Map<string, typeof reads>();
    for (const r of reads)
      byConnection.set(r.topic.connection, [...(byConnection.get(r.topic.connection) ?? []), r]);
    const samples: PartitionSample[] = [];
    for (const [connection, rs] of byConnection) {
      const topics = [...new Set(rs.map((r) => r.topic.topic))].sort();
      if (topics.length > MAX_TOPICS_PER_CONNECTION)
        this.say(
          `topics ${connection}`,
          `the running jobs read ${topics.length} topics of Kafka connection ${connection}: the first ${MAX_TOPICS_PER_CONNECTION} are sampled`,
        );
      const asked = new Set(topics.slice(0, MAX_TOPICS_PER_CONNECTION));
      const groups = uniqueGroups(rs.filter((r) => asked.has(r.topic.topic)).map((r) => r.topic));
      let offsets;
      try {
        offsets = await this.kafka.partitionOffsets(connection, [...asked], groups);
      } catch (e) {
        this.say(`connection ${connection}`, `Kafka connection ${connection} was not sampled: ${text(e)}`);
        continue;
      }
      this.say(`connection ${connection}`, null);
      for (const { job, topic } of rs) {
        if (!asked.has(topic.topic)) continue;
        for (const e of offsets.ends.filter((o) => o.topic === topic.topic)) {
          const c = topic.groupId
            ? offsets.committed.find(
                (o) => o.groupId === topic.groupId && o.topic === e.topic && o.partition === e.partition,
              )
            : undefined;
          samples.push({
            job: job.name,
            space: job.space,
            flinkJobId: job.flinkJobId,
            connection,
            topic: topic.topic,
            partition: e.partition,
            end: e.end,
            group: topic.groupId,
            lag: c && c.offset >= 0 ? Math.max(0, e.end - c.offset) : null,
          });
        }
      }
    }
    return samples;
  }

  /** Samples now and then every `intervalMs`, a round never overlapping the one before. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer || this.round_) return;
    this.stopped = false;
    const next = () => {
      if (this.stopped) return;
      this.round_ = this.sample()
        .then((s) => void (this.latest = s))
        .catch((e: unknown) => this.log.warn(`a Kafka offsets round failed: ${text(e)}`))
        .finally(() => {
          this.round_ = null;
          if (!this.stopped) {
            this.timer = setTimeout(next, intervalMs);
            this.timer.unref();
          }
        });
    };
    next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round_;
    this.latest = [];
  }

  /** Logs a problem when it is new or changed, and once that it is gone (null). */
  private say(key: string, problem: string | null): void {
    const before = this.said.get(key);
    if (problem === null) {
      if (before !== undefined) this.log.info(`${key}: Kafka offsets sampled again`);
      this.said.delete(key);
    } else if (before !== problem) {
      this.said.set(key, problem);
      this.log.warn(problem);
    }
  }
}

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

function uniqueGroups(topics: SourceTopic[]): { groupId: string; topic: string }[] {
  const seen = new Map<string, { groupId: string; topic: string }>();
  for (const t of topics)
    if (t.groupId) seen.set(`${t.groupId}\u0000${t.topic}`, { groupId: t.groupId, topic: t.topic });
  return [...seen.values()];
}
