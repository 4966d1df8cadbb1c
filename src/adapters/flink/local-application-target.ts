import fs from 'node:fs';
import path from 'node:path';
import type { FlinkJobState } from '../../domain/jobs/job.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import {
  TargetUnreachable,
  type ApplicationClusterFacts,
  type ApplicationClusters,
  type ApplicationSpec,
  type ClusterFacts,
  type Deployer,
  type DeploymentTarget,
  type JobFailure,
  type ObservedJob,
  type Observer,
  type RuntimeDetails,
  type SqlWorkbench,
} from '../../domain/targets/deployment-target.ts';
import type { FlinkDistribution } from '../../application/ports/engines.ts';
import type { ClusterEventSink, ClusterProcessStatus } from './local-cluster/local-processes.ts';
import {
  LocalApplicationCluster,
  type LocalApplicationSpec,
} from './local-cluster/local-application-cluster.ts';
import { SessionClusterTarget } from './session-cluster-target.ts';
import type { FlinkRestTls } from './local-cluster/rest-tls.ts';
import { freePorts } from '../system/free-ports.ts';
import { PerJobClusterObserver } from '../../domain/targets/per-job-observer.ts';
import { logFileSources, readLogFile } from './local-cluster/local-log-files.ts';
import type { JobLogs, LogBytes, LogRange, LogRun, LogRunRef } from '../../domain/logs/job-logs.ts';
import type { ExceptionHistory } from '../../domain/logs/exception-history.ts';
import { retentionText, runsBeyondRetention, type LogRetention } from '../../domain/logs/log-retention.ts';
import { ensureSqlRunnerJar } from './sql-runner/sql-runner-build.ts';
import { sqlRunnerScript, writeSqlRunnerScript } from './sql-runner/sql-runner-script.ts';
import type { FlinkJobGraphAnswers } from '../../domain/metrics/job-graph.ts';

/** How long after its JobManager started a cluster may still be running the program that submits its job. */
const SUBMIT_GRACE_MS = 120_000;

export interface LocalApplicationTargetOptions {
  name: string;
  distribution: () => Promise<FlinkDistribution>;
  java: string;
  /** Where this target keeps its clusters: `<root>/<job>/<Flink job id>/`. */
  root: string;
  sluiceHome: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  /** Process events of a job's cluster, with the job's name. */
  onEvent: (jobName: string) => ClusterEventSink;
  /** SQL sessions for explain, debug runs and catalogs: the engine's session cluster's. */
  workbench: SqlWorkbench | null;
  /** The runs per job whose folders (their logs) are kept (SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION). */
  logRetention: LogRetention;
  /** The keys of the TLS its clusters' REST APIs serve, made on first use; null: plain HTTP. */
  restTls?: () => Promise<FlinkRestTls | null>;
}

interface Live {
  jobName: string;
  cluster: LocalApplicationCluster;
}

/**
 * The local application target of one engine: each job runs in a Flink application cluster of its own
 * (LocalApplicationCluster), its SQL through the SQL runner jar. The deployer and observer route a
 * Flink job id to that job's cluster; the tracker asks each cluster on its own (observerOf).
 */
