import type { SaslMechanism, SecurityProtocol } from '../../domain/kafka/kafka-connection.ts';

/** How to reach a Kafka cluster, its password opened. */
export interface KafkaEndpoint {
  name: string;
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanism | null;
  saslUsername: string | null;
  saslPassword: string | null;
  sslCaCertificate: string | null;
}

export interface TopicPartitionView {
  partition: number;
  leader: number;
  replicas: number;
  /** The first offset still kept, and the next offset to be written. */
  low: number;
  high: number;
}

export interface TopicView {
  name: string;
  partitions: TopicPartitionView[];
  /** Messages kept over all partitions (high - low), not counting compaction's gaps. */
  messages: number;
}

export interface SampledMessage {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** The record's timestamp, ISO 8601. */
  timestamp: string;
}

/** Partitions' end offsets and groups' committed offsets, read together. */
export interface PartitionOffsets {
  /** The offset the next record written to the partition gets. */
  ends: { topic: string; partition: number; end: number }[];
  /** -1: the group committed none for the partition. */
  committed: { groupId: string; topic: string; partition: number; offset: number }[];
}

/** A Kafka client: topics with their offsets, and the latest messages of one. */
export interface KafkaBrowser {
  /** Every topic but Kafka's internal ones; with `only`, that topic (not_found when absent). */
  listTopics(e: KafkaEndpoint, only?: string): Promise<TopicView[]>;
  /** The latest `limit` messages of a topic, newest first. */
  sampleTopic(e: KafkaEndpoint, topic: string, limit: number): Promise<SampledMessage[]>;
  /** The consumer group's committed offset of each partition of the topic (-1: none committed). */
  committedOffsets(
    e: KafkaEndpoint,
    groupId: string,
    topic: string,
  ): Promise<{ partition: number; offset: number }[]>;
  /** The topic names, Kafka's internal ones left out. */
  topicNames(e: KafkaEndpoint): Promise<string[]>;
  /** Through one client: the topics' end offsets (those that exist) and the groups' committed offsets. */
  partitionOffsets(
    e: KafkaEndpoint,
    topics: string[],
    groups: { groupId: string; topic: string }[],
  ): Promise<PartitionOffsets>;
}

export type LocalBrokerState = 'stopped' | 'starting' | 'running' | 'degraded' | 'stopping';

export interface LocalBrokerStatus {
  state: LocalBrokerState;
  kafkaVersion: string | null;
  bootstrapServers: string;
  pid: number | null;
  restarts: number;
  startedAt: string | null;
  logFile: string;
  dataDir: string;
}

/** The local broker Sluice runs (`sluice kafka start`). */
export interface LocalBroker {
  readonly bootstrapServers: string;
  start(progress?: (line: string) => void): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<LocalBrokerStatus>;
}
