import path from 'node:path';
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1Ingress,
  V1ObjectMeta,
  V1OwnerReference,
  V1PodSpec,
  V1PodTemplateSpec,
  V1ResourceRequirements,
  V1Secret,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { parseMemorySize } from '../../../domain/clusters/memory-size.ts';
import { DEFAULT_CPU, podCpu, positiveNumber } from '../../../domain/clusters/application-resources.ts';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import { wantsKubernetesHa, type KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { configFileName, renderConfig } from '../../flink/local-cluster/flink-config.ts';
import {
  metricsContainerPort,
  prometheusAnnotations,
  prometheusReporterOptions,
  reporterPort,
} from '../prometheus-pods.ts';
import { JAVA17_FLAGS } from '../../flink/local-cluster/jvm.ts';
import { restExposureOf, restIngress, restServiceSpec } from '../exposure.ts';
import {
  LOG4J_FILE_APPENDER,
  logMappingOf,
  mergePodTemplate,
  podCustomizationOf,
  withoutPodOptions,
} from '../pod-template.ts';
import { sharedFolderVolumes } from '../shared-folder.ts';
import {
  artifactsSecret,
  artifactsSecretName,
  fetcherData,
  fetchInitContainer,
  fetchVolumes,
  USRLIB,
  usrlibVolume,
  type ArtifactFetch,
} from '../artifact-fetch.ts';

/**
 * The Kubernetes objects of one job's standalone Flink application cluster, as Sluice applies them:
 * a root ConfigMap (the cluster's Flink configuration) that owns, by ownerReferences, everything else,
 * so that deleting it removes the whole cluster; a Secret with the SQL runner's plan (it holds the
 * job's substituted secret variables, which a ConfigMap would show to anyone who may read ConfigMaps);
 * the JobManager Service; the JobManager Deployment running the official image's `standalone-job`;
 * the TaskManager Deployment. Pure: the same input renders the same objects.
 *
 * Jars reach the pods through the target's shared folder (hostPath, the same path on Sluice's machine
 * and on every node; or the target's claim by subPath, shared-folder.ts): `<sharedDir>/<target>/<job>/<flinkJobId>/usrlib` is the pods' /opt/flink/usrlib,
 * and the job's checkpoints and savepoints are under `<sharedDir>/<target>/<job>/`, mounted at that same
 * path so that the paths Flink reports are the paths Sluice reads and restores from.
 *
 * With the target's platform URL, no folder is shared for the jars: the pods' usrlib is an emptyDir
 * that an init container (`fetch-artifacts`, the Flink image's own JRE running Sluice's fetcher class
 * from the root ConfigMap) fills from the platform's artifact endpoint, showing the token of the
 * run's `-artifacts` Secret (scoped to this run, short-lived, renewed by Sluice while the run lives).
 * Without a shared folder, checkpoints and savepoints go where the job's own options say.
 */
export interface StandaloneClusterInput {
  target: KubernetesTargetSpec;
  spec: ApplicationSpec;
  /** The full Flink version of the image (`1.20.3`): it says the configuration file's name. */
  flinkVersion: string;
  /** What the JobManager runs: a JAR job's entry class and arguments, or the SQL runner's. */
  program: { entryClass: string; args: string[] };
  /** The SQL runner's plan (JSON), for a SQL job; null for a JAR job. */
  plan: string | null;
  /**
   * The JobManager Service's ClusterIP, the TaskManagers' `jobmanager.rpc.address`: an address works
   * with or without cluster DNS (the local cluster has none). Null before the Service exists.
   */
  jobManagerAddress: string | null;
  /** The root ConfigMap's uid, which the owned objects' ownerReferences name; null before it exists. */
  rootUid: string | null;
  /** The pod template files the options name, read on Sluice's machine (readPodTemplateFiles): path → text. */
  podTemplates?: Record<string, string>;
  /**
   * How the jars reach the pods when an init container fetches them: the fetcher's class file and
   * either the run's token (from the platform URL) or its listing of presigned URLs (from S3, with the
   * objects they are signed for, which a renewal signs again). Null: through the shared folder.
   */
  fetch: ArtifactFetch | null;
}

export interface StandaloneClusterObjects {
  root: V1ConfigMap;
  /** The SQL runner's plan; null for a JAR job. */
  program: V1Secret | null;
  /** The token the init container fetches the jars with; null when they come through the shared folder. */
  artifacts: V1Secret | null;
  service: V1Service;
  /** The `<name>-rest` Service, when the options expose REST other than by the JobManager's ClusterIP. */
  restService: V1Service | null;
  /** The Ingress to the Web UI, when the options (or the target's) ask for one. */
  ingress: V1Ingress | null;
  jobManager: V1Deployment;
  taskManagers: V1Deployment;
}

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  target: 'sluice.dev/target',
  job: 'sluice.dev/job',
  /**
   * The job's space, or a session target's: a space name (spaces.ts SPACE_NAME) is a valid label value.
   * Pods of jobs started before it have none: nothing selects on it.
   */
  space: 'sluice.dev/space',
  flinkJobId: 'sluice.dev/flink-job-id',
  /** On a session target's cluster: the target it is the session of. */
  session: 'sluice.dev/session',
} as const;

