import net from 'node:net';
import {
  processIds,
  type ClusterProcessRole,
  type LocalClusterSpec,
} from '../../../domain/clusters/local-cluster-spec.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type { FlinkDistribution } from '../distribution.ts';
import { FlinkRestClient, type ClusterOverview } from '../rest/flink-rest-client.ts';
import {
  flinkConfiguration,
  clusterDirs,
  hasPrometheusReporter,
  pluginsDir,
  type ClusterDirs,
  writeClusterFiles,
} from './flink-config.ts';
import { jvmMemoryFlag, parseMemorySize } from '../../../domain/clusters/memory-size.ts';
import type { LocalClusterProcesses } from '../../../application/ports/clusters.ts';
import {
  clusterMemory,
  flinkJavaOptions,
  flinkJvmArgs,
  jobManagerArgs,
  taskManagerArgs,
  type MemoryParams,
} from './jvm.ts';
import { LocalFlinkProcesses, sleep, type ClusterEventSink } from './local-processes.ts';
import { logFileSources, readLogFile } from './local-log-files.ts';
import { recordRestTls, restTlsOf, type FlinkRestTls } from './rest-tls.ts';
import { flinkFetch, trustLocalCluster } from '../rest/flink-fetch.ts';
import type { JobLogs } from '../../../domain/logs/job-logs.ts';

export type { ClusterEventKind, ClusterEventSink, ClusterProcessStatus } from './local-processes.ts';

import type { LocalClusterState, LocalClusterStatus } from '../../../application/ports/clusters.ts';

export type { LocalClusterState, LocalClusterStatus };

const HEALTH_TIMEOUT_MS = 120_000;

/**
 * A standalone Flink session cluster on this machine: JobManager, TaskManagers and SQL Gateway as
 * child JVMs. Each process has a pid file and carries two marker arguments in its command line, so a
 * platform restarted after being killed adopts the processes it left (or kills duplicates) instead of
 * starting a second cluster on the same ports.
 */
export class LocalSessionCluster implements LocalClusterProcesses {
  readonly dirs: ClusterDirs;
  private readonly processes: LocalFlinkProcesses<ClusterProcessRole>;
  private phase: 'idle' | 'starting' | 'stopping' = 'idle';
  private memory: { jm: MemoryParams; tm: MemoryParams } | null = null;
  /** The doors its processes serve (or will, once started): TLS with these keys, or plain HTTP. */
  private tls: FlinkRestTls | null = null;

  constructor(
    readonly spec: LocalClusterSpec,
    readonly dist: FlinkDistribution,
    private readonly java: string,
    root: string,
    onEvent: ClusterEventSink = () => {},
    /** TLS with mutual authentication on its REST API, SQL Gateway and RPC, from its next start; null: plain. */
    private readonly wantedTls: FlinkRestTls | null = null,
  ) {
    this.dirs = clusterDirs(root);
    this.processes = new LocalFlinkProcesses(
      root,
      this.dirs,
      processIds(spec).map((p) => ({ ...p, restartable: true })),
      java,
      (p, logFile) => this.commandFor(p.role, logFile, p.metricsPort),
      { ...process.env, FLINK_CONF_DIR: this.dirs.conf, FLINK_PLUGINS_DIR: pluginsDir(dist.home) },
      onEvent,
    );
    // Processes left running by an earlier platform keep the doors they were started with.
    this.useTls(restTlsOf(root, LocalFlinkProcesses.anyAlive(root), wantedTls));
  }

  private useTls(tls: FlinkRestTls | null): void {
    this.tls = tls;
    if (tls) for (const url of [this.restUrl, this.gatewayUrl]) trustLocalCluster(url, tls);
  }

  /** Flink's REST API of the cluster (over TLS with the home's keys when it serves TLS). */
  get rest(): FlinkRestClient {
    return new FlinkRestClient(this.restUrl);
  }

