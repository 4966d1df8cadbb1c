import path from 'node:path';
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1ObjectMeta,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { jvmMemoryFlag, parseMemorySize } from '../../../domain/clusters/memory-size.ts';
import {
  wantsKubernetesHa,
  type KubernetesSession,
  type KubernetesTargetSpec,
} from '../../../domain/targets/kubernetes-target.ts';
import { configFileName, renderConfig } from '../../flink/local-cluster/flink-config.ts';
import { prometheusAnnotations, reporterPort } from '../prometheus-pods.ts';
import { flinkJavaOptions, flinkJvmArgs } from '../../flink/local-cluster/jvm.ts';
import { mergePodTemplate, podCustomizationOf, withoutPodOptions } from '../pod-template.ts';
import {
  DEFAULT_CPU,
  flinkContainer,
  flinkDeployment,
  flinkPodBase,
  jobManagerService,
  LABELS,
  LOG4J_CONSOLE,
  ownedByRoot,
  podNetworkConfiguration,
  requireSharedDir,
  resourcesOf,
  rootConfigMap,
  stateDirs,
} from './standalone-manifests.ts';
import { sharedFolderVolumes } from '../shared-folder.ts';

/**
 * The Kubernetes objects of a session target's one session cluster, rendered from the same parts as a
 * job's standalone cluster (standalone-manifests.ts): a root ConfigMap (its Flink configuration) that
 * owns the rest, the JobManager Service (RPC, blob, REST and the SQL Gateway's port), the JobManager
 * Deployment running the official image's session `jobmanager` with the SQL Gateway as a second
 * container in its pod, and the TaskManager Deployment. Pure: the same input renders the same objects.
 *
 * The SQL Gateway's jar is the engine's own (its distribution's opt/), which Sluice copies into the
 * target's shared folder: `<sharedDir>/<target>/session/lib`, mounted at that same path. The session's
 * checkpoints and savepoints are under `<sharedDir>/<target>/session/` too.
 */
export interface StandaloneSessionInput {
  target: KubernetesTargetSpec & { session: KubernetesSession };
  /** The target's space: the session's pods carry it (they run jobs of any space the target serves). */
  space: string;
  /** The full Flink version of the image (`1.20.3`): it says the configuration file's name. */
  flinkVersion: string;
  /** The SQL Gateway jars' file names in the session's lib folder (copied from the engine). */
  gatewayJars: string[];
  /** The JobManager Service's ClusterIP (the TaskManagers' `jobmanager.rpc.address`); null before it exists. */
  jobManagerAddress: string | null;
  /** The root ConfigMap's uid, which the owned objects name; null before it exists. */
  rootUid: string | null;
  /** The pod template files the target's options name, read on Sluice's machine: path → text. */
  podTemplates?: Record<string, string>;
}

export interface StandaloneSessionObjects {
  root: V1ConfigMap;
  service: V1Service;
  jobManager: V1Deployment;
  taskManagers: V1Deployment;
}

/** The SQL Gateway's REST port, in the JobManager pod and on its Service. */
export const GATEWAY_PORT = 8083;
export const CONF_DIR = '/opt/flink/conf';
/** The SQL Gateway's memory beyond its heap (metaspace, code cache, threads), for its container's limit. */
const GATEWAY_OVERHEAD = 256 * 1024 * 1024;

/** The session cluster's objects' name: `flink-session-<target>`, a valid Service name (no dots). */
export function sessionName(target: string): string {
  return `flink-session-${target.replace(/\./g, '-').slice(0, 37).replace(/-+$/, '')}`;
}

/** The session's pods (or one role's) by their labels. */
export function sessionSelector(target: string, component?: 'jobmanager' | 'taskmanager'): string {
  return [
    `${LABELS.managedBy}=sluice`,
    `${LABELS.session}=${target}`,
    ...(component ? [`${LABELS.component}=${component}`] : []),
  ].join(',');
}

