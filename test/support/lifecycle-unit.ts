import os from 'node:os';
import path from 'node:path';
import { FakeClusterRuntime, type FakeFlink } from '../../src/adapters/fake-target/fake-flink.ts';
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.ts';
import { CatalogService } from '../../src/application/catalog-service.ts';
import { AllowedFilePaths } from '../../src/application/file-paths.ts';
import { TargetService } from '../../src/application/target-service.ts';
import { loadConfig, type SluiceConfig } from '../../src/application/config.ts';
import { EngineService } from '../../src/application/engine-service.ts';
import { EventBus } from '../../src/application/event-bus.ts';
import { JobService, type CreateJobInput } from '../../src/application/job-service.ts';
import { JobStates } from '../../src/application/job-states.ts';
import type { Clock } from '../../src/application/ports/clock.ts';
import type { KubernetesRuntime } from '../../src/application/ports/kubernetes.ts';
import type { SecretSealer } from '../../src/application/ports/secrets.ts';
import { reconcileInterruptedSubmissions } from '../../src/application/reconciler.ts';
import { SubmissionRunner } from '../../src/application/submissions.ts';
import { Tracker } from '../../src/application/tracker.ts';
import { VariableService } from '../../src/application/variable-service.ts';
import type { Job } from '../../src/domain/jobs/job.ts';
import type { LifecycleState } from '../../src/domain/jobs/lifecycle.ts';
import type { JobEvent, Submission, SubmissionParams } from '../../src/domain/jobs/submission.ts';
import type { SqlProblem, SyntaxReport } from '../../src/domain/sql/syntax.ts';
import { SluiceError, invalid } from '../../src/domain/errors.ts';
import { message } from '../../src/domain/messages.ts';
import {
  parseArtifactRequest,
  type ArtifactRef,
  type ArtifactVersion,
  type JobJar,
} from '../../src/domain/artifacts/artifact.ts';
import type { Workspace } from '../../src/application/workspace.ts';
import { LOCAL_CLUSTER_DEFAULTS } from '../../src/domain/clusters/local-cluster-spec.ts';

/** Time that moves only when the code under test waits: a 90 s deadline passes at once. */
export class FakeClock implements Clock {
  private t = Date.parse('2026-01-01T00:00:00Z');
  /** Total virtual time waited, in ms. */
  waited = 0;
  now(): number {
    return this.t;
  }
  iso(): string {
    return new Date(this.t).toISOString();
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    this.waited += ms;
    // Yield to the event loop, so that what the test does in between can happen.
    await new Promise((r) => setImmediate(r));
  }
}

/** Seals by reversible encoding: the variable service's logic runs, without a key on disk. */
const testSealer: SecretSealer = {
  seal: (plain) => `sealed:${Buffer.from(plain).toString('base64')}`,
  open: (sealed) => Buffer.from(sealed.replace(/^sealed:/, ''), 'base64').toString(),
};

export const JOB_SQL = `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE snk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`;

/** The lifecycle's use cases over the in-memory store and one fake Flink cluster named `fake`. */
export interface LifecycleUnit {
  store: MemoryStore;
  runtime: FakeClusterRuntime;
  /** The fake cluster jobs run on. */
  flink: FakeFlink;
  clock: FakeClock;
  states: JobStates;
  runner: SubmissionRunner;
  jobs: JobService;
  /** The deployment targets (the fake session `fake`, the fake local application targets). */
  targets: TargetService;
  tracker: Tracker;
  /** The workspace's variables (secrets sealed by a reversible test encoding). */
  variables: VariableService;
  /** The artifacts jobs can name (shared by every unit, as names are per test). */
  artifacts: UnitArtifacts;
  /** Errors the script check reports (none by default): the validate step refuses a script with them. */
  scriptErrors: SqlProblem[];
  /** The artifact versions jobs may name, with the function classes in each (none by default). */
  jars: JobJar[];
  /** Resubmissions the restart policy launched, as they were launched. */
  resubmissions: Promise<Submission | null>[];
  /** The tracker's rounds as it reported them (seconds each), the metrics' source. */
  trackerRounds: number[];
  createJob(name: string, input?: Partial<CreateJobInput>): Promise<Job>;
  /** Launches a command and waits until its submission ended. */
  run(name: string, kind: Submission['kind'], params?: SubmissionParams): Promise<Submission>;
  /**
   * Launches a command and returns once its submission makes `call` on the fake cluster, a call that
   * then never returns: the platform dies there (`restart` wires the next one).
   */
  hangAt(name: string, kind: Submission['kind'], call: string): Promise<Submission>;
  job(name: string): Promise<Job>;
  /** The job's states in order, from its events. */
  path(name: string): Promise<LifecycleState[]>;
  events(name: string): Promise<JobEvent[]>;
  /** The platform restarted over the same store and cluster: what `boot` does about interrupted submissions. */
  restart(): Promise<LifecycleUnit>;
}

