import fs from 'node:fs';
import path from 'node:path';
import { dumpYaml, type KubernetesObject } from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type { LocalClusterStatus } from '../../../application/ports/clusters.ts';
import { readPodTemplateFiles } from '../pod-template.ts';
import { isNotFound } from '../standalone/kube-api.ts';
import {
  KubernetesStandaloneSession,
  type StandaloneSessionOptions,
} from '../standalone/standalone-session.ts';
import { deleteHaConfigMaps } from '../standalone/standalone-target.ts';
import { deleteSessionGateway } from '../operator/operator-session.ts';
import { LOG4J_CONSOLE } from '../standalone/standalone-manifests.ts';
import {
  ensureFlinkKubernetesJar,
  KUBERNETES_SESSION_CLI,
  LOG4J_CLI,
  runFlinkClient,
} from './native-client.ts';
import { configYaml, ownedByDeployment } from './native-manifests.ts';
import { nativeSessionConfiguration, nativeSessionPodTemplates } from './native-session-manifests.ts';
import {
  gatewayConfigMap,
  gatewayConfigName,
  gatewayService,
  gatewayServiceName,
  sessionClusterId,
  type OperatorSessionInput,
} from '../operator/operator-session-manifests.ts';

export interface NativeSessionOptions extends StandaloneSessionOptions {
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  /** The engine's jars: Flink's client runs with them and flink-kubernetes. */
  engineClasspath: () => Promise<string[]>;
}

/** Flink's job states after which a job holds nothing on the session. */
const ENDED = new Set(['FINISHED', 'CANCELED', 'FAILED']);

/**
 * A session target's one native session cluster (issue 13, the StreamPark adopter's way): Flink's own
 * client (`kubernetes-session.sh`, run on Sluice's machine as the native application way runs it)
 * creates the JobManager Deployment `<cluster-id>`, its Services and ConfigMaps; the JobManager
 * creates its TaskManager pods as the target's service account, keeping the target's slots up. The
 * SQL Gateway runs beside the JobManager in its pod (from the pod template file), reached through a
 * Service Sluice adds. Everything else is the standalone session's (standalone-session.ts): jobs
 * through the gateway or Flink REST by the API server's service proxy, the start's waits and pod
 * troubles, the status from the pods and Flink's overview, nothing kept in this process (a restarted
 * platform finds the Deployment by its name and the pods by their labels). A stop deletes the
 * Deployment (which owns the rest) and then Kubernetes HA's ConfigMaps; it is refused while Flink
 * jobs run on the session.
 */
export class KubernetesNativeSession extends KubernetesStandaloneSession {
  override readonly kind = 'kubernetes-native-session' as const;

  constructor(private readonly no: NativeSessionOptions) {
    super(no);
  }

  protected override services(): { rest: [string, string]; gateway: [string, string] } {
    return {
      rest: [`${sessionClusterId(this.o.spec.name)}-rest`, 'rest'],
      gateway: [gatewayServiceName(this.o.spec.name), 'gateway'],
    };
  }

  private get clusterId(): string {
    return sessionClusterId(this.name);
  }

  /** Where the client finds its configuration and pod templates, on Sluice's machine. */
  private get clientDir(): string {
    return path.join(this.no.sluiceHome, 'native-kubernetes', 'sessions', this.name);
  }

  /** The JobManager Deployment: it owns the TaskManager pods, the Services and Flink's ConfigMaps. */
  protected override async root(): Promise<KubernetesObject | null> {
    try {
      return await this.api.apps.readNamespacedDeployment({
        name: this.clusterId,
        namespace: this.o.spec.namespace,
      });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.api.refused(`read Deployment ${this.clusterId} (the session's JobManager)`, e);
    }
  }

