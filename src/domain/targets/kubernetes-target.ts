import path from 'node:path';
import { checkSessionResources, TARGET_NAME } from '../clusters/local-cluster-spec.ts';
import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { KUBERNETES_SESSION_DEFAULTS, type KubernetesSession } from './kubernetes-session.ts';
import type { TargetKindName } from './target-kinds.ts';

export { KUBERNETES_SESSION_DEFAULTS, type KubernetesSession };

/**
 * How a Kubernetes target runs a job's Flink cluster: through the Flink Kubernetes Operator
 * (FlinkDeployment / FlinkSessionJob resources), through Flink's native Kubernetes mode (Flink's own
 * client creates the JobManager, the JobManager its TaskManager pods), or standalone (Sluice renders and
 * applies the JobManager and TaskManager Deployments, Services and ConfigMap itself).
 */
export type KubernetesMode = 'operator' | 'native' | 'standalone';
export const KUBERNETES_MODES: readonly KubernetesMode[] = ['operator', 'native', 'standalone'];

/** The registry's kind of a Kubernetes target by its mode, and whether it runs one session cluster. */
export const kubernetesKindOf = (mode: KubernetesMode, session = false): TargetKindName =>
  session ? `kubernetes-${mode}-session` : `kubernetes-${mode}`;

/**
 * A Kubernetes deployment target as it is registered and stored: one Kubernetes cluster (from a
 * kubeconfig file, or the service account of the pod Sluice runs in) and one namespace, one way to
 * run jobs there, one engine version with its image.
 */
export interface KubernetesTargetSpec {
  name: string;
  /** The Flink minor version jobs on this target name (`1.20`), as for every target. */
  engineVersion: string;
  /** A kubeconfig file; null: the in-cluster service account (Sluice running in a pod). */
  kubeconfig: string | null;
  /** The kubeconfig's context; null: its current context. */
  context: string | null;
  namespace: string;
  mode: KubernetesMode;
  /** The Flink image of the engine version (the official `flink:<version>-java17` or one of the user's registry). */
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  imagePullSecrets: string[];
  /** The service account of the JobManager pods (native mode and Kubernetes HA need it to create pods and ConfigMaps); null: the namespace's default. */
  serviceAccount: string | null;
  /**
   * A folder that Sluice and every node see at the same path, mounted into the pods at that path
   * (hostPath, or the claim `sharedClaim`): job jars, SQL runner plans, savepoints and checkpoints.
   * Null when none is shared.
   */
  sharedDir: string | null;
  /**
   * A PersistentVolumeClaim in the namespace whose volume holds what `sharedDir` holds on Sluice's
   * machine (its root is `sharedDir`: NFS, CephFS... mounted there): the pods mount it, each folder by
   * its `subPath`, at the same paths, instead of hostPath volumes. Null or absent (targets registered
   * before it existed): hostPath.
   */
  sharedClaim?: string | null;
  /**
   * Flink options every job on the target gets under its own (the job's value wins): pod defaults
   * such as `kubernetes.taskmanager.tolerations`, `kubernetes.rest-service.exposed.type`, and the
   * Ingress of each job's Web UI (`sluice.ingress.template`, `sluice.ingress.class-name`,
   * `sluice.ingress.annotations`). Absent in targets registered before it existed.
   */
  flinkConfiguration?: Record<string, string>;
  /**
   * The platform's URL as the pods see it (`http://10.0.0.5:8080`): an init container fetches each
   * run's jars from it with a token scoped to that run, so no folder needs to be shared for them. Null:
   * the jars go through the shared folder. Absent in targets registered before it existed.
   */
  platformUrl?: string | null;
  /**
   * `s3`: the pods fetch each run's jars straight from the platform's S3-compatible artifact bucket, by
   * presigned URLs that Sluice writes into the run's Secret (no credentials in the pods, and no route
   * from the pods to Sluice). Needs the server's artifacts in S3. Absent or null: the platform URL or
   * the shared folder.
   */
  artifactsFrom?: 's3' | null;
  /**
   * The bucket's endpoint as the pods reach it, when it differs from the server's
   * (SLUICE_ARTIFACT_S3_ENDPOINT): the presigned URLs name it. Only with `artifactsFrom: 's3'`.
   */
  s3EndpointForPods?: string | null;
  /**
   * The image carries the connectors (Kafka, JDBC) a job's SQL names, in its own lib: a job's run then
   * gets none from the engine's lib. Absent or false (the official image, which has none): each run
   * of a SQL job gets the engine's jars of the connectors its tables name with its own jars.
   */
  connectorsInImage?: boolean;
  /**
   * Operator mode: how the operator carries a running job's state into a changed spec (an upgrade in
   * place) and through a suspension: `savepoint` (a savepoint first), `last-state` (the latest
   * checkpoint and HA data, without stopping it first), `stateless` (empty state). Absent on other
   * modes and on operator targets registered before it existed (then `savepoint`).
   */
  upgradeMode?: UpgradeMode;
  /**
   * Set: the target is one session cluster that Sluice runs in the namespace (started and stopped
   * as a local session cluster is), and its jobs are submitted to it through its SQL Gateway or Flink
   * REST. Absent or null: each job gets a cluster of its own.
   */
  session?: KubernetesSession | null;
}

