import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { prometheusDurationMs } from '../metrics/prometheus-settings.ts';
import { urlShown } from '../requests/plain-url.ts';
import { parseGroupRoles, type GroupRole } from './group-roles.ts';

/**
 * Sign-in through an LDAP directory (issue 15, item 1): where it is, the account that searches it,
 * where its users and groups are, and which group makes platform admins. Null when SLUICE_LDAP_URL
 * is unset: local users only.
 */
export interface LdapSettings {
  /** ldap://host[:port] or ldaps://host[:port], no path nor credentials (it is shown in health and messages). */
  url: string;
  /** The search account (a service account that may read users and groups). */
  bindDn: string;
  bindPassword: string;
  /** Where users are searched (subtree). */
  userBase: string;
  /** An LDAP filter with `{user}` where the user name goes, escaped (RFC 4515). */
  userFilter: string;
  /** The DN of the group whose members are platform admins; null: nobody is made admin by LDAP. */
  adminGroup: string | null;
  /** Where groups are searched (subtree): by default the parent of the admin group. */
  groupBase: string | null;
  /** How long a connection or an answer may take before the directory counts as unavailable. */
  timeoutMs: number;
  /** Which groups (DNs) give their members which role in which space (SLUICE_LDAP_GROUP_ROLES). */
  groupRoles: GroupRole[];
  /** How many levels of groups within groups are followed: 0, only the groups that name the user. */
  groupDepth: number;
  /** Upgrade an ldap:// connection with StartTLS before anything is sent (SLUICE_LDAP_STARTTLS). */
  startTls: boolean;
  /**
   * The certificate authorities (PEM) a TLS directory's certificate must be signed by
   * (SLUICE_LDAP_CA_FILE); null: the system's.
   */
  ca: string | null;
  /**
   * How often every LDAP user is looked up again (SLUICE_LDAP_SYNC_INTERVAL), so that one removed from
   * the directory loses its tokens and sessions, and one whose groups changed its role, without
   * signing in; null: only at sign-in.
   */
  syncIntervalMs: number | null;
}

export const LDAP_VARIABLES = {
  url: 'SLUICE_LDAP_URL',
  bindDn: 'SLUICE_LDAP_BIND_DN',
  bindPassword: 'SLUICE_LDAP_BIND_PASSWORD',
  bindPasswordFile: 'SLUICE_LDAP_BIND_PASSWORD_FILE',
  userBase: 'SLUICE_LDAP_USER_BASE',
  userFilter: 'SLUICE_LDAP_USER_FILTER',
  adminGroup: 'SLUICE_LDAP_ADMIN_GROUP',
  groupBase: 'SLUICE_LDAP_GROUP_BASE',
  groupRoles: 'SLUICE_LDAP_GROUP_ROLES',
  groupRolesFile: 'SLUICE_LDAP_GROUP_ROLES_FILE',
  groupDepth: 'SLUICE_LDAP_GROUP_DEPTH',
  startTls: 'SLUICE_LDAP_STARTTLS',
  caFile: 'SLUICE_LDAP_CA_FILE',
  syncInterval: 'SLUICE_LDAP_SYNC_INTERVAL',
} as const;

export const LDAP_DEFAULT_FILTER = '(uid={user})';
export const LDAP_TIMEOUT_MS = 5000;
/** Groups within groups are followed this deep unless SLUICE_LDAP_GROUP_DEPTH says otherwise. */
export const LDAP_GROUP_DEPTH = 5;
const MAX_GROUP_DEPTH = 20;
/** Every LDAP user is looked up again this often unless SLUICE_LDAP_SYNC_INTERVAL says otherwise. */
export const LDAP_SYNC_INTERVAL = '15m';
/** More often would ask the directory about every user all the time. */
const MIN_SYNC_INTERVAL_MS = 60_000;

/** A value in an LDAP filter, escaped as RFC 4515 says: `*`, `(`, `)`, `\` and NUL as `\xx`. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** The filter that finds one user: `{user}` replaced by the escaped name. */
export function userFilterFor(filter: string, name: string): string {
  return filter.split('{user}').join(escapeFilterValue(name));
}

