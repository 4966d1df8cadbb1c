import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import {
  TargetUnreachable,
  type Deployer,
  type DeploymentTarget,
  type JarRunner,
  type Observer,
  type SessionUi,
  type SqlWorkbench,
} from '../../../domain/targets/deployment-target.ts';
import {
  wantsKubernetesHa,
  type KubernetesSession,
  type KubernetesTargetSpec,
} from '../../../domain/targets/kubernetes-target.ts';
import type { ClusterProcessStatus, LocalClusterStatus } from '../../../application/ports/clusters.ts';
import type { FlinkDistribution } from '../../../application/ports/engines.ts';
import type { KubernetesSessionControl } from '../../../application/ports/kubernetes.ts';
import { FlinkRestClient } from '../../flink/rest/flink-rest-client.ts';
import { SessionClusterTarget } from '../../flink/session-cluster-target.ts';
import { SqlGatewayClient } from '../../flink/sql-gateway/sql-gateway-client.ts';
import { readPodTemplateFiles } from '../pod-template.ts';
import { applyRootAndService, isNotFound, KubeApi } from './kube-api.ts';
import {
  renderStandaloneSession,
  sessionName,
  sessionPaths,
  sessionSelector,
  type StandaloneSessionInput,
} from './session-manifests.ts';
import { deleteHaConfigMaps, HOPELESS } from './standalone-target.ts';
import { PodLogArchive, SessionPodLogs } from './pod-logs.ts';
import { ArtifactFiles } from '../../artifacts/artifact-files.ts';
import {
  DEFAULT_LOG_RETENTION,
  retentionText,
  type LogRetention,
} from '../../../domain/logs/log-retention.ts';

/** A session cluster's start waits this long for its JobManager, TaskManagers and SQL Gateway to answer. */
const START_TIMEOUT_MS = 300_000;
/** A stop waits this long for its pods to be gone. */
const STOP_TIMEOUT_MS = 120_000;
/** A request through the API server's proxy that found no endpoint (503) is asked again, 4 times in all. */
export const PROXY_ATTEMPTS = 4;

export interface StandaloneSessionOptions {
  spec: KubernetesTargetSpec & { session: KubernetesSession };
  /** The target's space: the session's pods carry it as a label. */
  space: string;
  /** The engine's distribution: its SQL Gateway jar goes to the session's pods. */
  distribution: () => Promise<FlinkDistribution>;
  /** Where the session's pod logs are kept for the runs that ended on it (`<home>/pod-logs/<target>/`). */
  sluiceHome: string;
  /** The runs per job whose pod logs are kept (SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION). */
  logRetention?: LogRetention | undefined;
}

/**
 * A session target's one standalone session cluster in its namespace (session-manifests.ts), used as
 * a local session cluster is: started and stopped by the user (or started on demand by a job's start),
 * jobs submitted through its SQL Gateway or Flink REST, observed through its JobManager's jobs
 * overview. Everything is reached through the API server's service proxy with the kubeconfig's
 * credentials, by the same Flink REST and SQL Gateway client a local session uses. Nothing lives in
 * this process: a restarted platform finds the cluster by its labels.
 */
export class KubernetesStandaloneSession implements DeploymentTarget, KubernetesSessionControl {
  readonly kind: 'kubernetes-standalone-session' | 'kubernetes-native-session' =
    'kubernetes-standalone-session';
  readonly api: KubeApi;
  /** Flink REST and the SQL Gateway of the session, through the proxy (503s asked again). */
  private readonly flink: SessionClusterTarget;
  /** The same, asked once: a status must not wait on a cluster that is not there. */
  private readonly probe: { rest: FlinkRestClient; gateway: SqlGatewayClient };
  private starting: Promise<LocalClusterStatus> | null = null;
  /** The session's pod logs, shared by its jobs, and kept for each run that ends on it. */
  readonly logs: SessionPodLogs;

