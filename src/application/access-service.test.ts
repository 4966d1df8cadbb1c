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

  it('changing a password: the current one proves it; other sessions end, this one and the tokens stay', async () => {
    await access.ensureFirstAdmin();
    const carl = await access.addUser({ name: 'carl', admin: false, password: 'the first password' });
    const here = (await access.signIn('carl', 'the first password', '10.0.0.2')).sessionId;
    const elsewhere = (await access.signIn('carl', 'the first password', '10.0.0.3')).sessionId;
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'changed',
        (e: Error & { code?: string; details?: unknown }) => `${e.code}: ${e.message}`,
      );
    const change = (current: string, next: string) =>
      access.changePassword('carl', current, next, { address: '10.0.0.2', keepSession: here });

    expect(await refusal(change('not the password', 'the second password'))).toBe(
      'invalid_argument: the current password is wrong: nothing was changed; give the password you sign in with now (forgotten: a platform admin sets a new one with sluice user passwd carl)',
    );
    // Counted as a failed sign-in of the user and the address, so guessing here is slowed as there.
    const since = '2025-01-01T00:00:00Z';
    expect(await store.access.failuresSince(['user:carl'], since)).toBe(1);
    expect(await store.access.failuresSince(['address:10.0.0.2'], since)).toBe(1);
    expect(await refusal(change('the first password', 'short'))).toMatch(/at least 12 characters/);
    expect(await refusal(change('the first password', 'the first password'))).toMatch(
      /the new password is the current one/,
    );
    // Nothing of that changed anything.
    expect(isPrincipal(await access.bySession(elsewhere))).toBe(true);
    expect((await access.signIn('carl', 'the first password', '10.0.0.5')).user.name).toBe('carl');

    expect(await refusal(change('the first password', 'the second password'))).toBe('changed');
    expect(await store.access.failuresSince(['user:carl'], since)).toBe(0);
    expect(await access.bySession(here)).toMatchObject({ user: 'carl', via: { kind: 'session' } });
    expect(await access.bySession(elsewhere)).toEqual({ kind: 'session' });
    expect(await access.byToken(carl.secret)).toMatchObject({ user: 'carl' });
    expect(await refusal(access.signIn('carl', 'the first password', '10.0.0.6'))).toMatch(/wrong/);
    expect((await access.signIn('carl', 'the second password', '10.0.0.6')).user.name).toBe('carl');
  });

  it('a platform admin sets a local user’s password (every session of it ends); LDAP and OIDC users have none here', async () => {
    await access.ensureFirstAdmin();
    const dora = await access.addUser({ name: 'dora', admin: false });
    // Tokens only: there is no current password to give, an admin sets the first one.
    await expect(
      access.changePassword('dora', 'anything', 'a new password', { address: '10.0.0.7' }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/sluice user passwd dora/) });
    await access.setPassword('dora', 'doras first password');
    const s = (await access.signIn('dora', 'doras first password', '10.0.0.7')).sessionId;
    await access.setPassword('dora', 'doras next password');
    expect(await access.bySession(s)).toEqual({ kind: 'session' });
    expect(await access.byToken(dora.secret)).toMatchObject({ user: 'dora' });
    expect((await access.signIn('dora', 'doras next password', '10.0.0.7')).user.name).toBe('dora');
    await expect(access.setPassword('dora', 'short')).rejects.toThrow(/at least 12/);
    await expect(access.setPassword('nobody', 'a long password!')).rejects.toMatchObject({
      code: 'not_found',
    });

    await store.access.addUser({ name: 'lena', admin: false, passwordHash: null, source: 'ldap' });
    await store.access.addUser({ name: 'otto', admin: false, passwordHash: null, source: 'oidc' });
    await expect(access.setPassword('lena', 'a long password!')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/LDAP.*change it in the directory/),
    });
    await expect(
      access.changePassword('otto', 'x', 'a long password!', { address: '10.0.0.8' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/change it at the provider/),
    });
  });

  it('a service token replaces the previous one of its name', async () => {
    await access.ensureFirstAdmin();
    const first = await access.serviceToken('embedded prometheus', ['read']);
    const second = await access.serviceToken('embedded prometheus', ['read']);
    expect(await access.byToken(first)).toMatchObject({ kind: 'token', reason: 'revoked' });
    expect(await access.byToken(second)).toMatchObject({ user: 'admin', scopes: ['read'] });
  });
});
