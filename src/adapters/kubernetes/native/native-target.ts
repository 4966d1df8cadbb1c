import fs from 'node:fs';
import path from 'node:path';
import { dumpYaml, type V1Deployment } from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type {
  ApplicationClusterFacts,
  ApplicationSpec,
  RenderedCluster,
} from '../../../domain/targets/deployment-target.ts';
import { isNotFound } from '../standalone/kube-api.ts';
import { clusterName, LABELS, selectorOf } from '../standalone/standalone-manifests.ts';
import {
  KubernetesStandaloneTarget,
  type KubernetesStandaloneOptions,
  type Run,
} from '../standalone/standalone-target.ts';
import {
  podLogConfiguration,
  renderFlinkDeployment,
  type FlinkDeploymentInput,
} from '../operator/operator-manifests.ts';
import { flinkDeploymentInputOf } from '../operator/operator-target.ts';
import { ensureFlinkKubernetesJar, LOG4J_CLI, runFlinkClient, stopLeftClients } from './native-client.ts';
import {
  configYaml,
  mountedObjectsOf,
  nativeConfiguration,
  nativeIngress,
  nativePodTemplate,
  ownedByDeployment,
  runApplicationArgs,
} from './native-manifests.ts';

/** How long a release waits for the JobManager Deployment and the pods to be gone. */
const RELEASE_TIMEOUT_MS = 120_000;

/**
 * Flink's native Kubernetes application mode (issue 13 item 2, Jidu's way): Flink's own client, run
 * on Sluice's machine with the engine's jars and flink-kubernetes, creates each job's JobManager
 * Deployment (with its `<name>-rest` Service and ConfigMaps); the JobManager creates its TaskManager
 * pods, as the target's service account. Sluice hands the client the pod templates and configuration
 * the operator way would hand the operator (the shared folder's volumes, the plan Secret, Kubernetes
 * HA, the job's options), then watches the pods (the pod watch and milestones of the standalone way)
 * and reaches Flink's REST through the API server's service proxy. Release deletes the JobManager
 * Deployment (which owns the TaskManager pods, the Service and Flink's ConfigMaps) and Kubernetes HA's
 * ConfigMaps, which Flink leaves without an owner.
 */
export class KubernetesNativeTarget extends KubernetesStandaloneTarget {
  override readonly kind = 'kubernetes-native' as const;
  protected override readonly restService = 'rest';
  private readonly inputs = new Map<string, FlinkDeploymentInput>();

  constructor(o: KubernetesStandaloneOptions) {
    super(o);
  }

  /** Where the client of one run finds its configuration and pod templates, on Sluice's machine. */
  private clientDir(flinkJobId: string): string {
    return path.join(this.runsDir(), flinkJobId);
  }

  private runsDir(): string {
    return path.join(this.o.sluiceHome, 'native-kubernetes', 'runs');
  }

  private filesOf(flinkJobId: string) {
    const dir = this.clientDir(flinkJobId);
    return {
      dir,
      jobManagerPodTemplate: path.join(dir, 'jobmanager-pod-template.yaml'),
      taskManagerPodTemplate: path.join(dir, 'taskmanager-pod-template.yaml'),
    };
  }