/** The Flink Kubernetes Operator's `job.upgradeMode`, in its own words. */
export type UpgradeMode = 'savepoint' | 'last-state' | 'stateless';
export const UPGRADE_MODES: readonly UpgradeMode[] = ['savepoint', 'last-state', 'stateless'];

/** An operator target's upgrade mode: `savepoint` when it names none. */
export const upgradeModeOf = (spec: KubernetesTargetSpec): UpgradeMode => spec.upgradeMode ?? 'savepoint';

/**
 * An upgrade in place with `last-state` restores the job from its HA data, which Flink keys by the
 * job's id: the new version keeps the running job's Flink job id. The other modes give it a new one.
 */
export const keepsFlinkJobId = (mode: UpgradeMode): boolean => mode === 'last-state';

/** What carries a job's state through an upgrade in place with the mode, in the operator's terms. */
export function carriedState(mode: UpgradeMode, savepoint: string | null): string {
  if (mode === 'savepoint') return `savepoint ${savepoint ?? '(none reported)'} (upgrade mode savepoint)`;
  if (mode === 'last-state') return 'its latest checkpoint, found by its HA data (upgrade mode last-state)';
  return 'no state: the new version starts empty (upgrade mode stateless)';
}

/** The official image of a Flink version, as Docker Hub tags it (`flink:1.20.3-java17`). */
export const officialFlinkImage = (flinkVersion: string): string => `flink:${flinkVersion}-java17`;

export const IMAGE_PULL_POLICIES: readonly KubernetesTargetSpec['imagePullPolicy'][] = [
  'Always',
  'IfNotPresent',
  'Never',
];

/** What a registration names; the rest takes its default (the engine's official image, IfNotPresent...). */
export interface KubernetesTargetInput {
  name: string;
  engineVersion: string;
  kubeconfig?: string | null;
  context?: string | null;
  namespace: string;
  mode: string;
  image?: string | null;
  imagePullPolicy?: string | null;
  imagePullSecrets?: string[];
  serviceAccount?: string | null;
  sharedDir?: string | null;
  sharedClaim?: string | null;
  flinkConfiguration?: Record<string, string>;
  platformUrl?: string | null;
  artifactsFrom?: string | null;
  s3EndpointForPods?: string | null;
  connectorsInImage?: boolean | null;
  upgradeMode?: string | null;
  /** Present: a session target, its sizes over the defaults. */
  session?: Partial<KubernetesSession> | null;
}

/** A DNS-1123 label: a namespace's name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain: the name of a service account or a secret. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An image reference as a container spec takes it: [registry[:port]/]path[:tag][@digest], no spaces. */
const IMAGE_REF =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/i;

/**
 * The spec of a Kubernetes target from what a registration names, or the first wrong field with how
 * to fix it. `flinkVersion` is the engine's full Flink version, whose official image is the default.
 */
