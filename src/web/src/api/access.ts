import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiTokenInfo, UserInfo } from '../../../contract/access.ts';
import type { Scope } from '../../../domain/access/permissions.ts';
import { api } from './http.ts';

export type { ApiTokenInfo, UserInfo };

/** The signed-in user's API tokens and password, and users (platform admins), through the one typed client. */
export const accessApi = api.access;

export const accessKeys = {
  tokens: ['tokens'] as const,
  users: ['users'] as const,
};

/** The signed-in user's API tokens, newest first (revoked and expired ones too). */
export const useTokens = () => useQuery({ queryKey: accessKeys.tokens, queryFn: () => accessApi.tokens() });

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (t: { name: string; scopes: Scope[]; expires: string | null }) =>
      accessApi.createToken(t.name, { scopes: t.scopes, expires: t.expires }),
    onSettled: () => qc.invalidateQueries({ queryKey: accessKeys.tokens }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => accessApi.revokeToken(id),
    onSettled: () => qc.invalidateQueries({ queryKey: accessKeys.tokens }),
  });
}

/** The signed-in user's own password, proven with the current one. */
export const useChangePassword = () =>
  useMutation({
    mutationFn: (v: { current: string; next: string }) => accessApi.changePassword(v.current, v.next),
  });

/** Every user (platform admins only). */
export const useUsers = (enabled: boolean) =>
  useQuery({ queryKey: accessKeys.users, queryFn: () => accessApi.users(), enabled });

/** A change to users, refreshing the list once done. */
function useUserMutation<A, R>(fn: (args: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => qc.invalidateQueries({ queryKey: accessKeys.users }),
  });
}
export const useAddUser = () =>
  useUserMutation((u: { name: string; admin: boolean; password?: string }) => {
    const { name, ...opts } = u;
    return accessApi.addUser(name, opts);
  });
export const useRemoveUser = () => useUserMutation((name: string) => accessApi.removeUser(name));
export const useSetPassword = () =>
  useUserMutation((v: { name: string; password: string }) => accessApi.setPassword(v.name, v.password));
