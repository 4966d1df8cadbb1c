import { spaces as S } from '../contract/spaces.ts';
import type { Role } from '../domain/access/spaces.ts';
import type { Transport } from './http.ts';

/** Spaces and their members. */
export const spacesClient = (t: Transport) => ({
  list: () => t.call(S.list, {}),
  create: (name: string) => t.call(S.create, { body: { name } }),
  remove: (name: string) => t.call(S.remove, { params: { name } }),
  members: (name: string) => t.call(S.members, { params: { name } }),
  member: (name: string, user: string) => t.call(S.member, { params: { name, user } }),
  setMember: (name: string, user: string, role: Role) =>
    t.call(S.setMember, { params: { name, user }, body: { role } }),
  removeMember: (name: string, user: string) => t.call(S.removeMember, { params: { name, user } }),
});