type UnitArtifactsShape = Pick<Workspace['artifacts'], 'pin' | 'entryClassIn' | 'file'>;

/**
 * The artifacts a unit test names, in memory: each version a jar file name with its classes and
 * Main-Class. It pins, checks entry classes and answers files as the artifact service does.
 */
export class UnitArtifacts implements UnitArtifactsShape {
  readonly versions = new Map<string, { mainClass: string | null; classes: string[] }[]>();

  /** Adds the next version of `name`; answers its number. */
  add(name: string, jar: { mainClass: string | null; classes: string[] }): number {
    const list = this.versions.get(name) ?? [];
    list.push(jar);
    this.versions.set(name, list);
    return list.length;
  }

  private get(name: string, version: number) {
    const v = this.versions.get(name)?.[version - 1];
    if (!v)
      throw new SluiceError(
        'not_found',
        message('artifact.versionNotFound', { artifact: name, version, versions: '' }),
      );
    return v;
  }

  async pin(requests: readonly (string | ArtifactRef)[], field = 'artifacts'): Promise<ArtifactRef[]> {
    return requests.map((r) => {
      const req = typeof r === 'string' ? parseArtifactRequest(r, field) : r;
      const list = this.versions.get(req.name);
      if (!list) throw new SluiceError('not_found', message('artifact.notFound', { artifact: req.name }));
      const version = req.version ?? list.length;
      this.get(req.name, version);
      return { name: req.name, version };
    });
  }

  async entryClassIn(ref: ArtifactRef, entryClass: string | null): Promise<string> {
    const v = this.get(ref.name, ref.version);
    const at = { artifact: ref.name, version: ref.version };
    if (!entryClass) {
      if (!v.mainClass) throw invalid('entryClass', message('job.noMainClass', at));
      return v.mainClass;
    }
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(entryClass))
      throw invalid('entryClass', message('job.badEntryClass', { class: entryClass }));
    if (!v.classes.includes(entryClass))
      throw invalid(
        'entryClass',
        message('job.noEntryClass', { ...at, class: entryClass, classes: v.classes.length }),
      );
    return entryClass;
  }

  async file(name: string, version: number) {
    this.get(name, version);
    const fileName = `${name}-${version}.jar`;
    return { path: `/artifacts/${fileName}`, fileName, version: {} as ArtifactVersion };
  }
}

const unitArtifacts = new UnitArtifacts();

export const unitConfig = (): SluiceConfig => ({
  ...loadConfig({ SLUICE_HOME: path.join(os.tmpdir(), 'sluice-unit-never-written') }),
  savepointDir: '/savepoints',
  savepointRetention: 2,
});

/**
 * The jars of an engine's lib that the unit tests look at by name (the connectors a Kubernetes run gets
 * from it), as provisioned for 1.20; the other jars of a real lib matter to no unit test.
 */
export const UNIT_ENGINE_LIB = [
  'flink-connector-jdbc-core-3.3.0-1.20.jar',
  'flink-connector-jdbc-postgres-3.3.0-1.20.jar',
  'flink-connector-kafka-3.4.0-1.20.jar',
  'flink-json-1.20.3.jar',
  'kafka-clients-3.4.0.jar',
  'postgresql-42.7.3.jar',
];

/** Engines whose lib names a few jars (no file is read): enough for a fake local session cluster, which starts no process. */
const unitEngines = (store: MemoryStore, config: SluiceConfig) =>
  new EngineService(store, config, {
    inspect: (home) => ({
      home,
      flinkVersion: '1.20.3',
      classpath: UNIT_ENGINE_LIB.map((j) => path.join(home, 'lib', j)),
      gatewayJars: [],
    }),
    scanCatalogFactories: () => ({ factories: [], unreadable: [] }),
    provision: () => Promise.reject(new Error('unit tests provision no engine')),
  });

/** A memory store with engine 1.20 installed. */
async function unitStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.engines.save({
    version: '1.20',
    flinkVersion: '1.20.3',
    home: '/engines/1.20',
    source: 'registered',
    installedAt: '2026-01-01T00:00:00Z',
  });
  return store;
}

/**
 * A target service alone over a memory store with engine 1.20 installed and no target, on `runtime`
 * (the fake one, or a test's subclass of it), with `loadKubernetes` as its Kubernetes client.
 */
export async function unitTargets(
  runtime: FakeClusterRuntime = new FakeClusterRuntime(),
  loadKubernetes: (() => Promise<KubernetesRuntime>) | null = null,
) {
  const store = await unitStore();
  const config = unitConfig();
  const service = new TargetService(
    store,
    runtime,
    unitEngines(store, config),
    config,
    () => {},
    loadKubernetes,
  );
  return { service, store, config };
}

export { FakeClusterRuntime };

