import fs from 'node:fs';
import path from 'node:path';
import { dumpYaml, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type {
  ApplicationClusterFacts,
  ApplicationSpec,
  ClusterFacts,
  ObservedJob,
  RenderedCluster,
  SqlWorkbench,
} from '../../../domain/targets/deployment-target.ts';
import type { KubernetesSession, KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import type { LocalClusterStatus } from '../../../application/ports/clusters.ts';
import type { FlinkDistribution } from '../../../application/ports/engines.ts';
import type { KubernetesSessionControl } from '../../../application/ports/kubernetes.ts';
import { SessionClusterTarget } from '../../flink/session-cluster-target.ts';
import { SqlGatewayClient } from '../../flink/sql-gateway/sql-gateway-client.ts';
import { readPodTemplateFiles } from '../pod-template.ts';
import { isNotFound, type KubeApi } from '../standalone/kube-api.ts';
import { sessionName, sessionSelector } from '../standalone/session-manifests.ts';
import {
  ensureSessionRunning,
  processesOf,
  PROXY_ATTEMPTS,
  sessionDebugFolder,
  stageSessionFolder,
  startSessionCluster,
} from '../standalone/standalone-session.ts';
import { LABELS, requireSharedDir } from '../standalone/standalone-manifests.ts';
import { HOPELESS, type KubernetesStandaloneOptions, type Run } from '../standalone/standalone-target.ts';
import {
  FLINK_API_VERSION,
  FLINK_DEPLOYMENTS,
  FLINK_GROUP,
  FLINK_SESSION_JOBS,
} from './operator-manifests.ts';
import {
  gatewayConfigMap,
  gatewayConfigName,
  gatewayService,
  gatewayServiceName,
  ownedBySessionDeployment,
  renderSessionDeployment,
  renderSessionJob,
  sessionJobAdoption,
  sessionJobOutcome,
  sessionReadiness,
  sessionRunFiles,
  targetFolder,
  type FlinkSessionJob,
  type OperatorSessionInput,
  type SessionDeployment,
  type SessionJobAdoption,
  type SessionJobInput,
} from './operator-session-manifests.ts';
import { KubernetesOperatorTarget, operatorError } from './operator-target.ts';
import { SessionPodLogs } from '../standalone/pod-logs.ts';

/** A session's start waits this long for the operator to report its JobManager READY and its TaskManagers. */
const START_TIMEOUT_MS = 300_000;
/** A stop or a release waits this long for the operator's resources and the pods to be gone. */
const GONE_TIMEOUT_MS = 120_000;
/** How long the operator may take to choose a session job's id (it does so in its first reconciliation). */
const JOB_ID_TIMEOUT_MS = 120_000;
/** The official image runs Flink as user flink (9999): the plan file is that user's alone. */
const FLINK_UID = 9999;

type SessionSpec = KubernetesTargetSpec & { session: KubernetesSession };

/**
 * The operator's session (issue 13, items 2 and 8): the target's one session FlinkDeployment, which
 * the operator deploys in Flink's native session mode, started and stopped as a local session cluster
 * is (`sluice cluster start|stop`, or on demand by a job's start), and one FlinkSessionJob per run of
 * a job, which the operator submits to it. A run is made as on the operator's application way (the SQL
 * runner and its plan, or the job's jar, in the shared folder; restore from `initialSavepointPath`;
 * savepoints through FlinkStateSnapshot; stop with savepoint by the operator's suspension), except
 * that the plan is a file of the run's folder (no Secret can be mounted into a running JobManager),
 * the job's id is the one the operator chooses, and the pods are the session's. A cancel deletes the
 * FlinkSessionJob (the operator cancels the job); the session stays until it is stopped, which is
 * refused while FlinkSessionJobs are on it.
 *
 * The operator fetches each run's `jarURI` itself: here `file://` in the shared folder, which an
 * operator running where that folder is mounted reads (with `file` among its
 * `kubernetes.operator.user.artifacts.allowed-schemes`). An operator elsewhere needs an https URL
 * instead (the platform's submission-artifacts route would serve it; not built for this way).
 *
 * The SQL Gateway runs beside the operator's JobManager (a second container of the FlinkDeployment's
 * JobManager pod template) and is reached through a Service of Sluice's; its Service and ConfigMap
 * are owned by the FlinkDeployment, since the operator recreates the JobManager Deployment on an
 * upgrade or a suspension. Debug runs, explain and catalog browsing go through it, as on the other
 * session kinds; their sandbox jobs are the session's own, held by no FlinkSessionJob.
 */
export class KubernetesOperatorSession extends KubernetesOperatorTarget {
  override readonly kind = 'kubernetes-operator-session' as const;
  protected override readonly resource = { kind: 'FlinkSessionJob' as const, plural: FLINK_SESSION_JOBS };
  private readonly jobs = new Map<string, SessionJobInput>();
  /** The operator's job id of each adopted run, by the id Sluice reserved for it. */
  private readonly chosen = new Map<string, string>();
  private readonly sessionRest: SessionClusterTarget;
  /** The session's Flink REST and SQL Gateway through the proxy (503s asked again): SQL sessions. */
  private readonly sessionSql: SessionClusterTarget;
  /** The session's SQL Gateway, asked once: a status must not wait on a gateway that is not there. */
  private readonly gatewayProbe: SqlGatewayClient;
  private starting: Promise<LocalClusterStatus> | null = null;
  /**
   * The session cluster as `sluice cluster start|stop` drives it (a member of its own: this target's
   * `start` is a run's, as on every application-cluster target).
   */
  readonly sessionCluster: KubernetesSessionControl = {
    start: (progress) => this.startSession(progress),
    stop: (progress) => this.stopSession(progress),
    status: () => this.status(),
  };

  /** The session's pod logs, shared by its jobs (not one run's pods), kept for each run as it is released. */
  override readonly logs: SessionPodLogs;

  constructor(
    private readonly so: KubernetesStandaloneOptions & {
      spec: SessionSpec;
      space: string;
      /** The engine's distribution: its SQL Gateway jar goes to the session's JobManager pod. */
      distribution: () => Promise<FlinkDistribution>;
    },
  ) {
    super(so);
    this.sessionRest = this.restOf(`${sessionName(so.spec.name)}-rest`, 'rest');
    this.logs = new SessionPodLogs(this.api, sessionSelector(so.spec.name), this.archive);
    const gatewayUrl = this.api.serviceProxyUrl(gatewayServiceName(so.spec.name), 'gateway');
    this.sessionSql = new SessionClusterTarget(
      this.name,
      'remote',
      this.sessionRest.rest.baseUrl,
      gatewayUrl,
      (log) => this.ensureRunning(log),
      this.logs,
      this.api.transport(PROXY_ATTEMPTS),
    );
    this.gatewayProbe = new SqlGatewayClient(gatewayUrl, this.api.transport());
  }

  /** SQL sessions on the session's SQL Gateway: debug runs, explain, catalogs. */
  override get workbench(): SqlWorkbench {
    return this.sessionSql;
  }

  /** The session's folder in the shared folder: its pods read a debug run's rows files there. */
  get debugFolder(): string {
    return sessionDebugFolder(this.session);
  }

  private get session(): SessionSpec {
    return this.so.spec;
  }

  /** A job's start starts the session when it is stopped, as on a local session target. */
  override async prepare(log: (line: string) => void = () => {}): Promise<void> {
    await this.ensureRunning(log);
  }

  private ensureRunning(log: (line: string) => void): Promise<void> {
    return ensureSessionRunning(
      this.name,
      () => this.status(),
      (l) => this.startSession(l),
      log,
    );
  }

  // The session cluster: KubernetesSessionControl.

  private async sessionDeployment(): Promise<SessionDeployment | null> {
    return this.operatorObject<SessionDeployment>(
      FLINK_DEPLOYMENTS,
      'FlinkDeployment',
      sessionName(this.name),
    );
  }

  /** What the session's objects are rendered from; `gatewayJars`: their names in the session's lib folder. */
  private async sessionInput(gatewayJars?: string[]): Promise<OperatorSessionInput> {
    const dist = await this.so.distribution();
    return {
      target: this.session,
      space: this.so.space,
      flinkVersion: dist.flinkVersion,
      gatewayJars: gatewayJars ?? dist.gatewayJars.map((j) => path.basename(j)),
      podTemplates: readPodTemplateFiles(this.session.flinkConfiguration ?? {}),
    };
  }

  /**
   * Applies the session FlinkDeployment (its folders in the shared folder made first, writable by the
   * pods) and waits until the operator reports its JobManager READY and its TaskManager pods run. A
   * session that does not come up is deleted again, with the operator's or the kubelet's words.
   */
  private startSession(progress: (line: string) => void): Promise<LocalClusterStatus> {
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
        apply: (p) => this.applySession(p),
        waitRunning: (p) => this.waitRunning(p),
        remove: (p) => this.removeSession(p),
      },
      progress,
    );
  }

  /**
   * The session's folders (the SQL Gateway's jars copied in), the gateway's ConfigMap (its pod mounts
   * it), the FlinkDeployment, then the gateway's ConfigMap again and its Service, both owned by the
   * FlinkDeployment.
   */
  private async applySession(progress: (line: string) => void): Promise<void> {
    // The pods run Flink as user flink (9999): the target's folder holds its jobs' files (the session's
    // own folders, HA's included, are made with the gateway's jars).
    fs.mkdirSync(targetFolder(this.session), { recursive: true });
    fs.chmodSync(targetFolder(this.session), 0o777);
    const { gatewayJars } = await stageSessionFolder(this.session, this.so.distribution, progress);
    const input = await this.sessionInput(gatewayJars);
    await this.api.apply(gatewayConfigMap(input, null));
    progress(`applied ConfigMap ${gatewayConfigName(this.name)} (the SQL Gateway's configuration)`);
    const fd = renderSessionDeployment(input);
    const applied = await this.api.apply(fd);
    const s = this.session.session;
    progress(
      `applied FlinkDeployment ${fd.metadata!.name} (uid ${applied.metadata?.uid}, no job: a session cluster): ${s.taskManagers} TaskManager(s) of ${s.slotsPerTaskManager} slot(s) (slotmanager.number-of-slots.min/max), JobManager ${s.jobManagerMemory} with the SQL Gateway (${s.gatewayMemory}) in its pod, TaskManager ${s.taskManagerMemory}; image ${this.session.image}; namespace ${this.session.namespace}; the shared folder ${targetFolder(this.session)} mounted at the same path`,
    );
    const owner = ownedBySessionDeployment(applied);
    await this.api.apply(gatewayConfigMap(input, owner));
    await this.api.apply(gatewayService(input, owner));
    progress(
      `applied Service ${gatewayServiceName(this.name)} (the SQL Gateway) and owned it and the ConfigMap by the FlinkDeployment: they go with it`,
    );
  }

  private async waitRunning(progress: (line: string) => void): Promise<LocalClusterStatus> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let said = '';
    for (;;) {
      const fd = await this.sessionDeployment();
      const ready = sessionReadiness(fd?.status);
      if (typeof ready === 'object') throw this.api.notDone('run its session FlinkDeployment', ready.failed);
      const pods = await this.api.pods(sessionSelector(this.name));
      const trouble = await this.podTroubleOf(pods);
      if (trouble) throw this.api.notDone('run its session cluster', trouble);
      const s = await this.statusOf(fd, pods);
      const line = `FlinkDeployment ${sessionName(this.name)} ${describeStatus(fd)}; ${describePods(pods)}; SQL Gateway ${s.gatewayHealthy ? 'up' : 'not yet up'}`;
      if (s.state === 'running') {
        progress(`the session cluster of ${this.name} is running: ${line}`);
        return s;
      }
      if (line !== said) progress((said = line));
      if (Date.now() > deadline)
        throw this.api.notDone(`start its session cluster within ${START_TIMEOUT_MS / 1000} s`, line);
      await sleep(1000);
    }
  }

  /** A session pod that will not run without a change, in the kubelet's words. */
  private async podTroubleOf(pods: V1Pod[]): Promise<string | null> {
    // Only a pod that looks stuck is looked at closer (podSeen reads its log).
    const stuck = pods.filter(
      (p) =>
        p.status?.conditions?.some((c) => c.reason === 'Unschedulable') ||
        (p.status?.containerStatuses ?? []).some((cs) => HOPELESS.has(cs.state?.waiting?.reason ?? '')),
    );
    for (const pod of stuck) {
      const seen = await this.podSeen(pod, 'taskmanager');
      const reason = seen.failing?.reason;
      if (reason && HOPELESS.has(reason.reason))
        return `pod ${pod.metadata?.name} is ${reason.reason}: ${reason.detail}\n${seen.failing!.log}`;
      if (seen.state.startsWith('Pending: Unschedulable')) return `pod ${pod.metadata?.name} ${seen.state}`;
    }
    return null;
  }

  /**
   * Deletes the session FlinkDeployment (the operator removes its JobManager, which takes its
   * TaskManager pods with it) and waits until it and its pods are gone. Refused while FlinkSessionJobs
   * of the target are on it: their jobs would end without their savepoints.
   */
  private async stopSession(progress: (line: string) => void = () => {}): Promise<LocalClusterStatus> {
    const jobs = await this.listSessionJobs();
    if (jobs.length)
      throw new SluiceError(
        'precondition_failed',
        message('kubernetes.sessionHasJobs', {
          target: this.name,
          jobs: jobs.map((j) => j.metadata?.labels?.[LABELS.job] ?? j.metadata?.name).join(', '),
        }),
      );
    await this.removeSession(progress);
    return this.status();
  }

  private async removeSession(progress: (line: string) => void): Promise<void> {
    const name = sessionName(this.name);
    await this.deleteOperatorObject(FLINK_DEPLOYMENTS, 'FlinkDeployment', name, progress);
    // Owned by the FlinkDeployment, but ownerless after a start that failed before it existed.
    await deleteSessionGateway(this.api, this.name);
    await this.untilGone(`the session FlinkDeployment ${name} and its pods`, async () => {
      const pods = await this.api.pods(sessionSelector(this.name));
      const fd = await this.sessionDeployment();
      return [...(fd ? [`FlinkDeployment ${name}`] : []), ...pods.map((p) => `pod ${p.metadata?.name}`)];
    });
    progress(
      `the session FlinkDeployment ${this.session.namespace}/${name} and its pods are gone; savepoints and checkpoints stay in ${targetFolder(this.session)}`,
    );
  }

  private async status(): Promise<LocalClusterStatus> {
    const [fd, pods] = await Promise.all([
      this.sessionDeployment(),
      this.api.pods(sessionSelector(this.name)),
    ]);
    return this.statusOf(fd, pods);
  }

  private async statusOf(fd: SessionDeployment | null, pods: V1Pod[]): Promise<LocalClusterStatus> {
    const base = {
      name: this.name,
      flinkVersion: fd?.metadata?.annotations?.['sluice.dev/flink-version'] ?? this.session.engineVersion,
      restUrl: this.sessionRest.rest.baseUrl,
      gatewayUrl: this.gatewayProbe.baseUrl,
      processes: pods.flatMap(processesOf),
    };
    const down = { overview: null, gatewayHealthy: false };
    if (!fd) return { ...base, ...down, state: pods.length ? 'stopping' : 'stopped' };
    if (fd.metadata?.deletionTimestamp) return { ...base, ...down, state: 'stopping' };
    const ready = sessionReadiness(fd.status);
    if (ready !== 'ready')
      return { ...base, ...down, state: ready === 'deploying' ? 'starting' : 'degraded' };
    const [overview, gatewayHealthy] = await Promise.all([
      this.sessionRest.rest.overview().catch(() => null),
      this.gatewayProbe.info().then(
        () => true,
        () => false,
      ),
    ]);
    const s = this.session.session;
    const full =
      !!overview &&
      gatewayHealthy &&
      overview.taskmanagers >= s.taskManagers &&
      overview['slots-total'] >= s.taskManagers * s.slotsPerTaskManager;
    return { ...base, state: full ? 'running' : 'starting', overview, gatewayHealthy };
  }

  /** The session's JobManager, as a session target's observer reports it. */
  override async cluster(): Promise<ClusterFacts> {
    return this.sessionRest.cluster();
  }

  // Each run: a FlinkSessionJob.

  private async listSessionJobs(): Promise<FlinkSessionJob[]> {
    try {
      const list = (await this.custom.listNamespacedCustomObject({
        group: FLINK_GROUP,
        version: FLINK_API_VERSION,
        namespace: this.session.namespace,
        plural: FLINK_SESSION_JOBS,
        labelSelector: `${LABELS.managedBy}=sluice,${LABELS.target}=${this.name}`,
      })) as { items: FlinkSessionJob[] };
      return list.items;
    } catch (e) {
      throw this.api.refused('list its FlinkSessionJobs', e);
    }
  }

  private async deleteOperatorObject(
    plural: string,
    kind: string,
    name: string,
    log: (line: string) => void,
  ): Promise<void> {
    try {
      await this.custom.deleteNamespacedCustomObject({
        group: FLINK_GROUP,
        version: FLINK_API_VERSION,
        namespace: this.session.namespace,
        plural,
        name,
      });
      log(`deleted ${kind} ${name}: the operator cleans up after it`);
    } catch (e) {
      if (!isNotFound(e)) throw this.api.refused(`delete ${kind} ${name}`, e);
    }
  }

  /** Waits until `left` names nothing more, at most GONE_TIMEOUT_MS. */
  private async untilGone(what: string, left: () => Promise<string[]>): Promise<void> {
    const deadline = Date.now() + GONE_TIMEOUT_MS;
    for (;;) {
      const still = await left();
      if (!still.length) return;
      if (Date.now() > deadline)
        throw this.api.notDone(`remove ${what} within ${GONE_TIMEOUT_MS / 1000} s`, still.join(', '));
      await sleep(500);
    }
  }

  /**
   * The session FlinkDeployment (its JobManager pod template with the SQL Gateway), the gateway's
   * ConfigMap and Service, and the run's FlinkSessionJob as YAML, each dry-run by the API server (the
   * operator's resources against its CRDs). Nothing is created, nothing is written.
   */
  override async render(spec: ApplicationSpec, log: (line: string) => void): Promise<RenderedCluster> {
    await this.writeProgram(spec, log);
    const program = this.programs.get(spec.flinkJobId)!;
    this.programs.delete(spec.flinkJobId);
    const input = await this.sessionInput();
    const fd = renderSessionDeployment(input);
    // The gateway's objects are owned by the FlinkDeployment: by the running one's uid, else shown ownerless.
    const live = await this.sessionDeployment();
    const owner = live ? ownedBySessionDeployment(live) : null;
    const objects: KubernetesObject[] = [
      fd,
      gatewayConfigMap(input, owner),
      gatewayService(input, owner),
      renderSessionJob(this.sessionJobInput(spec, [...program.jars, ...spec.jars], program)),
    ];
    let dryRun: RenderedCluster['dryRun'];
    try {
      const tried = await this.api.apply(fd, true);
      const owned =
        owner ??
        ownedBySessionDeployment({
          metadata: { name: fd.metadata!.name, uid: tried.metadata?.uid ?? 'dry-run' },
        });
      for (const obj of [gatewayConfigMap(input, owned), gatewayService(input, owned), objects[3]!])
        await this.api.apply(obj, true);
      dryRun = {
        accepted: true,
        detail: `the API server at ${this.api.server} accepted all ${objects.length} objects (server-side dry run, namespace ${this.session.namespace}; the session FlinkDeployment and the FlinkSessionJob against the operator's CRDs, the SQL Gateway's ConfigMap and Service owned by the FlinkDeployment)`,
      };
    } catch (e) {
      dryRun = { accepted: false, detail: e instanceof SluiceError ? e.message : String(e) };
    }
    return {
      yaml: objects.map((obj) => dumpYaml(obj)).join('---\n'),
      objects: objects.map((obj) => ({ kind: obj.kind!, name: obj.metadata!.name! })),
      dryRun,
    };
  }

  private sessionJobInput(
    spec: ApplicationSpec,
    jars: string[],
    program: { entryClass: string; args: string[]; plan: string | null },
  ): SessionJobInput {
    const files = sessionRunFiles(this.session, spec, jars);
    return {
      target: this.session,
      spec,
      // A SQL job's runner reads its plan from the run's folder, which the JobManager pod mounts.
      program: {
        jar: files.jar,
        entryClass: program.entryClass,
        args: program.plan === null ? program.args : [files.plan],
      },
      classpath: files.classpath,
    };
  }

  /**
   * The run's files in the shared folder (its jars, a SQL job's plan readable by the pods' Flink user
   * only), and its FlinkSessionJob rendered, so that a bad option is refused before anything is applied.
   */
  override async prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    requireSharedDir(this.session);
    const jars = [...program.jars, ...spec.jars];
    const input = this.sessionJobInput(spec, jars, program);
    renderSessionJob(input);
    // A session's runs take their jars from the shared folder, which the session's pods mount.
    this.stageRun(spec, jars, log, false);
    if (program.plan !== null) {
      const file = sessionRunFiles(this.session, spec, jars).plan;
      fs.writeFileSync(file, program.plan, { mode: 0o600 });
      try {
        fs.chownSync(file, FLINK_UID, FLINK_UID);
        log(
          `SQL runner plan in ${file} (readable by the pods' Flink user only; the JobManager reads it there)`,
        );
      } catch {
        // Sluice not running as root: the plan cannot be given to the pods' user, so others may read it.
        fs.chmodSync(file, 0o644);
        log(
          `SQL runner plan in ${file} (readable by every user: Sluice cannot give it to the pods' Flink user)`,
        );
      }
    }
    const run = this.require(spec.flinkJobId);
    run.rest = this.sessionRest;
    run.expectedTaskManagers = this.session.session.taskManagers;
    this.jobs.set(spec.flinkJobId, input);
    if (spec.savepoint) log(`the job starts from ${spec.savepoint} (job.initialSavepointPath)`);
  }

  /**
   * Starts the session when it is stopped, applies the run's FlinkSessionJob and waits until the
   * operator has chosen the job's id (its first reconciliation): the run is known by it from then
   * on. A failure deletes the FlinkSessionJob again.
   */
  override async start(flinkJobId: string, log: (line: string) => void): Promise<string> {
    const run = this.require(flinkJobId);
    const input = this.jobs.get(flinkJobId);
    if (!input)
      throw new Error(`the run of Flink job ${flinkJobId} was adopted, not prepared: it runs already`);
    await this.ensureRunning(log);
    const sj = renderSessionJob(input);
    try {
      const applied = await this.api.apply(sj);
      log(
        `applied FlinkSessionJob ${run.name} (uid ${applied.metadata?.uid}) on session FlinkDeployment ${sj.spec.deploymentName}: the operator fetches ${sj.spec.job.jarURI} and submits it`,
      );
      run.appliedAt = Date.now();
      const deadline = Date.now() + JOB_ID_TIMEOUT_MS;
      for (;;) {
        const o = sessionJobOutcome((await this.sessionJob(run.name))?.status);
        if (o.failed) throw this.api.notDone(`run FlinkSessionJob ${run.name}`, operatorError(o.failed));
        if (o.jobId) {
          this.jobs.delete(flinkJobId);
          if (o.jobId !== flinkJobId) {
            this.live.delete(flinkJobId);
            this.live.set(o.jobId, run);
          }
          log(`the operator submits the job as Flink job ${o.jobId} (it chooses a session job's id)`);
          return o.jobId;
        }
        if (Date.now() > deadline)
          throw this.api.notDone(
            `have the operator reconcile FlinkSessionJob ${run.name} within ${JOB_ID_TIMEOUT_MS / 1000} s`,
            'it has not chosen a job id yet',
          );
        await sleep(500);
      }
    } catch (e) {
      await this.deleteOperatorObject(FLINK_SESSION_JOBS, 'FlinkSessionJob', run.name, () => {}).catch(
        () => undefined,
      );
      throw e;
    }
  }

  private sessionJob(name: string): Promise<FlinkSessionJob | null> {
    return this.operatorObject<FlinkSessionJob>(FLINK_SESSION_JOBS, 'FlinkSessionJob', name);
  }

  /** A session job's savepoint is taken once the operator has seen it RUNNING (no JobManager status of its own). */
  protected override seesRunning(
    s: { lifecycleState?: string; jobStatus?: { state?: string } } | null,
  ): boolean {
    return s?.jobStatus?.state === 'RUNNING' && ['DEPLOYED', 'STABLE'].includes(s.lifecycleState ?? '');
  }

  /**
   * The session's pods (its JobManager pod, its TaskManager pods) and the run's FlinkSessionJob: its
   * status in the step's log, its failure (lifecycle FAILED, or the job FAILED) as the start's.
   */
  protected override async readFacts(flinkJobId: string, run: Run): Promise<ApplicationClusterFacts> {
    const [pods, sj] = await Promise.all([
      this.api.pods(sessionSelector(this.name)),
      this.sessionJob(run.name),
    ]);
    const role = (p: V1Pod) => p.metadata?.labels?.[LABELS.component];
    const jm = pods.find((p) => role(p) === 'jobmanager') ?? null;
    const tms = pods.filter((p) => role(p) === 'taskmanager' && p.status?.phase === 'Running');
    const o = sessionJobOutcome(sj?.status);
    const trouble = await this.podTroubleOf(pods);
    const failing: ApplicationClusterFacts['failing'] = o.failed
      ? {
          process: `FlinkSessionJob ${run.name}`,
          restartable: false,
          crashes: 0,
          log: sj?.status?.error ?? o.failed,
          reason: {
            reason: `operator: ${sj?.status?.lifecycleState ?? 'FAILED'}`,
            detail: operatorError(o.failed),
          },
        }
      : trouble
        ? {
            process: `session of ${this.name}`,
            restartable: false,
            crashes: 0,
            log: trouble,
            reason: { reason: 'session pod cannot run', detail: trouble },
          }
        : null;
    return {
      jobManager:
        jm?.status?.phase === 'Running' ? `pod ${jm.metadata!.name} (${jm.status?.podIP ?? 'no IP'})` : null,
      taskManagers: tms.length,
      expectedTaskManagers: run.expectedTaskManagers,
      failing,
      alive: sj !== null,
      root: `${this.session.namespace}/${sessionName(this.name)}`,
      // The session's logs are not one run's: a failing pod's are in `failing`.
      jobManagerLog: '',
      taskManagerLog: '',
      status: `FlinkSessionJob ${run.name} ${sj ? `${sj.status?.lifecycleState ?? '-'}/${o.state ?? '-'}` : 'absent'}; ${describePods(pods)}`,
    };
  }

  /**
   * A cancel deletes the run's FlinkSessionJob: the operator cancels its job on the session. A job of
   * the session that no FlinkSessionJob holds (a debug run's query, sent through the SQL Gateway) is
   * cancelled through Flink REST; one a FlinkSessionJob holds is the operator's, never cancelled here.
   */
  override async cancel(flinkJobId: string): Promise<void> {
    const run = this.live.get(flinkJobId);
    if (run) {
      await this.deleteOperatorObject(FLINK_SESSION_JOBS, 'FlinkSessionJob', run.name, () => {});
      return;
    }
    const held = (await this.listSessionJobs()).some((sj) => sj.status?.jobStatus?.jobId === flinkJobId);
    if (held)
      throw new SluiceError('precondition_failed', message('cluster.applicationGone', { flinkJobId }));
    await this.sessionRest.cancel(flinkJobId);
  }

  /**
   * Every job on the session, through its REST (the runs' and the SQL Gateway's sandbox jobs): a debug
   * run sees its own queries' jobs end here. The runs themselves are each observed by their own observer.
   */
  override async observe(): Promise<Map<string, ObservedJob>> {
    return this.sessionRest.observe();
  }

  /** Deletes the run's FlinkSessionJob and waits until it is gone; the session and its pods stay. */
  override async release(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.suspended.delete(flinkJobId);
    this.programs.delete(flinkJobId);
    this.jobs.delete(flinkJobId);
    const run = this.live.get(flinkJobId);
    if (!run) return;
    await this.logs.keep(run.jobName, flinkJobId, log);
    await this.deleteOperatorObject(FLINK_SESSION_JOBS, 'FlinkSessionJob', run.name, log);
    await this.untilGone(`FlinkSessionJob ${run.name}`, async () =>
      (await this.sessionJob(run.name)) ? [`FlinkSessionJob ${run.name}`] : [],
    );
    this.live.delete(flinkJobId);
    log(`FlinkSessionJob ${this.session.namespace}/${run.name} is gone; its savepoints and checkpoints stay`);
  }

  /** The session's REST: every run's job is there. */
  override restUrl(flinkJobId: string): string | null {
    return this.live.has(flinkJobId) ? this.sessionRest.rest.baseUrl : null;
  }

  /**
   * The FlinkSessionJobs an earlier platform process left, by the job id the operator reports
   * (sessionJobAdoption). A start killed between applying its FlinkSessionJob and recording the
   * operator's id left only the reserved one in the platform: `chosenJobId` answers it. One the
   * operator has not given an id yet is waited for as long as a start waits; one it never gives one
   * is deleted (the operator had not taken it), and the interrupted start is rolled back.
   */
  override async adopt(log: (line: string) => void): Promise<string[]> {
    const adopted: string[] = [];
    const known = (id: string) => this.live.has(id);
    let waiting: FlinkSessionJob[] = [];
    const take = (sj: FlinkSessionJob, d: SessionJobAdoption & { action: 'adopt' }) => {
      const name = sj.metadata!.name!;
      this.adoptRun(sj.metadata!, d.flinkJobId, d.jobName, name, `${sessionName(this.name)}-rest`);
      this.require(d.flinkJobId).expectedTaskManagers = this.session.session.taskManagers;
      this.chosen.set(d.reservedId, d.flinkJobId);
      adopted.push(d.flinkJobId);
      log(
        `adopted FlinkSessionJob ${this.session.namespace}/${name} of job ${d.jobName} (Flink job ${d.flinkJobId}${d.reservedId === d.flinkJobId ? '' : `, reserved as ${d.reservedId}`})`,
      );
    };
    for (const sj of await this.listSessionJobs()) {
      const d = sessionJobAdoption(sj, known);
      if (d?.action === 'adopt') take(sj, d);
      else if (d) waiting.push(sj);
    }
    const deadline = Date.now() + JOB_ID_TIMEOUT_MS;
    if (waiting.length)
      log(
        `waiting for the operator to choose the job id of FlinkSessionJob(s) ${waiting.map((sj) => sj.metadata?.name).join(', ')} (a start was interrupted before it did)`,
      );
    while (waiting.length) {
      const still: FlinkSessionJob[] = [];
      for (const before of waiting) {
        const name = before.metadata!.name!;
        const sj = await this.sessionJob(name);
        const d = sj ? sessionJobAdoption(sj, known) : null;
        if (d?.action === 'adopt') take(sj!, d);
        else if (d && Date.now() > deadline) {
          await this.deleteOperatorObject(FLINK_SESSION_JOBS, 'FlinkSessionJob', name, () => {});
          log(
            `deleted FlinkSessionJob ${this.session.namespace}/${name} of job ${d.jobName}: the operator chose no job id for it within ${JOB_ID_TIMEOUT_MS / 1000} s of the platform's start (its start was interrupted)`,
          );
        } else if (d) still.push(sj!);
      }
      waiting = still;
      if (waiting.length) await sleep(500);
    }
    this.pruneKeptPodLogs(log);
    return adopted;
  }

  /** The operator's job id of a run adopted by its reserved id (a start killed before it recorded it). */
  chosenJobId(reservedId: string): string | null {
    return this.chosen.get(reservedId) ?? null;
  }

  /** The runs' FlinkSessionJobs go; the session cluster stays (it is stopped by `cluster stop`). */
  override async stopAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.release(id, () => {})));
    await this.watch.stop();
  }
}