export type Component = 'config' | 'jobmanager' | 'taskmanager';

/** Where the program's plan is in the JobManager pod. */
export const PLAN_DIR = '/opt/flink/sluice';
export const PLAN_FILE = 'sql-runner-plan.json';
const CONF_DIR = '/opt/flink/conf';
/** The official image runs Flink as user flink (9999): the files it must read or write are that group's. */
const FLINK_UID = 9999;

export const PORTS = { rpc: 6123, blob: 6124, rest: 8081 } as const;

export { DEFAULT_CPU };

/**
 * The objects' common name: `flink-<job>-<first 8 hex digits of the Flink job id>`, at most 51
 * characters so that `-taskmanager` still makes a valid name (63), beginning with a letter as a
 * Service's name must. Each run of the job has its own objects: a new start never reuses the last one's.
 */
export function clusterName(jobName: string, flinkJobId: string): string {
  const job = jobName.slice(0, 36).replace(/-+$/, '');
  return `flink-${job}-${flinkJobId.slice(0, 8)}`;
}

export function selectorOf(flinkJobId: string, component?: Component): string {
  return [
    `${LABELS.managedBy}=sluice`,
    `${LABELS.flinkJobId}=${flinkJobId}`,
    ...(component ? [`${LABELS.component}=${component}`] : []),
  ].join(',');
}

/** Where one job's files are in the shared folder, on Sluice's machine and (the same paths) in the pods. */
export function sharedPaths(target: KubernetesTargetSpec, jobName: string, flinkJobId: string) {
  const shared = requireSharedDir(target);
  const jobDir = path.join(shared, target.name, jobName);
  const runDir = path.join(jobDir, flinkJobId);
  return {
    jobDir,
    runDir,
    usrlib: path.join(runDir, 'usrlib'),
    checkpoints: path.join(jobDir, 'checkpoints'),
    savepoints: path.join(jobDir, 'savepoints'),
  };
}

/** The job's state folders in the shared folder; null when the target has none. */
export function statePaths(target: KubernetesTargetSpec, jobName: string, flinkJobId: string) {
  return target.sharedDir ? sharedPaths(target, jobName, flinkJobId) : null;
}

/**
 * A run's folders of the shared folder, as the pods mount them: its usrlib unless an init container
 * fetches the jars into an emptyDir, and the job's folder (checkpoints, savepoints, HA) whenever
 * there is a shared folder. `paths` is null when the jars are fetched and there is no shared folder.
 */
export function runFolders(
  target: KubernetesTargetSpec,
  spec: Pick<ApplicationSpec, 'jobName' | 'flinkJobId'>,
  fetched: boolean,
) {
  const p = fetched
    ? statePaths(target, spec.jobName, spec.flinkJobId)
    : sharedPaths(target, spec.jobName, spec.flinkJobId);
  const usrlib = p && !fetched ? p.usrlib : null;
  const shared = sharedFolderVolumes(target, [
    ...(usrlib
      ? [{ name: 'usrlib', folder: usrlib, mountPath: USRLIB, readOnly: true, type: 'Directory' as const }]
      : []),
    ...(p ? [{ name: 'job-state', folder: p.jobDir, type: 'DirectoryOrCreate' as const }] : []),
  ]);
  return { paths: p, shared };
}

export function requireSharedDir(target: KubernetesTargetSpec): string {
  if (!target.sharedDir)
    throw new SluiceError('precondition_failed', message('kubernetes.noSharedDir', { target: target.name }), {
      field: 'sharedDir',
    });
  return target.sharedDir;
}

