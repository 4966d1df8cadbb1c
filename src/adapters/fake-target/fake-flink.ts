import { causeChain } from '../../domain/logs/exception-history.ts';
import type { LocalClusterSpec } from '../../domain/clusters/local-cluster-spec.ts';
import { flinkJobEnded, type FlinkJobState } from '../../domain/jobs/job.ts';
import { SavepointFailed, StatementRefused } from '../../domain/targets/target-errors.ts';
import {
  ClusterStarting,
  TargetUnreachable,
  type DeploymentTarget,
  type JobFailure,
  type ObservedJob,
  type RuntimeDetails,
  type ClusterFacts,
  type Deployer,
  type JarRun,
  type JarRunner,
  type Observer,
  type SqlSession,
  type SqlWorkbench,
} from '../../domain/targets/deployment-target.ts';
import { FakeApplicationTarget } from './fake-application-target.ts';
import type {
  ApplicationTarget,
  ApplicationTargetOptions,
  ClusterOverview,
  ClusterRuntime,
  LocalClusterProcesses,
  LocalClusterStatus,
} from '../../application/ports/clusters.ts';
import type { FlinkDistribution } from '../../application/ports/engines.ts';
import type { FlinkClusterFacts } from '../../domain/targets/target-resources.ts';
import { sessionKindOf } from '../../domain/targets/target-kinds.ts';

/** One Flink job as the fake cluster keeps it. */
export interface FakeJob {
  id: string;
  name: string;
  state: FlinkJobState;
  /** False while its tasks wait (for slots, after a restart): RUNNING is not running yet. */
  tasksRunning: boolean;
  /** Newest first, as Flink's exception history. */
  failures: JobFailure[];
  restarts: number;
  savepoints: string[];
  checkpoint: string | null;
  /** The session options it was submitted with (restore path, restart strategy, job id...). */
  options: Record<string, string>;
  statements: string[];
}

/** What a job the fake receives does right after submission. */
export type OnSubmit =
  | { kind: 'runs' }
  /** Stays CREATED with its tasks waiting, as a job short of slots does. */
  | { kind: 'waits' }
  /** Fails: each attempt fails with the cause until `restarts` restarts are spent, then FAILED. */
  | { kind: 'fails'; cause: string; restarts?: number }
  /** Accepted by the gateway but never reaches the JobManager (a submit that got lost). */
  | { kind: 'lost' };

const trace = (cause: string) =>
  `org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat org.apache.flink.Fake.run(Fake.java:1)\nCaused by: ${cause}\n\tat org.apache.flink.Fake.task(Fake.java:2)`;

/**
 * A Flink session cluster in memory that a test scripts, in the spirit of the Flink Kubernetes
 * Operator's TestingFlinkService: it accepts statements, refuses one on request, runs jobs, fails them
 * with a cause, restarts them, loses them and stops answering, and remembers everything it was asked
 * so that a test can check that nothing was left behind. Everything happens at once (no timers).
 */
export class FakeFlink {
  readonly jobs = new Map<string, FakeJob>();
  /** Every statement any session executed, in order. */
  readonly statements: string[] = [];
  /** Sessions opened and not closed. */
  openSessions = 0;
  /** False: every call throws as an unreachable cluster does. */
  answering = true;
  /** With `answering` false: the cluster is still coming up (ClusterStarting), not silent. */
  comingUp = false;
  taskManagers = 1;
  /** What the next submitted job does (then back to running). */
  onSubmit: OnSubmit = { kind: 'runs' };
  /** Called on every call the target receives, by name: a test can act in the middle of a start. */
  onCall: (call: string) => void | Promise<void> = () => {};
  refusals: { pattern: RegExp; rootCause: string }[] = [];
  /** Jars uploaded and not deleted, by their id on the JobManager: the file each came from. */
  readonly uploadedJars = new Map<string, string>();
  /** Every jar run asked, in order (refused ones too). */
  readonly jarRuns: { jarId: string; file: string; run: JarRun }[] = [];
  savepointFailure: string | null = null;
  seq = 0;

