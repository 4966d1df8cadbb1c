import { useQuery } from '@tanstack/react-query';
import type {
  KafkaConnectionInput,
  KafkaConnectionView,
  LocalBrokerView,
  TopicSampleView,
} from '../../../contract/kafka.ts';
import { api } from './http.ts';

export type { KafkaConnectionInput, KafkaConnectionView, LocalBrokerView, TopicSampleView };

/** The local Kafka broker, connections and the topic browser, through the one typed client. */
export const kafkaApi = api.kafka;
export const kafkaKeys = {
  local: ['kafka', 'local'] as const,
  connections: ['kafka', 'connections'] as const,
  topics: (connection: string) => ['kafka', 'topics', connection] as const,
  sample: (connection: string, topic: string, limit: number) =>
    ['kafka', 'sample', connection, topic, limit] as const,
};
/** The broker's state, read every second while it starts or stops. */
export const useLocalBroker = () =>
  useQuery({
    queryKey: kafkaKeys.local,
    queryFn: kafkaApi.local,
    refetchInterval: (q) =>
      q.state.data?.state === 'starting' || q.state.data?.state === 'stopping' ? 1000 : 10_000,
  });
export const useKafkaConnections = () =>
  useQuery({ queryKey: kafkaKeys.connections, queryFn: kafkaApi.connections });
export const useTopics = (connection: string | null) =>
  useQuery({
    queryKey: kafkaKeys.topics(connection ?? ''),
    queryFn: () => kafkaApi.topics(connection!),
    enabled: connection !== null,
    retry: false,
  });
export const useTopicSample = (connection: string, topic: string | null, limit: number) =>
  useQuery({
    queryKey: kafkaKeys.sample(connection, topic ?? '', limit),
    queryFn: () => kafkaApi.sample(connection, topic!, limit),
    enabled: topic !== null,
    retry: false,
  });
