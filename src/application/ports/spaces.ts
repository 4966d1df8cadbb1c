import type { Membership, Role, Space, SpaceKind } from '../../domain/access/spaces.ts';

/**
 * Spaces, their members, and which space each thing belongs to (a `space` column beside each job,
 * artifact, variable, catalog, alert rule and deployment target).
 */
export interface SpaceStore {
  spaces(): Promise<Space[]>;
  space(name: string): Promise<Space | undefined>;
  /** False when the name is taken. */
  addSpace(s: Space): Promise<boolean>;
  /** With its members and its quota; false when there was none. */
  removeSpace(name: string): Promise<boolean>;
  members(space: string): Promise<Membership[]>;
  membershipsOf(user: string): Promise<Membership[]>;
  role(space: string, user: string): Promise<Role | null>;
  /** Adds the user to the space, or changes its role there. */
  setMember(m: Membership): Promise<void>;
  /** False when the user was no member. */
  removeMember(space: string, user: string): Promise<boolean>;
  /** The space a thing belongs to; undefined when there is no such thing. */
  spaceOf(kind: SpaceKind, name: string): Promise<string | undefined>;
  /** Every thing of a kind with its space, by name. */
  spacesOf(kind: SpaceKind): Promise<Map<string, string>>;
  /** Puts a thing (all versions of an artifact) in a space. */
  assign(kind: SpaceKind, name: string, space: string): Promise<void>;
  /** The names of what a space holds, by kind; kinds it holds none of are left out. */
  holdings(space: string): Promise<Partial<Record<SpaceKind, string[]>>>;
}
