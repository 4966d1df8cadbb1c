import { access as A } from '../contract/access.ts';
import type { Scope } from '../domain/access/permissions.ts';
import type { Role } from '../domain/access/spaces.ts';
import type { Transport } from './http.ts';

/** Sign-in, who am I, API tokens and users. */
export const accessClient = (t: Transport) => ({
  /** A console session (the answer sets its cookie; a browser keeps it, a script reads Set-Cookie). */
  signIn: (name: string, password: string) => t.call(A.signIn, { body: { name, password } }),
  signOut: () => t.call(A.signOut, {}),
  me: () => t.call(A.me, {}),
  /** The caller's own password, proven with the current one. */
  changePassword: (current: string, next: string) =>
    t.call(A.changePassword, { body: { current, new: next } }),
  tokens: () => t.call(A.tokens, {}),
  createToken: (name: string, opts: { scopes?: Scope[]; expires?: string | null } = {}) =>
    t.call(A.createToken, { body: { name, ...opts } }),
  revokeToken: (id: string) => t.call(A.revokeToken, { params: { id } }),
  users: () => t.call(A.users, {}),
  addUser: (name: string, opts: { admin?: boolean; password?: string; role?: Role; space?: string } = {}) =>
    t.call(A.addUser, { body: { name, ...opts } }),
  /** A local user's password, set by a platform admin. */
  setPassword: (name: string, password: string) =>
    t.call(A.setPassword, { params: { name }, body: { password } }),
  removeUser: (name: string) => t.call(A.removeUser, { params: { name } }),
  directorySync: () => t.call(A.directorySync, {}),
});
