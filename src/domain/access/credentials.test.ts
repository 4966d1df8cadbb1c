import { describe, expect, it } from 'vitest';
import {
  DECOY_HASH,
  allows,
  checkPassword,
  checkTokenName,
  checkUserName,
  expiryOf,
  hashPassword,
  isTokenText,
  newToken,
  permissionOf,
  secretHash,
  sessionLive,
  signInDelayMs,
  tokenRefusal,
  verifyPassword,
  SESSION_IDLE_MS,
} from './credentials.ts';

describe('passwords', () => {
  it('are hashed with scrypt N=2^15 r=8 p=1 and a fresh salt, verified in constant time', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain')).toBe(false);
  });

  it('keep their parameters in the stored string, so raising them later still verifies old ones', async () => {
    const light = await hashPassword('an older password', { N: 2 ** 10, r: 8, p: 1 });
    expect(light).toContain('$ln=10,r=8,p=1$');
    expect(await verifyPassword('an older password', light)).toBe(true);
  });

  it('the decoy hash is well-formed and matches no password anyone types', async () => {
    expect(await verifyPassword('admin', DECOY_HASH)).toBe(false);
    expect(DECOY_HASH).toMatch(/^\$scrypt\$ln=15/);
  });

  it('shorter than 12 characters are refused with the minimum', () => {
    expect(() => checkPassword('short')).toThrow(/at least 12/);
    expect(checkPassword('long enough pw')).toBe('long enough pw');
  });
});

describe('tokens', () => {
  it('are slu_ and 256 random bits; the store keeps the SHA-256 and a short id, never the secret', () => {
    const t = newToken();
    expect(t.secret).toMatch(/^slu_[A-Za-z0-9_-]{43}$/);
    expect(isTokenText(t.secret)).toBe(true);
    expect(t.hash).toBe(secretHash(t.secret));
    expect(t.hash).not.toContain(t.secret.slice(4));
    expect(t.id).toMatch(/^[0-9a-f]{16}$/);
    expect(newToken().secret).not.toBe(t.secret);
  });

  it('are refused when revoked or expired', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    expect(tokenRefusal({ revokedAt: null, expiresAt: null }, now)).toBeNull();
    expect(tokenRefusal({ revokedAt: null, expiresAt: '2026-01-03T00:00:00Z' }, now)).toBeNull();
    expect(tokenRefusal({ revokedAt: null, expiresAt: '2026-01-01T00:00:00Z' }, now)).toBe('expired');
    expect(tokenRefusal({ revokedAt: '2026-01-01T00:00:00Z', expiresAt: null }, now)).toBe('revoked');
  });

  it('expire after hours, days or weeks; anything else is refused', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(expiryOf('30d', now)).toBe('2026-01-31T00:00:00.000Z');
    expect(expiryOf('12h', now)).toBe('2026-01-01T12:00:00.000Z');
    expect(expiryOf('2w', now)).toBe('2026-01-15T00:00:00.000Z');
    for (const bad of ['0d', '30', '1y', '-1d', '99999d']) expect(() => expiryOf(bad, now)).toThrow(/30d/);
  });

  it('have names of printable characters', () => {
    expect(checkTokenName('ci deploy')).toBe('ci deploy');
    expect(() => checkTokenName('')).toThrow();
    expect(() => checkTokenName('a\nb')).toThrow();
  });
});

describe('users and permissions', () => {
  it('user names are lower-case words', () => {
    expect(checkUserName('alice.w')).toBe('alice.w');
    for (const bad of ['Alice', '1st', '', 'a b', 'x'.repeat(65)]) expect(() => checkUserName(bad)).toThrow();
  });

  it('reads need read, changes need write; a read-only credential cannot change', () => {
    expect(permissionOf('GET')).toBe('read');
    expect(permissionOf('HEAD')).toBe('read');
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(permissionOf(m)).toBe('write');
    expect(allows(['read'], 'write')).toBe(false);
    expect(allows(['read'], 'read')).toBe(true);
    expect(allows([], 'public')).toBe(true);
    expect(allows(['read', 'write'], 'write')).toBe(true);
  });
});

describe('sessions and sign-in', () => {
  it('a session ends at its expiry or after the idle timeout', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const s = {
      user: 'a',
      createdAt: '2026-01-01T09:00:00Z',
      expiresAt: '2026-01-01T20:00:00Z',
      lastSeenAt: '2026-01-01T09:30:00Z',
    };
    expect(sessionLive(s, now)).toBe(true);
    expect(sessionLive({ ...s, expiresAt: '2026-01-01T10:00:00Z' }, now)).toBe(false);
    const idle = new Date(now.getTime() - SESSION_IDLE_MS).toISOString();
    expect(sessionLive({ ...s, lastSeenAt: idle }, now)).toBe(false);
  });

  it('failed sign-ins are slowed from the fourth on, doubling up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(signInDelayMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 30_000]);
  });
});
