import {
  DEFAULT_SPACE,
  mayDo,
  roleNeeded,
  SPACE_KINDS,
  type Role,
  type SpaceAction,
  type SpaceKind,
} from '../../../domain/access/spaces.ts';
import { defaultClusterName } from '../../../domain/clusters/local-cluster-spec.ts';
import { defaultTargetOf } from '../../../domain/targets/target-kinds.ts';

/**
 * What the console decides about spaces (issue 15 item 2), apart from its components: which space is
 * picked, what of a list belongs to it, where the user may create, and what each space holds. Who may
 * do what is the domain's rule (mayDo), here applied to the spaces the server listed for the user.
 */

/** A space as GET /spaces answers it for the signed-in user: its role there (null: none). */
export interface SpaceRole {
  name: string;
  role: Role | null;
}
/** Who the console runs as: a platform admin may do everything. */
export interface Who {
  admin: boolean;
  spaces: SpaceRole[];
}

/** The header's choice: one space's name, or null for every space of the user. */
export type Picked = string | null;

/** The picked space if it is still one of the user's (a stored choice may name a removed space). */
export const validPick = (picked: Picked, spaces: SpaceRole[]): Picked =>
  picked !== null && spaces.some((s) => s.name === picked) ? picked : null;

/**
 * What of a list is in the picked space; every space's things (an engine's local application
 * target, space null) are in all of them.
 */
export const inPicked = <T extends { space: string | null }>(things: T[], picked: Picked): T[] =>
  picked === null ? things : things.filter((x) => x.space === picked || x.space === null);

/**
 * What a thing of `space` may name (a job's target, catalogs, jar and classpath): that space's things
 * and every space's (space null: an engine's local application target); another space's the server
 * refuses (`space.foreignReference`). A space not known yet (null) may name every space's only.
 */
export const usableIn = <T extends { space: string | null }>(
  things: readonly T[],
  space: string | null,
): T[] => things.filter((x) => x.space === null || (space !== null && x.space === space));

/**
 * The target a new job of `space` on `engine` gets when it names none, by the server's rule
 * (`defaultTargetOf`): the engine's session cluster for a job of that cluster's space, else the
 * engine's local application target. A session cluster the user does not see is not in its space
 * (the user sees every target of its spaces); null while the space or the engine is not known.
 */
export function defaultTargetIn(
  targets: readonly { name: string; space: string | null }[],
  engine: string | undefined,
  space: string | null,
): string | null {
  if (!engine || space === null) return null;
  const session = targets.find((x) => x.name === defaultClusterName(engine));
  return defaultTargetOf(engine, space, session?.space ?? undefined);
}

/**
 * Of the names chosen, those a thing of `space` may still name once its space changes: one known to
 * be another space's goes; one the list does not hold (not read yet, or not visible) stays, for the
 * server to judge.
 */
export function stillUsable(
  chosen: readonly string[],
  things: readonly { name: string; space: string | null }[],
  space: string | null,
): string[] {
  const foreign = new Set(things.filter((x) => x.space !== null && x.space !== space).map((x) => x.name));
  return chosen.filter((name) => !foreign.has(name));
}

/**
 * A job's target and catalogs once its space is `space` (a new job's space changed in the editor):
 * another space's are left out, the rest kept as chosen.
 */
export function choicesInSpace(
  chosen: { target: string | undefined; catalogs: string[] },
  lists: {
    targets: readonly { name: string; space: string | null }[];
    catalogs: readonly { name: string; space: string | null }[];
  },
  space: string | null,
): { target: string | undefined; catalogs: string[] } {
  const target = chosen.target && stillUsable([chosen.target], lists.targets, space)[0];
  return { target: target || undefined, catalogs: stillUsable(chosen.catalogs, lists.catalogs, space) };
}

/** The user's role in a space, null when it is none of its spaces. */
export const roleIn = (who: Who, space: string): Role | null =>
  who.spaces.find((s) => s.name === space)?.role ?? null;

/** Whether the user may do `action` in `space` (the domain's rule). */
export const mayIn = (who: Who, space: string, action: SpaceAction): boolean =>
  mayDo({ admin: who.admin, role: roleIn(who, space) }, action);

/** The spaces where the user may do `action`, by name: where a create form may put something. */
export const spacesWhere = (who: Who, action: SpaceAction): string[] =>
  who.spaces.filter((s) => mayDo({ admin: who.admin, role: s.role }, action)).map((s) => s.name);

/**
 * The space a create form starts with: the picked one where the user may create there, else
 * `default`, else the first it may; null when it may create nowhere.
 */
export function startingSpace(choices: string[], picked: Picked): string | null {
  if (picked !== null && choices.includes(picked)) return picked;
  if (choices.includes(DEFAULT_SPACE)) return DEFAULT_SPACE;
  return choices[0] ?? null;
}

/**
 * Why a button is not offered: null when the user may do `action` in `space`, else the role needed
 * and the user's own there (for the tooltip of a disabled button). What belongs to no space (null: an
 * engine's local application target) is changed by platform admins only.
 */
export function refusal(
  who: Who,
  space: string | null,
  action: SpaceAction,
): { needed: Role | 'admin'; role: Role | null } | null {
  if (space === null) return who.admin || action === 'view' ? null : { needed: 'admin', role: null };
  return mayIn(who, space, action) ? null : { needed: roleNeeded(action), role: roleIn(who, space) };
}

/** How many things of each kind each space holds, from the lists (each thing says its space). */
export function holdings(
  lists: Partial<Record<SpaceKind, { space: string | null }[]>>,
): Map<string, Partial<Record<SpaceKind, number>>> {
  const out = new Map<string, Partial<Record<SpaceKind, number>>>();
  for (const kind of SPACE_KINDS)
    for (const { space } of lists[kind] ?? []) {
      if (space === null) continue;
      const held = out.get(space) ?? {};
      held[kind] = (held[kind] ?? 0) + 1;
      out.set(space, held);
    }
  return out;
}
