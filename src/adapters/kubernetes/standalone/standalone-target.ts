import fs from 'node:fs';
import path from 'node:path';
import { dumpYaml, type V1ConfigMap, type V1ObjectMeta, type V1Pod } from '@kubernetes/client-node';
import type { FlinkJobState } from '../../../domain/jobs/job.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import {
  ClusterStarting,
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
  type PodTrouble,
  type RawResponse,
  type RenderedCluster,
  type RuntimeDetails,
  type SqlWorkbench,
} from '../../../domain/targets/deployment-target.ts';
import type { JobLogs } from '../../../domain/logs/job-logs.ts';
import type { ExceptionHistory } from '../../../domain/logs/exception-history.ts';
import {
  DEFAULT_LOG_RETENTION,
  retentionText,
  type LogRetention,
} from '../../../domain/logs/log-retention.ts';
import {
  clusterViewOf,
  type KubernetesClusterView,
  type PodFacts,
} from '../../../domain/targets/kubernetes-cluster-view.ts';
import { artifactWay, type KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { SUBMISSION_TOKEN_TTL_MS } from '../../../application/submission-tokens.ts';
import type { SubmissionArtifacts } from '../../artifacts/submission-artifacts.ts';
import type { S3RunArtifacts } from '../../artifacts/s3-run-artifacts.ts';
import type { S3StorageSettings } from '../../../domain/artifacts/storage-settings.ts';
import { fetcherClass } from './fetcher-build.ts';
import { SessionClusterTarget } from '../../flink/session-cluster-target.ts';
import { ensureSqlRunnerJar } from '../../flink/sql-runner/sql-runner-build.ts';
import { sqlRunnerScript } from '../../flink/sql-runner/sql-runner-script.ts';
import { applyRootAndService, isNotFound, KubeApi } from './kube-api.ts';
import { keptSummary, PodLogArchive, PodLogs } from './pod-logs.ts';
import { PodWatch } from './pod-watch.ts';
import { readPodTemplateFiles } from '../pod-template.ts';
import {
  clusterName,
  effectiveOptions,
  haConfigMapSelector,
  inApplyOrder,
  LABELS,
  PLAN_DIR,
  PLAN_FILE,
  renderStandaloneCluster,
  requireSharedDir,
  selectorOf,
  sharedPaths,
  statePaths,
  type StandaloneClusterInput,
} from './standalone-manifests.ts';
import { LISTING_KEY, OBJECTS_KEY, TOKEN_KEY, type ArtifactFetch } from '../artifact-fetch.ts';
import { PerJobClusterObserver } from '../../../domain/targets/per-job-observer.ts';
import type { FlinkJobGraphAnswers } from '../../../domain/metrics/job-graph.ts';

/** How long after its objects were applied a cluster may still be starting the program that submits its job. */
const SUBMIT_GRACE_MS = 180_000;
/** Facts are read at most this often per cluster: a start polls them several times a second. */
const FACTS_TTL_MS = 1000;
/** How long a release waits for the pods to be gone. */
const RELEASE_TIMEOUT_MS = 90_000;
/** A request through the API server's proxy that found no answer is asked again this often, this far apart. */
const PROXY_ATTEMPTS = 4;
const PROXY_RETRY_MS = 750;
/** Run folders kept per job in the shared folder (the newest); older ones go at the next start. */
const RUNS_KEPT = 5;
/** Container states of a pod that will not run without a change: a start stops waiting at once. */
export const HOPELESS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
]);

export interface KubernetesStandaloneOptions {
  spec: KubernetesTargetSpec;
  /** The full Flink version of the target's image (`1.20.3`), read when a cluster is made. */
  flinkVersion: () => Promise<string>;
  sluiceHome: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  /** SQL sessions for explain, debug runs and catalogs (not on Kubernetes yet: a local session's). */
  workbench: SqlWorkbench | null;
  /** Where runs' jars wait for their init containers (a target with a platform URL needs it). */
  submissionArtifacts?: SubmissionArtifacts | undefined;
  /** The server's S3-compatible artifact bucket, when it has one (a target with `artifactsFrom: s3` needs it). */
  s3Artifacts?: S3StorageSettings | null | undefined;
  /** The runs per job whose pod logs are kept (SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION). */
  logRetention?: LogRetention | undefined;
  /** The engine's jars (Flink's client runs with them on Sluice's machine in the native way). */
  engineClasspath?: (() => Promise<string[]>) | undefined;
}

/** What the target knows of one job's cluster. */
export interface Run {
  jobName: string;
  name: string;
  expectedTaskManagers: number;
  /** When its objects were applied (or, adopted, when its root was created). */
  appliedAt: number;
  /** The render input, until the cluster is applied (adopted clusters have none). */
  input: StandaloneClusterInput | null;
  rest: SessionClusterTarget;
  facts: { at: number; value: ApplicationClusterFacts } | null;
  /** Its JobManager has shown the job once: from then on, not answering is not "not submitted yet". */
  seen: boolean;
}

/**
 * Standalone Flink on Kubernetes (Vipshop's and Douyu's way): each job runs in a Flink application
 * cluster of its own whose objects Sluice renders (standalone-manifests.ts) and applies itself, with no
 * operator and no permission for Flink to create pods. The cluster's root ConfigMap owns everything
 * else, so deleting it (a stop, a cancel, a failed start) removes the cluster; its savepoints and
 * checkpoints stay in the shared folder. Flink's REST is reached through the API server's service
 * proxy with the kubeconfig's credentials.
 */
