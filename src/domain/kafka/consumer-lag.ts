/**
 * Consumer lag of a job's Kafka sources, from the broker's side: which Kafka tables a job's SQL reads
 * (topic, brokers, consumer group), which registered connection those brokers are, and how far each
 * partition's committed offset is behind its end. Flink's KafkaSource commits its offsets to the group
 * only when a checkpoint completes, so this lag is the job's position as of its last checkpoint.
 */
import { analyzeLineage, type ResolveValue } from '../sql/lineage.ts';
import { parseCreateTable } from '../sql/table-ddl.ts';
import { splitStatements } from '../sql/statements.ts';

/** A Kafka table the job's queries read. */
export interface KafkaSourceTable {
  /** As declared in the job's SQL. */
  table: string;
  connector: 'kafka' | 'upsert-kafka';
  /** `topic` (one or more, `;`-separated); empty with a `topic-pattern`. */
  topics: string[];
  topicPattern: string | null;
  bootstrapServers: string[];
  /** `properties.group.id`: the group whose committed offsets are the lag's; null when not set. */
  groupId: string | null;
  /** `scan.startup.mode` as written, or null (the connector's default, group-offsets). */
  startupMode: string | null;
}

const KAFKA_CONNECTORS = new Set(['kafka', 'upsert-kafka']);

/**
 * The Kafka tables the script reads (a table only written to is a sink), with their options resolved
 * by `resolve` (the workspace's plain variables). Tables from a catalog are not in the script: they are
 * not found.
 */
export function kafkaSourceTables(script: string, resolve?: ResolveValue): KafkaSourceTable[] {
  const read = new Set(
    analyzeLineage(script, resolve)
      .tables.filter((t) => t.reads && t.kind === 'table')
      .map((t) => t.name.toLowerCase()),
  );
  const value = (v: string | undefined) => (v === undefined ? undefined : (resolve?.(v).text ?? v));
  const byName = new Map<string, KafkaSourceTable>();
  for (const st of splitStatements(script)) {
    // parseCreateTable reads CREATE TABLE and answers null for any other statement.
    const t = st.kind === 'ddl' ? parseCreateTable(st.text) : null;
    const connector = value(t?.options['connector'])?.toLowerCase();
    if (!t || !connector || !KAFKA_CONNECTORS.has(connector) || !read.has(t.name.toLowerCase())) continue;
    const o = (k: string) => value(t.options[k]) ?? null;
    byName.set(t.name.toLowerCase(), {
      table: t.name,
      connector: connector as KafkaSourceTable['connector'],
      topics: (o('topic') ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      topicPattern: o('topic-pattern'),
      bootstrapServers: (o('properties.bootstrap.servers') ?? '')
        .split(/[,;\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      groupId: o('properties.group.id'),
      startupMode: o('scan.startup.mode'),
    });
  }
  return [...byName.values()];
}

// The addresses of this machine that a broker on it answers at alike.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const hostPort = (s: string) => {
  const i = s.lastIndexOf(':');
  const host = s.slice(0, i).toLowerCase();
  return `${LOOPBACK.has(host) ? 'loopback' : host}:${s.slice(i + 1)}`;
};

/**
 * The registered connection a table's brokers belong to: the one sharing the most of its addresses
 * (`localhost`, `127.0.0.1` and `[::1]` are the same machine); null when none shares any.
 */
export function connectionFor<C extends { name: string; bootstrapServers: string[] }>(
  bootstrapServers: string[],
  connections: C[],
): C | null {
  const wanted = new Set(bootstrapServers.map(hostPort));
  let best: C | null = null;
  let bestShared = 0;
  for (const c of connections) {
    const shared = c.bootstrapServers.filter((s) => wanted.has(hostPort(s))).length;
    if (shared > bestShared) [best, bestShared] = [c, shared];
  }
  return best;
}

/** One partition's lag as the broker sees it. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record it will read); null when it committed none. */
  committed: number | null;
  /** The partition's end: the offset the next record written gets. */
  end: number;
  /** end − committed; null without a committed offset. */
  lag: number | null;
}

/**
 * Each partition's lag: its end offset minus the group's committed offset (Kafka's own LAG, as
 * kafka-consumer-groups.sh prints it). A partition without a committed offset (Kafka answers -1) has
 * no lag yet, unless it keeps no record (0); `total` sums the known ones, null when there is none.
 */
export function partitionLags(
  topic: string,
  committed: { partition: number; offset: number }[],
  ends: { partition: number; low: number; high: number }[],
): { partitions: PartitionLag[]; total: number | null } {
  const partitions = ends
    .map(({ partition, low, high }) => {
      const c = committed.find((x) => x.partition === partition);
      const offset = c && c.offset >= 0 ? c.offset : null;
      // A partition that keeps no record has nothing to read: Flink commits nothing for it, its lag is 0.
      const lag = offset === null ? (high === low ? 0 : null) : Math.max(0, high - offset);
      return { topic, partition, committed: offset, end: high, lag };
    })
    .sort((a, b) => a.partition - b.partition);
  const known = partitions.flatMap((p) => (p.lag === null ? [] : [p.lag]));
  return { partitions, total: known.length ? known.reduce((a, b) => a + b, 0) : null };
}
