import type {
  V1Deployment,
  V1Ingress,
  V1OwnerReference,
  V1Pod,
  V1PodSpec,
  V1PodTemplateSpec,
} from '@kubernetes/client-node';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { JAVA17_FLAGS } from '../../flink/local-cluster/jvm.ts';
import { restExposureOf, restIngress } from '../exposure.ts';
import { mergePodTemplate } from '../pod-template.ts';
import { prometheusAnnotations, reporterPort } from '../prometheus-pods.ts';
import { clusterName, effectiveOptions } from '../standalone/standalone-manifests.ts';
import {
  flinkPodTemplates,
  labelsOf,
  operatorFlinkConfiguration,
  roleResource,
  type FlinkDeploymentInput,
} from '../operator/operator-manifests.ts';
import { USRLIB } from '../artifact-fetch.ts';

/**
 * One job as Flink's own Kubernetes client deploys it (native application mode, Jidu's way): the
 * Flink configuration the client is run with and the two pod template files it reads. The client
 * makes the JobManager Deployment (`<cluster-id>`), its `<cluster-id>-rest` Service and its ConfigMaps;
 * the JobManager makes the TaskManager pods. What the pods need (the shared folder's volumes, the plan
 * Secret, the user's pod template and the options' pod settings) is what the operator way gives them
 * (operator-manifests.ts), rendered into Flink's pod template files. Pure.
 */
export interface NativeClusterFiles {
  /** Where the client finds each role's pod template (a file Sluice writes from `nativePodTemplate`). */
  jobManagerPodTemplate: string;
  taskManagerPodTemplate: string;
}

