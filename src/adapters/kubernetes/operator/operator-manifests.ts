import {
  metricsContainerPort,
  prometheusAnnotations,
  prometheusReporterOptions,
  reporterPort,
} from '../prometheus-pods.ts';
import type {
  KubernetesObject,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Secret,
} from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import {
  upgradeModeOf,
  type KubernetesTargetSpec,
  type UpgradeMode,
} from '../../../domain/targets/kubernetes-target.ts';
import { restExposureOf } from '../exposure.ts';
import {
  LOG4J_FILE_APPENDER,
  logMappingOf,
  mergePodTemplate,
  podCustomizationOf,
  withoutPodOptions,
} from '../pod-template.ts';
import {
  clusterName,
  DEFAULT_CPU,
  effectiveOptions,
  LABELS,
  LOG4J_CONSOLE,
  PLAN_DIR,
  PLAN_FILE,
  podResources,
  sharedPaths,
  statePaths,
  runFolders,
  type Component,
} from '../standalone/standalone-manifests.ts';
import {
  artifactsSecret,
  artifactsSecretName,
  fetchInitContainer,
  fetchVolumes,
  USRLIB,
  usrlibVolume,
  type ArtifactFetch,
} from '../artifact-fetch.ts';

/**
 * One job as the Flink Kubernetes Operator runs it: an application-mode `FlinkDeployment`
 * (flink.apache.org/v1beta1) and, for a SQL job, the Secret with the SQL runner's plan (it holds the
 * job's substituted secret variables). The operator makes the JobManager Deployment, the `<name>-rest`
 * Service and the ConfigMaps; the JobManager makes the TaskManager pods. Pure: the same input renders
 * the same objects.
 *
 * The files are where the standalone way puts them (sharedPaths): the run's usrlib in the shared folder
 * is the pods' /opt/flink/usrlib (hostPath, or the target's claim: shared-folder.ts), the job's folder
 * is mounted at its own path for checkpoints, savepoints and Kubernetes HA data, so that the paths
 * Flink reports are the paths Sluice reads and restores from.
 *
 * With the target's platform URL the jars are fetched instead (artifact-fetch.ts): the common pod
 * template gets the init container, the emptyDir usrlib and the run's `-artifacts` Secret (the token
 * and the fetcher class), applied before the FlinkDeployment and owned by it. Without a shared folder
 * the state folders are the job's own options (HA storage always; checkpoints and savepoints as the
 * operator's upgrade mode needs them), refused by name when missing.
 */
export interface FlinkDeploymentInput {
  target: KubernetesTargetSpec;
  spec: ApplicationSpec;
  /** The full Flink version of the image (`1.20.3`): `spec.flinkVersion` is its minor (`v1_20`). */
  flinkVersion: string;
  /** What the JobManager runs: its jar (a file name in usrlib), entry class and arguments. */
  program: { jar: string; entryClass: string; args: string[] };
  /** The SQL runner's plan (JSON), for a SQL job; null for a JAR job. */
  plan: string | null;
  /** The pod template files the options name, read on Sluice's machine (readPodTemplateFiles): path → text. */
  podTemplates?: Record<string, string>;
  /**
   * The FlinkDeployment's name when it is not the run's own: a run upgraded in place takes over the
   * running deployment (its name stays; its labels, files and job id are the new run's).
   */
  deploymentName?: string;
  /** How the jars reach the pods when the target has a platform URL; absent or null: the shared folder. */
  fetch?: ArtifactFetch | null;
}

export const FLINK_GROUP = 'flink.apache.org';
export const FLINK_API_VERSION = 'v1beta1';
export const FLINK_DEPLOYMENTS = 'flinkdeployments';
export const FLINK_STATE_SNAPSHOTS = 'flinkstatesnapshots';
export const FLINK_SESSION_JOBS = 'flinksessionjobs';

