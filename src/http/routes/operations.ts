import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { Platform } from '../../composition/platform.ts';
import { operations as O } from '../../contract/engines.ts';

export const operationRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...O.get,
      handler: async (req) => {
        const op = platform.operations.get(req.params.id);
        if (!op)
          throw notFound('operation', req.params.id, message('operation.notFound', { id: req.params.id }));
        return { ...op, lines: op.lines.slice(req.query.after ?? 0) };
      },
    });
  };
