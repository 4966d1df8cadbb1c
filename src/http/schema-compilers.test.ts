import AjvCompiler from '@fastify/ajv-compiler';
import Fastify, { type FastifySchema, type FastifySchemaCompiler } from 'fastify';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it } from 'vitest';
import { lazySerializers, lazyValidators, serializerFactory, validatorCompiler } from './schema-compilers.ts';

/** A server as buildServer makes it: lazy validators and serializers, counting what they compile. */
function server(validators: FastifySchemaCompiler<FastifySchema> = validatorCompiler()) {
  const compiled: string[] = [];
  const counting: SerializerFactory = (external, options) => {
    const compile = serializerFactory(external, options);
    return (route) => {
      compiled.push(`serializer ${route.method} ${route.url} ${route.httpStatus}`);
      return compile(route);
    };
  };
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: lazySerializers(counting) } },
  });
  app.setValidatorCompiler(
    lazyValidators((route) => {
      compiled.push(`validator ${route.method} ${route.url} ${route.httpPart}`);
      return validators(route);
    }),
  );
  return { app, compiled };
}

const Thing = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 2 }, size: { type: 'integer' } },
  additionalProperties: false,
} as const;

describe('lazy schema compilers', () => {
  it('compile a route’s schemas at its first request, once, not at start', async () => {
    const { app, compiled } = server();
    app.post('/things', { schema: { body: Thing, response: { 201: Thing } } }, async (req, reply) =>
      reply.status(201).send({ ...(req.body as object), extra: 'dropped' }),
    );
    app.get('/other', { schema: { querystring: Thing, response: { 200: Thing } } }, async () => ({}));
    await app.ready();
    expect(compiled).toEqual([]);

    for (const name of ['one', 'two']) {
      const r = await app.inject({ method: 'POST', url: '/things', payload: { name, size: 3 } });
      expect(r.statusCode).toBe(201);
      // Serialized by its schema: the property it does not name is left out.
      expect(r.json()).toEqual({ name, size: 3 });
    }
    expect(compiled).toEqual(['validator POST /things body', 'serializer POST /things 201']);
    await app.close();
  });

  it('give fastify the compiled validator’s errors, for its 400 answer', async () => {
    const { app } = server();
    app.post('/things', { schema: { body: Thing } }, async () => ({ ok: true }));
    const refused = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('body/name must NOT have fewer than 2 characters');
    // Errors are those of the last call, not kept from a previous one.
    const other = await app.inject({ method: 'POST', url: '/things', payload: { name: 'xy', size: 'a' } });
    expect(other.json().message).toBe('body/size must be integer');
    expect((await app.inject({ method: 'POST', url: '/things', payload: { name: 'xy' } })).statusCode).toBe(
      200,
    );
    await app.close();
  });

  it('coerce query parameters', async () => {
    const { app } = server();
    app.get(
      '/things',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { size: { type: 'integer' }, tag: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
      async (req) => req.query,
    );
    const r = await app.inject({ method: 'GET', url: '/things?size=3&tag=a' });
    expect(r.json()).toEqual({ size: 3, tag: ['a'] });
    await app.close();
  });

  it('let Ajv coerce a root value, which it does through the request as parent data', async () => {
    const build = AjvCompiler() as unknown as (
      external: object,
      options: object,
    ) => FastifySchemaCompiler<FastifySchema>;
    const { app } = server(build({}, { customOptions: { coerceTypes: true } }));
    app.post('/size', { schema: { body: { type: 'integer' } } }, async (req) => ({ size: req.body }));
    const r = await app.inject({
      method: 'POST',
      url: '/size',
      headers: { 'content-type': 'application/json' },
      payload: '"2"',
    });
    expect(r.json()).toEqual({ size: 2 });
    await app.close();
  });

  it('keep an async ($async) schema’s refusal and a compiler’s {error} and {value} results', async () => {
    const custom: FastifySchemaCompiler<FastifySchema> = (route) => {
      if (route.url === '/value') return (data: unknown) => ({ value: { wrapped: data } });
      if (route.url === '/error') return () => ({ error: new Error('refused by the compiler') });
      return validatorCompiler()(route);
    };
    const { app } = server(custom);
    app.post('/value', { schema: { body: Thing } }, async (req) => req.body);
    app.post('/error', { schema: { body: Thing } }, async (req) => req.body);
    app.post('/async', { schema: { body: { ...Thing, $async: true } } }, async (req) => req.body);
    const value = await app.inject({ method: 'POST', url: '/value', payload: { name: 'a' } });
    expect(value.json()).toEqual({ wrapped: { name: 'a' } });
    const error = await app.inject({ method: 'POST', url: '/error', payload: { name: 'ab' } });
    expect(error.statusCode).toBe(400);
    expect(error.json().message).toBe('refused by the compiler');
    const refused = await app.inject({ method: 'POST', url: '/async', payload: { name: 'a' } });
    expect(refused.statusCode).toBe(400);
    // Ajv's async refusal is its ValidationError, whose errors fastify does not unwrap.
    expect(refused.json().message).toBe('validation failed');
    const accepted = await app.inject({ method: 'POST', url: '/async', payload: { name: 'ab' } });
    expect(accepted.json()).toEqual({ name: 'ab' });
    await app.close();
  });

  it('let a route’s own validator compiler decide its parts, as before', async () => {
    const { app, compiled } = server();
    app.post(
      '/raw',
      { schema: { body: Thing }, validatorCompiler: () => (data: unknown) => ({ value: data }) },
      async (req) => req.body,
    );
    const r = await app.inject({ method: 'POST', url: '/raw', payload: { anything: true } });
    expect(r.json()).toEqual({ anything: true });
    expect(compiled).toEqual([]);
    await app.close();
  });

  it('start with a schema that cannot compile, and fail the request that needs it', async () => {
    const { app } = server();
    app.get('/broken', { schema: { response: { 200: { $ref: '#/nowhere' } } } }, async () => ({}));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/broken' })).statusCode).toBe(500);
    await app.close();
  });
});
