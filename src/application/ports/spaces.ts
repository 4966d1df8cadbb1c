import type { Membership, Role, Space, SpaceKind } from '../../domain/access/spaces.ts';

/** The names of what a space holds, by kind; kinds it holds none of are left out. */
export type Holdings = Partial<Record<SpaceKind, string[]>>;

export interface SpaceRemoval {
  removed: boolean;
  /** What the space holds when it was kept for it; empty otherwise. */
  holds: Holdings;
}

/**
 * Spaces, their members, and which space each thing belongs to (a `space` column beside each job,
 * artifact, variable, catalog, alert rule and deployment target).
 */
export interface SpaceStore {
  spaces(): Promise<Space[]>;
  space(name: string): Promise<Space | undefined>;
  /** False when the name is taken. */
  addSpace(s: Space): Promise<boolean>;
  /**
   * Removes the space with its members, its quota and its file folders when it holds nothing, checked in the transaction
   * that removes it: a thing made in it meanwhile is either seen there (and the space kept, `holds`
   * naming what it holds) or refused for want of the space. `removed` is false when there was none.
   */
  removeSpace(name: string): Promise<SpaceRemoval>;
  /**
   * The folders the space's job SQL may name files in, as a platform admin set them (0031); null:
   * none set (the space uses its default folder); undefined: no such space.
   */
  fileFolders(space: string): Promise<string[] | null | undefined>;
  /** Sets (null: forgets) the space's folders; false when there is no such space. */
  setFileFolders(space: string, folders: readonly string[] | null): Promise<boolean>;
  members(space: string): Promise<Membership[]>;
  membershipsOf(user: string): Promise<Membership[]>;
  role(space: string, user: string): Promise<Role | null>;
  /**
   * Adds the user to the space, or changes its role there (set by hand unless `m.source` says); a
   * space that is not there (removed meanwhile) refuses it, in the transaction that writes it.
   */
  setMember(m: Membership): Promise<void>;
  /**
   * A membership from a directory (`m.source` ldap or oidc): added, or its role changed when it came
   * from the same source; one set by hand meanwhile is left as it is. False, and nothing written, when
   * the space is not there (removed since the sign-in looked): the mapping gives nothing there.
   */
  setDirectoryMember(m: Membership & { source: 'ldap' | 'oidc' }): Promise<boolean>;
  /** Removes a membership only when it came from `source`; false when there was none such. */
  removeDirectoryMember(space: string, user: string, source: 'ldap' | 'oidc'): Promise<boolean>;
  /** False when the user was no member. */
  removeMember(space: string, user: string): Promise<boolean>;
  /** The space a thing belongs to; undefined when there is no such thing. */
  spaceOf(kind: SpaceKind, name: string): Promise<string | undefined>;
  /** Every thing of a kind with its space, by name. */
  spacesOf(kind: SpaceKind): Promise<Map<string, string>>;
  /** The names of what a space holds, by kind; kinds it holds none of are left out. */
  holdings(space: string): Promise<Holdings>;
}
