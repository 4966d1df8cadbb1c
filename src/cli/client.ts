import os from 'node:os';
import { CLI_TOKEN_HEADER, USER_CLAIM_HEADER, cliHome, readCliToken } from '../application/cli-token.ts';
import { USER_CLAIM, isLoopbackHost } from '../domain/requests/request-origin.ts';
import { createClient, type SluiceClient } from '../client/index.ts';
import { storedCredential } from './credentials.ts';
import { SLUICE_VERSION } from '../application/version.ts';

export { ApiError } from '../client/index.ts';
export type SluiceApi = SluiceClient;

/** The typed client (src/client) as the CLI uses it: with who runs it, and what to do when unreachable. */
export const cliClient = (baseUrl: string): SluiceApi =>
  createClient({
    baseUrl,
    // The audit log says what a change came from: this CLI, in this version.
    headers: { ...cliIdentity(baseUrl), 'user-agent': `sluice/${SLUICE_VERSION}` },
    unreachable: (url, cause) =>
      `cannot reach the Sluice server at ${url} (${cause}): start it with \`sluice server\` or set SLUICE_URL`,
  });

/**
 * The headers that say who runs this CLI and prove it, the first found of: SLUICE_TOKEN, the token
 * `sluice login` stored for this server, the home's cli-token (the server's own OS user). The
 * cli-token goes only to a server on this machine whose port its file names: it must never reach
 * another server, which could replay it.
 */
export function cliIdentity(baseUrl: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER;
  }
  if (user && USER_CLAIM.test(user)) headers[USER_CLAIM_HEADER] = user;
  const token = env.SLUICE_TOKEN || storedCredential(baseUrl)?.token;
  if (token) return { ...headers, authorization: `Bearer ${token}` };
  try {
    const url = new URL(baseUrl);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const token =
      url.protocol === 'http:' && isLoopbackHost(url.hostname) ? readCliToken(cliHome(env), port) : undefined;
    if (token) headers[CLI_TOKEN_HEADER] = token;
  } catch {
    // Not a URL: the request itself will say so.
  }
  return headers;
}
