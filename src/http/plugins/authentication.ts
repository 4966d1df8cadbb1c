import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessService, Principal, Refusal } from '../../application/access-service.ts';
import { CLI_TOKEN_HEADER } from '../../application/cli-token.ts';
import { allows, permissionOf, type Permission } from '../../domain/access/credentials.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { authorOf, isLoopbackHost } from '../../domain/requests/request-origin.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request runs as; null for a public route asked without credentials. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** What the caller's credential must allow (the contract's operations say it); public: nothing. */
    permission?: Permission;
  }
}

/** The console's session cookie. */
export const SESSION_COOKIE = 'sluice_session';

/**
 * Every request proves who it runs as before any route runs (registered after request-origin.ts,
 * which already refused foreign pages and checked the cli-token): an API token
 * (`Authorization: Bearer slu_...`), the home's cli-token over loopback (the CLI of the server's OS
 * user: the first admin), or the console's session cookie. Each route names the permission it needs
 * in its config (the contract's operations: `read` for GET, `write` otherwise, `public` where said);
 * a route that names none needs `read` to GET and `write` to change, and the console's files
 * outside /api and /flink are public. No credentials: 401 with `WWW-Authenticate: Bearer`.
 */
export function registerAuthentication(
  app: FastifyInstance,
  opts: { access: AccessService; cliTokenMatches: (presented: unknown) => boolean },
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'OPTIONS') return;
    const path = req.url.split('?')[0] ?? req.url;
    const needed = permissionNeeded(req, path);
    const found = await credentialOf(req, opts);
    const where = { method: req.method, path };
    if (found !== null && 'kind' in found) {
      if (needed === 'public') return;
      throw refusal(reply, found, where);
    }
    req.principal = found;
    if (found) req.author = authorOf(found);
    if (needed === 'public') return;
    if (!found) {
      reply.header('www-authenticate', 'Bearer realm="sluice"');
      throw new SluiceError('unauthenticated', message('access.unauthenticated', where), {
        ...where,
        send: 'Authorization: Bearer <token>',
      });
    }
    if (!allows(found.scopes, needed))
      throw new SluiceError(
        'forbidden',
        message('access.scopeMissing', { ...where, id: found.via.kind === 'token' ? found.via.id : '' }),
        { ...where, needs: needed, scopes: found.scopes },
      );
  });
}

/** What a route needs: its config's permission; outside routes, the console's pages are public. */
function permissionNeeded(req: FastifyRequest, path: string): Permission {
  const declared = req.routeOptions.config?.permission;
  if (declared) return declared;
  const ownPage = !path.startsWith('/api/') && !path.startsWith('/flink/') && path !== '/metrics';
  if ((req.method === 'GET' || req.method === 'HEAD') && ownPage) return 'public';
  if (path === '/api/openapi.json') return 'public';
  return permissionOf(req.method);
}

/** The caller's credential: a principal, a refusal of what it presented, or null when it presented none. */
async function credentialOf(
  req: FastifyRequest,
  opts: { access: AccessService; cliTokenMatches: (presented: unknown) => boolean },
): Promise<Principal | Refusal | null> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  // A pod's run token (submission artifacts) is not a user's: only `slu_` tokens are looked up.
  if (bearer?.startsWith('slu_')) return opts.access.byToken(bearer);
  if (
    req.headers[CLI_TOKEN_HEADER] !== undefined &&
    isLoopbackHost(req.socket.remoteAddress ?? '') &&
    opts.cliTokenMatches(req.headers[CLI_TOKEN_HEADER])
  )
    return opts.access.byCliToken();
  const session = sessionCookie(req.headers.cookie);
  if (session) return opts.access.bySession(session);
  return null;
}

/** The session id in a Cookie header, if any. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

function refusal(reply: FastifyReply, r: Refusal, where: { method: string; path: string }): SluiceError {
  reply.header('www-authenticate', 'Bearer realm="sluice", error="invalid_token"');
  if (r.kind === 'session') {
    // The browser forgets the cookie that no longer signs anyone in.
    reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return new SluiceError('unauthenticated', message('access.sessionEnded', where), where);
  }
  if (r.kind === 'token-unknown')
    return new SluiceError('unauthenticated', message('access.tokenUnknown', where), where);
  return new SluiceError(
    'unauthenticated',
    message('access.tokenRefused', { ...where, id: r.id, reason: r.reason }),
    {
      ...where,
      token: r.id,
      reason: r.reason,
    },
  );
}

/** The Set-Cookie of a new console session: HttpOnly, SameSite=Strict, Secure over https. */
export const sessionSetCookie = (id: string, expiresAt: string, secure: boolean) =>
  `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Expires=${new Date(expiresAt).toUTCString()}${secure ? '; Secure' : ''}`;

/** Ends the console session in the browser. */
export const sessionClearCookie = (secure: boolean) =>
  `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;

/** The caller of a route that needs credentials (the authentication plugin let it through). */
export function signedIn(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`${req.method} ${req.url} ran without a principal`);
  return req.principal;
}

/**
 * For what only platform admins do (users, quotas): 403 for anyone else, whatever their token's scopes.
 */
export function requireAdmin(req: FastifyRequest): void {
  const p = signedIn(req);
  const path = req.url.split('?')[0] ?? req.url;
  if (!p.admin)
    throw new SluiceError(
      'forbidden',
      message('access.adminOnly', { method: req.method, path, user: p.user }),
      {
        user: p.user,
      },
    );
}
