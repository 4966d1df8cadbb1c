import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { expiryOf } from '../../domain/access/credentials.ts';
import { access as A } from '../../contract/access.ts';
import {
  requireAdmin as admin,
  sessionClearCookie,
  sessionCookie,
  sessionSetCookie,
  signedIn,
} from '../plugins/authentication.ts';

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
      handler: (req) => {
        const p = signedIn(req);
        return { name: p.user, admin: p.admin, source: p.source, scopes: p.scopes, via: p.via.kind };
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
        const { name, admin: isAdmin, password } = req.body;
        return reply.code(201).send(await access.addUser({ name, admin: isAdmin ?? false, password }));
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