  /** The next statement matching `pattern` is refused with this root cause (Flink's words). */
  refuse(pattern: RegExp, rootCause: string): void {
    this.refusals.push({ pattern, rootCause });
  }

  /** The next savepoint (stop or trigger) fails with this cause. */
  failNextSavepoint(cause: string): void {
    this.savepointFailure = cause;
  }

  job(id: string): FakeJob {
    const j = this.jobs.get(id);
    if (!j) throw new Error(`the fake cluster has no job ${id}`);
    return j;
  }

  /** Jobs neither finished, cancelled nor failed. */
  live(): FakeJob[] {
    return [...this.jobs.values()].filter((j) => !flinkJobEnded(j.state));
  }

  /** A task of the job fails: RESTARTING while restarts remain, else FAILED. */
  fail(id: string, cause: string, opts: { restartsLeft?: number } = {}): void {
    const j = this.job(id);
    j.failures.unshift({
      rootCause: cause,
      trace: trace(cause),
      exception: cause.split(':')[0]!,
      at: new Date().toISOString(),
    });
    j.tasksRunning = false;
    j.state = (opts.restartsLeft ?? 0) > 0 ? 'RESTARTING' : 'FAILED';
    if (j.state === 'FAILED') j.checkpoint ??= `fake://checkpoints/${id}/chk-${++this.seq}`;
  }

  /** Flink restarted the job and all of its tasks run again. */
  restart(id: string): void {
    const j = this.job(id);
    j.restarts++;
    j.state = 'RUNNING';
    j.tasksRunning = true;
  }

  /** A completed checkpoint, retained on cancel or failure. */
  checkpoint(id: string): string {
    const j = this.job(id);
    j.checkpoint = `fake://checkpoints/${id}/chk-${++this.seq}`;
    return j.checkpoint;
  }

  /** The job is cancelled through Flink's own port, behind the platform's back. */
  cancelBehindBack(id: string): void {
    this.job(id).state = 'CANCELED';
  }

  /** The cluster forgets the job (a JobManager restarted without HA). */
  disappear(id: string): void {
    this.jobs.delete(id);
  }

  /** Every call of the target passes here: the test's hook, then a silent cluster throws. */
  async call(name: string): Promise<void> {
    await this.onCall(name);
    if (!this.answering)
      throw this.comingUp
        ? new ClusterStarting('fake', 'its JobManager does not listen yet')
        : new TargetUnreachable('fake', 'connection refused');
  }

  refusal(statement: string): StatementRefused | null {
    const i = this.refusals.findIndex((r) => r.pattern.test(statement));
    if (i < 0) return null;
    const { rootCause } = this.refusals.splice(i, 1)[0]!;
    return new StatementRefused(rootCause, trace(rootCause));
  }

  submit(statement: string, options: Record<string, string>): string {
    const id = options['$internal.pipeline.job-id'] ?? `fake${++this.seq}`.padEnd(32, '0');
    // Flink refuses a second job with an id it knows: a start never runs twice.
    if (this.jobs.has(id)) {
      const cause = `org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted. JobID: ${id}`;
      throw new StatementRefused(cause, trace(cause));
    }
    const what = this.onSubmit;
    this.onSubmit = { kind: 'runs' };
    if (what.kind === 'lost') return id;
    const job: FakeJob = {
      id,
      name: options['pipeline.name'] ?? 'insert-into',
      state: what.kind === 'waits' ? 'CREATED' : 'RUNNING',
      tasksRunning: what.kind === 'runs',
      failures: [],
      restarts: 0,
      savepoints: [],
      checkpoint: null,
      options: { ...options },
      statements: [statement],
    };
    this.jobs.set(id, job);
    if (what.kind === 'fails') {
      const restarts = what.restarts ?? 0;
      for (let i = 0; i < restarts; i++) this.fail(id, what.cause, { restartsLeft: 1 });
      this.fail(id, what.cause);
      job.restarts = restarts;
    }
    return id;
  }

