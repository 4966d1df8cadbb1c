import { CustomObjectsApi, dumpYaml, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { flinkJobEnded, type FlinkJobState } from '../../../domain/jobs/job.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import {
  type ApplicationClusterFacts,
  type ApplicationSpec,
  type InPlaceUpgrades,
  type RenderedCluster,
  TargetUnreachable,
} from '../../../domain/targets/deployment-target.ts';
import { carriedState, keepsFlinkJobId, upgradeModeOf } from '../../../domain/targets/kubernetes-target.ts';
import { isNotFound } from '../standalone/kube-api.ts';
import type { ArtifactFetch } from '../artifact-fetch.ts';
import { artifactFileName } from '../../artifacts/submission-artifacts.ts';
import { readPodTemplateFiles } from '../pod-template.ts';
import { effectiveOptions } from '../standalone/standalone-manifests.ts';
import { LABELS, selectorOf } from '../standalone/standalone-manifests.ts';
import {
  KubernetesStandaloneTarget,
  usrlibName,
  type KubernetesStandaloneOptions,
  type Run,
} from '../standalone/standalone-target.ts';
import {
  FLINK_API_VERSION,
  FLINK_DEPLOYMENTS,
  FLINK_GROUP,
  FLINK_STATE_SNAPSHOTS,
  operatorSeesRunning,
  ownedBy,
  stateOption,
  renderFlinkDeployment,
  renderSavepointSnapshot,
  snapshotOutcome,
  type FlinkDeployment,
  type FlinkDeploymentInput,
  type FlinkDeploymentStatus,
  type FlinkStateSnapshot,
} from './operator-manifests.ts';

/** How long a release waits for the FlinkDeployment and its pods to be gone. */
const RELEASE_TIMEOUT_MS = 120_000;
/**
 * How long the operator's JobManager status must stay ERROR before a start takes its error as the
 * failure: a FailedMount passes once the kubelet retries the mount (seen at 15-20 s under load).
 */
const ERROR_STAYS_MS = 45_000;
/** How long a suspension may take to report its savepoint (the operator measured 2 s here). */
const SUSPEND_TIMEOUT_MS = 180_000;
/** How long an upgrade with a savepoint waits for the operator to see the running job as RUNNING. */
const OPERATOR_CATCH_UP_MS = 60_000;

/**
 * The Flink Kubernetes Operator's way (issue 13, item 2): each job is an application-mode
 * FlinkDeployment that the operator reconciles into a JobManager Deployment, whose JobManager makes
 * the TaskManager pods. What is the same as the standalone way is the standalone target's: the shared
 * folder (jars in usrlib, savepoints, checkpoints), the SQL runner's plan in a Secret, the pod watch
 * and pod logs, Flink REST through the API server's service proxy (here the operator's `<name>-rest`
 * Service). What differs: one object is applied, its `status` (the operator's lifecycle and error)
 * joins the pods in the start's facts, and deleting it (the operator cleans up what it made) is the
 * release. Stop with savepoint is the operator's suspension (`job.state: suspended`, upgradeMode
 * savepoint), its savepoint read from `status.jobStatus.upgradeSavepointPath`; with drain, which the
 * operator cannot ask for, it is Flink's own stop through REST. The job's next run starts from the
 * savepoint with `job.initialSavepointPath`.
 */
export class KubernetesOperatorTarget extends KubernetesStandaloneTarget {
  override readonly kind: 'kubernetes-operator' | 'kubernetes-operator-session' = 'kubernetes-operator';
  protected override readonly restService = 'rest';
  protected readonly custom: CustomObjectsApi;
  protected readonly inputs = new Map<string, FlinkDeploymentInput>();
  /** Runs the operator suspended, with their savepoint: their job has ended. */
  protected readonly suspended = new Map<string, string>();
  /** The operator's error of each run, since when it has been the same. */
  private readonly errors = new Map<string, { error: string; since: number }>();
  /** The operator's resource each run is (named as the run): its own FlinkDeployment here. */
  protected readonly resource: { kind: 'FlinkDeployment' | 'FlinkSessionJob'; plural: string } = {
    kind: 'FlinkDeployment',
    plural: FLINK_DEPLOYMENTS,
  };

