import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterJvmsUnder } from './jvms.ts';
import { embeddedPrometheusProcesses } from '../../src/adapters/metrics/prometheus-server.ts';
import { embeddedAlertmanagerProcesses } from '../../src/adapters/alerts/alertmanager-server.ts';
import { waitFor } from './platform.ts';
import { freePort } from './ports.ts';
import { cliIdentity } from '../../src/cli/client.ts';
import { seedFlinkRestTls } from './flink-tls.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');

/** A real `sluice server` process that a crash test kills with SIGKILL and starts again over the same home. */
export interface KillableServer {
  readonly home: string;
  /** The API; a non-2xx answer throws with its body. */
  api<T>(method: string, p: string, body?: unknown): Promise<T>;
  /** Starts the server (again) over the same home and port; resolves when its API answers. */
  start(): Promise<void>;
  /** SIGKILL: the platform dies at once, its Flink processes stay. */
  kill(): Promise<void>;
  /**
   * SIGSTOP: the platform freezes at once, so that a test sees what it left at an exact point (what
   * the cluster does meanwhile goes on); kill() ends it.
   */
  pause(): void;
  /** SIGTERM: a clean stop (its clusters and Prometheus stopped); resolves once it exited. */
  stop(): Promise<void>;
  /**
   * A clean stop (which stops its clusters), then any JVM, Prometheus or Alertmanager of its home
   * killed (a SIGKILLed server not started again left them) and the home removed.
   */
  close(): Promise<void>;
}

/** `env` adds to the server's environment (the test run's sets SLUICE_PROMETHEUS=off). */
export async function killableServer(label: string, env: NodeJS.ProcessEnv = {}): Promise<KillableServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-home-${label}-`));
  await seedFlinkRestTls(home);
  const port = await freePort();
  let server: ChildProcess | null = null;
  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const base = `http://127.0.0.1:${port}`;
    // The test is the server's OS user: it proves it as the CLI does, with the home's cli-token
    // (read at each call: every start writes a new one).
    const auth = cliIdentity(base, { SLUICE_HOME: home });
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const exited = (s: ChildProcess) =>
    new Promise((r) => (s.exitCode !== null || s.signalCode !== null ? r(null) : s.once('exit', r)));
  const stop = async () => {
    if (!server) return;
    server.kill('SIGTERM'); // a clean stop also stops the clusters
    await exited(server);
    server = null;
  };
  return {
    home,
    api,
    async start() {
      const log = () => fs.openSync(path.join(home, 'server.log'), 'a');
      server = spawn(SLUICE, ['server'], {
        env: {
          ...process.env,
          SLUICE_HOME: home,
          SLUICE_PORT: String(port),
          SLUICE_AUTO_START: 'false',
          // Test files write their sinks in temporary folders of their own.
          SLUICE_ALLOWED_FILE_PATHS: os.tmpdir(),
          SLUICE_TRACKER_INTERVAL_MS: '500',
          ...env,
        },
        stdio: ['ignore', log(), log()],
      });
      await waitFor('the API', () => api('GET', '/health').then(() => true), 180_000);
    },
    pause() {
      server!.kill('SIGSTOP');
    },
    async kill() {
      const s = server!;
      s.kill('SIGKILL');
      await exited(s);
      server = null;
    },
    stop,
    async close() {
      await stop();
      for (const pid of clusterJvmsUnder(home)) process.kill(pid, 'SIGKILL');
      for (const { pid } of [...embeddedPrometheusProcesses(home), ...embeddedAlertmanagerProcesses(home)])
        process.kill(pid, 'SIGKILL');
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
