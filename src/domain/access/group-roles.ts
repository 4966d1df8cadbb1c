/**
 * Directory groups → roles in spaces (issue 15 items 1-2): which group of the LDAP directory or of
 * the OIDC provider makes its members what in which space. Every sign-in sets the memberships that
 * came from the directory to what the user's groups say then; memberships set by hand are left alone.
 */
import { SluiceError } from '../errors.ts';
import { message, type Message } from '../messages.ts';
import { duplicateJsonKey } from './json-keys.ts';
import { isRole, ROLES, SPACE_NAME, type Membership, type MembershipSource, type Role } from './spaces.ts';

/** One group's role in one space. */
export interface GroupRole {
  group: string;
  space: string;
  role: Role;
}

const bad = (variable: string, problem: Message) =>
  new SluiceError('invalid_argument', problem, { setting: variable });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A mapping as SLUICE_LDAP_GROUP_ROLES or SLUICE_OIDC_GROUP_ROLES writes it: a JSON object of groups,
 * each an object of spaces and roles, such as
 * `{"cn=flink-dev,ou=groups,dc=example,dc=org": {"team-a": "developer", "team-b": "viewer"}}`.
 * JSON because an LDAP group is a DN, full of the `=` and `,` a line syntax would split on.
 * `groupProblem` says what is wrong with a group's name (null: nothing); `key` is how two names are
 * the same group (a DN ignores case and spaces), so that one group written twice is refused rather
 * than one of the two silently winning. Every refusal names the setting and the entry.
 */
export function parseGroupRoles(
  text: string,
  variable: string,
  groupProblem: (group: string) => Message | null,
  key: (group: string) => string = (g) => g,
): GroupRole[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw bad(variable, message('config.groupRolesNotJson', { variable, detail: (e as Error).message }));
  }
  if (!isObject(parsed))
    throw bad(variable, message('config.groupRolesNotJson', { variable, detail: 'not an object' }));
  // JSON.parse keeps the last of two equal names: a group or a space written twice loses a mapping.
  const twice = duplicateJsonKey(text);
  if (twice && twice.path.length === 0)
    throw bad(variable, message('config.groupRolesGroupTwice', { variable, group: twice.key }));
  if (twice && twice.path.length === 1)
    throw bad(
      variable,
      message('config.groupRolesSpaceTwice', { variable, group: twice.path[0]!, space: twice.key }),
    );
  const out: GroupRole[] = [];
  const seen = new Map<string, string>();
  for (const [group, spaces] of Object.entries(parsed)) {
    const problem = groupProblem(group);
    if (problem) throw bad(variable, problem);
    const other = seen.get(key(group));
    if (other !== undefined)
      throw bad(variable, message('config.groupRolesSameGroup', { variable, group, other }));
    seen.set(key(group), group);
    if (!isObject(spaces) || Object.keys(spaces).length === 0)
      throw bad(variable, message('config.groupRolesBadSpaces', { variable, group }));
    for (const [space, role] of Object.entries(spaces)) {
      if (!SPACE_NAME.test(space))
        throw bad(variable, message('config.groupRolesBadSpace', { variable, group, space }));
      if (typeof role !== 'string' || !isRole(role))
        throw bad(
          variable,
          message('config.groupRolesBadRole', {
            variable,
            group,
            space,
            role: typeof role === 'string' ? role : JSON.stringify(role),
            roles: ROLES.join(', '),
          }),
        );
      out.push({ group: group.trim(), space, role });
    }
  }
  return out;
}

/**
 * The role in each space a user's groups give: the highest when two groups map to the same space.
 * `key` makes a group as the directory names it and as the mapping writes it comparable.
 */
export function rolesFromGroups(
  groups: readonly string[],
  mapping: readonly GroupRole[],
  key: (group: string) => string = (g) => g,
): Map<string, Role> {
  const mine = new Set(groups.map(key));
  const roles = new Map<string, Role>();
  for (const m of mapping) {
    if (!mine.has(key(m.group))) continue;
    const held = roles.get(m.space);
    if (!held || ROLES.indexOf(m.role) > ROLES.indexOf(held)) roles.set(m.space, m.role);
  }
  return roles;
}

/** What a sign-in changes in a user's memberships. */
export interface DirectorySync {
  /** Added, or their role changed. */
  set: Membership[];
  /** Memberships from this directory whose group the user is no longer in (or is mapped no more). */
  remove: Membership[];
}

/**
 * From the user's memberships now and the roles its groups give, what a sign-in through `source`
 * changes: only memberships that came from `source` are changed or removed; a membership set by hand
 * (or from another source) in a mapped space stays as it is, since an owner decided it.
 */
export function planDirectorySync(
  user: string,
  current: readonly Membership[],
  wanted: ReadonlyMap<string, Role>,
  source: Exclude<MembershipSource, 'manual'>,
): DirectorySync {
  const held = new Map(current.map((m) => [m.space, m]));
  const set: Membership[] = [];
  const remove: Membership[] = [];
  for (const [space, role] of wanted) {
    const m = held.get(space);
    if (m && (m.source ?? 'manual') !== source) continue;
    if (m && m.role === role) continue;
    set.push({ space, user, role, source });
  }
  for (const m of current) if (m.source === source && !wanted.has(m.space)) remove.push(m);
  return { set, remove };
}
