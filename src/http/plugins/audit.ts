import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { contract } from '../../contract/index.ts';
import { contentOf } from '../../domain/jobs/job.ts';
import { spaceScope, targetScope } from '../../domain/quotas/quota.ts';
import { maskSecrets, signedInState, type NewAuditEntry } from '../../domain/audit/audit.ts';
import type { SpaceKind } from '../../domain/access/spaces.ts';
import { proofText } from '../../domain/requests/request-origin.ts';

/** What a request is about: a kind of resource and, when the request names it, its name. */
interface Resource {
  kind: string;
  name: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The audit record in the making: the resource and its state before the route ran. */
    audit: { resource: Resource | null; before: unknown } | null;
  }
}

/**
 * Operations sent by POST that change nothing (checks, plans, lineage): the console's editor sends
 * them as the user types, so the log would be full of them and say nothing.
 */
const NOT_RECORDED = new Set([
  'sql.validate',
  'sql.explain',
  'sql.optionChanges',
  'sql.lineage',
  'jobs.optionChanges',
]);

/** `POST /api/v1/jobs/:name/start` → `jobs.start`: the contract's name of every operation. */
function operationIds(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [group, ops] of Object.entries(contract))
    for (const [name, op] of Object.entries(ops as Record<string, { method: string; url: string }>))
      ids.set(`${op.method} /api/v1${op.url}`, `${group}.${name}`);
  return ids;
}