/** Where the session's files are in the shared folder (the same paths in its pods). */
export function sessionPaths(target: KubernetesTargetSpec) {
  const dir = path.join(requireSharedDir(target), target.name, 'session');
  return {
    dir,
    lib: path.join(dir, 'lib'),
    checkpoints: path.join(dir, 'checkpoints'),
    savepoints: path.join(dir, 'savepoints'),
    /** Kubernetes HA's storage (job graphs, jars, checkpoint metadata pointers), when asked for. */
    ha: path.join(dir, 'ha'),
  };
}

/** The session cluster's Flink configuration: the target's options over what its pods need. */
export function sessionConfiguration(input: StandaloneSessionInput): Record<string, string> {
  const { target, jobManagerAddress } = input;
  const p = sessionPaths(target);
  const s = target.session;
  return {
    ...podNetworkConfiguration(jobManagerAddress),
    // The SQL Gateway beside the JobManager submits to it on the pod's loopback: a pod reaching its own
    // Service's ClusterIP needs the bridge's hairpin mode, which not every network has.
    'rest.address': '127.0.0.1',
    ...stateDirs(p.checkpoints, p.savepoints),
    'parallelism.default': '1',
    'sql-gateway.endpoint.rest.address': jobManagerAddress ?? '<the JobManager Service ClusterIP>',
    'sql-gateway.endpoint.rest.bind-address': '0.0.0.0',
    'sql-gateway.endpoint.rest.port': String(GATEWAY_PORT),
    // Kubernetes HA, on the target's `high-availability.type: kubernetes`: the leader and the session's
    // jobs in ConfigMaps named after the session, so that a new JobManager pod recovers every job from
    // its latest checkpoint. The TaskManagers still reach it by the Service's ClusterIP, which it
    // publishes as its address; the SQL Gateway beside it reads the leader's REST address (loopback).
    ...(wantsKubernetesHa(target.flinkConfiguration ?? {})
      ? {
          'high-availability.storageDir': `file://${p.ha}`,
          'kubernetes.cluster-id': sessionName(target.name),
          'kubernetes.namespace': target.namespace,
        }
      : {}),
    ...withoutPodOptions(target.flinkConfiguration ?? {}),
    'taskmanager.numberOfTaskSlots': String(s.slotsPerTaskManager),
    'jobmanager.memory.process.size': s.jobManagerMemory,
    'taskmanager.memory.process.size': s.taskManagerMemory,
  };
}

