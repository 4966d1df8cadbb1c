import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaConnectionView, LocalBrokerView, TopicSampleView } from '../../api/kafka.ts';
import { kafkaKeys } from '../../api/kafka.ts';
import i18n from '../../i18n/index.ts';
import { KafkaPage } from './KafkaPage.tsx';
import { TopicSample } from './TopicBrowser.tsx';

const broker: LocalBrokerView = {
  state: 'running',
  kafkaVersion: '4.1.1',
  bootstrapServers: '127.0.0.1:9092',
  pid: 4242,
  restarts: 0,
  startedAt: '2026-12-03T10:00:00Z',
  logFile: '/home/s/kafka/local/log/broker.log',
  dataDir: '/home/s/kafka/local/data',
};
const prod: KafkaConnectionView = {
  name: 'prod',
  bootstrapServers: ['b1:9093', 'b2:9093'],
  securityProtocol: 'SASL_SSL',
  saslMechanism: 'PLAIN',
  saslUsername: 'flink',
  hasSaslPassword: true,
  sslCaCertificate: null,
  description: '',
  createdAt: '2026-12-03T00:00:00Z',
  updatedAt: '2026-12-03T00:00:00Z',
};
const sample: TopicSampleView = {
  connection: 'local',
  topic: 'orders',
  messages: [
    { partition: 1, offset: 7, key: 'k-7', value: '{"id":7}', timestamp: '2026-12-03T10:00:01Z' },
    { partition: 0, offset: 3, key: null, value: '\u0000\uFFFDraw', timestamp: '2026-12-03T10:00:00Z' },
  ],
  table: {
    table: 'orders',
    format: 'json',
    sampled: 2,
    ddl: "CREATE TABLE `orders` (\n  `id` BIGINT\n) WITH ('connector' = 'kafka');",
    columns: [{ name: 'id', type: 'BIGINT' }],
  },
  tableProblem: null,
  tableProblemMessage: null,
};

/** The page as the server would first draw it, with the API's answers already in the cache. */
function render(node: React.ReactNode, seed: (q: QueryClient) => void): string {
  const client = new QueryClient();
  seed(client);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>{node}</MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the Kafka page', () => {
  afterEach(() => void i18n.changeLanguage('en'));

  const seed = (admin: boolean) => (q: QueryClient) => {
    // Who the console runs as: connections and the local broker are changed by platform admins.
    q.setQueryData(['me'], { name: 'ada', admin, spaces: [] });
    q.setQueryData(kafkaKeys.local, broker);
    q.setQueryData(kafkaKeys.connections, [prod]);
  };

  it('offers the change buttons to platform admins only: anyone else browses', () => {
    const admin = render(<KafkaPage />, seed(true));
    const user = render(<KafkaPage />, seed(false));
    for (const id of [
      'kafka-connection-new',
      'kafka-connection-edit',
      'kafka-connection-delete',
      'kafka-broker-stop',
    ]) {
      expect(admin, id).toContain(`data-testid="${id}"`);
      expect(user, id).not.toContain(`data-testid="${id}"`);
    }
    expect(user).toContain('data-testid="kafka-browse"');
  });

  it('shows the local broker and the connections, the SASL password only as masked', () => {
    const html = render(<KafkaPage />, (q) => {
      q.setQueryData(['me'], { name: 'ada', admin: true, spaces: [] });
      q.setQueryData(kafkaKeys.local, broker);
      q.setQueryData(kafkaKeys.connections, [
        prod,
        {
          ...prod,
          name: 'local',
          securityProtocol: 'PLAINTEXT',
          saslMechanism: null,
          saslUsername: null,
          hasSaslPassword: false,
        },
      ]);
    });
    expect(html).toContain('data-state="running"');
    expect(html).toContain('4.1.1');
    expect(html).toContain('b1:9093, b2:9093');
    expect(html).toContain('SASL_SSL · PLAIN · user flink · password ******');
    // The local broker's connection is its own: deleted, never edited.
    expect(html.match(/data-testid="kafka-connection-delete"/g)).toHaveLength(2);
    expect(html.match(/data-testid="kafka-connection-edit"/g)).toHaveLength(1);
    // The running broker can be stopped, not started again.
    expect(html).toMatch(/data-testid="kafka-broker-start"[^>]*disabled=""/);
    expect(html).not.toMatch(/data-testid="kafka-broker-stop"[^>]*disabled=""/);
  });

  it('shows a sample: each message with its partition and offset, binary marked, and the CREATE TABLE', () => {
    const html = render(<TopicSample connection="local" topic="orders" />, (q) =>
      q.setQueryData(kafkaKeys.sample('local', 'orders', 10), sample),
    );
    expect(html).toContain('{&quot;id&quot;:7}');
    expect(html).toContain('k-7');
    expect(html).toContain('data-testid="kafka-binary"');
    expect(html).toContain('CREATE TABLE inferred from 2 JSON value(s)');
    expect(html).toContain('CREATE TABLE `orders`');
    expect(html).toContain('data-testid="kafka-new-job"');
  });

  it("says why no table was inferred, in the console's language", async () => {
    await i18n.changeLanguage('zh-CN');
    const html = render(<TopicSample connection="local" topic="orders" />, (q) =>
      q.setQueryData(kafkaKeys.sample('local', 'orders', 10), {
        ...sample,
        messages: [],
        table: null,
        tableProblem: "topic 'orders' has no sampled message with a value",
        tableProblemMessage: { code: 'kafka.noValueToInfer', params: { topic: 'orders' } },
      }),
    );
    expect(html).toContain('无法推断 CREATE TABLE');
    expect(html).toContain('主题「orders」的采样消息中没有可推断表结构的值');
    expect(html).not.toContain('data-testid="kafka-new-job"');
  });
});
