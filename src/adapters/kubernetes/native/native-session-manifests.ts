import type { V1Pod } from '@kubernetes/client-node';
import {
  renderSessionDeployment,
  sessionClusterId,
  sessionLabels,
  type OperatorSessionInput,
} from '../operator/operator-session-manifests.ts';
import { DEFAULT_CPU, LABELS } from '../standalone/standalone-manifests.ts';
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
 * at the target's size, the shared folder in every pod, the SQL Gateway as a second container in the
 * JobManager's pod with its ConfigMap and Service), handed to the client instead of the operator.
 * The gateway's objects are owned by the JobManager Deployment here. Pure.
 */

const labelsOf = (input: OperatorSessionInput, component: 'jobmanager' | 'taskmanager') => ({
  ...sessionLabels(input.target, input.space),
  [LABELS.component]: component,
});

/**
 * The client's configuration: the operator session's Flink configuration and what the operator would
 * add (cluster id, image, service account, memory, CPU), Sluice's labels on the JobManager Deployment
 * and both roles' pods (a status and a restarted platform find them by these).
 */
export function nativeSessionConfiguration(
  input: OperatorSessionInput,
  files: NativeClusterFiles,
): Record<string, string> {
  const { target } = input;
  const s = target.session;
  const options = target.flinkConfiguration ?? {};
  return {
    ...clientConfiguration(
      target,
      sessionClusterId(target.name),
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
 * options' pod settings under Sluice's; the JobManager's with the SQL Gateway container) as files.
 */
export function nativeSessionPodTemplates(input: OperatorSessionInput): {
  jobmanager: V1Pod;
  taskmanager: V1Pod;
} {
  const fd = renderSessionDeployment(input);
  return {
    jobmanager: podTemplateFile(fd.spec.podTemplate, fd.spec.jobManager.podTemplate),
    taskmanager: podTemplateFile(fd.spec.podTemplate, fd.spec.taskManager.podTemplate),
  };
}