  /**
   * What the client is handed, as YAML: the plan Secret Sluice applies, the configuration and both
   * pod templates; the API server's server-side dry run of the Secret and of each template as a pod
   * (with the image Flink puts in). The JobManager Deployment and the rest are Flink's to make.
   */
  override async render(spec: ApplicationSpec, log: (line: string) => void): Promise<RenderedCluster> {
    await this.writeProgram(spec, log);
    const input = await flinkDeploymentInputOf(this.programs, this.o, spec, await this.fetchOf());
    this.programs.delete(spec.flinkJobId);
    const files = this.filesOf(spec.flinkJobId);
    const { program, artifacts } = renderFlinkDeployment(input);
    const name = clusterName(spec.jobName, spec.flinkJobId);
    // The ConfigMap Flink's client makes of the configuration it is handed (its pods' conf dir).
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `flink-config-${name}` },
      data: {
        'config.yaml': configYaml(nativeConfiguration(input, files)),
        'log4j-console.properties': podLogConfiguration(input),
      },
    };
    const pods = (['jobmanager', 'taskmanager'] as const).map((role) => nativePodTemplate(input, role));
    // Its owner's uid is known once Flink's client made the Deployment.
    const ingress = nativeIngress(input, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name,
        uid: `<the uid of Deployment ${name}, made by Flink's client>`,
      },
    ]);
    const shown = [
      ...(program ? [program] : []),
      ...(artifacts ? [artifacts] : []),
      config,
      ...pods,
      ...(ingress ? [ingress] : []),
    ];
    let dryRun: RenderedCluster['dryRun'];
    try {
      if (program) await this.api.apply(program, true);
      if (artifacts) await this.api.apply(artifacts, true);
      for (const [i, pod] of pods.entries()) {
        const role = i === 0 ? 'jobmanager' : 'taskmanager';
        const [main, ...others] = pod.spec!.containers;
        await this.api.apply(
          {
            ...pod,
            metadata: {
              ...pod.metadata,
              name: `${name}-${role}`,
              namespace: this.o.spec.namespace,
            },
            spec: { ...pod.spec!, containers: [{ ...main!, image: this.o.spec.image }, ...others] },
          },
          true,
        );
      }
      if (ingress) await this.api.apply(ingress, true);
      dryRun = {
        accepted: true,
        detail: `the API server at ${this.api.server} accepted the ${program ? 'plan Secret, the ' : ''}${artifacts ? 'artifact token Secret, the ' : ''}JobManager and TaskManager pod templates${ingress ? ' and the Ingress' : ''} (server-side dry run, namespace ${this.o.spec.namespace}); Flink's client makes the JobManager Deployment, its Service and ConfigMaps`,
      };
    } catch (e) {
      dryRun = { accepted: false, detail: e instanceof SluiceError ? e.message : String(e) };
    }
    return {
      yaml: shown.map((o) => dumpYaml(o)).join('---\n'),
      objects: shown.map((o) => ({ kind: o.kind!, name: o.metadata?.name ?? `${o.kind} template` })),
      dryRun,
    };
  }

  /**
   * The run's jars in the shared folder (as the operator way), then the client's folder: its
   * configuration (config.yaml), the pods' log4j-console.properties (the client hands it to the
   * cluster) and each role's pod template file.
   */
  override async prepareFiles(spec: ApplicationSpec, log: (line: string) => void): Promise<void> {
    const program = this.programs.get(spec.flinkJobId);
    if (!program) throw new Error(`no program was written for Flink job ${spec.flinkJobId}`);
    const files = this.filesOf(spec.flinkJobId);
    // Renders now so that a bad option is refused before anything is put in the bucket, written or applied.
    const preview = await flinkDeploymentInputOf(this.programs, this.o, spec, await this.fetchOf());
    nativeConfiguration(preview, files);
    for (const role of ['jobmanager', 'taskmanager'] as const) nativePodTemplate(preview, role);
    renderFlinkDeployment(preview);
    nativeIngress(preview, null);
    const jars = [...program.jars, ...spec.jars];
    const fetched = await this.fetchedAtStart(spec, jars, log);
    const input = await flinkDeploymentInputOf(this.programs, this.o, spec, await this.fetchOf(fetched));
    const config = nativeConfiguration(input, files);
    const templates = (['jobmanager', 'taskmanager'] as const).map((role) => nativePodTemplate(input, role));
    this.stageRun(spec, jars, log);
    fs.rmSync(files.dir, { recursive: true, force: true });
    fs.mkdirSync(files.dir, { recursive: true });
    fs.writeFileSync(path.join(files.dir, 'config.yaml'), configYaml(config), { mode: 0o600 });
    fs.writeFileSync(path.join(files.dir, 'log4j-console.properties'), podLogConfiguration(input));
    fs.writeFileSync(path.join(files.dir, 'log4j-cli.properties'), LOG4J_CLI);
    fs.writeFileSync(files.jobManagerPodTemplate, dumpYaml(templates[0]));
    fs.writeFileSync(files.taskManagerPodTemplate, dumpYaml(templates[1]));
    this.inputs.set(spec.flinkJobId, input);
    log(
      `Flink's client configuration and pod templates in ${files.dir}: cluster id ${config['kubernetes.cluster-id']}, namespace ${this.o.spec.namespace}, Kubernetes HA (ConfigMaps), service account ${this.o.spec.serviceAccount ?? 'default'}`,
    );
    if (spec.savepoint) log(`the job starts from ${spec.savepoint} (execution.savepoint.path)`);
  }

  /**
   * Applies the plan Secret, runs Flink's client (`flink run --target kubernetes-application`), which
   * creates the JobManager Deployment and returns, then gives the Secret the Deployment as its owner.
   * A failure deletes whatever was made.
   */
  override async start(flinkJobId: string, log: (line: string) => void): Promise<void> {
    const run = this.require(flinkJobId);
    const input = this.inputs.get(flinkJobId);
    if (!input)
      throw new Error(`the cluster of Flink job ${flinkJobId} was adopted, not prepared: it runs already`);
    try {
      const { program, artifacts } = renderFlinkDeployment(input);
      if (program) {
        await this.api.apply(program);
        log(`applied Secret ${program.metadata!.name} (the SQL runner's plan)`);
      }
      // The pods' init container reads the token (and the fetcher) from it: it exists before them.
      if (artifacts) {
        await this.api.apply(artifacts);
        log(`applied Secret ${artifacts.metadata!.name} (the run's artifact token and the fetcher)`);
      }
      const jar = await ensureFlinkKubernetesJar({
        flinkVersion: input.flinkVersion,
        sluiceHome: this.o.sluiceHome,
        mavenLocalRepository: this.o.mavenLocalRepository,
        mavenMirror: this.o.mavenMirror,
        progress: log,
      });
      if (!this.o.engineClasspath) throw new Error('the native way needs the engine classpath of its target');
      const classpath = [...(await this.o.engineClasspath()), jar];
      const args = runApplicationArgs(input);
      log(`running Flink's client: flink ${args.join(' ')} (with ${path.basename(jar)})`);
      const started = Date.now();
      await runFlinkClient({ classpath, confDir: this.clientDir(flinkJobId), args, log });
      const deployment = await this.jobManagerDeployment(run.name);
      if (!deployment)
        throw new SluiceError(
          'engine_unavailable',
          message('kubernetes.nativeClientFailed', {
            detail: `it ended without error, but Deployment ${this.o.spec.namespace}/${run.name} does not exist`,
          }),
        );
      log(
        `Flink's client created Deployment ${run.name} (the JobManager) in ${((Date.now() - started) / 1000).toFixed(1)} s; the JobManager creates the TaskManager pods`,
      );
      for (const secret of [program, artifacts])
        if (secret)
          await this.api.apply({
            ...secret,
            metadata: { ...secret.metadata, ownerReferences: ownedByDeployment(deployment) },
          });
      if (artifacts) this.renewTokens();
      const ingress = nativeIngress(input, ownedByDeployment(deployment));
      if (ingress) {
        await this.api.apply(ingress);
        const rule = ingress.spec!.rules![0]!;
        log(
          `applied Ingress ${ingress.metadata!.name} (${rule.host ?? ''}${rule.http!.paths[0]!.path} to Service ${run.name}-rest), owned by the Deployment`,
        );
      }
      run.appliedAt = Date.now();
      this.inputs.delete(flinkJobId);
    } catch (e) {
      await this.deleteCluster(flinkJobId, run.name, () => {}).catch(() => undefined);
      throw e;
    }
  }

  /**
   * The pods' facts (as standalone), and the job's end while its TaskManager pods are not all running:
   * the JobManager asks for them only for a job it runs, so a job that failed first (its program
   * threw, its restore failed) would leave the start waiting for pods that never come.
   */
  protected override async readFacts(flinkJobId: string, run: Run): Promise<ApplicationClusterFacts> {
    const facts = await super.readFacts(flinkJobId, run);
    if (facts.failing || !facts.jobManager || facts.taskManagers >= facts.expectedTaskManagers) return facts;
    const state = await run.rest.jobState(flinkJobId).catch(() => null);
    if (state !== 'FAILED') return facts;
    const cause = await run.rest.failureCause(flinkJobId).catch(() => null);
    return {
      ...facts,
      failing: {
        process: `JobManager of ${run.name}`,
        restartable: false,
        crashes: 0,
        log: cause?.trace || facts.jobManagerLog,
        reason: {
          reason: 'job FAILED',
          detail: cause?.rootCause ?? 'the job failed before its TaskManager pods were asked for',
        },
      },
    };
  }

  private async jobManagerDeployment(name: string): Promise<V1Deployment | null> {
    try {
      return await this.api.apps.readNamespacedDeployment({ name, namespace: this.o.spec.namespace });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.api.refused(`read Deployment ${name}`, e);
    }
  }

  /** Deletes the run's JobManager Deployment (Foreground: its pods, Service, ConfigMaps first) and plan Secret. */
  private async deleteCluster(flinkJobId: string, name: string, log: (line: string) => void): Promise<void> {
    const namespace = this.o.spec.namespace;
    try {
      await this.api.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Foreground' });
      log(
        `deleted Deployment ${name} (Foreground): the TaskManager pods, the rest Service and Flink's ConfigMaps it owns go with it`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw this.api.refused(`delete Deployment ${name}`, e);
    }
    try {
      const secrets = await this.api.core.listNamespacedSecret({
        namespace,
        labelSelector: selectorOf(flinkJobId),
      });
      for (const s of secrets.items)
        await this.api.core
          .deleteNamespacedSecret({ name: s.metadata!.name!, namespace })
          .catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
    } catch (e) {
      throw this.api.refused(`delete the plan Secret of Flink job ${flinkJobId}`, e);
    }
  }

  override async release(flinkJobId: string, log: (line: string) => void): Promise<void> {
    this.programs.delete(flinkJobId);
    this.inputs.delete(flinkJobId);
    await this.keepLogs(flinkJobId, log);
    const run = this.live.get(flinkJobId);
    // A cluster this process did not make nor adopt is found by its labels.
    const names = new Set(run ? [run.name] : []);
    for (const d of await this.listDeployments(selectorOf(flinkJobId))) names.add(d.metadata!.name!);
    for (const name of names) await this.deleteCluster(flinkJobId, name, log);
    const deadline = Date.now() + RELEASE_TIMEOUT_MS;
    for (;;) {
      const left = await this.api.pods(selectorOf(flinkJobId));
      const deployments = await this.listDeployments(selectorOf(flinkJobId));
      if (!left.length && !deployments.length) break;
      if (Date.now() > deadline)
        throw this.api.notDone(
          `remove the JobManager Deployment and pods of Flink job ${flinkJobId} within ${RELEASE_TIMEOUT_MS / 1000} s`,
          [
            ...deployments.map((d) => `Deployment ${d.metadata?.name}`),
            ...left.map((p) => `pod ${p.metadata?.name} ${p.status?.phase}`),
          ].join(', '),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
    // The HA ConfigMaps go once no JobManager is left to write them again.
    for (const name of names) await this.deleteHaConfigMaps(name, log);
    this.live.delete(flinkJobId);
    await this.releaseArtifacts(flinkJobId, log);
    fs.rmSync(this.clientDir(flinkJobId), { recursive: true, force: true });
    if (run)
      log(
        `the JobManager Deployment ${this.o.spec.namespace}/${run.name} and its pods are gone; its savepoints and checkpoints stay`,
      );
  }

  private async listDeployments(labelSelector: string): Promise<V1Deployment[]> {
    try {
      return (
        await this.api.apps.listNamespacedDeployment({ namespace: this.o.spec.namespace, labelSelector })
      ).items;
    } catch (e) {
      throw this.api.refused(`list Deployments (${labelSelector})`, e);
    }
  }

  /** What a cluster's JobManager pod needs and Flink's client makes after its Deployment, when it is not there. */
  private async missingOf(d: V1Deployment): Promise<string[]> {
    const namespace = this.o.spec.namespace;
    const absent = async (what: string, read: () => Promise<unknown>) => {
      try {
        await read();
        return [];
      } catch (e) {
        if (isNotFound(e)) return [what];
        throw this.api.refused(`read ${what}`, e);
      }
    };
    const missing: string[] = [];
    for (const { kind, name } of mountedObjectsOf(d.spec?.template.spec)) {
      missing.push(
        ...(await absent(`${kind} ${name}`, () =>
          kind === 'Secret'
            ? this.api.core.readNamespacedSecret({ name, namespace })
            : this.api.core.readNamespacedConfigMap({ name, namespace }),
        )),
      );
    }
    const rest = `${d.metadata!.name!}-rest`;
    missing.push(
      ...(await absent(`Service ${rest}`, () =>
        this.api.core.readNamespacedService({ name: rest, namespace }),
      )),
    );
    return missing;
  }

  /** The JobManager Deployments of this target an earlier platform process left: found by their labels. */
  override async adopt(log: (line: string) => void): Promise<string[]> {
    // First, so that what a left client made is found now, and nothing is made after.
    await stopLeftClients(this.runsDir(), log);
    const found = await this.listDeployments(
      `${LABELS.managedBy}=sluice,${LABELS.target}=${this.name},${LABELS.component}=jobmanager`,
    );
    const adopted: string[] = [];
    for (const d of found) {
      const known = this.adoptable(d.metadata);
      if (!known) continue;
      const { id, jobName } = known;
      const name = d.metadata!.name!;
      const missing = await this.missingOf(d);
      if (missing.length) {
        // Flink's client makes the Deployment first, then its Services and ConfigMaps (the Flink
        // configuration, then the pod template): killed in between, its JobManager pod waits for a
        // ConfigMap forever. The interrupted start rolls back instead, and its rollback deletes this
        // Deployment by its labels.
        log(
          `not adopted: the native cluster of job ${jobName} (Flink job ${id}), Deployment ${this.o.spec.namespace}/${name}: Flink's client was stopped before it made ${missing.join(' and ')}`,
        );
        continue;
      }
      this.adoptRun(d.metadata!, id, jobName, name, `${name}-rest`);
      adopted.push(id);
      // A TaskManager pod the JobManager makes later fetches too: fresh tokens while the run lives.
      if (this.fetchesJars(id)) this.renewTokens();
      log(
        `adopted the native cluster of job ${jobName} (Flink job ${id}): Deployment ${this.o.spec.namespace}/${name}`,
      );
    }
    this.pruneKeptPodLogs(log);
    return adopted;
  }
}
