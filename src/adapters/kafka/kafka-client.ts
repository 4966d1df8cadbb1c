import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type {
  KafkaEndpoint,
  PartitionOffsets,
  SampledMessage,
  TopicView,
} from '../../application/ports/kafka.ts';

/**
 * kafkajs 2.2.4 (pure JavaScript) as the topic browser's client. It negotiates each request's version
 * with the broker (ApiVersions), and the versions it speaks are among those Kafka 4 still serves.
 */
function client(e: KafkaEndpoint): Kafka {
  const ssl = e.securityProtocol === 'SSL' || e.securityProtocol === 'SASL_SSL';
  const config: KafkaConfig = {
    clientId: 'sluice',
    brokers: e.bootstrapServers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    requestTimeout: 15000,
    retry: { retries: 2, initialRetryTime: 300 },
    ...(ssl ? { ssl: e.sslCaCertificate ? { ca: [e.sslCaCertificate] } : true } : {}),
  };
  if (e.saslMechanism && e.saslUsername && e.saslPassword) {
    const mechanism = e.saslMechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
    config.sasl = { mechanism, username: e.saslUsername, password: e.saslPassword } as SASLOptions;
  }
  return new Kafka(config);
}

/** An error of the cluster or the network, said with the connection it came from. */
function unreachable(e: KafkaEndpoint, err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SluiceError(
    'engine_unavailable',
    message('kafka.unreachable', {
      connection: e.name,
      bootstrapServers: e.bootstrapServers.join(','),
      detail,
    }),
    { connection: e.name },
  );
}

async function withAdmin<T>(e: KafkaEndpoint, use: (admin: ReturnType<Kafka['admin']>) => Promise<T>) {
  const admin = client(e).admin();
  try {
    await admin.connect();
    return await use(admin);
  } catch (err) {
    throw unreachable(e, err);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** True once the cluster answers a metadata request. */
export async function answers(e: KafkaEndpoint): Promise<boolean> {
  try {
    await withAdmin(e, (a) => a.describeCluster());
    return true;
  } catch {
    return false;
  }
}

/** Every topic but Kafka's internal ones (`__consumer_offsets`...), with partitions and offsets. */
export async function listTopics(e: KafkaEndpoint, only?: string): Promise<TopicView[]> {
  return withAdmin(e, async (admin) => {
    const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    if (only !== undefined && !names.includes(only))
      throw new SluiceError(
        'not_found',
        message('kafka.topicNotFound', { topic: only, connection: e.name }),
        { topic: only, connection: e.name },
      );
    const wanted = only === undefined ? names : [only];
    if (wanted.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
    const out: TopicView[] = [];
    for (const t of topics) {
      const offsets = await admin.fetchTopicOffsets(t.name);
      const partitions = t.partitions
        .map((p) => {
          const o = offsets.find((x) => x.partition === p.partitionId);
          return {
            partition: p.partitionId,
            leader: p.leader,
            replicas: p.replicas.length,
            low: Number(o?.low ?? 0),
            high: Number(o?.high ?? 0),
          };
        })
        .sort((a, b) => a.partition - b.partition);
      out.push({
        name: t.name,
        partitions,
        messages: partitions.reduce((n, p) => n + (p.high - p.low), 0),
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  });
}

/** The group's committed offsets of the topic's partitions, as the broker keeps them (-1: none). */
export function committedOffsets(e: KafkaEndpoint, groupId: string, topic: string) {
  return withAdmin(e, async (admin) => {
    const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (answer?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset) }));
  });
}

/**
 * The latest `limit` messages of a topic, newest first: each partition is read from `limit` before its
 * end by a consumer of a group of its own, whose offsets are set there first; it commits nothing and is
 * deleted afterwards.
 */
export async function sampleTopic(e: KafkaEndpoint, topic: string, limit: number): Promise<SampledMessage[]> {
  const [view] = await listTopics(e, topic);
  const partitions = view!.partitions.filter((p) => p.high > p.low);
  if (partitions.length === 0) return [];
  const kafka = client(e);
  const groupId = `sluice-sample-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const messages: SampledMessage[] = [];
  const remaining = new Map(partitions.map((p) => [p.partition, p]));
  try {
    // The new group's starting offsets are set before it has a member, so its first fetch is there.
    await withAdmin(e, (a) =>
      a.setOffsets({
        groupId,
        topic,
        partitions: partitions.map((p) => ({
          partition: p.partition,
          offset: String(Math.max(p.low, p.high - limit)),
        })),
      }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 20_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message: m }) => {
            const offset = Number(m.offset);
            messages.push({
              partition,
              offset,
              key: m.key ? m.key.toString('utf8') : null,
              value: m.value ? m.value.toString('utf8') : null,
              timestamp: new Date(Number(m.timestamp)).toISOString(),
            });
            const p = remaining.get(partition);
            if (p && offset >= p.high - 1) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  } catch (err) {
    throw unreachable(e, err);
  } finally {
    await consumer.disconnect().catch(() => {});
    await withAdmin(e, (a) => a.deleteGroups([groupId])).catch(() => {});
  }
  return messages
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.offset - a.offset)
    .slice(0, limit);
}

/** The topic names of a cluster, Kafka's internal ones left out. */
export function topicNames(e: KafkaEndpoint): Promise<string[]> {
  return withAdmin(e, async (admin) => (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort());
}

/**
 * Through one admin client: each topic's partitions' end offsets, and each group's committed offsets
 * of its topic (-1: none committed). A topic that does not exist is left out (its ends are not known).
 */
export function partitionOffsets(
  e: KafkaEndpoint,
  topics: string[],
  groups: { groupId: string; topic: string }[],
): Promise<PartitionOffsets> {
  return withAdmin(e, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const ends: PartitionOffsets['ends'] = [];
    for (const topic of topics.filter((t) => existing.has(t)))
      for (const o of await admin.fetchTopicOffsets(topic))
        ends.push({ topic, partition: o.partition, end: Number(o.high) });
    const committed: PartitionOffsets['committed'] = [];
    for (const { groupId, topic } of groups.filter((g) => existing.has(g.topic))) {
      const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const p of answer?.partitions ?? [])
        committed.push({ groupId, topic, partition: p.partition, offset: Number(p.offset) });
    }
    return { ends, committed };
  });
}