/** What a FlinkDeployment's spec holds besides its job: the cluster (a session deployment has no job). */
export interface FlinkClusterSpec {
  image: string;
  imagePullPolicy: string;
  flinkVersion: string;
  serviceAccount?: string;
  flinkConfiguration: Record<string, string>;
  logConfiguration: Record<string, string>;
  podTemplate: V1PodTemplateSpec;
  /** The operator makes this Ingress to the `<name>-rest` Service. */
  ingress?: { template: string; className?: string; annotations?: Record<string, string> };
  jobManager: { resource: { cpu: number; memory: string }; podTemplate: V1PodTemplateSpec };
  taskManager: {
    /** Application mode's TaskManager count; a native session sizes itself (slotmanager options). */
    replicas?: number;
    resource: { cpu: number; memory: string };
    podTemplate: V1PodTemplateSpec;
  };
}

/** A job as the operator runs it (`spec.job` of a FlinkDeployment or a FlinkSessionJob). */
export interface OperatorJob {
  jarURI: string;
  entryClass: string;
  args: string[];
  parallelism: number;
  upgradeMode: UpgradeMode;
  state: 'running' | 'suspended';
  initialSavepointPath?: string;
  allowNonRestoredState?: boolean;
}

export interface FlinkDeployment extends KubernetesObject {
  spec: FlinkClusterSpec & { job: OperatorJob };
  status?: FlinkDeploymentStatus;
}

/** What the operator writes into a FlinkDeployment's status (the fields Sluice reads). */
export interface FlinkDeploymentStatus {
  /** CREATED, DEPLOYED, UPGRADING, SUSPENDED, STABLE, ROLLING_BACK, ROLLED_BACK, FAILED, DELETING. */
  lifecycleState?: string;
  /** READY, DEPLOYED_NOT_READY, DEPLOYING, MISSING, ERROR. */
  jobManagerDeploymentStatus?: string;
  /** The last reconciliation's error, as a JSON object (type, message, throwableList) or plain text. */
  error?: string | null;
  jobStatus?: { jobId?: string; state?: string; upgradeSavepointPath?: string | null };
}

export interface OperatorObjects {
  deployment: FlinkDeployment;
  /** The SQL runner's plan; null for a JAR job. */
  program: V1Secret | null;
  /** The run's token and the fetcher; null when the jars come through the shared folder. */
  artifacts: V1Secret | null;
}

/** The operator's name for the container it runs Flink in; a pod template's container of that name is merged. */
const MAIN_CONTAINER = 'flink-main-container';
const FLINK_UID = 9999;

/** `1.20.3` → `v1_20`, the CRD's enum of Flink versions. */
export function operatorFlinkVersion(flinkVersion: string): string {
  const m = /^(\d+)\.(\d+)/.exec(flinkVersion);
  if (!m)
    throw new SluiceError(
      'invalid_argument',
      message('kubernetes.badNumber', { option: 'flinkVersion', value: flinkVersion }),
      { field: 'flinkVersion' },
    );
  return `v${m[1]}_${m[2]}`;
}

/** The labels of the job's objects and pods, as the standalone way sets them (one pod watch finds both). */
export function labelsOf(
  target: KubernetesTargetSpec,
  spec: ApplicationSpec,
  component?: Component,
): Record<string, string> {
  return {
    [LABELS.managedBy]: 'sluice',
    [LABELS.name]: 'flink',
    [LABELS.instance]: clusterName(spec.jobName, spec.flinkJobId),
    ...(component ? { [LABELS.component]: component } : {}),
    [LABELS.target]: target.name,
    [LABELS.job]: spec.jobName,
    [LABELS.space]: spec.space,
    [LABELS.flinkJobId]: spec.flinkJobId,
  };
}

