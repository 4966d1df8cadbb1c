import type { FastifyError, FastifyInstance } from 'fastify';
import { SluiceError, type ErrorCode } from '../../domain/errors.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  precondition_failed: 412,
  prerequisite_missing: 424,
  engine_unavailable: 503,
  flink_rejected: 422,
  internal: 500,
};

/** Every error leaves the API as `{"error": {"code", "message", "details"}}` with a fitting status. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SluiceError, req, reply) => {
    if (err instanceof SluiceError) {
      if (STATUS[err.code] >= 500) req.log.error({ err }, err.message);
      return reply
        .status(STATUS[err.code])
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if ('validation' in err && err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const field = first
        ? (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
          ((first.params as { missingProperty?: string }).missingProperty ?? '')
        : '';
      const message = first ? `${where}${field ? `.${field}` : ''} ${first.message}` : err.message;
      return reply.status(400).send({
        error: {
          code: 'invalid_argument',
          message,
          details: { field: field || null, in: where, problems: err.validation },
        },
      });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    return reply.status(status).send({
      error: {
        code: status === 400 ? 'invalid_argument' : status === 404 ? 'not_found' : 'internal',
        message: err.message,
        details: {},
      },
    });
  });
}
