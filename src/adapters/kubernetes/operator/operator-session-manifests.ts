import path from 'node:path';
import type {
  KubernetesObject,
  V1ConfigMap,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import {
  upgradeModeOf,
  type KubernetesSession,
  type KubernetesTargetSpec,
} from '../../../domain/targets/kubernetes-target.ts';
import { configFileName, renderConfig } from '../../flink/local-cluster/flink-config.ts';
import { mergePodTemplate, podCustomizationOf, withoutPodOptions } from '../pod-template.ts';
import {
  metricsContainerPort,
  prometheusAnnotations,
  prometheusReporterOptions,
  reporterPort,
} from '../prometheus-pods.ts';
import {
  CONF_DIR,
  GATEWAY_PORT,
  sessionName,
  sessionPaths,
  sqlGatewayContainer,
} from '../standalone/session-manifests.ts';
import {
  clusterName,
  DEFAULT_CPU,
  effectiveOptions,
  LABELS,
  LOG4J_CONSOLE,
  requireSharedDir,
  sharedPaths,
  stateDirs,
} from '../standalone/standalone-manifests.ts';
import { usrlibName } from '../standalone/standalone-target.ts';
import {
  clusterSpecBase,
  FLINK_API_VERSION,
  FLINK_GROUP,
  labelsOf,
  type FlinkClusterSpec,
  type FlinkDeploymentStatus,
  type OperatorJob,
} from './operator-manifests.ts';
import { sharedFolderVolumes } from '../shared-folder.ts';

/**
 * A session target of the operator way: one session FlinkDeployment (no `job`) that the operator
 * deploys in Flink's native session mode (the JobManager makes its TaskManager pods), and one
 * FlinkSessionJob per run of a job, which the operator submits to it through Flink REST: it fetches
 * the job's `jarURI` itself, uploads it to the JobManager and runs it. Pure: the same input renders the
 * same objects.
 *
 * The files are in the shared folder, mounted into the session's pods at the same path
 * (`<sharedDir>/<target>`): each run's jars (usrlib) and a SQL job's plan in its run folder, each job's
 * checkpoints and savepoints in its job folder, the session's HA data in its own folder. The
 * operator reads `jarURI` (`file://` in the shared folder): it must see that folder too.
 *
 * The SQL Gateway runs as a second container in the JobManager's pod (as beside a standalone
 * session's JobManager), with the engine's gateway jars from the session's lib folder and its own
 * small configuration (a ConfigMap), submitting to the JobManager at its pod's IP; Sluice reaches it
 * through a Service of its own. Flink's native session (native-session-manifests.ts) is handed the
 * same pod templates, so both kinds share these parts.
 */
export interface OperatorSessionInput {
  target: KubernetesTargetSpec & { session: KubernetesSession };
  /** The target's space: the session's pods carry it (they run jobs of any space the target serves). */
  space: string;
  /** The full Flink version of the image (`1.20.3`). */
  flinkVersion: string;
  /** The SQL Gateway jars' file names in the session's lib folder (copied from the engine). */
  gatewayJars: string[];
  /** The pod template files the target's options name, read on Sluice's machine: path → text. */
  podTemplates?: Record<string, string>;
}

export type SessionDeployment = KubernetesObject & {
  spec: FlinkClusterSpec;
  status?: FlinkDeploymentStatus;
};

export interface FlinkSessionJob extends KubernetesObject {
  spec: {
    deploymentName: string;
    /** Merged over the session's configuration for this job's run (Flink 1.17+ takes it per run). */
    flinkConfiguration: Record<string, string>;
    job: OperatorJob;
  };
  status?: {
    /** CREATED, UPGRADING, DEPLOYED, STABLE, SUSPENDED, FAILED, ... */
    lifecycleState?: string;
    error?: string | null;
    jobStatus?: { jobId?: string; state?: string; upgradeSavepointPath?: string | null };
  };
}

const MAIN_CONTAINER = 'flink-main-container';
const FLINK_UID = 9999;
/** The plan's file in a run's folder: the SQL runner on the JobManager reads it there. */
export const SESSION_PLAN_FILE = 'sql-runner-plan.json';

/** The target's folder in the shared folder: every path a session job's files have is under it. */
export const targetFolder = (target: KubernetesTargetSpec): string =>
  path.join(requireSharedDir(target), target.name);

/** The target's folder as every pod of the session mounts it (the gateway beside the JobManager too). */
const sharedTargetFolder = (target: KubernetesTargetSpec) =>
  sharedFolderVolumes(target, [{ name: 'shared', folder: targetFolder(target), type: 'DirectoryOrCreate' }]);

/** The labels of the session's deployment and pods (found by `sessionSelector`, like a standalone session's). */
export function sessionLabels(target: KubernetesTargetSpec, space: string): Record<string, string> {
  return {
    [LABELS.managedBy]: 'sluice',
    [LABELS.name]: 'flink',
    [LABELS.instance]: sessionName(target.name),
    [LABELS.target]: target.name,
    [LABELS.space]: space,
    [LABELS.session]: target.name,
  };
}

/**
 * The session cluster's Flink configuration: its slots held at the target's size (Flink's
 * resource manager keeps `slotmanager.number-of-slots.min` TaskManager slots up, never more than
 * the max), the session's HA data and default state folders, the target's options over it.
 */
export function sessionFlinkConfiguration(input: OperatorSessionInput): Record<string, string> {
  const { target } = input;
  const s = target.session;
  const p = sessionPaths(target);
  const slots = String(s.taskManagers * s.slotsPerTaskManager);
  return {
    // Without cluster DNS the TaskManagers find the JobManager by its pod IP, from HA's leader ConfigMap.
    'high-availability.type': 'kubernetes',
    'high-availability.storageDir': `file://${p.ha}`,
    'state.backend.type': 'hashmap',
    ...stateDirs(p.checkpoints, p.savepoints),
    'kubernetes.jobmanager.cpu.limit-factor': String(1 / Number(DEFAULT_CPU.jobmanager)),
    'kubernetes.taskmanager.cpu.limit-factor': String(1 / Number(DEFAULT_CPU.taskmanager)),
    'kubernetes.operator.pod-template.merge-arrays-by-name': 'true',
    'heartbeat.interval': '2000',
    'heartbeat.timeout': '10000',
    ...prometheusReporterOptions(),
    ...withoutPodOptions(target.flinkConfiguration ?? {}),
    'taskmanager.numberOfTaskSlots': String(s.slotsPerTaskManager),
    'slotmanager.number-of-slots.min': slots,
    'slotmanager.number-of-slots.max': slots,
  };
}

/** The session's FlinkDeployment: no `job`, so the operator deploys a session cluster. */
export function renderSessionDeployment(input: OperatorSessionInput): SessionDeployment {
  const { target } = input;
  const s = target.session;
  const options = target.flinkConfiguration ?? {};
  const shared = sharedTargetFolder(target);
  const role = (r: 'jobmanager' | 'taskmanager'): V1PodTemplateSpec =>
    mergePodTemplate(podCustomizationOf(options, r, input.podTemplates ?? {}), {
      metadata: { labels: { [LABELS.component]: r } },
      spec: { containers: [{ name: MAIN_CONTAINER }] },
    });
  // Every pod runs Flink's Prometheus reporter, annotated for an in-cluster Prometheus, as on every way.
  const metricsPort = reporterPort(options);
  const common: V1PodTemplateSpec = {
    metadata: { labels: sessionLabels(target, input.space), annotations: prometheusAnnotations(metricsPort) },
    spec: {
      ...(target.imagePullSecrets.length
        ? { imagePullSecrets: target.imagePullSecrets.map((n) => ({ name: n })) }
        : {}),
      securityContext: { fsGroup: FLINK_UID, fsGroupChangePolicy: 'OnRootMismatch' },
      containers: [
        {
          name: MAIN_CONTAINER,
          ports: [metricsContainerPort(metricsPort)],
          volumeMounts: shared.mounts,
        },
      ],
      volumes: shared.volumes,
    },
  };
  return {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkDeployment',
    metadata: {
      name: sessionName(target.name),
      namespace: target.namespace,
      labels: sessionLabels(target, input.space),
      annotations: { 'sluice.dev/flink-version': input.flinkVersion },
    },
    spec: {
      ...clusterSpecBase(target, input.flinkVersion, LOG4J_CONSOLE),
      flinkConfiguration: sessionFlinkConfiguration(input),
      podTemplate: common,
      jobManager: {
        resource: { cpu: Number(DEFAULT_CPU.jobmanager), memory: s.jobManagerMemory },
        podTemplate: withSqlGateway(input, role('jobmanager')),
      },
      taskManager: {
        resource: { cpu: Number(DEFAULT_CPU.taskmanager), memory: s.taskManagerMemory },
        podTemplate: role('taskmanager'),
      },
    },
  };
}

/**
 * The session's cluster id where Flink names objects after it (at most 45 characters): the native
 * session's JobManager Deployment, and both kinds' gateway objects.
 */
export const sessionClusterId = (target: string): string =>
  sessionName(target).slice(0, 45).replace(/-+$/, '');

/** The Service Sluice reaches the SQL Gateway by, and the gateway's configuration. */
export const gatewayServiceName = (target: string): string => `${sessionClusterId(target)}-gateway`;
export const gatewayConfigName = (target: string): string => `${sessionClusterId(target)}-gateway-config`;

const gatewayLabels = (input: OperatorSessionInput, component: 'config' | 'jobmanager') => ({
  ...sessionLabels(input.target, input.space),
  [LABELS.component]: component,
});

/**
 * The JobManager's pod template with the SQL Gateway beside Flink: it reads its configuration
 * ConfigMap and the gateway jars from the shared folder, and is told the pod's IP (the JobManager's
 * REST address in the pod, whatever address Flink binds it to).
 */
function withSqlGateway(input: OperatorSessionInput, jobManager: V1PodTemplateSpec): V1PodTemplateSpec {
  const { target } = input;
  const lib = sessionPaths(target).lib;
  const gateway = sqlGatewayContainer({
    target,
    gatewayJars: input.gatewayJars.map((j) => path.join(lib, j)),
    mounts: [{ name: 'gateway-config', mountPath: CONF_DIR }, ...sharedTargetFolder(target).mounts],
    args: ['-Drest.address=$(POD_IP)', '-Dsql-gateway.endpoint.rest.address=$(POD_IP)'],
    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
  });
  return {
    ...jobManager,
    spec: {
      ...jobManager.spec!,
      containers: [...jobManager.spec!.containers, gateway],
      volumes: [
        ...(jobManager.spec!.volumes ?? []),
        { name: 'gateway-config', configMap: { name: gatewayConfigName(target.name) } },
      ],
    },
  };
}

/**
 * The SQL Gateway's configuration: the JobManager's REST port (its address is the pod's, given on the
 * command line), the session's state folders as every job's defaults, the target's options.
 */
export function gatewayConfiguration(input: OperatorSessionInput): Record<string, string> {
  const p = sessionPaths(input.target);
  return {
    'rest.port': '8081',
    ...stateDirs(p.checkpoints, p.savepoints),
    'parallelism.default': '1',
    'sql-gateway.endpoint.rest.bind-address': '0.0.0.0',
    'sql-gateway.endpoint.rest.port': String(GATEWAY_PORT),
    ...withoutPodOptions(input.target.flinkConfiguration ?? {}),
  };
}

/**
 * The gateway's configuration ConfigMap; `owner`: the object whose deletion removes the session (the
 * FlinkDeployment, or the native JobManager Deployment), once it exists.
 */
export function gatewayConfigMap(input: OperatorSessionInput, owner: V1OwnerReference[] | null): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: gatewayConfigName(input.target.name),
      namespace: input.target.namespace,
      labels: gatewayLabels(input, 'config'),
      ...(owner ? { ownerReferences: owner } : {}),
    },
    data: {
      [configFileName(input.flinkVersion)]: renderConfig(gatewayConfiguration(input)),
      // The SQL Gateway's JVM is started as Flink's scripts start it, which read log4j.properties.
      'log4j.properties': LOG4J_CONSOLE,
    },
  };
}

