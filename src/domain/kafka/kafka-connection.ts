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

/** What is wrong with a connection's settings, each naming the field and how to fix it; empty when valid. */
export function connectionProblems(input: KafkaConnectionInput): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (input.bootstrapServers.length === 0)
    problems.push({
      field: 'bootstrapServers',
      problem: 'at least one broker address is needed, as host:port (e.g. 127.0.0.1:9092)',
    });
  for (const s of input.bootstrapServers) {
    const m = HOST_PORT.exec(s);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535)
      problems.push({
        field: 'bootstrapServers',
        problem: `'${s}' is not host:port with a port from 1 to 65535 (e.g. broker-1.example.com:9092)`,
      });
  }
  const protocol = input.securityProtocol ?? 'PLAINTEXT';
  const sasl = protocol.startsWith('SASL_');
  if (sasl) {
    if (!input.saslMechanism)
      problems.push({
        field: 'saslMechanism',
        problem: `${protocol} needs a SASL mechanism: ${SASL_MECHANISMS.join(', ')}`,
      });
    if (!input.saslUsername)
      problems.push({ field: 'saslUsername', problem: `${protocol} needs a SASL user name` });
    if (!input.saslPassword)
      problems.push({ field: 'saslPassword', problem: `${protocol} needs a SASL password` });
  } else if (input.saslMechanism || input.saslUsername || input.saslPassword)
    problems.push({
      field: 'securityProtocol',
      problem: `SASL settings were given with security protocol ${protocol}: use SASL_PLAINTEXT or SASL_SSL, or leave them out`,
    });
  if (input.sslCaCertificate && !protocol.endsWith('SSL'))
    problems.push({
      field: 'sslCaCertificate',
      problem: `a CA certificate was given with security protocol ${protocol}: use SSL or SASL_SSL`,
    });
  if (input.sslCaCertificate && !input.sslCaCertificate.includes('-----BEGIN CERTIFICATE-----'))
    problems.push({
      field: 'sslCaCertificate',
      problem: 'the CA certificate is not PEM text (-----BEGIN CERTIFICATE----- ...)',
    });
  return problems;
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
