import { spaces as S, type SpaceQuotaInput } from '../contract/spaces.ts';
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
  /** The space's quota, with what its jobs use of each resource on every target and which jobs. */
  quota: (name: string) => t.call(S.quota, { params: { name } }),
  /** Sets the quota: the fields given, every other one unlimited. */
  setQuota: (name: string, quota: SpaceQuotaInput) => t.call(S.setQuota, { params: { name }, body: quota }),
  clearQuota: (name: string) => t.call(S.clearQuota, { params: { name } }),
  /** The folders the space's job SQL may name files in: its own and the shared ones. */
  fileFolders: (name: string) => t.call(S.fileFolders, { params: { name } }),
  /** Replaces the space's own folders (platform admins). */
  setFileFolders: (name: string, folders: string[]) =>
    t.call(S.setFileFolders, { params: { name }, body: { folders } }),
  /** Back to the space's default folder (platform admins). */
  clearFileFolders: (name: string) => t.call(S.clearFileFolders, { params: { name } }),
});
