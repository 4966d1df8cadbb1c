import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  USER_CLAIM_HEADER,
  newCliToken,
  removeCliToken,
  tokenMatches,
  writeCliToken,
} from '../../application/cli-token.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import {
  STATE_CHANGING,
  USER_CLAIM,
  callerOf,
  hostAllowed,
  hostRefusal,
  originRefusal,
  type RequestPolicy,
} from '../../domain/requests/request-origin.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who asked for this change: the signed-in user and how it proved it (`authorOf`, set by the
     * authentication plugin); `anonymous` before, and for public routes asked without credentials.
     */
    author: string;
  }
}

/** How long a browser may keep a preflight answer of a trusted origin. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Every request proves where it comes from before any route runs: a Host this server answers to,
 * a state change only from this server's pages (or a trusted origin), OPTIONS answered by policy,
 * and the author of a change as the server knows it (src/domain/requests/request-origin.ts). Must
 * be registered before the routes, whose methods it learns to answer OPTIONS.
 */
export function registerRequestOrigin(
  app: FastifyInstance,
  opts: { policy: RequestPolicy; home: string },
): { cliTokenMatches: (presented: unknown) => boolean } {
  const { policy, home } = opts;
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (r) => {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
    routes.push({ pattern: routePattern(r.url ?? r.path), methods });
  });
  const methodsOf = (path: string) => {
    const found = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) found.add(m);
    return found;
  };

  const token = newCliToken();
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address && typeof address === 'object') writeCliToken(home, address.port, token);
  });
  app.addHook('onClose', async () => removeCliToken(home, token));

  app.decorateRequest('author', 'anonymous');
  app.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host;
    if (!hostAllowed(host, policy)) {
      req.log.info({ host, url: req.url }, 'request refused: a Host this server does not answer to');
      throw new SluiceError('misdirected', hostRefusal(host ?? ''), { host });
    }
    const caller = callerOf(
      {
        host,
        origin: req.headers.origin,
        referer: req.headers.referer,
        secFetchSite: header(req, 'sec-fetch-site'),
      },
      policy,
    );
    if (policy.allowedOrigins.length > 0) reply.header('vary', 'Origin');
    if (caller.kind === 'trusted') reply.header('access-control-allow-origin', caller.origin);
    const path = req.url.split('?')[0] ?? req.url;

    if (req.method === 'OPTIONS') {
      const preflight = req.headers.origin !== undefined && header(req, 'access-control-request-method');
      if (preflight && caller.kind !== 'own' && caller.kind !== 'trusted') {
        const origin = req.headers.origin ?? '';
        throw new SluiceError('forbidden', message('request.preflightRefused', { origin }), { origin });
      }
      const methods = methodsOf(path);
      // A route that answers OPTIONS itself (the Flink UI proxy) decides for its paths.
      if (methods.has('OPTIONS')) return;
      // Outside the API every GET is the console's page.
      if (methods.size === 0 && !path.startsWith('/api/')) methods.add('GET').add('HEAD');
      if (methods.size === 0)
        throw new SluiceError('not_found', message('request.noRoute', { method: 'OPTIONS', url: req.url }), {
          path,
          method: 'OPTIONS',
        });
      return answerOptions(reply, [...methods].sort(), caller.kind === 'trusted' && Boolean(preflight));
    }

    if (!STATE_CHANGING.has(req.method)) return;
    if (caller.kind === 'foreign') {
      req.log.info(
        { method: req.method, url: req.url, from: caller.said },
        'request refused: a page of another origin',
      );
      throw new SluiceError('forbidden', originRefusal(caller, { method: req.method, path, host }), {
        method: req.method,
        path,
        origin: caller.origin,
      });
    }
    // The CLI still names its OS user: never the author, but refused if it could fake a log line.
    const claim = header(req, USER_CLAIM_HEADER);
    if (claim !== undefined && !USER_CLAIM.test(claim))
      throw new SluiceError(
        'invalid_argument',
        message('request.userClaimInvalid', { value: JSON.stringify(claim).slice(0, 80) }),
        { header: USER_CLAIM_HEADER },
      );
  });
  // The authentication plugin takes the same token as the first admin's credential.
  return {
    cliTokenMatches: (presented) => tokenMatches(presented as string | string[] | undefined, token),
  };
}

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

function answerOptions(reply: FastifyReply, methods: string[], corsPreflight: boolean): FastifyReply {
  reply.header('allow', [...methods, 'OPTIONS'].sort().join(', '));
  if (corsPreflight)
    reply
      .header('access-control-allow-methods', methods.join(', '))
      .header('access-control-allow-headers', 'content-type, authorization')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
  return reply.code(204).send();
}

/** A fastify route path (`/jobs/:name`, `/flink/:cluster/*`) as a regular expression over request paths. */
function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((s) => (s === '*' ? '.*' : s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
