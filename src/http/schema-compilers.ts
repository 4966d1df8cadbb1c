import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/** A validator as fastify calls it: a result, and Ajv's errors after a false one. */
type Validator = ReturnType<FastifySchemaCompiler<FastifySchema>>;

/**
 * Request bodies are validated as sent: Ajv's type coercion would turn `null` into "" and "2" into 2,
 * accepting what the schema refuses. Path and query parameters are text by nature and keep it.
 */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const build = AjvCompiler() as unknown as (
    external: object,
    options: object,
  ) => FastifySchemaCompiler<FastifySchema>;
  const exact = build({}, { customOptions: { coerceTypes: false, removeAdditional: false } });
  const coercing = build({}, { customOptions: { coerceTypes: 'array', removeAdditional: false } });
  return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
}

/** Fastify's own response serializers (fast-json-stringify), with the external schemas and options it gives. */
export const serializerFactory: SerializerFactory = SerializerSelector();

/*
 * Compiling the ~150 operations' validators and serializers took ~0.9 s of CPU at every server start,
 * for operations a process mostly never answers: each is compiled at its first request, then kept.
 * src/http/schemas-compile.test.ts compiles them all, as a start used to.
 */

/** Compiles the route's schema at the first call, then keeps the function. */
function once<F>(compile: () => F): () => F {
  let compiled: F | undefined;
  return () => (compiled ??= compile());
}

/**
 * Fastify reads a validator's `errors` after it returned false, and its `schemaEnv` (an Ajv function's)
 * to pass the request as parent data so Ajv may coerce a root value: both are the compiled function's.
 */
export function lazyValidators(
  compiler: FastifySchemaCompiler<FastifySchema>,
): FastifySchemaCompiler<FastifySchema> {
  return (route) => {
    const compiled = once(() => compiler(route));
    // Ajv's functions take the parent data as a second argument.
    const validate = (...args: unknown[]): ReturnType<Validator> =>
      (compiled() as (...args: unknown[]) => ReturnType<Validator>)(...args);
    Object.defineProperty(validate, 'errors', { get: () => compiled().errors });
    Object.defineProperty(validate, 'schemaEnv', {
      get: () => (compiled() as { schemaEnv?: unknown }).schemaEnv,
    });
    return validate;
  };
}

/** Serializers built by `factory`, each compiled at the first answer that needs it. */
export function lazySerializers(factory: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    const compiler = factory(externalSchemas, options);
    return (route) => {
      const compiled = once(() => compiler(route));
      return (doc: unknown) => compiled()(doc);
    };
  };
}