// attr=value pairs separated by commas: enough to catch a base written as a host name or a filter.
const DN = /^\s*[A-Za-z][\w.-]*\s*=[^,]+(,\s*[A-Za-z][\w.-]*\s*=[^,]+)*$/;

/** A DN normalised for comparison: attribute names and values lower-cased, spaces around `,` and `=` gone. */
export function normalDn(dn: string): string {
  return dn
    .split(',')
    .map((rdn) =>
      rdn
        .split('=')
        .map((p) => p.trim())
        .join('='),
    )
    .join(',')
    .toLowerCase();
}

/** Whether `dn` is `base` or lies under it. */
export const dnUnder = (dn: string, base: string): boolean => {
  const d = normalDn(dn);
  const b = normalDn(base);
  return d === b || d.endsWith(',' + b);
};

const bad = (variable: string, problem: ReturnType<typeof message>) =>
  new SluiceError('invalid_argument', problem, { setting: variable });

/** Files the settings name, read by the caller: the group mapping's and the certificate authorities'. */
export interface LdapFiles {
  /** The content of SLUICE_LDAP_GROUP_ROLES_FILE. */
  groupRoles?: string | undefined;
  /** The content of SLUICE_LDAP_CA_FILE. */
  ca?: string | undefined;
}

/**
 * The LDAP settings from SLUICE_LDAP_*, or null when SLUICE_LDAP_URL is unset (and no other is set).
 * `bindPasswordFromFile` is the content of SLUICE_LDAP_BIND_PASSWORD_FILE, read by the caller, and
 * `files` the other files it names.
 * Every missing or malformed value is refused naming its variable, so that the server does not start
 * with a sign-in that cannot work.
 */
