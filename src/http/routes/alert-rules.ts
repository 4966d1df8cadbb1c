import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { alertRules as A } from '../../contract/alert-rules.ts';
import type { AlertHistoryEntry } from '../../application/ports/alerts.ts';
import { withoutSpace, withSpaces } from '../plugins/authorization.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

/** An alert of the history as the API answers it. */
export const alertView = ({ notification: n, ...e }: AlertHistoryEntry) => ({
  ...n,
  rule: e.rule,
  job: e.job,
  channel: e.channel,
  delivery: e.delivery,
  receivedAt: e.receivedAt,
});

/** Alert rules, their history, and Alertmanager's webhook. */
export const alertRuleRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const rules = platform.alertRules;
    app.route({
      ...A.list,
      handler: async (req) =>
        withSpaces('alertRule', await rules.list(req.query.job), platform.spaces, DEFAULT_SPACE),
    });
    app.route({ ...A.get, handler: (req) => rules.get(req.params.name) });
    // The rule's space as the authorization resolved it: the one asked for, an existing rule's, or default.
    app.route({
      ...A.put,
      handler: (req) =>
        rules.put(req.params.name, { ...withoutSpace(req.body), space: req.space ?? undefined }),
    });
    app.route({
      ...A.remove,
      handler: async (req, reply) => {
        await rules.remove(req.params.name);
        return reply.code(204).send(null);
      },
    });
    app.route({ ...A.history, handler: async (req) => (await rules.history(req.query.job)).map(alertView) });
    app.route({ ...A.alertmanager, handler: (req) => rules.receive(req.body) });
  };