/** The job's own option, or what Sluice chooses when it names none. */
const optionsOf = (spec: ApplicationSpec): Record<string, string> =>
  spec.program.kind === 'sql' ? spec.program.plan.options : spec.program.options;

/** The job's options over the target's defaults (its Flink configuration). */
export const effectiveOptions = (
  target: KubernetesTargetSpec,
  spec: ApplicationSpec,
): Record<string, string> => ({
  ...(target.flinkConfiguration ?? {}),
  ...optionsOf(spec),
});

/** The labels Flink's Kubernetes HA services put on their ConfigMaps: release deletes them by these. */
export const haConfigMapSelector = (clusterId: string): string =>
  `app=${clusterId},configmap-type=high-availability`;

/** A Flink memory size as a Kubernetes quantity in MiB (rounded up). */
function quantity(flinkSize: string, factor: number, field: string): string {
  const bytes = parseMemorySize(flinkSize);
  if (bytes === null)
    throw new SluiceError(
      'invalid_argument',
      message('cluster.memoryNotASize', { field, value: flinkSize }),
      {
        field,
      },
    );
  return `${Math.ceil((bytes * factor) / (1024 * 1024))}Mi`;
}

/**
 * A pod's requests and limits, from Flink's own option names as its native Kubernetes mode reads them:
 * memory is the process size (request and limit; `kubernetes.<role>.memory.limit-factor` raises the
 * limit), CPU is `kubernetes.<role>.cpu` (default 0.25 here, not Flink's 1.0: a laptop's node holds
 * several jobs). The CPU limit is set only with `kubernetes.<role>.cpu.limit-factor`: a JVM held to a
 * quarter of a core takes minutes to start and plan a job.
 */
export function podResources(
  spec: ApplicationSpec,
  role: 'jobmanager' | 'taskmanager',
): V1ResourceRequirements {
  const memory = role === 'jobmanager' ? spec.resources.jobManagerMemory : spec.resources.taskManagerMemory;
  return resourcesOf(optionsOf(spec), role, memory);
}

/** A Flink pod's requests and limits from its options (CPU, limit factors) and its process size. */
export function resourcesOf(
  o: Record<string, string>,
  role: 'jobmanager' | 'taskmanager',
  memory: string,
): V1ResourceRequirements {
  const cpu = podCpu(o, role);
  const cpuFactor = positiveNumber(o, `kubernetes.${role}.cpu.limit-factor`, null);
  const memoryFactor = positiveNumber(o, `kubernetes.${role}.memory.limit-factor`, '1')!;
  const field = `options.${role}.memory.process.size`;
  return {
    requests: { cpu: String(cpu), memory: quantity(memory, 1, field) },
    limits: {
      memory: quantity(memory, memoryFactor, field),
      ...(cpuFactor === null ? {} : { cpu: String(cpu * cpuFactor) }),
    },
  };
}

/**
 * What every Flink cluster Sluice renders needs in its configuration, a job's own or a session: the
 * pods listen on every interface and tell each other the JobManager Service's ClusterIP (no cluster
 * DNS needed), the official image's Java flags, failures seen in seconds, and Flink's Prometheus
 * reporter (prometheus-pods.ts).
 */
export function podNetworkConfiguration(jobManagerAddress: string | null): Record<string, string> {
  // Until the Service exists its address is unknown; a rendered preview says so.
  const address = jobManagerAddress ?? '<the JobManager Service ClusterIP>';
  return {
    'jobmanager.rpc.address': address,
    'jobmanager.rpc.port': String(PORTS.rpc),
    'jobmanager.bind-host': '0.0.0.0',
    'taskmanager.bind-host': '0.0.0.0',
    'rest.address': address,
    'rest.bind-address': '0.0.0.0',
    'rest.port': String(PORTS.rest),
    'blob.server.port': String(PORTS.blob),
    // The official image's config.yaml has these; the ConfigMap replaces that file.
    'env.java.default-opts.all': JAVA17_FLAGS.join(' '),
    'state.backend.type': 'hashmap',
    'heartbeat.interval': '2000',
    'heartbeat.timeout': '10000',
    'web.refresh-interval': '1000',
    'metrics.fetcher.update-interval': '2000',
    ...prometheusReporterOptions(),
  };
}

