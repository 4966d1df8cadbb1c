import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../test/support/stores.ts';
import { AccessService, type Principal, type Refusal } from './access-service.ts';

const isPrincipal = (p: Principal | Refusal | null): p is Principal => !!p && 'user' in p;

describe('AccessService', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let now: Date;
  let access: AccessService;
  beforeEach(async () => {
    store = await freshStore('sqlite');
    now = new Date('2026-01-01T00:00:00Z');
    access = new AccessService(store.access, () => now);
  });
  afterEach(async () => {
    await store.close();
  });

  it('makes the first admin once, with a password that signs in; the cli-token is that admin', async () => {
    const password = await access.ensureFirstAdmin();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await access.ensureFirstAdmin()).toBeNull();
    const s = await access.signIn('admin', password!, '127.0.0.1');
    expect(s.user).toMatchObject({ name: 'admin', admin: true });
    const p = await access.bySession(s.sessionId);
    expect(isPrincipal(p) && p.user).toBe('admin');
    expect(await access.byCliToken()).toMatchObject({
      user: 'admin',
      admin: true,
      scopes: ['read', 'write'],
    });
    await access.signOut(s.sessionId);
    expect(await access.bySession(s.sessionId)).toEqual({ kind: 'session' });
  });

  it('refuses a wrong password and an unknown user alike, and slows repeated failures', async () => {
    const password = (await access.ensureFirstAdmin())!;
    const refusal = async (name: string, pw: string) =>
      access.signIn(name, pw, '10.0.0.1').then(
        () => 'signed in',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
    expect(await refusal('admin', 'wrong password!')).toBe(
      'unauthenticated: the user name or the password is wrong',
    );
    expect(await refusal('nobody', 'wrong password!')).toBe(
      'unauthenticated: the user name or the password is wrong',
    );
    await refusal('admin', 'wrong again!!!');
    const started = Date.now();
    // The fourth attempt of this address waits a second, even with the right password.
    expect(await refusal('admin', password)).toBe('signed in');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('tokens: shown once, stored hashed, scoped, expiring, revocable; unknown text is refused', async () => {
    await access.ensureFirstAdmin();
    const { user, secret } = await access.addUser({ name: 'bob', admin: false });
    expect(user).toMatchObject({ name: 'bob', admin: false });
    expect(secret).toMatch(/^slu_/);
    expect(await access.byToken(secret)).toMatchObject({
      user: 'bob',
      admin: false,
      scopes: ['read', 'write'],
    });
    const ro = await access.createToken('bob', {
      name: 'ro',
      scopes: ['read'],
      expiresAt: '2026-01-02T00:00:00Z',
    });
    expect(await access.byToken(ro.secret)).toMatchObject({ scopes: ['read'] });
    now = new Date('2026-01-03T00:00:00Z');
    expect(await access.byToken(ro.secret)).toEqual({ kind: 'token', id: ro.token.id, reason: 'expired' });
    await access.revokeToken('bob', (await access.tokens('bob')).find((t) => t.name === 'first token')!.id);
    expect(await access.byToken(secret)).toMatchObject({ kind: 'token', reason: 'revoked' });
    expect(await access.byToken('slu_nope')).toEqual({ kind: 'token-unknown' });
    await expect(access.revokeToken('admin', ro.token.id)).rejects.toThrow(/not one of yours/);
    expect(JSON.stringify(await access.tokens('bob'))).not.toContain(ro.secret);
  });

  it('users: names checked, no duplicates, the last admin stays, a removed user’s tokens stop working', async () => {
    await access.ensureFirstAdmin();
    await expect(access.addUser({ name: 'Bad Name', admin: false })).rejects.toThrow(/not a user name/);
    await expect(access.addUser({ name: 'carl', admin: false, password: 'short' })).rejects.toThrow(/12/);
    const carl = await access.addUser({ name: 'carl', admin: false, password: 'a long password' });
    await expect(access.addUser({ name: 'carl', admin: false })).rejects.toThrow(/exists already/);
    await expect(access.removeUser('admin')).rejects.toThrow(/last platform admin/);
    await access.removeUser('carl');
    expect(await access.byToken(carl.secret)).toEqual({ kind: 'token-unknown' });
    await expect(access.removeUser('carl')).rejects.toThrow(/does not exist/);
  });

  it('a service token replaces the previous one of its name', async () => {
    await access.ensureFirstAdmin();
    const first = await access.serviceToken('embedded prometheus', ['read']);
    const second = await access.serviceToken('embedded prometheus', ['read']);
    expect(await access.byToken(first)).toMatchObject({ kind: 'token', reason: 'revoked' });
    expect(await access.byToken(second)).toMatchObject({ user: 'admin', scopes: ['read'] });
  });
});