  /**
   * A jar's main runs and submits one job, as Flink's /jars/:id/run does: with the run's configuration,
   * its reserved id and restore path as the job's options. `refuse(/RUN JAR .../)` makes the main throw.
   */
  runJar(jarId: string, run: JarRun): string {
    const file = this.uploadedJars.get(jarId);
    this.jarRuns.push({ jarId, file: file ?? '', run: { ...run } });
    if (!file) {
      const cause = `org.apache.flink.runtime.webmonitor.handlers.JarNotFoundException: Jar file ${jarId} does not exist`;
      throw new StatementRefused(cause, trace(cause));
    }
    const statement =
      `RUN JAR ${file.replace(/^.*\//, '')} ${run.entryClass ?? '(Main-Class)'} ${run.args.join(' ')}`.trim();
    this.statements.push(statement);
    const refused = this.refusal(statement);
    if (refused) throw refused;
    return this.submit(statement, {
      ...run.flinkConfiguration,
      '$internal.pipeline.job-id': run.jobId,
      ...(run.savepointPath
        ? {
            'execution.savepoint.path': run.savepointPath,
            'execution.savepoint.ignore-unclaimed-state': String(run.allowNonRestoredState),
          }
        : {}),
    });
  }

  /** The deployment target of this cluster, as the platform sees it. */
  target(name: string, kind: 'local' | 'remote' = 'remote'): DeploymentTarget {
    return fakeSessionTarget(this, name, kind);
  }
}

