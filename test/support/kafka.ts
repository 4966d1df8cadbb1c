import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';

/**
 * kafkajs's admin and producer on a local broker for `use` (topics created, messages produced),
 * disconnected afterwards, also when it fails.
 */
export async function withKafka(
  port: number,
  use: (k: { admin: Admin; producer: Producer }) => Promise<void>,
): Promise<void> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await admin.connect();
  await producer.connect();
  try {
    await use({ admin, producer });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}
