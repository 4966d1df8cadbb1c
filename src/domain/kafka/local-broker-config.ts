/** The configuration of the local Kafka broker: one KRaft node that is both broker and controller. */
export interface LocalBrokerSpec {
  /** Where clients connect (PLAINTEXT, loopback). */
  port: number;
  /** The KRaft controller's listener (loopback). */
  controllerPort: number;
  dataDir: string;
}

/** server.properties of a single-node KRaft cluster on loopback, its internal topics of one replica. */
export function renderServerProperties(spec: LocalBrokerSpec): string {
  const props: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${spec.controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${spec.port},CONTROLLER://127.0.0.1:${spec.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${spec.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', spec.dataDir],
    ['num.partitions', 1],
    // One broker: the internal topics cannot have more replicas than brokers.
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    // Consumers of a local broker (samples, tests) should not wait 3 s for a group to settle.
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'true'],
  ];
  return `# Written by Sluice for its local Kafka broker; rewritten at each start.\n${props.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** Log4j 2 configuration: the broker's log in one rolling file named by a system property. */
export function renderLog4j2Properties(): string {
  return `# Written by Sluice for its local Kafka broker.
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = \${sys:sluice.log.file}
appender.file.filePattern = \${sys:sluice.log.file}.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.apache.name = org.apache.kafka
logger.apache.level = info
`;
}
