import { message, type Message } from '../messages.ts';

/**
 * A Kafka cluster registered as a connection: where its brokers are and how to authenticate. The SASL
 * password is a secret: stored sealed, never returned.
 */

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The connection the local broker registers itself as. */
export const LOCAL_KAFKA_CONNECTION = 'local';

export interface KafkaConnection {
  name: string;
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  /** Set exactly when the protocol is SASL_*. */
  saslMechanism: SaslMechanism | null;
  saslUsername: string | null;
  /** PEM certificates that sign the brokers' certificates (SSL, SASL_SSL); null: the system's CAs. */
  sslCaCertificate: string | null;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface KafkaConnectionInput {
  bootstrapServers: string[];
  securityProtocol?: SecurityProtocol;
  saslMechanism?: SaslMechanism | null;
  saslUsername?: string | null;
  /** Plain text in, sealed before it is stored. */
  saslPassword?: string | null;
  sslCaCertificate?: string | null;
  description?: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/** One wrong setting of a connection: the field, and what is wrong and how to fix it. */
export interface ConnectionProblem {
  field: string;
  problem: Message;
}

/** What is wrong with a connection's settings, each naming the field and how to fix it; empty when valid. */
export function connectionProblems(input: KafkaConnectionInput): ConnectionProblem[] {
  const problems: ConnectionProblem[] = [];
  const at = (field: string, problem: Message) => problems.push({ field, problem });
  if (input.bootstrapServers.length === 0) at('bootstrapServers', message('kafka.noBroker'));
  for (const s of input.bootstrapServers) {
    const m = HOST_PORT.exec(s);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535) at('bootstrapServers', message('kafka.badBroker', { address: s }));
  }
  const protocol = input.securityProtocol ?? 'PLAINTEXT';
  const sasl = protocol.startsWith('SASL_');
  if (sasl) {
    if (!input.saslMechanism)
      at(
        'saslMechanism',
        message('kafka.saslMechanismNeeded', { protocol, mechanisms: SASL_MECHANISMS.join(', ') }),
      );
    if (!input.saslUsername) at('saslUsername', message('kafka.saslUserNeeded', { protocol }));
    if (!input.saslPassword) at('saslPassword', message('kafka.saslPasswordNeeded', { protocol }));
  } else if (input.saslMechanism || input.saslUsername || input.saslPassword)
    at('securityProtocol', message('kafka.saslWithoutSasl', { protocol }));
  if (input.sslCaCertificate && !protocol.endsWith('SSL'))
    at('sslCaCertificate', message('kafka.caWithoutSsl', { protocol }));
  if (input.sslCaCertificate && !input.sslCaCertificate.includes('-----BEGIN CERTIFICATE-----'))
    at('sslCaCertificate', message('kafka.caNotPem'));
  return problems;
}

/** Several problems as one message, each as `<field>: <problem>`, joined by '; '. */
export function problemsMessage(problems: ConnectionProblem[]): Message {
  const said = problems.map((p) => message('invalid.field', { field: p.field, problem: p.problem }));
  return said.reduceRight((rest, first) => message('kafka.problems', { first, rest }));
}

/**
 * The Kafka client properties a Flink table over this connection needs besides its brokers (the
 * connector's `properties.*`). The password is a reference to a Sluice secret variable, never its value.
 */
export function flinkClientProperties(c: KafkaConnection): Record<string, string> {
  if (c.securityProtocol === 'PLAINTEXT') return {};
  const props: Record<string, string> = { 'security.protocol': c.securityProtocol };
  if (c.saslMechanism) {
    const module =
      c.saslMechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    props['sasl.mechanism'] = c.saslMechanism;
    props['sasl.jaas.config'] =
      `${module} required username="${c.saslUsername ?? ''}" password="\${${passwordVariable(c.name)}}";`;
  }
  return props;
}

/** The secret variable a job's table over the connection reads the SASL password from. */
export const passwordVariable = (connection: string) =>
  `kafka_${connection.replace(/[^A-Za-z0-9_]/g, '_')}_password`;