/**
 * The Service Sluice reaches the gateway by (through the API server's proxy): it selects the
 * JobManager pod by the labels of the session's pod template, which Flink keeps on the pod whoever
 * makes it (the operator's JobManager Deployment or Flink's client).
 */
export function gatewayService(input: OperatorSessionInput, owner: V1OwnerReference[] | null): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: gatewayServiceName(input.target.name),
      namespace: input.target.namespace,
      labels: gatewayLabels(input, 'jobmanager'),
      ...(owner ? { ownerReferences: owner } : {}),
    },
    spec: {
      type: 'ClusterIP',
      selector: { [LABELS.session]: input.target.name, [LABELS.component]: 'jobmanager' },
      ports: [{ name: 'gateway', port: GATEWAY_PORT, targetPort: GATEWAY_PORT, protocol: 'TCP' }],
    },
  };
}

/**
 * The owner reference to the session FlinkDeployment: the operator recreates the JobManager
 * Deployment on an upgrade or a suspension, so the gateway's objects belong to the FlinkDeployment
 * and go with it.
 */
export const ownedBySessionDeployment = (fd: KubernetesObject): V1OwnerReference[] => [
  {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkDeployment',
    name: fd.metadata!.name!,
    uid: fd.metadata!.uid!,
  },
];

/** Where one run's files are: its jars and (SQL) its plan in its run folder, read by the session's pods. */
export function sessionRunFiles(target: KubernetesTargetSpec, spec: ApplicationSpec, jars: string[]) {
  const p = sharedPaths(target, spec.jobName, spec.flinkJobId);
  const inUsrlib = jars.map((jar, i) => path.join(p.usrlib, usrlibName(jar, i)));
  return {
    ...p,
    plan: path.join(p.runDir, SESSION_PLAN_FILE),
    jar: inUsrlib[0]!,
    classpath: inUsrlib.slice(1),
  };
}

