import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SluiceError, type ErrorCode } from '../../domain/errors.ts';
import { message, renderMessage, type Message } from '../../domain/messages.ts';
import { HTTP_LIMITS, SQL_LIMITS } from '../limits.ts';
import { ENGINE_VERSION_PATTERN } from '../schemas.ts';
import { MEMORY_SIZE_PATTERN } from '../../domain/clusters/memory-size.ts';

/** The codes of answers refused before any route ran: the request's size, URL, method or encoding. */
export type RequestErrorCode =
  | 'malformed_request'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'route_not_found'
  | 'request_timeout';

/** The code and parameters of an error's message, beside its English text. */
const coded = (m: Message | null) => (m ? { messageCode: m.code, messageParams: m.params } : {});

/** The one error shape, for answers made here rather than from a thrown SluiceError. */
export const errorBody = (code: ErrorCode | RequestErrorCode, text: Message, details = {}) => ({
  error: { code, message: renderMessage(text), details, ...coded(text) },
});

interface SchemaError {
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
  propertyName?: string;
}

/** A schema refusal as a message the console can say in its language; Ajv's own words otherwise. */
function schemaProblem(where: string, e: SchemaError): Message {
  const p = e.params;
  // A map's key that is no option key (propertyNames): the key, and what keys may be.
  if (e.propertyName !== undefined)
    return message('request.propertyName', {
      where,
      property: JSON.stringify(e.propertyName).slice(1, -1),
      problem:
        e.keyword === 'pattern'
          ? 'has white space, control characters or other characters an option name does not have'
          : `must have ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters`,
    });
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
    case 'maxItems':
    case 'maxProperties':
      return message(`request.${e.keyword}`, { where, limit: Number(p.limit) });
    case 'pattern':
      // A pattern says little to a person: the ones with a name are said by it.
      return String(p.pattern) === ENGINE_VERSION_PATTERN
        ? message('request.flinkVersion', { where })
        : String(p.pattern) === MEMORY_SIZE_PATTERN
          ? message('request.memorySize', { where })
          : message('request.pattern', { where, pattern: String(p.pattern) });
    case 'anyOf':
    case 'oneOf':
      return message('request.oneOf', { where });
    default:
      return message('request.invalid', { where, problem: e.message ?? e.keyword });
  }
}

const STATUS: Record<ErrorCode | RequestErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  misdirected: 421,
  conflict: 409,
  precondition_failed: 412,
  prerequisite_missing: 424,
  engine_unavailable: 503,
  directory_unavailable: 503,
  provider_unavailable: 503,
  flink_rejected: 422,
  receiver_refused: 502,
  internal: 500,
  malformed_request: 400,
  payload_too_large: 413,
  uri_too_long: 414,
  headers_too_large: 431,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  route_not_found: 404,
  request_timeout: 408,
};

/** The path of a request without its query, for messages. */
const pathOf = (url: string) => url.split('?')[0] ?? url;

/** Fastify's own refusals (body parsing, router), each as a code and a message of ours. */
function requestProblem(
  err: FastifyError,
  req: FastifyRequest,
): { code: RequestErrorCode; text: Message } | null {
  const path = pathOf(req.url);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        code: 'payload_too_large',
        text: message('request.payloadTooLarge', {
          limit: HTTP_LIMITS.bodyBytes,
          sqlLimit: SQL_LIMITS.characters,
        }),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: 'unsupported_media_type',
        text: message('request.unsupportedMediaType', {
          method: req.method,
          path,
          type: String(req.headers['content-type'] ?? ''),
        }),
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        code: 'malformed_request',
        text: message('request.malformedJson', { detail: 'it cannot be parsed' }),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed_request', text: message('request.emptyJsonBody') };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'malformed_request', text: message('request.contentLength') };
    case 'FST_ERR_BAD_URL':
      return { code: 'malformed_request', text: message('request.badUrl', { path }) };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        code: 'uri_too_long',
        text: message('request.pathSegmentTooLong', {
          path: path.slice(0, 200),
          limit: HTTP_LIMITS.pathSegmentCharacters,
        }),
      };
    default:
      return null;
  }
}

/** Every error leaves the API as `{"error": {"code", "message", "details"}}` with a fitting status. */
/** The HTTP status of an error code. */
export const statusOf = (code: ErrorCode | RequestErrorCode): number => STATUS[code];

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SluiceError, req, reply) => {
    if (err instanceof SluiceError) {
      if (STATUS[err.code] >= 500) req.log.error({ err }, err.message);
      return reply.status(STATUS[err.code]).send({
        error: { code: err.code, message: err.message, details: err.details, ...coded(err.text) },
      });
    }
    if ('validation' in err && err.validation) {
      const first = err.validation[0] as (SchemaError & { instancePath?: string }) | undefined;
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
    const known = requestProblem(err, req);
    if (known) return reply.status(STATUS[known.code]).send(errorBody(known.code, known.text));
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    return reply.status(status).send({
      error: {
        code: status === 400 ? 'malformed_request' : status === 404 ? 'route_not_found' : 'internal',
        message: err.message,
        details: {},
      },
    });
  });
  registerRouteTable(app);
}

/** Errors Fastify's router meets before any route: a broken percent-encoding, an over-long segment. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const known = requestProblem(err, req) ?? {
    code: 'malformed_request' as const,
    text: message('request.malformed'),
  };
  void reply.status(STATUS[known.code]).send(errorBody(known.code, known.text));
}

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (headers over its limit, a timeout,
 * bytes that are not HTTP): answered in the one error shape on the socket itself.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, text]: [RequestErrorCode, Message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', message('request.headersTooLarge', { limit: HTTP_LIMITS.headerBytes })]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', message('request.timeout')]
        : ['malformed_request', message('request.malformed')];
  const body = JSON.stringify(errorBody(code, text));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${STATUS[code]} ${code.replace(/_/g, ' ')}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/** The API's routes as patterns, to tell an unknown path (404) from a method a known path lacks (405). */
const routeTables = new WeakMap<FastifyInstance, { pattern: RegExp; methods: Set<string> }[]>();

function registerRouteTable(app: FastifyInstance): void {
  const table: { pattern: RegExp; methods: Set<string> }[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    const source = `^${route.url
      .split('/')
      .map((s) => (s === '*' ? '.*' : s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`;
    let entry = table.find((t) => t.pattern.source === source);
    if (!entry) table.push((entry = { pattern: new RegExp(source), methods: new Set() }));
    for (const m of [route.method].flat()) entry.methods.add(m);
  });
}

/** The answer for an API path no route takes: 405 with Allow when the path is known, else 404. */
export function noRouteAnswer(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = pathOf(req.url);
  const methods = new Set<string>();
  for (const t of routeTables.get(app) ?? [])
    if (t.pattern.test(path)) t.methods.forEach((m) => methods.add(m));
  if (methods.size) {
    const allowed = [...methods].sort().join(', ');
    return reply
      .status(405)
      .header('allow', allowed)
      .send(
        errorBody(
          'method_not_allowed',
          message('request.methodNotAllowed', { method: req.method, path, allowed }),
          { allowed: [...methods].sort() },
        ),
      );
  }
  return reply
    .status(404)
    .send(errorBody('route_not_found', message('request.noRoute', { method: req.method, url: req.url })));
}
