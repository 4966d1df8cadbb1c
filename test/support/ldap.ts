import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseLdapSettings, type LdapSettings } from '../../src/domain/access/ldap-settings.ts';
import { freePort } from './ports.ts';

const SLAPD = '/usr/sbin/slapd';
const BASE = 'dc=sluice,dc=test';
const ROOT_DN = `cn=root,${BASE}`;
const ROOT_PASSWORD = 'root-password-of-the-test-directory';

/** The people and groups the directory is loaded with. */
export const LDAP_PEOPLE = {
  /** A member of sluice-admins: a platform admin. */
  alice: { uid: 'alice', password: "alice's directory password", cn: 'Alice Admin' },
  /** A member of developers only. */
  bob: { uid: 'bob', password: "bob's directory password", cn: 'Bob Developer' },
  /** In groups only through groups: stream-team, which is in flink-dev, which is in data-platform. */
  erin: { uid: 'erin', password: "erin's directory password", cn: 'Erin Streams' },
} as const;

export const LDAP_TREE = {
  base: BASE,
  users: `ou=people,${BASE}`,
  groups: `ou=groups,${BASE}`,
  adminGroup: `cn=sluice-admins,ou=groups,${BASE}`,
  serviceDn: `cn=sluice,ou=services,${BASE}`,
  servicePassword: "the search account's password",
  /** Groups within groups: erin ∈ stream-team ∈ flink-dev ∈ data-platform; loop-a and loop-b each other's. */
  streamTeam: `cn=stream-team,ou=groups,${BASE}`,
  flinkDev: `cn=flink-dev,ou=groups,${BASE}`,
  dataPlatform: `cn=data-platform,ou=groups,${BASE}`,
  loopA: `cn=loop-a,ou=groups,${BASE}`,
  loopB: `cn=loop-b,ou=groups,${BASE}`,
} as const;

export interface LdapServer {
  /** ldap://127.0.0.1:<port> */
  url: string;
  /** The SLUICE_LDAP_* environment for this directory. */
  env: Record<string, string>;
  /** The same as parsed settings (SluiceConfig.ldap). */
  settings: LdapSettings;
  /** Changes the directory as its root (an LDIF for ldapmodify), e.g. a group's members. */
  modify(ldif: string): void;
  /** With `tls`: the certificate authority that signed slapd's certificate, and one that did not (PEM files). */
  tls: { caFile: string; otherCaFile: string } | null;
  /** Stops slapd (and is safe to call twice); `remove` also deletes its folder. */
  stop(opts?: { remove?: boolean }): Promise<void>;
}

/** slapd's TLS (the global TLS* directives): its certificate and key; `require` refuses binds without TLS. */
const TLS_CONF = (dir: string, require: boolean) => `
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
${require ? 'security tls=1' : ''}
`;

const SLAPD_CONF = (dir: string, tls: string) => `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
${tls}
# Passwords are checked by binds, read by nobody; the tree is read by bound accounts only.
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by users read
  by * none
database mdb
maxsize 16777216
suffix "${BASE}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PASSWORD}
directory ${dir}/data
`;

/** A person's entry (LDIF) under ou=people: `uid`, `cn` of two words, and its password. */
const person = (p: { uid: string; password: string; cn: string }) => `dn: uid=${p.uid},${LDAP_TREE.users}
objectClass: inetOrgPerson
uid: ${p.uid}
cn: ${p.cn}
sn: ${p.cn.split(' ')[1]}
userPassword: ${p.password}
`;

/**
 * ldapmodify's LDIF that adds a person, a member of `groups` (DNs), for a test that removes it again
 * (`removePersonLdif`): the directory's people above stay as they are for the other tests.
 */
export const addPersonLdif = (p: { uid: string; password: string; cn: string }, groups: string[] = []) =>
  [
    `${person(p).replace('\n', '\nchangetype: add\n')}`,
    ...groups.map(
      (g) => `dn: ${g}\nchangetype: modify\nadd: member\nmember: uid=${p.uid},${LDAP_TREE.users}\n`,
    ),
  ].join('\n');

/** ldapmodify's LDIF that deletes a person added by addPersonLdif from the directory and its groups. */
export const removePersonLdif = (uid: string, groups: string[] = []) =>
  [
    ...groups.map(
      (g) => `dn: ${g}\nchangetype: modify\ndelete: member\nmember: uid=${uid},${LDAP_TREE.users}\n`,
    ),
    `dn: uid=${uid},${LDAP_TREE.users}\nchangetype: delete\n`,
  ].join('\n');

