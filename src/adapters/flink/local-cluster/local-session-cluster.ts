import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
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
  configFileName,
  flinkConfiguration,
  LOG4J_PROPERTIES,
  renderConfig,
  type ClusterDirs,
} from './flink-config.ts';
import { jvmMemoryFlag, parseMemorySize } from '../../../domain/clusters/memory-size.ts';
import { JAVA17_FLAGS, memoryParams, type MemoryParams } from './jvm.ts';
import { processArgs, processesWithArg, signal, tail } from './os-processes.ts';

const MAIN_CLASS: Record<ClusterProcessRole, string> = {
  jobmanager: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
  taskmanager: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
  'sql-gateway': 'org.apache.flink.table.gateway.SqlGateway',
};

export type ClusterEventKind = 'started' | 'adopted' | 'exited' | 'restarted' | 'stopped' | 'orphan-killed';
export type ClusterEventSink = (processId: string, kind: ClusterEventKind, detail: string) => void;

export interface ClusterProcessStatus {
  id: string;
  role: ClusterProcessRole;
  pid: number | null;
  alive: boolean;
  adopted: boolean;
  restarts: number;
  startedAt: string | null;
  logFile: string;
}

export type LocalClusterState = 'stopped' | 'starting' | 'running' | 'degraded' | 'stopping';

export interface LocalClusterStatus {
  name: string;
  state: LocalClusterState;
  flinkVersion: string;
  restUrl: string;
  gatewayUrl: string;
  processes: ClusterProcessStatus[];
  overview: ClusterOverview | null;
  gatewayHealthy: boolean;
}

interface ManagedProcess {
  id: string;
  role: ClusterProcessRole;
  pid: number | null;
  child: ChildProcess | null;
  adopted: boolean;
  restarts: number;
  startedAt: number | null;
  /** Consecutive crashes; reset once a process has stayed up for a minute. */
  crashes: number;
  restartAt: number | null;
  lastExit: string | null;
}

const HEALTH_TIMEOUT_MS = 120_000;
const SUPERVISE_INTERVAL_MS = 500;

/**
 * A standalone Flink session cluster on this machine: JobManager, TaskManagers and SQL Gateway as
 * child JVMs. Each process has a pid file and carries two marker arguments in its command line, so a
 * platform restarted after being killed adopts the processes it left (or kills duplicates) instead of
 * starting a second cluster on the same ports.
 */
export class LocalSessionCluster {
  readonly dirs: ClusterDirs;
  readonly rest: FlinkRestClient;
  private readonly procs: ManagedProcess[];
  private desired: 'running' | 'stopped' = 'stopped';
  private phase: 'idle' | 'starting' | 'stopping' = 'idle';
  private timer: NodeJS.Timeout | null = null;
  private memory: { jm: MemoryParams; tm: MemoryParams } | null = null;

