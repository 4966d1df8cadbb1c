import type { FlinkJobState } from '../../domain/jobs/job.ts';
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
} from '../../domain/targets/deployment-target.ts';
import type { ApplicationTarget, ClusterProcessStatus } from '../../application/ports/clusters.ts';
import { statementSetSql } from '../../domain/sql/deployment-plan.ts';
import { FakeFlink } from './fake-flink.ts';

/** One job's fake application cluster: a fake Flink of its own, and what happened to its processes. */
export interface FakeApplicationCluster {
  spec: ApplicationSpec;
  flink: FakeFlink;
  started: boolean;
  /** Its JobManager died (it is not restarted). */
  jobManagerExited: boolean;
  /** TaskManagers that register once started. */
  taskManagers: number;
  released: boolean;
}

/**
 * A local application target in memory, for unit tests of the application-cluster deployment: each
 * job gets a FakeFlink of its own; starting it "runs the program" (submits the job under its reserved
 * id, restoring its savepoint); a test can make a JobManager die or a cluster keep silent. Every
 * cluster made is kept (released or not), so that a test checks that none is left running.
 */
export class FakeApplicationTarget implements ApplicationTarget, ApplicationClusters {
  readonly kind = 'local-application' as const;
  readonly workbench = null;
  /** Every cluster made, by Flink job id, in order. */
  readonly made = new Map<string, FakeApplicationCluster>();
  /** Called on every call, by name: a test can act in the middle of a deployment. */
  onCall: (call: string, flinkJobId: string) => void | Promise<void> = () => {};
  /** What the next started cluster's job does (see FakeFlink.onSubmit). */
  nextSubmit: FakeFlink['onSubmit'] = { kind: 'runs' };
  /** When false, the next started cluster's JobManager never answers. */
  jobManagerAnswers = true;
  /** The id the next started cluster's manager runs its job under instead of the reserved one (as the operator chooses a session job's). */
  nextJobId: string | null = null;
  /** The last lines of every cluster's TaskManager log: a test changes them as a booting JVM would. */
  taskManagerLog = 'the fake TaskManager log';

  constructor(readonly name: string) {}

  get deployer(): Deployer {
    return this.route();
  }

  get observer(): Observer {
    return this.route();
  }

  get applications(): ApplicationClusters {
    return this;
  }

  async prepare(): Promise<void> {}

  /** Clusters whose processes would still run. */
  running(): FakeApplicationCluster[] {
    return [...this.made.values()].filter((c) => c.started && !c.released);
  }

  clusters(): { jobName: string; flinkJobId: string; restUrl: string; processes: ClusterProcessStatus[] }[] {
    return this.running().map((c) => ({
      jobName: c.spec.jobName,
      flinkJobId: c.spec.flinkJobId,
      restUrl: `fake://${c.spec.flinkJobId}`,
      processes: [],
    }));
  }

  private async call(name: string, id: string): Promise<void> {
    await this.onCall(name, id);
  }

  async writeProgram(spec: ApplicationSpec): Promise<void> {
    await this.call('writeProgram', spec.flinkJobId);
    this.made.set(spec.flinkJobId, {
      spec,
      flink: new FakeFlink(),
      started: false,
      jobManagerExited: false,
      taskManagers: spec.resources.taskManagers,
      released: false,
    });
  }

  async prepareFiles(spec: ApplicationSpec): Promise<void> {
    await this.call('prepareFiles', spec.flinkJobId);
  }

  async start(flinkJobId: string): Promise<string | void> {
    await this.call('start', flinkJobId);
    const reserved = this.made.get(flinkJobId)!;
    const id = this.nextJobId ?? flinkJobId;
    this.nextJobId = null;
    // Known by the chosen id from here on, as the platform then knows the run.
    const c = id === flinkJobId ? reserved : { ...reserved, spec: { ...reserved.spec, flinkJobId: id } };
    if (c !== reserved) {
      this.made.delete(flinkJobId);
      this.made.set(id, c);
    }
    c.started = true;
    c.flink.answering = this.jobManagerAnswers;
    this.jobManagerAnswers = true;
    c.flink.onSubmit = this.nextSubmit;
    this.nextSubmit = { kind: 'runs' };
    // The JobManager runs the program: the job is submitted under its reserved (or chosen) id.
    const p = c.spec.program;
    const restore: Record<string, string> = c.spec.savepoint
      ? { 'execution.savepoint.path': c.spec.savepoint }
      : {};
    if (p.kind === 'sql')
      c.flink.submit(statementSetSql(p.plan.inserts), {
        ...p.plan.options,
        '$internal.pipeline.job-id': id,
        ...restore,
      });
    else
      c.flink.submit(`RUN JAR ${p.entryClass} ${p.args.join(' ')}`.trim(), {
        ...p.options,
        '$internal.pipeline.job-id': id,
        ...restore,
      });
    return id === flinkJobId ? undefined : id;
  }

