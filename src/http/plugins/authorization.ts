import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../application/access-service.ts';
import { KIND_LABEL, requireSameSpace, type SpaceService } from '../../application/space-service.ts';
import type { Access, CreatedName, ListKind } from '../../contract/operation.ts';
// Every operation's access declaration, whichever contract files the routes import.
import '../../contract/authorization.ts';
import { nameFromFile, parseMavenCoordinates } from '../../domain/artifacts/artifact.ts';
import { engineOfLocalApplicationTarget } from '../../domain/targets/target-kinds.ts';
import {
  DEFAULT_SPACE,
  mayDo,
  roleNeeded,
  type SpaceAction,
  type SpaceKind,
} from '../../domain/access/spaces.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { requireAdmin, signedIn } from './authentication.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The space the operation acts in, as the authorization resolved it (null: none). */
    space: string | null;
  }
  interface FastifyContextConfig {
    /** What the operation does in which space (src/contract/authorization.ts). */
    access?: Access;
  }
}

type Fields = Record<string, unknown>;
/** The space of what belongs to no space: the local application target of each engine. */
const PLATFORM_WIDE = '*platform*';
const fields = (v: unknown): Fields => (v && typeof v === 'object' ? (v as Fields) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Which user may do what in which space, in one place (issue 15 item 2). After the body is parsed
 * and validated, each operation's declared access (src/contract/authorization.ts) is checked: the
 * space of the thing the path names (a job's from its name...), or of the body's or query's `space`
 * for what is created, and the caller's role there (src/domain/access/spaces.ts). A thing in a space
 * the caller is no member of answers 404, as one that does not exist (its existence is not told); a
 * member whose role is too weak gets 403 naming the user, its role, the space and the action needed.
 * Lists answer only the things of the caller's spaces. Platform admins may do everything.
 */
export function registerAuthorization(app: FastifyInstance, spaces: SpaceService): void {
  app.decorateRequest('space', null);
  // Debug runs live in memory, as the debug service keeps them: their space, by run id.
  const debugRuns = new Map<string, string>();

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return flinkUi(req, spaces);
    if (access.action === 'public') return;
    if (access.action === 'admin') return requireAdmin(req);
    const p = signedIn(req);
    await namedInQuery(access, fields(req.query), p, spaces);
    if (access.action === 'signedIn') return;
    const where = { method: req.method, path: req.url.split('?')[0] ?? req.url };
    const params = fields(req.params);
    const body = fields(req.body);
    const query = fields(req.query);
    const asked = text(body.space) ?? text(query.space);
    const check = async (space: string, hidden: { kind: string; name: string } | null) => {
      if (p.admin) return;
      const role = await spaces.role(space, p.user);
      if (!role && hidden)
        throw new SluiceError('not_found', message('space.hidden', { ...hidden, user: p.user }), {
          [hidden.kind]: hidden.name,
        });
      if (!mayDo({ admin: false, role }, access.action as SpaceAction))
        throw new SluiceError(
          'forbidden',
          message('space.refused', {
            ...where,
            action: access.action,
            space,
            needed: roleNeeded(access.action as SpaceAction),
            user: p.user,
            role: role ?? message('space.notMember'),
          }),
          { user: p.user, role, space, needs: access.action },
        );
    };

    // What is created or replaced: an existing one stays in its space and needs the action there.
    if (access.creates) {
      const { kind } = access.creates;
      const name = createdName(access.creates.name, params, body, query);
      if (name !== undefined) {
        const existing = await spaces.store.spaceOf(kind, name);
        if (existing !== undefined) {
          const label = KIND_LABEL[kind];
          if (!p.admin && !(await spaces.role(existing, p.user)))
            throw new SluiceError(
              'conflict',
              message('space.nameTaken', { kind: label, name, user: p.user }),
              {
                [kind]: name,
              },
            );
          if (asked !== undefined && asked !== existing)
            throw new SluiceError(
              'conflict',
              message('space.elsewhere', { kind: label, name, space: existing, asked }),
              { [kind]: name, space: existing },
            );
          // The copy of an existing job is the copy's business: only a create or replace stays here.
          if (access.space === 'body' || access.space === 'query') {
            req.space = existing;
            await check(existing, null);
            if (!p.admin)
              await requireSameSpace(
                references({ target: query.target ?? query.cluster, ...body }),
                existing,
                spaces.store,
              );
            return;
          }
        }
      } else if (access.creates.name === 'artifactBuild' && !p.admin)
        throw new SluiceError(
          'invalid_argument',
          message('space.buildNeedsName', { space: asked ?? DEFAULT_SPACE }),
          { field: 'name' },
        );
    }

    const space = await spaceOf(access, params, body, asked, spaces, debugRuns, p);
    // An engine's local application target is the platform's: everyone sees it, admins change it.
    if (space === PLATFORM_WIDE) return access.action === 'view' ? undefined : requireAdmin(req);
    req.space = space;
    if (space === null) return;
    const addressed = addressedThing(access, params, body);
    await check(space, addressed);
    if (!p.admin && (access.action === 'change' || access.action === 'run'))
      await requireSameSpace(
        references({ target: query.target ?? query.cluster, ...body }),
        space,
        spaces.store,
      );
  });

  // Lists answer what the caller may see. (What is created is written in req.space by its route.)
  app.addHook('preSerialization', async (req, reply, payload) => {
    const access = req.routeOptions.config?.access;
    if (!access || reply.statusCode >= 300) return payload;
    if (access.creates === undefined && access.space === 'bodyJob' && req.space) {
      const id = text(fields(payload).id);
      if (id) debugRuns.set(id, req.space);
    }
    if (!access.lists || !req.principal || req.principal.admin) return payload;
    const visible = await spaces.visible(req.principal.user);
    return filtered(access.lists, payload, visible, spaces, debugRuns);
  });
}

