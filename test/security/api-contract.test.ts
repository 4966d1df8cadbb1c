import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_MEMORY } from '../../src/domain/clusters/local-cluster-spec.ts';
import { SQL_LIMITS } from '../../src/domain/sql/limits.ts';
import { buildServer } from '../../src/http/server.ts';
import { adminToken, authHeaders, rememberToken } from '../support/credentials.ts';
import { HTTP_LIMITS } from '../../src/http/limits.ts';
import { freePort } from '../support/ports.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';

const MIB = 1024 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string; details: Record<string, unknown>; messageCode?: string } };
}

const SQL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src;`;

/**
 * Issue 11, item 7: the API's contract holds for every input. Each attack of the issue against a real
 * server (on the port its configuration names) with its default cluster running: refused with the one
 * error shape, a specific code, what was wrong and where, and nothing changed.
 */
describe('the API contract holds for every input', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let base: string;
  let serverPort: number;
  const spec = () => t.platform.targets.spec('local-1.20');
  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        ...authHeaders(base),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} } as Answer;
  };
  /** A refusal: its status, code and message code, and the English message. */
  const refusal = (a: Answer) => ({
    status: a.status,
    code: a.body.error?.code,
    messageCode: a.body.error?.messageCode,
    field: a.body.error?.details.field,
    message: a.body.error?.message,
  });

  beforeAll(async () => {
    serverPort = await freePort();
    t = await testPlatform({ config: { port: serverPort } });
    // The smallest cluster Sluice lets one define: it must start and run a job.
    await t.platform.targets.define({
      name: 'local-1.20',
      engineVersion: '1.20',
      ...(await t.clusterSettings()),
      jobManagerMemory: `${MIN_MEMORY.jobManagerMemory / MIB}m`,
      taskManagerMemory: `${MIN_MEMORY.taskManagerMemory / MIB}m`,
      gatewayMemory: `${MIN_MEMORY.gatewayMemory / MIB}m`,
    });
    app = await buildServer(t.platform);
    await app.listen({ port: serverPort, host: '127.0.0.1' });
    base = `http://127.0.0.1:${serverPort}`;
    rememberToken(base, await adminToken(t.platform));
    await t.platform.targets.start('local-1.20', () => {});
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('a cluster of the least memory Sluice takes starts and runs a job', async () => {
    expect(await spec()).toMatchObject({
      jobManagerMemory: '768m',
      taskManagerMemory: '1024m',
      gatewayMemory: '256m',
    });
    expect(
      (await call('POST', '/api/v1/jobs', { name: 'smallest', sql: SQL, target: 'local-1.20' })).status,
    ).toBe(201);
    const start = await t.platform.jobs.start('smallest', {}, 'ann');
    await t.platform.submissions.wait(start.id);
    expect((await t.platform.store.lifecycle.submission(start.id))!.status).toBe('succeeded');
    await waitFor('RUNNING', async () => (await t.platform.jobs.get('smallest')).state === 'RUNNING');
    const cancel = await t.platform.jobs.cancel('smallest', 'ann');
    await t.platform.submissions.wait(cancel.id);
  });

  it('PUT /targets/{name} on the running cluster refuses memory Flink cannot start with or the machine lacks', async () => {
    const before = await spec();
    expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { jobManagerMemory: '0m' }))).toEqual({
      status: 400,
      code: 'invalid_argument',
      messageCode: 'cluster.memoryTooSmall',
      field: 'jobManagerMemory',
      message:
        'jobManagerMemory: 0m is less than 768m, the least a JobManager of Flink starts with: give at least 768m',
    });
    const more = `${Math.max(175, Math.ceil(os.totalmem() / 1024 ** 3) + 1)}GB`;
    expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { gatewayMemory: more }))).toMatchObject({
      status: 400,
      messageCode: 'cluster.memoryTooLarge',
      field: 'gatewayMemory',
      message: expect.stringMatching(
        new RegExp(`^gatewayMemory: ${more} is more than this machine's memory`),
      ),
    });
    expect(
      refusal(
        await call('PUT', '/api/v1/targets/local-1.20', {
          taskManagers: 8,
          taskManagerMemory: more.replace('GB', 'g'),
        }),
      ).status,
    ).toBe(400);
    expect(
      refusal(await call('PUT', '/api/v1/targets/local-1.20', { taskManagerMemory: '1.5g' })),
    ).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      field: 'taskManagerMemory',
      messageCode: 'request.memorySize',
      message:
        'body.taskManagerMemory must be a memory size in whole units as Flink writes them, such as 1536m, 1536 mb or 2g',
    });
    expect(await spec()).toEqual(before);
  });

  it('refuses option keys with control characters or white space, and options that would undo its fields', async () => {
    const before = await spec();
    for (const key of ['a\u0001b', 'rest .port', 'x\ny: 1', 'state.backend.type\t'])
      expect(
        refusal(await call('PUT', '/api/v1/targets/local-1.20', { flinkConfig: { [key]: '1' } })),
        JSON.stringify(key),
      ).toMatchObject({ status: 400, code: 'invalid_argument', messageCode: 'request.propertyName' });
    expect(
      refusal(
        await call('PUT', '/api/v1/targets/local-1.20', { flinkConfig: { 'rest.bind-address': '0.0.0.0' } }),
      ),
    ).toMatchObject({
      status: 400,
      messageCode: 'cluster.configKeyLoopback',
      field: 'flinkConfig.rest.bind-address',
    });
    expect(
      refusal(await call('PUT', '/api/v1/targets/local-1.20', { flinkConfig: { 'rest.port': '8081' } })),
    ).toMatchObject({ status: 400, messageCode: 'cluster.configKeyOwnField' });
    // Job and catalog options are checked the same way.
    expect(
      refusal(
        await call('POST', '/api/v1/jobs', {
          name: 'ctl',
          sql: SQL,
          options: { 'pipeline.name\u0000': 'x' },
        }),
      ),
    ).toMatchObject({ status: 400, messageCode: 'request.propertyName' });
    expect(await spec()).toEqual(before);
  });

  it('refuses ports of another cluster, of the API, or held by another program', async () => {
    const before = await spec();
    const other = { engineVersion: '1.20', ...(await t.clusterSettings()) };
    expect((await call('PUT', '/api/v1/targets/other', other)).status).toBe(200);
    expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { restPort: other.gatewayPort }))).toEqual(
      {
        status: 400,
        code: 'invalid_argument',
        messageCode: 'cluster.portOfOtherCluster',
        field: 'restPort',
        message: `restPort: port ${other.gatewayPort} is already the gatewayPort of cluster other: choose another port`,
      },
    );
    expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { rpcPort: serverPort }))).toMatchObject({
      status: 400,
      messageCode: 'cluster.portOfServer',
      field: 'rpcPort',
    });
    const holder = net.createServer();
    const held = await new Promise<number>((r) =>
      holder.listen(0, '127.0.0.1', () => r((holder.address() as net.AddressInfo).port)),
    );
    try {
      expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { gatewayPort: held }))).toMatchObject({
        status: 400,
        messageCode: 'cluster.portInUse',
        field: 'gatewayPort',
      });
      expect((await call('PUT', '/api/v1/targets/third', { ...other, restPort: held })).status).toBe(400);
    } finally {
      holder.close();
    }
    expect(await spec()).toEqual(before);
    // Its own ports, held by its own running processes, are no collision: a change of memory is taken.
    expect((await call('PUT', '/api/v1/targets/local-1.20', { gatewayMemory: '300m' })).status).toBe(200);
    expect((await call('PUT', '/api/v1/targets/local-1.20', { gatewayMemory: '256m' })).status).toBe(200);
  });

  it('refuses null where a string is required: no coercion of a body', async () => {
    for (const [p, body, field] of [
      ['/api/v1/sql/lineage', { sql: null }, 'sql'],
      ['/api/v1/sql/validate', { sql: null }, 'sql'],
      ['/api/v1/sql/validate', { sql: 'SELECT 1', engineVersion: null }, 'engineVersion'],
    ] as const)
      expect(refusal(await call('POST', p, body)), p).toMatchObject({
        status: 400,
        code: 'invalid_argument',
        messageCode: 'request.type',
        field,
        message: `body.${field} must be string`,
      });
    expect(refusal(await call('PUT', '/api/v1/variables/brokers', { value: null }))).toMatchObject({
      status: 400,
      messageCode: 'request.type',
      field: 'value',
    });
    expect((await call('GET', '/api/v1/variables/brokers')).status).toBe(404);
    // Nor a number written as text.
    expect(
      refusal(await call('POST', '/api/v1/jobs', { name: 'typed', sql: SQL, parallelism: '2' })),
    ).toMatchObject({ status: 400, messageCode: 'request.type', field: 'parallelism' });
  });

  it("refuses parallelism.default in options: it is the parallelism field's", async () => {
    expect(
      refusal(
        await call('POST', '/api/v1/jobs', {
          name: 'wide',
          sql: SQL,
          options: { 'parallelism.default': '100000' },
        }),
      ),
    ).toEqual({
      status: 400,
      code: 'invalid_argument',
      messageCode: 'job.parallelismOption',
      field: 'options.parallelism.default',
      message:
        "option 'parallelism.default' is the job's parallelism field: set parallelism (1 to 1024) instead of the option",
    });
    expect((await call('GET', '/api/v1/jobs/wide')).status).toBe(404);
  });

  it('takes clusterName, the deprecated name of target, in bodies and answers with target only', async () => {
    const made = await call('POST', '/api/v1/jobs', { name: 'aliased', sql: SQL, clusterName: 'local-1.20' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ target: 'local-1.20' });
    expect(made.body).not.toHaveProperty('clusterName');
    const edited = await call('PATCH', '/api/v1/jobs/aliased', {
      baseVersion: 1,
      message: 'the same target, by its old name',
      clusterName: 'local-1.20',
      parallelism: 2,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ number: 2, content: { target: 'local-1.20', parallelism: 2 } });
    expect((edited.body as { content: object }).content).not.toHaveProperty('clusterName');
    expect(
      refusal(
        await call('POST', '/api/v1/jobs', {
          name: 'torn',
          sql: SQL,
          target: 'local-1.20',
          clusterName: 'other',
        }),
      ),
    ).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      field: 'clusterName',
      messageCode: 'invalid.field',
    });
    expect((await call('GET', '/api/v1/jobs/torn')).status).toBe(404);
    expect(
      refusal(await call('POST', '/api/v1/jobs', { name: 'lost', sql: SQL, target: 'nowhere' })),
    ).toMatchObject({ status: 404, code: 'not_found', messageCode: 'target.notFound' });
  });

  it('takes ?cluster=, the deprecated name of ?target=, on catalogs, and answers with target only', async () => {
    const types = await call('GET', '/api/v1/catalog-types?target=local-1.20');
    expect(types.status).toBe(200);
    expect(await call('GET', '/api/v1/catalog-types?cluster=local-1.20')).toMatchObject({
      status: 200,
      body: types.body,
    });
    // The old name is the target's: an unknown one is an unknown target, not an ignored parameter.
    expect(refusal(await call('GET', '/api/v1/catalog-types?cluster=nowhere'))).toMatchObject({
      status: 404,
      messageCode: 'target.notFound',
    });
    expect(refusal(await call('GET', '/api/v1/catalog-types?target=local-1.20&cluster=other'))).toMatchObject(
      {
        status: 400,
        code: 'invalid_argument',
        field: 'cluster',
        message:
          "cluster: target 'local-1.20' and cluster 'other' disagree: cluster is the deprecated name of target, give target only",
      },
    );
    // The health answer lists the deployment targets under their word.
    const health = await call('GET', '/api/v1/health');
    expect(health.body).toMatchObject({
      targets: expect.arrayContaining([expect.objectContaining({ name: 'local-1.20', status: 'running' })]),
    });
    expect(health.body).not.toHaveProperty('clusters');
  });

  it('answers engineVersion "" with a 400 naming the field, not 412', async () => {
    expect(
      refusal(await call('POST', '/api/v1/jobs', { name: 'empty', sql: SQL, engineVersion: '' })),
    ).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      field: 'engineVersion',
      messageCode: 'request.flinkVersion',
      message: 'body.engineVersion must be a Flink version such as 1.20 or 1.20.3',
    });
    expect(refusal(await call('PUT', '/api/v1/targets/local-1.20', { engineVersion: '' })).field).toBe(
      'engineVersion',
    );
  });

  it('answers 404, 405, 413, 414, 415, 431 and broken bodies in the one error shape with a specific code', async () => {
    expect(refusal(await call('GET', '/api/v1/nothing'))).toMatchObject({
      status: 404,
      code: 'route_not_found',
      messageCode: 'request.noRoute',
    });
    const wrongMethod = await call('DELETE', '/api/v1/health');
    expect(refusal(wrongMethod)).toMatchObject({
      status: 405,
      code: 'method_not_allowed',
      message: '/api/v1/health does not take DELETE: use GET, HEAD',
    });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(refusal(await call('PATCH', '/api/v1/jobs/smallest/versions/1')).status).toBe(405);

    const big = await call('POST', '/api/v1/sql/lineage', { sql: 'x'.repeat(HTTP_LIMITS.bodyBytes + 1) });
    expect(refusal(big)).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      messageCode: 'request.payloadTooLarge',
    });
    expect(big.body.error!.message).toContain('2097152 bytes');

    const longUrl = await call('GET', `/api/v1/jobs?x=${'a'.repeat(HTTP_LIMITS.urlCharacters)}`);
    expect(refusal(longUrl)).toMatchObject({
      status: 414,
      code: 'uri_too_long',
      messageCode: 'request.uriTooLong',
    });
    const longName = await call('GET', `/api/v1/jobs/${'a'.repeat(HTTP_LIMITS.pathSegmentCharacters + 1)}`);
    expect(refusal(longName)).toMatchObject({
      status: 414,
      code: 'uri_too_long',
      messageCode: 'request.pathSegmentTooLong',
    });
    expect(refusal(await call('GET', `/api/v1/jobs/${'a'.repeat(200)}`))).toMatchObject({
      status: 400,
      messageCode: 'request.maxLength',
    });

    expect(
      refusal(await call('POST', '/api/v1/sql/lineage', 'sql=1', { 'content-type': 'text/plain' })),
    ).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
      messageCode: 'request.unsupportedMediaType',
    });
    expect(
      refusal(await call('POST', '/api/v1/sql/lineage', '{"sql": ', { 'content-type': 'application/json' })),
    ).toMatchObject({ status: 400, code: 'malformed_request', messageCode: 'request.malformedJson' });
    expect(refusal(await call('GET', '/api/v1/jobs/%E0%A4%A'))).toMatchObject({
      status: 400,
      code: 'malformed_request',
      messageCode: 'request.badUrl',
    });

    // Headers beyond what Node's parser reads: answered on the socket, still in the one shape.
    const headers = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}/api/v1/health`, {
        headers: { 'x-big': 'a'.repeat(HTTP_LIMITS.headerBytes) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(headers.status).toBe(431);
    expect(JSON.parse(headers.body).error).toMatchObject({
      code: 'headers_too_large',
      messageCode: 'request.headersTooLarge',
    });
  });

  it('refuses a script over its statement limit, and every limit is in the OpenAPI document', async () => {
    const many = 'SET a = b;\n'.repeat(SQL_LIMITS.statements + 1);
    expect(refusal(await call('POST', '/api/v1/sql/validate', { sql: many }))).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      messageCode: 'sql.tooManyStatements',
      field: 'sql',
    });
    const doc = (await call('GET', '/api/openapi.json')).body as unknown as {
      info: { description: string };
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, { maxLength?: number; description?: string }> } }
              >;
            };
            responses: Record<string, unknown>;
            parameters?: { name: string; schema: { maxLength?: number } }[];
          }
        >
      >;
    };
    expect(doc.info.description).toContain('a JSON body of at most 2,097,152 bytes');
    expect(doc.info.description).toContain('20,000 statements');
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) {
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '414', '431']));
      if (op.requestBody) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['413', '415']));
      for (const p of op.parameters ?? [])
        if (p.name === 'name') expect(p.schema.maxLength).toBeLessThanOrEqual(128);
    }
    const validate =
      doc.paths['/api/v1/sql/validate']!.post!.requestBody!.content['application/json']!.schema;
    expect(validate.properties.sql).toMatchObject({ maxLength: SQL_LIMITS.characters });
    expect(validate.properties.sql!.description).toContain('20,000 statements');
  });
});
