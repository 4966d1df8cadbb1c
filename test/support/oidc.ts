import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOidcSettings, type OidcSettings } from '../../src/domain/access/oidc-settings.ts';
import { freePort } from './ports.ts';
import { TEST_BUILDS_DIR } from './test-jars.ts';

/** The Go main of the test provider (zitadel/oidc's op package), with its pinned go.mod and go.sum. */
const SOURCE = path.resolve(import.meta.dirname, 'oidc-provider');

/** The people the provider knows: one in the admin group, one not, and one whose name claim is another's. */
export const OIDC_PEOPLE = {
  carol: {
    id: 'subject-carol-1',
    username: 'carol',
    password: "carol's provider password",
    email: 'carol@sluice.test',
    name: 'Carol Admin',
    groups: ['sluice-admins', 'developers'],
  },
  dave: {
    id: 'subject-dave-2',
    username: 'dave',
    password: "dave's provider password",
    email: 'dave@sluice.test',
    name: 'Dave Developer',
    groups: ['developers'],
  },
  /** Another account whose name claim differs from dave's only in case: it must not become dave. */
  mallory: {
    id: 'subject-mallory-3',
    username: 'DAVE',
    password: "mallory's provider password",
    email: 'mallory@sluice.test',
    name: 'Mallory',
    groups: ['sluice-admins'],
  },
} as const;

export const OIDC_ADMIN_GROUP = 'sluice-admins';
/** The client the console signs in as; redirect URIs on any port of 127.0.0.1 (test servers pick theirs). */
export const OIDC_CLIENT = { id: 'sluice-console', secret: 'the console client secret of the test provider' };
/** A client whose ID tokens the provider issues already expired (10 minutes ago). */
export const OIDC_EXPIRED_CLIENT = { id: 'sluice-expired', secret: 'the expired client secret' };
const REDIRECT_GLOB = 'http://127.0.0.1:*/api/v1/auth/oidc/callback';

export interface OidcServer {
  /** http://127.0.0.1:<port> */
  issuer: string;
  /** The SLUICE_OIDC_* environment for this provider and the console client. */
  env: Record<string, string>;
  /** The same as parsed settings (SluiceConfig.oidc). */
  settings: OidcSettings;
  /** Stops the provider (safe to call twice). */
  stop(): Promise<void>;
}

/**
 * The provider's binary, built with `go build` once per source and Go version under the test builds'
 * cache (~/.cache/sluice/test-builds/oidc-provider-<hash>), modules from the Go module proxy pinned by
 * its go.sum. `scripts/prerequisites.sh --test` builds it ahead; otherwise the first test that needs
 * it does.
 */
export function buildOidcProvider(): string {
  let goVersion: string;
  try {
    goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'go is missing: the OIDC test provider is built from its Go module, which needs Go 1.26 or newer on the PATH',
    );
  }
  const hash = crypto.createHash('sha256').update(goVersion);
  for (const f of ['main.go', 'go.mod', 'go.sum'])
    hash.update(f).update(fs.readFileSync(path.join(SOURCE, f)));
  const binary = path.join(TEST_BUILDS_DIR, `oidc-provider-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(TEST_BUILDS_DIR, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  try {
    // -mod=readonly: the pinned go.sum decides, never a newer module.
    execFileSync('go', ['build', '-mod=readonly', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: SOURCE,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 600_000,
    });
    // A rename is atomic: files building it at once each make a whole binary, the last one stays.
    fs.renameSync(partial, binary);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return binary;
}

/**
 * A private OpenID Connect provider for a test file: the binary above on a free port of 127.0.0.1,
 * with the console client, the expired-token client and the people above. `wrongKeys`: it publishes
 * a key under its signing key's id that did not sign its tokens (every signature fails). `port`: the
 * port (and so the issuer) of a provider stopped before, to start it again as the same issuer;
 * `groups`: people's groups other than OIDC_PEOPLE's, by user name. Stopped when the file's process
 * exits, and at once when starting fails.
 */
export async function startOidcProvider(
  opts: {
    wrongKeys?: boolean;
    port?: number;
    groups?: Partial<Record<keyof typeof OIDC_PEOPLE, string[]>>;
  } = {},
): Promise<OidcServer> {
  const binary = buildOidcProvider();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-oidc-'));
  const port = opts.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const config = path.join(dir, 'provider.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      port,
      issuer,
      wrongKeys: opts.wrongKeys ?? false,
      clients: [
        { ...OIDC_CLIENT, redirectUris: [], redirectGlobs: [REDIRECT_GLOB] },
        {
          ...OIDC_EXPIRED_CLIENT,
          redirectUris: [],
          redirectGlobs: [REDIRECT_GLOB],
          idTokenLifetimeSeconds: -600,
        },
      ],
      users: Object.entries(OIDC_PEOPLE).map(([key, p]) => ({
        ...p,
        groups: opts.groups?.[key as keyof typeof OIDC_PEOPLE] ?? p.groups,
      })),
    }),
  );
  let child: ChildProcess | undefined;
  let log = '';
  const kill = () => child?.exitCode === null && child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', kill);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    child = spawn(binary, [config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the OIDC provider did not listen within 30 s: ${log}`)),
        30_000,
      );
      started.stdout!.on('data', (d: Buffer) => {
        log += d;
        if (log.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.stderr!.on('data', (d: Buffer) => (log += d));
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the OIDC provider exited (${code}): ${log}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const env = {
    SLUICE_OIDC_ISSUER: issuer,
    SLUICE_OIDC_CLIENT_ID: OIDC_CLIENT.id,
    SLUICE_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    SLUICE_OIDC_SCOPES: 'openid profile email groups',
    SLUICE_OIDC_ADMIN_GROUP: OIDC_ADMIN_GROUP,
    SLUICE_OIDC_NAME: 'Test Provider',
  };
  return { issuer, env, settings: parseOidcSettings(env)!, stop };
}

// `tsx test/support/oidc.ts build`: scripts/prerequisites.sh --test builds the provider ahead.
if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(import.meta.filename) &&
  process.argv[2] === 'build'
)
  console.log(buildOidcProvider());
