import { describe, expect, it } from 'vitest';
import {
  choicesInSpace,
  defaultTargetIn,
  holdings,
  inPicked,
  mayIn,
  refusal,
  spacesWhere,
  startingSpace,
  stillUsable,
  usableIn,
  validPick,
  type Who,
} from './spaces.ts';

const dev: Who = {
  admin: false,
  spaces: [
    { name: 'default', role: 'viewer' },
    { name: 'team-a', role: 'developer' },
    { name: 'team-b', role: 'owner' },
  ],
};
const admin: Who = {
  admin: true,
  spaces: [
    { name: 'default', role: null },
    { name: 'team-a', role: null },
  ],
};

describe('the picked space', () => {
  it('is kept while it is one of the user’s spaces, and becomes every space once it is not', () => {
    expect(validPick('team-a', dev.spaces)).toBe('team-a');
    expect(validPick('gone', dev.spaces)).toBeNull();
    expect(validPick(null, dev.spaces)).toBeNull();
  });

  it('narrows a list to its things and every space’s, or shows all of them for every space', () => {
    const things = [
      { name: 'a', space: 'team-a' },
      { name: 'b', space: 'team-b' },
      { name: 'local-1.20', space: null },
    ];
    expect(inPicked(things, 'team-a').map((x) => x.name)).toEqual(['a', 'local-1.20']);
    expect(inPicked(things, null)).toEqual(things);
  });
});

describe('what the user may do where', () => {
  it('follows the role in each space, and lets a platform admin do everything', () => {
    expect(mayIn(dev, 'default', 'view')).toBe(true);
    expect(mayIn(dev, 'default', 'change')).toBe(false);
    expect(mayIn(dev, 'team-a', 'run')).toBe(true);
    expect(mayIn(dev, 'team-a', 'manage')).toBe(false);
    expect(mayIn(dev, 'elsewhere', 'view')).toBe(false);
    expect(mayIn(admin, 'team-a', 'manage')).toBe(true);
  });

  it('offers a create form only the spaces where it may create, starting with the picked one', () => {
    expect(spacesWhere(dev, 'change')).toEqual(['team-a', 'team-b']);
    expect(spacesWhere(dev, 'manage')).toEqual(['team-b']);
    expect(spacesWhere(admin, 'manage')).toEqual(['default', 'team-a']);
    expect(startingSpace(['team-a', 'team-b'], 'team-b')).toBe('team-b');
    // A picked space where it may not create: default if it may, else the first.
    expect(startingSpace(['default', 'team-a'], 'team-b')).toBe('default');
    expect(startingSpace(['team-a', 'team-b'], null)).toBe('team-a');
    expect(startingSpace([], 'team-a')).toBeNull();
  });

  it('says the role needed and the user’s own where a button is not offered', () => {
    expect(refusal(dev, 'default', 'change')).toEqual({ needed: 'developer', role: 'viewer' });
    expect(refusal(dev, 'team-a', 'manage')).toEqual({ needed: 'owner', role: 'developer' });
    expect(refusal(dev, 'nowhere', 'view')).toEqual({ needed: 'viewer', role: null });
    expect(refusal(dev, 'team-b', 'manage')).toBeNull();
    // What belongs to every space (an engine's local application target): everyone sees it, admins change it.
    expect(refusal(dev, null, 'manage')).toEqual({ needed: 'admin', role: null });
    expect(refusal(dev, null, 'view')).toBeNull();
    expect(refusal(admin, null, 'manage')).toBeNull();
  });
});

describe('what a thing of a space may name', () => {
  const targets = [
    { name: 'a-target', space: 'team-a' },
    { name: 'b-target', space: 'team-b' },
    { name: 'local-application-1.20', space: null },
  ];
  const catalogs = [
    { name: 'a_cat', space: 'team-a' },
    { name: 'b_cat', space: 'team-b' },
  ];

  it("offers a job its space's targets and catalogs and every space's, never another space's", () => {
    expect(usableIn(targets, 'team-a').map((x) => x.name)).toEqual(['a-target', 'local-application-1.20']);
    expect(usableIn(catalogs, 'team-b').map((x) => x.name)).toEqual(['b_cat']);
    // A space not known yet: every space's things only.
    expect(usableIn(targets, null).map((x) => x.name)).toEqual(['local-application-1.20']);
    expect(usableIn(catalogs, 'default')).toEqual([]);
  });

  it("names a new job's default target in its space: the session cluster in its own space, else the engine's application target", () => {
    const seen = [...targets, { name: 'local-1.20', space: 'default' }];
    expect(defaultTargetIn(seen, '1.20', 'default')).toBe('local-1.20');
    expect(defaultTargetIn(seen, '1.20', 'team-a')).toBe('local-application-1.20');
    // A team's developer does not see the default space's cluster; one not defined yet is made in default.
    expect(defaultTargetIn(targets, '1.20', 'team-a')).toBe('local-application-1.20');
    expect(defaultTargetIn(targets, '1.20', 'default')).toBe('local-1.20');
    expect(defaultTargetIn([{ name: 'local-2.2', space: 'team-b' }], '2.2', 'team-b')).toBe('local-2.2');
    expect(defaultTargetIn(seen, undefined, 'team-a')).toBeNull();
    expect(defaultTargetIn(seen, '1.20', null)).toBeNull();
  });

  it('drops what another space holds once the space changes, keeping what the lists do not know', () => {
    expect(stillUsable(['a_cat', 'b_cat', 'unlisted'], catalogs, 'team-b')).toEqual(['b_cat', 'unlisted']);
    expect(stillUsable(['local-application-1.20'], targets, 'team-b')).toEqual(['local-application-1.20']);
    expect(
      choicesInSpace({ target: 'a-target', catalogs: ['a_cat', 'b_cat'] }, { targets, catalogs }, 'team-b'),
    ).toEqual({ target: undefined, catalogs: ['b_cat'] });
    expect(
      choicesInSpace({ target: 'a-target', catalogs: ['a_cat'] }, { targets, catalogs }, 'team-a'),
    ).toEqual({ target: 'a-target', catalogs: ['a_cat'] });
    expect(choicesInSpace({ target: undefined, catalogs: [] }, { targets, catalogs }, 'team-a')).toEqual({
      target: undefined,
      catalogs: [],
    });
  });
});

describe('holdings', () => {
  it('counts each kind of thing per space, leaving out what belongs to every space', () => {
    const held = holdings({
      job: [{ space: 'team-a' }, { space: 'team-a' }, { space: 'default' }],
      variable: [{ space: 'team-a' }],
      target: [{ space: null }],
    });
    expect(held.get('team-a')).toEqual({ job: 2, variable: 1 });
    expect(held.get('default')).toEqual({ job: 1 });
    expect([...held.keys()].sort()).toEqual(['default', 'team-a']);
  });
});
