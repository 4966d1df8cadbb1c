import type { Scope } from '../../../domain/access/permissions.ts';

/** What an API token can do now: used, or refused for good (revoked) or by time (expired). */
export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(t: { revokedAt: string | null; expiresAt: string | null }, now: Date): TokenState {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && Date.parse(t.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

/** How long a new token lives, as the form offers it: the API's durations (hours, days, weeks), or never. */
export const EXPIRY_CHOICES = ['never', '12h', '7d', '30d', '90d'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/** The create-token form as the API takes it: read-only is the read scope alone; never is no expiry. */
export function tokenRequest(form: { name: string; readOnly: boolean; expires: ExpiryChoice }): {
  name: string;
  scopes: Scope[];
  expires: string | null;
} {
  return {
    name: form.name.trim(),
    scopes: form.readOnly ? ['read'] : ['read', 'write'],
    expires: form.expires === 'never' ? null : form.expires,
  };
}

/**
 * Why a password form cannot be sent yet, before the server is asked: the new password typed twice
 * must be the same (a typo would lock the user out). Its strength is the server's to judge (it says
 * why in its answer), so the console never drifts from the rule.
 */
export function passwordFormProblem(v: { password: string; repeat: string }): 'differ' | null {
  return v.password !== v.repeat ? 'differ' : null;
}

/** The add-user form as the API takes it: a password only when one is given (else tokens only). */
export function userRequest(form: { name: string; admin: boolean; password?: string | undefined }): {
  name: string;
  admin: boolean;
  password?: string;
} {
  const name = form.name.trim();
  return form.password ? { name, admin: form.admin, password: form.password } : { name, admin: form.admin };
}

/** Whether the user may have its password set in Sluice: a local one's is Sluice's, the others' their directory's. */
export const hasSluicePassword = (u: { source: 'local' | 'ldap' | 'oidc' }) => u.source === 'local';
