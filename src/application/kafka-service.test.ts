import { describe, expect, it } from 'vitest';
import { SluiceError } from '../domain/errors.ts';
import { KafkaService } from './kafka-service.ts';
import type {
  KafkaBrowser,
  KafkaEndpoint,
  LocalBroker,
  LocalBrokerStatus,
  SampledMessage,
} from './ports/kafka.ts';
import type { KafkaConnectionStore, StoredKafkaConnection } from './ports/store.ts';

/** The port as a map, sealing as a visible wrapper, a browser that serves the given messages. */
function service(
  messages: SampledMessage[] = [],
  state: LocalBrokerStatus['state'] = 'stopped',
  committed: { partition: number; offset: number }[] = [],
) {
  const rows = new Map<string, StoredKafkaConnection>();
  const store: KafkaConnectionStore = {
    list: async () => [...rows.values()],
    get: async (n) => rows.get(n),
    save: async (c) => void rows.set(c.name, { ...c, createdAt: 't', updatedAt: 't' }),
    delete: async (n) => rows.delete(n),
  };
  const reached: KafkaEndpoint[] = [];
  const browser: KafkaBrowser = {
    listTopics: async (e) => (reached.push(e), []),
    sampleTopic: async (e) => (reached.push(e), messages),
    committedOffsets: async (e) => (reached.push(e), committed),
    topicNames: async (e) => (reached.push(e), []),
    partitionOffsets: async (e) => (reached.push(e), { ends: [], committed: [] }),
  };
  const status: LocalBrokerStatus = {
    state,
    kafkaVersion: '4.1.1',
    bootstrapServers: '127.0.0.1:19092',
    pid: null,
    restarts: 0,
    startedAt: null,
    logFile: '/h/kafka/local/log/broker.log',
    dataDir: '/h/kafka/local/data',
  };
  const broker: LocalBroker = {
    bootstrapServers: '127.0.0.1:19092',
    start: async () => void (status.state = 'running'),
    stop: async () => void (status.state = 'stopped'),
    status: async () => ({ ...status }),
  };
  const sealer = { seal: (p: string) => `sealed(${p})`, open: (s: string) => s.slice(7, -1) };
  return { kafka: new KafkaService(store, sealer, browser, broker), rows, reached };
}

const sasl = {
  bootstrapServers: ['b1:9093'],
  securityProtocol: 'SASL_SSL' as const,
  saslMechanism: 'PLAIN' as const,
  saslUsername: 'flink',
  saslPassword: 'pass-word-1',
};

describe('Kafka connections', () => {
  it('seal the password, never show it, keep it when a change leaves it out, and open it to connect', async () => {
    const { kafka, rows, reached } = service();
    const saved = await kafka.saveConnection('prod', sasl);
    expect(saved).not.toHaveProperty('sealedPassword');
    expect(saved.hasSaslPassword).toBe(true);
    expect(rows.get('prod')!.sealedPassword).toBe('sealed(pass-word-1)');
    await kafka.saveConnection('prod', { ...sasl, saslPassword: undefined, bootstrapServers: ['b2:9093'] });
    expect(rows.get('prod')!.sealedPassword).toBe('sealed(pass-word-1)');
    await kafka.topics('prod');
    expect(reached[0]).toMatchObject({ bootstrapServers: ['b2:9093'], saslPassword: 'pass-word-1' });
  });

  it('refuse bad settings naming each field, a bad name, and the name local; nothing is saved', async () => {
    const { kafka, rows } = service();
    const refused = await kafka
      .saveConnection('prod', { bootstrapServers: ['nohost'], securityProtocol: 'SASL_SSL' })
      .catch((e: SluiceError) => e);
    expect(refused).toBeInstanceOf(SluiceError);
    expect((refused as SluiceError).code).toBe('invalid_argument');
    expect((refused as SluiceError).message).toMatch(
      /bootstrapServers: 'nohost'.*saslMechanism.*saslUsername.*saslPassword/,
    );
    await expect(kafka.saveConnection('no spaces', { bootstrapServers: ['b:1'] })).rejects.toThrow(
      /not a Kafka connection name/,
    );
    await expect(kafka.saveConnection('local', { bootstrapServers: ['b:1'] })).rejects.toThrow(
      /local broker's/,
    );
    expect(rows.size).toBe(0);
    await expect(kafka.topics('absent')).rejects.toThrow(/does not exist: list them/);
  });

  it('the local broker registers itself as local, which cannot be removed while it runs', async () => {
    const { kafka } = service();
    expect((await kafka.startLocal()).state).toBe('running');
    expect(await kafka.connection('local')).toMatchObject({ bootstrapServers: ['127.0.0.1:19092'] });
    await expect(kafka.deleteConnection('local')).rejects.toThrow(/stop it first/);
    await kafka.stopLocal();
    await kafka.deleteConnection('local');
    expect(await kafka.connections()).toEqual([]);
  });
});

describe('a sample', () => {
  const message = (value: string | null, offset: number): SampledMessage => ({
    partition: 0,
    offset,
    key: null,
    value,
    timestamp: '2026-12-03T12:00:00.000Z',
  });

  it("infers the table with the connection's brokers and SASL properties, the password as a variable", async () => {
    const { kafka } = service([message('{"id":1}', 0)]);
    await kafka.saveConnection('prod', sasl);
    const s = await kafka.sample('prod', 'orders', 5);
    expect(s.tableProblem).toBeNull();
    expect(s.table!.ddl).toContain("'properties.bootstrap.servers' = 'b1:9093'");
    expect(s.table!.ddl).toContain('password="${kafka_prod_password}"');
    expect(s.table!.ddl).not.toContain('pass-word-1');
    expect(s.table!.columns).toEqual([{ name: 'id', type: 'BIGINT' }]);
  });

  it('says why when no table can be inferred, and refuses a limit out of range', async () => {
    const { kafka } = service([message(null, 0)]);
    await kafka.saveConnection('dev', { bootstrapServers: ['b:9092'] });
    const s = await kafka.sample('dev', 'orders');
    expect(s.table).toBeNull();
    expect(s.tableProblem).toMatch(/no sampled message with a value/);
    expect(s.tableProblemMessage).toEqual({ code: 'kafka.noValueToInfer', params: { topic: 'orders' } });
    await expect(kafka.sample('dev', 'orders', 0)).rejects.toThrow(
      /limit 0 is not a whole number from 1 to 500/,
    );
  });
});