/** Checkpoints and savepoints in a folder of the shared folder (the same path in the pods). */
export const stateDirs = (checkpoints: string, savepoints: string): Record<string, string> => ({
  'state.checkpoints.dir': `file://${checkpoints}`,
  'execution.checkpointing.dir': `file://${checkpoints}`,
  'state.savepoints.dir': `file://${savepoints}`,
  'execution.checkpointing.savepoint-dir': `file://${savepoints}`,
});

/** The Flink configuration of the job's cluster: the job's own options over what the pods need. */
export function flinkConfigurationOf(input: StandaloneClusterInput): Record<string, string> {
  const { spec, target, jobManagerAddress } = input;
  const p = statePaths(target, spec.jobName, spec.flinkJobId);
  const r = spec.resources;
  // Without a shared folder the pods share no disk: state goes where the job's own options say.
  const state: Record<string, string> = p ? stateDirs(p.checkpoints, p.savepoints) : {};
  const options = effectiveOptions(target, spec);
  const ha = wantsKubernetesHa(options);
  if (ha && !target.serviceAccount)
    throw new SluiceError(
      'invalid_argument',
      message('kubernetes.haNeedsServiceAccount', { target: target.name, namespace: target.namespace }),
      { field: 'options.high-availability.type' },
    );
  const network = podNetworkConfiguration(jobManagerAddress);
  return {
    ...network,
    ...state,
    // The JobManager stays after the job ends, so that its final state and cause can be read; it
    // would otherwise exit and the Deployment would start it again, running the job from its beginning.
    'execution.shutdown-on-application-finish': 'false',
    'execution.submit-failed-job-on-application-error': 'true',
    // Kubernetes HA: the leader, the job graph and the checkpoints' pointers in ConfigMaps named after
    // the cluster, so that a new JobManager pod recovers the job from its latest checkpoint.
    ...(ha
      ? {
          // Without a shared folder the job's own high-availability.storageDir says where.
          ...(p ? { 'high-availability.storageDir': `file://${p.jobDir}/ha` } : {}),
          'kubernetes.cluster-id': clusterName(spec.jobName, spec.flinkJobId),
          'kubernetes.namespace': target.namespace,
        }
      : {}),
    ...withoutPodOptions(options),
    'taskmanager.numberOfTaskSlots': String(r.slotsPerTaskManager),
    'jobmanager.memory.process.size': r.jobManagerMemory,
    'taskmanager.memory.process.size': r.taskManagerMemory,
  };
}

/** The log settings of the official image's console logging: the pods' logs are their stdout. */
export const LOG4J_CONSOLE = `# Written by Sluice: Flink logs to the console, which Kubernetes keeps as the pod's log.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
`;

/** The JobManager's arguments to the official image's entry point: Flink's standalone application mode. */
export function jobManagerArgs(input: Pick<StandaloneClusterInput, 'spec' | 'program'>): string[] {
  const { spec, program } = input;
  return [
    'standalone-job',
    '--job-classname',
    program.entryClass,
    '--job-id',
    spec.flinkJobId,
    ...(spec.savepoint ? ['--fromSavepoint', spec.savepoint] : []),
    ...(spec.savepoint && spec.allowNonRestoredState ? ['--allowNonRestoredState'] : []),
    // Everything after `--` is the program's, even an argument that starts with a dash.
    '--',
    ...program.args,
  ];
}

/** The JobManager's ClusterIP Service: RPC, blob and REST (and `extra` ports, a session's SQL Gateway). */
export function jobManagerService(
  metadata: V1ObjectMeta,
  selector: Record<string, string>,
  extra: Record<string, number> = {},
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: 'ClusterIP',
      selector,
      ports: Object.entries({ ...PORTS, ...extra }).map(([port, number]) => ({
        name: port,
        port: number,
        targetPort: port,
        protocol: 'TCP',
      })),
    },
  };
}

/** A Flink container of the official image: its entry point's role argument, the JobManager's ports. */
export function flinkContainer(
  target: KubernetesTargetSpec,
  role: 'jobmanager' | 'taskmanager',
  args: string[],
  jobManagerAddress: string | null,
  resources: V1ResourceRequirements,
  volumeMounts: V1VolumeMount[],
  metricsPort: number,
): V1Container {
  return {
    name: role,
    image: target.image,
    imagePullPolicy: target.imagePullPolicy,
    args,
    env: [
      // The entry point writes it into the configuration when it can (the ConfigMap is read-only).
      ...(jobManagerAddress ? [{ name: 'JOB_MANAGER_RPC_ADDRESS', value: jobManagerAddress }] : []),
    ],
    ports: [
      ...(role === 'jobmanager'
        ? Object.entries(PORTS).map(([port, number]) => ({
            name: port,
            containerPort: number,
            protocol: 'TCP',
          }))
        : []),
      metricsContainerPort(metricsPort),
    ],
    resources,
    volumeMounts,
  };
}

