import { describe, expect, it } from 'vitest';
import { normalDn } from './ldap-settings.ts';
import { withParentGroups } from './nested-groups.ts';

/** A directory's groups as member → the groups naming it; each question is counted. */
function directory(members: Record<string, string[]>) {
  const asked: string[][] = [];
  const parentsOf = async (groups: string[]) => {
    asked.push(groups);
    return Object.entries(members)
      .filter(([, m]) => m.some((x) => groups.some((g) => normalDn(g) === normalDn(x))))
      .map(([g]) => g);
  };
  return { parentsOf, asked };
}

describe('groups within groups', () => {
  it('a user in G1, G1 a member of G2, G2 of G3: in all three; one question per level', async () => {
    const d = directory({ 'cn=g2': ['cn=g1'], 'cn=g3': ['cn=g2'], 'cn=other': ['cn=nobody'] });
    expect(await withParentGroups(['cn=g1'], d.parentsOf, 5, normalDn)).toEqual(['cn=g1', 'cn=g2', 'cn=g3']);
    // g1 → g2 → g3 → nothing more: three questions, the last one answered with nothing new.
    expect(d.asked).toEqual([['cn=g1'], ['cn=g2'], ['cn=g3']]);
  });

  it('stops at the depth: 0 is the direct groups only, 2 is two levels up', async () => {
    const chain = directory({ 'cn=l2': ['cn=l1'], 'cn=l3': ['cn=l2'], 'cn=l4': ['cn=l3'] });
    expect(await withParentGroups(['cn=l1'], chain.parentsOf, 0)).toEqual(['cn=l1']);
    expect(chain.asked).toEqual([]);
    expect(await withParentGroups(['cn=l1'], chain.parentsOf, 2)).toEqual(['cn=l1', 'cn=l2', 'cn=l3']);
    expect(chain.asked).toHaveLength(2);
  });

  it('a cycle ends: each group is asked about once, whatever the depth', async () => {
    const d = directory({ 'cn=a': ['cn=b', 'cn=user-group'], 'cn=b': ['cn=a'] });
    expect(await withParentGroups(['cn=user-group'], d.parentsOf, 20)).toEqual([
      'cn=user-group',
      'cn=a',
      'cn=b',
    ]);
    expect(d.asked).toEqual([['cn=user-group'], ['cn=a'], ['cn=b']]);
  });

  it('the same group written differently (case, spaces) is one group', async () => {
    const d = directory({ 'CN=Admins, OU=Groups': ['cn=devs,ou=groups'], 'cn=admins,ou=groups': ['cn=x'] });
    expect(
      await withParentGroups(['cn=devs,ou=groups', 'CN=devs,OU=groups'], d.parentsOf, 5, normalDn),
    ).toEqual(['cn=devs,ou=groups', 'CN=Admins, OU=Groups']);
  });
});