function wire(store: MemoryStore, runtime: FakeClusterRuntime, clock: FakeClock): LifecycleUnit {
  const config = unitConfig();
  const bus = new EventBus();
  const engines = unitEngines(store, config);
  const clusters = new TargetService(store, runtime, engines, config);
  const states = new JobStates(store, bus);
  const variables = new VariableService(store, testSealer);
  // Spaces' default folders are not made: the unit home is never written.
  const files = new AllowedFilePaths(config.allowedFilePaths, store.spaces, config.home, {
    makeFolder: () => {},
  });
  const catalogs = new CatalogService(store, variables, clusters, files);
  // The artifacts a test puts in `jars` (none by default) or in `artifacts` (JAR jobs' programs): a
  // request for another is refused.
  const find = (r: string | ArtifactRef) => {
    const [name, version] = typeof r === 'string' ? r.split('@') : [r.name, String(r.version)];
    const jar = jars.find((j) => j.name === name && (version === undefined || String(j.version) === version));
    if (!jar) throw new SluiceError('not_found', message('artifact.notFound', { artifact: String(name) }));
    return jar;
  };
  const artifacts: Workspace['artifacts'] = {
    pin: async (requests, field) =>
      requests.every((r) => unitArtifacts.versions.has(typeof r === 'string' ? r.split('@')[0]! : r.name))
        ? unitArtifacts.pin(requests, field)
        : requests.map(find).map((j) => ({ name: j.name, version: j.version })),
    jobJars: async (refs) => refs.map(find),
    entryClassIn: (ref, entryClass) => unitArtifacts.entryClassIn(ref, entryClass),
    file: (name, version) => unitArtifacts.file(name, version),
  };
  const workspace = { variables, catalogs, artifacts, files };
  const scriptErrors: SqlProblem[] = [];
  const jars: JobJar[] = [];
  const validate = async (): Promise<SyntaxReport> => ({ problems: [...scriptErrors], statements: [] });
  const runner = new SubmissionRunner(store, bus, states, clusters, config, workspace, validate, clock);
  const jobs = new JobService(store, engines, clusters, runner, workspace, validate, clock);
  const resubmissions: Promise<Submission | null>[] = [];
  const resubmit = (job: Job) => void resubmissions.push(jobs.resubmitAfterFailure(job));
  runner.onRuntimeFailure = resubmit;
  const trackerRounds: number[] = [];
  const tracker = new Tracker(store, states, clusters, {
    onFailed: resubmit,
    onEnded: async (job) => void (await runner.recordRetainedCheckpoint(job)),
    onRound: (seconds) => trackerRounds.push(seconds),
  });
  const unit: LifecycleUnit = {
    store,
    runtime,
    flink: runtime.cluster('fake'),
    clock,
    states,
    runner,
    jobs,
    targets: clusters,
    tracker,
    variables,
    artifacts: unitArtifacts,
    scriptErrors,
    jars,
    resubmissions,
    trackerRounds,
    async createJob(name, input = {}) {
      await jobs.create({ name, sql: JOB_SQL, target: 'fake', engineVersion: '1.20', ...input }, 'test');
      return unit.job(name);
    },
    async run(name, kind, params = {}) {
      const s = await runner.launch(await unit.job(name), kind, params, 'alice');
      await runner.wait(s.id);
      return (await store.lifecycle.submission(s.id))!;
    },
    async hangAt(name, kind, call) {
      const flink = unit.flink;
      let reached!: () => void;
      const there = new Promise<void>((r) => (reached = r));
      flink.onCall = (c) => {
        if (c !== call) return;
        reached();
        return new Promise<void>(() => {}); // the process is gone: nothing after this happens
      };
      const s = await runner.launch(await unit.job(name), kind, {}, 'alice');
      await there;
      flink.onCall = () => {};
      return s;
    },
    async job(name) {
      return (await store.jobs.getByName(name))!;
    },
    async events(name) {
      return store.lifecycle.events((await unit.job(name)).id);
    },
    async path(name) {
      const events = await unit.events(name);
      return events.length ? [events[0]!.from, ...events.map((e) => e.to)] : [(await unit.job(name)).state];
    },
    async restart() {
      const next = wire(store, runtime, clock);
      await reconcileInterruptedSubmissions(store, clusters, next.states, () => {}, clock);
      return next;
    },
  };
  return unit;
}

/** A fake local session cluster (its processes are the fake runtime's, none started) named `name`. */
export async function addLocalSession(u: LifecycleUnit, name: string): Promise<void> {
  await u.store.targets.save({ ...LOCAL_CLUSTER_DEFAULTS, name, engineVersion: '1.20' });
}

/** A fresh lifecycle: engine 1.20 installed, the fake cluster `fake` registered as a session cluster. */
export async function lifecycleUnit(): Promise<LifecycleUnit> {
  const store = await unitStore();
  await store.targets.save(
    { name: 'fake', engineVersion: '1.20', restUrl: 'fake://fake', gatewayUrl: 'fake://fake' },
    'remote',
  );
  return wire(store, new FakeClusterRuntime(), new FakeClock());
}
