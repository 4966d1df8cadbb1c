import { describe, expect, it } from 'vitest';
import type { KafkaConnectionView } from '../../../contract/kafka.ts';
import { renderMessage, type Message } from '../../../domain/messages.ts';
import {
  connectionSecurity,
  jobNameFor,
  kafkaConnectionInput,
  kafkaConnectionValues,
  newJobFromTable,
  partitionRows,
  problemsByField,
  shownValue,
} from './kafka.ts';

const stored: KafkaConnectionView = {
  name: 'prod',
  bootstrapServers: ['b1:9093', 'b2:9093'],
  securityProtocol: 'SASL_SSL',
  saslMechanism: 'SCRAM-SHA-256',
  saslUsername: 'flink',
  hasSaslPassword: true,
  sslCaCertificate: null,
  description: 'EU',
  createdAt: '2026-12-03T00:00:00Z',
  updatedAt: '2026-12-03T00:00:00Z',
};
const t = (k: string, o?: Record<string, unknown>) => (o ? `${k}${JSON.stringify(o)}` : k);

describe('the Kafka page models', () => {
  it('turns the form into the API input: brokers split, SASL only with a SASL protocol, an empty password kept', () => {
    expect(
      kafkaConnectionInput({
        ...kafkaConnectionValues(stored),
        bootstrapServers: ' b1:9093,b2:9093  b3:9093 ',
      }),
    ).toEqual({
      bootstrapServers: ['b1:9093', 'b2:9093', 'b3:9093'],
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'SCRAM-SHA-256',
      saslUsername: 'flink',
      sslCaCertificate: null,
      description: 'EU',
    });
    expect(
      kafkaConnectionInput({ ...kafkaConnectionValues(stored), saslPassword: ' s3cret ' }).saslPassword,
    ).toBe('s3cret');
    // Back to PLAINTEXT: the SASL settings go, the stored password with them.
    expect(
      kafkaConnectionInput({
        ...kafkaConnectionValues(stored),
        securityProtocol: 'PLAINTEXT',
        saslPassword: 'x',
      }),
    ).toMatchObject({ saslMechanism: null, saslUsername: null, saslPassword: null });
    expect(kafkaConnectionValues(stored).saslPassword).toBe('');
    expect(kafkaConnectionValues(null)).toMatchObject({
      bootstrapServers: '',
      securityProtocol: 'PLAINTEXT',
    });
  });

  it('shows the authentication with the password masked, never a value', () => {
    expect(connectionSecurity(stored, t)).toBe(
      'SASL_SSL · SCRAM-SHA-256 · kafka.user{"user":"flink"} · kafka.passwordMasked',
    );
    expect(
      connectionSecurity(
        {
          ...stored,
          securityProtocol: 'PLAINTEXT',
          saslMechanism: null,
          saslUsername: null,
          hasSaslPassword: false,
        },
        t,
      ),
    ).toBe('PLAINTEXT');
  });

  it("puts each refused setting at its field, in the console's language when it has a code", () => {
    const coded: Message = { code: 'kafka.saslUserNeeded', params: { protocol: 'SASL_SSL' } };
    const byField = problemsByField(
      (k, o) =>
        k === 'msg.kafka.saslUserNeeded' ? '{{protocol}} 需要 SASL 用户名' : String(o?.defaultValue ?? k),
      {
        problems: [
          { field: 'saslUsername', problem: renderMessage(coded), message: coded },
          { field: 'bootstrapServers', problem: "'x' is not host:port" },
          { field: 'bootstrapServers', problem: "'y' is not host:port" },
          { field: 'elsewhere', problem: 'not a field of the form' },
        ],
      },
      ['saslUsername', 'bootstrapServers'],
    );
    expect(byField).toEqual({
      saslUsername: ['SASL_SSL 需要 SASL 用户名'],
      bootstrapServers: ["'x' is not host:port", "'y' is not host:port"],
    });
    expect(problemsByField(t, {}, ['name'])).toEqual({});
  });

  it('says when a value is not text', () => {
    expect(shownValue('{"id":1}\n')).toEqual({ text: '{"id":1}\n', binary: false });
    expect(shownValue('\u0000\u0001abc').binary).toBe(true);
    expect(shownValue('ab\uFFFDc').binary).toBe(true);
    expect(shownValue(null)).toEqual({ text: '', binary: false });
  });

  it('opens a new job with the CREATE TABLE, a print table of its columns and the INSERT', () => {
    const job = newJobFromTable({
      table: 'shop_orders',
      format: 'json',
      sampled: 3,
      ddl: "CREATE TABLE `shop_orders` (\n  `id` BIGINT\n) WITH (\n  'connector' = 'kafka'\n);",
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'item`s', type: 'ROW<`n` STRING>' },
      ],
    });
    expect(job.name).toBe('shop-orders-job');
    expect(job.sql).toBe(`CREATE TABLE \`shop_orders\` (
  \`id\` BIGINT
) WITH (
  'connector' = 'kafka'
);

-- Where the rows go: a print table to start from; replace its connector with your sink.
CREATE TABLE \`shop_orders_out\` (
  \`id\` BIGINT,
  \`item\`\`s\` ROW<\`n\` STRING>
) WITH (
  'connector' = 'print'
);

INSERT INTO \`shop_orders_out\`
SELECT
  \`id\`,
  \`item\`\`s\`
FROM \`shop_orders\`;
`);
    expect(jobNameFor('t_2024_Events__')).toBe('t-2024-events-job');
    expect(jobNameFor('___')).toBe('topic-job');
    expect(jobNameFor('x'.repeat(80))).toMatch(/^x{55}-job$/);
  });

  it('orders partitions and counts what each keeps', () => {
    expect(
      partitionRows([
        { partition: 1, leader: 1, replicas: 1, low: 5, high: 9 },
        { partition: 0, leader: 1, replicas: 1, low: 0, high: 0 },
      ]).map((p) => [p.partition, p.messages]),
    ).toEqual([
      [0, 0],
      [1, 4],
    ]);
  });
});
