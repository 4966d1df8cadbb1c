import * as k8s from '@kubernetes/client-node';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import {
  grantCommand,
  OPERATOR_CRDS,
  OPERATOR_GROUP,
  permissionText,
  requiredPermissions,
  jobManagerPermissions,
  haPermissions,
  wantsKubernetesHa,
  type KubernetesMode,
  type KubernetesPermission,
  type KubernetesTargetSpec,
} from '../../domain/targets/kubernetes-target.ts';
import type {
  KubernetesCheck,
  KubernetesCheckResult,
  KubernetesModeTarget,
  KubernetesRuntime,
  OperatorCrd,
} from '../../application/ports/kubernetes.ts';
import { apiClient, kubeAccessOf, saidByApi, statusOf, where, type KubeAccess } from './kube-client.ts';
import { restExposureOf } from './exposure.ts';
import { podCustomizationOf, readPodTemplateFiles } from './pod-template.ts';
import { PodMetrics } from './pod-metrics.ts';

/** Each request of a check gives up after this: a list of targets must not wait on a dead cluster. */
export const CHECK_TIMEOUT_MS = 3_000;
/** The same for a registration's checks: one action a user waits on, whose checks must be answered. */
export const REGISTRATION_CHECK_TIMEOUT_MS = 15_000;

/** The operator's CRDs the operator mode cannot do without (snapshots are used when served). */
const REQUIRED_CRDS = ['flinkdeployments', 'flinksessionjobs'];

/**
 * Kubernetes clusters through @kubernetes/client-node: the checks of a target against its cluster,
 * and the deployment target of each mode whose deployer is built (`modes`, filled by the composition
 * root: the seam of the standalone, native and operator deployers).
 */
export function kubernetesRuntime(
  modes: Partial<Record<KubernetesMode, KubernetesModeTarget>> = {},
  timeoutMs = CHECK_TIMEOUT_MS,
): KubernetesRuntime {
  const pods = new PodMetrics();
  return {
    check: (spec, o) =>
      checkTarget(spec, o?.registering ? Math.max(timeoutMs, REGISTRATION_CHECK_TIMEOUT_MS) : timeoutMs),
    flinkPods: (spec) => pods.pods(spec),
    podMetrics: (spec, pod, port, o) => pods.metrics(spec, pod, port, o),
    target(spec, context) {
      const make = modes[spec.mode];
      if (!make)
        throw new SluiceError(
          'precondition_failed',
          message('target.kubernetesModeNotBuilt', {
            target: spec.name,
            mode: spec.mode,
            content: 'SQL or JAR',
          }),
        );
      return make(spec, context);
    },
  };
}

/**
 * The target's Flink options for its jobs' pods and exposure, checked as a job's start checks them
 * (a bad tolerations string or a missing template file is refused at registration, not at a start).
 */
function checkFlinkConfiguration(spec: KubernetesTargetSpec): void {
  const options = spec.flinkConfiguration ?? {};
  const templates = readPodTemplateFiles(options);
  for (const role of ['jobmanager', 'taskmanager'] as const) podCustomizationOf(options, role, templates);
  restExposureOf(options, { name: 'flink-job', namespace: spec.namespace, job: 'job' });
}

