import { parseAlertmanagerSettings } from '../../src/domain/alerts/alertmanager-settings.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { inject } from 'vitest';
import { loadConfig, type SluiceConfig } from '../../src/application/config.ts';
import { Platform } from '../../src/composition/platform.ts';
import { maskingLogOptions } from '../../src/application/secret-masking.ts';
import { clusterPorts } from './ports.ts';
import { seedFlinkRestTls } from './flink-tls.ts';

export interface TestPlatform {
  platform: Platform;
  home: string;
  /** A cluster definition on free ports, small enough for the 2-core test machine. */
  clusterSettings(): Promise<{
    restPort: number;
    rpcPort: number;
    gatewayPort: number;
    taskManagerMemory: string;
    slotsPerTaskManager: number;
  }>;
  close(): Promise<void>;
}

/** A platform in a temporary home with the run's provisioned engine registered; its log goes to a file. */
export async function testPlatform(
  opts: {
    databaseUrl?: string;
    config?: Partial<SluiceConfig>;
    /** The platform makes the keys of its local clusters' TLS itself, instead of finding the run's copied in. */
    ownFlinkRestTls?: boolean;
  } = {},
): Promise<TestPlatform> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-'));
  if (!opts.ownFlinkRestTls) await seedFlinkRestTls(home);
  const config = {
    ...loadConfig({ SLUICE_HOME: home }),
    databaseUrl: opts.databaseUrl,
    autoStart: false,
    // No Prometheus per test file: the files about it ask for one in `opts.config`.
    prometheus: { mode: 'off' as const },
    alertmanager: parseAlertmanagerSettings({ SLUICE_ALERTMANAGER: 'off' }),
    publicUrl: null,
    // Test files write their sinks in temporary folders of their own.
    allowedFilePaths: [os.tmpdir()],
    ...opts.config,
  };
  const log = pino(
    { level: 'info', ...maskingLogOptions },
    pino.destination({ dest: path.join(home, 'sluice.log'), sync: true }),
  );
  const platform = await Platform.open(config, log);
  await platform.engines.register(inject('engineHome'));
  return {
    platform,
    home,
    clusterSettings: async () => ({
      ...(await clusterPorts()),
      taskManagerMemory: '1280m',
      slotsPerTaskManager: 4,
    }),
    async close() {
      await platform.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}

interface OperationView {
  status: string;
  lines: { text: string }[];
  error: { message: string } | null;
}

/**
 * Waits for a background operation (a cluster start, an engine install) to end. One that fails
 * throws at once with its error; one still running at the deadline throws with its last progress
 * lines, so that a slow start on a loaded machine can be told from a stuck one.
 */
export async function operationSucceeded(
  api: (method: string, p: string) => Promise<unknown>,
  id: string,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const get = async () => (await api('GET', `/operations/${id}`)) as OperationView;
  const deadline = Date.now() + timeoutMs;
  let op = await get();
  while (op.status === 'running' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    op = await get();
  }
  const lines = op.lines
    .slice(-8)
    .map((l) => `  ${l.text}`)
    .join('\n');
  if (op.status === 'running')
    throw new Error(`${what}: still running after ${timeoutMs / 1000} s; its last lines:\n${lines}`);
  if (op.status !== 'succeeded')
    throw new Error(`${what} failed: ${op.error?.message ?? op.status}\n${lines}`);
}
