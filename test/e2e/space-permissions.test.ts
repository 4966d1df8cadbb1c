import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import type { Access, Operation } from '../../src/contract/operation.ts';
import { servedPlatform } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';
import type { AdoptedCluster } from '../support/shared-cluster.ts';
import type { TestPlatform } from '../support/platform.ts';

/**
 * Issue 15 item 2's bar: every operation of the OpenAPI document a real server serves, tried as every
 * caller (nobody, a viewer, a developer and an owner of space A, a developer of space B only, a
 * platform admin) with the path naming A's things and a body the schema accepts; any success the
 * operation's declared access does not allow is counted, and there must be none. A refusal (401/403)
 * of a caller the declaration allows is counted too. Space A holds a job, a deployment target, an
 * artifact, a variable, a catalog and an alert rule; B holds a job of its own.
 */

type Caller = 'nobody' | 'viewer' | 'developer' | 'owner' | 'developerOfB' | 'admin';
const CALLERS: Caller[] = ['nobody', 'viewer', 'developer', 'owner', 'developerOfB', 'admin'];
/** Each caller's role in space A, written here rather than taken from the code under test. */
const ROLE_IN_A: Record<Caller, number> = {
  nobody: 0,
  developerOfB: 0,
  viewer: 1,
  developer: 2,
  owner: 3,
  admin: 9,
};
const NEEDS = { view: 1, change: 2, run: 2, manage: 3 } as const;

const A = 'team-a';
const B = 'team-b';
const SQL = `CREATE TABLE ticks (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '1');
CREATE TABLE sunk (id INT) WITH ('connector' = 'blackhole');
INSERT INTO sunk SELECT id FROM ticks;
`;
/** A's things, by the path that names them. */
const THING: Record<string, string> = {
  jobs: 'a-job',
  targets: 'a-target',
  artifacts: 'a-art',
  variables: 'a_var',
  catalogs: 'a_cat',
  'alert-rules': 'a-rule',
  'alert-channels': 'ops',
  spaces: A,
  users: 'spare',
  connections: 'no-such-connection',
  engines: '1.20',
};

interface DocOperation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
}
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
  nullable?: boolean;
}

/** The least instance of a schema: required fields only, the first of each choice. */
function instance(s: Schema | undefined): unknown {
  if (!s) return {};
  const choice = s.anyOf ?? s.oneOf;
  if (choice) return instance(choice.find((c) => c.type !== 'null') ?? choice[0]);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => instance(x) as object));
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return s.format === 'binary' ? '' : 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => instance(s.items));
    default:
      return Object.fromEntries((s.required ?? []).map((k) => [k, instance(s.properties?.[k])]));
  }
}

let made = 0;
/** The shared cluster's REST address, once known: remote targets are checked to answer as Flink. */
let sharedRestUrl = '';
/** A name nothing has yet. */
const fresh = (prefix: string) => `${prefix}-${++made}`;

/**
 * Bodies the least instance does not make plausible: what creates gets a new name in space A, the
 * rest a value its route accepts as such. Keyed by `METHOD /path`.
 */
