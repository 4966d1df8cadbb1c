import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';
import { expect, inject } from 'vitest';
import { CONSOLE_DIR } from '../../src/http/plugins/console.ts';
import { clusterPorts } from './ports.ts';
import { spawnServer } from './server.ts';
import { authHeaders } from './credentials.ts';

export const SHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/console');

export interface ConsoleUnderTest {
  base: string;
  home: string;
  browser: Browser;
  page: Page;
  /** Another page, in a browser context of its own signed in as the first admin. */
  newPage: () => Promise<Page>;
  /** The first admin's password, as the server printed it at its first start. */
  adminPassword: () => string;
  /** The API, as the console's user would reach it; a non-2xx answer throws with its body. */
  api: (method: string, p: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** A full-page screenshot in test-artifacts/console. */
  shot: (name: string) => Promise<unknown>;
  /** Ports for a local cluster definition, free a moment ago. */
  clusterPorts: () => Promise<{ restPort: number; rpcPort: number; gatewayPort: number }>;
  /**
   * Runs a test's steps; when one fails, its error also says what the page showed then (address,
   * visible text, the API calls still unanswered or refused, the page's errors) and a screenshot
   * failed-<label>.png is taken: a timeout alone does not tell a missing click from a slow answer.
   */
  explaining: (steps: () => Promise<void>) => Promise<void>;
  /** Stops the browser, the server (and with it its clusters), kills any JVM left, removes the home. */
  close: () => Promise<void>;
}

/**
 * Debian's Chromium, headless. V8 without its optimizing compilers (Maglev, TurboFan): a test's pages
 * live seconds, mostly loading the console's bundle, and optimizing it costs more CPU than it saves
 * (about a tenth of a page load's, measured); the page runs the same code, in Sparkplug.
 */
export const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--js-flags=--no-opt --no-maglev',
    ],
  });

/**
 * Chromium on a page of its own for a test file that serves the built console itself (`npm run
 * build:web`, checked first), signed in with the suite's credentials for `base`, with the page's uncaught
 * errors collected.
 */
export async function openBuiltConsole(
  base: string,
): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  expect(
    fs.existsSync(path.join(CONSOLE_DIR, 'index.html')),
    `the console is not built in ${CONSOLE_DIR}: run npm run build:web`,
  ).toBe(true);
  const browser = await launchChromium();
  const page = await signedInPage(browser, base);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  fs.mkdirSync(SHOTS, { recursive: true });
  return { browser, page, errors };
}

/**
 * A real `sluice server` process in a home of its own, with the suite's provisioned Flink engine
 * registered and a local cluster defined (not started), and Debian's Chromium on a blank page; `env`
 * is the server's besides its home and port.
 */
export async function startConsole(
  label: string,
  env: Record<string, string> = {},
): Promise<ConsoleUnderTest> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const server = await spawnServer(label, inject('engineHome'), env);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await launchChromium();
    const opened = browser;
    const newPage = () => signedInPage(opened, server.base, server.adminPassword());
    const page = await newPage();
    const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const watched = watchPage(page);
    const explaining = async (steps: () => Promise<void>) => {
      try {
        await steps();
      } catch (e) {
        const seen = await watched.describe().catch((x: Error) => `the page could not be read: ${x.message}`);
        await shot(`failed-${label}`).catch(() => undefined);
        if (!(e instanceof Error)) throw new Error(`${String(e)}\n${seen}`);
        e.message += `\n${seen}`;
        throw e;
      }
    };
    return { ...server, browser, page, newPage, shot, clusterPorts, explaining, close };
  } catch (e) {
    await close();
    throw e;
  }
}

const VIEWPORT = { width: 1400, height: 900 };

/**
 * The test browser's contexts ask for reduced motion, which the console honours (no antd transitions
 * nor click waves): each animation frame is painted in software on a GPU-less headless browser, and a
 * select or modal opened and closed cost about twice the CPU with them.
 */
export const REDUCED_MOTION = { reducedMotion: 'reduce' } as const;

/** The options of a test's own browser context: the console's usual viewport, and reduced motion. */
export const CONTEXT_OPTIONS = { viewport: VIEWPORT, ...REDUCED_MOTION } as const;

/**
 * A browser context of its own, signed in to the server at `base` as the first admin: with the
 * password it printed, through POST /api/v1/session (the session cookie is the context's), or, for an
 * in-process server that printed none, with the admin token test/support remembers for `base` on every
 * request.
 */