  get restUrl(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.spec.restPort}`;
  }

  get gatewayUrl(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.spec.gatewayPort}`;
  }

  /** True when any process of this cluster (by pid file or marker) is alive. */
  static hasLiveProcesses(root: string): boolean {
    return LocalFlinkProcesses.anyAlive(root);
  }

  /**
   * Starts (or adopts) every process and waits until Flink's REST API reports all TaskManagers and the
   * SQL Gateway answers. On failure every process this call started is stopped again.
   */
  async start(progress: (line: string) => void = () => {}): Promise<void> {
    if (this.phase === 'starting')
      throw new SluiceError('conflict', message('cluster.alreadyStarting', { cluster: this.spec.name }));
    this.phase = 'starting';
    try {
      this.processes.adoptOrClean(progress);
      // Only a cluster started afresh takes the doors wanted now; adopted processes keep theirs.
      const adopted = this.processes.aliveIds().length > 0;
      this.useTls(restTlsOf(this.dirs.root, adopted, this.wantedTls));
      this.prepareDirs();
      recordRestTls(this.dirs.root, this.tls);
      await this.checkPorts();
      if (!this.processes.alive('jobmanager') || !this.processes.alive('taskmanager'))
        this.memory = this.computeMemory();
      if (this.reporter) await this.processes.reserveMetricsPorts(['jobmanager', 'taskmanager']);
      this.processes.startMissing(progress);
      await this.waitHealthy(progress);
      progress(
        `cluster ${this.spec.name} is healthy: Flink REST ${this.restUrl}, SQL Gateway ${this.gatewayUrl}`,
      );
    } catch (e) {
      await this.stop();
      throw e;
    } finally {
      this.phase = 'idle';
    }
  }

  async stop(): Promise<void> {
    this.phase = 'stopping';
    // Stop the gateway first (it holds sessions), then TaskManagers, then the JobManager.
    await this.processes.stop(['sql-gateway', 'taskmanager', 'jobmanager']);
    this.phase = 'idle';
  }

  /** Stops supervising but leaves the processes running, for the next platform process to adopt. */
  detach(): void {
    this.processes.detach();
  }

  /** The cluster's process logs, shared by every job it runs: the same sources whichever job asks. */
  get logs(): JobLogs {
    const alive = (process: string) => this.processes.aliveIds().includes(process);
    return {
      scope: 'cluster',
      runs: async () => [],
      sources: async () => logFileSources(this.dirs.log, alive),
      read: (_run, sourceId, range) =>
        readLogFile(
          this.dirs.log,
          sourceId,
          range,
          /\.(log|out)$/.test(sourceId) && alive(sourceId.replace(/\.(log|out)$/, '')),
        ),
    };
  }

  async status(): Promise<LocalClusterStatus> {
    const [overview, gatewayHealthy] = await Promise.all([
      this.rest.overview().catch(() => null),
      flinkFetch(`${this.gatewayUrl}/v1/info`, { signal: AbortSignal.timeout(1500) })
        .then((r) => r.ok)
        .catch(() => false),
    ]);
    const processes = this.processes.statuses();
    const allAlive = processes.every((p) => p.alive);
    const healthy = allAlive && gatewayHealthy && this.allSlotsReported(overview);
    const state: LocalClusterState =
      this.phase === 'starting'
        ? 'starting'
        : this.phase === 'stopping'
          ? 'stopping'
          : processes.every((p) => !p.alive)
            ? 'stopped'
            : healthy
              ? 'running'
              : 'degraded';
    return {
      name: this.spec.name,
      state,
      flinkVersion: this.dist.flinkVersion,
      restUrl: this.restUrl,
      gatewayUrl: this.gatewayUrl,
      processes,
      overview,
      gatewayHealthy,
    };
  }

  /** A TaskManager registers before it reports its slots: healthy means every slot is there. */
  private allSlotsReported(o: ClusterOverview | null): boolean {
    return (
      !!o &&
      o.taskmanagers >= this.spec.taskManagers &&
      o['slots-total'] >= this.spec.taskManagers * this.spec.slotsPerTaskManager
    );
  }

  /** Flink's Prometheus reporter on the JobManager and TaskManagers, when the engine carries it. */
  private get reporter(): boolean {
    return hasPrometheusReporter(this.dist.home);
  }

  private prepareDirs(): void {
    writeClusterFiles(
      this.dirs,
      this.dist.flinkVersion,
      flinkConfiguration({ ...this.spec, prometheusReporter: this.reporter, restTls: this.tls }, this.dirs),
    );
  }

  private async checkPorts(): Promise<void> {
    const jmUp = this.processes.alive('jobmanager');
    const gwUp = this.processes.alive('sql-gateway');
    const ports: [string, number, boolean][] = [
      ['restPort', this.spec.restPort, jmUp],
      ['rpcPort', this.spec.rpcPort, jmUp],
      ['gatewayPort', this.spec.gatewayPort, gwUp],
    ];
    for (const [field, port, ours] of ports) {
      if (ours) continue;
      if (!(await portFree(port)))
        throw new SluiceError(
          'precondition_failed',
          message('cluster.startPortInUse', { cluster: this.spec.name, port, field }),
          { field, port },
        );
    }
  }

  private computeMemory(): { jm: MemoryParams; tm: MemoryParams } {
    return clusterMemory(this.java, this.dist.classpath, this.dirs.conf);
  }

  private commandFor(role: ClusterProcessRole, logFile: string, metricsPort: number | null): string[] {
    const conf = this.dirs.conf;
    const mem = this.memory ?? this.computeMemory();
    this.memory = mem;
    switch (role) {
      case 'jobmanager':
        return jobManagerArgs(
          mem.jm,
          this.spec.flinkConfig,
          conf,
          logFile,
          this.dist.classpath,
          metricsPort,
          {
            mainClass: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
            args: ['--executionMode', 'cluster'],
          },
        );
      case 'taskmanager':
        return taskManagerArgs(
          mem.tm,
          this.spec.flinkConfig,
          conf,
          logFile,
          this.dist.classpath,
          metricsPort,
        );
      case 'sql-gateway':
        return flinkJvmArgs({
          // The JVM reads "512m" but not Flink's "512 mb" or "536870912 bytes": whole mebibytes.
          jvmArgs: [`-Xmx${jvmMemoryFlag(parseMemorySize(this.spec.gatewayMemory) ?? 0)}`],
          javaOptions: flinkJavaOptions(this.spec.flinkConfig, 'sql-gateway'),
          confDir: conf,
          logFile,
          classpath: [...this.dist.classpath, ...this.dist.gatewayJars],
          mainClass: 'org.apache.flink.table.gateway.SqlGateway',
          args: [],
        });
    }
  }

  private async waitHealthy(progress: (line: string) => void): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let reported = '';
    while (Date.now() < deadline) {
      const crashing = this.processes.failing();
      if (crashing)
        throw new SluiceError(
          'engine_unavailable',
          message('cluster.crashing', {
            process: crashing.id,
            cluster: this.spec.name,
            count: crashing.crashes,
            log: crashing.log,
          }),
          { process: crashing.id, log: crashing.logFile },
        );
      const s = await this.status();
      const tms = s.overview?.taskmanagers ?? 0;
      const line = `waiting for cluster ${this.spec.name}: JobManager REST ${s.overview ? 'up' : 'not yet up'}, ${tms}/${this.spec.taskManagers} TaskManagers registered, SQL Gateway ${s.gatewayHealthy ? 'up' : 'not yet up'}`;
      if (line !== reported) progress((reported = line));
      if (this.allSlotsReported(s.overview) && s.gatewayHealthy) return;
      await sleep(250);
    }
    const s = await this.status();
    const culprit = !s.overview
      ? s.processes.find((p) => p.role === 'jobmanager')!
      : (s.overview.taskmanagers ?? 0) < this.spec.taskManagers
        ? s.processes.find((p) => p.role === 'taskmanager')!
        : s.processes.find((p) => p.role === 'sql-gateway')!;
    throw new SluiceError(
      'engine_unavailable',
      message('cluster.notHealthy', {
        cluster: this.spec.name,
        seconds: HEALTH_TIMEOUT_MS / 1000,
        process: culprit.id,
        log: this.processes.logTail(culprit),
      }),
      { process: culprit.id, log: this.processes.logFile(culprit) },
    );
  }

  logFile(p: { id: string }): string {
    return this.processes.logFile(p);
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