export interface SessionJobInput {
  target: KubernetesTargetSpec & { session: KubernetesSession };
  spec: ApplicationSpec;
  /** What the JobManager runs: the jar's path in the shared folder, its entry class and arguments. */
  program: { jar: string; entryClass: string; args: string[] };
  /** The other jars of the run in the shared folder: on the job's class path (`pipeline.classpaths`). */
  classpath: string[];
}

/**
 * One run of a job on the session: its jar by a `file://` URI the operator fetches, its own
 * checkpoint and savepoint folders and classpath as the run's configuration, the restore path.
 */
export function renderSessionJob(input: SessionJobInput): FlinkSessionJob {
  const { target, spec } = input;
  const r = spec.resources;
  const p = sharedPaths(target, spec.jobName, spec.flinkJobId);
  return {
    apiVersion: `${FLINK_GROUP}/${FLINK_API_VERSION}`,
    kind: 'FlinkSessionJob',
    metadata: {
      name: clusterName(spec.jobName, spec.flinkJobId),
      namespace: target.namespace,
      labels: labelsOf(target, spec),
    },
    spec: {
      deploymentName: sessionName(target.name),
      flinkConfiguration: {
        // Pod options are the session's: its pods are shared by every job.
        ...withoutPodOptions(effectiveOptions(target, spec)),
        ...stateDirs(p.checkpoints, p.savepoints),
        ...(input.classpath.length
          ? { 'pipeline.classpaths': input.classpath.map((f) => `file://${f}`).join(';') }
          : {}),
      },
      job: {
        jarURI: `file://${input.program.jar}`,
        entryClass: input.program.entryClass,
        args: input.program.args,
        parallelism: r.taskManagers * r.slotsPerTaskManager,
        upgradeMode: upgradeModeOf(target),
        state: 'running',
        ...(spec.savepoint
          ? { initialSavepointPath: spec.savepoint, allowNonRestoredState: spec.allowNonRestoredState }
          : {}),
      },
    },
  };
}