  constructor(protected readonly o: StandaloneSessionOptions) {
    this.api = new KubeApi(o.spec);
    this.logs = new SessionPodLogs(
      this.api,
      sessionSelector(o.spec.name),
      new PodLogArchive(o.sluiceHome, o.spec.name, o.logRetention ?? DEFAULT_LOG_RETENTION),
    );
    const restUrl = this.api.serviceProxyUrl(...this.services().rest);
    const gatewayUrl = this.api.serviceProxyUrl(...this.services().gateway);
    this.flink = new PodSessionTarget(
      sessionPaths(o.spec).savepoints,
      o.spec.name,
      'remote',
      restUrl,
      gatewayUrl,
      (log) => this.ensureRunning(log),
      this.logs,
      this.api.transport(PROXY_ATTEMPTS),
    );
    this.probe = {
      rest: new FlinkRestClient(restUrl, this.api.transport()),
      gateway: new SqlGatewayClient(gatewayUrl, this.api.transport()),
    };
  }

  /** The retention again, hourly: the session's kept pod logs age while no run of their job ends. */
  pruneLogs(log: (line: string) => void): void {
    for (const p of this.logs.archive.pruneAll())
      log(
        `dropped ${p.pruned} older run(s) of job ${p.job}'s pod logs (${retentionText(this.logs.archive.retention)})`,
      );
  }

  get name(): string {
    return this.o.spec.name;
  }

  /** The Services (and their port names) of the session's Flink REST and SQL Gateway. */
  protected services(): { rest: [string, string]; gateway: [string, string] } {
    const service = `${sessionName(this.o.spec.name)}-jobmanager`;
    return { rest: [service, 'rest'], gateway: [service, 'gateway'] };
  }

  get deployer(): Deployer {
    return this.flink;
  }

  /** Flink's Web UI through the API server's service proxy; a 503 or 404 from it while the session is not running says so. */
  get sessionUi(): SessionUi {
    return sessionUiThrough(this.api, this.flink.rest.baseUrl, async () => (await this.status()).state);
  }

  /**
   * Flink REST through the API server and its proxy, where one lost or slow request (a loaded API
   * server, a timeout) is not a lost cluster: each question is asked again before it says unreachable.
   */
  get observer(): Observer {
    const f = this.flink;
    return {
      cluster: () => again(() => f.cluster()),
      observe: () => again(() => f.observe()),
      jobState: (id) => again(() => f.jobState(id)),
      observeJob: (id) => again(() => f.observeJob(id)),
      failureCause: (id) => f.failureCause(id),
      failures: (id) => f.failures(id),
      exceptions: (id) => again(() => f.exceptions(id)),
      jobGraph: (id) => again(() => f.jobGraph(id)),
      runtimeDetails: (id) => again(() => f.runtimeDetails(id)),
      latestSavepoint: (id) => f.latestSavepoint(id),
      latestCheckpoint: (id) => f.latestCheckpoint(id),
    };
  }

  get workbench(): SqlWorkbench | null {
    return this.flink.workbench;
  }

  get jars(): JarRunner {
    return this.flink;
  }

  /** The session's folder in the shared folder: its pods read a debug run's rows files there. */
  get debugFolder(): string {
    return sessionDebugFolder(this.o.spec);
  }

  /**
   * A jar a job adds to its session (`ADD JAR`), copied into the session's folder, which the SQL
   * Gateway's container and the Flink pods mount at the same path. A job's artifact (`sha256` given)
   * is named by its sha256, so each content is staged once whatever its name or version, and its copy
   * is checked against that sha256 before any job reads it; the engine's connectors are named by their
   * version: one already there with the same size is the same file, kept. They go when the session
   * stops (`removeStagedJars`).
   */
  stageJar(file: string, sha256?: string): string {
    return stageJarInto(path.join(this.paths.dir, 'jars'), file, this.name, sha256);
  }

  /** A job's start starts the session when it is stopped, as on a local session target. */
  prepare(log: (line: string) => void): Promise<void> {
    return this.ensureRunning(log);
  }

  private ensureRunning(log: (line: string) => void): Promise<void> {
    return ensureSessionRunning(
      this.name,
      () => this.status(),
      (l) => this.start(l),
      log,
    );
  }

  protected get paths() {
    return sessionPaths(this.o.spec);
  }

  /** The object whose existence is the session's (deleting it removes the rest); null when absent. */
  protected async root(): Promise<KubernetesObject | null> {
    try {
      return await this.api.core.readNamespacedConfigMap({
        name: `${sessionName(this.name)}-config`,
        namespace: this.o.spec.namespace,
      });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.api.refused('read the root ConfigMap of its session cluster', e);
    }
  }

