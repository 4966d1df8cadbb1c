import path from 'node:path';
import type { V1ConfigMap, V1OwnerReference, V1Pod, V1Service } from '@kubernetes/client-node';
import { configFileName, renderConfig } from '../../flink/local-cluster/flink-config.ts';
import { withoutPodOptions } from '../pod-template.ts';
import {
  renderSessionDeployment,
  sessionLabels,
  targetFolder,
  type OperatorSessionInput,
} from '../operator/operator-session-manifests.ts';
import {
  CONF_DIR,
  GATEWAY_PORT,
  sessionName,
  sessionPaths,
  sqlGatewayContainer,
} from '../standalone/session-manifests.ts';
import { DEFAULT_CPU, LABELS, LOG4J_CONSOLE, stateDirs } from '../standalone/standalone-manifests.ts';
import {
  clientConfiguration,
  flinkMap,
  podTemplateFile,
  type NativeClusterFiles,
} from './native-manifests.ts';

/**
 * A session target of Flink's native way: one session cluster that Flink's own client makes
 * (`kubernetes-session.sh`), whose JobManager makes its TaskManager pods. Its configuration and pod
 * templates are the operator's session's (operator-session-manifests.ts: Kubernetes HA, the slots held
 * at the target's size, the shared folder in every pod), handed to the client instead of the
 * operator, with the SQL Gateway as a second container in the JobManager's pod template (as the
 * standalone session runs it beside its JobManager). The gateway reads its own small configuration
 * (a ConfigMap Sluice applies) and submits to the JobManager at its pod's IP; Sluice reaches it through
 * a Service of its own, owned by the JobManager Deployment. Pure.
 */
export interface NativeSessionInput extends OperatorSessionInput {
  /** The SQL Gateway jars' file names in the session's lib folder (copied from the engine). */
  gatewayJars: string[];
}

/** The session's cluster id (its JobManager Deployment's name): Flink allows at most 45 characters. */
export const nativeSessionClusterId = (target: string): string =>
  sessionName(target).slice(0, 45).replace(/-+$/, '');

/** The Service Sluice reaches the SQL Gateway by, and the gateway's configuration. */
export const gatewayServiceName = (target: string): string => `${nativeSessionClusterId(target)}-gateway`;
export const gatewayConfigName = (target: string): string =>
  `${nativeSessionClusterId(target)}-gateway-config`;

const labelsOf = (input: NativeSessionInput, component: 'config' | 'jobmanager' | 'taskmanager') => ({
  ...sessionLabels(input.target, input.space),
  [LABELS.component]: component,
});

/**
 * The client's configuration: the operator session's Flink configuration and what the operator would
 * add (cluster id, image, service account, memory, CPU), Sluice's labels on the JobManager Deployment
 * and both roles' pods (a status and a restarted platform find them by these).
 */
export function nativeSessionConfiguration(
  input: NativeSessionInput,
  files: NativeClusterFiles,
): Record<string, string> {
  const { target } = input;
  const s = target.session;
  const options = target.flinkConfiguration ?? {};
  return {
    ...clientConfiguration(
      target,
      nativeSessionClusterId(target.name),
      files,
      renderSessionDeployment(input).spec.flinkConfiguration,
      options,
    ),
    'execution.target': 'kubernetes-session',
    'kubernetes.jobmanager.labels': flinkMap(labelsOf(input, 'jobmanager')),
    'kubernetes.taskmanager.labels': flinkMap(labelsOf(input, 'taskmanager')),
    'kubernetes.jobmanager.annotations': flinkMap({ 'sluice.dev/flink-version': input.flinkVersion }),
    'kubernetes.jobmanager.cpu.amount': DEFAULT_CPU.jobmanager,
    'kubernetes.taskmanager.cpu.amount': DEFAULT_CPU.taskmanager,
    'jobmanager.memory.process.size': s.jobManagerMemory,
    'taskmanager.memory.process.size': s.taskManagerMemory,
  };
}

/**
 * Both roles' pod template files: the operator session's templates (the user's template and the
 * options' pod settings under Sluice's), the JobManager's with the SQL Gateway container, which reads
 * its configuration ConfigMap and the gateway jars from the shared folder, and is told the pod's IP
 * (the JobManager's REST address in the pod, whatever address Flink binds it to).
 */
export function nativeSessionPodTemplates(input: NativeSessionInput): {
  jobmanager: V1Pod;
  taskmanager: V1Pod;
} {
  const { target } = input;
  const fd = renderSessionDeployment(input);
  const jobmanager = podTemplateFile(fd.spec.podTemplate, fd.spec.jobManager.podTemplate);
  const lib = sessionPaths(target).lib;
  const gateway = sqlGatewayContainer({
    target,
    gatewayJars: input.gatewayJars.map((j) => path.join(lib, j)),
    mounts: [
      { name: 'gateway-config', mountPath: CONF_DIR },
      { name: 'shared', mountPath: targetFolder(target) },
    ],
    args: ['-Drest.address=$(POD_IP)', '-Dsql-gateway.endpoint.rest.address=$(POD_IP)'],
    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
  });
  jobmanager.spec = {
    ...jobmanager.spec!,
    containers: [...jobmanager.spec!.containers, gateway],
    volumes: [
      ...(jobmanager.spec!.volumes ?? []),
      { name: 'gateway-config', configMap: { name: gatewayConfigName(target.name) } },
    ],
  };
  return {
    jobmanager,
    taskmanager: podTemplateFile(fd.spec.podTemplate, fd.spec.taskManager.podTemplate),
  };
}

/**
 * The SQL Gateway's configuration: the JobManager's REST port (its address is the pod's, given on the
 * command line), the session's state folders as every job's defaults, the target's options.
 */
export function gatewayConfiguration(input: NativeSessionInput): Record<string, string> {
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

/** The gateway's configuration ConfigMap; `owner`: the JobManager Deployment, once it exists. */
export function gatewayConfigMap(input: NativeSessionInput, owner: V1OwnerReference[] | null): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: gatewayConfigName(input.target.name),
      namespace: input.target.namespace,
      labels: labelsOf(input, 'config'),
      ...(owner ? { ownerReferences: owner } : {}),
    },
    data: {
      [configFileName(input.flinkVersion)]: renderConfig(gatewayConfiguration(input)),
      // The SQL Gateway's JVM is started as Flink's scripts start it, which read log4j.properties.
      'log4j.properties': LOG4J_CONSOLE,
    },
  };
}

/** The Service Sluice reaches the gateway by (through the API server's proxy), owned by the JobManager Deployment. */
export function gatewayService(input: NativeSessionInput, owner: V1OwnerReference[]): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: gatewayServiceName(input.target.name),
      namespace: input.target.namespace,
      labels: labelsOf(input, 'jobmanager'),
      ownerReferences: owner,
    },
    spec: {
      type: 'ClusterIP',
      selector: { [LABELS.session]: input.target.name, [LABELS.component]: 'jobmanager' },
      ports: [{ name: 'gateway', port: GATEWAY_PORT, targetPort: GATEWAY_PORT, protocol: 'TCP' }],
    },
  };
}
