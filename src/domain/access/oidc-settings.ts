import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { urlShown } from '../requests/plain-url.ts';
import { USER_NAME } from './credentials.ts';
import { parseGroupRoles, type GroupRole } from './group-roles.ts';

/**
 * Sign-in to the console through an OpenID Connect provider (issue 15, item 1): the provider
 * (its issuer), the client Sluice is registered as there, and which claims name the user and make
 * platform admins. Null when SLUICE_OIDC_ISSUER is unset.
 */
export interface OidcSettings {
  /** The issuer exactly as the provider names itself in its discovery document and its ID tokens. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What is asked of the provider; always with openid. */
  scopes: string[];
  /** The claim whose value becomes the Sluice user name (lower-cased). */
  usernameClaim: string;
  /** The claim listing the user's groups (an array of names, or one name). */
  groupsClaim: string;
  /** Members of this group are platform admins; null: nobody is made admin by the provider. */
  adminGroup: string | null;
  /** Where the provider sends the browser back; null: this server's callback at the request's origin. */
  redirectUrl: string | null;
  /** The provider's name on the console's button: "Sign in with <name>". */
  displayName: string;
  /** How long the provider may take to answer before it counts as unavailable. */
  timeoutMs: number;
  /** Which groups (values of the groups claim) give their members which role in which space. */
  groupRoles: GroupRole[];
}

export const OIDC_VARIABLES = {
  issuer: 'SLUICE_OIDC_ISSUER',
  clientId: 'SLUICE_OIDC_CLIENT_ID',
  clientSecret: 'SLUICE_OIDC_CLIENT_SECRET',
  clientSecretFile: 'SLUICE_OIDC_CLIENT_SECRET_FILE',
  scopes: 'SLUICE_OIDC_SCOPES',
  usernameClaim: 'SLUICE_OIDC_USERNAME_CLAIM',
  groupsClaim: 'SLUICE_OIDC_GROUPS_CLAIM',
  adminGroup: 'SLUICE_OIDC_ADMIN_GROUP',
  redirectUrl: 'SLUICE_OIDC_REDIRECT_URL',
  displayName: 'SLUICE_OIDC_NAME',
  groupRoles: 'SLUICE_OIDC_GROUP_ROLES',
  groupRolesFile: 'SLUICE_OIDC_GROUP_ROLES_FILE',
} as const;

/** Where the provider sends the browser back to, under the server's origin. */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
export const OIDC_DEFAULT_SCOPES = ['openid', 'profile', 'email'];
export const OIDC_TIMEOUT_MS = 10_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const bad = (variable: string, problem: ReturnType<typeof message>) =>
  new SluiceError('invalid_argument', problem, { setting: variable });

/** An http(s) URL without credentials, query or fragment; plain http only to this machine. */
function webUrl(text: string): URL | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return null;
  if (u.username || u.password || u.search || u.hash) return null;
  return u;
}

/**
 * The OpenID Connect settings from SLUICE_OIDC_*, or null when SLUICE_OIDC_ISSUER is unset (and no
 * other is set). `secretFromFile` is the content of SLUICE_OIDC_CLIENT_SECRET_FILE, read by the
 * caller. Every missing or malformed value is refused naming its variable, so that the server does
 * not start with a sign-in that cannot work.
 */
