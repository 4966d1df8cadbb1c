import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';

/**
 * The keys of the local clusters' REST doors (Flink's REST API and the SQL Gateway), made once per
 * Sluice home in `<home>/flink-tls` (owner only): a CA, and one key pair signed by it for 127.0.0.1
 * that Flink serves with and that every client, Sluice and Flink's own (the SQL Gateway submitting to
 * the JobManager), presents. Flink trusts only the CA, so a caller without that key is refused in the
 * TLS handshake.
 */
export interface FlinkRestTls {
  dir: string;
  /** PKCS#12: the key pair and its certificate chain (Flink's keystore, Sluice's client identity). */
  keystore: string;
  /** PKCS#12 holding only the CA's certificate (Flink's truststore). */
  truststore: string;
  /** The password of both stores and of the key (PKCS#12 has one for all). */
  password: string;
  /** The CA's certificate, PEM: what Sluice checks a cluster's certificate against. */
  caPem: string;
}

const FILES = {
  ca: 'ca.p12',
  caPem: 'ca.pem',
  keystore: 'flink.p12',
  truststore: 'truststore.p12',
  password: 'password',
} as const;

/** The keys in `dir`, when a complete set is there. */
export function readFlinkRestTls(dir: string): FlinkRestTls | null {
  const at = (f: string) => path.join(dir, f);
  if (!Object.values(FILES).every((f) => fs.existsSync(at(f)))) return null;
  return {
    dir,
    keystore: at(FILES.keystore),
    truststore: at(FILES.truststore),
    password: fs.readFileSync(at(FILES.password), 'utf8').trim(),
    caPem: fs.readFileSync(at(FILES.caPem), 'utf8'),
  };
}

/**
 * The home's keys, made with the JDK's keytool the first time (a few JVM starts, ~7 s, run as child
 * processes so the platform keeps answering meanwhile). They are made in a scratch folder renamed into
 * place, so a platform killed midway leaves no half set behind.
 */