  /**
   * Applies the session cluster (root ConfigMap, JobManager Service, the root again with the Service's
   * ClusterIP, both Deployments) after copying the engine's SQL Gateway jar into the shared folder, and
   * waits until its JobManager answers with every TaskManager's slots and its SQL Gateway answers. A
   * pod that cannot run fails the start with the kubelet's reason and its log; a failed start removes
   * what it applied. A cluster already there is waited for, not applied again.
   */
  start(progress: (line: string) => void): Promise<LocalClusterStatus> {
    this.starting ??= this.startNow(progress).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private startNow(progress: (line: string) => void): Promise<LocalClusterStatus> {
    return startSessionCluster(
      {
        target: this.name,
        status: () => this.status(),
        apply: (p) => this.apply(p),
        waitRunning: (p) => this.waitRunning(p),
        remove: (p) => this.remove(p),
      },
      progress,
    );
  }

  protected stageSessionFolder(
    progress: (line: string) => void,
  ): Promise<{ flinkVersion: string; gatewayJars: string[] }> {
    return stageSessionFolder(this.o.spec, this.o.distribution, progress);
  }

  protected async apply(progress: (line: string) => void): Promise<void> {
    const { flinkVersion, gatewayJars } = await this.stageSessionFolder(progress);
    const input: StandaloneSessionInput = {
      target: this.o.spec,
      space: this.o.space,
      flinkVersion,
      gatewayJars,
      jobManagerAddress: null,
      rootUid: null,
      podTemplates: readPodTemplateFiles(this.o.spec.flinkConfiguration ?? {}),
    };
    const all = await applyRootAndService(this.api, input, renderStandaloneSession, progress);
    for (const d of [all.jobManager, all.taskManagers]) {
      await this.api.apply(d);
      progress(`applied Deployment ${d.metadata!.name}`);
    }
    const s = this.o.spec.session;
    progress(
      `${s.taskManagers} TaskManager pod(s) of ${s.slotsPerTaskManager} slot(s), JobManager ${s.jobManagerMemory} with the SQL Gateway (${s.gatewayMemory}) in its pod, TaskManager ${s.taskManagerMemory}; image ${this.o.spec.image}; namespace ${this.o.spec.namespace}`,
    );
  }

  private async waitRunning(progress: (line: string) => void): Promise<LocalClusterStatus> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let said = '';
    for (;;) {
      const pods = await this.api.pods(sessionSelector(this.name));
      const trouble = await this.trouble(pods);
      if (trouble) throw this.api.notDone('run its session cluster', trouble);
      const s = await this.statusOf(pods, true);
      const line = `waiting for the session cluster: ${describe(s, this.o.spec.session.taskManagers)}`;
      if (s.state === 'running') {
        progress(
          `the session cluster of ${this.name} is running: ${describe(s, this.o.spec.session.taskManagers)}`,
        );
        return s;
      }
      if (line !== said) progress(line);
      said = line;
      if (Date.now() > deadline)
        throw this.api.notDone(`start its session cluster within ${START_TIMEOUT_MS / 1000} s`, line);
      await sleep(1000);
    }
  }

