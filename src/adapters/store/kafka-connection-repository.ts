import type { Kysely, Selectable } from 'kysely';
import type { SaslMechanism, SecurityProtocol } from '../../domain/kafka/kafka-connection.ts';
import type { KafkaConnectionStore, StoredKafkaConnection } from '../../application/ports/store.ts';
import type { Database, KafkaConnectionsTable } from './schema.ts';

const toConnection = (r: Selectable<KafkaConnectionsTable>): StoredKafkaConnection => ({
  name: r.name,
  bootstrapServers: JSON.parse(r.bootstrap_servers) as string[],
  securityProtocol: r.security_protocol as SecurityProtocol,
  saslMechanism: r.sasl_mechanism as SaslMechanism | null,
  saslUsername: r.sasl_username,
  sealedPassword: r.sasl_password,
  sslCaCertificate: r.ssl_ca_certificate,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Kafka clusters registered as connections. */
export class KafkaConnectionRepository implements KafkaConnectionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<StoredKafkaConnection[]> {
    return (await this.db.selectFrom('kafka_connections').selectAll().orderBy('name').execute()).map(
      toConnection,
    );
  }

  async get(name: string): Promise<StoredKafkaConnection | undefined> {
    const r = await this.db
      .selectFrom('kafka_connections')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r && toConnection(r);
  }

  async save(c: Omit<StoredKafkaConnection, 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = new Date().toISOString();
    const row = {
      bootstrap_servers: JSON.stringify(c.bootstrapServers),
      security_protocol: c.securityProtocol,
      sasl_mechanism: c.saslMechanism,
      sasl_username: c.saslUsername,
      sasl_password: c.sealedPassword,
      ssl_ca_certificate: c.sslCaCertificate,
      description: c.description,
      updated_at: now,
    };
    await this.db
      .insertInto('kafka_connections')
      .values({ name: c.name, ...row, created_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  async delete(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('kafka_connections').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
