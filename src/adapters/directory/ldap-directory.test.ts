import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LDAP_PEOPLE, LDAP_TREE, startLdap, type LdapServer } from '../../../test/support/ldap.ts';
import { freePort } from '../../../test/support/ports.ts';
import { renderMessage } from '../../domain/messages.ts';
import { LdapDirectory } from './ldap-directory.ts';
import { PROBLEM_CHECK_MS } from '../system/recent-answer.ts';

const { alice, bob, erin } = LDAP_PEOPLE;

/** What a call gave: the user's DN and admin flag, null, or the code and message of its error. */
const outcome = (p: Promise<{ dn: string; admin: boolean } | null>) =>
  p.then(
    (u) => (u ? `${u.dn} admin=${u.admin}` : null),
    (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
  );

/** The LDAP adapter against a real slapd (test/support/ldap.ts) started for this file. */
describe('LdapDirectory', () => {
  let ldap: LdapServer;
  let directory: LdapDirectory;
  beforeAll(async () => {
    ldap = await startLdap();
    directory = new LdapDirectory(ldap.settings);
  });
  afterAll(async () => {
    await ldap?.stop({ remove: true });
  });

  it('finds the user with the search account, proves the password by a bind, and reads its groups', async () => {
    const a = await directory.authenticate('alice', alice.password);
    expect(a).toEqual({
      dn: `uid=alice,${LDAP_TREE.users}`,
      groups: expect.arrayContaining([LDAP_TREE.adminGroup, `cn=developers,${LDAP_TREE.groups}`]) as string[],
      admin: true,
    });
    expect(await directory.authenticate('bob', bob.password)).toEqual({
      dn: `uid=bob,${LDAP_TREE.users}`,
      groups: [`cn=developers,${LDAP_TREE.groups}`],
      admin: false,
    });
    expect(await directory.problem()).toBeNull();
  });

  it('gives nobody for a wrong password, an unknown user, or an empty password (an anonymous bind)', async () => {
    expect(await directory.authenticate('alice', bob.password)).toBeNull();
    expect(await directory.authenticate('carol', alice.password)).toBeNull();
    expect(await directory.authenticate('alice', '')).toBeNull();
  });

  it('escapes the user name in the filter: wildcards and parentheses match no one', async () => {
    // Unescaped, `ali*` would find alice and her password would sign in; `*` would match everyone.
    for (const name of ['ali*', '*', '*)(uid=*', 'alice)(|(uid=*', 'alice\\', '(uid=alice)'])
      expect(await outcome(directory.authenticate(name, alice.password)), name).toBeNull();
    expect(await outcome(directory.authenticate('alice', alice.password))).toBe(
      `uid=alice,${LDAP_TREE.users} admin=true`,
    );
  });

  it('takes the admin flag from the group as it is now', async () => {
    const members = (change: 'add' | 'delete') =>
      ldap.modify(
        `dn: ${LDAP_TREE.adminGroup}\nchangetype: modify\n${change}: member\nmember: uid=bob,${LDAP_TREE.users}\n`,
      );
    members('add');
    try {
      expect((await directory.authenticate('bob', bob.password))?.admin).toBe(true);
    } finally {
      members('delete');
    }
    expect((await directory.authenticate('bob', bob.password))?.admin).toBe(false);
  });

  it('follows groups within groups to the depth set, and a cycle of groups ends', async () => {
    // erin is named by stream-team only; stream-team is in flink-dev and loop-a, flink-dev in
    // data-platform, loop-a and loop-b in each other.
    const groupsAt = async (groupDepth: number) =>
      (await new LdapDirectory({ ...ldap.settings, groupDepth }).authenticate('erin', erin.password))?.groups;
    expect(await groupsAt(0)).toEqual([LDAP_TREE.streamTeam]);
    expect(new Set(await groupsAt(1))).toEqual(
      new Set([LDAP_TREE.streamTeam, LDAP_TREE.flinkDev, LDAP_TREE.loopA]),
    );
    const all = new Set([
      LDAP_TREE.streamTeam,
      LDAP_TREE.flinkDev,
      LDAP_TREE.loopA,
      LDAP_TREE.dataPlatform,
      LDAP_TREE.loopB,
    ]);
    expect(new Set(await groupsAt(2))).toEqual(all);
    // The default depth (5) and the largest (20) find nothing more: the cycle is followed once.
    expect(ldap.settings.groupDepth).toBe(5);
    expect(await directory.authenticate('erin', erin.password)).toMatchObject({ admin: false });
    expect(new Set((await directory.authenticate('erin', erin.password))?.groups)).toEqual(all);
    expect(new Set(await groupsAt(20))).toEqual(all);
    // A member of the admin group through a group is an admin.
    const nest = (change: 'add' | 'delete') =>
      ldap.modify(
        `dn: ${LDAP_TREE.adminGroup}\nchangetype: modify\n${change}: member\nmember: ${LDAP_TREE.loopB}\n`,
      );
    nest('add');
    try {
      expect((await directory.authenticate('erin', erin.password))?.admin).toBe(true);
    } finally {
      nest('delete');
    }
  });

  it('a refused search account or a base that is not there is directory_unavailable, saying what to check', async () => {
    const refused = new LdapDirectory({ ...ldap.settings, bindPassword: 'not the password' });
    expect(await outcome(refused.authenticate('alice', alice.password))).toBe(
      `directory_unavailable: the LDAP directory at ${ldap.url} refused the search account ${LDAP_TREE.serviceDn} (invalid credentials, LDAP result 49): check SLUICE_LDAP_BIND_DN and its password (SLUICE_LDAP_BIND_PASSWORD or SLUICE_LDAP_BIND_PASSWORD_FILE)`,
    );
    expect(renderMessage((await refused.problem())!)).toContain('refused the search account');
    const nowhere = new LdapDirectory({ ...ldap.settings, userBase: `ou=staff,${LDAP_TREE.base}` });
    expect(await outcome(nowhere.authenticate('alice', alice.password))).toMatch(
      new RegExp(`^directory_unavailable: the LDAP directory at ${ldap.url} could not search ou=staff,`),
    );
  });

  it('a directory that does not answer is directory_unavailable within its timeout, never a hang', async () => {
    // Accepts connections and never says a word.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const mute = new LdapDirectory({ ...ldap.settings, url: `ldap://127.0.0.1:${port}`, timeoutMs: 800 });
      const started = Date.now();
      expect(await outcome(mute.authenticate('alice', alice.password))).toMatch(
        new RegExp(
          `^directory_unavailable: the LDAP directory at ldap://127.0.0.1:${port} does not answer \\(.+\\): check that it runs`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
    const closed = await freePort();
    const gone = new LdapDirectory({ ...ldap.settings, url: `ldap://127.0.0.1:${closed}` });
    expect(await outcome(gone.authenticate('alice', alice.password))).toMatch(
      new RegExp(
        `^directory_unavailable: the LDAP directory at ldap://127.0.0.1:${closed} does not answer \\(.*ECONNREFUSED`,
      ),
    );
  });
  it("asks the directory for health's answer at most once per half-minute", async () => {
    // Counts the connections health's check opens, and answers none of them.
    let connections = 0;
    const counting = net.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    const port = await freePort();
    await new Promise<void>((r) => counting.listen(port, '127.0.0.1', r));
    let now = 1_000_000;
    try {
      const watched = new LdapDirectory(
        { ...ldap.settings, url: `ldap://127.0.0.1:${port}`, timeoutMs: 800 },
        () => now,
      );
      const first = await watched.problem();
      expect(first && renderMessage(first)).toMatch(/does not answer/);
      now += PROBLEM_CHECK_MS - 1;
      expect(await watched.problem()).toBe(first);
      expect(connections).toBe(1);
      now += 1;
      await watched.problem();
      expect(connections).toBe(2);
      // A sign-in that finds the directory silent is health's answer from then on, without asking again.
      const signedIn = new LdapDirectory(
        { ...ldap.settings, url: `ldap://127.0.0.1:${port}`, timeoutMs: 800 },
        () => now,
      );
      await expect(signedIn.authenticate('alice', alice.password)).rejects.toThrow(/does not answer/);
      const seen = connections;
      expect(renderMessage((await signedIn.problem())!)).toMatch(/does not answer/);
      expect(connections).toBe(seen);
    } finally {
      await new Promise((r) => counting.close(r));
    }
    // Against the real directory the answer is ready, and stays so within the half-minute.
    expect(await directory.problem()).toBeNull();
  });
});

/** StartTLS against a slapd with a certificate made for it (test/support/ldap.ts, openssl). */
describe('LdapDirectory over StartTLS', () => {
  let ldap: LdapServer;
  let strict: LdapServer;
  beforeAll(async () => {
    ldap = await startLdap({ tls: true });
    strict = await startLdap({ requireTls: true });
  });
  afterAll(async () => {
    await ldap?.stop({ remove: true });
    await strict?.stop({ remove: true });
  });
  const ca = (file: string) => fs.readFileSync(file, 'utf8');

  it('upgrades with StartTLS, trusting the CA file given', async () => {
    const tls = new LdapDirectory({ ...ldap.settings, startTls: true, ca: ca(ldap.tls!.caFile) });
    expect(await outcome(tls.authenticate('alice', alice.password))).toBe(
      `uid=alice,${LDAP_TREE.users} admin=true`,
    );
    expect(await tls.authenticate('alice', bob.password)).toBeNull();
    expect(await tls.problem()).toBeNull();
  });

  it('a certificate signed by another CA, or by none the system trusts: the sign-in fails saying so, and health too', async () => {
    for (const settings of [
      { ...ldap.settings, startTls: true, ca: ca(ldap.tls!.otherCaFile) },
      { ...ldap.settings, startTls: true, ca: null },
    ]) {
      const refused = new LdapDirectory(settings);
      expect(await outcome(refused.authenticate('alice', alice.password))).toMatch(
        new RegExp(
          `^directory_unavailable: the TLS certificate of the LDAP directory at ${ldap.url} is not trusted \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .+\\): nobody was signed in; give the certificate authority that signed it in SLUICE_LDAP_CA_FILE`,
        ),
      );
      expect(renderMessage((await refused.problem())!)).toMatch(
        /TLS certificate of the LDAP directory .* is not trusted/,
      );
    }
  });

  it('a directory without TLS refuses StartTLS: said as such', async () => {
    const plain = await startLdap();
    try {
      const upgrade = new LdapDirectory({ ...plain.settings, startTls: true });
      expect(await outcome(upgrade.authenticate('alice', alice.password))).toMatch(
        new RegExp(
          `^directory_unavailable: the LDAP directory at ${plain.url} refused StartTLS \\(.+\\): nobody was signed in`,
        ),
      );
    } finally {
      await plain.stop({ remove: true });
    }
  });

  it('a directory that requires TLS refuses plain binds, saying to set SLUICE_LDAP_STARTTLS; with it, signs in', async () => {
    const plain = new LdapDirectory(strict.settings);
    expect(await outcome(plain.authenticate('alice', alice.password))).toBe(
      `directory_unavailable: the LDAP directory at ${strict.url} takes binds over TLS only (confidentiality required, LDAP result 13): nobody was signed in; set SLUICE_LDAP_STARTTLS=true to upgrade the connection (with SLUICE_LDAP_CA_FILE if its certificate is not signed by a system CA), or use an ldaps:// URL`,
    );
    const tls = new LdapDirectory({ ...strict.settings, startTls: true, ca: ca(strict.tls!.caFile) });
    expect(await outcome(tls.authenticate('bob', bob.password))).toBe(
      `uid=bob,${LDAP_TREE.users} admin=false`,
    );
  });
});
