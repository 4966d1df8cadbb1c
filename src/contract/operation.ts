import type { Static, TSchema } from 'typebox';
import { permissionOf, type Permission } from '../domain/access/permissions.ts';

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
  config: { permission: Permission };
}

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
