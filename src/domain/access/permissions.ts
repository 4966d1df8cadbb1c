/**
 * What credentials may do and what routes need: plain rules, without node:crypto, so that the API
 * contract and with it the console can import them.
 */

/** What a credential may do: read everything, or also change. Roles per space come later. */
export type Scope = 'read' | 'write';
export const SCOPES: readonly Scope[] = ['read', 'write'];
/** What a route needs: a scope, or nothing (the sign-in route, health, pods' own tokens). */
export type Permission = Scope | 'public';

/** Whether a credential with these scopes may do what a route needs. */
export const allows = (scopes: readonly Scope[], needed: Permission): boolean =>
  needed === 'public' || scopes.includes(needed);

/** The permission a route has unless it says otherwise: reading for GET and HEAD, writing for the rest. */
export const permissionOf = (method: string): Scope =>
  method === 'GET' || method === 'HEAD' ? 'read' : 'write';
