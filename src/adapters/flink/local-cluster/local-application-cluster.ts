import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type { FlinkDistribution } from '../distribution.ts';
import { FlinkRestClient, type ClusterOverview } from '../rest/flink-rest-client.ts';
import {
  clusterDirs,
  flinkConfiguration,
  hasPrometheusReporter,
  pluginsDir,
  type ClusterDirs,
  type FlinkProcessesSpec,
  writeClusterFiles,
} from './flink-config.ts';
import { clusterMemory, jobManagerArgs, taskManagerArgs, type MemoryParams } from './jvm.ts';
import {
  LocalFlinkProcesses,
  sleep,
  type ClusterEventSink,
  type ClusterProcessStatus,
} from './local-processes.ts';
import { recordRestTls, restTlsOf, type FlinkRestTls } from './rest-tls.ts';
import { trustLocalCluster } from '../rest/flink-fetch.ts';

/** The one program an application cluster runs: its jars, entry point, arguments and where it restores from. */
export interface ApplicationProgram {
  /** The jar with the entry class, then jars its classpath needs (UDFs, connectors): all in usrlib. */
  jars: string[];
  entryClass: string;
  args: string[];
  /** Chosen by the platform and recorded before the cluster starts: the job is found by it after a crash. */
  jobId: string;
  savepointPath: string | null;
  allowNonRestoredState: boolean;
}

export interface LocalApplicationSpec extends FlinkProcessesSpec {
  /** The cluster's name: the job's, so that one job has at most one application cluster. */
  name: string;
  taskManagers: number;
  program: ApplicationProgram;
}

type Role = 'jobmanager' | 'taskmanager';
const SPEC_FILE = 'application.json';
const HEALTH_TIMEOUT_MS = 120_000;

/**
 * A Flink application cluster on this machine for exactly one job: Flink's standalone application
 * entry point runs the job's main() in the JobManager with the job's jars on its classpath, beside its
 * own TaskManagers, on ports of its own. The JobManager stays up after the job ends (so its final
 * state and failure can be read); the platform stops the cluster then. Its processes carry the same
 * markers as a session cluster's, so a platform killed mid-start finds (and adopts or removes) them.
 */
export class LocalApplicationCluster {
  readonly dirs: ClusterDirs;
  private readonly processes: LocalFlinkProcesses<Role>;
  private memory: { jm: MemoryParams; tm: MemoryParams } | null = null;
  /** The doors its JobManager serves (or will, once started): TLS with these keys, or plain HTTP. */
  private tls: FlinkRestTls | null = null;

  constructor(
    readonly spec: LocalApplicationSpec,
    readonly dist: FlinkDistribution,
    private readonly java: string,
    root: string,
    onEvent: ClusterEventSink = () => {},
    /** TLS with mutual authentication on its REST API and RPC, from its next start; null: plain. */
    private readonly wantedTls: FlinkRestTls | null = null,
  ) {
    this.dirs = clusterDirs(root);
    const specs = [
      // Restarted, the JobManager would run main() again from the start: the job would lose what it did.
      { id: 'jobmanager', role: 'jobmanager' as const, restartable: false },
      ...Array.from({ length: spec.taskManagers }, (_, i) => ({
        id: `taskmanager-${i + 1}`,
        role: 'taskmanager' as const,
        restartable: true,
      })),
    ];
    this.processes = new LocalFlinkProcesses(
      root,
      this.dirs,
      specs,
      java,
      (p, logFile) => this.commandFor(p.role, logFile, p.metricsPort),
      // usrlib is found next to FLINK_LIB_DIR: each cluster has its own.
      {
        ...process.env,
        FLINK_CONF_DIR: this.dirs.conf,
        FLINK_LIB_DIR: path.join(root, 'lib'),
        FLINK_PLUGINS_DIR: pluginsDir(dist.home),
      },
      onEvent,
    );
    // Processes left running by an earlier platform keep the doors they were started with.
    this.useTls(restTlsOf(root, LocalFlinkProcesses.anyAlive(root), wantedTls));
  }