export class LocalApplicationTarget
  extends PerJobClusterObserver
  implements DeploymentTarget, ApplicationClusters, Deployer
{
  readonly kind = 'local-application' as const;
  private readonly live = new Map<string, Live>();
  /** Programs written and not yet in a cluster: the runner jar and the script file, by Flink job id. */
  private readonly programs = new Map<string, { jars: string[]; entryClass: string; args: string[] }>();

  constructor(private readonly o: LocalApplicationTargetOptions) {
    super();
  }

  get name(): string {
    return this.o.name;
  }

  get deployer(): Deployer {
    return this;
  }

  get observer(): Observer {
    return this;
  }

  get workbench(): SqlWorkbench | null {
    return this.o.workbench;
  }

  get applications(): ApplicationClusters {
    return this;
  }

  /** Each run's logs are its own cluster's files, kept in its folder after the cluster ends (SLUICE_LOG_RETENTION_RUNS runs). */
  get logs(): JobLogs {
    return {
      scope: 'job',
      runs: async (jobName) => this.runsOf(jobName),
      sources: async (run) => {
        const id = this.runOf(run);
        return id ? logFileSources(this.logDir(run.jobName, id), (p) => this.processAlive(id, p)) : [];
      },
      read: (run, sourceId, range) => this.readLog(run, sourceId, range),
    };
  }

  private logDir(jobName: string, flinkJobId: string): string {
    return path.join(this.runDir({ jobName, flinkJobId }), 'log');
  }

  private processAlive(flinkJobId: string, process: string): boolean {
    const c = this.live.get(flinkJobId)?.cluster;
    return !!c?.status().find((p) => p.id === process)?.alive;
  }

  /** The run asked for, or the newest kept; null when the job never had a cluster here. */
  private runOf(run: LogRunRef): string | null {
    if (run.flinkJobId) {
      // A Flink job id only: never a path out of the target's folder.
      if (!/^[0-9a-f]{32}$/.test(run.flinkJobId)) return null;
      return fs.existsSync(this.runDir({ jobName: run.jobName, flinkJobId: run.flinkJobId }))
        ? run.flinkJobId
        : null;
    }
    return this.runsOf(run.jobName)[0]?.flinkJobId ?? null;
  }

  private runsOf(jobName: string): LogRun[] {
    const jobDir = path.join(this.o.root, jobName);
    if (!fs.existsSync(jobDir)) return [];
    return fs
      .readdirSync(jobDir)
      .filter((d) => /^[0-9a-f]{32}$/.test(d) && fs.existsSync(path.join(jobDir, d, 'log')))
      .map((d) => ({ d, at: fs.statSync(path.join(jobDir, d, 'log')).mtimeMs }))
      .sort((a, b) => b.at - a.at)
      .map(({ d, at }) => ({
        flinkJobId: d,
        at: new Date(at).toISOString(),
        live: !!this.live.get(d)?.cluster.alive(),
      }));
  }

  private async readLog(run: LogRunRef, sourceId: string, range: LogRange): Promise<LogBytes> {
    const id = this.runOf(run);
    if (!id)
      throw new SluiceError(
        'not_found',
        message('logs.noRun', { job: run.jobName, run: run.flinkJobId ?? 'latest' }),
      );
    const process = sourceId.replace(/\.(log|out)(\.\d+)?$/, '');
    const current = /\.(log|out)$/.test(sourceId);
    return readLogFile(
      this.logDir(run.jobName, id),
      sourceId,
      range,
      current && this.processAlive(id, process),
    );
  }

  /** Nothing to prepare: a job's cluster is made by its own deployment. */
  async prepare(): Promise<void> {}

  private runDir(spec: { jobName: string; flinkJobId: string }): string {
    return path.join(this.o.root, spec.jobName, spec.flinkJobId);
  }

  async writeProgram(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const p = spec.program;
    // A JAR job's program is its own jar (the first of spec.jars, in usrlib): nothing to write.
    if (p.kind === 'jar') {
      this.programs.set(spec.flinkJobId, { jars: [], entryClass: p.entryClass, args: p.args });
      return;
    }
    const dist = await this.o.distribution();
    const runner = await ensureSqlRunnerJar({
      flinkVersion: dist.flinkVersion,
      sluiceHome: this.o.sluiceHome,
      mavenLocalRepository: this.o.mavenLocalRepository,
      mavenMirror: this.o.mavenMirror,
      progress: log,
    });
    log(`SQL runner for Flink ${runner.flinkVersion}: ${runner.jar}${runner.built ? ' (built now)' : ''}`);
    const dir = path.join(this.runDir(spec), 'program');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'script.json');
    const { plan, catalogs } = p;
    // The job's jars are on the cluster's classpath (usrlib): no ADD JAR is needed.
    writeSqlRunnerScript(
      file,
      sqlRunnerScript(plan, { catalogs: catalogs.map((c) => ({ name: c.name, sql: c.statement })) }),
    );
    log(
      `SQL runner plan written to ${file}: ${Object.keys(plan.options).length} options, ${catalogs.length} catalogs, ${plan.setup.length} setup statements, ${plan.inserts.length} INSERTs as one job`,
    );
    this.programs.set(spec.flinkJobId, { jars: [runner.jar], entryClass: runner.mainClass, args: [file] });
  }

  async prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    this.pruneRuns(spec.jobName, log, spec.flinkJobId);
    const [restPort, rpcPort] = await freePorts(2);
    const r = spec.resources;
    const jobDir = path.join(this.o.root, spec.jobName);
    const own = spec.program.kind === 'sql' ? spec.program.plan.options : spec.program.options;
    const appSpec: LocalApplicationSpec = {
      name: spec.jobName,
      restPort: restPort!,
      rpcPort: rpcPort!,
      taskManagers: r.taskManagers,
      slotsPerTaskManager: r.slotsPerTaskManager,
      jobManagerMemory: r.jobManagerMemory,
      taskManagerMemory: r.taskManagerMemory,
      flinkConfig: {
        // Checkpoints outlive the run's folder: the next start of the job restores from them.
        'execution.checkpointing.dir': `file://${path.join(jobDir, 'checkpoints')}`,
        'state.checkpoints.dir': `file://${path.join(jobDir, 'checkpoints')}`,
        // The job's options are the cluster's: the restart strategy, checkpointing and the job's own
        // options apply as Flink's application mode applies its configuration.
        ...own,
        'taskmanager.numberOfTaskSlots': String(r.slotsPerTaskManager),
        'jobmanager.memory.process.size': r.jobManagerMemory,
        'taskmanager.memory.process.size': r.taskManagerMemory,
      },
      program: {
        jars: [...program.jars, ...spec.jars],
        entryClass: program.entryClass,
        args: program.args,
        jobId: spec.flinkJobId,
        savepointPath: spec.savepoint,
        allowNonRestoredState: spec.allowNonRestoredState,
      },
    };
    const cluster = new LocalApplicationCluster(
      appSpec,
      await this.o.distribution(),
      this.o.java,
      this.runDir(spec),
      this.o.onEvent(spec.jobName),
      (await this.o.restTls?.()) ?? null,
    );
    cluster.writeFiles();
    this.live.set(spec.flinkJobId, { jobName: spec.jobName, cluster });
    this.programs.delete(spec.flinkJobId);
    log(`cluster files written to ${cluster.dirs.root}`);
    log(
      `${r.taskManagers} TaskManager(s) of ${r.slotsPerTaskManager} slot(s), JobManager ${r.jobManagerMemory}, TaskManager ${r.taskManagerMemory}; REST port ${restPort}, RPC port ${rpcPort}`,
    );
    log(`classpath (usrlib): ${appSpec.program.jars.map((j) => path.basename(j)).join(', ')}`);
    if (spec.savepoint) log(`the JobManager restores from ${spec.savepoint}`);
  }

  async start(flinkJobId: string, log: (line: string) => void): Promise<void> {
    const { cluster } = this.require(flinkJobId);
    try {
      await cluster.launch(log);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  async facts(flinkJobId: string): Promise<ApplicationClusterFacts> {
    const found = this.live.get(flinkJobId);
    if (!found)
      return {
        jobManager: null,
        taskManagers: 0,
        expectedTaskManagers: 0,
        failing: null,
        alive: false,
        root: '',
        jobManagerLog: '',
        taskManagerLog: '',
      };
    const c = found.cluster;
    const overview = await c.rest.overview().catch(() => null);
    const failing = c.failing();
    return {
      jobManager: overview ? c.restUrl : null,
      taskManagers: overview?.taskmanagers ?? 0,
      expectedTaskManagers: c.spec.taskManagers,
      failing: failing && {
        process: failing.id,
        restartable: failing.restartable,
        crashes: failing.crashes,
        log: failing.log,
      },
      alive: c.alive(),
      root: c.dirs.root,
      jobManagerLog: c.logTail({ id: 'jobmanager' }),
      taskManagerLog: c.logTail({ id: 'taskmanager-1' }),
    };
  }

  observerOf(flinkJobId: string): Observer {
    return new OwnClusterObserver(this.o.name, flinkJobId, this.live.get(flinkJobId)?.cluster ?? null);
  }

  async release(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.programs.delete(flinkJobId);
    const found = this.live.get(flinkJobId);
    if (!found) return;
    const c = found.cluster;
    await c.stop();
    this.live.delete(flinkJobId);
    log(
      `application cluster of Flink job ${flinkJobId} stopped (ports ${c.spec.restPort}, ${c.spec.rpcPort} free); its files and logs stay in ${c.dirs.root}`,
    );
  }

  restUrl(flinkJobId: string): string | null {
    const c = this.live.get(flinkJobId)?.cluster;
    return c && c.jobManagerStartedAt() !== null ? c.restUrl : null;
  }

  async adopt(log: (line: string) => void): Promise<string[]> {
    const adopted: string[] = [];
    if (!fs.existsSync(this.o.root)) return adopted;
    const dist = await this.o.distribution();
    for (const job of fs.readdirSync(this.o.root)) {
      const jobDir = path.join(this.o.root, job);
      if (!fs.statSync(jobDir).isDirectory()) continue;
      for (const run of fs.readdirSync(jobDir)) {
        const root = path.join(jobDir, run);
        if (this.live.has(run) || !LocalApplicationCluster.hasLiveProcesses(root)) continue;
        const spec = LocalApplicationCluster.readSpec(root);
        if (!spec) continue;
        const cluster = new LocalApplicationCluster(
          spec,
          dist,
          this.o.java,
          root,
          this.o.onEvent(job),
          (await this.o.restTls?.()) ?? null,
        );
        if (!(await cluster.adopt(log))) continue;
        this.live.set(spec.program.jobId, { jobName: job, cluster });
        adopted.push(spec.program.jobId);
        log(`adopted the application cluster of job ${job} (Flink job ${spec.program.jobId}) in ${root}`);
      }
      // At the platform's start too: the setting may have been lowered since the last run.
      this.pruneRuns(job, log);
    }
    return adopted;
  }

  detach(): void {
    for (const { cluster } of this.live.values()) cluster.detach();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map(({ cluster }) => cluster.stop()));
    this.live.clear();
  }

  /** Every live cluster with its job's name: what `sluice target list` and the cluster view show. */
  clusters(): { jobName: string; flinkJobId: string; restUrl: string; processes: ClusterProcessStatus[] }[] {
    return [...this.live].map(([flinkJobId, { jobName, cluster }]) => ({
      jobName,
      flinkJobId,
      restUrl: cluster.restUrl,
      processes: cluster.status(),
    }));
  }

  /**
   * Applies the log retention to every job's run folders (the platform prunes hourly): a run ages
   * while nobody starts another of its job.
   */
  pruneLogs(log: (line: string) => void): void {
    if (!fs.existsSync(this.o.root)) return;
    for (const job of fs.readdirSync(this.o.root))
      if (fs.statSync(path.join(this.o.root, job)).isDirectory()) this.pruneRuns(job, log);
  }

  /**
   * Keeps the newest run folders of a job (their logs), SLUICE_LOG_RETENTION_RUNS of them, none whose
   * logs were last written longer than SLUICE_LOG_RETENTION ago: at a new run's start (`starting`,
   * counted among them), at the platform's, and hourly. A run whose cluster runs is never deleted.
   */
  private pruneRuns(jobName: string, log: (line: string) => void, starting?: string): void {
    const jobDir = path.join(this.o.root, jobName);
    if (!fs.existsSync(jobDir)) return;
    const now = Date.now();
    const runs = fs
      .readdirSync(jobDir)
      .filter((d) => /^[0-9a-f]{32}$/.test(d))
      .map((d) => {
        const dir = path.join(jobDir, d);
        return {
          id: d,
          at: d === starting ? now : fs.statSync(dir).mtimeMs,
          lastWrittenAt: d === starting ? now : lastWritten(dir),
          live: d === starting || this.live.has(d) || LocalApplicationCluster.hasLiveProcesses(dir),
        };
      });
    const retention = this.o.logRetention;
    for (const id of runsBeyondRetention(runs, retention, now)) {
      const dir = path.join(jobDir, id);
      fs.rmSync(dir, { recursive: true, force: true });
      log(
        `deleted the files of an earlier run (${retentionText(retention)}; SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION): ${dir}`,
      );
    }
  }

  private require(flinkJobId: string): Live {
    const found = this.live.get(flinkJobId);
    if (!found)
      throw new SluiceError('precondition_failed', message('cluster.applicationGone', { flinkJobId }));
    return found;
  }

  // Deployer and observer of the target as a whole: each call goes to the job's own cluster.

  stopWithSavepoint(flinkJobId: string, targetDirectory: string, drain: boolean): Promise<string> {
    return this.rest(flinkJobId).stopWithSavepoint(flinkJobId, targetDirectory, drain);
  }

  cancel(flinkJobId: string): Promise<void> {
    return this.rest(flinkJobId).cancel(flinkJobId);
  }

  triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string> {
    return this.rest(flinkJobId).triggerSavepoint(flinkJobId, targetDirectory);
  }

  private rest(flinkJobId: string): SessionClusterTarget {
    const { cluster } = this.require(flinkJobId);
    return new SessionClusterTarget(this.o.name, 'local', cluster.restUrl, null);
  }

  async cluster(): Promise<ClusterFacts> {
    throw new TargetUnreachable(this.o.name, 'a local application target has no cluster of its own');
  }

  protected liveJobIds(): Iterable<string> {
    return this.live.keys();
  }
}