export function parseOidcSettings(
  env: Record<string, string | undefined>,
  secretFromFile?: string,
  /** The content of SLUICE_OIDC_GROUP_ROLES_FILE, read by the caller. */
  groupRolesFromFile?: string,
): OidcSettings | null {
  const v = (name: string) => env[name]?.trim() || undefined;
  const issuer = v(OIDC_VARIABLES.issuer);
  if (issuer === undefined) {
    const given = Object.values(OIDC_VARIABLES).find((n) => v(n) !== undefined);
    if (given) throw bad(OIDC_VARIABLES.issuer, message('config.oidcNoIssuer', { given }));
    return null;
  }
  if (!webUrl(issuer))
    throw bad(OIDC_VARIABLES.issuer, message('config.oidcBadIssuer', { url: urlShown(issuer) }));
  const clientId = v(OIDC_VARIABLES.clientId);
  if (clientId === undefined)
    throw bad(OIDC_VARIABLES.clientId, message('config.oidcMissing', { variable: OIDC_VARIABLES.clientId }));
  const inline = env[OIDC_VARIABLES.clientSecret];
  const fromFile = v(OIDC_VARIABLES.clientSecretFile);
  if (inline && fromFile) throw bad(OIDC_VARIABLES.clientSecret, message('config.oidcSecretTwice', {}));
  // A file's last line break is not part of the secret (echo adds one).
  const clientSecret = fromFile ? (secretFromFile ?? '').replace(/\r?\n$/, '') : (inline ?? '');
  if (!clientSecret)
    throw fromFile
      ? bad(OIDC_VARIABLES.clientSecretFile, message('config.oidcEmptySecretFile', { file: fromFile }))
      : bad(OIDC_VARIABLES.clientSecret, message('config.oidcNoSecret', {}));
  const scopeText = v(OIDC_VARIABLES.scopes);
  const scopes = scopeText === undefined ? OIDC_DEFAULT_SCOPES : scopeText.split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid') || !scopes.every((s) => SCOPE.test(s)))
    throw bad(OIDC_VARIABLES.scopes, message('config.oidcBadScopes', { value: scopeText ?? '' }));
  const claim = (name: string, fallback: string) => {
    const value = v(name) ?? fallback;
    if (!CLAIM.test(value)) throw bad(name, message('config.oidcBadClaim', { variable: name, value }));
    return value;
  };
  const redirectText = v(OIDC_VARIABLES.redirectUrl);
  if (redirectText !== undefined) {
    const u = webUrl(redirectText);
    if (!u || !u.pathname.endsWith(OIDC_CALLBACK_PATH))
      throw bad(
        OIDC_VARIABLES.redirectUrl,
        message('config.oidcBadRedirect', { url: urlShown(redirectText), path: OIDC_CALLBACK_PATH }),
      );
  }
  const groupsClaim = claim(OIDC_VARIABLES.groupsClaim, 'groups');
  return {
    issuer,
    clientId,
    clientSecret,
    scopes: [...new Set(scopes)],
    usernameClaim: claim(OIDC_VARIABLES.usernameClaim, 'preferred_username'),
    groupsClaim,
    adminGroup: v(OIDC_VARIABLES.adminGroup) ?? null,
    redirectUrl: redirectText ?? null,
    displayName: v(OIDC_VARIABLES.displayName) ?? 'OpenID Connect',
    timeoutMs: OIDC_TIMEOUT_MS,
    groupRoles: oidcGroupRoles(env, groupRolesFromFile, groupsClaim),
  };
}

/** SLUICE_OIDC_GROUP_ROLES (or its _FILE): groups as the groups claim names them, exactly. */
function oidcGroupRoles(
  env: Record<string, string | undefined>,
  fromFile: string | undefined,
  claim: string,
): GroupRole[] {
  const variable = OIDC_VARIABLES.groupRoles;
  const inline = env[variable]?.trim() || undefined;
  const file = env[OIDC_VARIABLES.groupRolesFile]?.trim() || undefined;
  if (inline && file) throw bad(variable, message('config.groupRolesTwice', { variable }));
  const text = inline ?? (file ? (fromFile ?? '') : undefined);
  if (text === undefined) return [];
  const named = file ? OIDC_VARIABLES.groupRolesFile : variable;
  return parseGroupRoles(text, named, (group) =>
    group.trim() === '' || group !== group.trim()
      ? message('config.groupRolesBadGroup', { variable: named, group, claim })
      : null,
  );
}

/** Who a provider's verified claims make of the user: the Sluice user name and whether it is admin. */
export interface OidcIdentity {
  /** The provider's subject (`sub`): stable, unlike a name; said in messages and the audit. */
  subject: string;
  name: string;
  admin: boolean;
  /** The values of the groups claim. */
  groups: string[];
}

/**
 * The user of verified claims: the name from the username claim (lower-cased; it must be a Sluice
 * user name), admin when the groups claim (an array of names, or one name) holds the admin group.
 * A claim that cannot name a user is refused saying which claim and what to set.
 */
export function oidcIdentity(
  claims: Record<string, unknown>,
  s: Pick<OidcSettings, 'usernameClaim' | 'groupsClaim' | 'adminGroup'>,
): OidcIdentity {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const raw = claims[s.usernameClaim];
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new SluiceError('forbidden', message('oidc.noUserName', { claim: s.usernameClaim, subject }), {
      claim: s.usernameClaim,
    });
  const name = raw.trim().toLowerCase();
  if (!USER_NAME.test(name))
    throw new SluiceError(
      'forbidden',
      message('oidc.badUserName', { claim: s.usernameClaim, value: raw.slice(0, 100) }),
      { claim: s.usernameClaim },
    );
  const g = claims[s.groupsClaim];
  const groups = Array.isArray(g)
    ? g.filter((x): x is string => typeof x === 'string')
    : typeof g === 'string'
      ? [g]
      : [];
  return { subject, name, admin: s.adminGroup !== null && groups.includes(s.adminGroup), groups };
}