  private useTls(tls: FlinkRestTls | null): void {
    this.tls = tls;
    if (tls) trustLocalCluster(this.restUrl, tls);
  }

  /** Flink's REST API of the cluster's JobManager (over TLS with the home's keys when it serves TLS). */
  get rest(): FlinkRestClient {
    return new FlinkRestClient(this.restUrl);
  }

  /** The spec an earlier platform process wrote when it started the cluster in `root`, if any. */
  static readSpec(root: string): LocalApplicationSpec | null {
    try {
      return JSON.parse(fs.readFileSync(path.join(root, SPEC_FILE), 'utf8')) as LocalApplicationSpec;
    } catch {
      return null;
    }
  }

  static hasLiveProcesses(root: string): boolean {
    return LocalFlinkProcesses.anyAlive(root);
  }

  get restUrl(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.spec.restPort}`;
  }

  get usrlib(): string {
    return path.join(this.dirs.root, 'usrlib');
  }

  /**
   * Starts the JobManager (which submits the job as it starts) and the TaskManagers, and waits until
   * every TaskManager has registered. Processes an earlier platform process left are adopted. On
   * failure everything this call started is stopped again.
   */
  async start(progress: (line: string) => void = () => {}): Promise<void> {
    try {
      this.writeFiles();
      await this.launch(progress);
      await this.waitRegistered(progress);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /**
   * Starts the processes of a cluster whose files are written (see writeFiles), without waiting:
   * a deployment watches each milestone itself. Processes an earlier platform process left are adopted.
   */
  async launch(progress: (line: string) => void = () => {}): Promise<void> {
    this.processes.adoptOrClean(progress);
    if (!this.processes.alive()) this.memory = this.computeMemory();
    if (this.reporter) await this.processes.reserveMetricsPorts(['jobmanager', 'taskmanager']);
    this.processes.startMissing(progress);
  }

  /** A process that died for good (the JobManager) or keeps dying, with its last log lines. */
  failing(): ReturnType<LocalFlinkProcesses<Role>['failing']> {
    return this.processes.failing();
  }

  /** True while any process of the cluster is alive. */
  alive(): boolean {
    return this.processes.aliveIds().length > 0;
  }

  /** When the JobManager process started (by this platform process or the one it adopted it from). */
  jobManagerStartedAt(): number | null {
    const jm = this.processes.statuses().find((p) => p.id === 'jobmanager');
    return jm?.alive && jm.startedAt ? Date.parse(jm.startedAt) : null;
  }

  logTail(p: { id: string }): string {
    return this.processes.logTail(p);
  }

  /** Adopts what an earlier platform process left running, without starting anything. */
  async adopt(progress: (line: string) => void = () => {}): Promise<boolean> {
    this.processes.adoptOrClean(progress);
    if (this.processes.aliveIds().length === 0) return false;
    // A TaskManager that died meanwhile is started again, with a reporter port of its own.
    if (this.reporter) await this.processes.reserveMetricsPorts(['taskmanager']);
    this.processes.startMissing(progress);
    return true;
  }

  async stop(): Promise<void> {
    await this.processes.stop(['taskmanager', 'jobmanager']);
  }

  detach(): void {
    this.processes.detach();
  }

  status(): ClusterProcessStatus[] {
    return this.processes.statuses();
  }

  /** The JobManager's log, where main()'s own failures are. */
  jobManagerLog(): string {
    return this.processes.logTail({ id: 'jobmanager' });
  }

  logFile(p: { id: string }): string {
    return this.processes.logFile(p);
  }

  /** Writes the cluster's configuration, its usrlib (exactly this start's jars) and the spec a restarted platform adopts it from. */
  writeFiles(): void {
    fs.mkdirSync(path.join(this.dirs.root, 'lib'), { recursive: true });
    // usrlib holds exactly this start's jars: a jar left by an earlier start must not shadow one.
    fs.rmSync(this.usrlib, { recursive: true, force: true });
    fs.mkdirSync(this.usrlib);
    this.spec.program.jars.forEach((jar, i) =>
      fs.copyFileSync(jar, path.join(this.usrlib, `${String(i).padStart(2, '0')}-${path.basename(jar)}`)),
    );
    // Only a cluster started afresh takes the doors wanted now; adopted processes keep theirs.
    this.useTls(restTlsOf(this.dirs.root, LocalFlinkProcesses.anyAlive(this.dirs.root), this.wantedTls));
    recordRestTls(this.dirs.root, this.tls);
    writeClusterFiles(this.dirs, this.dist.flinkVersion, {
      ...flinkConfiguration(
        { ...this.spec, prometheusReporter: this.reporter, restTls: this.tls },
        this.dirs,
      ),
      // The JobManager stays after the job ends, so that its final state and cause can be read.
      'execution.shutdown-on-application-finish': 'false',
      // A main() that throws still leaves a FAILED job with its exception, not a JobManager that exits.
      'execution.submit-failed-job-on-application-error': 'true',
      'user.artifacts.base-dir': path.join(this.dirs.data, 'artifacts'),
    });
    fs.writeFileSync(path.join(this.dirs.root, SPEC_FILE), JSON.stringify(this.spec, null, 2));
  }

  /** Flink's Prometheus reporter on the JobManager and TaskManagers, when the engine carries it. */
  private get reporter(): boolean {
    return hasPrometheusReporter(this.dist.home);
  }

  private computeMemory(): { jm: MemoryParams; tm: MemoryParams } {
    return clusterMemory(this.java, this.dist.classpath, this.dirs.conf);
  }

  private commandFor(role: Role, logFile: string, metricsPort: number | null): string[] {
    const conf = this.dirs.conf;
    const mem = this.memory ?? this.computeMemory();
    this.memory = mem;
    if (role === 'taskmanager')
      return taskManagerArgs(mem.tm, this.spec.flinkConfig, conf, logFile, this.dist.classpath, metricsPort);
    const p = this.spec.program;
    return jobManagerArgs(mem.jm, this.spec.flinkConfig, conf, logFile, this.dist.classpath, metricsPort, {
      mainClass: 'org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint',
      args: [
        '--job-classname',
        p.entryClass,
        '--job-id',
        p.jobId,
        ...(p.savepointPath ? ['--fromSavepoint', p.savepointPath] : []),
        ...(p.savepointPath && p.allowNonRestoredState ? ['--allowNonRestoredState'] : []),
        // Everything after `--` is the program's, even an argument that starts with a dash.
        '--',
        ...p.args,
      ],
    });
  }

  private async waitRegistered(progress: (line: string) => void): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let reported = '';
    while (Date.now() < deadline) {
      const failing = this.processes.failing();
      if (failing)
        throw new SluiceError(
          'engine_unavailable',
          failing.restartable
            ? message('cluster.crashing', {
                process: failing.id,
                cluster: this.spec.name,
                count: failing.crashes,
                log: failing.log,
              })
            : message('cluster.applicationJobManagerExited', { cluster: this.spec.name, log: failing.log }),
          { process: failing.id, log: failing.logFile },
        );
      const o: ClusterOverview | null = await this.rest.overview().catch(() => null);
      const tms = o?.taskmanagers ?? 0;
      const line = `waiting for application cluster ${this.spec.name}: JobManager REST ${o ? 'up' : 'not yet up'}, ${tms}/${this.spec.taskManagers} TaskManagers registered`;
      if (line !== reported) progress((reported = line));
      if (o && tms >= this.spec.taskManagers) return;
      await sleep(200);
    }
    throw new SluiceError(
      'engine_unavailable',
      message('cluster.notHealthy', {
        cluster: this.spec.name,
        seconds: HEALTH_TIMEOUT_MS / 1000,
        process: 'jobmanager',
        log: this.jobManagerLog(),
      }),
      { process: 'jobmanager', log: this.processes.logFile({ id: 'jobmanager' }) },
    );
  }
}
