import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pino } from 'pino';
import type { Static } from 'typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '../application/config.ts';
import { Platform } from '../composition/platform.ts';
import { ApiError, createClient, type SluiceClient } from '../client/index.ts';
import { buildServer } from '../http/server.ts';
import { adminToken } from '../../test/support/credentials.ts';
import { contract } from './index.ts';
import { JobBody, SubmissionBody, type JobView } from './jobs.ts';
import type { Operation } from './operation.ts';
import { SPACE_KINDS } from '../domain/access/spaces.ts';
import type { Variable } from './workspace.ts';

/**
 * The contract is the one source of the API's types. The type checker holds both ends to it: each route
 * registers the contract's operation object, and fastify's TypeBox provider checks every handler's
 * answer against its response schema; the client's answers are the same schemas' static types. The
 * tests below make sure that stays so: the served routes are exactly the contract's, and the client
 * reads what a real server answers.
 */

const operations = Object.entries(contract).flatMap(([domain, ops]) =>
  Object.entries(ops as Record<string, Operation>).map(([name, op]) => ({ id: `${domain}.${name}`, op })),
);
/**
 * The fields a JSON schema describes, as paths (`.items.name`, `!name` when required), through arrays,
 * unions and intersections: what OpenAPI's rewriting of nulls and constants leaves unchanged.
 */
function fields(schema: unknown, at = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  for (const [k, v] of Object.entries((s.properties as Record<string, unknown>) ?? {}))
    out.push(`${at}.${k}`, ...fields(v, `${at}.${k}`));
  for (const k of (s.required as string[]) ?? []) out.push(`${at}!${k}`);
  if (s.items) out.push(...fields(s.items, `${at}[]`));
  for (const branch of [...((s.anyOf as unknown[]) ?? []), ...((s.allOf as unknown[]) ?? [])])
    out.push(...fields(branch, at));
  return [...new Set(out)].sort();
}

/** fastify's `:name` as OpenAPI writes it. */
const openApiPath = (url: string) => `/api/v1${url.replace(/:(\w+)/g, '{$1}')}`;