export function renderStandaloneSession(input: StandaloneSessionInput): StandaloneSessionObjects {
  const { target, flinkVersion } = input;
  const name = sessionName(target.name);
  const namespace = target.namespace;
  const options = target.flinkConfiguration ?? {};
  const p = sessionPaths(target);
  const s = target.session;
  const labels = (component: 'config' | 'jobmanager' | 'taskmanager'): Record<string, string> => ({
    [LABELS.managedBy]: 'sluice',
    [LABELS.name]: 'flink',
    [LABELS.instance]: name,
    [LABELS.component]: component,
    [LABELS.target]: target.name,
    [LABELS.space]: input.space,
    [LABELS.session]: target.name,
  });
  const meta = (suffix: string, component: 'jobmanager' | 'taskmanager'): V1ObjectMeta => ({
    name: `${name}-${suffix}`,
    namespace,
    labels: labels(component),
    ...(input.rootUid ? { ownerReferences: ownedByRoot(name, input.rootUid) } : {}),
  });
  const confFiles = [configFileName(flinkVersion), 'log4j-console.properties', 'log4j.properties'];
  const root = rootConfigMap(name, namespace, labels('config'), flinkVersion, s.taskManagers, {
    [configFileName(flinkVersion)]: renderConfig(sessionConfiguration(input)),
    'log4j-console.properties': LOG4J_CONSOLE,
    // The SQL Gateway's JVM is started as Flink's scripts start it, which read log4j.properties.
    'log4j.properties': LOG4J_CONSOLE,
  });
  const selector = (role: 'jobmanager' | 'taskmanager') => ({
    [LABELS.session]: target.name,
    [LABELS.component]: role,
  });
  const service = jobManagerService(meta('jobmanager', 'jobmanager'), selector('jobmanager'), {
    gateway: GATEWAY_PORT,
  });
  const shared = sharedFolderVolumes(target, [{ name: 'session', folder: p.dir, type: 'DirectoryOrCreate' }]);
  const volumes: V1Volume[] = [
    {
      name: 'flink-config',
      configMap: { name: `${name}-config`, items: confFiles.map((f) => ({ key: f, path: f })) },
    },
    ...shared.volumes,
  ];
  const mounts: V1VolumeMount[] = [{ name: 'flink-config', mountPath: CONF_DIR }, ...shared.mounts];
  const gateway = sqlGatewayContainer({
    target,
    gatewayJars: input.gatewayJars.map((j) => path.join(p.lib, j)),
    mounts,
  });
  const deployment = (role: 'jobmanager' | 'taskmanager', replicas: number): V1Deployment => {
    const flink = flinkContainer(
      target,
      role,
      [role],
      input.jobManagerAddress,
      resourcesOf(options, role, role === 'jobmanager' ? s.jobManagerMemory : s.taskManagerMemory),
      mounts,
      reporterPort(options),
    );
    return flinkDeployment(
      meta(role, role),
      selector(role),
      replicas,
      mergePodTemplate(podCustomizationOf(options, role, input.podTemplates ?? {}), {
        metadata: { labels: labels(role), annotations: prometheusAnnotations(reporterPort(options)) },
        spec: {
          ...flinkPodBase(target),
          containers: role === 'jobmanager' ? [flink, gateway] : [flink],
          volumes,
        },
      }),
    );
  };
  return {
    root,
    service,
    jobManager: deployment('jobmanager', 1),
    taskManagers: deployment('taskmanager', s.taskManagers),
  };
}

/**
 * The SQL Gateway as a container beside the JobManager: the image's Flink jars and the engine's SQL
 * Gateway jars (paths in the pod), its configuration from `/opt/flink/conf` (a volume in `mounts`),
 * `args` for the gateway's own `-Dkey=value` options and `env` added to its environment.
 */
export function sqlGatewayContainer(o: {
  target: KubernetesTargetSpec & { session: KubernetesSession };
  gatewayJars: string[];
  mounts: V1VolumeMount[];
  args?: string[];
  env?: V1EnvVar[];
}): V1Container {
  const { target } = o;
  const gatewayBytes = parseMemorySize(target.session.gatewayMemory) ?? 0;
  return {
    name: 'sql-gateway',
    image: target.image,
    imagePullPolicy: target.imagePullPolicy,
    command: [
      'java',
      ...flinkJvmArgs({
        jvmArgs: [`-Xmx${jvmMemoryFlag(gatewayBytes)}`],
        // The target's options only: the pod does not take this machine's FLINK_ENV_JAVA_OPTS.
        javaOptions: flinkJavaOptions(target.flinkConfiguration ?? {}, 'sql-gateway', {}),
        confDir: CONF_DIR,
        logFile: '/opt/flink/log/sql-gateway.log',
        classpath: ['/opt/flink/lib/*', ...o.gatewayJars],
        mainClass: 'org.apache.flink.table.gateway.SqlGateway',
        args: o.args ?? [],
      }),
    ],
    env: [{ name: 'FLINK_CONF_DIR', value: CONF_DIR }, ...(o.env ?? [])],
    ports: [{ name: 'gateway', containerPort: GATEWAY_PORT, protocol: 'TCP' }],
    resources: {
      requests: { cpu: DEFAULT_CPU.jobmanager, memory: mib(gatewayBytes + GATEWAY_OVERHEAD) },
      limits: { memory: mib(gatewayBytes + GATEWAY_OVERHEAD) },
    },
    volumeMounts: o.mounts,
  };
}

const mib = (bytes: number): string => `${Math.ceil(bytes / (1024 * 1024))}Mi`;