export class KubernetesStandaloneTarget
  extends PerJobClusterObserver
  implements DeploymentTarget, ApplicationClusters, Deployer
{
  readonly kind:
    'kubernetes-standalone' | 'kubernetes-operator' | 'kubernetes-operator-session' | 'kubernetes-native' =
    'kubernetes-standalone';
  /** The suffix of the Service in front of a cluster's JobManager REST (the operator's is `rest`). */
  protected readonly restService: string = 'jobmanager';
  readonly api: KubeApi;
  /** Every pod of this target's clusters, from one watch. */
  protected readonly watch: PodWatch;
  /** The logs of its jobs' clusters: their pods' logs. */
  readonly logs: JobLogs;
  protected readonly live = new Map<string, Run>();
  protected readonly programs = new Map<
    string,
    { jars: string[]; entryClass: string; args: string[]; plan: string | null }
  >();

  /** The pod logs of released runs, per job and run, under the platform's home. */
  readonly archive: PodLogArchive;
  /** Renews the artifact tokens (or presigned URLs) of live runs, while any fetches its jars. */
  private renewal: NodeJS.Timeout | null = null;
  /** The runs' jars in the artifact bucket, made at first use (the AWS SDK is loaded only then). */
  private s3Runs: Promise<S3RunArtifacts> | null = null;

  constructor(protected readonly o: KubernetesStandaloneOptions) {
    super();
    this.api = new KubeApi(o.spec);
    this.watch = new PodWatch(this.api, `${LABELS.managedBy}=sluice,${LABELS.target}=${o.spec.name}`);
    this.archive = new PodLogArchive(o.sluiceHome, o.spec.name, o.logRetention ?? DEFAULT_LOG_RETENTION);
    this.logs = new PodLogs(
      this.api,
      this.watch,
      (jobName) =>
        [...this.live]
          .filter(([, run]) => run.jobName === jobName)
          .map(([flinkJobId, run]) => ({ flinkJobId, appliedAt: run.appliedAt })),
      this.archive,
    );
  }

  get name(): string {
    return this.o.spec.name;
  }

  get spec(): KubernetesTargetSpec {
    return this.o.spec;
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

  /** Nothing to prepare: a job's cluster is made by its own deployment. */
  async prepare(): Promise<void> {}

  async writeProgram(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const p = spec.program;
    if (p.kind === 'jar') {
      this.programs.set(spec.flinkJobId, { jars: [], entryClass: p.entryClass, args: p.args, plan: null });
      return;
    }
    this.requireArtifactWay();
    const flinkVersion = await this.o.flinkVersion();
    const runner = await ensureSqlRunnerJar({
      flinkVersion,
      sluiceHome: this.o.sluiceHome,
      mavenLocalRepository: this.o.mavenLocalRepository,
      mavenMirror: this.o.mavenMirror,
      progress: log,
    });
    log(`SQL runner for Flink ${runner.flinkVersion}: ${runner.jar}${runner.built ? ' (built now)' : ''}`);
    const { plan, catalogs } = p;
    const script = sqlRunnerScript(plan, {
      catalogs: catalogs.map((c) => ({ name: c.name, sql: c.statement })),
    });
    this.programs.set(spec.flinkJobId, {
      jars: [runner.jar],
      entryClass: runner.mainClass,
      args: [`${PLAN_DIR}/${PLAN_FILE}`],
      plan: `${JSON.stringify(script, null, 2)}\n`,
    });
    log(
      `SQL runner plan rendered for the Secret ${clusterName(spec.jobName, spec.flinkJobId)}-program (the JobManager reads ${PLAN_DIR}/${PLAN_FILE}): ${Object.keys(plan.options).length} options, ${catalogs.length} catalogs, ${plan.setup.length} setup statements, ${plan.inserts.length} INSERTs as one job`,
    );
  }

  /**
   * The objects a start would apply for the spec, as YAML (the JobManager's address and the owner's
   * uid are the API server's to choose at apply time: shown as placeholders), and the API server's
   * server-side dry run of each of them in their final form. Nothing is created, nothing is written.
   */
  async render(spec: ApplicationSpec, log: (line: string) => void): Promise<RenderedCluster> {
    await this.writeProgram(spec, log);
    const input = await this.inputOf(spec);
    this.programs.delete(spec.flinkJobId);
    const shown = renderStandaloneCluster(input);
    const objects = inApplyOrder(shown);
    return {
      yaml: objects.map((o) => dumpYaml(o)).join('---\n'),
      objects: objects.map((o) => ({ kind: o.kind!, name: o.metadata!.name! })),
      dryRun: await this.dryRun(input),
    };
  }

  private async dryRun(input: StandaloneClusterInput): Promise<RenderedCluster['dryRun']> {
    try {
      const root = await this.api.apply(renderStandaloneCluster(input).root, true);
      const owned = renderStandaloneCluster({ ...input, rootUid: root.metadata?.uid ?? 'dry-run' });
      const service = await this.api.apply(owned.service, true);
      const all = renderStandaloneCluster({
        ...input,
        rootUid: root.metadata?.uid ?? 'dry-run',
        jobManagerAddress: service.spec?.clusterIP ?? '10.0.0.1',
      });
      for (const o of inApplyOrder(all)) await this.api.apply(o, true);
      return {
        accepted: true,
        detail: `the API server at ${this.api.server} accepted all ${inApplyOrder(all).length} objects (server-side dry run, namespace ${this.o.spec.namespace})`,
      };
    } catch (e) {
      return { accepted: false, detail: e instanceof SluiceError ? e.message : String(e) };
    }
  }

  /** The jars reach the pods one way or another: from the bucket, from the platform, or through the shared folder. */
  protected requireArtifactWay(): 's3' | 'platform' | 'shared-folder' {
    const way = artifactWay(this.o.spec);
    if (!way) requireSharedDir(this.o.spec);
    if (way === 'platform' && !this.o.submissionArtifacts)
      throw new Error('this platform serves no submission artifacts: the target cannot fetch jars from it');
    // Registered while the server kept artifacts in S3, started by one that does not.
    if (way === 's3' && !this.o.s3Artifacts)
      throw new SluiceError(
        'precondition_failed',
        message('kubernetes.noS3ArtifactStorage', {
          target: this.name,
          where: path.join(this.o.sluiceHome, 'artifacts'),
        }),
        { field: 'artifactsFrom' },
      );
    return way!;
  }

  /** The runs' jars in the server's artifact bucket, signed for the endpoint the pods reach. */
  private runArtifacts(): Promise<S3RunArtifacts> {
    const settings = this.o.s3Artifacts;
    if (!settings) throw new Error('this server keeps no artifacts in S3');
    this.s3Runs ??= import('../../artifacts/s3-run-artifacts.ts').then(
      ({ S3RunArtifacts }) => new S3RunArtifacts(settings, this.o.spec.s3EndpointForPods ?? null),
    );
    return this.s3Runs;
  }

  /** What a presigned URL of a run's listing is valid for: a token's life, renewed as tokens are. */
  private static readonly URL_TTL_S = SUBMISSION_TOKEN_TTL_MS / 1000;

  /** The token shown until a start mints the run's own. */
  static readonly TOKEN_PLACEHOLDER = '<a token scoped to the run, minted at its start>';
  /** The listing shown until a start puts the run's jars in the bucket and signs their URLs. */
  static readonly LISTING_PLACEHOLDER = "<the run's jars' presigned GET URLs, signed at its start>";

  /**
   * What the pods fetch the jars with when an init container fetches them: the fetcher and the run's
   * token (from the platform) or its listing of presigned URLs (from S3), or a placeholder for a
   * rendered preview; null when they come through the shared folder.
   */
  protected async fetchOf(
    fetched?: { token: string } | { listing: string; objects: string },
  ): Promise<ArtifactFetch | null> {
    const way = this.requireArtifactWay();
    if (way === 'shared-folder') return null;
    const fetcher = await fetcherClass(this.o.sluiceHome);
    if (way === 'platform')
      return {
        fetcherClass: fetcher,
        token: fetched && 'token' in fetched ? fetched.token : KubernetesStandaloneTarget.TOKEN_PLACEHOLDER,
      };
    return {
      fetcherClass: fetcher,
      ...(fetched && 'listing' in fetched
        ? fetched
        : { listing: KubernetesStandaloneTarget.LISTING_PLACEHOLDER, objects: '' }),
    };
  }

  /** A fresh token of the run whose pods fetch its jars from the platform; undefined otherwise. */
  protected mintToken(flinkJobId: string): string | undefined {
    return this.requireArtifactWay() === 'platform'
      ? this.o.submissionArtifacts!.tokens.mint(flinkJobId)
      : undefined;
  }

  private async inputOf(
    spec: ApplicationSpec,
    fetched?: { token: string } | { listing: string; objects: string },
  ): Promise<StandaloneClusterInput> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    const fetch = await this.fetchOf(fetched);
    return {
      target: this.o.spec,
      spec,
      flinkVersion: await this.o.flinkVersion(),
      program: { entryClass: program.entryClass, args: program.args },
      plan: program.plan,
      jobManagerAddress: null,
      rootUid: null,
      podTemplates: readPodTemplateFiles(effectiveOptions(this.o.spec, spec)),
      fetch,
    };
  }

  /**
   * A run's jars where its pods take them: the platform's submission artifacts, or its usrlib in the
   * shared folder (from S3 they were put in the bucket before); and the job's state folders, made
   * writable by the pods (they run Flink as user flink, 9999) when there is a shared folder.
   */
  private placeRunFiles(
    spec: ApplicationSpec,
    jars: string[],
    way: 's3' | 'platform' | 'shared-folder',
    p: ReturnType<typeof statePaths>,
    log: (line: string) => void,
  ): void {
    if (way === 'platform') {
      const listed = this.o.submissionArtifacts!.put(spec.flinkJobId, jars);
      log(
        `artifacts for the init container at ${this.o.spec.platformUrl}/api/v1/submission-artifacts/${spec.flinkJobId} (a token scoped to this run, valid ${SUBMISSION_TOKEN_TTL_MS / 60_000} min, renewed while it runs): ${listed.map((f) => `${f.name} (${f.size} bytes)`).join(', ')}`,
      );
    } else if (way === 'shared-folder') {
      placeJars(p!.usrlib, jars);
      log(
        `classpath (usrlib, ${sharedVolumeText(this.o.spec)} ${p!.usrlib}): ${jars.map((j) => path.basename(j)).join(', ')}`,
      );
    }
    // The pods run Flink as user flink (9999): it writes checkpoints, savepoints and HA data here.
    if (p)
      for (const d of [p.checkpoints, p.savepoints, path.join(p.jobDir, 'ha')]) {
        fs.mkdirSync(d, { recursive: true });
        fs.chmodSync(d, 0o777);
      }
  }

  async prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    const artifacts = this.o.submissionArtifacts;
    const way = this.requireArtifactWay();
    const token = way === 'platform' ? artifacts!.tokens.mint(spec.flinkJobId) : undefined;
    let input = await this.inputOf(spec, token === undefined ? undefined : { token });
    // Renders now so that a bad option (a CPU that is no number...) is refused before anything is applied.
    renderStandaloneCluster(input);
    const jars = [...program.jars, ...spec.jars];
    const p = statePaths(this.o.spec, spec.jobName, spec.flinkJobId);
    if (p) this.pruneRuns(p.jobDir, log);
    if (way === 's3') input = await this.inputOf(spec, await this.stageInBucket(spec, jars, log));
    this.placeRunFiles(spec, jars, way, p, log);
    const name = clusterName(spec.jobName, spec.flinkJobId);
    this.live.set(spec.flinkJobId, {
      jobName: spec.jobName,
      name,
      expectedTaskManagers: spec.resources.taskManagers,
      appliedAt: Date.now(),
      input,
      rest: this.restOf(`${name}-jobmanager`, 'rest'),
      facts: null,
      seen: false,
    });
    this.programs.delete(spec.flinkJobId);
    const r = spec.resources;
    log(
      p
        ? `checkpoints in ${p.checkpoints}, savepoints in ${p.savepoints} (the same paths in the pods)`
        : "no shared folder: checkpoints and savepoints go where the job's options (state.checkpoints.dir, state.savepoints.dir) say",
    );
    log(
      `${r.taskManagers} TaskManager pod(s) of ${r.slotsPerTaskManager} slot(s), JobManager ${r.jobManagerMemory}, TaskManager ${r.taskManagerMemory}; image ${this.o.spec.image}; namespace ${this.o.spec.namespace}`,
    );
    if (spec.savepoint) log(`the JobManager restores from ${spec.savepoint}`);
  }

  /**
   * Puts the run's jars in the bucket (or finds them there, as artifacts) and signs their URLs: what
   * its `-artifacts` Secret holds when its pods fetch the jars from S3.
   */
  protected async stageInBucket(
    spec: ApplicationSpec,
    jars: string[],
    log: (line: string) => void,
  ): Promise<{ listing: string; objects: string }> {
    const s3 = await this.runArtifacts();
    const objects = await s3.put(spec.flinkJobId, jars);
    const { objectsText } = await import('../../artifacts/s3-run-artifacts.ts');
    const listing = await s3.listing(objects, new Date(), KubernetesStandaloneTarget.URL_TTL_S);
    log(
      `artifacts for the init container in ${s3.where(s3.runPrefix(spec.flinkJobId))}${objects.some((o) => o.shared) ? " and the artifact store's own objects" : ''}, by presigned GET URLs (valid ${KubernetesStandaloneTarget.URL_TTL_S / 60} min, signed again while it runs): ${objects.map((o) => `${o.name} (${o.size} bytes, ${o.shared ? 'the artifact ' : ''}${s3.where(o.key)})`).join(', ')}`,
    );
    return { listing, objects: objectsText(objects) };
  }

  /**
   * What the pods of a run whose cluster Flink makes from pod templates (operator and native ways)
   * fetch with: a fresh token (from the platform) or, from S3, the run's jars put in the bucket and
   * their signed listing; undefined with the shared folder. The jars go in the bucket here, before
   * the input is rendered, since the Secret carries their URLs.
   */
  protected async fetchedAtStart(
    spec: ApplicationSpec,
    jars: string[],
    log: (line: string) => void,
  ): Promise<{ token: string } | { listing: string; objects: string } | undefined> {
    const way = this.requireArtifactWay();
    if (way === 's3') return this.stageInBucket(spec, jars, log);
    const token = this.mintToken(spec.flinkJobId);
    return token === undefined ? undefined : { token };
  }

  /** Whether a live run's pods fetch its jars (from the platform or S3): its Secret is renewed then. */
  protected fetchesJars(flinkJobId: string): boolean {
    return !!this.o.submissionArtifacts?.has(flinkJobId) || artifactWay(this.o.spec) === 's3';
  }

  /**
   * A released run's fetched jars: its submission artifacts on the platform, its own objects in the
   * bucket (never the artifact store's shared objects). Once its pods are gone: none fetches again.
   */
  protected async releaseArtifacts(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.o.submissionArtifacts?.remove(flinkJobId);
    if (artifactWay(this.o.spec) !== 's3' || !this.o.s3Artifacts) return;
    const s3 = await this.runArtifacts();
    const gone = await s3.remove(flinkJobId);
    if (gone.length)
      log(`deleted the run's ${gone.length} object(s) under ${s3.where(s3.runPrefix(flinkJobId))}`);
  }

  /**
   * The files of a run whose cluster Flink makes from pod templates (the operator and native ways):
   * its jars in its usrlib folder of the shared folder (numbered, the program's first) or, when the
   * pods fetch them, in the platform's submission artifacts (from S3: already put by fetchedAtStart);
   * the job's state folders writable by the pods when there is a shared folder; and the run known as live, its REST behind `<name>-rest`.
   */
  protected stageRun(
    spec: ApplicationSpec,
    jars: string[],
    log: (line: string) => void,
    fetched = this.requireArtifactWay() !== 'shared-folder',
  ): void {
    const p = fetched
      ? statePaths(this.o.spec, spec.jobName, spec.flinkJobId)
      : sharedPaths(this.o.spec, spec.jobName, spec.flinkJobId);
    if (p) this.pruneRuns(p.jobDir, log);
    this.placeRunFiles(spec, jars, fetched ? artifactWay(this.o.spec)! : 'shared-folder', p, log);
    const name = clusterName(spec.jobName, spec.flinkJobId);
    this.live.set(spec.flinkJobId, {
      jobName: spec.jobName,
      name,
      expectedTaskManagers: spec.resources.taskManagers,
      appliedAt: Date.now(),
      input: null,
      rest: this.restOf(`${name}-rest`, 'rest'),
      facts: null,
      seen: false,
    });
    this.programs.delete(spec.flinkJobId);
    const r = spec.resources;
    log(
      p
        ? `checkpoints in ${p.checkpoints}, savepoints in ${p.savepoints} (the same paths in the pods)`
        : "no shared folder: checkpoints, savepoints and HA data go where the job's options (state.checkpoints.dir, state.savepoints.dir, high-availability.storageDir) say",
    );
    log(
      `${r.taskManagers} TaskManager pod(s) of ${r.slotsPerTaskManager} slot(s), JobManager ${r.jobManagerMemory}, TaskManager ${r.taskManagerMemory}; image ${this.o.spec.image}; namespace ${this.o.spec.namespace}`,
    );
  }

  /** Flink REST of a cluster through the API server's proxy of its JobManager Service. */
  protected restOf(service: string, port: string): SessionClusterTarget {
    return new SessionClusterTarget(
      this.name,
      'remote',
      this.api.serviceProxyUrl(service, port),
      null,
      undefined,
      // The pods' logs are the kubelet's (PodLogs), not Flink REST's log pages.
      undefined,
      this.api.transport(),
    );
  }

  /**
   * Applies the cluster's objects, server-side: the root ConfigMap first (the others name its uid as
   * their owner), then the JobManager Service, whose ClusterIP becomes `jobmanager.rpc.address` (no
   * cluster DNS is needed), then the root again with that address, the plan's Secret and both
   * Deployments. A failure deletes the root again, and with it whatever was applied.
   */
  async start(flinkJobId: string, log: (line: string) => void): Promise<string | void> {
    const run = this.require(flinkJobId);
    const input = run.input;
    if (!input)
      throw new Error(`the cluster of Flink job ${flinkJobId} was adopted, not prepared: it runs already`);
    try {
      const all = await applyRootAndService(this.api, input, renderStandaloneCluster, log);
      for (const obj of inApplyOrder(all).slice(1)) {
        if (obj === all.service) continue;
        await this.api.apply(obj);
        log(`applied ${obj.kind} ${obj.metadata!.name}`);
      }
      run.appliedAt = Date.now();
      if (input.fetch) this.renewTokens();
      run.input = null;
    } catch (e) {
      await this.deleteRoot(flinkJobId, () => {}).catch(() => undefined);
      throw e;
    }
  }

  async facts(flinkJobId: string): Promise<ApplicationClusterFacts> {
    const run = this.live.get(flinkJobId);
    if (!run)
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
    if (run.facts && Date.now() - run.facts.at < FACTS_TTL_MS) return run.facts.value;
    const value = await this.readFacts(flinkJobId, run);
    run.facts = { at: Date.now(), value };
    return value;
  }

  protected async readFacts(flinkJobId: string, run: Run): Promise<ApplicationClusterFacts> {
    const pods = await this.watch.pods(flinkJobId);
    const role = (p: V1Pod) => p.metadata?.labels?.[LABELS.component];
    const jm = pods.find((p) => role(p) === 'jobmanager') ?? null;
    const tms = pods.filter((p) => role(p) === 'taskmanager');
    const running = (p: V1Pod) => p.status?.phase === 'Running';
    const where = `${this.o.spec.namespace}/${run.name}`;
    const jmSeen = jm ? await this.podSeen(jm, 'jobmanager') : null;
    const tmSeen = tms[0] ? await this.podSeen(tms[0], 'taskmanager') : null;
    const failing =
      [jmSeen, ...(await Promise.all(tms.slice(1).map((p) => this.podSeen(p, 'taskmanager')))), tmSeen]
        .map((s) => s?.failing ?? null)
        .find((f) => f !== null) ?? null;
    const runningTms = tms.filter(running).length;
    const status = [
      jm ? `JobManager pod ${jm.metadata!.name} ${jmSeen!.state}` : 'no JobManager pod yet',
      `${runningTms}/${run.expectedTaskManagers} TaskManager pods Running`,
      ...(tmSeen && !running(tms[0]!) ? [`${tms[0]!.metadata!.name} ${tmSeen.state}`] : []),
    ].join(', ');
    return {
      jobManager: jm && running(jm) ? `pod ${jm.metadata!.name} (${jm.status?.podIP ?? 'no IP'})` : null,
      taskManagers: runningTms,
      expectedTaskManagers: run.expectedTaskManagers,
      failing,
      alive: pods.length > 0,
      root: where,
      jobManagerLog: jmSeen?.log ?? '',
      taskManagerLog: tmSeen?.log ?? '',
      status,
    };
  }

  /**
   * One pod as a start sees it: its phase (Pending with the scheduler's message when it cannot be
   * placed), its log (the crashed container's when it restarts), and whether it cannot run at all.
   */
  protected async podSeen(
    pod: V1Pod,
    container: 'jobmanager' | 'taskmanager',
  ): Promise<{ state: string; log: string; failing: ApplicationClusterFacts['failing'] }> {
    const name = pod.metadata!.name!;
    // Sluice's own pods name their container after the role; the operator's name it flink-main-container.
    const statuses = pod.status?.containerStatuses ?? [];
    const cs = statuses.find((c) => c.name === container) ?? statuses[0];
    const waiting = cs?.state?.waiting;
    const restarts = cs?.restartCount ?? 0;
    const unschedulable = pod.status?.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    );
    if (unschedulable) {
      const said = `Pending: Unschedulable: ${unschedulable.message ?? ''}`;
      return { state: said, log: `pod ${name} ${said}`, failing: null };
    }
    const init = initTrouble(pod);
    if (init) {
      const log = await this.api.podLog(name, init.container, false).catch(() => '');
      return {
        state: `Pending (${init.reason})`,
        log,
        failing: {
          process: name,
          restartable: false,
          crashes: init.restarts,
          log: log || `(init container ${init.container} of pod ${name} has no log: ${init.detail})`,
          reason: { reason: init.reason, detail: `${init.detail}${log ? `: ${lastLine(log)}` : ''}` },
        },
      };
    }
    const log =
      cs?.state?.running || restarts > 0
        ? await this.api.podLog(name, cs?.name ?? container, restarts > 0 && !cs?.state?.running)
        : '';
    const phase = pod.status?.phase ?? 'Unknown';
    const state = waiting?.reason ? `${phase} (${waiting.reason})` : phase;
    const hopeless = waiting?.reason && HOPELESS.has(waiting.reason);
    // A restarted JobManager runs the job's program again from its beginning: it is not let be.
    const jobManagerRestarted = container === 'jobmanager' && restarts > 0;
    if (!hopeless && !jobManagerRestarted) return { state, log, failing: null };
    const last = cs?.lastState?.terminated;
    const reason = waiting?.reason ?? `restarted (${last?.reason ?? 'exited'})`;
    const detail =
      waiting?.message ??
      (last ? `exit code ${last.exitCode}${last.message ? `: ${last.message}` : ''}` : 'no message');
    return {
      state,
      log,
      failing: {
        process: name,
        restartable: container === 'taskmanager' && reason === 'CrashLoopBackOff',
        crashes: restarts,
        log: log || `(pod ${name} has no log: ${reason}: ${detail})`,
        reason: { reason, detail },
      },
    };
  }

  /**
   * The first pod of the job's cluster that cannot run now, JobManager first, from the watch's cache:
   * Pending and Unschedulable (the scheduler's message), a container waiting in a state it will not
   * leave by itself (ImagePullBackOff, CrashLoopBackOff... with the kubelet's message and the last
   * exit, e.g. OOMKilled), or a container that has just terminated (OOMKilled, Error).
   */
  async podTrouble(flinkJobId: string): Promise<PodTrouble | null> {
    const pods = await this.watch.pods(flinkJobId);
    const role = (p: V1Pod) => p.metadata?.labels?.[LABELS.component];
    const ordered = [
      ...pods.filter((p) => role(p) === 'jobmanager'),
      ...pods.filter((p) => role(p) !== 'jobmanager'),
    ];
    for (const p of ordered) {
      const pod = p.metadata?.name ?? '?';
      const unschedulable = p.status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
      );
      if (unschedulable) return { pod, reason: 'Unschedulable', detail: unschedulable.message ?? '' };
      const init = initTrouble(p);
      if (init) return { pod, reason: init.reason, detail: init.detail };
      for (const cs of p.status?.containerStatuses ?? []) {
        const last = cs.lastState?.terminated;
        const lastExit = last
          ? `last exit ${last.reason ?? 'terminated'} (exit code ${last.exitCode}${last.message ? `: ${last.message}` : ''})`
          : null;
        const waiting = cs.state?.waiting;
        if (waiting?.reason && HOPELESS.has(waiting.reason))
          return {
            pod,
            reason: waiting.reason,
            detail: [waiting.message, lastExit].filter(Boolean).join('; ') || 'no message',
          };
        const ended = cs.state?.terminated;
        if (ended && ended.exitCode !== 0)
          return {
            pod,
            reason: ended.reason ?? 'Terminated',
            detail: `container ${cs.name} exited with code ${ended.exitCode}${ended.message ? `: ${ended.message}` : ''}`,
          };
      }
    }
    return null;
  }

  /** Pushes each pod change of a job's cluster to `listener` (the tracker looks at that job at once). */
  onPodChange(listener: (flinkJobId: string) => void): void {
    this.watch.onChange((flinkJobId) => {
      const run = this.live.get(flinkJobId);
      if (run) run.facts = null; // a start waiting on facts sees the change too
      listener(flinkJobId);
    });
  }

  observerOf(flinkJobId: string): Observer {
    return new StandaloneClusterObserver(this.name, flinkJobId, this.live.get(flinkJobId) ?? null);
  }

  /**
   * Deletes the root ConfigMap (Foreground: the API server removes what it owns first) and waits until
   * the cluster's pods are gone. What the job wrote in the shared folder (savepoints, checkpoints) stays.
   * Found by its labels, so that a cluster this process did not make (nor adopt) goes too.
   */
  async release(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.programs.delete(flinkJobId);
    await this.keepLogs(flinkJobId, log);
    await this.deleteRoot(flinkJobId, log);
    const deadline = Date.now() + RELEASE_TIMEOUT_MS;
    for (;;) {
      const left = await this.api.pods(selectorOf(flinkJobId));
      // The root goes last (Foreground: after what it owns): a release leaves nothing of the run.
      const roots = left.length ? [] : await this.rootsOf(flinkJobId);
      if (!left.length && !roots.length) break;
      if (Date.now() > deadline)
        throw this.api.notDone(
          `remove the pods of Flink job ${flinkJobId} within ${RELEASE_TIMEOUT_MS / 1000} s`,
          left.map((p) => `${p.metadata?.name} ${p.status?.phase}`).join(', ') ||
            `ConfigMap ${roots[0]!.metadata?.name} is still being deleted`,
        );
      await sleep(500);
    }
    const run = this.live.get(flinkJobId);
    this.live.delete(flinkJobId);
    await this.releaseArtifacts(flinkJobId, log);
    if (run) {
      await this.deleteHaConfigMaps(run.name, log);
      log(`the pods of ${this.o.spec.namespace}/${run.name} are gone; its savepoints and checkpoints stay`);
    }
  }

  /**
   * Kubernetes HA's ConfigMaps (leader, job graph, checkpoint pointers) are Flink's, made by the
   * JobManager with no owner: they would make the next cluster of the same name recover an ended job.
   * Deleted once the pods are gone, so that no JobManager writes them again.
   */
  protected async deleteHaConfigMaps(clusterId: string, log: (line: string) => void): Promise<void> {
    await deleteHaConfigMaps(this.api, clusterId, log);
  }

  /**
   * Saves the log of every pod of the run (and its previous container's, after a restart) before the
   * pods go, so that `sluice job logs <job> --run <id>` reads them afterwards. A log that cannot be
   * read is said, and does not stop the release.
   */
  protected async keepLogs(flinkJobId: string, log: (line: string) => void): Promise<void> {
    let pods: V1Pod[];
    try {
      pods = await this.api.pods(selectorOf(flinkJobId));
    } catch (e) {
      log(`the pods' logs of Flink job ${flinkJobId} are not kept: ${String(e)}`);
      return;
    }
    if (!pods.length) return;
    const jobName = pods[0]!.metadata?.labels?.[LABELS.job] ?? this.live.get(flinkJobId)?.jobName;
    if (!jobName) return;
    const kept = await this.archive.keep(this.api, jobName, flinkJobId, pods);
    log(`kept the logs of the run's pods: ${keptSummary(kept, this.archive.retention)}`);
  }

  /**
   * Writes a fresh token into the `-artifacts` Secret of every live run that fetches its jars, every
   * third of a token's life: a pod made later (a TaskManager rescheduled) fetches with a valid one.
   */
  protected renewTokens(): void {
    if (this.renewal) return;
    this.renewal = setInterval(() => {
      void this.renewTokensNow().catch(() => undefined); // asked again at the next turn; the token still lives
    }, SUBMISSION_TOKEN_TTL_MS / 3);
    this.renewal.unref();
  }

  /**
   * One renewal turn. The Secret is read and replaced, not applied: an apply naming only the token
   * would drop the labels and owner reference the start applied.
   */
  async renewTokensNow(now = new Date()): Promise<string[]> {
    const artifacts = this.o.submissionArtifacts;
    const fromS3 = artifactWay(this.o.spec) === 's3' && !!this.o.s3Artifacts;
    if (!artifacts && !fromS3) return [];
    const renewed: string[] = [];
    for (const [id, run] of this.live) {
      if (!fromS3 && !artifacts!.has(id)) continue;
      const name = `${run.name}-artifacts`;
      const namespace = this.o.spec.namespace;
      try {
        const secret = await this.api.core.readNamespacedSecret({ name, namespace });
        const b64 = (text: string) => Buffer.from(text).toString('base64');
        secret.data = {
          ...secret.data,
          ...(fromS3
            ? { [LISTING_KEY]: b64(await this.signedAgain(id, secret.data?.[OBJECTS_KEY], now)) }
            : { [TOKEN_KEY]: b64(artifacts!.tokens.mint(id)) }),
        };
        await this.api.core.replaceNamespacedSecret({ name, namespace, body: secret });
        renewed.push(id);
      } catch (e) {
        if (!isNotFound(e)) throw this.api.refused(`renew the artifact token in Secret ${name}`, e);
      }
    }
    return renewed;
  }

  /** A run's listing with its objects' URLs signed again at `now`, from the objects its Secret keeps. */
  private async signedAgain(flinkJobId: string, objects: string | undefined, now: Date): Promise<string> {
    const s3 = await this.runArtifacts();
    const { objectsOf } = await import('../../artifacts/s3-run-artifacts.ts');
    const listed = objectsOf(Buffer.from(objects ?? '', 'base64').toString('utf8'), s3.runPrefix(flinkJobId));
    return s3.listing(listed, now, KubernetesStandaloneTarget.URL_TTL_S);
  }

  private async rootsOf(flinkJobId: string): Promise<V1ConfigMap[]> {
    try {
      return (
        await this.api.core.listNamespacedConfigMap({
          namespace: this.o.spec.namespace,
          labelSelector: selectorOf(flinkJobId, 'config'),
        })
      ).items;
    } catch (e) {
      throw this.api.refused(`list the root ConfigMap of Flink job ${flinkJobId}`, e);
    }
  }

  private async deleteRoot(flinkJobId: string, log: (line: string) => void): Promise<void> {
    const roots = await this.rootsOf(flinkJobId);
    for (const root of roots) {
      const name = root.metadata!.name!;
      try {
        await this.api.core.deleteNamespacedConfigMap({
          name,
          namespace: this.o.spec.namespace,
          propagationPolicy: 'Foreground',
        });
        log(`deleted ConfigMap ${name} (Foreground): the Deployments, Service and Secret it owns go with it`);
      } catch (e) {
        if (!isNotFound(e)) throw this.api.refused(`delete ConfigMap ${name}`, e);
      }
    }
  }

  /** The JobManager's REST through the API server's service proxy while the job's cluster runs. */
  restUrl(flinkJobId: string): string | null {
    const run = this.live.get(flinkJobId);
    return run ? this.api.serviceProxyUrl(`${run.name}-${this.restService}`, 'rest') : null;
  }

  /**
   * A GET of Flink's Web UI or REST of a job's cluster through the API server's service proxy, with
   * the kubeconfig's credentials (the browser has neither a route to the pods nor the credentials).
   */
  async restGet(flinkJobId: string, pathAndQuery: string, signal: AbortSignal): Promise<RawResponse | null> {
    const base = this.restUrl(flinkJobId);
    return base ? this.api.get(`${base}${pathAndQuery}`, signal) : null;
  }

  /** The clusters of this target an earlier platform process left: found by their root ConfigMaps' labels. */
  async adopt(log: (line: string) => void): Promise<string[]> {
    let roots: V1ConfigMap[];
    try {
      roots = (
        await this.api.core.listNamespacedConfigMap({
          namespace: this.o.spec.namespace,
          labelSelector: `${LABELS.managedBy}=sluice,${LABELS.component}=config,${LABELS.target}=${this.name}`,
        })
      ).items;
    } catch (e) {
      throw this.api.refused('list the root ConfigMaps of its clusters', e);
    }
    const adopted: string[] = [];
    for (const root of roots) {
      const found = this.adoptable(root.metadata);
      if (!found) continue;
      const { id, jobName } = found;
      const name = root.metadata?.labels?.[LABELS.instance] ?? clusterName(jobName, id);
      // A start killed while it applied left a cluster without its Deployments (they come last): it
      // would never run its job, so it goes rather than being adopted, and the start is rolled back.
      if (!(await this.complete(id))) {
        await this.deleteRoot(id, log);
        log(
          `deleted the cluster of job ${jobName} (Flink job ${id}), ${this.o.spec.namespace}/${name}: its start was interrupted before both Deployments were applied`,
        );
        continue;
      }
      this.adoptRun(root.metadata!, id, jobName, name, `${name}-jobmanager`);
      adopted.push(id);
      if (this.fetchesJars(id)) this.renewTokens();
      log(`adopted the cluster of job ${jobName} (Flink job ${id}): ${this.o.spec.namespace}/${name}`);
    }
    this.pruneKeptPodLogs(log);
    return adopted;
  }

  /** At the platform's start the retention applies to the kept pod logs too (the setting may be lower). */
  protected pruneKeptPodLogs(log: (line: string) => void): void {
    for (const p of this.archive.pruneAll())
      log(
        `dropped ${p.pruned} older run(s) of job ${p.job}'s pod logs (${retentionText(this.archive.retention)})`,
      );
  }

  /** The retention again, hourly: kept pod logs age while nobody starts another run of their job. */
  pruneLogs(log: (line: string) => void): void {
    this.pruneKeptPodLogs(log);
  }

  /** The job a root object found by its labels belongs to; null when it is not one to adopt (known, or going). */
  protected adoptable(meta: V1ObjectMeta | undefined): { id: string; jobName: string } | null {
    const id = meta?.labels?.[LABELS.flinkJobId];
    const jobName = meta?.labels?.[LABELS.job];
    if (!id || !jobName || this.live.has(id) || meta?.deletionTimestamp) return null;
    return { id, jobName };
  }

  /** Keeps an adopted cluster as live; its JobManager's REST answers through `restService`. */
  protected adoptRun(
    root: V1ObjectMeta,
    id: string,
    jobName: string,
    name: string,
    restService: string,
  ): void {
    this.live.set(id, adoptedRun(root, jobName, name, this.restOf(restService, 'rest')));
  }

  /** Both Deployments of the run exist: everything of its cluster was applied. */
  private async complete(flinkJobId: string): Promise<boolean> {
    try {
      const found = await this.api.apps.listNamespacedDeployment({
        namespace: this.o.spec.namespace,
        labelSelector: selectorOf(flinkJobId),
      });
      const roles = new Set(found.items.map((d) => d.metadata?.labels?.[LABELS.component]));
      return roles.has('jobmanager') && roles.has('taskmanager');
    } catch (e) {
      throw this.api.refused(`list the Deployments of Flink job ${flinkJobId}`, e);
    }
  }

  /**
   * The target's cluster as it concerns Sluice's jobs: the namespace's Pending pods with their reason,
   * each node's allocatable CPU and memory beside what all its pods request (a user who may not read
   * nodes, or pods of every namespace, is told so instead), and each job's requests.
   */
  async clusterView(): Promise<KubernetesClusterView> {
    let pods: V1Pod[];
    try {
      pods = (await this.api.core.listNamespacedPod({ namespace: this.o.spec.namespace })).items;
    } catch (e) {
      throw this.api.refused('list the pods of its namespace', e);
    }
    let nodes: Parameters<typeof clusterViewOf>[0]['nodes'];
    try {
      const [n, all] = await Promise.all([
        this.api.core.listNode(),
        this.api.core.listPodForAllNamespaces({
          fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
        }),
      ]);
      nodes = {
        nodes: n.items.map((x) => ({
          name: x.metadata?.name ?? '?',
          allocatable: { cpu: x.status?.allocatable?.cpu, memory: x.status?.allocatable?.memory },
        })),
        pods: all.items.map(podFacts),
      };
    } catch (e) {
      nodes = { problem: this.api.refused('list the nodes and the pods of every namespace', e).message };
    }
    return clusterViewOf({
      target: this.name,
      namespace: this.o.spec.namespace,
      server: this.api.server,
      at: new Date(),
      pods: pods.map(podFacts),
      nodes,
      labels: {
        job: LABELS.job,
        flinkJobId: LABELS.flinkJobId,
        target: LABELS.target,
        managedBy: LABELS.managedBy,
      },
    });
  }

  /** How many pods of a run are Pending, from the pod watch; null when the watch has not listed them. */
  pendingPods(flinkJobId: string): number | null {
    const counts = this.watch.pendingByRun();
    return counts ? (counts.get(flinkJobId) ?? null) : null;
  }

  /** Nothing runs in this process: the clusters are the API server's and keep running; the watch ends. */
  detach(): void {
    this.stopRenewal();
    void this.watch.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.release(id, () => {})));
    this.stopRenewal();
    await this.watch.stop();
  }

  private stopRenewal(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
    // The bucket's client keeps sockets open: closed with the renewal, made again at next use.
    const s3 = this.s3Runs;
    this.s3Runs = null;
    void s3?.then((c) => c.close()).catch(() => undefined);
  }

  /** Keeps the newest run folders of a job in the shared folder; a live cluster's is never deleted. */
  protected pruneRuns(jobDir: string, log: (line: string) => void): void {
    if (!fs.existsSync(jobDir)) return;
    const runs = fs
      .readdirSync(jobDir)
      .filter((d) => /^[0-9a-f]{32}$/.test(d) && !this.live.has(d))
      .map((d) => ({ d, at: fs.statSync(path.join(jobDir, d)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { d } of runs.slice(RUNS_KEPT - 1)) {
      fs.rmSync(path.join(jobDir, d), { recursive: true, force: true });
      log(`deleted the files of an earlier run (${RUNS_KEPT} kept): ${path.join(jobDir, d)}`);
    }
  }

  protected require(flinkJobId: string): Run {
    const found = this.live.get(flinkJobId);
    if (!found)
      throw new SluiceError('precondition_failed', message('cluster.applicationGone', { flinkJobId }));
    return found;
  }

  /**
   * Savepoints go to the job's folder in the shared folder: the pods cannot write the platform's own
   * savepoint folder on this machine. A directory that is not a local path (s3://...) is Flink's to reach.
   */
  protected savepointDirOf(flinkJobId: string, asked: string): string {
    if (!asked.startsWith('file:') && !asked.startsWith('/')) return asked;
    const run = this.require(flinkJobId);
    if (!this.o.spec.sharedDir)
      throw new SluiceError(
        'precondition_failed',
        message('kubernetes.noSavepointDir', { target: this.name }),
        { field: 'sharedDir' },
      );
    return `file://${sharedPaths(this.o.spec, run.jobName, flinkJobId).savepoints}`;
  }

  // Deployer and observer of the target as a whole: each call goes to the job's own cluster.

  stopWithSavepoint(flinkJobId: string, targetDirectory: string, drain: boolean): Promise<string> {
    return this.require(flinkJobId).rest.stopWithSavepoint(
      flinkJobId,
      this.savepointDirOf(flinkJobId, targetDirectory),
      drain,
    );
  }

  cancel(flinkJobId: string): Promise<void> {
    return this.require(flinkJobId).rest.cancel(flinkJobId);
  }

  triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string> {
    return this.require(flinkJobId).rest.triggerSavepoint(
      flinkJobId,
      this.savepointDirOf(flinkJobId, targetDirectory),
    );
  }

  async cluster(): Promise<ClusterFacts> {
    throw new TargetUnreachable(
      this.name,
      'a standalone Kubernetes target has no cluster of its own: each job has one',
    );
  }

  protected liveJobIds(): Iterable<string> {
    return this.live.keys();
  }
}

/**
 * The run of a cluster an earlier platform process left, from its root object. This process has not
 * seen its job: a start the killed platform left half-way may still be coming up, so within the
 * start's grace (from the root's creation) a JobManager that does not answer yet, or answers without
 * the job, is starting rather than silent; an older cluster is past its start either way.
 */
export function adoptedRun(
  root: V1ObjectMeta,
  jobName: string,
  name: string,
  rest: SessionClusterTarget,
): Run {
  return {
    jobName,
    name,
    expectedTaskManagers: Number(root.annotations?.['sluice.dev/task-managers'] ?? '1'),
    appliedAt: root.creationTimestamp ? new Date(root.creationTimestamp).getTime() : 0,
    input: null,
    rest,
    facts: null,
    seen: false,
  };
}

/**
 * One job's cluster as its observer sees it, through the API server's service proxy. A cluster this
 * target does not know (released, or never made) knows no job: absent. A JobManager that does not
 * answer yet (no ready endpoint: the proxy says 503), or answers without the job while its program may
 * still be submitting it, says nothing yet: unreachable.
 */
export class StandaloneClusterObserver implements Observer {
  constructor(
    private readonly target: string,
    private readonly flinkJobId: string,
    private readonly run: Run | null,
  ) {}

  /** Until its JobManager has shown the job, within the start's grace: afterwards silence is not a start. */
  private get starting(): boolean {
    return !!this.run && !this.run.seen && Date.now() - this.run.appliedAt < SUBMIT_GRACE_MS;
  }

  private notYet(): TargetUnreachable {
    return new ClusterStarting(
      this.target,
      `the JobManager of Flink job ${this.flinkJobId}'s cluster has not submitted it yet`,
    );
  }

  async cluster(): Promise<ClusterFacts> {
    if (!this.run) throw new TargetUnreachable(this.target, `the cluster of ${this.flinkJobId} is gone`);
    return this.run.rest.cluster();
  }

  /** Within its start's grace, a JobManager that does not answer is still coming up. */
  private whileStarting<T>(asked: Promise<T>): Promise<T> {
    return asked.catch((e: unknown) => {
      if (e instanceof TargetUnreachable && !(e instanceof ClusterStarting) && this.starting)
        throw new ClusterStarting(this.target, `${e.detail} (its cluster is still coming up)`);
      throw e;
    });
  }

  async observe(): Promise<Map<string, ObservedJob>> {
    if (!this.run) return new Map();
    const seen = await this.whileStarting(this.run.rest.observe());
    if (seen.has(this.flinkJobId)) this.run.seen = true;
    else if (this.starting) throw this.notYet();
    return seen;
  }

  async observeJob(flinkJobId: string): Promise<ObservedJob | 'absent'> {
    const run = this.run;
    if (!run) return 'absent';
    for (let attempt = 1; ; attempt++) {
      try {
        const seen = (await run.rest.observe()).get(flinkJobId) ?? 'absent';
        if (seen !== 'absent') run.seen = true;
        return seen;
      } catch (e) {
        if (!(e instanceof TargetUnreachable)) throw e;
        // A JobManager pod runs before its REST endpoint listens: until it has shown the job, it knows none.
        if (!run.seen && this.starting) return 'absent';
        // The way goes through the API server and its proxy: one lost request is not a lost cluster.
        if (attempt >= PROXY_ATTEMPTS) throw e;
        await sleep(PROXY_RETRY_MS);
      }
    }
  }

  async jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'> {
    if (!this.run) return 'absent';
    const state = await this.whileStarting(this.run.rest.jobState(flinkJobId));
    if (state !== 'absent') this.run.seen = true;
    else if (this.starting) throw this.notYet();
    return state;
  }

  async failureCause(flinkJobId: string): Promise<{ rootCause: string; trace: string } | null> {
    return (await this.run?.rest.failureCause(flinkJobId)) ?? null;
  }

  async failures(flinkJobId: string): Promise<JobFailure[]> {
    return (await this.run?.rest.failures(flinkJobId)) ?? [];
  }

  async exceptions(flinkJobId: string): Promise<ExceptionHistory | 'absent'> {
    return (await this.run?.rest.exceptions(flinkJobId)) ?? 'absent';
  }

  async jobGraph(flinkJobId: string): Promise<FlinkJobGraphAnswers | 'absent'> {
    return (await this.run?.rest.jobGraph(flinkJobId)) ?? 'absent';
  }

  async runtimeDetails(flinkJobId: string): Promise<RuntimeDetails> {
    return (await this.run?.rest.runtimeDetails(flinkJobId)) ?? { restarts: null, lastCheckpoint: null };
  }

  async latestSavepoint(flinkJobId: string): Promise<string | null> {
    return (await this.run?.rest.latestSavepoint(flinkJobId)) ?? null;
  }

  async latestCheckpoint(flinkJobId: string): Promise<string | null> {
    return (await this.run?.rest.latestCheckpoint(flinkJobId)) ?? null;
  }
}

/**
 * An init container that failed (the artifact fetcher refused by the platform, or finding no platform):
 * `Init:<reason>` as kubectl shows it, with its exit.
 */
function initTrouble(
  pod: V1Pod,
): { container: string; reason: string; detail: string; restarts: number } | null {
  for (const cs of pod.status?.initContainerStatuses ?? []) {
    const ended = cs.state?.terminated ?? (cs.state?.waiting ? cs.lastState?.terminated : undefined);
    const waiting = cs.state?.waiting;
    if (ended && ended.exitCode !== 0)
      return {
        container: cs.name,
        reason: `Init:${waiting?.reason && HOPELESS.has(waiting.reason) ? waiting.reason : (ended.reason ?? 'Error')}`,
        detail: `init container ${cs.name} exited with code ${ended.exitCode}${ended.message ? `: ${ended.message}` : ''}`,
        restarts: cs.restartCount ?? 0,
      };
    if (waiting?.reason && HOPELESS.has(waiting.reason))
      return {
        container: cs.name,
        reason: `Init:${waiting.reason}`,
        detail: waiting.message ?? `init container ${cs.name} ${waiting.reason}`,
        restarts: cs.restartCount ?? 0,
      };
  }
  return null;
}

/** What the cluster view reads of a pod. */
function podFacts(p: V1Pod): PodFacts {
  const requests = (c: {
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  }) => ({
    cpu: c.resources?.requests?.cpu,
    memory: c.resources?.requests?.memory,
    limits: { cpu: c.resources?.limits?.cpu, memory: c.resources?.limits?.memory },
  });
  const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return {
    name: p.metadata?.name ?? '?',
    phase: p.status?.phase ?? 'Unknown',
    nodeName: p.spec?.nodeName ?? null,
    createdAt: p.metadata?.creationTimestamp ? new Date(p.metadata.creationTimestamp).toISOString() : null,
    labels: p.metadata?.labels ?? {},
    containers: (p.spec?.containers ?? []).map(requests),
    initContainers: (p.spec?.initContainers ?? []).map(requests),
    unscheduled: unscheduled
      ? { reason: unscheduled.reason ?? 'Unscheduled', message: unscheduled.message ?? '' }
      : null,
    waiting: [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
      .filter(
        (c) =>
          c.state?.waiting?.reason &&
          !['PodInitializing', 'ContainerCreating'].includes(c.state.waiting.reason),
      )
      .map((c) => ({
        container: c.name,
        reason: c.state!.waiting!.reason!,
        message: c.state!.waiting!.message ?? '',
      })),
  };
}

/** How the pods see a folder of the shared folder, for a start's log. */
const sharedVolumeText = (target: KubernetesTargetSpec): string =>
  target.sharedClaim ? `claim ${target.sharedClaim}, subPath of` : 'hostPath';

/** A jar's name in usrlib: numbered, so that the classpath keeps the job's order. */
export function usrlibName(jar: string, i: number): string {
  return `${String(i).padStart(2, '0')}-${path.basename(jar)}`;
}

/**
 * A run's jars copied into its usrlib (emptied first), in order. The pods run Flink as user flink
 * (9999), not Sluice's user: the folder and every jar are made world-readable, whatever mode the
 * artifact store gave them (an uploaded jar is kept 0600).
 */
export function placeJars(usrlib: string, jars: string[]): void {
  fs.rmSync(usrlib, { recursive: true, force: true });
  fs.mkdirSync(usrlib, { recursive: true });
  fs.chmodSync(usrlib, 0o755);
  jars.forEach((jar, i) => {
    const placed = path.join(usrlib, usrlibName(jar, i));
    fs.copyFileSync(jar, placed);
    fs.chmodSync(placed, 0o644);
  });
}

const lastLine = (log: string): string => log.trim().split('\n').at(-1) ?? '';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Deletes Kubernetes HA's ConfigMaps of a cluster id (Flink makes them with no owner). */
export async function deleteHaConfigMaps(
  api: KubeApi,
  clusterId: string,
  log: (line: string) => void,
): Promise<void> {
  try {
    const found = await api.core.listNamespacedConfigMap({
      namespace: api.namespace,
      labelSelector: haConfigMapSelector(clusterId),
    });
    for (const cm of found.items) {
      await api.core
        .deleteNamespacedConfigMap({ name: cm.metadata!.name!, namespace: api.namespace })
        .catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      log(`deleted ConfigMap ${cm.metadata!.name} (Kubernetes HA data of the cluster)`);
    }
  } catch (e) {
    throw api.refused(`delete the Kubernetes HA ConfigMaps of ${clusterId}`, e);
  }
}
