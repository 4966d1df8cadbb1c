import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { checkSpaceName, mayDo, roleNeeded, SPACE_ACTIONS, type Role, type SpaceAction } from './spaces.ts';

describe('what each role may do in a space', () => {
  // Rows: who; columns: view, change, run, manage.
  const table: [string, { admin: boolean; role: Role | null }, boolean[]][] = [
    ['no member', { admin: false, role: null }, [false, false, false, false]],
    ['viewer', { admin: false, role: 'viewer' }, [true, false, false, false]],
    ['developer', { admin: false, role: 'developer' }, [true, true, true, false]],
    ['owner', { admin: false, role: 'owner' }, [true, true, true, true]],
    ['platform admin, no member', { admin: true, role: null }, [true, true, true, true]],
    ['platform admin, viewer', { admin: true, role: 'viewer' }, [true, true, true, true]],
  ];
  for (const [who, principal, allowed] of table)
    it(`${who}: ${SPACE_ACTIONS.map((a, i) => `${a} ${allowed[i] ? 'yes' : 'no'}`).join(', ')}`, () => {
      expect(SPACE_ACTIONS.map((a) => mayDo(principal, a))).toEqual(allowed);
    });

  it('names the weakest role each action needs', () => {
    const needed: Record<SpaceAction, Role> = {
      view: 'viewer',
      change: 'developer',
      run: 'developer',
      manage: 'owner',
    };
    for (const a of SPACE_ACTIONS) expect(roleNeeded(a)).toBe(needed[a]);
  });
});

describe('space names', () => {
  it('are DNS labels like job names', () => {
    for (const ok of ['default', 'a', 'team-1', 'x'.repeat(63)]) expect(checkSpaceName(ok)).toBe(ok);
  });
  it('refuse anything else, naming the field and the rule', () => {
    for (const bad of ['', 'Team', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)]) {
      const e = (() => {
        try {
          checkSpaceName(bad);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(SluiceError);
      expect((e as SluiceError).details).toEqual({ field: 'space' });
      expect((e as SluiceError).message).toContain(`'${bad}' is not a space name`);
    }
  });
});