function fakeSessionTarget(self: FakeFlink, name: string, kind: 'local' | 'remote'): DeploymentTarget {
  const observed = (j: FakeJob): ObservedJob => ({
    flinkJobId: j.id,
    name: j.name,
    state: j.state,
    allTasksRunning: j.state !== 'RUNNING' || j.tasksRunning,
    tasks: j.tasksRunning ? '1 of 1 tasks running' : '0 of 1 tasks running',
  });
  const deployer: Deployer = {
    async stopWithSavepoint(id, dir) {
      await self.call('stopWithSavepoint');
      const j = self.job(id);
      if (self.savepointFailure) {
        const cause = self.savepointFailure;
        self.savepointFailure = null;
        throw new SavepointFailed(trace(cause));
      }
      const path = `fake://${dir.replace(/^\/+/, '')}/savepoint-${++self.seq}`;
      j.savepoints.push(path);
      j.state = 'FINISHED';
      return path;
    },
    async cancel(id) {
      await self.call('cancel');
      const j = self.jobs.get(id);
      if (j && !flinkJobEnded(j.state)) j.state = 'CANCELED';
    },
    async triggerSavepoint(id, dir) {
      await self.call('triggerSavepoint');
      const j = self.job(id);
      if (self.savepointFailure) {
        const cause = self.savepointFailure;
        self.savepointFailure = null;
        throw new SavepointFailed(trace(cause));
      }
      const path = `fake://${dir.replace(/^\/+/, '')}/savepoint-${++self.seq}`;
      j.savepoints.push(path);
      return path;
    },
  };
  const observer: Observer = {
    async cluster(): Promise<ClusterFacts> {
      await self.call('cluster');
      return { jobManager: `fake://${name}`, taskManagers: self.taskManagers };
    },
    async observe() {
      await self.call('observe');
      return new Map([...self.jobs.values()].map((j) => [j.id, observed(j)]));
    },
    async jobState(id) {
      await self.call('jobState');
      return self.jobs.get(id)?.state ?? 'absent';
    },
    async observeJob(id) {
      await self.call('observeJob');
      const j = self.jobs.get(id);
      return j ? observed(j) : 'absent';
    },
    async failureCause(id) {
      await self.call('failureCause');
      const f = self.jobs.get(id)?.failures[0];
      return f ? { rootCause: f.rootCause, trace: f.trace } : null;
    },
    async failures(id) {
      await self.call('failures');
      return [...(self.jobs.get(id)?.failures ?? [])];
    },
    async exceptions(id) {
      await self.call('exceptions');
      const j = self.jobs.get(id);
      if (!j) return 'absent';
      return {
        failures: j.failures.map((f) => ({
          exception: f.exception,
          rootCause: f.rootCause,
          causes: causeChain(f.trace),
          trace: f.trace,
          at: f.at,
          task: null,
          location: null,
          taskManagerId: null,
          labels: {},
          concurrent: [],
        })),
        truncated: false,
      };
    },
    async jobGraph(id) {
      await self.call('jobGraph');
      const j = self.jobs.get(id);
      if (!j) return 'absent';
      // One vertex, as a job of one chained source and sink runs: its metrics not sampled yet.
      const vertex = { id: 'f'.repeat(32), name: `Source -> Sink (${id})`, parallelism: 1 };
      return {
        job: { vertices: [vertex], plan: { nodes: [{ id: vertex.id }] } },
        backpressure: {},
        metrics: {},
      };
    },
    async runtimeDetails(id): Promise<RuntimeDetails> {
      await self.call('runtimeDetails');
      const j = self.job(id);
      return { restarts: j.restarts, lastCheckpoint: null };
    },
    async latestSavepoint(id) {
      return self.jobs.get(id)?.savepoints.at(-1) ?? null;
    },
    async latestCheckpoint(id) {
      return self.jobs.get(id)?.checkpoint ?? null;
    },
  };
  const workbench: SqlWorkbench = {
    async openSqlSession(_session, initial = {}): Promise<SqlSession> {
      await self.call('openSqlSession');
      const options = { ...initial };
      self.openSessions++;
      let open = true;
      return {
        async execute(statement) {
          await self.call(`execute ${statement.split(/\s+/).slice(0, 2).join(' ')}`);
          self.statements.push(statement);
          const refused = self.refusal(statement);
          if (refused) throw refused;
          const set = /^SET\s+'([^']+)'\s*=\s*'([^']*)'/i.exec(statement);
          if (set) {
            options[set[1]!] = set[2]!;
            return { jobId: null, rows: [{ kind: 'INSERT', fields: ['OK'] }] };
          }
          if (/^(EXECUTE STATEMENT SET|INSERT)\b/i.test(statement))
            return { jobId: self.submit(statement, options), rows: [] };
          return { jobId: null, rows: [{ kind: 'INSERT', fields: ['OK'] }] };
        },
        async alive() {
          return open;
        },
        async stream() {
          throw new Error('the fake cluster runs no queries');
        },
        async close() {
          if (open) self.openSessions--;
          open = false;
        },
      };
    },
  };
  const jars: JarRunner = {
    async uploadJar(file) {
      await self.call('uploadJar');
      const id = `${++self.seq}_${file.replace(/^.*\//, '')}`;
      self.uploadedJars.set(id, file);
      return id;
    },
    async runJar(jarId, run) {
      await self.call('runJar');
      return self.runJar(jarId, run);
    },
    async deleteJar(jarId) {
      await self.call('deleteJar');
      self.uploadedJars.delete(jarId);
    },
  };
  return {
    name,
    kind: sessionKindOf(kind),
    jars,
    async prepare(log) {
      await self.call('prepare');
      log(`fake cluster ${name} is up`);
    },
    deployer,
    observer,
    workbench,
  };
}

/**
 * The cluster runtime over fake clusters: every cluster is registered as a remote one whose REST
 * address is `fake://<name>`, and its target is that fake cluster's. No process, no port.
 */
export class FakeClusterRuntime implements ClusterRuntime {
  readonly clusters = new Map<string, FakeFlink>();