describe('the API contract', () => {
  let app: FastifyInstance;
  let platform: Platform;
  let home: string;
  let client: SluiceClient;
  let auth: Record<string, string>;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-contract-'));
    platform = await Platform.open({ ...loadConfig({}), home, autoStart: false }, pino({ level: 'silent' }));
    app = await buildServer(platform);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    auth = { authorization: `Bearer ${await adminToken(platform)}` };
    client = createClient({ baseUrl: `http://127.0.0.1:${address.port}`, headers: auth });
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves exactly the operations of the contract, each with its answers', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    const served = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const declared = operations.map(({ op }) => `${op.method} ${openApiPath(op.url)}`);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...served].sort()).toEqual([...declared].sort());
    for (const { id, op } of operations) {
      const responses = doc.paths[openApiPath(op.url)]![op.method.toLowerCase()]!.responses;
      const codes = Object.keys(op.schema.response);
      // Every operation answers something a client can read: a success with a schema, or for a
      // browser's navigation (the OIDC sign-in's start and callback) a redirect.
      expect(
        codes.some((c) => /^[23]/.test(c)),
        `${id} declares a success answer`,
      ).toBe(true);
      for (const code of codes) expect(Object.keys(responses), `${id} documents ${code}`).toContain(code);
      // The route answers with the contract's schema, not one of its own.
      const success = codes.find((c) => /^[23]/.test(c))!;
      const served = (responses[success]!.content as Record<string, { schema: unknown }> | undefined)?.[
        'application/json'
      ]?.schema;
      if (served !== undefined)
        expect(fields(served), `${id} answers ${success} as the contract says`).toEqual(
          fields(JSON.parse(JSON.stringify((op.schema.response as Record<string, unknown>)[success]))),
        );
    }
  });

  it('uses OpenAPI 3.0 keywords only: exclusive bounds are booleans beside minimum/maximum', async () => {
    // Schemathesis (and any 3.0 client generator) refuses the whole document for one JSON Schema 2019
    // numeric exclusiveMinimum, so it is caught here rather than by the contract run.
    const doc: unknown = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const offending: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v !== 'boolean')
          offending.push(`${at}/${k}`);
        walk(v, `${at}/${k}`);
      }
    };
    walk(doc, '');
    expect(offending).toEqual([]);
  });

  it('bounds every name in a path: at most 128 characters', async () => {
    // The contract run (test/security/api-contract.test.ts) asks the same of the served document;
    // here it fails before any server or schemathesis runs.
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          { parameters?: { name: string; in: string; schema: { type?: string; maxLength?: number } }[] }
        >
      >;
    }>();
    const unbounded: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const param of op.parameters ?? [])
          if (param.in === 'path' && param.name === 'name' && !((param.schema.maxLength ?? Infinity) <= 128))
            unbounded.push(`${method.toUpperCase()} ${p}`);
    expect(unbounded).toEqual([]);
  });

  it('names the permission each operation needs: read to GET, write to change, public only where nobody must sign in', () => {
    const open = operations.filter(({ op }) => op.config.permission === 'public').map(({ id }) => id);
    expect(open.sort()).toEqual([
      'access.oidcCallback',
      'access.oidcStart',
      'access.signIn',
      'access.signOut',
      'artifacts.submissionFile',
      'artifacts.submissionListing',
      'health.get',
    ]);
    for (const { id, op } of operations)
      if (op.config.permission !== 'public')
        expect(op.config.permission, id).toBe(op.method === 'GET' ? 'read' : 'write');
    // Routes added after every route was authenticated take the same rule, with nothing to remember.
    expect(contract.jobKafkaLag.kafkaLag.config.permission).toBe('read');
    expect(contract.targets.resources.config.permission).toBe('read');
  });

  it('declares what each operation does in which space, public exactly where no credential is needed', () => {
    const undeclared = operations.filter(({ op }) => !op.config.access).map(({ id }) => id);
    expect(undeclared, 'operations without an access declaration').toEqual([]);
    for (const { id, op } of operations) {
      const a = op.config.access!;
      expect(a.action === 'public', id).toBe(op.config.permission === 'public');
      // A space action needs a space to act in, or is a list filtered to the caller's spaces.
      if (['view', 'change', 'run', 'manage'].includes(a.action) && a.space === 'none')
        expect(a.lists, `${id} acts in no space: it must be a filtered list`).toBeDefined();
      // What changes needs a change, run or manage: never only view. A syntax check is sent by POST
      // (a script is too long for a URL) and changes nothing: any member of its space may ask.
      if (op.method !== 'GET' && a.action === 'view' && id !== 'sql.validate')
        expect.fail(`${id} changes something with view`);
      // An addressed thing is named by the path's `name` (or a debug run's `id`).
      if (['job', 'target', 'artifact', 'variable', 'catalog', 'alertRule', 'space'].includes(a.space))
        expect(op.url, id).toMatch(/\/:name(\/|$)/);
      if (a.space === 'debugRun') expect(op.url, id).toMatch(/\/:id(\/|$)/);
    }
  });

  it("tells the space of each thing in the lists of a space's things, and in a job's own answer", () => {
    // The event stream sends the events of jobs, not jobs.
    const told = operations.filter(({ id, op }) => {
      const lists = op.config.access?.lists;
      return (
        lists !== undefined && (SPACE_KINDS as readonly string[]).includes(lists) && id !== 'events.stream'
      );
    });
    expect(told.map(({ id }) => id).sort()).toEqual([
      'alertRules.list',
      'artifacts.list',
      'jobs.list',
      'targets.list',
      'workspace.catalogs',
      'workspace.variables',
    ]);
    for (const { id, op } of told)
      expect(fields(op.schema.response[200]), id).toEqual(expect.arrayContaining(['[].space', '[]!space']));
    expect(fields(contract.jobs.get.schema.response[200])).toEqual(
      expect.arrayContaining(['.space', '!space']),
    );
  });

  it('reads what a real server answers, refusals in the server error shape', async () => {
    const health = await client.health();
    expect(health).toMatchObject({ status: 'ok', engines: [], targets: [], bootstrap: null });
    expectTypeOf(health.status).toEqualTypeOf<'ok' | 'degraded'>();
    expect(await client.jobs.list()).toEqual([]);
    expect(await client.engines.list()).toEqual([]);

    // A 204 answers null, a query string is sent only when given.
    const set = await client.workspace.setVariable('kafka_brokers', { value: 'k1:9092' });
    expect(set).toMatchObject({ name: 'kafka_brokers', value: 'k1:9092', secret: false });
    expect(await client.workspace.variable('kafka_brokers')).toEqual(set);
    // Lists tell each thing's space, as the authorization that filters them by space knows it.
    expect(await client.workspace.variables()).toEqual([{ ...set, space: 'default' }]);
    expect(await client.workspace.deleteVariable('kafka_brokers')).toBeNull();
    expect(await client.sql.graph()).toEqual({ nodes: [], edges: [] });
    await expect(client.sql.graph('nope')).rejects.toMatchObject({ status: 404, code: 'not_found' });

    // A path parameter is encoded: 'a/b' names a job, not another route.
    const missing = await client.jobs.get('a/b').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({
      status: 404,
      code: 'not_found',
      message: expect.stringContaining('a/b'),
      messageCode: expect.any(String),
    });
    const invalid = await client.jobs
      .create({ name: 'a', sql: 'x', parallelism: 0 })
      .catch((e: unknown) => e as ApiError);
    expect(invalid).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      details: { field: 'parallelism', in: 'body' },
      messageCode: 'request.minimum',
    });
  });

  it('says the text a client chooses for refusals and for a server it cannot reach', async () => {
    const localized = createClient({
      baseUrl: client.baseUrl,
      headers: auth,
      errorText: (e) => `[${e.messageCode}] ${JSON.stringify(e.messageParams)}`,
    });
    await expect(localized.operations.get('nope')).rejects.toThrow('[operation.notFound] {"id":"nope"}');
    const away = createClient({ baseUrl: 'http://127.0.0.1:1', unreachable: (url) => `no server at ${url}` });
    await expect(away.health()).rejects.toMatchObject({
      code: 'unreachable',
      message: 'no server at http://127.0.0.1:1',
    });
  });

  it('types the client from the contract, and holds the server to it', () => {
    // What the client expects is the contract's schema, not a type of its own.
    expectTypeOf<Awaited<ReturnType<SluiceClient['jobs']['get']>>>().toEqualTypeOf<
      Static<typeof JobBody> & { space: string }
    >();
    expectTypeOf<Awaited<ReturnType<SluiceClient['jobs']['start']>>>().toEqualTypeOf<
      Static<typeof SubmissionBody>
    >();
    expectTypeOf<Awaited<ReturnType<SluiceClient['workspace']['variables']>>>().toEqualTypeOf<
      (Variable & { space: string })[]
    >();
    expectTypeOf<JobView['state']>().toEqualTypeOf<Static<typeof JobBody>['state']>();
    // The server's side: a handler whose answer drifts from the route's response schema does not compile
    // (checked by `tsc --noEmit`, which fails on an unused @ts-expect-error if the check ever goes away).
    const probe = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    probe.route({
      ...contract.jobs.get,
      // @ts-expect-error a job without its lifecycle state is not what jobs.get answers
      handler: () => ({ name: 'orders' }),
    });
    probe.route({
      ...contract.workspace.variables,
      // @ts-expect-error a variable's value is a string or null, never a number
      handler: () => [{ name: 'a', value: 1 }],
    });
    expect(probe.hasRoute({ method: 'GET', url: '/jobs/:name' })).toBe(true);
  });
});
