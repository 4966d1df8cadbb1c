/**
 * Spaces and the roles users hold in them (issue 15 item 2): every job, artifact, variable, catalog,
 * alert rule and deployment target belongs to one space, and what a user may do with it follows from
 * the user's role in that space. Plain rules without node:crypto, so the contract and the console can
 * import them.
 */
import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';

/** The space everything lands in unless it says otherwise, and where existing things went. */
export const DEFAULT_SPACE = 'default';

/** A space name: a DNS label, as job and rule names (lower-case letters, digits, '-'; 1-63). */
export const SPACE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkSpaceName(name: string): string {
  if (!SPACE_NAME.test(name))
    throw new SluiceError('invalid_argument', message('space.nameInvalid', { name }), { field: 'space' });
  return name;
}

/** Roles in a space, weakest first. */
export const ROLES = ['viewer', 'developer', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/**
 * What a request does to the things of a space: `view` them, `change` them (create, edit, delete),
 * `run` them (start, stop, debug and planner runs), `manage` the space (its members, quotas and
 * deployment targets).
 */
export const SPACE_ACTIONS = ['view', 'change', 'run', 'manage'] as const;
export type SpaceAction = (typeof SPACE_ACTIONS)[number];

/** The weakest role that may do each action. */
const LEAST: Record<SpaceAction, Role> = {
  view: 'viewer',
  change: 'developer',
  run: 'developer',
  manage: 'owner',
};

/** The weakest role that may do an action, to say in a refusal. */
export const roleNeeded = (action: SpaceAction): Role => LEAST[action];

/**
 * Whether a user may do `action` in a space: a platform admin may do everything, anyone else as its
 * role in the space allows (no role: nothing).
 */
export function mayDo(who: { admin: boolean; role: Role | null }, action: SpaceAction): boolean {
  if (who.admin) return true;
  if (!who.role) return false;
  return ROLES.indexOf(who.role) >= ROLES.indexOf(LEAST[action]);
}

/**
 * Where a membership came from: set by hand (an owner, an admin, `sluice user add`), or from the
 * user's groups in the LDAP directory or at the OIDC provider, which every sign-in sets anew.
 */
export const MEMBERSHIP_SOURCES = ['manual', 'ldap', 'oidc'] as const;
export type MembershipSource = (typeof MEMBERSHIP_SOURCES)[number];

/** A user's role in one space. */
export interface Membership {
  space: string;
  user: string;
  role: Role;
  /** Where it came from; unset when set: by hand. */
  source?: MembershipSource;
}

export interface Space {
  name: string;
  createdAt: string;
  createdBy: string;
}

/** The kinds of things a space holds, as the store and refusals name them. */
export const SPACE_KINDS = ['job', 'artifact', 'variable', 'catalog', 'alertRule', 'target'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];
