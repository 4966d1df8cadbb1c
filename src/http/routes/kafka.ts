import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { jobKafkaLag, kafka as K } from '../../contract/kafka.ts';

/** The local Kafka broker, Kafka connections and the topic browser (src/contract/kafka.ts). */
export const kafkaRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const k = platform.kafka;
    app.route({ ...K.local, handler: () => k.localStatus() });
    app.route({
      ...K.startLocal,
      handler: (req) => k.startLocal((line) => req.log.info({ kafka: 'local' }, line)),
    });
    app.route({ ...K.stopLocal, handler: () => k.stopLocal() });
    app.route({ ...K.connections, handler: () => k.connections() });
    app.route({ ...K.connection, handler: (req) => k.connection(req.params.name) });
    app.route({
      ...K.setConnection,
      handler: (req) => k.saveConnection(req.params.name, req.body),
    });
    app.route({
      ...K.deleteConnection,
      handler: async (req, reply) => {
        await k.deleteConnection(req.params.name);
        return reply.code(204).send(null);
      },
    });
    app.route({ ...K.topics, handler: (req) => k.topics(req.params.name) });
    app.route({ ...K.topic, handler: (req) => k.topic(req.params.name, req.params.topic) });
    app.route({
      ...K.sample,
      handler: (req) => k.sample(req.params.name, req.params.topic, req.query.limit),
    });
    app.route({ ...jobKafkaLag.kafkaLag, handler: (req) => platform.kafkaLag.read(req.params.name) });
  };