  constructor(o: KubernetesStandaloneOptions) {
    super(o);
    this.custom = this.api.kc.makeApiClient(CustomObjectsApi);
  }

  /**
   * The run's input; `fetched` is the run's own token or signed listing once its start made them (a
   * preview shows a placeholder).
   */
  protected async operatorInputOf(
    spec: ApplicationSpec,
    fetched?: { token: string } | { listing: string; objects: string },
  ): Promise<FlinkDeploymentInput> {
    return flinkDeploymentInputOf(this.programs, this.o, spec, await this.fetchOf(fetched));
  }

  /**
   * The FlinkDeployment (and plan Secret) a start would apply, as YAML, and the API server's
   * server-side dry run of them: the FlinkDeployment is validated against the operator's real CRD.
   */
  override async render(spec: ApplicationSpec, log: (line: string) => void): Promise<RenderedCluster> {
    await this.writeProgram(spec, log);
    const input = await this.operatorInputOf(spec);
    this.programs.delete(spec.flinkJobId);
    const o = renderFlinkDeployment(input);
    const objects = [...(o.program ? [o.program] : []), ...(o.artifacts ? [o.artifacts] : []), o.deployment];
    let dryRun: RenderedCluster['dryRun'];
    try {
      for (const obj of objects) await this.api.apply(obj, true);
      dryRun = {
        accepted: true,
        detail: `the API server at ${this.api.server} accepted all ${objects.length} objects (server-side dry run, namespace ${this.o.spec.namespace}; the FlinkDeployment against the operator's CRD)`,
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

  override async prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    // Renders now so that a bad option is refused before anything is put in the bucket or applied.
    renderFlinkDeployment(await this.operatorInputOf(spec));
    const jars = [...program.jars, ...spec.jars];
    const input = await this.operatorInputOf(spec, await this.fetchedAtStart(spec, jars, log));
    this.stageRun(spec, jars, log);
    this.inputs.set(spec.flinkJobId, input);
    if (spec.savepoint) log(`the job starts from ${spec.savepoint} (job.initialSavepointPath)`);
  }

  /**
   * Applies the plan Secret, then the FlinkDeployment (server-side), then gives the Secret the
   * FlinkDeployment as its owner, so that deleting the deployment deletes it. A failure deletes what
   * was applied.
   */
  override async start(flinkJobId: string, log: (line: string) => void): Promise<string | void> {
    this.require(flinkJobId);
    const input = this.inputs.get(flinkJobId);
    if (!input)
      throw new Error(`the cluster of Flink job ${flinkJobId} was adopted, not prepared: it runs already`);
    try {
      const o = renderFlinkDeployment(input);
      if (o.program) {
        await this.api.apply(o.program);
        log(`applied Secret ${o.program.metadata!.name} (the SQL runner's plan)`);
      }
      // The pods' init container reads the token (and the fetcher) from it: it exists before them.
      if (o.artifacts) {
        await this.api.apply(o.artifacts);
        log(`applied Secret ${o.artifacts.metadata!.name} (the run's artifact token and the fetcher)`);
      }
      const applied = await this.api.apply(o.deployment);
      const name = o.deployment.metadata!.name!;
      log(
        `applied FlinkDeployment ${name} (uid ${applied.metadata?.uid}): the operator deploys the application cluster`,
      );
      for (const secret of [o.program, o.artifacts])
        if (secret) await this.api.apply(ownedBy(secret, { name, uid: applied.metadata!.uid! }));
      this.require(flinkJobId).appliedAt = Date.now();
      if (o.artifacts) this.renewTokens();
      this.inputs.delete(flinkJobId);
    } catch (e) {
      await this.deleteDeployment(flinkJobId, () => {}).catch(() => undefined);
      throw e;
    }
  }

  /** Upgrades in place: the running FlinkDeployment's spec changes, the operator upgrades it. */
  get inPlace(): InPlaceUpgrades {
    return {
      keepsFlinkJobId: () => keepsFlinkJobId(upgradeModeOf(this.o.spec)),
      change: (from, to, log) => this.changeSpec(from, to, log),
    };
  }

  /**
   * Changes the running FlinkDeployment of Flink job `from` into the prepared run `to` (its name
   * stays; its job id, labels, files and plan are the new run's), server-side; the operator then
   * upgrades it as the target's upgrade mode says: a savepoint first (savepoint), from the latest
   * checkpoint (last-state) or empty (stateless). Resolves once the running job's pods are gone and,
   * with savepoint, the operator reports its savepoint.
   */
  private async changeSpec(
    from: string,
    to: string,
    log: (line: string) => void,
  ): Promise<{ savepoint: string | null; carried: string }> {
    const running = this.require(from);
    const input = this.inputs.get(to);
    if (!input) throw new Error(`the run of Flink job ${to} was not prepared`);
    const name = running.name;
    const mode = upgradeModeOf(this.o.spec);
    const before = await this.operatorCaughtUp(name, mode, log);
    if (!before)
      throw new SluiceError('precondition_failed', message('cluster.applicationGone', { flinkJobId: from }));
    const savepointBefore = before.status?.jobStatus?.upgradeSavepointPath ?? null;
    const oldPods = new Set((await this.api.pods(selectorOf(from))).map((p) => p.metadata!.uid!));
    const o = renderFlinkDeployment({ ...input, deploymentName: name });
    if (o.program) {
      await this.api.apply(ownedBy(o.program, { name, uid: before.metadata!.uid! }));
      log(`applied Secret ${o.program.metadata!.name} (the new version's plan)`);
    }
    // The new run's token, before the operator makes its pods (they fetch the new run's jars).
    if (o.artifacts) {
      await this.api.apply(ownedBy(o.artifacts, { name, uid: before.metadata!.uid! }));
      log(`applied Secret ${o.artifacts.metadata!.name} (the new version's artifact token)`);
    }
    const applied = await this.api.apply(o.deployment);
    log(
      `changed the spec of FlinkDeployment ${name} (generation ${applied.metadata?.generation ?? '?'}, Flink job id ${to}): the operator upgrades it with upgrade mode ${mode}`,
    );
    const prepared = this.require(to);
    this.live.set(to, {
      ...prepared,
      name,
      rest: this.restOf(`${name}-rest`, 'rest'),
      appliedAt: Date.now(),
      facts: null,
      seen: false,
    });
    if (from !== to) this.live.delete(from);
    this.inputs.delete(to);
    const deadline = Date.now() + SUSPEND_TIMEOUT_MS;
    let said = '';
    for (;;) {
      const s = (await this.deploymentOf(name))?.status;
      const left = (await this.api.pods(selectorOf(from))).filter((p) => oldPods.has(p.metadata!.uid!));
      const savepoint = s?.jobStatus?.upgradeSavepointPath ?? null;
      const now = `${s?.lifecycleState ?? '-'}/${s?.jobManagerDeploymentStatus ?? '-'}/${s?.jobStatus?.state ?? '-'}`;
      if (now !== said)
        log(`FlinkDeployment ${name} ${(said = now)}; ${left.length} pod(s) of the running job left`);
      const saved = mode !== 'savepoint' || (savepoint !== null && savepoint !== savepointBefore);
      if (!left.length && saved) {
        // The running job's jars are no longer fetched by anyone (last-state keeps the id, and its files).
        if (from !== to) await this.releaseArtifacts(from, log);
        const taken = mode === 'savepoint' ? savepoint : null;
        return { savepoint: taken, carried: carriedState(mode, taken) };
      }
      if (s?.lifecycleState === 'FAILED' || Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.apiRefused', {
            target: this.name,
            server: this.api.server,
            namespace: this.o.spec.namespace,
            action: `upgrade FlinkDeployment ${name} in place (upgrade mode ${mode})${s?.lifecycleState === 'FAILED' ? '' : ` within ${SUSPEND_TIMEOUT_MS / 1000} s`}`,
            detail: `the operator reports ${now}${s?.error ? `: ${operatorError(s.error)}` : ''}${saved ? '' : ', no new savepoint yet'}`,
          }),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * The running FlinkDeployment, once the operator's own status sees its job RUNNING on a ready
   * JobManager when the upgrade takes a savepoint: Sluice reads the job through Flink's REST API and
   * may see it running before the operator observes it, and a spec changed while the operator still
   * says DEPLOYING is upgraded from the last state instead ("Falling back to last-state upgrade
   * mode"), without the savepoint asked for. After OPERATOR_CATCH_UP_MS the upgrade goes on and says so.
   */
  private async operatorCaughtUp(
    name: string,
    mode: string,
    log: (line: string) => void,
  ): Promise<FlinkDeployment | null> {
    const deadline = Date.now() + OPERATOR_CATCH_UP_MS;
    let said = '';
    for (;;) {
      const d = await this.deploymentOf(name);
      const s = d?.status;
      if (!d || mode !== 'savepoint') return d;
      if (s?.jobManagerDeploymentStatus === 'READY' && s.jobStatus?.state === 'RUNNING') return d;
      const now = `${s?.lifecycleState ?? '-'}/${s?.jobManagerDeploymentStatus ?? '-'}/${s?.jobStatus?.state ?? '-'}`;
      if (Date.now() > deadline) {
        log(
          `the operator still reports FlinkDeployment ${name} ${now} after ${OPERATOR_CATCH_UP_MS / 1000} s: changing its spec now, it may upgrade from the last state instead of a savepoint`,
        );
        return d;
      }
      if (now !== said)
        log(
          `waiting for the operator to see the job of FlinkDeployment ${name} RUNNING before the upgrade with a savepoint (it reports ${(said = now)})`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** The FlinkDeployment of a run, or null when there is none. */
  private deploymentOf(name: string): Promise<FlinkDeployment | null> {
    return this.operatorObject<FlinkDeployment>(FLINK_DEPLOYMENTS, 'FlinkDeployment', name);
  }

  /** The status the operator writes into a run's resource, or null when the resource is gone. */
  protected async runStatus(run: Run): Promise<FlinkDeploymentStatus | null> {
    const found = await this.operatorObject<{ status?: FlinkDeploymentStatus }>(
      this.resource.plural,
      this.resource.kind,
      run.name,
    );
    return found ? (found.status ?? {}) : null;
  }

  /** The operator has seen the run's job RUNNING: only then does it take a snapshot of it. */
  protected seesRunning(s: FlinkDeploymentStatus | null): boolean {
    return operatorSeesRunning(s ?? undefined);
  }

  /** One of the operator's resources in the namespace, or null when there is none. */
  protected async operatorObject<T>(plural: string, kind: string, name: string): Promise<T | null> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: FLINK_GROUP,
        version: FLINK_API_VERSION,
        namespace: this.o.spec.namespace,
        plural,
        name,
      })) as T;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.api.refused(`read ${kind} ${name}`, e);
    }
  }

  /**
   * A savepoint through the operator: a FlinkStateSnapshot of the run's FlinkDeployment, which the
   * operator triggers through Flink's REST; its path is read back from the snapshot's status.
   */
  override async triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string> {
    const run = this.require(flinkJobId);
    const dir = this.savepointDirOf(flinkJobId, targetDirectory);
    const snapshot = renderSavepointSnapshot(
      this.o.spec,
      { jobName: run.jobName, flinkJobId, deployment: run.name },
      dir,
      Date.now(),
      this.resource.kind,
    );
    const name = snapshot.metadata!.name!;
    const deadline = Date.now() + SUSPEND_TIMEOUT_MS;
    // Flink may report the job RUNNING before the operator has observed it so.
    for (;;) {
      const s = await this.runStatus(run);
      if (this.seesRunning(s)) break;
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.apiRefused', {
            target: this.name,
            server: this.api.server,
            namespace: this.o.spec.namespace,
            action: `take a savepoint of ${this.resource.kind} ${run.name}: the operator has not seen its job RUNNING within ${SUSPEND_TIMEOUT_MS / 1000} s`,
            detail: `it reports ${s?.jobManagerDeploymentStatus ?? '-'}/${s?.jobStatus?.state ?? '-'}`,
          }),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
    await this.api.apply(snapshot);
    for (;;) {
      const s = (
        await this.operatorObject<FlinkStateSnapshot>(FLINK_STATE_SNAPSHOTS, 'FlinkStateSnapshot', name)
      )?.status;
      const outcome = snapshotOutcome(s);
      if (outcome.done) return outcome.path;
      if (outcome.failed || Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.apiRefused', {
            target: this.name,
            server: this.api.server,
            namespace: this.o.spec.namespace,
            action: `take a savepoint of ${this.resource.kind} ${run.name} through FlinkStateSnapshot ${name}${outcome.failed ? '' : ` within ${SUSPEND_TIMEOUT_MS / 1000} s`}`,
            detail: outcome.failed ?? `the snapshot is ${s?.state ?? 'not reconciled yet'}`,
          }),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * The pods' facts (as standalone) with the operator's status: its lifecycle in the status line, and
   * its error, while the JobManager is not ready, as the start's failure in the operator's words.
   */
  protected override async readFacts(flinkJobId: string, run: Run): Promise<ApplicationClusterFacts> {
    const [pods, fd] = await Promise.all([super.readFacts(flinkJobId, run), this.deploymentOf(run.name)]);
    const s = fd?.status;
    const said = s
      ? `FlinkDeployment ${run.name} ${s.lifecycleState ?? '-'}/${s.jobManagerDeploymentStatus ?? '-'}/${s.jobStatus?.state ?? '-'}`
      : `FlinkDeployment ${run.name} ${fd ? 'not reconciled yet' : 'absent'}`;
    const error = s?.error ? operatorError(s.error) : null;
    // The operator also reports passing trouble as its error, even with its JobManager status ERROR (a
    // FailedMount while Flink writes the ConfigMap the pod mounts, after the Deployment that owns it),
    // and its error text stays after it has moved on (DEPLOYING again): an error is the start's failure
    // when the deployment FAILED, or when its JobManager status stays ERROR.
    const inError = !!error && s?.jobManagerDeploymentStatus === 'ERROR';
    const since =
      inError && this.errors.get(flinkJobId)?.error === error
        ? this.errors.get(flinkJobId)!.since
        : Date.now();
    if (inError) this.errors.set(flinkJobId, { error: error!, since });
    else this.errors.delete(flinkJobId);
    const final = s?.lifecycleState === 'FAILED' || (inError && Date.now() - since >= ERROR_STAYS_MS);
    const failing =
      pods.failing ??
      (error && final && s?.jobManagerDeploymentStatus !== 'READY'
        ? {
            process: `FlinkDeployment ${run.name}`,
            restartable: false,
            crashes: 0,
            log: s!.error!,
            reason: { reason: `operator: ${s?.lifecycleState ?? 'error'}`, detail: error },
          }
        : null);
    return { ...pods, failing, alive: pods.alive || fd !== null, status: `${said}; ${pods.status ?? ''}` };
  }

  /**
   * The operator takes a suspension's savepoint into the job's `state.savepoints.dir`: the shared
   * folder's, or, without one, the job's own option; neither is refused before the job is touched.
   */
  protected async requireSavepointFolder(run: Run): Promise<void> {
    if (this.o.spec.sharedDir) return;
    const found = await this.operatorObject<{ spec?: { flinkConfiguration?: Record<string, string> } }>(
      this.resource.plural,
      this.resource.kind,
      run.name,
    );
    if (stateOption(found?.spec?.flinkConfiguration ?? {}, 'savepoints') === null)
      throw new SluiceError(
        'precondition_failed',
        message('kubernetes.noSavepointDir', { target: this.name }),
        {
          field: 'sharedDir',
        },
      );
  }

  /**
   * Suspends the job through the operator, which takes a savepoint (into state.savepoints.dir, the
   * job's folder in the shared folder) and then removes the JobManager; resolves with the savepoint.
   */
  override async stopWithSavepoint(
    flinkJobId: string,
    targetDirectory: string,
    drain: boolean,
  ): Promise<string> {
    // The operator's suspension has no drain: Flink's own stop does.
    if (drain) return super.stopWithSavepoint(flinkJobId, targetDirectory, drain);
    const run = this.require(flinkJobId);
    await this.requireSavepointFolder(run);
    const before = (await this.runStatus(run))?.jobStatus?.upgradeSavepointPath ?? null;
    try {
      await this.custom.patchNamespacedCustomObject(
        {
          group: FLINK_GROUP,
          version: FLINK_API_VERSION,
          namespace: this.o.spec.namespace,
          plural: this.resource.plural,
          name: run.name,
          body: { spec: { job: { state: 'suspended', upgradeMode: 'savepoint' } } },
          fieldManager: 'sluice',
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (e) {
      throw this.api.refused(`suspend ${this.resource.kind} ${run.name}`, e);
    }
    const deadline = Date.now() + SUSPEND_TIMEOUT_MS;
    for (;;) {
      const s = await this.runStatus(run);
      const savepoint = s?.jobStatus?.upgradeSavepointPath;
      if (s?.lifecycleState === 'SUSPENDED' && savepoint && savepoint !== before) {
        this.suspended.set(flinkJobId, savepoint);
        return savepoint;
      }
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.apiRefused', {
            target: this.name,
            server: this.api.server,
            namespace: this.o.spec.namespace,
            action: `suspend ${this.resource.kind} ${run.name} with a savepoint within ${SUSPEND_TIMEOUT_MS / 1000} s`,
            detail: `the operator reports ${s?.lifecycleState ?? 'no lifecycle'}, job ${s?.jobStatus?.state ?? '-'}${s?.error ? `: ${operatorError(s.error)}` : ''}`,
          }),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * A suspended run's job has ended, whether or not its JobManager still answers. A JobManager that
   * does not answer after its job ended (it shuts down with it) leaves the operator's last word on it.
   */
  override async jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'> {
    if (this.suspended.has(flinkJobId)) return 'FINISHED';
    try {
      return await super.jobState(flinkJobId);
    } catch (e) {
      if (!(e instanceof TargetUnreachable)) throw e;
      const run = this.live.get(flinkJobId);
      const said = run && (await this.runStatus(run).catch(() => null))?.jobStatus?.state;
      if (said && flinkJobEnded(said)) return said as FlinkJobState;
      throw e;
    }
  }

  override async release(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.suspended.delete(flinkJobId);
    this.errors.delete(flinkJobId);
    this.programs.delete(flinkJobId);
    this.inputs.delete(flinkJobId);
    await this.keepLogs(flinkJobId, log);
    await this.deleteDeployment(flinkJobId, log);
    const deadline = Date.now() + RELEASE_TIMEOUT_MS;
    for (;;) {
      const left = await this.api.pods(selectorOf(flinkJobId));
      const deployments = await this.listDeployments(selectorOf(flinkJobId));
      if (!left.length && !deployments.length) break;
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.apiRefused', {
            target: this.name,
            server: this.api.server,
            namespace: this.o.spec.namespace,
            action: `remove the FlinkDeployment and pods of Flink job ${flinkJobId} within ${RELEASE_TIMEOUT_MS / 1000} s`,
            detail: [
              ...deployments.map((d) => `FlinkDeployment ${d.metadata?.name}`),
              ...left.map((p) => `pod ${p.metadata?.name} ${p.status?.phase}`),
            ].join(', '),
          }),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
    const run = this.live.get(flinkJobId);
    this.live.delete(flinkJobId);
    await this.releaseArtifacts(flinkJobId, log);
    if (run)
      log(
        `FlinkDeployment ${this.o.spec.namespace}/${run.name} and its pods are gone; its savepoints and checkpoints stay`,
      );
  }

  private async listDeployments(labelSelector: string): Promise<FlinkDeployment[]> {
    try {
      const list = (await this.custom.listNamespacedCustomObject({
        group: FLINK_GROUP,
        version: FLINK_API_VERSION,
        namespace: this.o.spec.namespace,
        plural: FLINK_DEPLOYMENTS,
        labelSelector,
      })) as { items: FlinkDeployment[] };
      return list.items;
    } catch (e) {
      throw this.api.refused(`list FlinkDeployments (${labelSelector})`, e);
    }
  }

  /** Deletes the run's FlinkDeployment: the operator removes the JobManager Deployment, pods and ConfigMaps. */
  private async deleteDeployment(flinkJobId: string, log: (line: string) => void): Promise<void> {
    for (const fd of await this.listDeployments(selectorOf(flinkJobId))) {
      const name = fd.metadata!.name!;
      try {
        await this.custom.deleteNamespacedCustomObject({
          group: FLINK_GROUP,
          version: FLINK_API_VERSION,
          namespace: this.o.spec.namespace,
          plural: FLINK_DEPLOYMENTS,
          name,
          propagationPolicy: 'Foreground',
        });
        log(
          `deleted FlinkDeployment ${name}: the operator removes its cluster; the plan Secret goes with it`,
        );
      } catch (e) {
        if (!isNotFound(e)) throw this.api.refused(`delete FlinkDeployment ${name}`, e);
      }
    }
  }

  /** The FlinkDeployments of this target an earlier platform process left: found by their labels. */
  override async adopt(log: (line: string) => void): Promise<string[]> {
    const found = await this.listDeployments(`${LABELS.managedBy}=sluice,${LABELS.target}=${this.name}`);
    const adopted: string[] = [];
    for (const fd of found) {
      const known = this.adoptable(fd.metadata);
      if (!known) continue;
      const { id, jobName } = known;
      const name = fd.metadata!.name!;
      this.adoptRun(fd.metadata!, id, jobName, name, `${name}-rest`);
      adopted.push(id);
      // Its pods may fetch again (a TaskManager made later, an upgrade by the operator): fresh tokens.
      if (this.fetchesJars(id)) this.renewTokens();
      log(`adopted FlinkDeployment ${this.o.spec.namespace}/${name} of job ${jobName} (Flink job ${id})`);
    }
    this.pruneKeptPodLogs(log);
    return adopted;
  }
}

/**
 * What the pods of a run whose cluster Flink makes from pod templates (operator and native ways) are
 * rendered from: the written program (its jar first in usrlib), the image's Flink, the templates read.
 */
export async function flinkDeploymentInputOf(
  programs: ReadonlyMap<string, { jars: string[]; entryClass: string; args: string[]; plan: string | null }>,
  o: KubernetesStandaloneOptions,
  spec: ApplicationSpec,
  /** The fetcher and the run's token or listing when the pods fetch the jars (platform or S3). */
  fetch: ArtifactFetch | null = null,
): Promise<FlinkDeploymentInput> {
  const program = programs.get(spec.flinkJobId);
  if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
  const main = [...program.jars, ...spec.jars][0];
  if (!main) throw new Error(`Flink job ${spec.flinkJobId} has no jar to run`);
  return {
    target: o.spec,
    spec,
    flinkVersion: await o.flinkVersion(),
    // The jars are copied (or fetched) into usrlib under these names; the first is the program's.
    program: {
      jar: fetch ? artifactFileName(main, 0) : usrlibName(main, 0),
      entryClass: program.entryClass,
      args: program.args,
    },
    plan: program.plan,
    podTemplates: readPodTemplateFiles(effectiveOptions(o.spec, spec)),
    fetch,
  };
}

/** The operator's error in its own words: the message of its JSON error, or the text as it is. */
export function operatorError(error: string): string {
  try {
    const parsed = JSON.parse(error) as { type?: string; message?: string };
    if (parsed.message) return parsed.type ? `${parsed.message} (${parsed.type})` : parsed.message;
  } catch {
    // plain text
  }
  return error;
}
