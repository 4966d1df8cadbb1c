import { describe, expect, it } from 'vitest';
import { hasSluicePassword, passwordFormProblem, tokenRequest, tokenState, userRequest } from './account.ts';

describe('account models', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('a token is revoked whatever its expiry, expired at its expiry, else active', () => {
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-03-01T12:00:01Z' }, now)).toBe('active');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-03-01T12:00:00Z' }, now)).toBe('expired');
    expect(tokenState({ revokedAt: '2026-02-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' }, now)).toBe(
      'revoked',
    );
  });

  it('a new token: read-only is the read scope alone, never is no expiry, the name trimmed', () => {
    expect(tokenRequest({ name: ' ci ', readOnly: true, expires: '30d' })).toEqual({
      name: 'ci',
      scopes: ['read'],
      expires: '30d',
    });
    expect(tokenRequest({ name: 'laptop', readOnly: false, expires: 'never' })).toEqual({
      name: 'laptop',
      scopes: ['read', 'write'],
      expires: null,
    });
  });

  it('a new password typed twice must be the same', () => {
    expect(passwordFormProblem({ password: 'a long password', repeat: 'a long password' })).toBeNull();
    expect(passwordFormProblem({ password: 'a long password', repeat: 'a long passwort' })).toBe('differ');
  });

  it('a new user has a password only when one is given', () => {
    expect(userRequest({ name: ' bob ', admin: false, password: '' })).toEqual({ name: 'bob', admin: false });
    expect(userRequest({ name: 'ann', admin: true, password: 'a long password' })).toEqual({
      name: 'ann',
      admin: true,
      password: 'a long password',
    });
  });

  it('only a local user has a password in Sluice', () => {
    expect(hasSluicePassword({ source: 'local' })).toBe(true);
    expect(hasSluicePassword({ source: 'ldap' })).toBe(false);
    expect(hasSluicePassword({ source: 'oidc' })).toBe(false);
  });
});
