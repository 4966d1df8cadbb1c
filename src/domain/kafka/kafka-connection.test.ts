import { describe, expect, it } from 'vitest';
import { renderMessage } from '../messages.ts';
import {
  connectionProblems,
  problemsMessage,
  flinkClientProperties,
  type KafkaConnection,
} from './kafka-connection.ts';
import { renderServerProperties } from './local-broker-config.ts';

describe('Kafka connection settings', () => {
  it('accepts brokers as host:port and refuses anything else, naming the field', () => {
    expect(
      connectionProblems({ bootstrapServers: ['127.0.0.1:9092', 'b-1.example.com:19092', '[::1]:9092'] }),
    ).toEqual([]);
    expect(connectionProblems({ bootstrapServers: [] })[0]!.field).toBe('bootstrapServers');
    expect(renderMessage(connectionProblems({ bootstrapServers: ['broker'] })[0]!.problem)).toMatch(
      /'broker' is not host:port/,
    );
    expect(connectionProblems({ bootstrapServers: ['b:70000'] })).toHaveLength(1);
  });

  it('SASL needs a mechanism, user and password; SASL settings need a SASL protocol; a CA needs SSL', () => {
    expect(
      connectionProblems({ bootstrapServers: ['b:9092'], securityProtocol: 'SASL_SSL' }).map((p) => p.field),
    ).toEqual(['saslMechanism', 'saslUsername', 'saslPassword']);
    expect(
      connectionProblems({ bootstrapServers: ['b:9092'], saslUsername: 'u' }).map((p) => p.field),
    ).toEqual(['securityProtocol']);
    expect(
      renderMessage(
        connectionProblems({
          bootstrapServers: ['b:9092'],
          securityProtocol: 'SSL',
          sslCaCertificate: 'x',
        })[0]!.problem,
      ),
    ).toMatch(/not PEM/);
    expect(
      connectionProblems({
        bootstrapServers: ['b:9092'],
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'SCRAM-SHA-512',
        saslUsername: 'u',
        saslPassword: 'p',
      }),
    ).toEqual([]);
  });

  it('says every problem as a code, joined into one message field by field', () => {
    const problems = connectionProblems({ bootstrapServers: ['x'], securityProtocol: 'SASL_SSL' });
    expect(problems.map((p) => p.problem.code)).toEqual([
      'kafka.badBroker',
      'kafka.saslMechanismNeeded',
      'kafka.saslUserNeeded',
      'kafka.saslPasswordNeeded',
    ]);
    expect(renderMessage(problemsMessage(problems))).toBe(
      "bootstrapServers: 'x' is not host:port with a port from 1 to 65535 (e.g. broker-1.example.com:9092); " +
        'saslMechanism: SASL_SSL needs a SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; ' +
        'saslUsername: SASL_SSL needs a SASL user name; saslPassword: SASL_SSL needs a SASL password',
    );
    expect(renderMessage(problemsMessage(problems.slice(0, 1)))).toMatch(/^bootstrapServers: 'x' is not/);
  });

  it("a table's client properties name the password as a secret variable, never its value", () => {
    const c: KafkaConnection = {
      name: 'prod-eu',
      bootstrapServers: ['b:9092'],
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'SCRAM-SHA-256',
      saslUsername: 'flink',
      sslCaCertificate: null,
      description: '',
      createdAt: '',
      updatedAt: '',
    };
    expect(flinkClientProperties(c)).toEqual({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="flink" password="${kafka_prod_eu_password}";',
    });
    expect(flinkClientProperties({ ...c, securityProtocol: 'PLAINTEXT', saslMechanism: null })).toEqual({});
  });
});

describe('the local broker configuration', () => {
  it('is one KRaft node, broker and controller, on loopback, with internal topics of one replica', () => {
    const p = renderServerProperties({ port: 19092, controllerPort: 19093, dataDir: '/h/kafka/local/data' });
    for (const line of [
      'process.roles=broker,controller',
      'controller.quorum.voters=1@127.0.0.1:19093',
      'listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners=PLAINTEXT://127.0.0.1:19092',
      'log.dirs=/h/kafka/local/data',
      'offsets.topic.replication.factor=1',
    ])
      expect(p.split('\n')).toContain(line);
  });
});
