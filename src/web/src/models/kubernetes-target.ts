import type { RegisterKubernetesInput, TargetView } from '../../../contract/targets.ts';
import { checkSessionResources } from '../../../domain/clusters/local-cluster-spec.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { isMessage, type Message } from '../../../domain/messages.ts';
import {
  KUBERNETES_SESSION_DEFAULTS,
  type KubernetesSession,
} from '../../../domain/targets/kubernetes-session.ts';
import { recordOfRows, type KeyValueRow } from './key-value-rows.ts';
import type { Translate } from './message-text.ts';

type KubernetesSpec = NonNullable<TargetView['kubernetes']>['spec'];
type UpgradeMode = NonNullable<KubernetesSpec['upgradeMode']>;
type Mode = KubernetesSpec['mode'];

/** The operator's upgrade modes, the contract's (domain UPGRADE_MODES, which the browser cannot import). */
export const UPGRADE_MODES = [
  'savepoint',
  'last-state',
  'stateless',
] as const satisfies readonly UpgradeMode[];

/** A session cluster's sizes, in the order the form shows them. */
export const SESSION_SIZE_FIELDS = [
  'taskManagers',
  'slotsPerTaskManager',
  'jobManagerMemory',
  'taskManagerMemory',
  'gatewayMemory',
] as const satisfies readonly (keyof KubernetesSession)[];
export type SessionSizeField = (typeof SESSION_SIZE_FIELDS)[number];

/** A session's sizes as typed: counts as numbers, memory as text; an empty field is the server's default. */
export type SessionSizesForm = {
  [F in SessionSizeField]?: KubernetesSession[F] | null;
};

/** The defaults the server gives a size left empty, as the form's placeholders. */
export const SESSION_SIZE_DEFAULTS: Readonly<KubernetesSession> = KUBERNETES_SESSION_DEFAULTS;

/**
 * Where the pods take a run's jars from: the shared folder (mounted), the platform (an init container
 * fetches them with a run token) or the server's S3 artifact bucket (by presigned URLs).
 */
export const JARS_FROM = ['sharedFolder', 'platform', 's3'] as const;
export type JarsFrom = (typeof JARS_FROM)[number];

/** How a registered target's pods take the jars, as its spec says (the server's artifactWay). */
export const jarsFromOf = (spec: Pick<KubernetesSpec, 'artifactsFrom' | 'platformUrl'>): JarsFrom =>
  spec.artifactsFrom === 's3' ? 's3' : spec.platformUrl ? 'platform' : 'sharedFolder';

/** The "Add Kubernetes target" form's values, as typed. */
export interface KubernetesTargetForm {
  name: string;
  /** The space it goes to (one where the user is an owner). */
  space?: string;
  kubeconfig?: string;
  context?: string;
  namespace: string;
  mode: Mode;
  engineVersion?: string;
  image?: string;
  imagePullPolicy?: string;
  serviceAccount?: string;
  sharedDir?: string;
  /** A PersistentVolumeClaim holding the shared folder: the pods mount it instead of hostPath. */
  sharedClaim?: string;
  /** Where the pods take the jars from; the shared folder when not chosen. */
  jarsFrom?: JarsFrom;
  /** From the platform: its URL as the pods reach it. */
  platformUrl?: string;
  /** From S3: the bucket's endpoint as the pods reach it, when it is not the server's. */
  s3EndpointForPods?: string;
  /** Operator mode only: the FlinkDeployment's job.upgradeMode. */
  upgradeMode?: UpgradeMode;
  /** The image's lib has the connectors: runs get none of the engine's connector jars. */
  connectorsInImage?: boolean;
  /** One session cluster in the namespace, of the sizes below (each empty one the server's default). */
  session?: boolean;
  sizes?: SessionSizesForm;
  /** Flink options every job on the target gets under its own, one row each. */
  flinkConfiguration?: KeyValueRow[];
}

/** Only the operator has an upgrade mode: the server refuses it on the other modes. */
export const hasUpgradeMode = (mode: Mode | undefined): boolean => mode === 'operator';

const given = <V>(v: V | null | undefined): v is V =>
  v !== undefined && v !== null && (typeof v !== 'string' || v.trim() !== '');

/** The sizes typed, memory trimmed; the rest left to the server's defaults. */
export function sessionSizesOf(sizes: SessionSizesForm | undefined): Partial<KubernetesSession> {
  const out: Partial<Record<SessionSizeField, string | number>> = {};
  for (const f of SESSION_SIZE_FIELDS) {
    const v = sizes?.[f];
    if (given(v)) out[f] = typeof v === 'string' ? v.trim() : v;
  }
  return out as Partial<KubernetesSession>;
}

/**
 * What is wrong with one typed size by the server's own rule (the domain's checkSessionResources, the
 * other sizes at their defaults so that only this one is judged), as the message to show at the field;
 * null when it is right or left empty.
 */
export function sessionSizeProblem<F extends SessionSizeField>(
  field: F,
  value: KubernetesSession[F] | null | undefined,
): Message | null {
  if (!given(value)) return null;
  try {
    checkSessionResources({ ...KUBERNETES_SESSION_DEFAULTS, [field]: value });
    return null;
  } catch (e) {
    if (e instanceof SluiceError && e.text) return atField(e.text);
    throw e;
  }
}