/** The Flink configuration the operator hands the cluster: the job's options over what the pods need. */
export function operatorFlinkConfiguration(input: FlinkDeploymentInput): Record<string, string> {
  const { spec, target } = input;
  // Without a shared folder (the jars fetched) the job's own options say where state goes.
  const p = input.fetch
    ? statePaths(target, spec.jobName, spec.flinkJobId)
    : sharedPaths(target, spec.jobName, spec.flinkJobId);
  if (!p) requireStateOption(target, effectiveOptions(target, spec), 'ha');
  const state: Record<string, string> = p
    ? {
        'high-availability.storageDir': `file://${p.jobDir}/ha`,
        'state.checkpoints.dir': `file://${p.checkpoints}`,
        'execution.checkpointing.dir': `file://${p.checkpoints}`,
        'state.savepoints.dir': `file://${p.savepoints}`,
        'execution.checkpointing.savepoint-dir': `file://${p.savepoints}`,
      }
    : {};
  return {
    // Without cluster DNS the TaskManagers find the JobManager by its pod IP, which Kubernetes HA's
    // leader ConfigMap tells them; with DNS it also keeps the job across a JobManager pod's loss.
    'high-availability.type': 'kubernetes',
    'state.backend.type': 'hashmap',
    ...state,
    // A JVM held to a quarter of a core takes minutes to plan a job: the limit is a core.
    'kubernetes.jobmanager.cpu.limit-factor': String(1 / Number(DEFAULT_CPU.jobmanager)),
    'kubernetes.taskmanager.cpu.limit-factor': String(1 / Number(DEFAULT_CPU.taskmanager)),
    // The operator keeps a finished application's JobManager a day by default; Sluice reads the
    // result while it runs and releases the cluster itself.
    'kubernetes.operator.jm-deployment.shutdown-ttl': '1 min',
    // The role templates add the plan's volume and mount beside the common ones: merged by name, not
    // by position (which would make one volume of a hostPath and a Secret).
    'kubernetes.operator.pod-template.merge-arrays-by-name': 'true',
    'heartbeat.interval': '2000',
    'heartbeat.timeout': '10000',
    ...prometheusReporterOptions(),
    // Node selector, tolerations, pod labels and annotations and the pod template are in the
    // podTemplates Sluice renders (one source for them); REST exposure options stay Flink's.
    ...withoutPodOptions(effectiveOptions(target, spec)),
    // The Flink job id Sluice reserved before the start: the operator keeps a user's fixed id.
    '$internal.pipeline.job-id': spec.flinkJobId,
    'taskmanager.numberOfTaskSlots': String(spec.resources.slotsPerTaskManager),
  };
}

/** The options each state folder is read from: the key named in a refusal first, then Flink's other name for it. */
const STATE_OPTIONS = {
  ha: ['high-availability.storageDir'],
  checkpoints: ['state.checkpoints.dir', 'execution.checkpointing.dir'],
  savepoints: ['state.savepoints.dir', 'execution.checkpointing.savepoint-dir'],
} as const;

/** The job's own folder of one kind (checkpoints, savepoints, HA storage), or null when it names none. */
export function stateOption(
  options: Record<string, string>,
  kind: keyof typeof STATE_OPTIONS,
): string | null {
  for (const key of STATE_OPTIONS[kind]) if (options[key]?.trim()) return options[key].trim();
  return null;
}

/**
 * Refuses a run of a target without a shared folder whose options lack a state folder the pods need:
 * Sluice has no folder of its own to give them, and Flink (or the operator's validation) would fail
 * later and less clearly.
 */
export function requireStateOption(
  target: KubernetesTargetSpec,
  options: Record<string, string>,
  kind: keyof typeof STATE_OPTIONS,
  mode?: UpgradeMode,
): void {
  if (stateOption(options, kind) !== null) return;
  const why =
    kind === 'ha'
      ? 'the operator and native ways always run Kubernetes HA (the TaskManagers find the JobManager through it), which keeps job graphs and checkpoint pointers there'
      : kind === 'checkpoints'
        ? `the operator accepts upgrade mode ${mode} only with a checkpoint folder`
        : `upgrade mode ${mode} takes a savepoint there at every upgrade (or register the target again with --upgrade-mode stateless)`;
  throw new SluiceError(
    'invalid_argument',
    message('kubernetes.noStateOption', {
      target: target.name,
      option: STATE_OPTIONS[kind][0],
      why,
      example: kind,
    }),
    { field: `options.${STATE_OPTIONS[kind][0]}` },
  );
}

