import os from 'node:os';
import { CLI_TOKEN_HEADER, USER_CLAIM_HEADER, cliHome, readCliToken } from '../application/cli-token.ts';
import { USER_CLAIM, isLoopbackHost } from '../domain/requests/request-origin.ts';
import { createClient, type SluiceClient } from '../client/index.ts';

export { ApiError } from '../client/index.ts';
export type SluiceApi = SluiceClient;

/** The typed client (src/client) as the CLI uses it: with who runs it, and what to do when unreachable. */
export const cliClient = (baseUrl: string): SluiceApi =>
  createClient({
    baseUrl,
    headers: cliIdentity(baseUrl),
    unreachable: (url, cause) =>
      `cannot reach the Sluice server at ${url} (${cause}): start it with \`sluice server\` or set SLUICE_URL`,
  });

/**
 * The headers that say who runs this CLI. The token goes only to a server on this machine whose port
 * its file names: it must never reach another server, which could replay it.
 */
function cliIdentity(baseUrl: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER;
  }
  if (user && USER_CLAIM.test(user)) headers[USER_CLAIM_HEADER] = user;
  try {
    const url = new URL(baseUrl);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const token =
      url.protocol === 'http:' && isLoopbackHost(url.hostname) ? readCliToken(cliHome(), port) : undefined;
    if (token) headers[CLI_TOKEN_HEADER] = token;
  } catch {
    // Not a URL: the request itself will say so.
  }
  return headers;
}