  /** The fake cluster of that name, created on first use. */
  cluster(name: string): FakeFlink {
    let c = this.clusters.get(name);
    if (!c) this.clusters.set(name, (c = new FakeFlink()));
    return c;
  }

  async prepareLocalClusters(): Promise<void> {}

  localCluster(spec: LocalClusterSpec, dist: FlinkDistribution): LocalClusterProcesses {
    const fake = this.cluster(spec.name);
    const status = async (): Promise<LocalClusterStatus> => ({
      name: spec.name,
      state: fake.answering ? 'running' : 'degraded',
      flinkVersion: dist.flinkVersion,
      restUrl: `fake://${spec.name}`,
      gatewayUrl: `fake://${spec.name}`,
      processes: [],
      overview: null,
      gatewayHealthy: fake.answering,
    });
    return {
      spec,
      dist,
      restUrl: `fake://${spec.name}`,
      gatewayUrl: `fake://${spec.name}`,
      start: async () => {},
      stop: async () => {},
      detach: () => {},
      status,
    };
  }

  hasLiveProcesses(): boolean {
    return false;
  }

  async portFree(): Promise<boolean> {
    return true;
  }

  localUrls(ports: { restPort: number; gatewayPort: number }): { restUrl: string; gatewayUrl: string } {
    return {
      restUrl: `http://127.0.0.1:${ports.restPort}`,
      gatewayUrl: `http://127.0.0.1:${ports.gatewayPort}`,
    };
  }

  async overview(restUrl: string): Promise<ClusterOverview> {
    const fake = this.cluster(restUrl.replace(/^fake:\/\//, ''));
    if (!fake.answering) throw new TargetUnreachable(restUrl, 'connection refused');
    return {
      taskmanagers: fake.taskManagers,
      'slots-total': fake.taskManagers,
      'slots-available': fake.taskManagers - fake.live().length,
      'jobs-running': fake.live().length,
      'flink-version': '1.20.3',
    };
  }

  /** One slot per TaskManager, held by the live jobs whose tasks run; a job whose tasks wait has one task CREATED. */
  async flinkResources(restUrl: string): Promise<FlinkClusterFacts> {
    const fake = this.cluster(restUrl.replace(/^fake:\/\//, ''));
    if (!fake.answering) throw new TargetUnreachable(restUrl, 'connection refused');
    const holding = fake.live().filter((j) => j.tasksRunning);
    return {
      taskManagers: Array.from({ length: fake.taskManagers }, (_, i) => ({
        id: `fake-tm-${i}`,
        slotsTotal: 1,
        slotsFree: holding[i] ? 0 : 1,
        slotJobs: holding[i] ? [holding[i].id] : [],
        processMemoryBytes: 1280 * 2 ** 20,
        managedMemoryBytes: null,
        heapUsedBytes: null,
        heapMaxBytes: null,
      })),
      jobs: [...fake.jobs.values()].map((j) => ({
        flinkJobId: j.id,
        name: j.name,
        state: j.state,
        tasks: { [j.tasksRunning ? 'running' : 'created']: 1 },
        noResource: null,
      })),
    };
  }

  async gatewayAnswers(gatewayUrl: string): Promise<boolean> {
    return this.cluster(gatewayUrl.replace(/^fake:\/\//, '')).answering;
  }

  sessionTarget(name: string, kind: 'local' | 'remote'): DeploymentTarget {
    return this.cluster(name).target(name, kind);
  }

  /** The fake local application targets, by name, made on first use. */
  readonly applicationTargets = new Map<string, FakeApplicationTarget>();

  applicationTarget(o: ApplicationTargetOptions): ApplicationTarget {
    return this.fakeApplicationTarget(o.name);
  }

  /** The fake local application target of that name, made on first use (by the platform or a test). */
  fakeApplicationTarget(name: string): FakeApplicationTarget {
    let t = this.applicationTargets.get(name);
    if (!t) this.applicationTargets.set(name, (t = new FakeApplicationTarget(name)));
    return t;
  }
}