  /** A pod of the session that will not run without a change, with the kubelet's reason and its log. */
  private async trouble(pods: V1Pod[]): Promise<string | null> {
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '?';
      const unschedulable = pod.status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
      );
      if (unschedulable) return `pod ${name} is Unschedulable: ${unschedulable.message ?? ''}`;
      for (const cs of pod.status?.containerStatuses ?? []) {
        const waiting = cs.state?.waiting?.reason;
        if (waiting && HOPELESS.has(waiting)) {
          const log = await this.api.podLog(name, cs.name, (cs.restartCount ?? 0) > 0, 20);
          return `container ${cs.name} of pod ${name} is ${waiting}: ${cs.state?.waiting?.message ?? ''}${log ? `\n${log}` : ''}`;
        }
      }
    }
    return null;
  }

  /** Deletes the root (Foreground: what it owns goes first), waits until it and the pods are gone, then `afterGone`. */
  protected async remove(progress: (line: string) => void): Promise<void> {
    await this.deleteRoot(progress);
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    for (;;) {
      const left = await this.api.pods(sessionSelector(this.name));
      if (!left.length && !(await this.root())) break;
      if (Date.now() > deadline)
        throw this.api.notDone(
          `remove the pods of its session cluster within ${STOP_TIMEOUT_MS / 1000} s`,
          left.map((p) => `${p.metadata?.name} ${p.status?.phase}`).join(', ') ||
            'its root object is still there',
        );
      await sleep(500);
    }
    await this.afterGone(progress);
    this.removeStagedJars(progress);
    progress(
      `the pods of ${this.o.spec.namespace}/${sessionName(this.name)} are gone; its savepoints and checkpoints stay in ${this.paths.dir}`,
    );
  }

  /**
   * The jars staged for its jobs (`stageJar`) go with the session: a running job's SQL jars are in
   * Flink's blob store, but its classpath jars are read from there at each task's deployment, so they
   * stay while the session runs; a job started on the next session stages its jars again.
   */
  private removeStagedJars(progress: (line: string) => void): void {
    const jars = path.join(this.paths.dir, 'jars');
    if (!fs.existsSync(jars)) return;
    try {
      fs.rmSync(jars, { recursive: true, force: true });
      progress(`deleted the jars staged for its jobs in ${jars}`);
    } catch (e) {
      progress(`could not delete ${jars} (the jars staged for its jobs): ${String(e)}`);
    }
  }

  /** Deletes the root ConfigMap (Foreground): the Deployments and the Service it owns go with it. */
  protected async deleteRoot(progress: (line: string) => void): Promise<void> {
    const name = `${sessionName(this.name)}-config`;
    try {
      await this.api.core.deleteNamespacedConfigMap({
        name,
        namespace: this.o.spec.namespace,
        propagationPolicy: 'Foreground',
      });
      progress(`deleted ConfigMap ${name} (Foreground): the Deployments and the Service it owns go with it`);
    } catch (e) {
      if (!isNotFound(e)) throw this.api.refused(`delete ConfigMap ${name}`, e);
    }
  }

  /**
   * What is left once the pods are gone: with Kubernetes HA, its ConfigMaps (Flink makes them with no
   * owner; a new session would recover the ended session's jobs from them) and its files in the
   * session's ha folder, which nothing names any more. Checkpoints and savepoints stay.
   */
  protected async afterGone(progress: (line: string) => void): Promise<void> {
    if (!wantsKubernetesHa(this.o.spec.flinkConfiguration ?? {})) return;
    const clusterId = sessionName(this.name);
    await deleteHaConfigMaps(this.api, clusterId, progress);
    const files = path.join(this.paths.ha, clusterId);
    try {
      fs.rmSync(files, { recursive: true, force: true });
    } catch (e) {
      // Written by the pods' Flink user: a Sluice that may not delete them says so and goes on.
      progress(`could not delete ${files} (Kubernetes HA's files of the session): ${String(e)}`);
    }
  }

  /** Stops the session cluster: its jobs end with it (their savepoints and checkpoints stay). */
  async stop(progress: (line: string) => void = () => {}): Promise<LocalClusterStatus> {
    await this.remove(progress);
    return this.status();
  }

  async status(): Promise<LocalClusterStatus> {
    return this.statusOf(await this.api.pods(sessionSelector(this.name)), false);
  }

  private async statusOf(pods: V1Pod[], starting: boolean): Promise<LocalClusterStatus> {
    const root = await this.root();
    const processes = pods.flatMap(processesOf);
    const base = {
      name: this.name,
      flinkVersion: root?.metadata?.annotations?.['sluice.dev/flink-version'] ?? this.o.spec.engineVersion,
      restUrl: this.flink.rest.baseUrl,
      gatewayUrl: this.api.serviceProxyUrl(...this.services().gateway),
      processes,
    };
    if (!root)
      return { ...base, state: pods.length ? 'stopping' : 'stopped', overview: null, gatewayHealthy: false };
    if (root.metadata?.deletionTimestamp)
      return { ...base, state: 'stopping', overview: null, gatewayHealthy: false };
    const [overview, gatewayHealthy] = await Promise.all([
      this.probe.rest.overview().catch(() => null),
      this.probe.gateway.info().then(
        () => true,
        () => false,
      ),
    ]);
    const s = this.o.spec.session;
    const healthy =
      !!overview &&
      gatewayHealthy &&
      overview.taskmanagers >= s.taskManagers &&
      overview['slots-total'] >= s.taskManagers * s.slotsPerTaskManager;
    const anyDown = processes.some((p) => !p.alive);
    return {
      ...base,
      state: healthy ? 'running' : starting || !anyDown ? 'starting' : 'degraded',
      overview,
      gatewayHealthy,
    };
  }
}

