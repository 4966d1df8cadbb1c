import {
  checkSpaceName,
  DEFAULT_SPACE,
  type Membership,
  type Role,
  type Space,
  type SpaceKind,
} from '../domain/access/spaces.ts';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { engineOfLocalApplicationTarget } from '../domain/targets/target-kinds.ts';
import type { AccessStore } from './ports/access.ts';
import type { SpaceStore } from './ports/spaces.ts';

/** How refusals and lists name each kind of thing a space holds. */
export const KIND_LABEL: Record<SpaceKind, string> = {
  job: 'job',
  artifact: 'artifact',
  variable: 'variable',
  catalog: 'catalog',
  alertRule: 'alert rule',
  target: 'deployment target',
};

/** A thing of a space that something made or run names: a job's target, catalog or artifact. */
export interface SpaceReference {
  kind: SpaceKind;
  name: string;
}

/**
 * What is made or run in a space uses only that space's things (an engine's local application
 * target is everyone's): another space's target, catalog (with its space's secrets in its options) or
 * artifact is refused, in the same words whether it exists elsewhere or not at all.
 */
export async function requireSameSpace(
  refs: readonly SpaceReference[],
  space: string,
  store: Pick<SpaceStore, 'spaceOf'>,
): Promise<void> {
  for (const { kind, name } of refs) {
    const theirs = await store.spaceOf(kind, name);
    if (theirs === space) continue;
    if (theirs === undefined && kind === 'target' && engineOfLocalApplicationTarget(name)) continue;
    throw new SluiceError(
      'forbidden',
      message('space.foreignReference', { kind: KIND_LABEL[kind], name, space }),
      { [kind]: name, space },
    );
  }
}

const withSource = (m: Membership): Required<Membership> => ({ ...m, source: m.source ?? 'manual' });

/** Spaces and their members (src/domain/access/spaces.ts has the rules of who may do what). */
export class SpaceService {
  constructor(
    readonly store: SpaceStore,
    private readonly users: AccessStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The spaces `user` may see with its role in each; a platform admin sees every space. */
  async list(user: string, admin: boolean): Promise<(Space & { role: Role | null })[]> {
    const mine = new Map((await this.store.membershipsOf(user)).map((m) => [m.space, m.role]));
    return (await this.store.spaces())
      .filter((s) => admin || mine.has(s.name))
      .map((s) => ({ ...s, role: mine.get(s.name) ?? null }));
  }

  async create(name: string, by: string): Promise<Space & { role: Role | null }> {
    checkSpaceName(name);
    const space = { name, createdAt: this.clock().toISOString(), createdBy: by };
    if (!(await this.store.addSpace(space)))
      throw new SluiceError('conflict', message('space.exists', { space: name }), { space: name });
    return { ...space, role: null };
  }

  /** Refused for `default` and for a space that still holds anything, naming what. */
  async remove(name: string): Promise<void> {
    await this.existing(name);
    if (name === DEFAULT_SPACE)
      throw new SluiceError('conflict', message('space.defaultKept'), { space: name });
    // Checked and removed in one step: a job made meanwhile is named here or refused (space.notFound).
    const { removed, holds } = await this.store.removeSpace(name);
    const kinds = Object.entries(holds) as [SpaceKind, string[]][];
    if (kinds.length) {
      const things = kinds.map(([k, names]) => `${KIND_LABEL[k]}s ${names.join(', ')}`).join('; ');
      throw new SluiceError('conflict', message('space.notEmpty', { space: name, things }), {
        space: name,
        holds,
      });
    }
    if (!removed)
      throw new SluiceError('not_found', message('space.notFound', { space: name }), { space: name });
    await this.onRemoved(name);
  }

  /** What goes with a removed space elsewhere (its active profile and scheduled switches). */
  onRemoved: (space: string) => Promise<void> = async () => {};

  async members(space: string): Promise<Required<Membership>[]> {
    await this.existing(space);
    return (await this.store.members(space)).map(withSource);
  }

  async member(space: string, user: string): Promise<Required<Membership>> {
    await this.existing(space);
    const m = (await this.store.membershipsOf(user)).find((x) => x.space === space);
    if (!m)
      throw new SluiceError('not_found', message('space.memberNotFound', { space, user }), { space, user });
    return withSource(m);
  }

  async setMember(space: string, user: string, role: Role): Promise<Required<Membership>> {
    await this.existing(space);
    if (!(await this.users.user(user)))
      throw new SluiceError('not_found', message('space.userNotFound', { user }), { user });
    // Set by hand: a sign-in through a directory leaves it as it is from now on.
    const m = { space, user, role, source: 'manual' as const };
    await this.store.setMember(m);
    return m;
  }

  async removeMember(space: string, user: string): Promise<void> {
    await this.existing(space);
    if (!(await this.store.removeMember(space, user)))
      throw new SluiceError('not_found', message('space.memberNotFound', { space, user }), { space, user });
  }

  async role(space: string, user: string): Promise<Role | null> {
    return this.store.role(space, user);
  }

  /** The spaces a user is a member of (any role may view). */
  async visible(user: string): Promise<Set<string>> {
    return new Set((await this.store.membershipsOf(user)).map((m) => m.space));
  }

  async existing(name: string): Promise<Space> {
    const s = await this.store.space(name);
    if (!s) throw new SluiceError('not_found', message('space.notFound', { space: name }), { space: name });
    return s;
  }
}
