/**
 * Groups within groups (issue 15): a user in G1, G1 a member of G2, is in G2 too. Directories keep
 * only the direct membership, so the parents are asked level by level, to a bounded depth, and a group
 * met again (a cycle, or two ways to the same group) is not asked twice.
 */

/**
 * The user's direct groups and every group they are in through groups, at most `depth` levels up
 * (0: the direct ones only). `parentsOf` answers, for a level's groups, the groups that name any of
 * them as a member; `key` says when two names are the same group (a DN ignores case and spaces).
 * Each level is one question, so a deep or cyclic tree costs at most `depth` questions.
 */
export async function withParentGroups(
  direct: readonly string[],
  parentsOf: (groups: string[]) => Promise<string[]>,
  depth: number,
  key: (group: string) => string = (g) => g,
): Promise<string[]> {
  const seen = new Map<string, string>();
  for (const g of direct) if (!seen.has(key(g))) seen.set(key(g), g);
  let level = [...seen.values()];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const g of await parentsOf(level))
      if (!seen.has(key(g))) {
        seen.set(key(g), g);
        next.push(g);
      }
    level = next;
  }
  return [...seen.values()];
}