/**
 * One job's application cluster as its observer sees it. A cluster that is gone, or whose JobManager
 * died (it is not restarted), knows no job: the job is absent. A JobManager alive that does not answer,
 * or that answers but is still running the program that submits the job, says nothing yet: unreachable.
 */
class OwnClusterObserver implements Observer {
  private readonly rest: SessionClusterTarget | null;

  constructor(
    private readonly target: string,
    private readonly flinkJobId: string,
    private readonly c: LocalApplicationCluster | null,
  ) {
    this.rest = c ? new SessionClusterTarget(target, 'local', c.restUrl, null) : null;
  }

  /** Null when the cluster is gone for good: nothing it ran exists any more. */
  private answering(): SessionClusterTarget | null {
    const startedAt = this.c?.jobManagerStartedAt() ?? null;
    return startedAt === null ? null : this.rest;
  }

  async cluster(): Promise<ClusterFacts> {
    const rest = this.answering();
    if (!rest)
      throw new TargetUnreachable(this.target, `the application cluster of ${this.flinkJobId} is gone`);
    return rest.cluster();
  }

  async observe(): Promise<Map<string, ObservedJob>> {
    const rest = this.answering();
    if (!rest) return new Map();
    const seen = await rest.observe();
    const startedAt = this.c!.jobManagerStartedAt() ?? 0;
    if (!seen.has(this.flinkJobId) && Date.now() - startedAt < SUBMIT_GRACE_MS)
      throw new TargetUnreachable(
        this.target,
        `the JobManager of Flink job ${this.flinkJobId}'s application cluster has not submitted it yet`,
      );
    return seen;
  }

