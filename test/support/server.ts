import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterJvmsUnder } from './jvms.ts';
import { operationSucceeded, waitFor } from './platform.ts';
import { clusterPorts, freePort } from './ports.ts';
import { authHeaders, printedAdminPassword, rememberServerUserToken } from './credentials.ts';
import { cliIdentity } from '../../src/cli/client.ts';
import { seedFlinkRestTls } from './flink-tls.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

export interface ServerUnderTest {
  base: string;
  home: string;
  /** The API; a non-2xx answer throws with its body. */
  api: (method: string, p: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** The first admin's password, as the server printed it at its first start. */
  adminPassword: () => string;
  /** Stops the server (and with it its clusters), kills any JVM of its home left, removes the home. */
  close: () => Promise<void>;
}

/**
 * A real `sluice server` process in a home of its own, with a Flink engine registered and the local
 * cluster `local-1.20` defined on free ports (not started).
 */
export async function spawnServer(
  label: string,
  engineHome: string,
  env: Record<string, string> = {},
): Promise<ServerUnderTest> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-home-${label}-`));
  await seedFlinkRestTls(home);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(home, 'server.log'), 'a');
  let server: ChildProcess | undefined = spawn(SLUICE, ['server'], {
    env: {
      ...process.env,
      SLUICE_HOME: home,
      SLUICE_PORT: String(port),
      SLUICE_AUTO_START: 'false',
      // Test files write their sinks in temporary folders of their own.
      SLUICE_ALLOWED_FILE_PATHS: os.tmpdir(),
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  const close = async () => {
    if (server) {
      const s = server;
      server = undefined;
      s.kill('SIGTERM'); // a clean stop also stops the clusters
      await new Promise((r) => (s.exitCode !== null ? r(null) : s.once('exit', r)));
    }
    for (const pid of clusterJvmsUnder(path.join(home, 'clusters'))) process.kill(pid, 'SIGKILL');
    fs.closeSync(log);
    fs.rmSync(home, { recursive: true, force: true });
  };
  let tokenMade = false;
  const api = async (method: string, p: string, body?: unknown): Promise<Record<string, unknown>> => {
    // The test is the server's OS user: it proves it as the CLI does (the home's cli-token), until
    // it has made a token of its own.
    const auth = tokenMade ? authHeaders(base) : cliIdentity(base, { SLUICE_HOME: home });
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : (res.json() as Promise<Record<string, unknown>>);
  };
  try {
    await waitFor('the API', () => api('GET', '/me').then(() => true), 30_000);
    await rememberServerUserToken(base, home);
    tokenMade = true;
    await api('POST', '/engines', { home: engineHome });
    await api('PUT', '/targets/local-1.20', {
      engineVersion: '1.20',
      ...(await clusterPorts()),
      taskManagerMemory: '1280m',
    });
    const adminPassword = () => printedAdminPassword(path.join(home, 'server.log'));
    return { base, home, api, adminPassword, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The same, with the cluster started (a real Flink: JobManager, TaskManager, SQL Gateway). */
export async function startServer(label: string, engineHome: string): Promise<ServerUnderTest> {
  const s = await spawnServer(label, engineHome, { SLUICE_WARM_SANDBOX: 'false' });
  try {
    const op = await s.api('POST', '/targets/local-1.20/start');
    await operationSucceeded(s.api, String(op.id), 'the start of cluster local-1.20', 180_000);
    return s;
  } catch (e) {
    await s.close();
    throw e;
  }
}
