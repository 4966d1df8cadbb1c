import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import type { Scope } from './permissions.ts';

export { SCOPES, allows, permissionOf, type Permission, type Scope } from './permissions.ts';

/**
 * Users, their passwords, API tokens and console sessions (issue 15, local users). Everything secret
 * is kept only as a hash: a password as scrypt (memory-hard, salted, parameters in the stored string
 * so they can be raised later), a token or a session id as SHA-256 of 256 random bits (a hash of a
 * secret that long cannot be brute-forced, so a slow hash would only cost every request).
 */

// ---- users ----

/** A user name: lower-case letters, digits, `.`, `_`, `-`, starting with a letter; 1-64 characters. */
export const USER_NAME = /^[a-z][a-z0-9._-]{0,63}$/;
/** The first platform admin, made at the first start. */
export const FIRST_ADMIN = 'admin';

export function checkUserName(name: string): string {
  if (!USER_NAME.test(name))
    throw new SluiceError('invalid_argument', message('access.userNameInvalid', { name }), {
      field: 'name',
    });
  return name;
}

/** Where a user signs in: a password Sluice keeps (or tokens only), an LDAP directory, or an OpenID Connect provider. */
export type UserSource = 'local' | 'ldap' | 'oidc';

export interface User {
  name: string;
  /** A platform admin manages users; everyone else manages their own tokens. */
  admin: boolean;
  createdAt: string;
  /**
   * ldap, oidc: made at its first sign-in through the directory or the provider, admin as its groups
   * say at each sign-in.
   */
  source: UserSource;
}

// ---- passwords ----

/** scrypt's cost: N=2^15, r=8, p=1 (32 MiB and ~50-100 ms per hash). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
export const PASSWORD_MIN_LENGTH = 12;
const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const scryptAsync = (password: string, salt: Buffer, params: { N: number; r: number; p: number }) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { ...params, maxmem: 256 * params.N * params.r },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export function checkPassword(password: string): string {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    throw new SluiceError(
      'invalid_argument',
      message('access.passwordTooShort', { min: PASSWORD_MIN_LENGTH }),
      { field: 'password' },
    );
  return password;
}

/** A password as `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64, PHC-like). */
export async function hashPassword(password: string, params = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return `$scrypt$ln=${Math.log2(params.N)},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/** Whether a password is the one hashed, in constant time; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const [, ln, r, p, salt, key] = m;
  const expected = Buffer.from(key!, 'base64');
  const got = await scryptAsync(password, Buffer.from(salt!, 'base64'), {
    N: 2 ** Number(ln),
    r: Number(r),
    p: Number(p),
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A hash to compare with when the user does not exist: the answer then takes as long as a wrong password. */
export const DECOY_HASH =
  '$scrypt$ln=15,r=8,p=1$c2x1aWNlLWRlY295LXNhbHQ$W6U4d1cYEwQAKmq34URiWIHTgBEp78Rz4p9VMjMEys8';

/** A password to print once for the first admin: 24 characters of base64url (144 bits). */
export const newPassword = () => randomBytes(18).toString('base64url');

// ---- API tokens and sessions ----

/** Tokens start with `slu_` so that a leaked one is found by grep and secret scanners. */
export const TOKEN_PREFIX = 'slu_';
const TOKEN = /^slu_[A-Za-z0-9_-]{43}$/;

/** A new secret (256 random bits): the token shown once, its id (the first characters) and its hash. */
export function newToken(): { secret: string; id: string; hash: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, id: tokenId(secret), hash: secretHash(secret) };
}

/** A token's id: a short public handle (list, revoke), the hash of the secret, never the secret. */
const tokenId = (secret: string) => secretHash(`id:${secret}`).slice(0, 16);

export const isTokenText = (s: string) => TOKEN.test(s);

/** SHA-256 of a secret, hex: how tokens and session ids are stored and looked up. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A console session's id: 256 random bits, base64url, in the cookie only; the store keeps its hash. */
export const newSessionId = () => randomBytes(32).toString('base64url');

export interface ApiToken {
  id: string;
  name: string;
  owner: string;
  scopes: Scope[];
  createdAt: string;
  /** null: never expires. */
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Why a token is refused, or null when it may be used now. */
export function tokenRefusal(
  t: Pick<ApiToken, 'expiresAt' | 'revokedAt'>,
  now: Date,
): 'revoked' | 'expired' | null {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && Date.parse(t.expiresAt) <= now.getTime()) return 'expired';
  return null;
}

/** A token's name: what it is for (`laptop`, `ci-deploy`); 1-64 printable characters. */
export function checkTokenName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,63}$/.test(name))
    throw new SluiceError('invalid_argument', message('access.tokenNameInvalid', { name }), {
      field: 'name',
    });
  return name;
}

const DURATION = /^(\d{1,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--expires 30d`: hours, days or weeks from now (at most ~10 years), as an instant. */
export function expiryOf(duration: string, now: Date): string {
  const m = DURATION.exec(duration);
  if (!m || Number(m[1]) === 0)
    throw new SluiceError('invalid_argument', message('access.expiresInvalid', { value: duration }), {
      field: 'expires',
    });
  return new Date(now.getTime() + Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]).toISOString();
}

/** How long a console session lives at most, and without any request. */
export const SESSION_LIFETIME_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 2 * 3_600_000;

export interface ConsoleSession {
  user: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

/** Whether a session still holds: before its end and used within the idle timeout. */
export const sessionLive = (s: ConsoleSession, now: Date): boolean =>
  Date.parse(s.expiresAt) > now.getTime() && Date.parse(s.lastSeenAt) + SESSION_IDLE_MS > now.getTime();

/**
 * How long to hold a failed sign-in's answer: nothing for the first three failures of a user or an
 * address within a quarter hour, then doubling from one second to at most 30 seconds.
 */
export function signInDelayMs(recentFailures: number): number {
  if (recentFailures < 3) return 0;
  return Math.min(30_000, 1000 * 2 ** (recentFailures - 3));
}
export const FAILURE_WINDOW_MS = 15 * 60_000;