  async observeJob(flinkJobId: string): Promise<ObservedJob | 'absent'> {
    const rest = this.answering();
    if (!rest) return 'absent';
    return (await rest.observe()).get(flinkJobId) ?? 'absent';
  }

  async jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'> {
    const rest = this.answering();
    if (!rest) return 'absent';
    const state = await rest.jobState(flinkJobId);
    const startedAt = this.c!.jobManagerStartedAt() ?? 0;
    if (state === 'absent' && Date.now() - startedAt < SUBMIT_GRACE_MS)
      throw new TargetUnreachable(
        this.target,
        `the JobManager of Flink job ${flinkJobId}'s application cluster has not submitted it yet`,
      );
    return state;
  }

  async failureCause(flinkJobId: string): Promise<{ rootCause: string; trace: string } | null> {
    return (await this.answering()?.failureCause(flinkJobId)) ?? null;
  }

  async failures(flinkJobId: string): Promise<JobFailure[]> {
    return (await this.answering()?.failures(flinkJobId)) ?? [];
  }

  /** A cluster that is gone took its exception history with it: 'absent'. */
  async exceptions(flinkJobId: string): Promise<ExceptionHistory | 'absent'> {
    return (await this.answering()?.exceptions(flinkJobId)) ?? 'absent';
  }

  /** A cluster that is gone took its job with it: 'absent'. */
  async jobGraph(flinkJobId: string): Promise<FlinkJobGraphAnswers | 'absent'> {
    return (await this.answering()?.jobGraph(flinkJobId)) ?? 'absent';
  }

  async runtimeDetails(flinkJobId: string): Promise<RuntimeDetails> {
    return (await this.answering()?.runtimeDetails(flinkJobId)) ?? { restarts: null, lastCheckpoint: null };
  }

  async latestSavepoint(flinkJobId: string): Promise<string | null> {
    return (await this.answering()?.latestSavepoint(flinkJobId)) ?? null;
  }

  async latestCheckpoint(flinkJobId: string): Promise<string | null> {
    return (await this.answering()?.latestCheckpoint(flinkJobId)) ?? null;
  }
}

/**
 * When a run folder's files were last written (ms): its own time and its files' and their folders'
 * (log/...), one level down, where appending a log does not touch the folder's own time.
 */
function lastWritten(dir: string): number {
  let newest = fs.statSync(dir).mtimeMs;
  const visit = (d: string, depth: number) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      try {
        newest = Math.max(newest, fs.statSync(p).mtimeMs);
        if (e.isDirectory() && depth > 0) visit(p, depth - 1);
      } catch {
        // Gone meanwhile (a log rolled): its time does not matter.
      }
    }
  };
  visit(dir, 1);
  return newest;
}