export function kubernetesTargetSpecOf(
  input: KubernetesTargetInput,
  flinkVersion: string,
): KubernetesTargetSpec {
  if (!TARGET_NAME.test(input.name)) throw invalid('name', message('target.badName', { name: input.name }));
  if (!(KUBERNETES_MODES as readonly string[]).includes(input.mode))
    throw invalid('mode', message('kubernetes.badMode', { mode: input.mode }));
  if (!DNS_LABEL.test(input.namespace))
    throw invalid('namespace', message('kubernetes.badNamespace', { namespace: input.namespace }));
  const kubeconfig = input.kubeconfig || null;
  if (kubeconfig !== null && !path.isAbsolute(kubeconfig))
    throw invalid('kubeconfig', message('kubernetes.kubeconfigNotAbsolute', { kubeconfig }));
  const context = input.context || null;
  if (context !== null && kubeconfig === null)
    throw invalid('context', message('kubernetes.contextWithoutKubeconfig', { context }));
  const image = input.image || officialFlinkImage(flinkVersion);
  if (!IMAGE_REF.test(image)) throw invalid('image', message('kubernetes.badImage', { image }));
  const imagePullPolicy = input.imagePullPolicy || 'IfNotPresent';
  if (!(IMAGE_PULL_POLICIES as readonly string[]).includes(imagePullPolicy))
    throw invalid('imagePullPolicy', message('kubernetes.badPullPolicy', { value: imagePullPolicy }));
  const imagePullSecrets = input.imagePullSecrets ?? [];
  for (const s of imagePullSecrets)
    if (!DNS_SUBDOMAIN.test(s))
      throw invalid('imagePullSecrets', message('kubernetes.badObjectName', { value: s, what: 'secret' }));
  const serviceAccount = input.serviceAccount || null;
  if (serviceAccount !== null && !DNS_SUBDOMAIN.test(serviceAccount))
    throw invalid(
      'serviceAccount',
      message('kubernetes.badObjectName', { value: serviceAccount, what: 'service account' }),
    );
  const sharedDir = input.sharedDir || null;
  if (sharedDir !== null && (!path.isAbsolute(sharedDir) || sharedDir.includes('\0')))
    throw invalid('sharedDir', message('kubernetes.sharedDirNotAbsolute', { dir: sharedDir }));
  const sharedClaim = input.sharedClaim || null;
  if (sharedClaim !== null && !DNS_SUBDOMAIN.test(sharedClaim))
    throw invalid(
      'sharedClaim',
      message('kubernetes.badObjectName', { value: sharedClaim, what: 'persistent volume claim' }),
    );
  // The claim's root is the shared folder: without the folder, nothing says where its files are.
  if (sharedClaim !== null && sharedDir === null)
    throw invalid('sharedClaim', message('kubernetes.claimWithoutSharedDir', { claim: sharedClaim }));
  const platformUrl = input.platformUrl || null;
  if (platformUrl !== null && !httpUrl(platformUrl))
    throw invalid('platformUrl', message('kubernetes.badPlatformUrl', { url: platformUrl }));
  const artifacts = artifactsFromOf(input, platformUrl);
  const upgradeMode = input.upgradeMode || null;
  if (upgradeMode !== null && !(UPGRADE_MODES as readonly string[]).includes(upgradeMode))
    throw invalid('upgradeMode', message('kubernetes.badUpgradeMode', { value: upgradeMode }));
  if (upgradeMode !== null && input.mode !== 'operator')
    throw invalid(
      'upgradeMode',
      message('kubernetes.upgradeModeNotOperator', { value: upgradeMode, mode: input.mode }),
    );
  const session = input.session ? sessionOf(input.session, sharedDir) : null;
  // The JobManager keeps Kubernetes HA's data in ConfigMaps as its service account, which the
  // namespace's default account may not do: a standalone target asking for HA names its account. (The
  // native and operator ways always run HA; their accounts are checked at registration too.)
  if (input.mode === 'standalone' && wantsKubernetesHa(input.flinkConfiguration ?? {}) && !serviceAccount)
    throw invalid(
      'serviceAccount',
      message('kubernetes.haNeedsServiceAccount', { target: input.name, namespace: input.namespace }),
    );
  return {
    name: input.name,
    engineVersion: input.engineVersion,
    kubeconfig,
    context,
    namespace: input.namespace,
    mode: input.mode as KubernetesMode,
    image,
    imagePullPolicy: imagePullPolicy as KubernetesTargetSpec['imagePullPolicy'],
    imagePullSecrets,
    serviceAccount,
    sharedDir: sharedDir === null ? null : path.normalize(sharedDir),
    ...(sharedClaim !== null ? { sharedClaim } : {}),
    ...(input.flinkConfiguration && Object.keys(input.flinkConfiguration).length
      ? { flinkConfiguration: { ...input.flinkConfiguration } }
      : {}),
    platformUrl: platformUrl === null ? null : platformUrl.replace(/\/+$/, ''),
    ...artifacts,
    ...(input.connectorsInImage ? { connectorsInImage: true } : {}),
    ...(input.mode === 'operator' ? { upgradeMode: (upgradeMode ?? 'savepoint') as UpgradeMode } : {}),
    ...(session ? { session } : {}),
  };
}