const BODIES: Record<string, () => unknown> = {
  'POST /api/v1/jobs': () => ({ name: fresh('new-job'), space: A, sql: SQL, target: 'a-target' }),
  'PATCH /api/v1/jobs/{name}': () => ({ baseVersion: 1, message: 'tried', parallelism: 1 }),
  'POST /api/v1/jobs/{name}/copy': () => ({ name: fresh('copy') }),
  'POST /api/v1/jobs/{name}/rollback': () => ({ version: 1 }),
  'POST /api/v1/jobs/{name}/option-changes': () => ({ to: '1.20' }),
  'PUT /api/v1/targets/{name}': () => ({ engineVersion: '1.20' }),
  'POST /api/v1/targets/remote': () => ({ name: fresh('remote'), space: A, restUrl: sharedRestUrl }),
  'POST /api/v1/sql/validate': () => ({ sql: SQL, space: A }),
  'POST /api/v1/sql/explain': () => ({ sql: SQL, space: A, target: 'a-target' }),
  'POST /api/v1/sql/option-changes': () => ({ sql: SQL, from: '1.20', to: '1.20' }),
  'POST /api/v1/sql/lineage': () => ({ sql: SQL, space: A }),
  'POST /api/v1/sql/debug': () => ({ jobName: 'a-job' }),
  'PUT /api/v1/variables/{name}': () => ({ value: 'replaced' }),
  'PUT /api/v1/catalogs/{name}': () => ({ type: 'generic_in_memory' }),
  'POST /api/v1/artifacts/maven': () => ({ coordinates: 'org.example:a-art:1.0', name: 'a-art' }),
  'POST /api/v1/artifacts/builds': () => ({ url: 'file:///nonexistent/repo.git', name: 'a-art' }),
  'PUT /api/v1/alert-channels/{name}': () => ({ type: 'webhook', url: 'http://127.0.0.1:9/hook' }),
  'PUT /api/v1/alert-rules/{name}': () => ({ kind: 'failed', channel: 'ops', job: 'a-job' }),
  'POST /api/v1/session': () => ({ name: 'spare', password: 'not the password' }),
  'POST /api/v1/tokens': () => ({ name: 'tried' }),
  'POST /api/v1/users': () => ({ name: fresh('made') }),
  'PUT /api/v1/users/{name}/password': () => ({ password: 'the spare user’s new password' }),
  'POST /api/v1/spaces': () => ({ name: fresh('space') }),
  'PUT /api/v1/spaces/{name}/members/{user}': () => ({ role: 'viewer' }),
  'PUT /api/v1/kafka/connections/{name}': () => ({ bootstrapServers: ['127.0.0.1:9'] }),
  'POST /api/v1/engines': () => ({ home: '/nonexistent/flink' }),
  'POST /api/v1/engines/install': () => ({ version: '1.20' }),
};

/**
 * Operations whose success starts something heavy (a Flink download, a Kafka broker, a Maven
 * resolution over the network): sent only as the callers that may not call them, which is what the
 * bar is about. The list is printed.
 */
const HEAVY_WHEN_ALLOWED = new Set([
  'POST /api/v1/engines/install',
  'POST /api/v1/kafka/local/start',
  'POST /api/v1/artifacts/maven',
]);

/** Path parameters other than the addressed thing's name. */
const PARAMS: Record<string, string> = {
  version: '1',
  number: '1',
  source: 'jobmanager',
  profile: 'peak',
  id: 'no-such-id',
  user: 'spare',
  flinkJobId: '0'.repeat(32),
  file: 'x.jar',
  database: 'default_database',
  table: 't',
  topic: 't',
};

function pathFor(template: string): string {
  const segments = template.split('/');
  return segments
    .map((seg, i) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg;
      const param = m[1]!;
      if (param === 'name') return THING[segments[i - 1]!] ?? 'x';
      if (param === 'version' && segments[i - 1] === 'engines') return '1.20';
      // A scheduled switch's id is a number.
      if (param === 'id' && segments[i - 1] === 'profile-schedule') return '1';
      return PARAMS[param] ?? 'x';
    })
    .join('/');
}

/** Whether the declared access lets the caller through, for an operation acting on A's things. */
function allowed(access: Access, caller: Caller): boolean {
  if (access.action === 'public') return true;
  if (caller === 'nobody') return false;
  if (access.action === 'signedIn') return true;
  if (caller === 'admin') return true;
  if (access.action === 'admin') return false;
  // A list in no space: any signed-in user, answered only what its spaces hold.
  if (access.space === 'none') return true;
  // A debug run none of them started: it is in no space they are in.
  if (access.space === 'debugRun') return false;
  return ROLE_IN_A[caller] >= NEEDS[access.action];
}