/**
 * The pod templates of a job's cluster as the operator takes them: the common one (labels, the shared
 * folder's volumes, the log mapping) and each role's (the user's template and the options' pod
 * settings under Sluice's, the plan's volume on the JobManager). Flink merges a role's over the common
 * one by container and volume name; the native way does that merge itself (nativePodTemplate).
 */
export function flinkPodTemplates(input: FlinkDeploymentInput): {
  common: V1PodTemplateSpec;
  jobmanager: V1PodTemplateSpec;
  taskmanager: V1PodTemplateSpec;
} {
  const { spec, target } = input;
  // An upgrade in place keeps the running deployment's name, and so its plan Secret's.
  const name = input.deploymentName ?? clusterName(spec.jobName, spec.flinkJobId);
  const fetch = input.fetch ?? null;
  // The jars come either from the platform (fetch) or from the shared folder.
  const { shared } = runFolders(target, spec, !!fetch);
  const options = effectiveOptions(target, spec);
  const logs = logMappingOf(options, spec.jobName, target.image, FLINK_UID);
  const withPlan = input.plan !== null;
  const secret = artifactsSecretName(name);
  // In every pod Flink makes (a TaskManager made later fetches too), before Flink starts.
  const initContainers = [
    ...(logs ? [logs.init] : []),
    ...(fetch ? [fetchInitContainer(target, spec.flinkJobId, fetch)] : []),
  ];
  const sluiceRoleTemplate = (role: 'jobmanager' | 'taskmanager'): V1PodTemplateSpec => ({
    metadata: { labels: { [LABELS.component]: role } },
    spec: {
      containers: [
        {
          name: MAIN_CONTAINER,
          ...(role === 'jobmanager' && withPlan
            ? { volumeMounts: [{ name: 'program', mountPath: PLAN_DIR }] }
            : {}),
        },
      ],
      ...(role === 'jobmanager' && withPlan
        ? { volumes: [{ name: 'program', secret: { secretName: `${name}-program`, defaultMode: 0o440 } }] }
        : {}),
    },
  });
  // The user's template and the options' pod settings under Sluice's role template (pod-template.ts);
  // the operator then merges the role template over the common one, by container and volume name.
  const roleTemplate = (role: 'jobmanager' | 'taskmanager'): V1PodTemplateSpec =>
    mergePodTemplate(podCustomizationOf(options, role, input.podTemplates ?? {}), sluiceRoleTemplate(role));
  const metricsPort = reporterPort(options);
  const common: V1PodTemplateSpec = {
    metadata: { labels: labelsOf(target, spec), annotations: prometheusAnnotations(metricsPort) },
    spec: {
      ...(target.imagePullSecrets.length
        ? { imagePullSecrets: target.imagePullSecrets.map((n) => ({ name: n })) }
        : {}),
      // The plan Secret's files are readable by the flink group the official image runs as.
      securityContext: { fsGroup: FLINK_UID, fsGroupChangePolicy: 'OnRootMismatch' },
      ...(initContainers.length ? { initContainers } : {}),
      containers: [
        {
          name: MAIN_CONTAINER,
          ports: [metricsContainerPort(metricsPort)],
          volumeMounts: [
            ...(fetch ? [{ name: 'usrlib', mountPath: USRLIB, readOnly: true }] : []),
            ...shared.mounts,
            ...(logs ? [logs.mount] : []),
          ],
        },
      ],
      volumes: [
        ...(fetch ? [usrlibVolume()] : []),
        ...shared.volumes,
        ...(logs ? [logs.volume] : []),
        ...(fetch ? fetchVolumes({ secret }, secret) : []),
      ],
    },
  };
  return { common, jobmanager: roleTemplate('jobmanager'), taskmanager: roleTemplate('taskmanager') };
}