const LDIF = () => {
  return `dn: ${BASE}
objectClass: dcObject
objectClass: organization
dc: sluice
o: Sluice tests

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: ou=services,${BASE}
objectClass: organizationalUnit
ou: services

dn: ${LDAP_TREE.serviceDn}
objectClass: person
cn: sluice
sn: search account
userPassword: ${LDAP_TREE.servicePassword}

${person(LDAP_PEOPLE.alice)}
${person(LDAP_PEOPLE.bob)}
${person(LDAP_PEOPLE.erin)}
dn: ${LDAP_TREE.adminGroup}
objectClass: groupOfNames
cn: sluice-admins
member: uid=alice,${LDAP_TREE.users}

dn: cn=developers,${LDAP_TREE.groups}
objectClass: groupOfNames
cn: developers
member: uid=alice,${LDAP_TREE.users}
member: uid=bob,${LDAP_TREE.users}

dn: ${LDAP_TREE.streamTeam}
objectClass: groupOfNames
cn: stream-team
member: uid=erin,${LDAP_TREE.users}

dn: ${LDAP_TREE.flinkDev}
objectClass: groupOfNames
cn: flink-dev
member: ${LDAP_TREE.streamTeam}

dn: ${LDAP_TREE.dataPlatform}
objectClass: groupOfNames
cn: data-platform
member: ${LDAP_TREE.flinkDev}

dn: ${LDAP_TREE.loopA}
objectClass: groupOfNames
cn: loop-a
member: ${LDAP_TREE.streamTeam}
member: ${LDAP_TREE.loopB}

dn: ${LDAP_TREE.loopB}
objectClass: groupOfNames
cn: loop-b
member: ${LDAP_TREE.loopA}
`;
};

/** ldapadd or ldapmodify as the directory's root; over StartTLS (-ZZ) when slapd has a CA. */
function asRoot(url: string, tool: 'ldapadd' | 'ldapmodify', ldif: string, caFile?: string): void {
  const tls = caFile ? ['-ZZ'] : [];
  const r = spawnSync(tool, ['-x', ...tls, '-H', url, '-D', ROOT_DN, '-w', ROOT_PASSWORD], {
    input: ldif,
    encoding: 'utf8',
    timeout: 20_000,
    env: caFile ? { ...process.env, LDAPTLS_CACERT: caFile } : process.env,
  });
  if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** openssl, failing with what it said. */
function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/**
 * A certificate authority and a server certificate it signs for 127.0.0.1 (slapd's), and a second
 * authority that signs nothing here (the wrong CA), made with openssl in `dir`.
 */
function makeCertificates(dir: string): void {
  for (const ca of ['ca', 'other-ca'])
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-subj',
      `/CN=Sluice test ${ca}`,
    ]);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ]);
}

/**
 * A private OpenLDAP server (Debian's slapd) for a test file: its own temporary folder with a
 * generated slapd.conf, a free port on 127.0.0.1, and the tree above loaded with ldapadd (people,
 * groups, a search account). It is stopped when the file's process exits, and at once when starting
 * fails. `tls`: slapd gets a certificate signed by a CA made for it (StartTLS on its ldap:// port),
 * and with `requireTls` it refuses binds without TLS (`security tls=1`).
 */
export async function startLdap(opts: { tls?: boolean; requireTls?: boolean } = {}): Promise<LdapServer> {
  if (!fs.existsSync(SLAPD))
    throw new Error(
      `${SLAPD} is missing: run scripts/prerequisites.sh --test (Debian's slapd and ldap-utils)`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ldap-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const conf = path.join(dir, 'slapd.conf');
  const tls =
    opts.tls || opts.requireTls
      ? { caFile: path.join(dir, 'ca.pem'), otherCaFile: path.join(dir, 'other-ca.pem') }
      : null;
  if (tls) makeCertificates(dir);
  fs.writeFileSync(conf, SLAPD_CONF(dir, tls ? TLS_CONF(dir, opts.requireTls ?? false) : ''));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const kill = () => child?.exitCode === null && child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async (opts: { remove?: boolean } = {}) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', kill);
    if (opts.remove) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // -d keeps it in the foreground, a child of this process; level 0 logs nothing but errors.
    child = spawn(SLAPD, ['-f', conf, '-h', url + '/', '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    const deadline = Date.now() + 20_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode}): ${log}`);
      if (Date.now() > deadline) throw new Error(`slapd did not listen on ${url} within 20 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    asRoot(url, 'ldapadd', LDIF(), tls?.caFile);
  } catch (e) {
    await stop({ remove: true });
    throw e;
  }
  const env = {
    SLUICE_LDAP_URL: url,
    SLUICE_LDAP_BIND_DN: LDAP_TREE.serviceDn,
    SLUICE_LDAP_BIND_PASSWORD: LDAP_TREE.servicePassword,
    SLUICE_LDAP_USER_BASE: LDAP_TREE.users,
    SLUICE_LDAP_ADMIN_GROUP: LDAP_TREE.adminGroup,
    SLUICE_LDAP_GROUP_BASE: LDAP_TREE.groups,
  };
  return {
    url,
    env,
    settings: parseLdapSettings(env)!,
    modify: (ldif) => asRoot(url, 'ldapmodify', ldif, tls?.caFile),
    tls,
    stop,
  };
}
