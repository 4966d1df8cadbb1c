import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Platform } from '../../src/composition/platform.ts';
import { buildServer } from '../../src/http/server.ts';
import { freePort } from './ports.ts';
import { adminToken, injectWithCredentials, rememberToken, tokenFor } from './credentials.ts';
import { adoptSharedCluster, attachSharedCluster, type AdoptedCluster } from './shared-cluster.ts';
import { testPlatform, type TestPlatform } from './platform.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI that runs as the served API's admin (its remembered token, when it has one). */
const asAdmin = (url: string): NodeJS.ProcessEnv => {
  const token = tokenFor(url);
  return token ? { ...process.env, SLUICE_TOKEN: token } : process.env;
};

/** The real `sluice` CLI as a child process, talking to the server at `url` (`env` adds to the environment). */
export function runSluice(
  url: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  /** Written to its standard input (a password piped in), then closed. */
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(SLUICE, args, { env: { ...asAdmin(url), ...env, SLUICE_URL: url } });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * The real CLI left running (a `--follow`): what it printed so far, read at any time, and `stop`, which
 * interrupts it as Ctrl-C does and resolves when it has ended.
 */
export function followSluice(
  url: string,
  args: string[],
): { stdout: () => string; stderr: () => string; stop: () => Promise<CliResult> } {
  const child = spawn(SLUICE, args, { env: { ...asAdmin(url), SLUICE_URL: url } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const ended = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGINT');
      return ended;
    },
  };
}

/**
 * The real CLI with its standard output piped into a shell command (e.g. `head -1`) that may close the
 * pipe early; with `stderrToo` standard error goes into the pipe as well (`2>&1 |`). `code` is the
 * CLI's own exit status (bash's PIPESTATUS), `stdout` what the reader printed.
 */
export function runSluicePiped(
  url: string,
  args: string[],
  reader: string,
  opts: { stderrToo?: boolean } = {},
): Promise<CliResult> {
  const quoted = [SLUICE, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} ${opts.stderrToo ? '2>&1 ' : ''}| ${reader}; echo "sluice-exit=\${PIPESTATUS[0]}" >&3`;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      env: { ...asAdmin(url), SLUICE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let status = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdio[3]!.on('data', (d) => (status += d));
    child.on('close', () =>
      resolve({ code: Number(/sluice-exit=(\d+)/.exec(status)?.[1] ?? -1), stdout, stderr }),
    );
  });
}

/** The HTTP API of a test platform on a free loopback port, with an admin token remembered for it (its inject sends it too). */
export async function serveApi(platform: Platform): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildServer(platform);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  rememberToken(url, await adminToken(platform));
  injectWithCredentials(app, url);
  return { app, url };
}

/**
 * A test platform with the session cluster `local-1.20` defined on free ports (not started) and its API
 * served. With `sharedCluster`, `local-1.20` is instead the run's shared Flink cluster registered as a
 * remote session cluster under that name (see shared-cluster.ts), for files whose subject is not the
 * local cluster's processes: `shared` reaches it, and `close` first cancels the jobs the file left on it.
 * With `sharedLocalCluster`, `local-1.20` is the run's shared cluster attached as a local session
 * target (catalog types, jars, logs and checkpoints of a local one), which closing leaves running: for
 * files that need "a local session cluster" but never stop or restart it.
 */
export async function servedPlatform(
  opts: Parameters<typeof testPlatform>[0] & { sharedCluster?: boolean; sharedLocalCluster?: boolean } = {},
): Promise<{
  t: TestPlatform;
  app: FastifyInstance;
  url: string;
  shared: AdoptedCluster | undefined;
  close: () => Promise<void>;
}> {
  const { sharedCluster, sharedLocalCluster, ...platformOpts } = opts;
  const t = await testPlatform(platformOpts);
  let shared: AdoptedCluster | undefined;
  let served: { app: FastifyInstance; url: string } | undefined;
  const close = async () => {
    try {
      await served?.app.close();
      await shared?.release();
    } finally {
      await t.close();
    }
  };
  try {
    if (sharedCluster) shared = await adoptSharedCluster(t.platform, 'local-1.20');
    else if (sharedLocalCluster) shared = await attachSharedCluster(t.platform, 'local-1.20');
    else
      await t.platform.targets.define({
        name: 'local-1.20',
        engineVersion: '1.20',
        ...(await t.clusterSettings()),
      });
    served = await serveApi(t.platform);
    // Off unless the file asked for a Prometheus in `config.prometheus`.
    await t.platform.startPrometheus(served.url);
  } catch (e) {
    await close();
    throw e;
  }
  return { t, ...served, shared, close };
}

/** A SQL job created from `sql` and started with the CLI on `target`, each command checked to succeed. */
export async function startSqlJobWithCli(
  url: string,
  name: string,
  sql: string,
  target = 'local-1.20',
  /** The space it is made in (default: default). */
  space?: string,
): Promise<void> {
  const file = path.join(os.tmpdir(), `${name}-${process.pid}.sql`);
  fs.writeFileSync(file, sql);
  for (const args of [
    [
      'job',
      'create',
      '--name',
      name,
      '--sql-file',
      file,
      '--target',
      target,
      ...(space ? ['--space', space] : []),
    ],
    ['job', 'start', name],
  ]) {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

/**
 * The end of a file that ran `job` on the run's shared cluster: its browser, the job (the cluster stays
 * for other files, the job must not), then its platform.
 */
export async function closeWithJob(o: {
  url: string | undefined;
  job: string;
  close: (() => Promise<void>) | undefined;
  browser?: { close: () => Promise<void> } | undefined;
}): Promise<void> {
  await o.browser?.close();
  if (o.url) await runSluice(o.url, ['job', 'cancel', o.job]);
  await o.close?.();
}
