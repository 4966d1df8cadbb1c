import { SluiceError } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import {
  connectionProblems,
  flinkClientProperties,
  LOCAL_KAFKA_CONNECTION,
  problemsMessage,
  type KafkaConnection,
  type KafkaConnectionInput,
} from '../domain/kafka/kafka-connection.ts';
import {
  flinkType,
  inferTable,
  InferenceError,
  type TableInference,
} from '../domain/kafka/table-inference.ts';
import { partitionLags, type PartitionLag } from '../domain/kafka/consumer-lag.ts';
import type {
  KafkaBrowser,
  KafkaEndpoint,
  LocalBroker,
  LocalBrokerStatus,
  PartitionOffsets,
  SampledMessage,
  TopicView,
} from './ports/kafka.ts';
import type { SecretSealer } from './ports/secrets.ts';
import type { KafkaConnectionStore, StoredKafkaConnection } from './ports/store.ts';

/** A connection as shown: its password never, only whether it has one. */
export type KafkaConnectionView = KafkaConnection & { hasSaslPassword: boolean };

export interface TopicSample {
  connection: string;
  topic: string;
  messages: SampledMessage[];
  /** The CREATE TABLE inferred from the messages' values, or null with the reason in `tableProblem`. */
  table: (Omit<TableInference, 'columns'> & { columns: { name: string; type: string }[] }) | null;
  tableProblem: string | null;
  tableProblemMessage: Message | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const SAMPLE_LIMITS = { default: 10, max: 500 };

/**
 * Kafka for Sluice: clusters registered as connections (SASL passwords sealed), the local broker that
 * registers itself as connection `local`, and a topic browser whose sample infers a CREATE TABLE.
 */
export class KafkaService {
  constructor(
    private readonly store: KafkaConnectionStore,
    private readonly secrets: SecretSealer,
    private readonly browser: KafkaBrowser,
    readonly broker: LocalBroker,
  ) {}

  async connections(): Promise<KafkaConnectionView[]> {
    return (await this.store.list()).map(view);
  }

  async connection(name: string): Promise<KafkaConnectionView> {
    return view(await this.stored(name));
  }

  /**
   * Registers or replaces a connection. A SASL password left out keeps the one stored; every problem
   * of the settings is refused at once (400, each with its field), and nothing is saved.
   */
  async saveConnection(
    name: string,
    input: KafkaConnectionInput,
    opts: { local?: boolean } = {},
  ): Promise<KafkaConnectionView> {
    if (!NAME.test(name))
      throw new SluiceError('invalid_argument', message('kafka.badConnectionName', { name }), {
        field: 'name',
      });
    if (name === LOCAL_KAFKA_CONNECTION && !opts.local)
      throw new SluiceError(
        'conflict',
        message('kafka.localConnectionReserved', { connection: LOCAL_KAFKA_CONNECTION }),
        { field: 'name' },
      );
    const existing = await this.store.get(name);
    const protocol = input.securityProtocol ?? 'PLAINTEXT';
    const sasl = protocol.startsWith('SASL_');
    const keptPassword = sasl && !input.saslPassword ? (existing?.sealedPassword ?? null) : null;
    const problems = connectionProblems({
      ...input,
      saslPassword: input.saslPassword || (keptPassword ? 'kept' : null),
    });
    if (problems.length > 0)
      throw new SluiceError(
        'invalid_argument',
        message('kafka.connectionRefused', { connection: name, problems: problemsMessage(problems) }),
        {
          field: problems[0]!.field,
          // Each at its field: in English, and as a message the console says in its language.
          problems: problems.map((p) => ({
            field: p.field,
            problem: renderMessage(p.problem),
            message: p.problem,
          })),
        },
      );
    await this.store.save({
      name,
      bootstrapServers: input.bootstrapServers,
      securityProtocol: protocol,
      saslMechanism: sasl ? (input.saslMechanism ?? null) : null,
      saslUsername: sasl ? (input.saslUsername ?? null) : null,
      sealedPassword: input.saslPassword && sasl ? this.secrets.seal(input.saslPassword) : keptPassword,
      sslCaCertificate: input.sslCaCertificate ?? null,
      description: input.description ?? existing?.description ?? '',
    });
    return this.connection(name);
  }

  async deleteConnection(name: string): Promise<void> {
    await this.stored(name);
    if (name === LOCAL_KAFKA_CONNECTION && (await this.broker.status()).state !== 'stopped')
      throw new SluiceError(
        'conflict',
        message('kafka.localConnectionInUse', { connection: LOCAL_KAFKA_CONNECTION }),
      );
    await this.store.delete(name);
  }

  async topics(connection: string): Promise<TopicView[]> {
    return this.browser.listTopics(await this.endpoint(connection));
  }

