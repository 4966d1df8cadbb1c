import type { FastifyError, FastifyInstance } from 'fastify';
import { SluiceError, type ErrorCode } from '../../domain/errors.ts';
import { message, renderMessage, type Message } from '../../domain/messages.ts';

/** The code and parameters of an error's message, beside its English text. */
const coded = (m: Message | null) => (m ? { messageCode: m.code, messageParams: m.params } : {});

interface SchemaError {
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

/** A schema refusal as a message the console can say in its language; Ajv's own words otherwise. */
function schemaProblem(where: string, e: SchemaError): Message {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return message('request.required', { where, property: String(p.missingProperty) });
    case 'additionalProperties':
      return message('request.additionalProperties', { where, property: String(p.additionalProperty) });
    case 'type':
      return message('request.type', { where, type: String(p.type) });
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return message(`request.${e.keyword}`, { where, limit: Number(p.limit) });
    case 'pattern':
      return message('request.pattern', { where, pattern: String(p.pattern) });
    case 'anyOf':
    case 'oneOf':
      return message('request.oneOf', { where });
    default:
      return message('request.invalid', { where, problem: e.message ?? e.keyword });
  }
}

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  forbidden: 403,
  misdirected: 421,
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
      return reply.status(STATUS[err.code]).send({
        error: { code: err.code, message: err.message, details: err.details, ...coded(err.text) },
      });
    }
    if ('validation' in err && err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const field = first
        ? (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
          ((first.params as { missingProperty?: string }).missingProperty ?? '')
        : '';
      const text = first ? schemaProblem(`${where}${field ? `.${field}` : ''}`, first) : null;
      return reply.status(400).send({
        error: {
          code: 'invalid_argument',
          message: text ? renderMessage(text) : err.message,
          details: { field: field || null, in: where, problems: err.validation },
          ...coded(text),
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