/**
 * A session cluster in pods: a savepoint asked into a folder of Sluice's machine (the platform's
 * savepoint folder, `<dir>/<job>`) goes to the job's folder under the session's savepoints in the
 * shared folder, which the pods write and a later run reads. A URI elsewhere (s3://...) is Flink's.
 */
class PodSessionTarget extends SessionClusterTarget {
  constructor(
    private readonly savepoints: string,
    ...rest: ConstructorParameters<typeof SessionClusterTarget>
  ) {
    super(...rest);
  }

  private inSharedFolder(asked: string): string {
    if (!asked.startsWith('file:') && !asked.startsWith('/')) return asked;
    return `file://${path.join(this.savepoints, path.basename(asked.replace(/\/+$/, '')))}`;
  }

  override stopWithSavepoint(flinkJobId: string, targetDirectory: string, drain: boolean): Promise<string> {
    return super.stopWithSavepoint(flinkJobId, this.inSharedFolder(targetDirectory), drain);
  }

  override triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string> {
    return super.triggerSavepoint(flinkJobId, this.inSharedFolder(targetDirectory));
  }
}

/** Where a debug run's rows files go: the session's folder in the shared folder, which its pods mount. */
export const sessionDebugFolder = (spec: KubernetesTargetSpec): string =>
  path.join(sessionPaths(spec).dir, 'debug');

/**
 * The session's folders in the shared folder, writable by the pods, and the engine's SQL Gateway
 * jars copied into its lib folder: their file names there.
 */
export async function stageSessionFolder(
  spec: KubernetesTargetSpec,
  distribution: () => Promise<FlinkDistribution>,
  progress: (line: string) => void,
): Promise<{ flinkVersion: string; gatewayJars: string[] }> {
  const dist = await distribution();
  const p = sessionPaths(spec);
  fs.mkdirSync(p.lib, { recursive: true });
  // The pods run Flink as user flink (9999): it writes checkpoints, savepoints, HA data and the gateway's files here.
  for (const d of [p.dir, p.checkpoints, p.savepoints, p.ha, sessionDebugFolder(spec)]) {
    fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(d, 0o777);
  }
  const gatewayJars = dist.gatewayJars.map((jar) => {
    fs.copyFileSync(jar, path.join(p.lib, path.basename(jar)));
    return path.basename(jar);
  });
  progress(
    `SQL Gateway jar of engine ${dist.flinkVersion} in the shared folder: ${gatewayJars.map((j) => path.join(p.lib, j)).join(', ')}`,
  );
  return { flinkVersion: dist.flinkVersion, gatewayJars };
}

/** How a Kubernetes session cluster is made and removed, for the start both session ways share. */
export interface SessionClusterSteps {
  target: string;
  status(): Promise<LocalClusterStatus>;
  /** Applies its objects (nothing is there yet). */
  apply(progress: (line: string) => void): Promise<void>;
  /** Waits until it runs; throws, saying what is seen, when it does not. */
  waitRunning(progress: (line: string) => void): Promise<LocalClusterStatus>;
  /** Deletes what was applied and waits until it is gone. */
  remove(progress: (line: string) => void): Promise<void>;
}

/**
 * Starts a session cluster: a running one is left as it is, a stopping one refused, a starting one
 * waited for, a stopped one applied. A start that fails removes what it applied.
 */
export async function startSessionCluster(
  c: SessionClusterSteps,
  progress: (line: string) => void,
): Promise<LocalClusterStatus> {
  const before = await c.status();
  if (before.state === 'running') {
    progress(`the session cluster of ${c.target} is already running`);
    return before;
  }
  if (before.state === 'stopping')
    throw new SluiceError(
      'precondition_failed',
      message('kubernetes.sessionNotRunning', { target: c.target, state: before.state }),
    );
  if (before.state === 'stopped') {
    try {
      await c.apply(progress);
    } catch (e) {
      await c.remove(() => {}).catch(() => undefined);
      throw e;
    }
  } else progress(`the session cluster of ${c.target} is ${before.state}: waiting for it`);
  try {
    return await c.waitRunning(progress);
  } catch (e) {
    progress(`the session cluster did not come up: removing what was applied`);
    await c.remove(progress).catch(() => undefined);
    throw e;
  }
}