/**
 * The session as the operator reports it: ready once its JobManager is READY (lifecycle DEPLOYED or
 * STABLE); failed when the operator says FAILED or its JobManager is in ERROR.
 */
export function sessionReadiness(
  s: FlinkDeploymentStatus | undefined,
): 'ready' | 'deploying' | { failed: string } {
  if (s?.jobManagerDeploymentStatus === 'READY' && ['DEPLOYED', 'STABLE'].includes(s.lifecycleState ?? ''))
    return 'ready';
  if (s?.lifecycleState === 'FAILED')
    return { failed: `the operator reports FAILED${s.error ? `: ${s.error}` : ''}` };
  return 'deploying';
}

/**
 * What a session job's status says of its run: the operator's job id once it chose one, the job's
 * state, and its error when the operator gave up on it (lifecycle FAILED) or Flink reports it failed.
 */
export function sessionJobOutcome(s: FlinkSessionJob['status']): {
  jobId: string | null;
  state: string | null;
  failed: string | null;
} {
  const state = s?.jobStatus?.state ?? null;
  const failed =
    s?.lifecycleState === 'FAILED' || state === 'FAILED'
      ? `the operator reports ${s?.lifecycleState ?? '-'}/${state ?? '-'}${s?.error ? `: ${s.error}` : ''}`
      : null;
  return { jobId: s?.jobStatus?.jobId ?? null, state, failed };
}

/** What a restarted platform makes of a FlinkSessionJob of its target (`sessionJobAdoption`). */
export type SessionJobAdoption =
  | { action: 'adopt'; jobName: string; reservedId: string; flinkJobId: string }
  | { action: 'await-job-id'; jobName: string; reservedId: string };

/**
 * A FlinkSessionJob found at the platform's start: its run is adopted under the job id the operator
 * chose (`status.jobStatus.jobId`), with the id Sluice reserved for it (its `sluice.dev/flink-job-id`
 * label), which is all a start killed before it recorded the operator's id left in the platform. One
 * the operator has not given an id yet is waited for. One that is not Sluice's, is being deleted, or
 * whose run this process knows (by either id) is left alone: null.
 */
export function sessionJobAdoption(
  sj: FlinkSessionJob,
  known: (flinkJobId: string) => boolean,
): SessionJobAdoption | null {
  const labels = sj.metadata?.labels ?? {};
  const reservedId = labels[LABELS.flinkJobId];
  const jobName = labels[LABELS.job];
  if (!reservedId || !jobName || sj.metadata?.deletionTimestamp || known(reservedId)) return null;
  const flinkJobId = sj.status?.jobStatus?.jobId;
  if (!flinkJobId) return { action: 'await-job-id', jobName, reservedId };
  return known(flinkJobId) ? null : { action: 'adopt', jobName, reservedId, flinkJobId };
}
