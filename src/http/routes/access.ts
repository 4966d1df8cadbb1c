import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { expiryOf } from '../../domain/access/credentials.ts';
import { OIDC_FLOW_COOKIE, OIDC_FLOW_LIFETIME_MS } from '../../domain/access/oidc-flow.ts';
import { OIDC_CALLBACK_PATH } from '../../domain/access/oidc-settings.ts';
import { signedInState } from '../../domain/audit/audit.ts';
import { proofText } from '../../domain/requests/request-origin.ts';
import { SluiceError } from '../../domain/errors.ts';
import { access as A } from '../../contract/access.ts';
import { statusOf } from '../plugins/errors.ts';
import {
  requireAdmin as admin,
  sessionClearCookie,
  sessionCookie,
  sessionSetCookie,
  signedIn,
} from '../plugins/authentication.ts';

/** Where the console goes after an OIDC sign-in: one of its own pages only (never another site). */
const safeNext = (next: string | undefined) =>
  next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/jobs';

/**
 * The OIDC sign-in's cookie: sent back only to the callback, SameSite=Lax because the provider's
 * redirect is a navigation from another site (Strict would withhold it), gone after 10 minutes.
 */
const FLOW_PATH = '/api/v1/auth/oidc';
const flowSetCookie = (sealed: string, secure: boolean) =>
  `${OIDC_FLOW_COOKIE}=${sealed}; HttpOnly; SameSite=Lax; Path=${FLOW_PATH}; Max-Age=${OIDC_FLOW_LIFETIME_MS / 1000}${secure ? '; Secure' : ''}`;
const flowClearCookie = (secure: boolean) =>
  `${OIDC_FLOW_COOKIE}=; HttpOnly; SameSite=Lax; Path=${FLOW_PATH}; Max-Age=0${secure ? '; Secure' : ''}`;