  /** The job's JobManager dies (it is not restarted). */
  killJobManager(flinkJobId: string): void {
    const c = this.made.get(flinkJobId)!;
    c.jobManagerExited = true;
    c.flink.answering = false;
  }

  async facts(flinkJobId: string): Promise<ApplicationClusterFacts> {
    await this.call('facts', flinkJobId);
    const c = this.made.get(flinkJobId);
    const up = !!c && c.started && !c.released;
    const answers = up && !c.jobManagerExited && c.flink.answering;
    return {
      jobManager: answers ? `fake://${flinkJobId}` : null,
      taskManagers: answers ? c.taskManagers : 0,
      expectedTaskManagers: c?.spec.resources.taskManagers ?? 0,
      failing:
        up && c.jobManagerExited
          ? { process: 'jobmanager', restartable: false, crashes: 1, log: 'ERROR the fake JobManager died' }
          : null,
      alive: up,
      root: `fake://${c?.spec.jobName ?? '?'}/${flinkJobId}`,
      jobManagerLog: 'the fake JobManager log',
      taskManagerLog: this.taskManagerLog,
    };
  }

  observerOf(flinkJobId: string): Observer {
    const c = this.made.get(flinkJobId);
    if (!c || !c.started || c.released || c.jobManagerExited) return goneObserver(this.name);
    return c.flink.target(this.name).observer;
  }

  async release(flinkJobId: string): Promise<void> {
    await this.call('release', flinkJobId);
    const c = this.made.get(flinkJobId);
    if (c) c.released = true;
  }

  restUrl(flinkJobId: string): string | null {
    const c = this.made.get(flinkJobId);
    return c && c.started && !c.released && !c.jobManagerExited ? `fake://${flinkJobId}` : null;
  }

  async adopt(): Promise<string[]> {
    return this.running().map((c) => c.spec.flinkJobId);
  }

  detach(): void {}

  async stopAll(): Promise<void> {
    for (const c of this.made.values()) c.released = true;
  }

  /** The deployer and observer of the target as a whole: each call goes to the job's own cluster. */
  private route(): Deployer & Observer {
    const of = (id: string): DeploymentTarget => {
      const c = this.made.get(id);
      if (!c || !c.started || c.released || c.jobManagerExited)
        throw new TargetUnreachable(this.name, `the application cluster of ${id} is not running`);
      return c.flink.target(this.name);
    };
    const obs = (id: string) => this.observerOf(id);
    return {
      stopWithSavepoint: (id, dir, drain) => of(id).deployer.stopWithSavepoint(id, dir, drain),
      cancel: (id) => of(id).deployer.cancel(id),
      triggerSavepoint: (id, dir) => of(id).deployer.triggerSavepoint(id, dir),
      cluster: () => Promise.reject(new TargetUnreachable(this.name, 'no cluster of its own')),
      observe: async () => {
        const all = new Map<string, ObservedJob>();
        for (const c of this.running())
          for (const [k, v] of await obs(c.spec.flinkJobId)
            .observe()
            .catch(() => new Map<string, ObservedJob>()))
            all.set(k, v);
        return all;
      },
      jobState: (id) => obs(id).jobState(id),
      observeJob: (id) => obs(id).observeJob(id),
      failureCause: (id) => obs(id).failureCause(id),
      failures: (id) => obs(id).failures(id),
      exceptions: (id) => obs(id).exceptions(id),
      jobGraph: (id) => obs(id).jobGraph(id),
      runtimeDetails: (id) => obs(id).runtimeDetails(id),
      latestSavepoint: (id) => obs(id).latestSavepoint(id),
      latestCheckpoint: (id) => obs(id).latestCheckpoint(id),
    };
  }
}

/** A cluster that is gone knows no job. */
function goneObserver(target: string): Observer {
  return {
    cluster: (): Promise<ClusterFacts> => Promise.reject(new TargetUnreachable(target, 'gone')),
    observe: async () => new Map(),
    jobState: async (): Promise<FlinkJobState | 'absent'> => 'absent',
    observeJob: async () => 'absent',
    failureCause: async () => null,
    failures: async (): Promise<JobFailure[]> => [],
    exceptions: async () => 'absent' as const,
    jobGraph: async () => 'absent' as const,
    runtimeDetails: async (): Promise<RuntimeDetails> => ({ restarts: null, lastCheckpoint: null }),
    latestSavepoint: async () => null,
    latestCheckpoint: async () => null,
  };
}
