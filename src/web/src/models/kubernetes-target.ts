import type { RegisterKubernetesInput, TargetView } from '../../../contract/targets.ts';
import { recordOfRows, type KeyValueRow } from './key-value-rows.ts';

type UpgradeMode = NonNullable<NonNullable<TargetView['kubernetes']>['spec']['upgradeMode']>;

/** The operator's upgrade modes, the contract's (domain UPGRADE_MODES, which the browser cannot import). */
export const UPGRADE_MODES = [
  'savepoint',
  'last-state',
  'stateless',
] as const satisfies readonly UpgradeMode[];

/** The "Add Kubernetes target" form's values, as typed. */
export interface KubernetesTargetForm {
  name: string;
  /** The space it goes to (one where the user is an owner). */
  space?: string;
  kubeconfig?: string;
  context?: string;
  namespace: string;
  mode: 'operator' | 'native' | 'standalone';
  engineVersion?: string;
  image?: string;
  imagePullPolicy?: string;
  serviceAccount?: string;
  sharedDir?: string;
  /** Operator mode only: the FlinkDeployment's job.upgradeMode. */
  upgradeMode?: UpgradeMode;
  /** One session cluster in the namespace, at its default sizes (the CLI sets them). */
  session?: boolean;
  /** Flink options every job on the target gets under its own, one row each. */
  flinkConfiguration?: KeyValueRow[];
}

/** Only the operator has an upgrade mode: the server refuses it on the other modes. */
export const hasUpgradeMode = (mode: KubernetesTargetForm['mode'] | undefined): boolean =>
  mode === 'operator';

/**
 * The registration the form asks for: texts trimmed, empty fields left to the server's defaults, the
 * Flink option rows as `flinkConfiguration`, a session cluster at its default sizes when asked, the upgrade mode only in operator mode (a mode changed
 * after one was chosen leaves it out).
 */
export function kubernetesRegistration(v: KubernetesTargetForm): RegisterKubernetesInput {
  const { flinkConfiguration, upgradeMode, session, ...texts } = v;
  const out = Object.fromEntries(
    Object.entries(texts)
      .map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x])
      .filter(([, x]) => x !== undefined && x !== null && x !== ''),
  ) as RegisterKubernetesInput;
  const options = recordOfRows(flinkConfiguration);
  if (Object.keys(options).length) out.flinkConfiguration = options;
  if (upgradeMode && hasUpgradeMode(v.mode)) out.upgradeMode = upgradeMode;
  if (session) out.session = {};
  return out;
}
