import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { processesWithArg } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { clusterPorts, freePort } from './ports.ts';
import { waitFor } from './platform.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');
export const SHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/console');

export interface ConsoleUnderTest {
  base: string;
  home: string;
  browser: Browser;
  page: Page;
  /** The API, as the console's user would reach it; a non-2xx answer throws with its body. */
  api: (method: string, p: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** A full-page screenshot in test-artifacts/console. */
  shot: (name: string) => Promise<unknown>;
  /** Ports for a local cluster definition, free a moment ago. */
  clusterPorts: () => Promise<{ restPort: number; rpcPort: number; gatewayPort: number }>;
  /** Stops the browser, the server (and with it its clusters), kills any JVM left, removes the home. */
  close: () => Promise<void>;
}

/**
 * A real `sluice server` process in a home of its own, with the suite's provisioned Flink engine
 * registered and a local cluster defined (not started), and Debian's Chromium on a blank page.
 */
export async function startConsole(label: string): Promise<ConsoleUnderTest> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-home-${label}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(home, 'server.log'), 'a');
  let server: ChildProcess | undefined = spawn(SLUICE, ['server'], {
    env: { ...process.env, SLUICE_HOME: home, SLUICE_PORT: String(port), SLUICE_AUTO_START: 'false' },
    stdio: ['ignore', log, log],
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server) {
      const s = server;
      server = undefined;
      s.kill('SIGTERM'); // a clean stop also stops the clusters
      await new Promise((r) => (s.exitCode !== null ? r(null) : s.once('exit', r)));
    }
    for (const { pid } of processesWithArg(`-Dsluice.cluster.dir=${home}/clusters/`))
      process.kill(pid, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  };
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : (res.json() as Promise<Record<string, unknown>>);
  };
  try {
    await waitFor('the API', () => api('GET', '/health').then(() => true), 30_000);
    await api('POST', '/engines', { home: inject('engineHome') });
    await api('PUT', '/clusters/local-1.20', {
      engineVersion: '1.20',
      ...(await clusterPorts()),
      taskManagerMemory: '1280m',
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    return { base, home, browser, page, api, shot, clusterPorts, close };
  } catch (e) {
    await close();
    throw e;
  }
}