/** What every pod of a Flink cluster Sluice renders has: the target's service account and pull secrets. */
export function flinkPodBase(target: KubernetesTargetSpec): V1PodSpec {
  return {
    ...(target.serviceAccount ? { serviceAccountName: target.serviceAccount } : {}),
    ...(target.imagePullSecrets.length
      ? { imagePullSecrets: target.imagePullSecrets.map((n) => ({ name: n })) }
      : {}),
    // Files Flink reads or writes (a plan Secret, the shared folder) are the flink group's, which the official image runs as.
    securityContext: { fsGroup: FLINK_UID, fsGroupChangePolicy: 'OnRootMismatch' },
    terminationGracePeriodSeconds: 10,
    containers: [],
  };
}

/**
 * The owner reference of everything a standalone cluster's root ConfigMap owns (none before the root
 * has a uid). The root's deletion waits for these with propagationPolicy Foreground.
 */
export function ownedByRoot(name: string, rootUid: string | null): V1OwnerReference[] | undefined {
  return rootUid
    ? [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: `${name}-config`,
          uid: rootUid,
          blockOwnerDeletion: true,
          controller: true,
        },
      ]
    : undefined;
}

/** A standalone cluster's root ConfigMap: Flink's configuration files, annotated with what it runs. */
export function rootConfigMap(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  flinkVersion: string,
  taskManagers: number,
  data: Record<string, string>,
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${name}-config`,
      namespace,
      labels,
      annotations: {
        'sluice.dev/flink-version': flinkVersion,
        'sluice.dev/task-managers': String(taskManagers),
      },
    },
    data,
  };
}

/** A Deployment of one role's pods, never two JobManagers at once (Recreate). */
export function flinkDeployment(
  metadata: V1ObjectMeta,
  selector: Record<string, string>,
  replicas: number,
  template: V1PodTemplateSpec,
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      // A new JobManager must not start beside the old one: both would run the job.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector },
      template,
    },
  };
}

export function renderStandaloneCluster(input: StandaloneClusterInput): StandaloneClusterObjects {
  const { spec, target, flinkVersion } = input;
  const name = clusterName(spec.jobName, spec.flinkJobId);
  const namespace = target.namespace;
  const options = effectiveOptions(target, spec);
  const logs = logMappingOf(options, spec.jobName, target.image, FLINK_UID);
  const fetch = input.fetch;
  // The jars come either from an init container's fetch or from the shared folder.
  const { shared } = runFolders(target, spec, !!fetch);
  const labels = (component: Component): Record<string, string> => ({
    [LABELS.managedBy]: 'sluice',
    [LABELS.name]: 'flink',
    [LABELS.instance]: name,
    [LABELS.component]: component,
    [LABELS.target]: target.name,
    [LABELS.job]: spec.jobName,
    [LABELS.space]: spec.space,
    [LABELS.flinkJobId]: spec.flinkJobId,
  });
  const owner = ownedByRoot(name, input.rootUid);
  const meta = (suffix: string, component: Component) => ({
    name: `${name}-${suffix}`,
    namespace,
    labels: labels(component),
    ...(owner ? { ownerReferences: owner } : {}),
  });

  const root: V1ConfigMap = {
    ...rootConfigMap(name, namespace, labels('config'), flinkVersion, spec.resources.taskManagers, {
      [configFileName(flinkVersion)]: renderConfig(flinkConfigurationOf(input)),
      'log4j-console.properties': logs ? `${LOG4J_CONSOLE}${LOG4J_FILE_APPENDER}` : LOG4J_CONSOLE,
    }),
    ...(fetch ? { binaryData: fetcherData(fetch) } : {}),
  };
  const artifacts: V1Secret | null = fetch
    ? artifactsSecret(meta('artifacts', 'config'), fetch, false)
    : null;
  const program: V1Secret | null =
    input.plan === null
      ? null
      : {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: meta('program', 'config'),
          type: 'Opaque',
          stringData: { [PLAN_FILE]: input.plan },
        };
  const service = jobManagerService(meta('jobmanager', 'jobmanager'), {
    [LABELS.flinkJobId]: spec.flinkJobId,
    [LABELS.component]: 'jobmanager',
  });

  const confFiles = [configFileName(flinkVersion), 'log4j-console.properties'];
  const volumes: V1Volume[] = [
    {
      name: 'flink-config',
      configMap: { name: `${name}-config`, items: confFiles.map((f) => ({ key: f, path: f })) },
    },
    ...(fetch ? [usrlibVolume()] : []),
    ...shared.volumes,
    ...(program ? [{ name: 'program', secret: { secretName: `${name}-program`, defaultMode: 0o440 } }] : []),
    ...(logs ? [logs.volume] : []),
    ...(fetch ? fetchVolumes({ configMap: `${name}-config` }, artifactsSecretName(name)) : []),
  ];
  const mounts: V1VolumeMount[] = [
    { name: 'flink-config', mountPath: CONF_DIR },
    ...(fetch ? [{ name: 'usrlib', mountPath: USRLIB, readOnly: true }] : []),
    ...shared.mounts,
    ...(logs ? [logs.mount] : []),
  ];
  // Runs before Flink in every pod of the cluster (a TaskManager made later fetches too).
  const initContainers: V1Container[] = fetch ? [fetchInitContainer(target, spec.flinkJobId, fetch)] : [];
  const container = (role: 'jobmanager' | 'taskmanager', args: string[]): V1Container =>
    flinkContainer(
      target,
      role,
      args,
      input.jobManagerAddress,
      podResources(spec, role),
      role === 'jobmanager' && program ? [...mounts, { name: 'program', mountPath: PLAN_DIR }] : mounts,
      reporterPort(options),
    );
  const podSpec = (role: 'jobmanager' | 'taskmanager', args: string[]): V1PodSpec => ({
    ...flinkPodBase(target),
    ...(logs || initContainers.length
      ? { initContainers: [...(logs ? [logs.init] : []), ...initContainers] }
      : {}),
    containers: [container(role, args)],
    volumes: role === 'jobmanager' ? volumes : volumes.filter((v) => v.name !== 'program'),
  });
  const deployment = (role: 'jobmanager' | 'taskmanager', replicas: number, args: string[]): V1Deployment =>
    flinkDeployment(
      meta(role, role),
      { [LABELS.flinkJobId]: spec.flinkJobId, [LABELS.component]: role },
      replicas,
      // The user's pod template and the options' pod settings, under Sluice's own pod (pod-template.ts).
      mergePodTemplate(podCustomizationOf(options, role, input.podTemplates ?? {}), {
        metadata: { labels: labels(role), annotations: prometheusAnnotations(reporterPort(options)) },
        spec: podSpec(role, args),
      }),
    );
  const exposure = restExposureOf(options, { name, namespace, job: spec.jobName });
  const restService: V1Service | null =
    exposure.type !== 'ClusterIP' || Object.keys(exposure.annotations).length
      ? {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            ...meta('rest', 'jobmanager'),
            ...(Object.keys(exposure.annotations).length ? { annotations: exposure.annotations } : {}),
          },
          spec: restServiceSpec(
            exposure.type,
            { [LABELS.flinkJobId]: spec.flinkJobId, [LABELS.component]: 'jobmanager' },
            PORTS.rest,
          ),
        }
      : null;
  const ingress = exposure.ingress
    ? restIngress(
        exposure.ingress,
        meta('rest', 'jobmanager'),
        restService ? `${name}-rest` : `${name}-jobmanager`,
        PORTS.rest,
      )
    : null;
  return {
    root,
    program,
    artifacts,
    service,
    restService,
    ingress,
    jobManager: deployment('jobmanager', 1, jobManagerArgs(input)),
    taskManagers: deployment('taskmanager', spec.resources.taskManagers, ['taskmanager']),
  };
}

/** The objects in the order they are applied: the root first (it owns the rest), the Service before the pods. */
export function inApplyOrder(
  o: StandaloneClusterObjects,
): (V1ConfigMap | V1Secret | V1Service | V1Ingress | V1Deployment)[] {
  return [
    o.root,
    ...(o.program ? [o.program] : []),
    ...(o.artifacts ? [o.artifacts] : []),
    o.service,
    ...(o.restService ? [o.restService] : []),
    ...(o.ingress ? [o.ingress] : []),
    o.jobManager,
    o.taskManagers,
  ];
}
