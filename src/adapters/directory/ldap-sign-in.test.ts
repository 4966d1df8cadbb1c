import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addPersonLdif,
  LDAP_PEOPLE,
  LDAP_TREE,
  removePersonLdif,
  startLdap,
  type LdapServer,
} from '../../../test/support/ldap.ts';
import { freshStore } from '../../../test/support/stores.ts';
import { AccessService } from '../../application/access-service.ts';
import { LdapDirectory } from './ldap-directory.ts';
import { MemoryStore } from '../store/memory/memory-store.ts';
import { parseGroupRoles } from '../../domain/access/group-roles.ts';
import { normalDn } from '../../domain/access/ldap-settings.ts';
import { renderMessage, type Message } from '../../domain/messages.ts';
/** Sign-in through a real slapd (test/support/ldap.ts) beside local users. */
describe('AccessService with an LDAP directory', () => {
  let ldap: LdapServer;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let access: AccessService;
  const { alice, bob, erin } = LDAP_PEOPLE;
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => 'signed in',
      (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
    );
  beforeAll(async () => {
    ldap = await startLdap();
  });
  afterAll(async () => {
    await ldap?.stop({ remove: true });
  });
  beforeEach(async () => {
    store = await freshStore('sqlite');
    access = new AccessService(store.access, undefined, new LdapDirectory(ldap.settings));
    await access.ensureFirstAdmin();
  });
  afterEach(async () => {
    await store.close();
  });

  it('the first sign-in makes the user with source ldap and the admin flag of its groups; its tokens work', async () => {
    const s = await access.signIn('alice', alice.password, '10.0.0.2');
    expect(s.user).toMatchObject({ name: 'alice', admin: true, source: 'ldap' });
    expect(await access.bySession(s.sessionId)).toMatchObject({ user: 'alice', admin: true, source: 'ldap' });
    expect((await access.signIn('bob', bob.password, '10.0.0.2')).user).toMatchObject({
      admin: false,
      source: 'ldap',
    });
    expect((await access.users()).map((u) => `${u.name}:${u.source}:${u.admin}`)).toEqual([
      'admin:local:true',
      'alice:ldap:true',
      'bob:ldap:false',
    ]);
    const { secret } = await access.createToken('bob', { name: 'laptop', scopes: ['read'], expiresAt: null });
    expect(await access.byToken(secret)).toMatchObject({ user: 'bob', source: 'ldap', scopes: ['read'] });
  });

  it('refreshes the admin flag from the group at every sign-in', async () => {
    await access.signIn('bob', bob.password, '10.0.0.3');
    const group = (change: 'add' | 'delete') =>
      ldap.modify(
        `dn: ${LDAP_TREE.adminGroup}\nchangetype: modify\n${change}: member\nmember: uid=bob,${LDAP_TREE.users}\n`,
      );
    group('add');
    try {
      expect((await access.signIn('bob', bob.password, '10.0.0.3')).user.admin).toBe(true);
      expect((await access.user('bob'))?.admin).toBe(true);
    } finally {
      group('delete');
    }
    expect((await access.signIn('bob', bob.password, '10.0.0.3')).user.admin).toBe(false);
  });

  it('a wrong password and an unknown user get the local refusal; a local user of the same name signs in locally', async () => {
    const refused = 'unauthenticated: the user name or the password is wrong';
    expect(await failure(access.signIn('alice', 'not her password', '10.0.0.4'))).toBe(refused);
    expect(await failure(access.signIn('carol', alice.password, '10.0.0.5'))).toBe(refused);
    expect(await access.user('carol')).toBeUndefined();
    // A local bob shadows the directory's: only the local password signs in.
    await access.addUser({ name: 'bob', admin: false, password: 'bob’s local password' });
    expect(await failure(access.signIn('bob', bob.password, '10.0.0.6'))).toBe(refused);
    expect((await access.signIn('bob', 'bob’s local password', '10.0.0.6')).user.source).toBe('local');
  });

  it('failed LDAP sign-ins are slowed like local ones: the fourth attempt waits, even with the right password', async () => {
    for (let i = 0; i < 3; i++) await failure(access.signIn('bob', `wrong ${i}`, '10.0.0.9'));
    const started = Date.now();
    expect(await failure(access.signIn('bob', bob.password, '10.0.0.9'))).toBe('signed in');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('an LDAP user gets no local password, and a silent directory is a 503 naming it', async () => {
    await access.signIn('alice', alice.password, '10.0.0.7');
    expect(await failure(access.addUser({ name: 'alice', admin: false, password: 'a local password' }))).toBe(
      "conflict: user alice signs in through LDAP: its password is the directory's and Sluice keeps none; change it in the directory",
    );
    const gone = new AccessService(
      store.access,
      undefined,
      new LdapDirectory({ ...ldap.settings, url: 'ldap://127.0.0.1:1' }),
    );
    expect(await failure(gone.signIn('alice', alice.password, '10.0.0.8'))).toMatch(
      /^directory_unavailable: the LDAP directory at ldap:\/\/127.0.0.1:1 does not answer/,
    );
  });

  it('sets the memberships its groups give in the spaces store (in memory): through nested groups, warning of a mapped space that does not exist', async () => {
    const spaces = new MemoryStore().spaces;
    const at = '2026-12-05T00:00:00.000Z';
    await spaces.addSpace({ name: 'team-b', createdAt: at, createdBy: 'admin' });
    const said: Message[] = [];
    const mapped = new AccessService(
      store.access,
      undefined,
      new LdapDirectory(ldap.settings),
      null,
      spaces,
      parseGroupRoles(
        JSON.stringify({
          [LDAP_TREE.dataPlatform]: { 'team-b': 'developer' },
          [LDAP_TREE.loopB]: { 'team-b': 'viewer', 'not-made': 'owner' },
        }),
        'SLUICE_LDAP_GROUP_ROLES',
        () => null,
        normalDn,
      ),
      (m) => said.push(m),
    );
    const s = await mapped.signIn('erin', erin.password, '10.0.0.10');
    expect(s.changes).toEqual({
      set: [{ space: 'team-b', user: 'erin', role: 'developer', source: 'ldap' }],
      remove: [],
    });
    expect(await spaces.membershipsOf('erin')).toEqual([
      { space: 'team-b', user: 'erin', role: 'developer', source: 'ldap' },
    ]);
    expect(await spaces.space('not-made')).toBeUndefined();
    expect(said.map(renderMessage)).toEqual([
      `SLUICE_LDAP_GROUP_ROLES gives group '${LDAP_TREE.loopB}' a role in space 'not-made', which does not exist: create it (sluice space create not-made) or change the mapping; until then the group's members get no role there`,
    ]);
    expect((await mapped.groupRoleProblems()).map((m) => m.params.space)).toEqual(['not-made']);
    // Nothing changed since: the next sign-in changes nothing.
    expect((await mapped.signIn('erin', erin.password, '10.0.0.10')).changes).toEqual({
      set: [],
      remove: [],
    });
  });

  describe('looking every LDAP user up again (SLUICE_LDAP_SYNC_INTERVAL, sluice user sync)', () => {
    const dave = { uid: 'dave', password: "dave's directory password", cn: 'Dave Leaving' };
    const member = (group: string, change: 'add' | 'delete', uid: string) =>
      ldap.modify(
        `dn: ${group}\nchangetype: modify\n${change}: member\nmember: uid=${uid},${LDAP_TREE.users}\n`,
      );
    /** An AccessService whose flink-dev members are developers of team-b. */
    const mapped = async (directory = new LdapDirectory(ldap.settings), said: Message[] = []) => {
      const spaces = new MemoryStore().spaces;
      await spaces.addSpace({ name: 'team-b', createdAt: '2026-12-05T00:00:00.000Z', createdBy: 'admin' });
      const groupRoles = parseGroupRoles(
        JSON.stringify({ [LDAP_TREE.flinkDev]: { 'team-b': 'developer' } }),
        'SLUICE_LDAP_GROUP_ROLES',
        () => null,
        normalDn,
      );
      return {
        spaces,
        access: new AccessService(store.access, undefined, directory, null, spaces, groupRoles, (m) =>
          said.push(m),
        ),
      };
    };
    afterEach(() => {
      // dave may still be there when a test failed halfway.
      try {
        ldap.modify(removePersonLdif(dave.uid, [LDAP_TREE.streamTeam, LDAP_TREE.adminGroup]));
      } catch {
        /* not there: the test removed it */
      }
    });

    it('follows groups left and joined, and removes a user the directory no longer has with its token and session', async () => {
      const { spaces, access: a } = await mapped();
      ldap.modify(addPersonLdif(dave, [LDAP_TREE.streamTeam]));
      const session = await a.signIn('dave', dave.password, '10.0.0.11');
      const { secret } = await a.createToken('dave', { name: 'ci', scopes: ['read'], expiresAt: null });
      await a.signIn('bob', bob.password, '10.0.0.11');
      expect(await spaces.membershipsOf('dave')).toEqual([
        { space: 'team-b', user: 'dave', role: 'developer', source: 'ldap' },
      ]);
      // As the directory says already: nothing changes.
      expect(await a.syncDirectory()).toEqual({ checked: 2, changes: [], kept: [] });

      // dave leaves stream-team (so flink-dev), bob joins the admins: neither signs in.
      member(LDAP_TREE.streamTeam, 'delete', 'dave');
      member(LDAP_TREE.adminGroup, 'add', 'bob');
      try {
        const round = await a.syncDirectory();
        expect(round.changes).toEqual([
          {
            user: 'bob',
            removed: false,
            admin: { before: false, after: true },
            memberships: { set: [], remove: [] },
            membershipsBefore: [],
          },
          {
            user: 'dave',
            removed: false,
            admin: { before: false, after: false },
            memberships: {
              set: [],
              remove: [{ space: 'team-b', user: 'dave', role: 'developer', source: 'ldap' }],
            },
            membershipsBefore: [{ space: 'team-b', user: 'dave', role: 'developer', source: 'ldap' }],
          },
        ]);
        expect((await a.user('bob'))?.admin).toBe(true);
        expect(await spaces.membershipsOf('dave')).toEqual([]);
      } finally {
        member(LDAP_TREE.adminGroup, 'delete', 'bob');
      }

      // A directory that does not answer: refused, nobody removed (an outage is not a departure).
      ldap.modify(removePersonLdif(dave.uid));
      const silent = await mapped(new LdapDirectory({ ...ldap.settings, url: 'ldap://127.0.0.1:1' }));
      await expect(silent.access.syncDirectory()).rejects.toMatchObject({ code: 'directory_unavailable' });
      expect(await a.user('dave')).toBeDefined();

      const gone = await a.syncDirectory();
      expect(gone.changes.map((c) => [c.user, c.removed, c.admin.after])).toEqual([
        ['bob', false, false],
        ['dave', true, false],
      ]);
      expect(await a.user('dave')).toBeUndefined();
      expect(await a.byToken(secret)).toEqual({ kind: 'token-unknown' });
      expect(await a.bySession(session.sessionId)).toEqual({ kind: 'session' });
    });

    it('keeps the last platform admin the directory no longer has, and says so', async () => {
      const said: Message[] = [];
      const { access: a } = await mapped(new LdapDirectory(ldap.settings), said);
      ldap.modify(addPersonLdif(dave, [LDAP_TREE.adminGroup]));
      expect((await a.signIn('dave', dave.password, '10.0.0.12')).user.admin).toBe(true);
      await a.removeUser('admin');
      ldap.modify(removePersonLdif(dave.uid, [LDAP_TREE.adminGroup]));
      expect(await a.syncDirectory()).toEqual({ checked: 1, changes: [], kept: ['dave'] });
      expect((await a.user('dave'))?.admin).toBe(true);
      expect(said.map(renderMessage)).toEqual([
        `the LDAP directory at ${ldap.url} no longer has user dave, the last platform admin: it is kept, so that the platform keeps an admin; make another admin, then remove it (sluice user remove dave)`,
      ]);
    });

    it('is refused without a directory', async () => {
      await expect(access.syncDirectory()).resolves.toMatchObject({ checked: 0 });
      const local = new AccessService(store.access);
      await expect(local.syncDirectory()).rejects.toMatchObject({
        code: 'conflict',
        message: 'no LDAP directory is set (SLUICE_LDAP_URL): there are no LDAP users to look up again',
      });
    });
  });
});