  /**
   * Writes the client's folder (configuration, log configurations, pod templates), applies the
   * gateway's ConfigMap, runs Flink's client, which creates the JobManager Deployment and returns,
   * then adds the gateway's Service; both owned by the Deployment.
   */
  protected override async apply(progress: (line: string) => void): Promise<void> {
    const { flinkVersion, gatewayJars } = await this.stageSessionFolder(progress);
    const spec = this.o.spec;
    const input: OperatorSessionInput = {
      target: spec,
      space: this.o.space,
      flinkVersion,
      gatewayJars,
      podTemplates: readPodTemplateFiles(spec.flinkConfiguration ?? {}),
    };
    const dir = this.clientDir;
    const files = {
      jobManagerPodTemplate: path.join(dir, 'jobmanager-pod-template.yaml'),
      taskManagerPodTemplate: path.join(dir, 'taskmanager-pod-template.yaml'),
    };
    const config = nativeSessionConfiguration(input, files);
    const templates = nativeSessionPodTemplates(input);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.yaml'), configYaml(config), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'log4j-console.properties'), LOG4J_CONSOLE);
    fs.writeFileSync(path.join(dir, 'log4j-cli.properties'), LOG4J_CLI);
    fs.writeFileSync(files.jobManagerPodTemplate, dumpYaml(templates.jobmanager));
    fs.writeFileSync(files.taskManagerPodTemplate, dumpYaml(templates.taskmanager));
    // Kubernetes HA's files: written by the pods' Flink user.
    const ha = path.join(this.paths.dir, 'ha');
    fs.mkdirSync(ha, { recursive: true });
    fs.chmodSync(ha, 0o777);
    await this.api.apply(gatewayConfigMap(input, null));
    progress(`applied ConfigMap ${gatewayConfigName(this.name)} (the SQL Gateway's configuration)`);
    const jar = await ensureFlinkKubernetesJar({
      flinkVersion,
      sluiceHome: this.no.sluiceHome,
      mavenLocalRepository: this.no.mavenLocalRepository,
      mavenMirror: this.no.mavenMirror,
      progress,
    });
    const s = spec.session;
    progress(
      `running Flink's client (kubernetes-session.sh, with ${path.basename(jar)}) with ${dir}: cluster id ${this.clusterId}, namespace ${spec.namespace}, service account ${spec.serviceAccount ?? 'default'}, ${s.taskManagers} TaskManager pod(s) of ${s.slotsPerTaskManager} slot(s) kept up by the JobManager, JobManager ${s.jobManagerMemory} with the SQL Gateway (${s.gatewayMemory}) in its pod, TaskManager ${s.taskManagerMemory}; image ${spec.image}`,
    );
    const started = Date.now();
    await runFlinkClient({
      classpath: [...(await this.no.engineClasspath()), jar],
      confDir: dir,
      args: [],
      log: progress,
      mainClass: KUBERNETES_SESSION_CLI,
    });
    const deployment = await this.root();
    if (!deployment?.metadata?.uid)
      throw new SluiceError(
        'engine_unavailable',
        message('kubernetes.nativeClientFailed', {
          detail: `it ended without error, but Deployment ${spec.namespace}/${this.clusterId} does not exist`,
        }),
      );
    progress(
      `Flink's client created Deployment ${this.clusterId} (the JobManager) in ${((Date.now() - started) / 1000).toFixed(1)} s; the JobManager creates the TaskManager pods`,
    );
    const owner = ownedByDeployment(deployment);
    await this.api.apply(gatewayConfigMap(input, owner));
    await this.api.apply(gatewayService(input, owner));
    progress(`applied Service ${gatewayServiceName(this.name)} (the SQL Gateway), owned by the Deployment`);
  }

  /** Deletes the JobManager Deployment (Foreground) and the gateway's objects (ownerless after a failed start). */
  protected override async deleteRoot(progress: (line: string) => void): Promise<void> {
    try {
      await this.api.apps.deleteNamespacedDeployment({
        name: this.clusterId,
        namespace: this.o.spec.namespace,
        propagationPolicy: 'Foreground',
      });
      progress(
        `deleted Deployment ${this.clusterId} (Foreground): the TaskManager pods, Services and Flink's ConfigMaps it owns go with it`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw this.api.refused(`delete Deployment ${this.clusterId}`, e);
    }
    await deleteSessionGateway(this.api, this.name);
  }

  /** Kubernetes HA's ConfigMaps (no owner) go once no JobManager is left to write them again. */
  protected override async afterGone(progress: (line: string) => void): Promise<void> {
    await deleteHaConfigMaps(this.api, this.clusterId, progress);
    fs.rmSync(this.clientDir, { recursive: true, force: true });
  }

  /** Refused while Flink jobs run on the session, naming them: they would end with it. */
  override async stop(progress: (line: string) => void = () => {}): Promise<LocalClusterStatus> {
    const s = await this.status();
    if (s.overview) {
      const jobs = [...(await this.observer.observe()).values()].filter((j) => !ENDED.has(j.state));
      if (jobs.length)
        throw new SluiceError(
          'precondition_failed',
          message('kubernetes.sessionRunsJobs', {
            target: this.name,
            jobs: jobs.map((j) => `${j.name} (${j.flinkJobId}, ${j.state})`).join(', '),
          }),
        );
    }
    return super.stop(progress);
  }
}