async function checkTarget(spec: KubernetesTargetSpec, timeoutMs: number): Promise<KubernetesCheck> {
  checkFlinkConfiguration(spec);
  let access: KubeAccess;
  try {
    access = kubeAccessOf(spec);
  } catch (e) {
    const problem =
      e instanceof SluiceError && e.text ? e.text : message('platform.unexpected', { detail: String(e) });
    return {
      server: null,
      context: spec.context,
      user: null,
      serverVersion: null,
      operatorCrds: null,
      results: [{ name: 'kubeconfig', ok: false, detail: 'cannot be used', problem }],
    };
  }
  const at = where(access);
  const results: KubernetesCheckResult[] = [
    {
      name: 'kubeconfig',
      ok: true,
      detail:
        spec.kubeconfig === null
          ? 'in-cluster service account'
          : `${spec.kubeconfig} (context ${at.context})`,
      problem: null,
    },
  ];
  const check: KubernetesCheck = {
    server: access.server,
    context: access.context,
    user: null,
    serverVersion: null,
    operatorCrds: null,
    results,
  };

  // The API server first: when it does not answer, nothing else can be asked.
  try {
    const v = await apiClient(access, k8s.VersionApi, timeoutMs).getCode();
    check.serverVersion = v.gitVersion;
    results.push({
      name: 'api',
      ok: true,
      detail: `Kubernetes ${v.gitVersion} at ${access.server}`,
      problem: null,
    });
  } catch (e) {
    const detail = saidByApi(e, timeoutMs);
    const status = statusOf(e);
    results.push({
      name: 'api',
      ok: false,
      detail,
      problem:
        status === undefined
          ? message('kubernetes.unreachable', { ...at, detail })
          : message('kubernetes.refused', { ...at, what: 'tell its version', detail }),
    });
    return check;
  }

  const [user, namespace, permissions, serviceAccount, claim, crds] = await Promise.all([
    whoAmI(access, timeoutMs),
    namespaceCheck(access, spec, timeoutMs),
    permissionsOf(
      access,
      spec.namespace,
      requiredPermissions(spec.mode, !!spec.session, !!spec.sharedClaim),
      timeoutMs,
    ),
    jobManagerAccountNeeds(spec) ? serviceAccountCheck(access, spec, timeoutMs) : null,
    spec.sharedClaim ? sharedClaimCheck(access, spec, spec.sharedClaim, timeoutMs) : null,
    operatorCrds(access, timeoutMs),
  ]);
  check.user = user ?? access.user;
  results.push(namespace);
  results.push(permissionsResult(permissions, at, check.user, spec));
  if (serviceAccount) results.push(serviceAccount);
  if (claim) results.push(claim);
  check.operatorCrds = crds.value;
  results.push(crdsResult(spec.mode, crds.value, crds.error, at));
  return check;
}