/** `k1:v1,k2:v2`, Flink's map option format. */
export const flinkMap = (m: Record<string, string>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k}:${v}`)
    .join(',');

/**
 * What Flink's client needs of the target for any cluster it makes: the Java flags of the official
 * image's own config.yaml (the client's configuration replaces that file), the cluster id, namespace,
 * kubeconfig, image, service account, the pod template files, the REST Service's type. Operator-only
 * keys of `base` are left out; the rest of `base` is under what the target says.
 */
export function clientConfiguration(
  target: KubernetesTargetSpec,
  clusterId: string,
  files: NativeClusterFiles,
  base: Record<string, string>,
  options: Record<string, string>,
): Record<string, string> {
  return {
    'env.java.default-opts.all': JAVA17_FLAGS.join(' '),
    ...Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith('kubernetes.operator.'))),
    'kubernetes.cluster-id': clusterId,
    'kubernetes.namespace': target.namespace,
    ...(target.kubeconfig ? { 'kubernetes.config.file': target.kubeconfig } : {}),
    ...(target.context ? { 'kubernetes.context': target.context } : {}),
    'kubernetes.container.image.ref': target.image,
    'kubernetes.container.image.pull-policy': target.imagePullPolicy,
    ...(target.imagePullSecrets.length
      ? { 'kubernetes.container.image.pull-secrets': target.imagePullSecrets.join(';') }
      : {}),
    ...(target.serviceAccount ? { 'kubernetes.service-account': target.serviceAccount } : {}),
    'kubernetes.pod-template-file.jobmanager': files.jobManagerPodTemplate,
    'kubernetes.pod-template-file.taskmanager': files.taskManagerPodTemplate,
    // Sluice reaches the REST through the API server's service proxy: no LoadBalancer is needed.
    'kubernetes.rest-service.exposed.type': options['kubernetes.rest-service.exposed.type'] ?? 'ClusterIP',
  };
}

/**
 * The configuration of the client's run: the operator way's (Kubernetes HA always on, the shared
 * folder's state paths, the reserved job id, the job's options) with what the operator would add itself
 * (cluster id, namespace, image, service account, resources) and the kubeconfig of the target.
 */
export function nativeConfiguration(
  input: FlinkDeploymentInput,
  files: NativeClusterFiles,
): Record<string, string> {
  const { spec, target } = input;
  const r = spec.resources;
  const options = effectiveOptions(target, spec);
  const jm = roleResource(spec, 'jobmanager');
  const tm = roleResource(spec, 'taskmanager');
  return {
    ...clientConfiguration(
      target,
      clusterName(spec.jobName, spec.flinkJobId),
      files,
      operatorFlinkConfiguration(input),
      options,
    ),
    'execution.target': 'kubernetes-application',
    // The JobManager Deployment and the TaskManager pods carry Sluice's labels: one pod watch finds
    // every way's pods, and a restarted platform finds the Deployment to adopt by them.
    'kubernetes.jobmanager.labels': flinkMap(labelsOf(target, spec, 'jobmanager')),
    'kubernetes.taskmanager.labels': flinkMap(labelsOf(target, spec, 'taskmanager')),
    'kubernetes.jobmanager.annotations': flinkMap({
      'sluice.dev/task-managers': String(r.taskManagers),
      ...prometheusAnnotations(reporterPort(options)),
    }),
    'kubernetes.taskmanager.annotations': flinkMap(prometheusAnnotations(reporterPort(options))),
    'kubernetes.jobmanager.cpu.amount': String(jm.cpu),
    'kubernetes.taskmanager.cpu.amount': String(tm.cpu),
    'jobmanager.memory.process.size': jm.memory,
    'taskmanager.memory.process.size': tm.memory,
    // The JobManager asks for as many TaskManagers as the job's parallelism fills.
    'parallelism.default': String(r.taskManagers * r.slotsPerTaskManager),
    // The JobManager stays after the job ends, so that its final state and cause can be read; the
    // release deletes it.
    'execution.shutdown-on-application-finish': 'false',
    'execution.submit-failed-job-on-application-error': 'true',
    ...(spec.savepoint
      ? {
          'execution.savepoint.path': spec.savepoint,
          'execution.savepoint.ignore-unclaimed-state': String(spec.allowNonRestoredState),
        }
      : {}),
  };
}

/** Flink's config.yaml of a configuration: every key and value a JSON string, which YAML reads as it is. */
export function configYaml(config: Record<string, string>): string {
  return (
    Object.entries(config)
      .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join('\n') + '\n'
  );
}

/**
 * A role's pod template file: the role's template (the user's and the options' under Sluice's) merged
 * over the common one by container and volume name, as the operator would merge them, as a Pod.
 */
export function nativePodTemplate(input: FlinkDeploymentInput, role: 'jobmanager' | 'taskmanager'): V1Pod {
  const t = flinkPodTemplates(input);
  return podTemplateFile(t.common, t[role]);
}

/** A role's template over the common one (as the operator merges them), as the Pod of a template file. */
export function podTemplateFile(common: V1PodTemplateSpec, role: V1PodTemplateSpec): V1Pod {
  const merged = mergePodTemplate(
    { labels: {}, annotations: {}, nodeSelector: {}, tolerations: [], template: common, templateFile: null },
    role,
  );
  return { apiVersion: 'v1', kind: 'Pod', metadata: merged.metadata ?? {}, spec: merged.spec! };
}

/**
 * The ConfigMaps and Secrets a pod cannot start without (its volumes, projected ones included, not
 * marked optional): a JobManager Deployment whose pod names one that does not exist waits in
 * ContainerCreating forever. Flink's client makes several after the Deployment (`flink-config-`,
 * `pod-template-`, Hadoop's), so all are read from the Deployment rather than listed by name here.
 */
export function mountedObjectsOf(
  spec: V1PodSpec | undefined,
): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const objects = new Map<string, { kind: 'ConfigMap' | 'Secret'; name: string }>();
  const add = (kind: 'ConfigMap' | 'Secret', ref: { name?: string; optional?: boolean } | undefined) => {
    if (ref?.name && !ref.optional) objects.set(`${kind} ${ref.name}`, { kind, name: ref.name });
  };
  for (const v of spec?.volumes ?? []) {
    add('ConfigMap', v.configMap);
    add('Secret', v.secret && { name: v.secret.secretName, optional: v.secret.optional });
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap);
      add('Secret', s.secret);
    }
  }
  return [...objects.values()];
}

/** The owner reference to a JobManager Deployment: deleting the cluster removes what it owns. */

export const ownedByDeployment = (deployment: V1Deployment): V1OwnerReference[] => [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: deployment.metadata!.name!,
    uid: deployment.metadata!.uid!,
  },
];

/** Flink's default `rest.port`: the port of the `<cluster-id>-rest` Service Flink's client makes. */
const REST_PORT = 8081;

/**
 * The Ingress to a native cluster's Web UI, as the standalone way renders it (exposure.ts: host or path
 * of `sluice.ingress.template`, `sluice.ingress.class-name`, `sluice.ingress.annotations`), to the
 * `<cluster-id>-rest` Service Flink's client makes. Flink has no option for an Ingress, so Sluice applies
 * it once the client made the JobManager Deployment, owned by that Deployment (`owner`) so that it goes
 * with the cluster, blocking its deletion as Flink's client's own objects do (a release's Foreground
 * deletion ends once the Ingress is gone too). Null when the options ask for none; a bad
 * template is refused here, before anything is made.
 */
export function nativeIngress(
  input: FlinkDeploymentInput,
  owner: V1OwnerReference[] | null,
): V1Ingress | null {
  const { spec, target } = input;
  const name = clusterName(spec.jobName, spec.flinkJobId);
  const options = effectiveOptions(target, spec);
  const exposure = restExposureOf(options, { name, namespace: target.namespace, job: spec.jobName });
  if (!exposure.ingress) return null;
  return restIngress(
    exposure.ingress,
    {
      name: `${name}-rest`,
      namespace: target.namespace,
      labels: labelsOf(target, spec, 'jobmanager'),
      ...(owner ? { ownerReferences: owner.map((o) => ({ ...o, blockOwnerDeletion: true })) } : {}),
    },
    `${name}-rest`,
    Number(options['rest.port'] ?? REST_PORT),
  );
}

/**
 * The client's command line: `run-application --target kubernetes-application` (Flink 1.x; 2.0 removed
 * the action, whose work `run` does there), the program's jar as the pods see it and its arguments.
 */
export function runApplicationArgs(input: FlinkDeploymentInput): string[] {
  const action = Number(input.flinkVersion.split('.')[0]) >= 2 ? 'run' : 'run-application';
  return [
    action,
    '--target',
    'kubernetes-application',
    '--class',
    input.program.entryClass,
    `local://${USRLIB}/${input.program.jar}`,
    ...input.program.args,
  ];
}