/**
 * `artifactsFrom` and the pods' S3 endpoint, checked: only `s3`, for the standalone way's application
 * clusters (the only way whose init container is built), not beside a platform URL (one way per target).
 */
function artifactsFromOf(
  input: KubernetesTargetInput,
  platformUrl: string | null,
): Pick<KubernetesTargetSpec, 'artifactsFrom' | 's3EndpointForPods'> {
  const from = input.artifactsFrom || null;
  const endpoint = input.s3EndpointForPods || null;
  if (from === null) {
    if (endpoint !== null)
      throw invalid('s3EndpointForPods', message('kubernetes.s3EndpointWithoutS3', { endpoint }));
    return {};
  }
  if (from !== 's3') throw invalid('artifactsFrom', message('kubernetes.badArtifactsFrom', { value: from }));
  // A session's cluster outlives its jobs' runs: its jars come from the shared folder.
  if (input.session)
    throw invalid(
      'artifactsFrom',
      message('kubernetes.s3ArtifactsNotBuilt', { target: input.name, way: `${input.mode} session` }),
    );
  if (platformUrl !== null)
    throw invalid('artifactsFrom', message('kubernetes.s3ArtifactsWithPlatformUrl', { url: platformUrl }));
  if (endpoint !== null && !httpUrl(endpoint))
    throw invalid('s3EndpointForPods', message('kubernetes.badS3EndpointForPods', { url: endpoint }));
  return {
    artifactsFrom: 's3',
    ...(endpoint !== null ? { s3EndpointForPods: endpoint.replace(/\/+$/, '') } : {}),
  };
}

/** Kubernetes HA is asked for by Flink's own option (its short name or its factory's class). */
export function wantsKubernetesHa(options: Record<string, string>): boolean {
  const v = (options['high-availability.type'] ?? options['high-availability'] ?? '').trim();
  return v.toLowerCase() === 'kubernetes' || v.endsWith('KubernetesHaServicesFactory');
}

/**
 * A session target's cluster sizes over the defaults, checked as a local session cluster's are. It
 * needs the shared folder: the SQL Gateway's jar (from the engine) and the jobs' checkpoints and
 * savepoints are there. Every mode's session runs the SQL Gateway beside its JobManager.
 */
function sessionOf(asked: Partial<KubernetesSession>, sharedDir: string | null): KubernetesSession {
  if (sharedDir === null) throw invalid('sharedDir', message('kubernetes.sessionNeedsSharedDir'));
  const session: KubernetesSession = {
    ...KUBERNETES_SESSION_DEFAULTS,
    ...Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== undefined && v !== null)),
  };
  checkSessionResources(session);
  return session;
}

/** An http(s) URL with a host and no query, fragment or credentials: a base the pods add paths to. */
function httpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      u.hostname !== '' &&
      !u.search &&
      !u.hash &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

/**
 * How a run's jars reach its pods: fetched by an init container from the artifact bucket or from the
 * platform, or the shared folder.
 */
export function artifactWay(spec: KubernetesTargetSpec): 's3' | 'platform' | 'shared-folder' | null {
  if (spec.artifactsFrom === 's3') return 's3';
  if (spec.platformUrl) return 'platform';
  return spec.sharedDir ? 'shared-folder' : null;
}

