import { Type, type Static } from 'typebox';
import { SASL_MECHANISMS, SECURITY_PROTOCOLS } from '../domain/kafka/kafka-connection.ts';
import { CodedMessage, ErrorBody, errors, Name } from './common.ts';
import { operation } from './operation.ts';

/** Kafka: the local broker, clusters registered as connections, and the topic browser. */

const tags = ['kafka'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, description?: string) =>
  Type.Union([t, Type.Null()], description ? { description } : {});

const ConnectionName = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: "a Kafka connection; 'local' is the local broker's",
});
const TopicName = Type.String({ minLength: 1, maxLength: 249, description: 'a topic, as Kafka names it' });
const Protocol = Type.Enum(SECURITY_PROTOCOLS, {
  description: "how clients talk to the brokers, Kafka's security.protocol",
});
const Mechanism = Type.Enum(SASL_MECHANISMS);

export const KafkaConnectionBody = Type.Object({
  name: Type.String(),
  bootstrapServers: Type.Array(Type.String(), { description: 'host:port of the brokers' }),
  securityProtocol: Protocol,
  saslMechanism: Nullable(Mechanism, 'set with SASL_PLAINTEXT and SASL_SSL'),
  saslUsername: Nullable(Type.String()),
  hasSaslPassword: Type.Boolean({ description: 'the password is stored sealed and never returned' }),
  sslCaCertificate: Nullable(Type.String(), "PEM of the brokers' CA; null: the system's CAs"),
  description: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const KafkaConnectionInputBody = Type.Object(
  {
    bootstrapServers: Type.Array(Type.String({ minLength: 1, maxLength: 260 }), {
      minItems: 1,
      maxItems: 100,
      description: 'host:port of one or more brokers',
    }),
    securityProtocol: Type.Optional(Protocol),
    saslMechanism: Type.Optional(Nullable(Mechanism)),
    saslUsername: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
    saslPassword: Type.Optional(
      Nullable(
        Type.String({ maxLength: 1024 }),
        'stored sealed by the secret key; left out, the stored password is kept',
      ),
    ),
    sslCaCertificate: Type.Optional(Nullable(Type.String({ maxLength: 65536 }))),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const TopicBody = Type.Object({
  name: Type.String(),
  partitions: Type.Array(
    Type.Object({
      partition: Type.Integer(),
      leader: Type.Integer({ description: 'the broker id of its leader (-1: none)' }),
      replicas: Type.Integer(),
      low: Type.Integer({ description: 'the first offset still kept' }),
      high: Type.Integer({ description: 'the offset the next message gets' }),
    }),
  ),
  messages: Type.Integer({ description: 'high - low over all partitions' }),
});

const SampleBody = Type.Object({
  connection: Type.String(),
  topic: Type.String(),
  messages: Type.Array(
    Type.Object({
      partition: Type.Integer(),
      offset: Type.Integer(),
      key: Nullable(Type.String()),
      value: Nullable(Type.String(), 'the value as UTF-8 text'),
      timestamp: Type.String({ description: "the record's timestamp, ISO 8601" }),
    }),
    { description: 'the latest messages, newest first' },
  ),
  table: Nullable(
    Type.Object({
      table: Type.String(),
      format: Type.Union([Type.Literal('json'), Type.Literal('csv')]),
      sampled: Type.Integer({ description: 'how many values the columns were inferred from' }),
      ddl: Type.String({ description: 'the CREATE TABLE to paste into a job' }),
      columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() }), {
        description: "the value's columns with their Flink SQL types (the record time is not among them)",
      }),
    }),
    'null when no value could be inferred from: tableProblem says why',
  ),
  tableProblem: Nullable(Type.String({ description: 'in English' })),
  tableProblemMessage: CodedMessage,
});

const LocalBrokerBody = Type.Object({
  state: Type.Enum(['stopped', 'starting', 'running', 'degraded', 'stopping'] as const, {
    description: 'degraded: the process is alive but does not answer',
  }),
  kafkaVersion: Nullable(Type.String()),
  bootstrapServers: Type.String(),
  pid: Nullable(Type.Integer()),
  restarts: Type.Integer({ description: 'restarts by supervision since it was started' }),
  startedAt: Nullable(Type.String()),
  logFile: Type.String(),
  dataDir: Type.String(),
});

const PartitionLagBody = Type.Object({
  topic: Type.String(),
  partition: Type.Integer(),
  committed: Nullable(
    Type.Integer(),
    "the group's committed offset (the next record it reads); null: none committed yet",
  ),
  end: Type.Integer({ description: "the partition's end: the offset the next record written gets" }),
  lag: Nullable(Type.Integer(), 'end - committed; null without a committed offset'),
});

const FlinkPartitionLagBody = Type.Object({
  topic: Type.String({
    description:
      "as Kafka names it when a registered connection holds it, else as Flink's reporter labels it",
  }),
  partition: Type.Integer(),
  connection: Nullable(Type.String(), 'the registered connection whose end offsets are used'),
  position: Nullable(
    Type.Integer(),
    "the next offset Flink's source reads (its currentOffset + 1); null before it read a record",
  ),
  committed: Nullable(
    Type.Integer(),
    'the offset Flink committed to the group at its last checkpoint (its committedOffset); null: none',
  ),
  end: Nullable(Type.Integer(), "the partition's end at the broker; null when not known"),
  lag: Nullable(Type.Integer(), 'end - position, live; null when either is not known'),
});

const JobKafkaLagBody = Type.Object({
  job: Type.String(),
  kind: Type.Enum(['sql', 'jar'] as const),
  flinkJobId: Nullable(Type.String(), 'its current run; null when it never ran'),
  note: Nullable(
    Type.String(),
    "what holds for the whole job: a JAR job's sources are in its program, so their group is not known",
  ),
  sources: Type.Array(
    Type.Object({
      table: Type.String({ description: 'the Kafka table as its SQL declares it' }),
      connector: Type.Enum(['kafka', 'upsert-kafka'] as const),
      topics: Type.Array(Type.String()),
      topicPattern: Nullable(Type.String()),
      bootstrapServers: Type.Array(Type.String()),
      groupId: Nullable(Type.String(), "its 'properties.group.id'"),
      startupMode: Nullable(Type.String(), "its 'scan.startup.mode'"),
      connection: Nullable(Type.String(), 'the registered connection its brokers are'),
      partitions: Type.Array(PartitionLagBody, {
        description: "the broker's offsets, partition by partition",
      }),
      total: Nullable(Type.Integer(), "the partitions' known lags together"),
      problem: Nullable(Type.String(), "why the broker's lag is missing or partial"),
    }),
    {
      description:
        'every Kafka table the SQL reads (none for a JAR job). Flink commits offsets to the group only when a checkpoint completes: this lag is the position at the last checkpoint',
    },
  ),
  flink: Type.Object(
    {
      query: Nullable(Type.String(), 'the PromQL asked'),
      series: Type.Array(
        Type.Object({
          metric: Type.String({
            description: 'pendingRecords or KafkaSourceReader_KafkaConsumer_records_lag_max',
          }),
          operator: Nullable(Type.String()),
          subtask: Nullable(Type.String()),
          value: Type.Number(),
        }),
      ),
      max: Nullable(Type.Number()),
      problem: Nullable(Type.String(), 'why there is no answer: not running, no Prometheus, its error'),
      partitions: Type.Array(FlinkPartitionLagBody, {
        description:
          "per partition its Kafka sources report (a JAR job's too), Flink's live position against the broker's end",
      }),
      partitionsProblem: Nullable(
        Type.String(),
        'why a partition lacks its end or its position: no connection holds its topic, a broker that did not answer, not running',
      ),
    },
    { description: "the lag Flink's Kafka sources report, live, through the Prometheus in use" },
  ),
});

const OnConnection = Type.Object({ name: ConnectionName });
const OnTopic = Type.Object({ name: ConnectionName, topic: TopicName });
/** Java or Maven missing: what to install. */
const withPrerequisites = { ...errors, 424: ErrorBody };

export const kafka = {
  local: operation('GET', '/kafka/local', {
    tags,
    summary: 'The local Kafka broker: its state, address, process and log',
    response: { 200: LocalBrokerBody },
  }),
  startLocal: operation('POST', '/kafka/local/start', {
    tags,
    summary:
      "Start the local Kafka broker (KRaft, one node on 127.0.0.1), fetching Kafka from Maven the first time, and register it as connection 'local'; answers once it serves clients. 409 when its port is taken, 424 without Java 17+ or Maven",
    response: { 200: LocalBrokerBody, ...withPrerequisites },
  }),
  stopLocal: operation('POST', '/kafka/local/stop', {
    tags,
    summary: 'Stop the local Kafka broker (its data is kept for the next start)',
    response: { 200: LocalBrokerBody, ...errors },
  }),
  connections: operation('GET', '/kafka/connections', {
    tags,
    summary: 'Kafka clusters registered as connections; passwords are never returned',
    response: { 200: Type.Array(KafkaConnectionBody) },
  }),
  connection: operation('GET', '/kafka/connections/:name', {
    tags,
    summary: 'A Kafka connection',
    params: OnConnection,
    response: { 200: KafkaConnectionBody, ...errors },
  }),
  setConnection: operation('PUT', '/kafka/connections/:name', {
    tags,
    summary:
      "Register or replace a Kafka connection: brokers, and SASL/SSL settings whose password is sealed; 400 names each wrong field (details.problems: field, problem in English, message as a code); 409 for 'local', which the local broker owns",
    params: OnConnection,
    body: KafkaConnectionInputBody,
    response: { 200: KafkaConnectionBody, ...errors },
  }),
  deleteConnection: operation('DELETE', '/kafka/connections/:name', {
    tags,
    summary: "Remove a Kafka connection; 409 for 'local' while the local broker runs",
    params: OnConnection,
    response: { 204: Type.Null(), ...errors },
  }),
  topics: operation('GET', '/kafka/connections/:name/topics', {
    tags,
    summary:
      "The connection's topics (Kafka's internal ones left out) with their partitions and low/high offsets; 503 when its brokers do not answer",
    params: OnConnection,
    response: { 200: Type.Array(TopicBody), ...errors },
  }),
  topic: operation('GET', '/kafka/connections/:name/topics/:topic', {
    tags,
    summary: 'A topic with its partitions and low/high offsets',
    params: OnTopic,
    response: { 200: TopicBody, ...errors },
  }),
  sample: operation('GET', '/kafka/connections/:name/topics/:topic/sample', {
    tags,
    summary:
      "The topic's latest messages (key, value, partition, offset, time), newest first, and a CREATE TABLE inferred from their JSON or CSV values",
    params: OnTopic,
    querystring: Type.Object({
      limit: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 500, description: 'how many messages (default 10)' }),
      ),
    }),
    response: { 200: SampleBody, ...errors },
  }),
};

/** Consumer lag of a job's Kafka sources (routed under /jobs). */
export const jobKafkaLag = {
  kafkaLag: operation('GET', '/jobs/:name/kafka-lag', {
    tags,
    summary:
      "Consumer lag of the job's Kafka sources: for each Kafka table its SQL reads, its group's committed offsets against each partition's end (the broker's, as of the last checkpoint); Flink's own pendingRecords and records-lag-max from Prometheus; and per partition Flink reports (a JAR job's too) its live position against the broker's end. 404 for no such job; 409 for a SQL job that reads no Kafka table; 503 when a broker of a table does not answer",
    params: Type.Object({ name: Name }),
    response: { 200: JobKafkaLagBody, ...errors },
  }),
};

export type JobKafkaLagView = Static<typeof JobKafkaLagBody>;
export type KafkaConnectionView = Static<typeof KafkaConnectionBody>;
export type KafkaConnectionInput = Static<typeof KafkaConnectionInputBody>;
export type TopicSampleView = Static<typeof SampleBody>;
export type LocalBrokerView = Static<typeof LocalBrokerBody>;
