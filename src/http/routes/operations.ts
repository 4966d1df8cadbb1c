import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { notFound } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { Platform } from '../../application/platform.ts';
import { errors, OperationBody } from '../schemas.ts';

export const operationRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/operations/:id',
      {
        schema: {
          tags: ['operations'],
          summary: 'A background operation and its progress lines (after=N returns lines from index N)',
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
          response: { 200: OperationBody, ...errors },
        },
      },
      async (req) => {
        const op = platform.operations.get(req.params.id);
        if (!op)
          throw notFound('operation', req.params.id, message('operation.notFound', { id: req.params.id }));
        return { ...op, lines: op.lines.slice(req.query.after ?? 0) };
      },
    );
  };