describe('every route as every role (a test generated from the OpenAPI document)', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  // The run's shared Flink cluster: A's target is it, registered as a remote session target.
  let shared: AdoptedCluster | undefined;
  const tokens: Partial<Record<Caller, string>> = {};
  const jarDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-space-jar-'));
  let jar: Buffer;

  const call = async (
    caller: Caller,
    method: string,
    p: string,
    body?: unknown,
    contentType = 'application/json',
  ) => {
    const controller = new AbortController();
    const headers: Record<string, string> =
      caller === 'admin'
        ? authHeaders(url)
        : tokens[caller]
          ? { authorization: `Bearer ${tokens[caller]}` }
          : {};
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? null : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      signal: controller.signal,
    });
    // Event streams never end: the status is all this test reads of them.
    if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      controller.abort();
      return { status: res.status, body: null as unknown };
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (a jar, a listing): kept as text
    }
    return { status: res.status, body: parsed };
  };
  const admin = async (method: string, p: string, body?: unknown) => {
    const r = await call('admin', method, `/api/v1${p}`, body);
    expect(r.status, `${method} ${p}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  const exists = async (p: string) => (await call('admin', 'GET', `/api/v1${p}`)).status === 200;

  /** A's things (and the spare user), made again after a caller allowed to delete or change them did. */
  async function ensure(): Promise<void> {
    if (!(await exists('/targets/a-target')))
      await admin('POST', '/targets/remote', {
        name: 'a-target',
        space: A,
        restUrl: shared!.restUrl,
        gatewayUrl: shared!.gatewayUrl,
      });
    if (!(await exists('/jobs/a-job')))
      await admin('POST', '/jobs', { name: 'a-job', space: A, sql: SQL, target: 'a-target' });
    if (!(await exists('/artifacts/a-art'))) {
      const r = await call(
        'admin',
        'POST',
        `/api/v1/artifacts?name=a-art&space=${A}`,
        jar,
        'application/java-archive',
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    if (!(await exists('/variables/a_var')))
      await admin('PUT', '/variables/a_var', { value: 'plain', space: A });
    if (!(await exists('/catalogs/a_cat')))
      await admin('PUT', '/catalogs/a_cat', { type: 'generic_in_memory', space: A });
    if (!(await exists('/alert-channels/ops')))
      await admin('PUT', '/alert-channels/ops', { type: 'webhook', url: 'http://127.0.0.1:9/hook' });
    if (!(await exists('/alert-rules/a-rule')))
      await admin('PUT', '/alert-rules/a-rule', { kind: 'failed', channel: 'ops', job: 'a-job', space: A });
    const users = (await admin('GET', '/users')) as { name: string }[];
    if (!users.some((u) => u.name === 'spare'))
      await admin('POST', '/users', { name: 'spare', role: 'viewer', space: B });
  }

  beforeAll(async () => {
    ({ t, url, close, shared } = await servedPlatform({ sharedCluster: true }));
    sharedRestUrl = shared!.restUrl;
    fs.writeFileSync(path.join(jarDir, 'readme.txt'), 'a jar of space A');
    execFileSync('jar', ['cf', path.join(jarDir, 'a.jar'), '-C', jarDir, 'readme.txt']);
    jar = fs.readFileSync(path.join(jarDir, 'a.jar'));
    await admin('POST', '/spaces', { name: A });
    await admin('POST', '/spaces', { name: B });
    const user = async (name: string, role: 'viewer' | 'developer' | 'owner', space: string) =>
      (await t.platform.access.addUser({ name, admin: false, role, space })).secret;
    tokens.viewer = await user('vera', 'viewer', A);
    tokens.developer = await user('dev', 'developer', A);
    tokens.owner = await user('olga', 'owner', A);
    tokens.developerOfB = await user('bob', 'developer', B);
    await ensure();
    await admin('POST', '/jobs', { name: 'b-job', space: B, sql: SQL });
    await admin('PUT', '/variables/b_var', { value: 'plain', space: B });
  }, 180_000);
  afterAll(async () => {
    await close?.();
    fs.rmSync(jarDir, { recursive: true, force: true });
  });

  it('lets no caller succeed where its role does not allow, and refuses none it allows', async () => {
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, DocOperation>>;
    };
    const declared = new Map<string, Access | undefined>();
    for (const ops of Object.values(contract))
      for (const op of Object.values(ops as Record<string, Operation>))
        declared.set(`${op.method} /api/v1${op.url.replace(/:(\w+)/g, '{$1}')}`, op.config.access);

    const unauthorized: string[] = [];
    const refusedAllowed: string[] = [];
    const implausible: string[] = [];
    const skipped: string[] = [];
    let sent = 0;
    // Deletions last, so that what the others address is there; what an allowed caller removed or
    // replaced is made again before the next call.
    const order = (m: string) => (m === 'delete' ? 1 : 0);
    const operations = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ p, m, op })))
      .sort((a, b) => order(a.m) - order(b.m));
    expect(operations.length).toBeGreaterThan(100);
    for (const { p, m, op } of operations) {
      const method = m.toUpperCase();
      const key = `${method} ${p}`;
      const access = declared.get(key);
      expect(access, `${key} declares its access`).toBeDefined();
      for (const caller of CALLERS) {
        const may = allowed(access!, caller);
        if (may && HEAVY_WHEN_ALLOWED.has(key)) {
          skipped.push(`${key} as ${caller}`);
          continue;
        }
        let target = pathFor(p);
        const query = (op.parameters ?? []).filter((x) => x.in === 'query' && x.required);
        if (query.length)
          target += `?${query.map((x) => `${x.name}=${String(instance(x.schema))}`).join('&')}`;
        const media = Object.keys(op.requestBody?.content ?? {})[0];
        let body: unknown;
        let type = 'application/json';
        if (key === 'POST /api/v1/artifacts') {
          target += `?name=a-art&space=${A}`;
          body = jar;
          type = 'application/java-archive';
        } else if (media) body = BODIES[key]?.() ?? instance(op.requestBody!.content![media]!.schema);
        // What reads or makes in the space its query names (the audit log) reads or makes in A.
        if (access!.space === 'query' && !target.includes('space='))
          target += `${target.includes('?') ? '&' : '?'}space=${A}`;
        // What acts in the space its body names acts in A.
        if (
          ['body', 'bodyJob'].includes(access!.space) &&
          body &&
          typeof body === 'object' &&
          !Buffer.isBuffer(body)
        )
          body = { space: A, ...body };
        const r = await call(caller, method, target, body, type);
        sent++;
        const line = `${key} as ${caller}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
        if (r.status < 300 && !may) unauthorized.push(line);
        // The request reached the route's check: a refusal of an allowed caller is wrong (a public
        // route's own check of what it is sent, a password or a run's token, is not the caller's role).
        if ((r.status === 401 || r.status === 403) && may && access!.action !== 'public')
          refusedAllowed.push(line);
        // A caller that may not call it must be refused by the check, not by the body's validation.
        if (r.status === 400 && !may && caller !== 'nobody') implausible.push(line);
        if (r.status < 300 && method !== 'GET') await ensure();
      }
    }
    console.log(
      [
        `${sent} requests to ${operations.length} operations as ${CALLERS.length} callers`,
        `unauthorized successes (${unauthorized.length}):`,
        ...unauthorized,
        `refusals of allowed callers (${refusedAllowed.length}):`,
        ...refusedAllowed,
        `not sent as callers allowed to start something heavy (${skipped.length}):`,
        ...skipped,
      ].join('\n'),
    );
    expect(implausible, 'bodies the schema refused before the authorization could').toEqual([]);
    expect(refusedAllowed).toEqual([]);
    expect(unauthorized).toEqual([]);
  }, 900_000);

  it("answers a developer of B lists without A's things, and a viewer of A lists with them", async () => {
    const names = async (caller: Caller, p: string) =>
      ((await call(caller, 'GET', `/api/v1${p}`)).body as { name: string }[]).map((x) => x.name);
    const lists: [string, string][] = [
      ['/jobs', 'a-job'],
      ['/targets', 'a-target'],
      ['/artifacts', 'a-art'],
      ['/variables', 'a_var'],
      ['/catalogs', 'a_cat'],
      ['/alert-rules', 'a-rule'],
    ];
    for (const [p, a] of lists) {
      expect(await names('developerOfB', p), `${p} as a developer of B`).not.toContain(a);
      expect(await names('viewer', p), `${p} as a viewer of A`).toContain(a);
      expect(await names('admin', p), `${p} as an admin`).toContain(a);
      // Each thing says its space, as the console shows and filters it.
      const listed = (await call('viewer', 'GET', `/api/v1${p}`)).body as { name: string; space: string }[];
      expect(listed.find((x) => x.name === a)?.space, p).toBe(A);
    }
    expect(((await call('admin', 'GET', '/api/v1/jobs/b-job')).body as { space: string }).space).toBe(B);
    expect(await names('developerOfB', '/jobs')).toEqual(['b-job']);
    expect(await names('developerOfB', '/variables')).toEqual(['b_var']);
    expect(await names('developerOfB', '/spaces')).toEqual([B]);
    const lineage = (await call('developerOfB', 'GET', '/api/v1/lineage')).body as {
      nodes: { kind: string; job?: string }[];
    };
    expect(lineage.nodes.filter((n) => n.kind === 'job').map((n) => n.job)).toEqual(['b-job']);
    const me = (await call('viewer', 'GET', '/api/v1/me')).body as { spaces: unknown };
    expect(me.spaces).toEqual([{ space: A, role: 'viewer' }]);
  });

  it('says who was refused what, where, and with which role; hides what is in a space the caller is not in', async () => {
    const refused = await call('viewer', 'DELETE', '/api/v1/jobs/a-job');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain(
      "DELETE /api/v1/jobs/a-job needs to change in space 'team-a' (role developer or more); vera is viewer there",
    );
    const hidden = await call('developerOfB', 'GET', '/api/v1/jobs/a-job');
    const missing = await call('developerOfB', 'GET', '/api/v1/jobs/no-such-job');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    // The same answer whether the job is elsewhere or nowhere, but for its name.
    expect(JSON.stringify(hidden.body).replaceAll('a-job', 'N')).toBe(
      JSON.stringify(missing.body).replaceAll('no-such-job', 'N'),
    );
    const space = await call('admin', 'DELETE', `/api/v1/spaces/${A}`);
    expect(space.status).toBe(409);
    expect(JSON.stringify(space.body)).toContain('jobs a-job');
    const moved = await call('developer', 'PUT', '/api/v1/variables/a_var', { value: 'v', space: B });
    expect(moved.status).toBe(409);
  });

  it("lets a member bring back by rollback or copy no version that names another space's target", async () => {
    await admin('POST', '/targets/remote', { name: 'b-target', space: B, restUrl: shared!.restUrl });
    // A platform admin may put a job of A on B's target; a developer of A then moves it to A's own.
    await admin('POST', '/jobs', { name: 'a-moved', space: A, sql: SQL, target: 'b-target' });
    const moved = await call('developer', 'PATCH', '/api/v1/jobs/a-moved', {
      baseVersion: 1,
      message: 'on our own target',
      target: 'a-target',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    for (const [method, p, body] of [
      ['POST', '/api/v1/jobs/a-moved/rollback', { version: 1 }],
      ['POST', '/api/v1/jobs/a-moved/copy', { name: 'a-moved-copy' }],
    ] as const) {
      if (p.endsWith('copy')) await admin('POST', '/jobs/a-moved/rollback', { version: 1 });
      const refused = await call('developer', method, p, body);
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(JSON.stringify(refused.body)).toContain("deployment target 'b-target' is not in space 'team-a'");
    }
    expect(await exists('/jobs/a-moved-copy')).toBe(false);
    expect(((await admin('GET', '/jobs/a-moved')) as { currentVersion: number }).currentVersion).toBe(3);
    await admin('DELETE', '/jobs/a-moved');
    await admin('DELETE', '/targets/b-target');
  });

  it('answers a job or target its query names in a space the caller is not in as one that does not exist', async () => {
    await admin('PUT', '/catalogs/b_cat2', { type: 'generic_in_memory', space: B });
    // Each: what the query names in A, what it names that is nowhere.
    const asked: [string, string, string][] = [
      ['/lineage?job=', 'a-job', 'no-such-job'],
      ['/catalog-types?target=', 'a-target', 'no-such-target'],
      ['/catalog-types?cluster=', 'a-target', 'no-such-target'],
      ['/catalogs/b_cat2/databases?target=', 'a-target', 'no-such-target'],
      ['/catalogs/b_cat2/databases/default_database/tables?cluster=', 'a-target', 'no-such-target'],
    ];
    for (const [p, there, nowhere] of asked) {
      const hidden = await call('developerOfB', 'GET', `/api/v1${p}${there}`);
      const missing = await call('developerOfB', 'GET', `/api/v1${p}${nowhere}`);
      expect(hidden.status, `${p}${there}: ${JSON.stringify(hidden.body)}`).toBe(404);
      expect(missing.status, `${p}${nowhere}`).toBe(404);
      expect(JSON.stringify(hidden.body).replaceAll(there, 'N'), p).toBe(
        JSON.stringify(missing.body).replaceAll(nowhere, 'N'),
      );
    }
    // Those who may see it are answered.
    const graph = await call('viewer', 'GET', '/api/v1/lineage?job=a-job');
    expect(graph.status).toBe(200);
    expect((graph.body as { nodes: { job?: string }[] }).nodes.map((n) => n.job)).toContain('a-job');
    expect((await call('admin', 'GET', '/api/v1/lineage?job=a-job')).status).toBe(200);
    expect((await call('viewer', 'GET', '/api/v1/catalog-types?target=a-target')).status).toBe(200);
    // A catalog of B checked on A's target through the older `cluster` name: refused as well.
    const made = await call('developerOfB', 'PUT', '/api/v1/catalogs/b_cat3?cluster=a-target', {
      type: 'generic_in_memory',
      space: B,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(404);
    expect(await exists('/catalogs/b_cat3')).toBe(false);
  });

  it("keeps a space's secrets out of every other space's runs, and out of its viewers' runs", async () => {
    await admin('PUT', '/variables/a_secret', { value: 'Sp4ce-A-only-Secret!', secret: true, space: A });
    const script = "SELECT '${a_secret}' AS leaked";
    const fromB = await call('developerOfB', 'POST', '/api/v1/sql/debug', { sql: script, space: B });
    expect(fromB.status).toBe(400);
    expect(JSON.stringify(fromB.body)).toContain('a_secret');
    const planned = await call('developerOfB', 'POST', '/api/v1/sql/explain', { sql: script, space: B });
    expect(planned.status).toBe(400);
    // A catalog of B is checked with B's variables only: A's secret never reaches its options.
    const catalog = { type: 'generic_in_memory', space: B, options: { 'default-database': '${a_secret}' } };
    const checked = await call('developerOfB', 'PUT', '/api/v1/catalogs/b_cat', catalog);
    expect(checked.status, JSON.stringify(checked.body)).toBe(400);
    expect(JSON.stringify(checked.body)).toContain('a_secret');
    const viewer = await call('viewer', 'POST', '/api/v1/sql/debug', { sql: script, space: A });
    expect(viewer.status).toBe(403);
    // Nor through A's catalog (its options take A's variables) or A's target.
    for (const borrowed of [{ catalogs: ['a_cat'] }, { target: 'a-target' }, { artifacts: ['a-art'] }]) {
      const job = { name: fresh('borrow'), space: B, sql: SQL, ...borrowed };
      const r = await call('developerOfB', 'POST', '/api/v1/jobs', job);
      expect(r.status, JSON.stringify(borrowed)).toBe(403);
      expect(JSON.stringify(r.body)).toContain(`is not in space '${B}'`);
    }
    // Replacing A's rule to watch B's job is refused the same way.
    const rule = { kind: 'failed', channel: 'ops', job: 'b-job' };
    const watched = await call('developer', 'PUT', '/api/v1/alert-rules/a-rule', rule);
    expect(watched.status).toBe(403);
    expect(JSON.stringify(watched.body)).toContain(`job 'b-job' is not in space '${A}'`);
  });
});
