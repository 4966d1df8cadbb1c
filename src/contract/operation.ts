import type { Static, TSchema } from 'typebox';
import { permissionOf, type Permission } from '../domain/access/permissions.ts';
import type { SpaceAction, SpaceKind } from '../domain/access/spaces.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What fastify validates and documents for one operation; the response schemas are what clients read. */
export interface OperationSchema {
  tags?: string[];
  summary?: string;
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: Record<number, unknown>;
}

/** One operation of the API: the route registers it as is, the client is typed from it. */
export interface Operation<M extends Method = Method, S extends OperationSchema = OperationSchema> {
  method: M;
  /** Under /api/v1, with fastify's `:param` placeholders. */
  url: string;
  schema: S;
  /**
   * What a caller's credential must allow (src/http/plugins/authentication.ts checks it before the
   * route runs): `read` for GET, `write` for the rest, unless the operation says otherwise.
   */
  config: { permission: Permission; access?: Access };
}

/**
 * What an operation does in which space (src/http/plugins/authorization.ts checks it before the route
 * runs; every operation declares one, src/contract/contract.test.ts makes sure):
 * - `public`: anyone, without credentials; `signedIn`: any user (their own tokens, platform-wide
 *   facts); `admin`: platform admins only;
 * - `view`, `change`, `run`, `manage` (src/domain/access/spaces.ts): in the space of `space`.
 */
export type AccessAction = 'public' | 'signedIn' | 'admin' | SpaceAction;
/**
 * Where the space comes from: the thing of that kind named by the path's `name` (`space`: the space
 * of the path itself, `debugRun`: the run of the path's `id`); `body` or `query`: their `space` field
 * (default `default`); `bodyJob`: the space of the job the body's `jobName` names, else as `body`;
 * `none`: no space.
 */
export type SpaceSource = SpaceKind | 'space' | 'debugRun' | 'body' | 'query' | 'bodyJob' | 'none';
/** What a list answers, filtered to the spaces the caller may view (a platform admin sees all). */
export type ListKind = SpaceKind | 'space' | 'debugRun' | 'alert' | 'lineage';
/**
 * Where the name of what an operation creates or replaces is: the path's `name`, the body's `name`,
 * or the artifact's name as the upload, Maven or build names it. An existing thing keeps its space
 * (and needs the action there); a new one lands in the space of `space`.
 */
export type CreatedName = 'param' | 'body' | 'artifactUpload' | 'artifactMaven' | 'artifactBuild';
export interface Access {
  action: AccessAction;
  space: SpaceSource;
  creates?: { kind: SpaceKind; name: CreatedName };
  lists?: ListKind;
  /**
   * Query parameters that name a thing of a space (`?job=`, `?target=`): to a caller who is no
   * member of its space it answers the 404 of a thing that does not exist, so that an answer shaped
   * by it (an empty graph beside a 404) does not tell that it exists.
   */
  queryNames?: Partial<Record<string, SpaceKind>>;
}

/** Sets the access of every operation of a group: the type asks for one per operation. */
export function declareAccess<T extends Record<string, Operation>>(
  ops: T,
  access: { [K in keyof T]: Access },
): T {
  for (const [k, op] of Object.entries(ops)) op.config.access = access[k as keyof T];
  return ops;
}

/** Shorthands for the common declarations. */
export const PUBLIC: Access = { action: 'public', space: 'none' };
export const SIGNED_IN: Access = { action: 'signedIn', space: 'none' };
export const ADMIN: Access = { action: 'admin', space: 'none' };
export const on = (action: SpaceAction, space: SpaceSource, more: Partial<Access> = {}): Access => ({
  action,
  space,
  ...more,
});

export const operation = <const M extends Method, S extends OperationSchema>(
  method: M,
  url: string,
  schema: S,
  permission: Permission = permissionOf(method),
): Operation<M, S> => ({ method, url, schema, config: { permission } });

type Success = 200 | 201 | 202 | 204;
type StaticOf<T> = T extends TSchema ? Static<T> : never;

/** What a successful answer of the operation holds (204: null). */
export type Answer<O extends Operation> = {
  [K in keyof O['schema']['response'] & Success]: StaticOf<O['schema']['response'][K]>;
}[keyof O['schema']['response'] & Success];
/** Its path parameters, its query string and its body, as the schemas the server validates say. */
export type Params<O extends Operation> = StaticOf<O['schema']['params']>;
export type Query<O extends Operation> = StaticOf<O['schema']['querystring']>;
export type Body<O extends Operation> = StaticOf<O['schema']['body']>;