const flowCookie = (header: string | undefined) => {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === OIDC_FLOW_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A failed OIDC sign-in as a page, for a browser the provider sent back: what went wrong, and the way back. */
const failurePage = (text: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in failed - Sluice</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>Sign-in failed</h1>
<p data-testid="oidc-error">${escapeHtml(text)}</p>
<p><a href="/sign-in">Back to the sign-in page</a></p>
</body></html>
`;

/** Sign-in, who am I, the caller's API tokens, and users (platform admins). */
export const accessRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const access = platform.access;
    // The cookie is Secure when the console is served over https (directly, or as SLUICE_PUBLIC_URL says).
    const secure = (req: FastifyRequest) =>
      req.protocol === 'https' || (platform.config.publicUrl ?? '').startsWith('https:');

    app.route({
      ...A.signIn,
      handler: async (req, reply) => {
        const s = await access.signIn(req.body.name, req.body.password, req.ip);
        reply.header('set-cookie', sessionSetCookie(s.sessionId, s.expiresAt, secure(req)));
        return s.user;
      },
    });
    // The origin the browser reached this server at: SLUICE_PUBLIC_URL, else the request's own.
    const origin = (req: FastifyRequest) => platform.config.publicUrl ?? `${req.protocol}://${req.host}`;
    app.route({
      ...A.oidcStart,
      handler: async (req, reply) => {
        const redirectUri = platform.config.oidc?.redirectUrl ?? `${origin(req)}${OIDC_CALLBACK_PATH}`;
        const s = await access.oidcStart(redirectUri, safeNext(req.query.next));
        reply.header('set-cookie', flowSetCookie(s.flow, secure(req)));
        return reply.redirect(s.url, 302);
      },
    });
    app.route({
      ...A.oidcCallback,
      handler: async (req, reply) => {
        // The flow is used up whatever happens: a second try must start again.
        const clear = flowClearCookie(secure(req));
        try {
          const s = await access.oidcFinish(new URL(req.url, origin(req)), flowCookie(req.headers.cookie));
          // The audit record names whose session this is, as a password sign-in's names the user, and
          // what it was before (its after is read as for any record).
          if (req.audit) {
            req.audit.resource = { kind: 'session', name: s.user.name };
            req.audit.before =
              s.before && signedInState({ ...s.user, admin: s.before.admin }, s.before.spaces);
          }
          reply.header('set-cookie', [sessionSetCookie(s.sessionId, s.expiresAt, secure(req)), clear]);
          return reply.redirect(s.next, 303);
        } catch (e) {
          reply.header('set-cookie', clear);
          if (e instanceof SluiceError && (req.headers.accept ?? '').includes('text/html')) {
            if (statusOf(e.code) >= 500) req.log.error({ err: e }, e.message);
            // A page, not the schema's JSON error body: the untyped reply sends it as it is.
            const page = reply as unknown as FastifyReply;
            return page.code(statusOf(e.code)).type('text/html; charset=utf-8').send(failurePage(e.message));
          }
          throw e;
        }
      },
    });
    app.route({
      ...A.signOut,
      handler: async (req, reply) => {
        const id = sessionCookie(req.headers.cookie);
        if (id) await access.signOut(id);
        return reply
          .header('set-cookie', sessionClearCookie(secure(req)))
          .code(204)
          .send(null);
      },
    });
    app.route({
      ...A.me,
      handler: async (req) => {
        const p = signedIn(req);
        const spaces = (await platform.spaces.store.membershipsOf(p.user)).map(({ space, role }) => ({
          space,
          role,
        }));
        return { name: p.user, admin: p.admin, source: p.source, scopes: p.scopes, via: p.via.kind, spaces };
      },
    });
    app.route({
      ...A.changePassword,
      handler: async (req, reply) => {
        const p = signedIn(req);
        // The session that asks stays signed in; the user's others end.
        const keepSession = p.via.kind === 'session' ? sessionCookie(req.headers.cookie) : undefined;
        await access.changePassword(p.user, req.body.current, req.body.new, { address: req.ip, keepSession });
        return reply.code(204).send(null);
      },
    });
    app.route({ ...A.tokens, handler: (req) => access.tokens(signedIn(req).user) });
    app.route({
      ...A.createToken,
      handler: async (req, reply) => {
        const p = signedIn(req);
        const { name, scopes, expires } = req.body;
        const made = await access.createToken(p.user, {
          name,
          // Never more than the credential that asks.
          scopes: (scopes ?? ['read', 'write']).filter((s) => p.scopes.includes(s)),
          expiresAt: expires ? expiryOf(expires, new Date()) : null,
        });
        return reply.code(201).send(made);
      },
    });
    app.route({
      ...A.revokeToken,
      handler: async (req, reply) => {
        await access.revokeToken(signedIn(req).user, req.params.id);
        return reply.code(204).send(null);
      },
    });
    app.route({
      ...A.users,
      handler: (req) => {
        admin(req);
        return access.users();
      },
    });
    app.route({
      ...A.addUser,
      handler: async (req, reply) => {
        admin(req);
        const { name, admin: isAdmin, password, role, space } = req.body;
        return reply
          .code(201)
          .send(await access.addUser({ name, admin: isAdmin ?? false, password, role, space }));
      },
    });
    app.route({
      ...A.directorySync,
      handler: async (req) => {
        admin(req);
        const p = signedIn(req);
        const round = await platform.directorySync.run({
          actor: p.user,
          via: proofText(p.via),
          sourceAddress: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
          method: req.method,
          path: req.url.split('?')[0] ?? req.url,
        });
        const kept = round.changes.filter((c) => !c.removed);
        return {
          checked: round.checked,
          removed: round.changes.filter((c) => c.removed).map((c) => c.user),
          changed: kept.map((c) => ({
            user: c.user,
            admin: c.admin.after,
            roles: (c.memberships?.set ?? []).map((m) => ({ space: m.space, role: m.role })),
            noRoleIn: (c.memberships?.remove ?? []).map((m) => m.space),
          })),
          kept: round.kept,
        };
      },
    });
    app.route({
      ...A.setPassword,
      handler: async (req, reply) => {
        admin(req);
        const p = signedIn(req);
        const own = p.user === req.params.name && p.via.kind === 'session';
        await access.setPassword(
          req.params.name,
          req.body.password,
          own ? sessionCookie(req.headers.cookie) : undefined,
        );
        return reply.code(204).send(null);
      },
    });
    app.route({
      ...A.removeUser,
      handler: async (req, reply) => {
        admin(req);
        await access.removeUser(req.params.name);
        return reply.code(204).send(null);
      },
    });
  };