/** The error code of an error answer (`{"error": {"code": ...}}`), if it is one. */
function errorCodeOf(payload: unknown): string | null {
  if (typeof payload !== 'string') return null;
  try {
    const code = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The resource an operation is about, from its path parameters or (for a creation) its body. */
export function resourceOf(
  operation: string | null,
  params: unknown,
  body: unknown,
  caller?: string,
): Resource | null {
  if (operation === null) return null;
  const p = (params ?? {}) as Record<string, unknown>;
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const [group, op] = operation.split('.') as [string, string];
  const named = (kind: string, name: unknown) => ({ kind, name: text(name) });
  switch (group) {
    case 'jobs':
      // A copy is about the job it makes.
      return named('job', op === 'create' || op === 'copy' ? b.name : p.name);
    case 'targets':
      if (op === 'setQuota' || op === 'clearQuota') return named('quota', p.name);
      return named('target', p.name ?? b.name);
    case 'spaces':
      if (op === 'setQuota' || op === 'clearQuota') return named('space-quota', p.name);
      if (op === 'setFileFolders' || op === 'clearFileFolders') return named('space-file-folders', p.name);
      return named(group, p.name ?? null);
    case 'engines':
      return named('engine', p.version ?? b.version);
    case 'workspace':
      return named(op.endsWith('Catalog') ? 'catalog' : 'variable', p.name);
    case 'artifacts':
      return named('artifact', p.name ?? b.name);
    case 'kafka':
      return op.endsWith('Local') ? named('kafka-local', 'local') : named('kafka-connection', p.name);
    case 'alertChannels':
      return named('alert-channel', p.name);
    case 'alertRules':
      return op === 'alertmanager' ? named('alert', null) : named('alert-rule', p.name);
    case 'sql':
      return named('debug-run', p.id);
    case 'access':
      if (op === 'signIn' || op === 'signOut') return named('session', b.name);
      // Whose session it opens is known once the provider answered (the route names it then).
      if (op === 'oidcCallback') return named('session', null);
      if (op === 'createToken' || op === 'revokeToken') return named('token', p.id ?? b.name);
      // One's own password: the user is the caller (the preHandler names it); never the body's passwords.
      if (op === 'changePassword') return named('user', caller ?? null);
      if (op === 'setPassword') return named('user', p.name);
      return named('user', p.name ?? b.name);
    default:
      return named(group, p.name ?? null);
  }
}

/** A request through Flink's Web UI (/flink/<target>/...): about that target's Flink. */
function flinkUiResource(req: FastifyRequest): Resource | null {
  const target = (req.params as { target?: unknown } | undefined)?.target;
  return req.url.startsWith('/flink/') ? { kind: 'flink-ui', name: text(target) } : null;
}

/** The kinds of things (the log's words) a space holds, as the store names them; a Web UI's is a target's or a job's. */
const IN_SPACE: Record<string, SpaceKind[]> = {
  job: ['job'],
  target: ['target'],
  quota: ['target'],
  variable: ['variable'],
  catalog: ['catalog'],
  artifact: ['artifact'],
  'alert-rule': ['alertRule'],
  'flink-ui': ['target', 'job'],
};

/**
 * The space a record is about: the one the authorization resolved for the operation (a new thing's
 * space, an existing one's, a deleted one's as it was), else, for a request refused before that
 * (credentials, validation, a name taken in another space), the space the named thing is in now;
 * null for what belongs to no space.
 */
async function spaceOfRecord(
  platform: Platform,
  req: FastifyRequest,
  r: Resource | null,
): Promise<string | null> {
  if (req.space) return req.space;
  if (!r?.name) return null;
  // A platform admin's change of a space's folders is about that space (no role resolved it).
  if (r.kind === 'space-file-folders') return r.name;
  for (const kind of IN_SPACE[r.kind] ?? []) {
    const space = await platform.store.spaces.spaceOf(kind, r.name);
    if (space !== undefined) return space;
  }
  return null;
}

/** The state of a resource as the log keeps it (secrets masked), or null when there is none. */
function reader(platform: Platform) {
  const { store, access } = platform;
  const orNull = async (read: () => Promise<unknown>) => {
    try {
      return (await read()) ?? null;
    } catch {
      // Not found (not yet made, or gone): nothing to show.
      return null;
    }
  };
  return async (r: Resource, req: FastifyRequest): Promise<unknown> => {
    const name = r.name;
    if (name === null) return null;
    const state = await orNull(async (): Promise<unknown> => {
      switch (r.kind) {
        case 'job': {
          const job = await store.jobs.getByName(name);
          return (
            job && {
              name: job.name,
              version: job.currentVersion,
              deployedVersion: job.deployedVersion,
              state: job.state,
              desiredState: job.desiredState,
              ...contentOf(job),
            }
          );
        }
        case 'target':
          return store.targets.get(name);
        case 'quota':
          return store.quotas.get(targetScope(name));
        case 'space-quota':
          return store.quotas.get(spaceScope(name));
        case 'space-file-folders': {
          const listed = await store.spaces.fileFolders(name);
          return listed === undefined ? null : { space: name, folders: listed };
        }
        case 'engine':
          return store.engines.get(name);
        case 'variable':
          return platform.variables.get(name);
        case 'catalog':
          return platform.catalogs.get(name);
        case 'artifact':
          return platform.artifacts.get(name);
        case 'kafka-connection':
          return platform.kafka.connection(name);
        case 'alert-channel':
          return platform.alertChannels.get(name);
        case 'alert-rule':
          return platform.alertRules.get(name);
        case 'user':
          return (await access.users()).find((u) => u.name === name);
        case 'session': {
          const user = await access.user(name);
          return user && signedInState(user, await platform.spaces.store.membershipsOf(name));
        }
        case 'token': {
          const owner = req.principal?.user;
          if (!owner) return null;
          // By id (revoke); a new one is taken from the answer (see afterOf).
          return (await access.tokens(owner)).find((t) => t.id === name);
        }
        default:
          return null;
      }
    });
    return maskSecrets(state);
  };
}

/**
 * The audit log's writer (issue 15 item 5): every /api request that is not a read (and the end of an
 * OIDC sign-in, a GET that opens a session), answered or
 * refused (401, 403, 400: who tried what), and every change tried through Flink's read-only Web UI
 * (/flink/), is recorded once answered: who and how they proved it,
 * from where, the operation, the resource and its state before and after, secrets masked. Reads are
 * not recorded. A record that cannot be written is logged and never fails the request. Registered
 * after authentication (which names the caller) and before the routes.
 */
export function registerAudit(app: FastifyInstance, platform: Platform): void {
  const ids = operationIds();
  const read = reader(platform);
  const operationOf = (req: FastifyRequest): string | null =>
    req.routeOptions.url ? (ids.get(`${req.method} ${req.routeOptions.url}`) ?? null) : null;
  const recorded = (req: FastifyRequest) => {
    if (req.method === 'HEAD' || req.method === 'OPTIONS') return false;
    // The one GET that changes something: an OIDC sign-in's end (a session, at first a user).
    if (req.method === 'GET') return operationOf(req) === 'access.oidcCallback';
    // Flink's Web UI through the platform is read-only: a change tried there is refused, and recorded.
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/flink/')) return false;
    const op = operationOf(req);
    return op === null || !NOT_RECORDED.has(op);
  };

  // A new token is the one the answer names (its public fields: never the secret beside them);
  // every other resource is read again.
  const afterOf = async (
    operation: string | null,
    resource: Resource,
    req: FastifyRequest,
    status: number,
    payload: unknown,
  ): Promise<unknown> => {
    if (operation !== 'access.createToken') return read(resource, req);
    if (status !== 201 || typeof payload !== 'string') return null;
    return maskSecrets((JSON.parse(payload) as { token?: unknown }).token ?? null);
  };

  app.decorateRequest('audit', null);
  app.addHook('preHandler', async (req) => {
    if (!recorded(req)) return;
    const operation = operationOf(req);
    const resource = resourceOf(operation, req.params, req.body, req.principal?.user);
    let before: unknown = null;
    try {
      // A new token has no before (an older one of the same name is another token).
      before = resource && operation !== 'access.createToken' ? await read(resource, req) : null;
    } catch (e) {
      req.log.error({ err: e }, 'audit log: the state before could not be read');
    }
    req.audit = { resource, before };
  });
  // Written as the answer is sent (its status and error known, the route done): whoever reads the
  // log after an answer finds its record.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!recorded(req)) return payload;
    try {
      const operation = operationOf(req);
      // Refused before the route ran (credentials, origin, validation): no state was read for it.
      const resource =
        req.audit?.resource ??
        resourceOf(operation, req.params, req.body, req.principal?.user) ??
        flinkUiResource(req);
      const principal = req.principal;
      const entry: NewAuditEntry = {
        at: new Date().toISOString(),
        actor: principal?.user ?? 'anonymous',
        via: principal ? proofText(principal.via) : 'none',
        sourceAddress: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        method: req.method,
        path: req.url.split('?')[0] ?? req.url,
        operation,
        resourceKind: resource?.kind ?? null,
        resourceName: resource?.name ?? null,
        space: await spaceOfRecord(platform, req, resource),
        status: reply.statusCode,
        errorCode: reply.statusCode >= 400 ? errorCodeOf(payload) : null,
        before: req.audit?.before ?? null,
        after:
          req.audit && resource ? await afterOf(operation, resource, req, reply.statusCode, payload) : null,
      };
      await platform.store.audit.append(entry);
    } catch (e) {
      req.log.error({ err: e, method: req.method, url: req.url }, 'audit log: a record could not be written');
    }
    return payload;
  });
}