/** The log4j configuration the pods get: the console, and the log files when they are mapped to the node. */
export function podLogConfiguration(input: FlinkDeploymentInput): string {
  const logs = logMappingOf(
    effectiveOptions(input.target, input.spec),
    input.spec.jobName,
    input.target.image,
    FLINK_UID,
  );
  return logs ? `${LOG4J_CONSOLE}${LOG4J_FILE_APPENDER}` : LOG4J_CONSOLE;
}

/** The job's resources per role: the CPU a pod requests and Flink's process memory. */
export function roleResource(spec: ApplicationSpec, role: 'jobmanager' | 'taskmanager') {
  const req = podResources(spec, role).requests!;
  return {
    cpu: Number(req.cpu),
    memory: role === 'jobmanager' ? spec.resources.jobManagerMemory : spec.resources.taskManagerMemory,
  };
}

/** What every FlinkDeployment of the target says of its image, Flink version, service account and logging. */
export function clusterSpecBase(target: KubernetesTargetSpec, flinkVersion: string, log4j: string) {
  return {
    image: target.image,
    imagePullPolicy: target.imagePullPolicy,
    flinkVersion: operatorFlinkVersion(flinkVersion),
    ...(target.serviceAccount ? { serviceAccount: target.serviceAccount } : {}),
    // The operator hands the pods this file; its own default lives in its image's conf dir.
    logConfiguration: { 'log4j-console.properties': log4j },
  };
}

export function renderFlinkDeployment(input: FlinkDeploymentInput): OperatorObjects {
  const { spec, target } = input;
  const name = input.deploymentName ?? clusterName(spec.jobName, spec.flinkJobId);
  const namespace = target.namespace;
  const r = spec.resources;
  const program: V1Secret | null =
    input.plan === null
      ? null
      : {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${name}-program`, namespace, labels: labelsOf(target, spec, 'config') },
          type: 'Opaque',
          stringData: { [PLAN_FILE]: input.plan },
        };
  const options = effectiveOptions(target, spec);
  // The operator's upgrade modes read state folders: without a shared folder, the job's own.
  if (target.mode === 'operator' && !statePaths(target, spec.jobName, spec.flinkJobId)) {
    const mode = upgradeModeOf(target);
    if (mode !== 'stateless') requireStateOption(target, options, 'checkpoints', mode);
    if (mode === 'savepoint') requireStateOption(target, options, 'savepoints', mode);
  }
  const artifacts = input.fetch
    ? artifactsSecret(
        { name: artifactsSecretName(name), namespace, labels: labelsOf(target, spec, 'config') },
        input.fetch,
        true,
      )
    : null;
  const templates = flinkPodTemplates(input);
  const exposure = restExposureOf(options, { name, namespace, job: spec.jobName });
  const deployment: FlinkDeployment = {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkDeployment',
    metadata: {
      name,
      namespace,
      labels: labelsOf(target, spec),
      annotations: { 'sluice.dev/task-managers': String(r.taskManagers) },
    },
    spec: {
      ...clusterSpecBase(target, input.flinkVersion, podLogConfiguration(input)),
      flinkConfiguration: operatorFlinkConfiguration(input),
      ...(exposure.ingress
        ? {
            ingress: {
              template: `${exposure.ingress.host ?? ''}${exposure.ingress.path}`,
              ...(exposure.ingress.className ? { className: exposure.ingress.className } : {}),
              ...(Object.keys(exposure.ingress.annotations).length
                ? { annotations: exposure.ingress.annotations }
                : {}),
            },
          }
        : {}),
      podTemplate: templates.common,
      jobManager: { resource: roleResource(spec, 'jobmanager'), podTemplate: templates.jobmanager },
      taskManager: {
        replicas: r.taskManagers,
        resource: roleResource(spec, 'taskmanager'),
        podTemplate: templates.taskmanager,
      },
      job: {
        jarURI: `local://${USRLIB}/${input.program.jar}`,
        entryClass: input.program.entryClass,
        args: input.program.args,
        parallelism: r.taskManagers * r.slotsPerTaskManager,
        // How the operator carries the state through a spec change: the target's setting.
        upgradeMode: upgradeModeOf(target),
        state: 'running',
        ...(spec.savepoint
          ? { initialSavepointPath: spec.savepoint, allowNonRestoredState: spec.allowNonRestoredState }
          : {}),
      },
    },
  };
  return { deployment, program, artifacts };
}