/**
 * A refusal shown at its field says the problem only: `<field>: ` would repeat the field's label, and
 * `Kubernetes target X is not registered: ` (a failed check of the cluster) the form's own name.
 */
export function atField(m: Message): Message {
  const problem =
    m.code === 'invalid.field' || m.code === 'kubernetes.refusedTarget' ? m.params.problem : undefined;
  return isMessage(problem) ? problem : m;
}

/**
 * The registration the form asks for: texts trimmed, empty fields left to the server's defaults, the
 * Flink option rows as `flinkConfiguration`, a session cluster of the sizes typed for its mode when
 * asked, the upgrade mode only in operator mode (a mode changed after one was chosen leaves it out).
 */
export function kubernetesRegistration(v: KubernetesTargetForm): RegisterKubernetesInput {
  const {
    flinkConfiguration,
    upgradeMode,
    session,
    sizes,
    jarsFrom,
    platformUrl,
    s3EndpointForPods,
    ...texts
  } = v;
  const out = Object.fromEntries(
    Object.entries(texts)
      .map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x])
      .filter(([, x]) => x !== undefined && x !== null && x !== ''),
  ) as RegisterKubernetesInput;
  const options = recordOfRows(flinkConfiguration);
  if (Object.keys(options).length) out.flinkConfiguration = options;
  if (upgradeMode && hasUpgradeMode(v.mode)) out.upgradeMode = upgradeMode;
  if (session) out.session = sessionSizesOf(sizes);
  // Only the chosen way's address goes: one typed before the choice changed is left out.
  if (jarsFrom === 'platform' && given(platformUrl)) out.platformUrl = platformUrl.trim();
  if (jarsFrom === 's3') {
    out.artifactsFrom = 's3';
    if (given(s3EndpointForPods)) out.s3EndpointForPods = s3EndpointForPods.trim();
  }
  return out;
}

/**
 * A registered session target again with other sizes: the server's way to change a target is to
 * register it again under its name (it keeps its space), so everything else is its spec as stored.
 */
export function sizesChange(spec: KubernetesSpec, sizes: SessionSizesForm): RegisterKubernetesInput {
  return {
    name: spec.name,
    engineVersion: spec.engineVersion,
    ...(spec.kubeconfig !== null ? { kubeconfig: spec.kubeconfig } : {}),
    ...(spec.context !== null ? { context: spec.context } : {}),
    namespace: spec.namespace,
    mode: spec.mode,
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy,
    imagePullSecrets: spec.imagePullSecrets,
    ...(spec.serviceAccount !== null ? { serviceAccount: spec.serviceAccount } : {}),
    ...(spec.sharedDir !== null ? { sharedDir: spec.sharedDir } : {}),
    ...(spec.sharedClaim ? { sharedClaim: spec.sharedClaim } : {}),
    ...(spec.flinkConfiguration ? { flinkConfiguration: spec.flinkConfiguration } : {}),
    ...(spec.platformUrl ? { platformUrl: spec.platformUrl } : {}),
    ...(spec.connectorsInImage ? { connectorsInImage: true } : {}),
    ...(spec.upgradeMode ? { upgradeMode: spec.upgradeMode } : {}),
    session: sessionSizesOf(sizes),
  };
}

/** The change-sizes form's first values: the session's sizes as they are. */
export const sizesFormOf = (spec: KubernetesSpec): SessionSizesForm =>
  spec.session ? sessionSizesOf(spec.session) : {};

/**
 * The add form's fields a refusal is shown at besides the sizes: the shared folder, its claim (missing
 * or not Bound, as the cluster's check says) and where the jars come from.
 */
const AT_FIELD = ['sharedDir', 'sharedClaim', 'platformUrl', 's3EndpointForPods'] as const;
export type RefusedField = (typeof AT_FIELD)[number] | 'jarsFrom';

/**
 * The form field an API refusal of a registration is about: a session's size, the shared folder or its
 * claim, or where the jars come from (the API's `artifactsFrom` is the form's choice `jarsFrom`).
 */
export function refusedSessionField(
  details: Record<string, unknown> | undefined,
): ['sizes', SessionSizeField] | RefusedField | null {
  const field = typeof details?.field === 'string' ? details.field.replace(/^session\./, '') : null;
  if (field === 'artifactsFrom') return 'jarsFrom';
  if ((AT_FIELD as readonly (string | null)[]).includes(field)) return field as RefusedField;
  return field && (SESSION_SIZE_FIELDS as readonly string[]).includes(field)
    ? ['sizes', field as SessionSizeField]
    : null;
}

/** A session's sizes in short, as the targets list shows them: `1 TM × 4 slots, JM 1024m, TM 1536m, SQL Gateway 512m`. */
export function sessionSizesText(t: Translate, s: KubernetesSession): string {
  const sizes = t('ws.targets.sessionSizes', {
    taskManagers: s.taskManagers,
    slots: s.slotsPerTaskManager,
    jm: s.jobManagerMemory,
    tm: s.taskManagerMemory,
  });
  return t('ws.targets.sessionSizesGateway', { sizes, gateway: s.gatewayMemory });
}