/** One permission a mode needs in the target's namespace, as a SelfSubjectAccessReview asks it. */
export interface KubernetesPermission {
  /** The API group; '' is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
}

const each = (group: string, resource: string, verbs: string[], subresource?: string) =>
  verbs.map((verb): KubernetesPermission => ({
    group,
    resource,
    verb,
    ...(subresource ? { subresource } : {}),
  }));
const MANAGE = ['create', 'get', 'list', 'watch', 'delete'];
const READ = ['get', 'list', 'watch'];
/** What Sluice watches of every job's pods, whatever made them: pods, their logs, events. */
const OBSERVE = [...each('', 'pods', READ), ...each('', 'pods', ['get'], 'log'), ...each('', 'events', READ)];
/** Flink's REST and Web UI of each job, reached through the API server's proxy to its rest Service. */
const REST_PROXY = each('', 'services', ['get'], 'proxy');

/** The API group of the Flink Kubernetes Operator's resources. */
export const OPERATOR_GROUP = 'flink.apache.org';
/** The operator's CRDs the operator mode writes or reads. */
export const OPERATOR_CRDS = ['flinkdeployments', 'flinksessionjobs', 'flinkstatesnapshots'] as const;

/**
 * The permissions a mode needs in the namespace. Standalone: Sluice makes each job's ConfigMap,
 * Secrets, Services and Deployments and watches their pods. Native: the same (Flink's client, in Sluice, makes
 * the JobManager's; the JobManager makes its TaskManager pods as its service account). Operator: the
 * operator's resources; the operator makes the rest, but for the SQL Gateway of the operator's
 * session (`session`), whose ConfigMap and Service Sluice applies beside the session FlinkDeployment.
 * A target whose shared folder is a claim (`sharedClaim`) has it read.
 */
export function requiredPermissions(
  mode: KubernetesMode,
  session = false,
  sharedClaim = false,
): KubernetesPermission[] {
  // The shared folder's claim is read at registration (it exists, it is Bound), only when one is named.
  return [
    ...modePermissions(mode, session),
    ...(sharedClaim ? each('', 'persistentvolumeclaims', ['get']) : []),
  ];
}

function modePermissions(mode: KubernetesMode, session: boolean): KubernetesPermission[] {
  // Applied server-side (a patch, also when it creates): the root ConfigMap, the plan and artifacts
  // Secrets, the Services and Deployments.
  const APPLY = [...MANAGE, 'patch'];
  if (mode === 'operator')
    return [
      ...OPERATOR_CRDS.flatMap((r) => each(OPERATOR_GROUP, r, [...MANAGE, 'update', 'patch'])),
      // The SQL runner's plan Secret, applied server-side (a patch) and owned by its FlinkDeployment.
      ...each('', 'secrets', [...MANAGE, 'patch']),
      // What the operator makes of a job, read: its ConfigMaps (HA, pod templates) and rest Service;
      // the session's SQL Gateway ConfigMap and Service, applied.
      ...each('', 'configmaps', session ? APPLY : READ),
      ...each('', 'services', session ? APPLY : READ),
      ...REST_PROXY,
      ...OBSERVE,
    ];
  return [
    ...each('', 'configmaps', APPLY),
    ...each('', 'secrets', APPLY),
    ...each('', 'services', APPLY),
    ...each('apps', 'deployments', APPLY),
    ...REST_PROXY,
    ...OBSERVE,
  ];
}

/**
 * What the JobManager's service account needs in the native way: it creates and deletes its
 * TaskManager pods (owned by its Deployment, which it reads) and keeps Kubernetes HA's leader and job
 * data in ConfigMaps, which it creates, updates and watches.
 */
export function jobManagerPermissions(): KubernetesPermission[] {
  return [
    ...each('', 'pods', ['create', 'delete', 'get', 'list', 'watch']),
    ...haPermissions(),
    ...each('apps', 'deployments', ['get']),
  ];
}

/**
 * What a JobManager with Kubernetes HA does as its service account: it keeps the leader and its jobs'
 * graphs and checkpoint pointers in ConfigMaps, which it creates, updates, watches and deletes.
 */
export function haPermissions(): KubernetesPermission[] {
  return each('', 'configmaps', ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete']);
}

/** `get pods/log` or `create deployments.apps`, as kubectl names a permission. */
export const permissionText = (p: KubernetesPermission): string =>
  `${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.group ? `.${p.group}` : ''}`;

/**
 * The kubectl commands that grant the missing permissions to who asked: the built-in `edit` role covers
 * the core and apps resources; the operator's resources need a role of their own (its CRDs are not
 * aggregated into `edit`).
 */
export function grantCommand(
  missing: KubernetesPermission[],
  namespace: string,
  user: string | null,
  target: string,
): string {
  const sa = user ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user) : null;
  const subject = sa ? `--serviceaccount=${sa[1]}:${sa[2]}` : `--user=${user ?? '<user>'}`;
  const commands: string[] = [];
  const operator = missing.filter((p) => p.group === OPERATOR_GROUP);
  if (operator.length) {
    const verbs = [...new Set(operator.map((p) => p.verb))].join(',');
    const resources = [...new Set(operator.map((p) => `${p.resource}.${p.group}`))].join(',');
    commands.push(
      `kubectl create role sluice-flink-operator --verb=${verbs} --resource=${resources} -n ${namespace}`,
      `kubectl create rolebinding sluice-${target}-operator --role=sluice-flink-operator ${subject} -n ${namespace}`,
    );
  }
  if (operator.length < missing.length)
    commands.push(
      `kubectl create rolebinding sluice-${target} --clusterrole=edit ${subject} -n ${namespace}`,
    );
  return commands.join(' && ');
}
