import { jobKafkaLag, kafka as K, type KafkaConnectionInput } from '../contract/kafka.ts';
import type { Transport } from './http.ts';

/** The local Kafka broker, Kafka connections and the topic browser. */
export const kafkaClient = (t: Transport) => ({
  local: () => t.call(K.local, {}),
  /** Answers once the broker serves clients; the first start fetches Kafka with Maven. */
  startLocal: () => t.call(K.startLocal, {}),
  stopLocal: () => t.call(K.stopLocal, {}),
  connections: () => t.call(K.connections, {}),
  connection: (name: string) => t.call(K.connection, { params: { name } }),
  setConnection: (name: string, body: KafkaConnectionInput) =>
    t.call(K.setConnection, { params: { name }, body }),
  deleteConnection: (name: string) => t.call(K.deleteConnection, { params: { name } }),
  topics: (name: string) => t.call(K.topics, { params: { name } }),
  topic: (name: string, topic: string) => t.call(K.topic, { params: { name, topic } }),
  sample: (name: string, topic: string, limit?: number) =>
    t.call(K.sample, { params: { name, topic }, query: limit === undefined ? {} : { limit } }),
  /** Consumer lag of a job's Kafka sources: the broker's committed offsets and Flink's metrics. */
  jobLag: (job: string) => t.call(jobKafkaLag.kafkaLag, { params: { name: job } }),
});