/** The plan Secret owned by its FlinkDeployment: deleting the deployment removes it. */
export function ownedBy(secret: V1Secret, deployment: { name: string; uid: string }): V1Secret {
  const owner: V1OwnerReference = {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkDeployment',
    name: deployment.name,
    uid: deployment.uid,
  };
  return { ...secret, metadata: { ...secret.metadata, ownerReferences: [owner] } };
}

/** A savepoint the operator takes of a FlinkDeployment's job and records (flink.apache.org/v1beta1). */
export interface FlinkStateSnapshot extends KubernetesObject {
  spec: {
    backoffLimit: number;
    jobReference: { kind: 'FlinkDeployment' | 'FlinkSessionJob'; name: string };
    savepoint: { path: string; disposeOnDelete: boolean; formatType: 'CANONICAL' };
  };
  status?: {
    /** TRIGGER_PENDING, IN_PROGRESS, COMPLETED, FAILED, ABANDONED. */
    state?: string;
    path?: string;
    error?: string;
    failures?: number;
  };
}

/**
 * A savepoint of a job through the operator: it triggers it through Flink's REST and writes its
 * path (or error) into the snapshot's status. The savepoint is Sluice's record: deleting the resource
 * does not dispose of it. Carries the job's labels, so that it is found by job and run.
 */
export function renderSavepointSnapshot(
  target: KubernetesTargetSpec,
  run: { jobName: string; flinkJobId: string; deployment: string },
  savepointDir: string,
  at: number,
  /** The resource the job is: its own FlinkDeployment, or its FlinkSessionJob on a session. */
  kind: 'FlinkDeployment' | 'FlinkSessionJob' = 'FlinkDeployment',
): FlinkStateSnapshot {
  const { deployment } = run;
  return {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkStateSnapshot',
    metadata: {
      // Unique per trigger: base 36 milliseconds keep the name short and ordered.
      name: `${deployment}-sluice-${at.toString(36)}`,
      namespace: target.namespace,
      labels: {
        [LABELS.managedBy]: 'sluice',
        [LABELS.target]: target.name,
        [LABELS.job]: run.jobName,
        [LABELS.flinkJobId]: run.flinkJobId,
      },
    },
    spec: {
      // One failure is the answer: Sluice reports it; a retry is the user's next savepoint.
      backoffLimit: 0,
      jobReference: { kind, name: deployment },
      savepoint: { path: savepointDir, disposeOnDelete: false, formatType: 'CANONICAL' },
    },
  };
}

/**
 * The operator has seen the deployment's job RUNNING with its JobManager READY: only then does it
 * take a snapshot (else it marks it ABANDONED at once); its view lags Flink's by its observe interval.
 */
export const operatorSeesRunning = (s: FlinkDeploymentStatus | undefined): boolean =>
  s?.jobManagerDeploymentStatus === 'READY' && s.jobStatus?.state === 'RUNNING';

/** What a savepoint snapshot's status says: its path, its failure in the operator's words, or not yet. */
export function snapshotOutcome(
  s: FlinkStateSnapshot['status'] | undefined,
): { done: true; path: string } | { done: false; failed: string | null } {
  if (s?.state === 'COMPLETED' && s.path) return { done: true, path: s.path };
  if (s?.state === 'FAILED' || s?.state === 'ABANDONED')
    return {
      done: false,
      failed: `the operator's snapshot is ${s.state}${s.error ? `: ${s.error}` : ''}${s.failures ? ` (${s.failures} failure(s))` : ''}`,
    };
  return { done: false, failed: null };
}
