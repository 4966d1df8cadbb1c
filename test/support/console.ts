import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { clusterPorts } from './ports.ts';
import { spawnServer } from './server.ts';

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
  const server = await spawnServer(label, inject('engineHome'));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    return { ...server, browser, page, shot, clusterPorts, close };
  } catch (e) {
    await close();
    throw e;
  }
}