export async function signedInContext(
  browser: Browser,
  base: string,
  password?: string,
): Promise<BrowserContext> {
  if (password === undefined)
    return browser.newContext({ ...CONTEXT_OPTIONS, extraHTTPHeaders: authHeaders(base) });
  const context = await browser.newContext(CONTEXT_OPTIONS);
  const r = await context.request.post(`${base}/api/v1/session`, { data: { name: 'admin', password } });
  if (!r.ok()) throw new Error(`signing the browser in failed: ${r.status()} ${await r.text()}`);
  return context;
}

/** A page in a context of its own, signed in as signedInContext says. */
export const signedInPage = async (browser: Browser, base: string, password?: string): Promise<Page> =>
  (await signedInContext(browser, base, password)).newPage();

/**
 * What a page did that a failure should tell: its API calls not answered yet (with how long they have
 * waited), those the server refused or that failed, and its uncaught errors.
 */
function watchPage(page: Page): { describe: () => Promise<string> } {
  const pending = new Map<Request, number>();
  const failed: string[] = [];
  // Event streams stay open by design: not calls waiting for an answer.
  const api = (r: Request) =>
    new URL(r.url()).pathname.startsWith('/api/') && r.headers()['accept'] !== 'text/event-stream';
  const call = (r: Request) => `${r.method()} ${new URL(r.url()).pathname}`;
  page.on('request', (r) => api(r) && pending.set(r, Date.now()));
  page.on('requestfailed', (r) => {
    pending.delete(r);
    if (api(r)) failed.push(`${call(r)}: ${r.failure()?.errorText ?? 'failed'}`);
  });
  page.on('requestfinished', (r) => {
    pending.delete(r);
    void r.response().then((res) => {
      if (api(r) && res && res.status() >= 400) failed.push(`${call(r)}: ${res.status()}`);
    });
  });
  page.on('pageerror', (e) => failed.push(`page error: ${e.message}`));
  const list = (items: string[]) => (items.length ? items.join('; ') : 'none');
  return {
    describe: async () => {
      const text = (await page.locator('body').innerText({ timeout: 5000 })).replace(/\s+/g, ' ').trim();
      const waiting = [...pending].map(
        ([r, at]) => `${call(r)} (${((Date.now() - at) / 1000).toFixed(1)} s)`,
      );
      return [
        `the page (${page.url()}) showed: ${text.length > 3000 ? `${text.slice(0, 3000)}...` : text}`,
        `API calls not answered yet: ${list(waiting)}`,
        `API calls refused or failed, and page errors: ${list(failed)}`,
      ].join('\n');
    },
  };
}

/** An antd Select's list while open (a closed one, even while it fades, carries the hidden class). */
export const OPEN_SELECT_LIST = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

/** Waits until no antd Select's list is open. */
export const noOpenSelectList = (page: Page) =>
  page.waitForFunction((sel) => !document.querySelector(sel), OPEN_SELECT_LIST, { timeout: 10_000 });

/**
 * Picks an option of an antd Select and waits until the select shows it. Under load a click can land
 * while a list still animates and open or choose nothing, so it is tried again, at most 3 times; a list
 * left open is closed by clicking the select, since Escape would close a modal around it too.
 */
export async function chooseOption(select: Locator, option: string | RegExp): Promise<void> {
  const page = select.page();
  const within = { timeout: 5_000 };
  for (let attempt = 1; ; attempt++) {
    // Another Select's list still open would be read instead of this one's.
    await noOpenSelectList(page);
    await select.click();
    const chosen = await page
      .locator(`${OPEN_SELECT_LIST} .ant-select-item-option`, { hasText: option })
      .first()
      .click(within)
      .then(() => select.getByText(option).first().waitFor(within))
      .then(
        () => true,
        () => false,
      );
    if (chosen) return;
    if (attempt === 3) throw new Error(`the select did not show ${String(option)} after 3 tries`);
    if ((await page.locator(OPEN_SELECT_LIST).count()) > 0) await select.click();
  }
}

/**
 * Clicks a button that asks first (antd Popconfirm), then its OK button (`#confirmId`), until `outcome`
 * shows (at most 3 times): under load a click can land while the popup still animates in, or a list
 * refreshed behind it closes it, and nothing is asked of the server. Only for actions whose outcome a
 * second try does not change (a refusal, an idempotent removal).
 */
export async function confirmUntil(trigger: Locator, confirmId: string, outcome: Locator): Promise<void> {
  const page = trigger.page();
  for (let attempt = 1; ; attempt++) {
    await trigger.click();
    const shown = await page
      .locator(`#${confirmId}`)
      .click({ timeout: 5_000 })
      .then(() => outcome.waitFor({ timeout: 15_000 }))
      .then(
        () => true,
        () => false,
      );
    if (shown) return;
    if (attempt === 3) throw new Error(`no ${String(outcome)} after confirming #${confirmId} 3 times`);
  }
}