export async function ensureFlinkRestTls(home: string, java: string): Promise<FlinkRestTls> {
  const dir = path.join(home, 'flink-tls');
  const existing = readFlinkRestTls(dir);
  if (existing) return existing;
  fs.mkdirSync(home, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(home, '.flink-tls-'));
  try {
    fs.chmodSync(scratch, 0o700);
    await makeKeys(scratch, keytoolNextTo(java));
    try {
      fs.renameSync(scratch, dir);
    } catch (e) {
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      // Another platform process on this home made a set meanwhile: its clusters may use it already.
      const theirs = readFlinkRestTls(dir);
      if (theirs) return theirs;
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(scratch, dir);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return readFlinkRestTls(dir)!;
}

/** keytool of the JDK whose java runs Flink (a JRE has it too), else the one on the PATH. */
function keytoolNextTo(java: string): string {
  const beside = path.join(path.dirname(fs.realpathSync(java)), 'keytool');
  return fs.existsSync(beside) ? beside : 'keytool';
}

const execFileAsync = promisify(execFile);

async function makeKeys(dir: string, keytool: string): Promise<void> {
  const password = randomBytes(24).toString('base64url');
  const at = (f: string) => path.join(dir, f);
  fs.writeFileSync(at(FILES.password), `${password}\n`, { mode: 0o600 });
  const run = async (args: string[]) => {
    try {
      await execFileAsync(keytool, args, { encoding: 'utf8', cwd: dir });
    } catch (e) {
      const r = e as { stderr?: string; stdout?: string; message?: string };
      throw new SluiceError(
        'prerequisite_missing',
        message('cluster.restTlsKeys', {
          dir,
          detail: `${keytool} ${args[0]}: ${(r.stderr || r.stdout || r.message || '').trim()}`,
        }),
        { prerequisite: 'keytool' },
      );
    }
  };
  const store = (file: string) => ['-keystore', at(file), '-storetype', 'PKCS12', '-storepass', password];
  const ec = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '3650'];
  await run([
    '-genkeypair',
    '-alias',
    'ca',
    ...ec,
    '-dname',
    'CN=Sluice local Flink CA',
    '-ext',
    'bc:c',
    ...store(FILES.ca),
  ]);
  await run(['-exportcert', '-alias', 'ca', '-rfc', '-file', at(FILES.caPem), ...store(FILES.ca)]);
  await run(['-genkeypair', '-alias', 'flink', ...ec, '-dname', 'CN=127.0.0.1', ...store(FILES.keystore)]);
  await run(['-certreq', '-alias', 'flink', '-file', at('flink.csr'), ...store(FILES.keystore)]);
  await run([
    '-gencert',
    '-alias',
    'ca',
    '-infile',
    at('flink.csr'),
    '-outfile',
    at('flink.pem'),
    '-rfc',
    '-validity',
    '3650',
    // Served on loopback and presented by clients: both uses, both names a local client may dial.
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    '-ext',
    'KU=digitalSignature',
    '-ext',
    'EKU=serverAuth,clientAuth',
    ...store(FILES.ca),
  ]);
  // The CA first, so that keytool links the signed certificate to it as the key's chain.
  await run(['-importcert', '-alias', 'ca', '-noprompt', '-file', at(FILES.caPem), ...store(FILES.keystore)]);
  await run([
    '-importcert',
    '-alias',
    'flink',
    '-noprompt',
    '-file',
    at('flink.pem'),
    ...store(FILES.keystore),
  ]);
  await run([
    '-importcert',
    '-alias',
    'ca',
    '-noprompt',
    '-file',
    at(FILES.caPem),
    ...store(FILES.truststore),
  ]);
  fs.rmSync(at('flink.csr'));
  for (const f of fs.readdirSync(dir)) fs.chmodSync(at(f), 0o600);
}

/**
 * Flink's options for TLS with mutual authentication on its REST endpoints (the JobManager's, and the
 * SQL Gateway's, which is built from the same configuration) and on its internal connections (RPC,
 * the blob server, the TaskManagers' data exchange: a job can be submitted over RPC too, with its jars
 * through the blob server), the same in 1.19, 1.20 and 2.x. Internal TLS is always mutual in Flink.
 */
export function restTlsOptions(tls: FlinkRestTls): Record<string, string> {
  const stores = (prefix: string) => ({
    [`${prefix}.keystore`]: tls.keystore,
    [`${prefix}.keystore-password`]: tls.password,
    [`${prefix}.key-password`]: tls.password,
    [`${prefix}.truststore`]: tls.truststore,
    [`${prefix}.truststore-password`]: tls.password,
  });
  return {
    'security.ssl.rest.enabled': 'true',
    'security.ssl.rest.authentication-enabled': 'true',
    ...stores('security.ssl.rest'),
    'security.ssl.internal.enabled': 'true',
    ...stores('security.ssl.internal'),
    // Flink's default is TLS_RSA_WITH_AES_128_CBC_SHA (no forward secrecy, no EC keys): the EC suites instead.
    'security.ssl.protocol': 'TLSv1.2',
    'security.ssl.algorithms':
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  };
}

/** Where a cluster folder says which doors its running processes were started with. */
const recordFile = (root: string) => path.join(root, 'run', 'rest-tls.json');

/**
 * The doors a cluster's processes were started with: the keys' folder, null for plain HTTP, undefined
 * when nothing is recorded (processes started before Sluice recorded it served plain HTTP).
 */
export function recordedRestTls(root: string): string | null | undefined {
  try {
    const { tls } = JSON.parse(fs.readFileSync(recordFile(root), 'utf8')) as { tls?: unknown };
    return typeof tls === 'string' ? tls : null;
  } catch {
    return undefined;
  }
}

export function recordRestTls(root: string, tls: FlinkRestTls | null): void {
  fs.mkdirSync(path.dirname(recordFile(root)), { recursive: true });
  fs.writeFileSync(recordFile(root), JSON.stringify({ tls: tls?.dir ?? null }));
}

/**
 * The doors of a cluster: those its live processes were started with (their clients must knock on
 * those until they are restarted), else the ones wanted now.
 */
export function restTlsOf(root: string, live: boolean, wanted: FlinkRestTls | null): FlinkRestTls | null {
  if (!live) return wanted;
  const recorded = recordedRestTls(root);
  if (!recorded) return null;
  return recorded === wanted?.dir ? wanted : readFlinkRestTls(recorded);
}