/** At most six permissions by name, then how many more: a message stays readable. */
const summarize = (names: string[]): string =>
  names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`;

async function whoAmI(access: KubeAccess, timeoutMs: number): Promise<string | null> {
  try {
    const r = await apiClient(access, k8s.AuthenticationV1Api, timeoutMs).createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return r.status?.userInfo?.username ?? null;
  } catch {
    return null;
  }
}

async function namespaceCheck(
  access: KubeAccess,
  spec: KubernetesTargetSpec,
  timeoutMs: number,
): Promise<KubernetesCheckResult> {
  try {
    await apiClient(access, k8s.CoreV1Api, timeoutMs).readNamespace({ name: spec.namespace });
    return { name: 'namespace', ok: true, detail: `namespace ${spec.namespace} exists`, problem: null };
  } catch (e) {
    const status = statusOf(e);
    if (status === 404)
      return {
        name: 'namespace',
        ok: false,
        detail: `namespace ${spec.namespace} does not exist`,
        problem: message('kubernetes.noNamespace', { ...where(access), namespace: spec.namespace }),
      };
    // A user bound to a role in the namespace only may not read the namespace object: its
    // permissions (checked beside this) say whether it can work there.
    return {
      name: 'namespace',
      ok: true,
      detail: `namespace ${spec.namespace} cannot be read (${saidByApi(e, timeoutMs)}); its permissions are checked instead`,
      problem: null,
    };
  }
}

/** One permission as the API server's review said it: null when the review itself got no answer. */
export interface PermissionReview {
  permission: KubernetesPermission;
  allowed: boolean | null;
  reason: string | null;
}

async function permissionsOf(
  access: KubeAccess,
  namespace: string,
  wanted: KubernetesPermission[],
  timeoutMs: number,
): Promise<PermissionReview[]> {
  const authz = apiClient(access, k8s.AuthorizationV1Api, timeoutMs);
  const review = async (permission: KubernetesPermission): Promise<PermissionReview> => {
    try {
      const r = await authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: resourceAttributesOf(namespace, permission),
          },
        },
      });
      return { permission, allowed: r.status?.allowed === true, reason: r.status?.reason || null };
    } catch (e) {
      return { permission, allowed: null, reason: `the review itself failed: ${saidByApi(e, timeoutMs)}` };
    }
  };
  return reviewedOnceMoreIfSilent(wanted, review);
}

/** What an access review asks about: one permission in the namespace. */
const resourceAttributesOf = (namespace: string, p: KubernetesPermission): k8s.V1ResourceAttributes => ({
  namespace,
  verb: p.verb,
  group: p.group,
  resource: p.resource,
  ...(p.subresource ? { subresource: p.subresource } : {}),
});

/**
 * Reviews asked at once. Some thirty at once on a busy API server: one that got no answer (timed out)
 * is asked once more, alone, so that a slow answer is not taken for a missing or granted permission.
 */
async function reviewedOnceMoreIfSilent<T, R extends { allowed: boolean | null }>(
  wanted: readonly T[],
  review: (w: T) => Promise<R>,
): Promise<R[]> {
  const first = await Promise.all(wanted.map(review));
  const reviews: R[] = [];
  for (const [i, r] of first.entries()) reviews.push(r.allowed === null ? await review(wanted[i]!) : r);
  return reviews;
}

/**
 * The permissions check from its reviews: a permission the API server denied is missing (the target is
 * refused or degraded, with the command that grants it); one whose review got no answer is not known
 * to be missing, so it is named in the detail without failing the check.
 */
export function permissionsResult(
  reviews: PermissionReview[],
  at: Record<string, string>,
  user: string | null,
  spec: Pick<KubernetesTargetSpec, 'name' | 'namespace' | 'mode'>,
): KubernetesCheckResult {
  const denied = reviews.filter((p) => p.allowed === false);
  const unanswered = reviews.filter((p) => p.allowed === null);
  const granted = reviews.length - denied.length - unanswered.length;
  const unknown = unanswered.length
    ? `; not reviewed, the API server did not answer: ${summarize(unanswered.map((p) => permissionText(p.permission)))} (${unanswered[0]!.reason})`
    : '';
  if (denied.length === 0)
    return {
      name: 'permissions',
      ok: true,
      detail: `${granted} permissions granted${unknown}`,
      problem: null,
    };
  return {
    name: 'permissions',
    ok: false,
    detail: `missing: ${denied.map((p) => permissionText(p.permission)).join(', ')}${unknown}`,
    problem: message('kubernetes.missingPermissions', {
      ...at,
      user: user ?? 'the kubeconfig user',
      missing: summarize(denied.map((p) => permissionText(p.permission))),
      namespace: spec.namespace,
      mode: spec.mode,
      reason: denied.find((p) => p.reason)?.reason ?? 'no RBAC rule allows it',
      fix: grantCommand(
        denied.map((p) => p.permission),
        spec.namespace,
        user,
        spec.name,
      ),
    }),
  };
}

/**
 * What the JobManagers' service account may do, when Sluice can ask: the native way's JobManager
 * makes its TaskManager pods and HA ConfigMaps; a standalone target asking for Kubernetes HA
 * (`high-availability.type: kubernetes` among its Flink options, a session's or its jobs' default)
 * keeps HA's ConfigMaps. Null: nothing to check (the operator way's account is the operator's business).
 */
function jobManagerAccountNeeds(spec: KubernetesTargetSpec): {
  wanted: KubernetesPermission[];
  problem: 'kubernetes.nativeServiceAccountCannot' | 'kubernetes.haServiceAccountCannot';
} | null {
  if (spec.mode === 'native')
    return { wanted: jobManagerPermissions(), problem: 'kubernetes.nativeServiceAccountCannot' };
  if (spec.mode === 'standalone' && wantsKubernetesHa(spec.flinkConfiguration ?? {}))
    return { wanted: haPermissions(), problem: 'kubernetes.haServiceAccountCannot' };
  return null;
}

async function serviceAccountCheck(
  access: KubeAccess,
  spec: KubernetesTargetSpec,
  timeoutMs: number,
): Promise<KubernetesCheckResult> {
  const name = spec.serviceAccount ?? 'default';
  try {
    await apiClient(access, k8s.CoreV1Api, timeoutMs).readNamespacedServiceAccount({
      name,
      namespace: spec.namespace,
    });
  } catch (e) {
    if (statusOf(e) === 404)
      return {
        name: 'serviceAccount',
        ok: false,
        detail: `service account ${name} does not exist`,
        problem: message('kubernetes.noServiceAccount', {
          ...where(access),
          serviceAccount: name,
          namespace: spec.namespace,
        }),
      };
    return {
      name: 'serviceAccount',
      ok: true,
      detail: `service account ${name} cannot be read (${saidByApi(e, timeoutMs)})`,
      problem: null,
    };
  }
  // What the JobManager may do as that account: asked of the API server (SubjectAccessReview), which a
  // namespaced user may not ask: then it is said, not refused.
  const { wanted, problem } = jobManagerAccountNeeds(spec)!;
  const authz = apiClient(access, k8s.AuthorizationV1Api, timeoutMs);
  const user = `system:serviceaccount:${spec.namespace}:${name}`;
  const answers = await reviewedOnceMoreIfSilent(wanted, async (p) => {
    try {
      const r = await authz.createSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user,
            groups: [
              'system:serviceaccounts',
              `system:serviceaccounts:${spec.namespace}`,
              'system:authenticated',
            ],
            resourceAttributes: resourceAttributesOf(spec.namespace, p),
          },
        },
      });
      return { p, allowed: r.status?.allowed === true, error: null };
    } catch (e) {
      return { p, allowed: null, error: e };
    }
  });
  const denied = answers.filter((a) => a.allowed === false).map((a) => a.p);
  const unasked = answers.find((a) => a.allowed === null);
  // Not known to be missing: a user who may not ask (403), or an API server that did not answer twice.
  if (!denied.length && unasked)
    return {
      name: 'serviceAccount',
      ok: true,
      detail: `service account ${name} exists; what it may do cannot be asked (${saidByApi(unasked.error, timeoutMs)}): it needs ${summarize(wanted.map(permissionText))}`,
      problem: null,
    };
  if (denied.length)
    return {
      name: 'serviceAccount',
      ok: false,
      detail: `service account ${name} may not ${denied.map(permissionText).join(', ')}`,
      problem: message(problem, {
        ...where(access),
        serviceAccount: name,
        namespace: spec.namespace,
        missing: summarize(denied.map(permissionText)),
      }),
    };
  return {
    name: 'serviceAccount',
    ok: true,
    detail: `service account ${name} may do what the JobManager does: ${summarize(wanted.map(permissionText))}`,
    problem: null,
  };
}

/**
 * The shared folder's claim: the pods mount it, so it must be in the namespace and Bound (a Pending
 * claim leaves every pod Pending). One that cannot be read for another reason is said, not refused:
 * a missing `get persistentvolumeclaims` is the permissions check's to refuse.
 */
async function sharedClaimCheck(
  access: KubeAccess,
  spec: KubernetesTargetSpec,
  claim: string,
  timeoutMs: number,
): Promise<KubernetesCheckResult> {
  const params = { ...where(access), claim, namespace: spec.namespace, dir: spec.sharedDir ?? '' };
  let phase: string;
  try {
    const pvc = await apiClient(access, k8s.CoreV1Api, timeoutMs).readNamespacedPersistentVolumeClaim({
      name: claim,
      namespace: spec.namespace,
    });
    phase = pvc.status?.phase ?? 'Pending';
  } catch (e) {
    if (statusOf(e) === 404)
      return {
        name: 'sharedClaim',
        ok: false,
        detail: `persistent volume claim ${claim} does not exist`,
        problem: message('kubernetes.noSharedClaim', params),
      };
    return {
      name: 'sharedClaim',
      ok: true,
      detail: `persistent volume claim ${claim} cannot be read (${saidByApi(e, timeoutMs)})`,
      problem: null,
    };
  }
  if (phase !== 'Bound')
    return {
      name: 'sharedClaim',
      ok: false,
      detail: `persistent volume claim ${claim} is ${phase}`,
      problem: message('kubernetes.sharedClaimNotBound', { ...params, phase }),
    };
  return {
    name: 'sharedClaim',
    ok: true,
    detail: `persistent volume claim ${claim} is Bound: the pods mount the shared folder from it`,
    problem: null,
  };
}

/**
 * The operator's CRDs as apiextensions lists them, with their served versions; a user who may not
 * read CRDs (most namespaced users) learns from API discovery, which every authenticated user may
 * read, which versions of the operator's group are served.
 */
async function operatorCrds(
  access: KubeAccess,
  timeoutMs: number,
): Promise<{ value: KubernetesCheck['operatorCrds']; error: string | null }> {
  const names = OPERATOR_CRDS.map((r) => `${r}.${OPERATOR_GROUP}`);
  try {
    const list = await apiClient(access, k8s.ApiextensionsV1Api, timeoutMs).listCustomResourceDefinition();
    const present: OperatorCrd[] = list.items
      .filter((c) => c.spec.group === OPERATOR_GROUP && names.includes(c.metadata?.name ?? ''))
      .map((c) => ({
        name: c.metadata!.name!,
        servedVersions: c.spec.versions.filter((v) => v.served).map((v) => v.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      value: {
        source: 'apiextensions',
        present,
        missing: names.filter((n) => !present.some((p) => p.name === n)),
      },
      error: null,
    };
  } catch (e) {
    if (statusOf(e) !== 403) return { value: null, error: saidByApi(e, timeoutMs) };
  }
  try {
    const groups = await apiClient(access, k8s.ApisApi, timeoutMs).getAPIVersions();
    const group = groups.groups.find((g) => g.name === OPERATOR_GROUP);
    const versions = group?.versions.map((v) => v.version) ?? [];
    return {
      value: {
        source: 'discovery',
        present: group ? names.map((name) => ({ name, servedVersions: versions })) : [],
        missing: group ? [] : names,
      },
      error: null,
    };
  } catch (e) {
    return { value: null, error: saidByApi(e, timeoutMs) };
  }
}

/**
 * The operator mode needs the operator's resources served; the other modes only report them (a
 * cluster with the operator can still run standalone or native clusters).
 */
export function crdsResult(
  mode: KubernetesMode,
  crds: KubernetesCheck['operatorCrds'],
  error: string | null,
  at: Record<string, string>,
): KubernetesCheckResult {
  if (!crds)
    return mode === 'operator'
      ? {
          name: 'crds',
          ok: false,
          detail: `cannot be read: ${error}`,
          problem: message('kubernetes.refused', {
            ...at,
            what: 'list the served API groups',
            detail: error ?? '',
          }),
        }
      : { name: 'crds', ok: true, detail: `operator CRDs cannot be read: ${error}`, problem: null };
  const detail = crds.present.length
    ? `operator CRDs (${crds.source}): ${crds.present.map((c) => `${c.name} ${c.servedVersions.join('/')}`).join(', ')}${crds.missing.length ? `; absent: ${crds.missing.join(', ')}` : ''}`
    : `operator CRDs absent (${crds.source})`;
  const missing = REQUIRED_CRDS.map((r) => `${r}.${OPERATOR_GROUP}`).filter((n) => crds.missing.includes(n));
  if (mode === 'operator' && missing.length)
    return {
      name: 'crds',
      ok: false,
      detail,
      problem: message('kubernetes.noOperatorCrds', { ...at, missing: missing.join(', ') }),
    };
  return { name: 'crds', ok: true, detail, problem: null };
}
