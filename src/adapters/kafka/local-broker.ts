import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import {
  renderLog4j2Properties,
  renderServerProperties,
  type LocalBrokerSpec,
} from '../../domain/kafka/local-broker-config.ts';
import { LocalFlinkProcesses, sleep, type ClusterEventSink } from '../flink/local-cluster/local-processes.ts';
import { runProcess } from '../system/child-process.ts';
import { findJava } from '../system/prerequisites.ts';
import { answers } from './kafka-client.ts';
import type {
  KafkaEndpoint,
  LocalBroker,
  LocalBrokerState,
  LocalBrokerStatus,
} from '../../application/ports/kafka.ts';
import type { KafkaDistribution } from './kafka-provisioner.ts';

const READY_TIMEOUT_MS = 120_000;

/**
 * The local Kafka broker: one JVM (KRaft, broker and controller in one) under `root`
 * (SLUICE_HOME/kafka/<name>), with its configuration in conf/, data in data/, logs in log/ and its
 * pid file in run/. Supervised like the local Flink clusters (the same process supervision): restarted
 * with back-off when it dies, adopted by a platform started again, stopped with SIGTERM.
 */
export class LocalKafkaBroker implements LocalBroker {
  private readonly processes: LocalFlinkProcesses<'broker'>;
  private phase: 'idle' | 'starting' | 'stopping' = 'idle';
  readonly dirs: { conf: string; data: string; log: string; run: string };
  /** The provisioned jars, known once a start has them. */
  private classpath: string[] = [];

  constructor(
    readonly root: string,
    readonly spec: Omit<LocalBrokerSpec, 'dataDir'>,
    private readonly dist: (progress: (line: string) => void) => Promise<KafkaDistribution>,
    private readonly java: string,
    onEvent: ClusterEventSink = () => {},
  ) {
    this.dirs = {
      conf: path.join(root, 'conf'),
      data: path.join(root, 'data'),
      log: path.join(root, 'log'),
      run: path.join(root, 'run'),
    };
    this.processes = new LocalFlinkProcesses<'broker'>(
      root,
      this.dirs,
      [{ id: 'broker', role: 'broker', restartable: true }],
      java,
      (_p, logFile) => [
        '-Xms256m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        // What Kafka's kafka-run-class.sh adds from the environment, after its own flags.
        ...(process.env.KAFKA_OPTS ?? '').split(/\s+/).filter(Boolean),
        ...this.logArgs(logFile),
        '-cp',
        this.classpath.join(':'),
        'kafka.Kafka',
        path.join(this.dirs.conf, 'server.properties'),
      ],
      process.env,
      onEvent,
    );
  }

  get bootstrapServers(): string {
    return `127.0.0.1:${this.spec.port}`;
  }

  get endpoint(): KafkaEndpoint {
    return {
      name: 'local',
      bootstrapServers: [this.bootstrapServers],
      securityProtocol: 'PLAINTEXT',
      saslMechanism: null,
      saslUsername: null,
      saslPassword: null,
      sslCaCertificate: null,
    };
  }

  /**
   * Provisions Kafka when needed, formats the data folder once (`kafka-storage format`), starts (or
   * adopts) the broker and waits until it answers a metadata request. A start that fails stops what it
   * started and says why with the broker's last log lines.
   */
  async start(progress: (line: string) => void = () => {}): Promise<void> {
    if (this.phase !== 'idle')
      throw new SluiceError(
        'conflict',
        message(this.phase === 'starting' ? 'kafka.brokerStarting' : 'kafka.brokerStopping'),
      );
    this.phase = 'starting';
    try {
      // Kafka 4 brokers need Java 17 or later.
      const java = findJava();
      if (java.major < 17)
        throw new SluiceError(
          'prerequisite_missing',
          message('kafka.javaTooOld', { java: java.path, major: java.major }),
          { prerequisite: 'java' },
        );
      const dist = await this.dist(progress);
      this.classpath = dist.classpath;
      for (const d of Object.values(this.dirs)) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(
        path.join(this.dirs.conf, 'server.properties'),
        renderServerProperties({ ...this.spec, dataDir: this.dirs.data }),
      );
      fs.writeFileSync(path.join(this.dirs.conf, 'log4j2.properties'), renderLog4j2Properties());
      this.processes.adoptOrClean(progress);
      if (!this.processes.alive()) {
        await this.checkPorts();
        await this.format(dist, progress);
      }
      this.processes.startMissing(progress);
      await this.waitReady(progress);
      progress(`the local Kafka broker ${dist.version} answers at ${this.bootstrapServers}`);
    } catch (e) {
      await this.processes.stop(['broker']);
      throw e;
    } finally {
      this.phase = 'idle';
    }
  }