/**
 * What the query names (`?job=`, `?target=`) is one of the caller's spaces' things, else the same
 * 404 whether it exists elsewhere or not at all (a platform admin's routes say what does not exist).
 * An engine's local application target is everyone's.
 */
async function namedInQuery(
  access: Access,
  query: Fields,
  p: Principal,
  spaces: SpaceService,
): Promise<void> {
  if (p.admin) return;
  for (const [param, kind] of Object.entries(access.queryNames ?? {})) {
    const name = text(query[param]);
    if (name === undefined || kind === undefined) continue;
    const space = await spaces.store.spaceOf(kind, name);
    if (space === undefined && kind === 'target' && engineOfLocalApplicationTarget(name)) continue;
    if (space !== undefined && (await spaces.role(space, p.user))) continue;
    throw new SluiceError(
      'not_found',
      message('space.hidden', { kind: KIND_LABEL[kind], name, user: p.user }),
      {
        [kind]: name,
      },
    );
  }
}

/**
 * What a body names that belongs to a space: a job's (or a run's) target, catalogs and artifacts,
 * an alert rule's job.
 */
function references(body: Fields): { kind: SpaceKind; name: string }[] {
  const out: { kind: SpaceKind; name: string }[] = [];
  const target = text(body.target) ?? text(body.clusterName);
  if (target) out.push({ kind: 'target', name: target });
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const c of list(body.catalogs)) out.push({ kind: 'catalog', name: c });
  // Artifacts as requested: `name` or `name@version`.
  for (const a of [...list(body.artifacts), ...list(body.classpath), ...list([body.jar])])
    out.push({ kind: 'artifact', name: a.split('@')[0]!.trim() });
  if (text(body.job)) out.push({ kind: 'job', name: text(body.job)! });
  return out;
}

/** The name of what an operation creates, where its declaration says it is. */
function createdName(where: CreatedName, params: Fields, body: Fields, query: Fields): string | undefined {
  switch (where) {
    case 'param':
      return text(params.name);
    case 'body':
      return text(body.name);
    case 'artifactUpload':
      // As the artifact service names an upload.
      return text(query.name) ?? nameFromFile(text(query.fileName) || 'upload.jar');
    case 'artifactMaven': {
      if (text(body.name)) return text(body.name);
      try {
        return parseMavenCoordinates(text(body.coordinates) ?? '').artifactId;
      } catch {
        return undefined; // the route refuses the coordinates itself
      }
    }
    case 'artifactBuild':
      return text(body.name);
  }
}

/** The thing the path names, for a 404 that does not tell whether it exists. */
function addressedThing(access: Access, params: Fields, body: Fields): { kind: string; name: string } | null {
  const s = access.space;
  if (s === 'body' || s === 'query' || s === 'none') return null;
  if (s === 'bodyJob') return text(body.jobName) ? { kind: 'job', name: text(body.jobName)! } : null;
  if (s === 'debugRun') return { kind: 'debug run', name: text(params.id) ?? '' };
  if (s === 'space') return { kind: 'space', name: text(params.name) ?? '' };
  return { kind: KIND_LABEL[s], name: text(params.name) ?? '' };
}

/**
 * The space an operation acts in. What the path names but does not exist: null for an admin (the
 * route says it is not found), the same 404 as a hidden one for anyone else.
 */