  constructor(
    readonly spec: LocalClusterSpec,
    readonly dist: FlinkDistribution,
    private readonly java: string,
    root: string,
    private readonly onEvent: ClusterEventSink = () => {},
  ) {
    this.dirs = {
      root,
      conf: path.join(root, 'conf'),
      log: path.join(root, 'log'),
      run: path.join(root, 'run'),
      data: path.join(root, 'data'),
      tmp: path.join(root, 'tmp'),
    };
    this.rest = new FlinkRestClient(this.restUrl);
    this.procs = processIds(spec).map(({ id, role }) => ({
      id,
      role,
      pid: null,
      child: null,
      adopted: false,
      restarts: 0,
      startedAt: null,
      crashes: 0,
      restartAt: null,
      lastExit: null,
    }));
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.spec.restPort}`;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.spec.gatewayPort}`;
  }

  /** True when any process of this cluster (by pid file or marker) is alive. */
  static hasLiveProcesses(root: string): boolean {
    return processesWithArg(`-Dsluice.cluster.dir=${root}`).length > 0;
  }

  /**
   * Starts (or adopts) every process and waits until Flink's REST API reports all TaskManagers and the
   * SQL Gateway answers. On failure every process this call started is stopped again.
   */
  async start(progress: (line: string) => void = () => {}): Promise<void> {
    if (this.phase === 'starting')
      throw new SluiceError('conflict', message('cluster.alreadyStarting', { cluster: this.spec.name }));
    this.phase = 'starting';
    this.desired = 'running';
    try {
      this.prepareDirs();
      this.adoptOrClean(progress);
      await this.checkPorts();
      const missing = this.procs.filter((p) => !this.isAlive(p));
      if (missing.some((p) => p.role !== 'sql-gateway')) this.memory = this.computeMemory();
      for (const p of missing) {
        this.spawnProcess(p);
        this.onEvent(p.id, 'started', `pid ${p.pid}`);
        progress(`started ${p.id} (pid ${p.pid})`);
      }
      this.supervise();
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
    this.desired = 'stopped';
    this.phase = 'stopping';
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Stop the gateway first (it holds sessions), then TaskManagers, then the JobManager.
    const order: ClusterProcessRole[] = ['sql-gateway', 'taskmanager', 'jobmanager'];
    for (const role of order)
      await Promise.all(this.procs.filter((p) => p.role === role).map((p) => this.terminate(p)));
    // Anything else carrying this cluster's marker (a duplicate from an earlier crash) goes too.
    for (const { pid } of processesWithArg(`-Dsluice.cluster.dir=${this.dirs.root}`)) await killAndWait(pid);
    this.phase = 'idle';
  }

  /** Stops supervising but leaves the processes running, for the next platform process to adopt. */
  detach(): void {
    this.desired = 'stopped';
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async status(): Promise<LocalClusterStatus> {
    const [overview, gatewayHealthy] = await Promise.all([
      this.rest.overview().catch(() => null),
      fetch(`${this.gatewayUrl}/v1/info`, { signal: AbortSignal.timeout(1500) })
        .then((r) => r.ok)
        .catch(() => false),
    ]);
    const processes = this.procs.map((p) => ({
      id: p.id,
      role: p.role,
      pid: p.pid,
      alive: this.isAlive(p),
      adopted: p.adopted,
      restarts: p.restarts,
      startedAt: p.startedAt ? new Date(p.startedAt).toISOString() : null,
      logFile: this.logFile(p),
    }));
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

  private prepareDirs(): void {
    for (const d of Object.values(this.dirs)) fs.mkdirSync(d, { recursive: true });
    const config = renderConfig(flinkConfiguration(this.spec, this.dirs));
    fs.writeFileSync(path.join(this.dirs.conf, configFileName(this.dist.flinkVersion)), config);
    for (const f of ['log4j.properties', 'log4j-console.properties', 'log4j-cli.properties'])
      fs.writeFileSync(path.join(this.dirs.conf, f), LOG4J_PROPERTIES);
  }

  private marker(id: string): string[] {
    return [`-Dsluice.cluster.dir=${this.dirs.root}`, `-Dsluice.process.id=${id}`];
  }

  /** Re-attaches to processes named in pid files that are still ours; kills any other process of this cluster. */
  private adoptOrClean(progress: (line: string) => void): void {
    for (const p of this.procs) {
      if (this.isAlive(p)) continue;
      const file = this.pidFile(p);
      if (!fs.existsSync(file)) continue;
      try {
        const { pid, startedAt } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          pid: number;
          startedAt: number;
        };
        if (this.ownsPid(p.id, pid)) {
          Object.assign(p, { pid, child: null, adopted: true, startedAt, restartAt: null });
          this.onEvent(p.id, 'adopted', `pid ${pid} left running by an earlier platform process`);
          progress(`adopted ${p.id} (pid ${pid})`);
          continue;
        }
      } catch {
        /* unreadable pid file: treated as absent */
      }
      fs.rmSync(file, { force: true });
    }
    const known = new Set(this.procs.map((p) => p.pid));
    for (const { pid, args } of processesWithArg(`-Dsluice.cluster.dir=${this.dirs.root}`)) {
      if (known.has(pid)) continue;
      const id = args.find((a) => a.startsWith('-Dsluice.process.id='))?.split('=')[1] ?? 'unknown';
      signal(pid, 'SIGKILL');
      this.onEvent(id, 'orphan-killed', `pid ${pid} carried this cluster's marker but no pid file named it`);
      progress(`killed stray ${id} process (pid ${pid})`);
    }
  }

  private async checkPorts(): Promise<void> {
    const jmUp = this.isAlive(this.procs.find((p) => p.role === 'jobmanager')!);
    const gwUp = this.isAlive(this.procs.find((p) => p.role === 'sql-gateway')!);
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
    return {
      jm: memoryParams(this.java, this.dist.classpath, this.dirs.conf, 'GET_JM_RESOURCE_PARAMS'),
      tm: memoryParams(this.java, this.dist.classpath, this.dirs.conf, 'GET_TM_RESOURCE_PARAMS'),
    };
  }

  private commandFor(p: ManagedProcess): string[] {
    const logFile = this.logFile(p);
    const common = [
      ...JAVA17_FLAGS,
      ...this.marker(p.id),
      `-Dlog.file=${logFile}`,
      `-Dlog4j.configuration=file:${this.dirs.conf}/log4j.properties`,
      `-Dlog4j.configurationFile=file:${this.dirs.conf}/log4j.properties`,
    ];
    const cp = this.dist.classpath.join(':');
    const mem = this.memory ?? this.computeMemory();
    this.memory = mem;
    switch (p.role) {
      case 'jobmanager':
        return [
          ...mem.jm.jvmArgs,
          ...common,
          '-cp',
          cp,
          MAIN_CLASS.jobmanager,
          ...mem.jm.dynamicProperties,
          '--configDir',
          this.dirs.conf,
          '--executionMode',
          'cluster',
        ];
      case 'taskmanager':
        return [
          ...mem.tm.jvmArgs,
          ...common,
          '-cp',
          cp,
          MAIN_CLASS.taskmanager,
          '--configDir',
          this.dirs.conf,
          ...mem.tm.dynamicProperties,
        ];
      case 'sql-gateway':
        return [
          // The JVM reads "512m" but not Flink's "512 mb" or "536870912 bytes": whole mebibytes.
          `-Xmx${jvmMemoryFlag(parseMemorySize(this.spec.gatewayMemory) ?? 0)}`,
          ...common,
          '-cp',
          [cp, ...this.dist.gatewayJars].join(':'),
          MAIN_CLASS['sql-gateway'],
        ];
    }
  }

  private spawnProcess(p: ManagedProcess): void {
    const out = fs.openSync(path.join(this.dirs.log, `${p.id}.out`), 'a');
    try {
      // Detached: the JVMs outlive a killed platform and are adopted at its next start.
      const child = spawn(this.java, this.commandFor(p), {
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, FLINK_CONF_DIR: this.dirs.conf },
        cwd: this.dirs.root,
      });
      child.unref();
      if (!child.pid) throw new SluiceError('internal', message('cluster.noPid', { process: p.id }));
      Object.assign(p, { pid: child.pid, child, adopted: false, startedAt: Date.now(), restartAt: null });
      child.on('exit', (code, sig) => {
        if (p.child === child) {
          p.lastExit = sig ? `killed by ${sig}` : `exit code ${code}`;
          p.child = null;
          setImmediate(() => this.tick());
        }
      });
      fs.writeFileSync(this.pidFile(p), JSON.stringify({ pid: child.pid, startedAt: p.startedAt }));
    } finally {
      fs.closeSync(out);
    }
  }

  private supervise(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), SUPERVISE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Restarts dead processes with exponential back-off (1 s, 2 s, ... 30 s), recording each step. */
  private tick(): void {
    if (this.desired !== 'running' || this.phase === 'stopping') return;
    const now = Date.now();
    for (const p of this.procs) {
      if (this.isAlive(p)) continue;
      // A child of this process that died is reported by its exit event, with its exit code or signal.
      // Until Node reaps it, it is a zombie whose empty command line reads as "gone" with no reason.
      if (p.child) continue;
      if (p.restartAt === null) {
        const uptime = p.startedAt ? now - p.startedAt : 0;
        p.crashes = uptime > 60_000 ? 1 : p.crashes + 1;
        const why = p.lastExit ?? (p.adopted ? `adopted pid ${p.pid} is gone` : `pid ${p.pid} is gone`);
        const lastLines = tail(path.join(this.dirs.log, `${p.id}.out`), 3).join(' | ');
        this.onEvent(p.id, 'exited', `${why}${lastLines ? `; last output: ${lastLines}` : ''}`);
        p.restartAt = now + Math.min(30_000, 1000 * 2 ** (p.crashes - 1));
        p.lastExit = null;
      } else if (now >= p.restartAt) {
        try {
          this.spawnProcess(p);
          p.restarts++;
          this.onEvent(
            p.id,
            'restarted',
            `pid ${p.pid}, restart ${p.restarts} (crash ${p.crashes} in a row)`,
          );
        } catch (e) {
          p.restartAt = now + 5000;
          this.onEvent(p.id, 'exited', `restart failed: ${(e as Error).message}`);
        }
      }
    }
  }

  private async waitHealthy(progress: (line: string) => void): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let reported = '';
    while (Date.now() < deadline) {
      const crashing = this.procs.find((p) => p.crashes >= 3);
      if (crashing)
        throw new SluiceError(
          'engine_unavailable',
          message('cluster.crashing', {
            process: crashing.id,
            cluster: this.spec.name,
            count: crashing.crashes,
            log: this.logTail(crashing),
          }),
          { process: crashing.id, log: this.logFile(crashing) },
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
      ? this.procs.find((p) => p.role === 'jobmanager')!
      : (s.overview.taskmanagers ?? 0) < this.spec.taskManagers
        ? this.procs.find((p) => p.role === 'taskmanager')!
        : this.procs.find((p) => p.role === 'sql-gateway')!;
    throw new SluiceError(
      'engine_unavailable',
      message('cluster.notHealthy', {
        cluster: this.spec.name,
        seconds: HEALTH_TIMEOUT_MS / 1000,
        process: culprit.id,
        log: this.logTail(culprit),
      }),
      { process: culprit.id, log: this.logFile(culprit) },
    );
  }

  private logTail(p: ManagedProcess): string {
    const lines = [...tail(this.logFile(p), 40), ...tail(path.join(this.dirs.log, `${p.id}.out`), 10)];
    const important = lines.filter((l) => /ERROR|Exception|Caused by|Error:/.test(l));
    return (important.length ? important : lines).slice(-12).join('\n');
  }

  private async terminate(p: ManagedProcess): Promise<void> {
    const pid = this.isAlive(p) ? p.pid : null;
    if (pid) {
      await killAndWait(pid);
      this.onEvent(p.id, 'stopped', `pid ${pid}`);
    }
    Object.assign(p, { pid: null, child: null, adopted: false, restartAt: null, crashes: 0 });
    fs.rmSync(this.pidFile(p), { force: true });
  }

  private isAlive(p: ManagedProcess): boolean {
    return p.pid !== null && this.ownsPid(p.id, p.pid);
  }

  /** A pid is ours only while its command line carries this cluster's marker for this process. */
  private ownsPid(id: string, pid: number): boolean {
    const args = processArgs(pid);
    return !!args && this.marker(id).every((m) => args.includes(m));
  }

  private pidFile(p: ManagedProcess): string {
    return path.join(this.dirs.run, `${p.id}.pid`);
  }

  logFile(p: { id: string }): string {
    return path.join(this.dirs.log, `${p.id}.log`);
  }
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the process is gone. */
async function killAndWait(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (processArgs(pid) && Date.now() < deadline) await sleep(100);
  if (processArgs(pid)) {
    signal(pid, 'SIGKILL');
    while (processArgs(pid)) await sleep(50);
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