  async topic(connection: string, topic: string): Promise<TopicView> {
    return (await this.browser.listTopics(await this.endpoint(connection), topic))[0]!;
  }

  /** The latest messages of a topic, and a CREATE TABLE inferred from their values. */
  async sample(connection: string, topic: string, limit = SAMPLE_LIMITS.default): Promise<TopicSample> {
    if (!Number.isInteger(limit) || limit < 1 || limit > SAMPLE_LIMITS.max)
      throw new SluiceError(
        'invalid_argument',
        message('kafka.badSampleLimit', { limit, max: SAMPLE_LIMITS.max }),
        { field: 'limit' },
      );
    const c = await this.stored(connection);
    const messages = await this.browser.sampleTopic(await this.endpoint(connection), topic, limit);
    try {
      const inferred = inferTable(
        messages.map((m) => m.value),
        {
          topic,
          bootstrapServers: c.bootstrapServers.join(','),
          properties: flinkClientProperties(c),
        },
      );
      const table = {
        table: inferred.table,
        format: inferred.format,
        sampled: inferred.sampled,
        ddl: inferred.ddl,
        columns: inferred.columns.map((c) => ({ name: c.name, type: flinkType(c.type) })),
      };
      return { connection, topic, messages, table, tableProblem: null, tableProblemMessage: null };
    } catch (e) {
      if (!(e instanceof InferenceError)) throw e;
      return {
        connection,
        topic,
        messages,
        table: null,
        tableProblem: e.message,
        tableProblemMessage: e.text,
      };
    }
  }

  /**
   * How far a consumer group is behind on a topic, partition by partition: each partition's end offset
   * against the offset the group committed (not_found when the topic does not exist).
   */
  async groupLag(
    connection: string,
    groupId: string,
    topic: string,
  ): Promise<{ partitions: PartitionLag[]; total: number | null }> {
    const e = await this.endpoint(connection);
    const [view] = await this.browser.listTopics(e, topic);
    return partitionLags(topic, await this.browser.committedOffsets(e, groupId, topic), view!.partitions);
  }

  /** The topic names of a connection (no offsets: one metadata request). */
  async topicNames(connection: string): Promise<string[]> {
    return this.browser.topicNames(await this.endpoint(connection));
  }

  /** Through one client of the connection: the topics' end offsets and the groups' committed offsets. */
  async partitionOffsets(
    connection: string,
    topics: string[],
    groups: { groupId: string; topic: string }[],
  ): Promise<PartitionOffsets> {
    return this.browser.partitionOffsets(await this.endpoint(connection), topics, groups);
  }

  /** The topics of a connection whose names match a Java-style topic pattern (the connector's topic-pattern). */
  async topicsMatching(connection: string, pattern: string): Promise<string[]> {
    const re = new RegExp(`^(?:${pattern})$`);
    return (await this.topics(connection)).map((t) => t.name).filter((n) => re.test(n));
  }

  /** Starts (provisioning it the first time) the local broker and registers it as connection `local`. */
  async startLocal(progress: (line: string) => void = () => {}): Promise<LocalBrokerStatus> {
    await this.broker.start(progress);
    await this.saveConnection(
      LOCAL_KAFKA_CONNECTION,
      {
        bootstrapServers: [this.broker.bootstrapServers],
        description: 'the local Kafka broker Sluice runs (sluice kafka start)',
      },
      { local: true },
    );
    return this.broker.status();
  }

  async stopLocal(): Promise<LocalBrokerStatus> {
    await this.broker.stop();
    return this.broker.status();
  }

  localStatus(): Promise<LocalBrokerStatus> {
    return this.broker.status();
  }

  private async stored(name: string): Promise<StoredKafkaConnection> {
    const c = await this.store.get(name);
    if (!c)
      throw new SluiceError(
        'not_found',
        message(name === LOCAL_KAFKA_CONNECTION ? 'kafka.noLocalConnection' : 'kafka.connectionNotFound', {
          connection: name,
        }),
        { connection: name },
      );
    return c;
  }

  private async endpoint(name: string): Promise<KafkaEndpoint> {
    const c = await this.stored(name);
    return {
      name: c.name,
      bootstrapServers: c.bootstrapServers,
      securityProtocol: c.securityProtocol,
      saslMechanism: c.saslMechanism,
      saslUsername: c.saslUsername,
      saslPassword: c.sealedPassword
        ? this.secrets.open(c.sealedPassword, `kafka connection ${c.name}`)
        : null,
      sslCaCertificate: c.sslCaCertificate,
    };
  }
}

function view(c: StoredKafkaConnection): KafkaConnectionView {
  const { sealedPassword, ...rest } = c;
  return { ...rest, hasSaslPassword: sealedPassword !== null };
}