/** A job's start on a session target starts its session when it is stopped (refused while it stops). */
export async function ensureSessionRunning(
  target: string,
  status: () => Promise<LocalClusterStatus>,
  start: (log: (line: string) => void) => Promise<LocalClusterStatus>,
  log: (line: string) => void,
): Promise<void> {
  const s = await status();
  if (s.state === 'running') return;
  if (s.state === 'stopping')
    throw new SluiceError(
      'precondition_failed',
      message('kubernetes.sessionNotRunning', { target, state: s.state }),
    );
  log(`the session cluster of ${target} is ${s.state}: starting it`);
  await start(log);
}

/**
 * A Kubernetes session's Flink Web UI at `baseUrl` (a service proxy URL), asked through the API
 * server. An answer of the proxy itself (503: no ready endpoint; 404: no such Service) while the
 * session is not running is the session's state, for the proxy route to say; any other answer is Flink's.
 */
export function sessionUiThrough(api: KubeApi, baseUrl: string, state: () => Promise<string>): SessionUi {
  return {
    baseUrl,
    get: async (pathAndQuery, signal) => {
      const res = await api.get(`${baseUrl}${pathAndQuery}`, signal);
      if (res.status !== 503 && res.status !== 404) return res;
      const now = await state();
      return now === 'running' ? res : { notRunning: now };
    },
  };
}

/** A pod's containers as the processes a session's status lists (the JobManager pod holds the SQL Gateway). */
export function processesOf(pod: V1Pod): ClusterProcessStatus[] {
  const name = pod.metadata?.name ?? '?';
  return (pod.status?.containerStatuses ?? []).map((cs) => ({
    id: cs.name === 'sql-gateway' ? `${name}/sql-gateway` : name,
    role: cs.name,
    pid: null,
    alive: !!cs.state?.running && cs.ready,
    adopted: false,
    restarts: cs.restartCount ?? 0,
    startedAt: cs.state?.running?.startedAt ? new Date(cs.state.running.startedAt).toISOString() : null,
    logFile: '',
    // A pod's reporter is reached at the pod's address (GET /api/v1/prometheus/targets), not a local port.
    metricsPort: null,
  }));
}

const describe = (s: LocalClusterStatus, taskManagers: number): string =>
  [
    `JobManager REST ${s.overview ? 'up' : 'not yet up'}`,
    `${s.overview?.taskmanagers ?? 0}/${taskManagers} TaskManagers registered`,
    `SQL Gateway ${s.gatewayHealthy ? 'up' : 'not yet up'}`,
    `pods: ${s.processes.map((p) => `${p.id} ${p.alive ? 'running' : 'not running'}`).join(', ') || 'none yet'}`,
  ].join(', ');

/** Asks again, up to PROXY_ATTEMPTS times in all, while the answer is that the cluster is unreachable. */
async function again<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (e) {
      if (!(e instanceof TargetUnreachable) || attempt >= PROXY_ATTEMPTS) throw e;
      await sleep(750);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `stageJar`'s copy of `file` into `dir`, for session cluster `cluster`: the path it is at there. */
export function stageJarInto(dir: string, file: string, cluster: string, sha256?: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const to = path.join(dir, sha256 ? `${sha256}.jar` : path.basename(file));
  if (
    fs.existsSync(to) &&
    (sha256 ? sha256Of(to) === sha256 : fs.statSync(to).size === fs.statSync(file).size)
  )
    return to;
  // Written aside and renamed: a job starting at the same time never reads half a jar.
  const aside = `${to}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  fs.copyFileSync(file, aside);
  if (sha256) {
    const got = sha256Of(aside);
    if (got !== sha256) {
      fs.rmSync(aside, { force: true });
      throw new SluiceError(
        'precondition_failed',
        message('jars.stagedChanged', { path: file, got, expected: sha256, cluster }),
      );
    }
  }
  fs.chmodSync(aside, 0o644);
  fs.renameSync(aside, to);
  return to;
}

/** The sha256 of a file's bytes, as the artifact store names them. */
const sha256Of = (file: string): string => ArtifactFiles.sha256(fs.readFileSync(file));
