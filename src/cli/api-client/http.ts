import os from 'node:os';
import { CLI_TOKEN_HEADER, USER_CLAIM_HEADER, cliHome, readCliToken } from '../../application/cli-token.ts';
import { USER_CLAIM, isLoopbackHost } from '../../domain/requests/request-origin.ts';

/** The CLI's HTTP transport: the only place that turns API errors into exceptions. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class HttpClient {
  /** Who the CLI is: its OS user as a claim, proved with the server's token file where it can read it. */
  private readonly identity: Record<string, string>;

  constructor(readonly baseUrl: string) {
    this.identity = cliIdentity(baseUrl);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        signal: signal ?? null,
        headers: {
          ...this.identity,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      throw new ApiError(
        0,
        'unreachable',
        `cannot reach the Sluice server at ${this.baseUrl} (${cause}): start it with \`sluice server\` or set SLUICE_URL`,
        { cause },
      );
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status === 204) return undefined as T;
    if (!res.ok) {
      const err = (json as { error?: { code: string; message: string; details: Record<string, unknown> } })
        ?.error;
      throw new ApiError(
        res.status,
        err?.code ?? 'http_error',
        err?.message ?? `HTTP ${res.status}`,
        err?.details ?? {},
      );
    }
    return json as T;
  }
}

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
