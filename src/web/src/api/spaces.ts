import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import type { MemberView, SpaceFileFoldersView, SpaceView } from '../../../contract/spaces.ts';
import type { Role, SpaceAction } from '../../../domain/access/spaces.ts';
import { inPicked, mayIn, spacesWhere, validPick, type Picked, type Who } from '../models/spaces.ts';
import { api } from './http.ts';

export type { MemberView, SpaceFileFoldersView, SpaceView };

/** Spaces and their members, through the one typed client. */
export const spacesApi = api.spaces;

export const spaceKeys = {
  all: ['spaces'] as const,
  members: (name: string) => ['spaces', name, 'members'] as const,
  fileFolders: (name: string) => ['spaces', name, 'file-folders'] as const,
};

/** Who the console runs as (GET /me). */
export const useMe = () => useQuery({ queryKey: ['me'], queryFn: () => api.access.me() });
/** The user's spaces with its role in each (a platform admin: every space). */
export const useSpaces = () => useQuery({ queryKey: spaceKeys.all, queryFn: spacesApi.list });
export const useSpaceMembers = (name: string | null) =>
  useQuery({
    queryKey: spaceKeys.members(name ?? ''),
    queryFn: () => spacesApi.members(name!),
    enabled: name !== null,
  });

/** The folders a space's job SQL may name files in (its own and the shared ones). */
export const useSpaceFileFolders = (name: string) =>
  useQuery({ queryKey: spaceKeys.fileFolders(name), queryFn: () => spacesApi.fileFolders(name) });
/** A platform admin's change of a space's folders: a list, or null to go back to its default folder. */
export const useSetFileFolders = () =>
  useSpaceMutation((f: { space: string; folders: string[] | null }) =>
    f.folders === null ? spacesApi.clearFileFolders(f.space) : spacesApi.setFileFolders(f.space, f.folders),
  );

/** Who the user is where, once both answers are in (undefined until then). */
export function useWho(): Who | undefined {
  const me = useMe().data;
  const spaces = useSpaces().data;
  return useMemo(
    () =>
      me && spaces
        ? { admin: me.admin, spaces: spaces.map((s) => ({ name: s.name, role: s.role })) }
        : undefined,
    [me, spaces],
  );
}

// The header's choice of space, kept in the browser (localStorage) and shared by every component.
const PICKED_KEY = 'sluice.space';
const listeners = new Set<() => void>();
const storedPick = (): Picked => localStorage.getItem(PICKED_KEY);

export function setPickedSpace(space: Picked): void {
  if (space === null) localStorage.removeItem(PICKED_KEY);
  else localStorage.setItem(PICKED_KEY, space);
  for (const l of listeners) l();
}

/** The picked space (null: all the user's spaces); a stored one no longer the user's counts as all. */
export function usePickedSpace(): Picked {
  const stored = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, storedPick);
  const spaces = useSpaces().data;
  return spaces ? validPick(stored, spaces) : stored;
}

/** A list narrowed to the picked space. */
export function useInPicked<T extends { space: string | null }>(things: T[] | undefined): T[] {
  const picked = usePickedSpace();
  return useMemo(() => inPicked(things ?? [], picked), [things, picked]);
}

/** A change to spaces or members, refreshing them (and who the user is) once done. */
export function useSpaceMutation<A, R>(fn: (args: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: spaceKeys.all });
      await qc.invalidateQueries({ queryKey: ['me'] });
    },
  });
}
export const useCreateSpace = () => useSpaceMutation((name: string) => spacesApi.create(name));
export const useRemoveSpace = () => useSpaceMutation((name: string) => spacesApi.remove(name));
export const useSetMember = () =>
  useSpaceMutation((m: { space: string; user: string; role: Role }) =>
    spacesApi.setMember(m.space, m.user, m.role),
  );
export const useRemoveMember = () =>
  useSpaceMutation((m: { space: string; user: string }) => spacesApi.removeMember(m.space, m.user));

/**
 * Whether the user may do `action` in a space, once who it is is known (false until then); what
 * belongs to no space (null: an engine's local application target) is the platform admins'.
 */
export function useMayIn(): (space: string | null, action: SpaceAction) => boolean {
  const who = useWho();
  return (space, action) => !!who && (space === null ? who.admin : mayIn(who, space, action));
}
/**
 * Whether the user is a platform admin: engines, Kafka connections, the local Kafka and alert
 * channels are shared by every space and changed by platform admins only (false until known).
 */
export const useIsAdmin = (): boolean => useMe().data?.admin === true;
/** Whether a create form has anywhere to put what it creates (`manage` for targets). */
export function useMayCreate(action: SpaceAction = 'change'): boolean {
  const who = useWho();
  return !!who && spacesWhere(who, action).length > 0;
}
