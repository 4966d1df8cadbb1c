import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Platform } from '../../src/composition/platform.ts';
import { cliIdentity } from '../../src/cli/client.ts';

/**
 * The credentials tests call a served API with, by its base URL: the helpers that serve an API
 * (serveApi, spawnServer) remember an admin token for it, and those that call one (callApi,
 * runSluice, the console's browser) use it, so that no test adds headers of its own.
 */
const tokens = new Map<string, string>();

export const rememberToken = (url: string, secret: string) => tokens.set(url, secret);
export const tokenFor = (url: string): string | undefined => tokens.get(url);

/** The Authorization header for the server at `url` (none when it has no remembered token). */
export const authHeaders = (url: string): Record<string, string> => {
  const t = tokenFor(url);
  return t ? { authorization: `Bearer ${t}` } : {};
};

/** A token of the first admin, made directly in an in-process platform. */
export async function adminToken(platform: Platform, name = 'test'): Promise<string> {
  return (await platform.access.createToken('admin', { name, scopes: ['read', 'write'], expiresAt: null }))
    .secret;
}

/** The first admin's password, as the server printed it once to its log (a file of the test's). */
export function printedAdminPassword(logFile: string): string {
  const line = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .find((l) => l.includes('"password"'));
  const password = line ? (JSON.parse(line) as { password?: string }).password : undefined;
  if (!password) throw new Error(`${path.basename(logFile)} has no line with the first admin's password`);
  return password;
}

/** fastify's inject with credentials (both read when sending: made in beforeAll), for in-process tests. */
export const injectWith =
  (app: () => FastifyInstance, headers: () => Record<string, string>) => (o: InjectOptions) =>
    app().inject({ ...o, headers: { ...headers(), ...(o.headers ?? {}) } });

/**
 * Makes a served app's `inject` send the served API's credentials (a header of the call's own wins),
 * so that e2e files calling their in-process server through inject stay as they were.
 */
export function injectWithCredentials(app: FastifyInstance, url: string): void {
  const plain = app.inject.bind(app);
  const send = (o?: InjectOptions | string) =>
    o === undefined
      ? plain()
      : plain({
          ...(typeof o === 'string' ? { url: o } : o),
          headers: { ...authHeaders(url), ...(typeof o === 'string' ? {} : (o.headers ?? {})) },
        });
  app.inject = send as FastifyInstance['inject'];
}

/**
 * For a `sluice server` of the test's OS user: an admin token made through the API with the home's
 * cli-token (as that user's CLI proves itself), remembered for `base`.
 */
export async function rememberServerUserToken(base: string, home: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: { ...cliIdentity(base, { SLUICE_HOME: home }), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'test' }),
  });
  if (!res.ok) throw new Error(`making a token as the server's OS user: ${res.status} ${await res.text()}`);
  rememberToken(base, ((await res.json()) as { secret: string }).secret);
}
