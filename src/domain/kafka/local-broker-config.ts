/** The configuration of the local Kafka broker: one KRaft node that is both broker and controller. */
export interface LocalBrokerSpec {
  /** Where clients connect (PLAINTEXT, loopback). */
  port: number;
  /** The KRaft controller's listener (loopback). */
  controllerPort: number;
  dataDir: string;
  /**
   * A second listener (EXTERNAL) for clients elsewhere, such as Kubernetes pods, that reach this
   * machine at another address than its loopback: bound at `listen`, told to clients as `advertised`
   * (a Kafka client connects to the address its listener advertises, not the one it bootstrapped
   * with). Null: loopback only.
   */
  external?: ExternalListener | null;
}

export interface ExternalListener {
  /** `host:port` the listener binds (`0.0.0.0:9094`, or loopback behind a forwarder). */
  listen: string;
  /** `host:port` its clients reach it at. */
  advertised: string;
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/**
 * The external listener of SLUICE_KAFKA_EXTERNAL_LISTENER and SLUICE_KAFKA_EXTERNAL_ADVERTISED (both
 * `host:port`, both or neither), or a refusal saying which is wrong and how to write it.
 */
export function parseExternalListener(
  listen: string | undefined,
  advertised: string | undefined,
): ExternalListener | null {
  const l = listen?.trim() ?? '';
  const a = advertised?.trim() ?? '';
  if (!l && !a) return null;
  if (!l || !a)
    throw new Error(
      `SLUICE_KAFKA_EXTERNAL_LISTENER and SLUICE_KAFKA_EXTERNAL_ADVERTISED go together: the address the local broker's second listener binds (e.g. 0.0.0.0:9094) and the one its clients reach (e.g. 10.0.0.5:9094); set both or neither`,
    );
  for (const [variable, value] of [
    ['SLUICE_KAFKA_EXTERNAL_LISTENER', l],
    ['SLUICE_KAFKA_EXTERNAL_ADVERTISED', a],
  ] as const)
    if (!HOST_PORT.test(value) || Number(value.split(':')[1]) > 65535)
      throw new Error(`${variable}=${value} is not host:port (e.g. 10.0.0.5:9094)`);
  return { listen: l, advertised: a };
}

/** server.properties of a single-node KRaft cluster on loopback, its internal topics of one replica. */
export function renderServerProperties(spec: LocalBrokerSpec): string {
  const ext = spec.external ?? null;
  const props: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${spec.controllerPort}`],
    [
      'listeners',
      `PLAINTEXT://127.0.0.1:${spec.port},CONTROLLER://127.0.0.1:${spec.controllerPort}${ext ? `,EXTERNAL://${ext.listen}` : ''}`,
    ],
    [
      'advertised.listeners',
      `PLAINTEXT://127.0.0.1:${spec.port}${ext ? `,EXTERNAL://${ext.advertised}` : ''}`,
    ],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    [
      'listener.security.protocol.map',
      `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${ext ? ',EXTERNAL:PLAINTEXT' : ''}`,
    ],
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