const describeStatus = (fd: SessionDeployment | null): string =>
  fd
    ? `${fd.status?.lifecycleState ?? 'not reconciled yet'}/${fd.status?.jobManagerDeploymentStatus ?? '-'}${fd.status?.error ? ` (${operatorError(fd.status.error)})` : ''}`
    : 'absent';

const describePods = (pods: V1Pod[]): string =>
  pods.map((p) => `${p.metadata?.name} ${p.status?.phase ?? 'Unknown'}`).join(', ') || 'no pods yet';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Deletes the SQL Gateway's Service and ConfigMap of a session (the operator's or the native one):
 * owned by the session's root, but ownerless after a start that failed before the root existed.
 */
export async function deleteSessionGateway(api: KubeApi, target: string): Promise<void> {
  const ignoreAbsent = (what: string) => (e: unknown) => {
    if (!isNotFound(e)) throw api.refused(`delete ${what}`, e);
  };
  const namespace = api.namespace;
  await api.core
    .deleteNamespacedService({ name: gatewayServiceName(target), namespace })
    .catch(ignoreAbsent(`Service ${gatewayServiceName(target)}`));
  await api.core
    .deleteNamespacedConfigMap({ name: gatewayConfigName(target), namespace })
    .catch(ignoreAbsent(`ConfigMap ${gatewayConfigName(target)}`));
}