export function parseLdapSettings(
  env: Record<string, string | undefined>,
  bindPasswordFromFile?: string,
  files: LdapFiles = {},
): LdapSettings | null {
  const v = (name: string) => env[name]?.trim() || undefined;
  const url = v(LDAP_VARIABLES.url);
  if (url === undefined) {
    const given = Object.values(LDAP_VARIABLES).find((n) => v(n) !== undefined);
    if (given) throw bad(LDAP_VARIABLES.url, message('config.ldapNoUrl', { given }));
    return null;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    !['ldap:', 'ldaps:'].includes(parsed.protocol) ||
    !parsed.hostname ||
    parsed.username ||
    parsed.password ||
    (parsed.pathname !== '' && parsed.pathname !== '/') ||
    parsed.search ||
    parsed.hash
  )
    throw bad(LDAP_VARIABLES.url, message('config.ldapBadUrl', { url: urlShown(url) }));
  const required = (name: string) => {
    const value = v(name);
    if (value === undefined) throw bad(name, message('config.ldapMissing', { variable: name }));
    return value;
  };
  const dn = (name: string, value: string) => {
    if (!DN.test(value)) throw bad(name, message('config.ldapBadDn', { variable: name, value }));
    return value.trim();
  };
  const bindDn = dn(LDAP_VARIABLES.bindDn, required(LDAP_VARIABLES.bindDn));
  const inline = env[LDAP_VARIABLES.bindPassword];
  const fromFile = v(LDAP_VARIABLES.bindPasswordFile);
  if (inline && fromFile) throw bad(LDAP_VARIABLES.bindPassword, message('config.ldapPasswordTwice', {}));
  // A file's last line break is not part of the password (echo adds one).
  const bindPassword = fromFile ? (bindPasswordFromFile ?? '').replace(/\r?\n$/, '') : (inline ?? '');
  if (!bindPassword)
    throw fromFile
      ? bad(LDAP_VARIABLES.bindPasswordFile, message('config.ldapEmptyPasswordFile', { file: fromFile }))
      : bad(LDAP_VARIABLES.bindPassword, message('config.ldapNoPassword', {}));
  const userBase = dn(LDAP_VARIABLES.userBase, required(LDAP_VARIABLES.userBase));
  const userFilter = v(LDAP_VARIABLES.userFilter) ?? LDAP_DEFAULT_FILTER;
  if (!userFilter.includes('{user}') || !userFilter.startsWith('(') || !userFilter.endsWith(')'))
    throw bad(LDAP_VARIABLES.userFilter, message('config.ldapBadFilter', { value: userFilter }));
  const adminText = v(LDAP_VARIABLES.adminGroup);
  const adminGroup = adminText === undefined ? null : dn(LDAP_VARIABLES.adminGroup, adminText);
  const groupText = v(LDAP_VARIABLES.groupBase);
  const groupBase =
    groupText !== undefined
      ? dn(LDAP_VARIABLES.groupBase, groupText)
      : adminGroup
        ? adminGroup.slice(adminGroup.indexOf(',') + 1).trim()
        : null;
  if (adminGroup && groupBase && !dnUnder(adminGroup, groupBase))
    throw bad(LDAP_VARIABLES.adminGroup, message('config.ldapAdminOutside', { adminGroup, groupBase }));
  const shownUrl = `${parsed.protocol}//${parsed.host}`;
  const startText = v(LDAP_VARIABLES.startTls)?.toLowerCase();
  if (startText !== undefined && startText !== 'true' && startText !== 'false')
    throw bad(LDAP_VARIABLES.startTls, message('config.ldapBadStartTls', { value: startText }));
  const startTls = startText === 'true';
  if (startTls && parsed.protocol === 'ldaps:')
    throw bad(LDAP_VARIABLES.startTls, message('config.ldapStartTlsOnLdaps', { url: shownUrl }));
  const caFile = v(LDAP_VARIABLES.caFile);
  if (caFile !== undefined && !startTls && parsed.protocol !== 'ldaps:')
    throw bad(LDAP_VARIABLES.caFile, message('config.ldapCaWithoutTls', { url: shownUrl }));
  const depthText = v(LDAP_VARIABLES.groupDepth);
  if (depthText !== undefined && (!/^\d{1,2}$/.test(depthText) || Number(depthText) > MAX_GROUP_DEPTH))
    throw bad(LDAP_VARIABLES.groupDepth, message('config.ldapBadDepth', { value: depthText }));
  const syncText = v(LDAP_VARIABLES.syncInterval) ?? LDAP_SYNC_INTERVAL;
  const syncMs = syncText === '0' || syncText.toLowerCase() === 'off' ? null : prometheusDurationMs(syncText);
  if (syncMs !== null && (syncMs === undefined || syncMs < MIN_SYNC_INTERVAL_MS))
    throw bad(LDAP_VARIABLES.syncInterval, message('config.ldapBadSyncInterval', { value: syncText }));
  return {
    url: shownUrl,
    bindDn,
    bindPassword,
    userBase,
    userFilter,
    adminGroup,
    groupBase,
    timeoutMs: LDAP_TIMEOUT_MS,
    groupRoles: ldapGroupRoles(env, files.groupRoles),
    groupDepth: depthText === undefined ? LDAP_GROUP_DEPTH : Number(depthText),
    startTls,
    ca: caFile === undefined ? null : caPem(caFile, files.ca),
    syncIntervalMs: syncMs,
  };
}

/** The certificate authorities of SLUICE_LDAP_CA_FILE: never none, which would trust the system's instead. */
function caPem(file: string, content: string | undefined): string {
  if (!content?.includes('-----BEGIN CERTIFICATE-----'))
    throw bad(
      LDAP_VARIABLES.caFile,
      message('config.ldapCaFileUnreadable', {
        file,
        detail: content === undefined ? 'not read' : 'no PEM certificate in it',
      }),
    );
  return content;
}

/** SLUICE_LDAP_GROUP_ROLES (or its _FILE): groups by DN, the same group whatever its case and spaces. */
function ldapGroupRoles(env: Record<string, string | undefined>, fromFile: string | undefined): GroupRole[] {
  const variable = LDAP_VARIABLES.groupRoles;
  const inline = env[variable]?.trim() || undefined;
  const file = env[LDAP_VARIABLES.groupRolesFile]?.trim() || undefined;
  if (inline && file) throw bad(variable, message('config.groupRolesTwice', { variable }));
  const text = inline ?? (file ? (fromFile ?? '') : undefined);
  if (text === undefined) return [];
  const named = file ? LDAP_VARIABLES.groupRolesFile : variable;
  return parseGroupRoles(
    text,
    named,
    (group) => (DN.test(group) ? null : message('config.groupRolesBadDn', { variable: named, group })),
    normalDn,
  );
}
