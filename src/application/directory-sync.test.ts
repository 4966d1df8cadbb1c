import { describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../domain/audit/audit.ts';
import type { DirectorySyncRound } from './access-service.ts';
import { DirectorySync, directorySyncRecords, SCHEDULE } from './directory-sync.ts';

const dev = { space: 'team-b', user: 'dave', role: 'developer', source: 'ldap' } as const;
const ROUND: DirectorySyncRound = {
  checked: 3,
  changes: [
    {
      user: 'bob',
      removed: false,
      admin: { before: false, after: true },
      memberships: { set: [], remove: [] },
      membershipsBefore: [{ space: 'team-a', user: 'bob', role: 'owner', source: 'manual' }],
    },
    {
      user: 'dave',
      removed: false,
      admin: { before: false, after: false },
      memberships: { set: [{ ...dev, space: 'team-c', role: 'viewer' }], remove: [dev] },
      membershipsBefore: [dev],
    },
    {
      user: 'erin',
      removed: true,
      admin: { before: true, after: false },
      memberships: null,
      membershipsBefore: [dev],
    },
  ],
  kept: [],
};

describe('a look at the directory, in the audit log', () => {
  it('one record per changed user, before and after as a sign-in shows them; a removed user has no after', () => {
    const records = directorySyncRecords(ROUND, SCHEDULE, '2026-12-05T04:00:00.000Z');
    expect(records.map((r) => [r.resourceName, r.actor, r.method, r.operation, r.status])).toEqual([
      ['bob', 'sluice', 'SCHEDULE', 'access.directorySync', 200],
      ['dave', 'sluice', 'SCHEDULE', 'access.directorySync', 200],
      ['erin', 'sluice', 'SCHEDULE', 'access.directorySync', 200],
    ]);
    expect(records[0]).toMatchObject({
      before: {
        name: 'bob',
        admin: false,
        source: 'ldap',
        spaces: [{ space: 'team-a', role: 'owner', source: 'manual' }],
      },
      after: { name: 'bob', admin: true, spaces: [{ space: 'team-a', role: 'owner', source: 'manual' }] },
    });
    expect(records[1]!.after).toEqual({
      name: 'dave',
      admin: false,
      source: 'ldap',
      spaces: [{ space: 'team-c', role: 'viewer', source: 'ldap' }],
    });
    expect(records[2]).toMatchObject({ before: { name: 'erin', admin: true }, after: null });
  });

  it('runs one round at a time (a second asker gets the round under way), appends its records and logs each change', async () => {
    const appended: NewAuditEntry[] = [];
    const lines: string[] = [];
    let rounds = 0;
    let release = () => {};
    const sync = new DirectorySync(
      {
        syncDirectory: () => {
          rounds++;
          return new Promise<DirectorySyncRound>((resolve) => (release = () => resolve(ROUND)));
        },
      },
      { append: async (e) => appended.push(e) },
      { info: (l) => lines.push(l), warn: (l) => lines.push(`warn ${l}`) },
      () => new Date('2026-12-05T04:00:00.000Z'),
    );
    const admin = {
      ...SCHEDULE,
      actor: 'admin',
      via: 'cli-token',
      method: 'POST',
      path: '/api/v1/users/directory-sync',
    };
    const first = sync.run(admin);
    const second = sync.run(SCHEDULE);
    release();
    expect(await first).toBe(await second);
    expect(rounds).toBe(1);
    expect(appended.map((e) => `${e.actor} ${e.resourceName}`)).toEqual([
      'admin bob',
      'admin dave',
      'admin erin',
    ]);
    expect(lines).toEqual([
      'LDAP user bob changed in the directory: admin true',
      'LDAP user dave changed in the directory: roles team-c:viewer no role in team-b',
      'LDAP user erin is no longer in the directory: removed with its tokens, sessions and memberships',
    ]);
    await sync.stop();
  });
});