async function spaceOf(
  access: Access,
  params: Fields,
  body: Fields,
  asked: string | undefined,
  spaces: SpaceService,
  debugRuns: Map<string, string>,
  p: Principal,
): Promise<string | null> {
  const hidden = (kind: string, name: string) =>
    new SluiceError('not_found', message('space.hidden', { kind, name, user: p.user }), { [kind]: name });
  const named = async (): Promise<string> => {
    const space = asked ?? DEFAULT_SPACE;
    await spaces.existing(space);
    return space;
  };
  const s = access.space;
  switch (s) {
    case 'none':
      return null;
    case 'body':
    case 'query':
      return named();
    case 'bodyJob': {
      const job = text(body.jobName);
      if (!job) return named();
      const space = await spaces.store.spaceOf('job', job);
      if (space === undefined && !p.admin) throw hidden('job', job);
      return space ?? null;
    }
    case 'debugRun': {
      const id = text(params.id) ?? '';
      const space = debugRuns.get(id);
      if (space === undefined && !p.admin) throw hidden('debug run', id);
      return space ?? null;
    }
    case 'space': {
      const name = text(params.name) ?? '';
      const space = await spaces.store.space(name);
      if (!space && !p.admin) throw hidden('space', name);
      return space ? name : null;
    }
    default: {
      const name = text(params.name) ?? '';
      const space = await spaces.store.spaceOf(s, name);
      if (space === undefined && s === 'target' && engineOfLocalApplicationTarget(name)) return PLATFORM_WIDE;
      if (space === undefined && !p.admin) throw hidden(KIND_LABEL[s], name);
      return space ?? null;
    }
  }
}

/** A list's answer with only what the caller's spaces hold. */
async function filtered(
  kind: ListKind,
  payload: unknown,
  visible: Set<string>,
  spaces: SpaceService,
  debugRuns: Map<string, string>,
): Promise<unknown> {
  const inView = async (k: SpaceKind) => {
    const all = await spaces.store.spacesOf(k);
    return (name: unknown) =>
      typeof name === 'string' &&
      (visible.has(all.get(name) ?? '') ||
        (k === 'target' && !all.has(name) && engineOfLocalApplicationTarget(name) !== null));
  };
  if (kind === 'space') return payload; // the route lists the caller's own
  if (kind === 'lineage') {
    const ok = await inView('job');
    const g = payload as {
      nodes: ({ kind: 'job'; job: string } | { kind: 'table'; names: { job: string }[] })[];
      edges: { job: string }[];
    };
    const nodes = g.nodes
      .map((n) => (n.kind === 'job' ? n : { ...n, names: n.names.filter((x) => ok(x.job)) }))
      .filter((n) => (n.kind === 'job' ? ok(n.job) : n.names.length > 0));
    return { ...g, nodes, edges: g.edges.filter((e) => ok(e.job)) };
  }
  if (!Array.isArray(payload)) return payload;
  if (kind === 'debugRun')
    return payload.filter((r) => visible.has(debugRuns.get(text(fields(r).id) ?? '') ?? ''));
  if (kind === 'alert') {
    const ok = await inView('alertRule');
    return payload.filter((a) => ok(fields(a).rule));
  }
  const ok = await inView(kind);
  return payload.filter((x) => ok(fields(x).name));
}

/**
 * The Flink Web UI of a target (or of a job's own cluster) is the target's (or the job's) to view;
 * the proxy itself refuses every change.
 */
async function flinkUi(req: FastifyRequest, spaces: SpaceService): Promise<void> {
  const path = req.url.split('?')[0] ?? req.url;
  if (!path.startsWith('/flink/') || !req.principal || req.principal.admin) return;
  const name = text(fields(req.params).target) ?? '';
  const space =
    (await spaces.store.spaceOf('target', name)) ?? (await spaces.store.spaceOf('job', name)) ?? null;
  if (space !== null && (await spaces.role(space, req.principal.user))) return;
  throw new SluiceError(
    'not_found',
    message('space.hidden', { kind: 'deployment target', name, user: req.principal.user }),
    { target: name },
  );
}

/**
 * Things with the space each belongs to, for the lists that tell it (the console shows and filters by
 * it); `absent` for one in no space (an engine's local application target).
 */
export async function withSpaces<T extends { name: string }, A extends string | null>(
  kind: SpaceKind,
  things: T[],
  spaces: SpaceService,
  absent: A,
): Promise<(T & { space: string | A })[]> {
  const all = await spaces.store.spacesOf(kind);
  return things.map((x) => ({ ...x, space: all.get(x.name) ?? absent }));
}

/** A body without its `space`, which the authorization has taken (the services never see it). */
export function withoutSpace<T extends object>(body: T): Omit<T, 'space'> {
  const rest = { ...body } as Record<string, unknown>;
  delete rest.space;
  return rest as Omit<T, 'space'>;
}
