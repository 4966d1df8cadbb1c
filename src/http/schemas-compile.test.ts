import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, RouteOptions } from 'fastify';
import type { SerializerCompiler } from '@fastify/fast-json-stringify-compiler';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../application/config.ts';
import { Platform } from '../composition/platform.ts';
import { buildServer, serverRoutes } from './server.ts';
import { serializerFactory, validatorCompiler } from './schema-compilers.ts';

const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

interface Compiled {
  validators: number;
  serializers: number;
  failures: string[];
}

/**
 * Compiles every route's request validators and response serializers now, as fastify did at start
 * before they were compiled at first use: a schema that cannot compile is named with its route.
 */
function compileAll(
  routes: RouteOptions[],
  validators: FastifySchemaCompiler<FastifySchema>,
  serializers: SerializerCompiler,
): Compiled {
  const out: Compiled = { validators: 0, serializers: 0, failures: [] };
  const attempt = (what: string, compile: () => unknown) => {
    try {
      compile();
    } catch (e) {
      out.failures.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const route of routes) {
    const schema = route.schema as (FastifySchema & { query?: unknown }) | undefined;
    if (!schema) continue;
    const method = String(route.method);
    const { url } = route;
    const compiler =
      (route.validatorCompiler as FastifySchemaCompiler<FastifySchema> | undefined) ?? validators;
    for (const httpPart of REQUEST_PARTS) {
      const part = httpPart === 'querystring' ? (schema.querystring ?? schema.query) : schema[httpPart];
      if (part === undefined) continue;
      const bodies = (part as { content?: Record<string, { schema: unknown }> }).content;
      for (const [contentType, partSchema] of bodies
        ? Object.entries(bodies).map(([type, media]) => [type, media.schema] as const)
        : [[undefined, part] as const]) {
        out.validators++;
        attempt(`${method} ${url} ${httpPart}${contentType ? ` (${contentType})` : ''}`, () =>
          compiler({ schema: partSchema as FastifySchema, method, url, httpPart, contentType }),
        );
      }
    }
    for (const [httpStatus, response] of Object.entries((schema.response ?? {}) as Record<string, object>)) {
      const media = (response as { content?: Record<string, { schema: unknown }> }).content;
      for (const [contentType, responseSchema] of media
        ? Object.entries(media).map(([type, m]) => [type, m.schema] as const)
        : [[undefined, response] as const]) {
        out.serializers++;
        attempt(`${method} ${url} response ${httpStatus}${contentType ? ` (${contentType})` : ''}`, () =>
          serializers({ schema: responseSchema, method, url, httpStatus }),
        );
      }
    }
  }
  return out;
}

describe('the HTTP API’s schemas', () => {
  let home: string;
  let platform: Platform;
  let app: FastifyInstance;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-schemas-'));
    platform = await Platform.open({ ...loadConfig({}), home, autoStart: false }, pino({ level: 'silent' }));
    app = await buildServer(platform);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const compilers = () => ({
    validators: validatorCompiler(),
    // The server sets no serializer options: fastify gives the factory its schemas only.
    serializers: serializerFactory(app.getSchemas()),
  });

  it('all compile: every request part’s validator and every response’s serializer', () => {
    const routes = serverRoutes.get(app) ?? [];
    const { validators, serializers } = compilers();
    const compiled = compileAll(routes, validators, serializers);
    expect(compiled.failures).toEqual([]);
    // Every operation was seen (~150, and their HEAD routes), each with its error answers at least.
    expect(routes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD').length).toBeGreaterThan(
      140,
    );
    expect(compiled.validators).toBeGreaterThan(200);
    expect(compiled.serializers).toBeGreaterThan(2000);
  });

  it('name the route, the part and the status of a schema that does not compile', () => {
    const { validators, serializers } = compilers();
    const broken = { $ref: '#/nowhere' };
    const route = (schema: FastifySchema): RouteOptions =>
      ({ method: 'POST', url: '/api/v1/broken', schema, handler: () => undefined }) as RouteOptions;
    const compiled = compileAll(
      [
        route({ body: broken }),
        route({ querystring: { type: 'nonsense' } }),
        route({ response: { 409: broken } }),
      ],
      validators,
      serializers,
    );
    expect(compiled.failures).toEqual([
      expect.stringMatching(/^POST \/api\/v1\/broken body: .*nowhere/),
      expect.stringMatching(/^POST \/api\/v1\/broken querystring: .*type/),
      expect.stringMatching(/^POST \/api\/v1\/broken response 409: .*nowhere/),
    ]);
  });
});