  async stop(): Promise<void> {
    this.phase = 'stopping';
    try {
      await this.processes.stop(['broker']);
    } finally {
      this.phase = 'idle';
    }
  }

  /** True when a broker process of this folder is alive (by pid file or marker). */
  static hasLiveProcess(root: string): boolean {
    return LocalFlinkProcesses.anyAlive(root);
  }

  async status(): Promise<LocalBrokerStatus> {
    const [p] = this.processes.statuses();
    const alive = !!p?.alive;
    const state: LocalBrokerState =
      this.phase === 'starting'
        ? 'starting'
        : this.phase === 'stopping'
          ? 'stopping'
          : !alive
            ? 'stopped'
            : (await answers(this.endpoint))
              ? 'running'
              : 'degraded';
    return {
      state,
      kafkaVersion: this.versionInstalled(),
      bootstrapServers: this.bootstrapServers,
      pid: alive ? (p?.pid ?? null) : null,
      restarts: p?.restarts ?? 0,
      startedAt: alive ? (p?.startedAt ?? null) : null,
      logFile: this.processes.logFile({ id: 'broker' }),
      dataDir: this.dirs.data,
    };
  }

  /** The broker's own log file: Log4j 2 (as Kafka's scripts set it up) writing to the file supervision names. */
  private logArgs(logFile: string): string[] {
    return [
      `-Dsluice.log.file=${logFile}`,
      `-Dlog4j2.configurationFile=file:${path.join(this.dirs.conf, 'log4j2.properties')}`,
    ];
  }

  private versionInstalled(): string | null {
    try {
      return fs.readFileSync(path.join(this.dirs.data, '.sluice-kafka-version'), 'utf8').trim() || null;
    } catch {
      return null;
    }
  }

  /** KRaft needs its log folder formatted with a cluster id once; a formatted folder is kept. */
  private async format(dist: KafkaDistribution, progress: (line: string) => void): Promise<void> {
    fs.writeFileSync(path.join(this.dirs.data, '.sluice-kafka-version'), dist.version);
    if (fs.existsSync(path.join(this.dirs.data, 'meta.properties'))) return;
    // A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, drawn again when it
    // starts with '-' (1 in 64), which kafka-storage's argument parser takes for an option (Kafka's
    // own Uuid.randomUuid avoids them for that reason).
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    progress(`formatting ${this.dirs.data} for KRaft (cluster id ${clusterId})`);
    const r = await runProcess(
      this.java,
      [
        ...this.logArgs(path.join(this.dirs.log, 'format.log')),
        '-cp',
        dist.classpath.join(':'),
        'kafka.tools.StorageTool',
        'format',
        '--cluster-id',
        clusterId,
        '--config',
        path.join(this.dirs.conf, 'server.properties'),
        '--ignore-formatted',
      ],
      { cwd: this.root, env: process.env, timeoutMs: 120_000 },
    );
    if (r.code !== 0)
      throw new SluiceError(
        'internal',
        message(r.timedOut ? 'kafka.formatTimedOut' : 'kafka.formatFailed', {
          dataDir: this.dirs.data,
          exit: String(r.code),
          output: r.lines.slice(-5).join(' | '),
          logFile: path.join(this.dirs.log, 'format.log'),
        }),
      );
  }

  private async checkPorts(): Promise<void> {
    const external = this.spec.external ? Number(this.spec.external.listen.split(':')[1]) : null;
    for (const [field, port] of [
      ['SLUICE_KAFKA_PORT', this.spec.port],
      ['SLUICE_KAFKA_CONTROLLER_PORT', this.spec.controllerPort],
      ...(external === null ? [] : [['SLUICE_KAFKA_EXTERNAL_LISTENER', external] as const]),
    ] as const)
      if (!(await portFree(port)))
        throw new SluiceError('conflict', message('kafka.portTaken', { port, field }), { field, port });
  }

  private async waitReady(progress: (line: string) => void): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    progress(`waiting for the broker to answer at ${this.bootstrapServers}`);
    while (Date.now() < deadline) {
      const failing = this.processes.failing();
      if (failing)
        throw new SluiceError(
          'internal',
          message('kafka.brokerExited', {
            crashes: failing.crashes,
            logFile: failing.logFile,
            log: failing.log,
          }),
        );
      if (this.processes.alive() && (await answers(this.endpoint))) return;
      await sleep(500);
    }
    throw new SluiceError(
      'internal',
      message('kafka.brokerSilent', {
        bootstrapServers: this.bootstrapServers,
        seconds: READY_TIMEOUT_MS / 1000,
        logFile: this.processes.logFile({ id: 'broker' }),
        log: this.processes.logTail({ id: 'broker' }),
      }),
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
