import { describe, expect, it } from 'vitest';
import { parseGroupRoles, planDirectorySync, rolesFromGroups } from './group-roles.ts';
import { normalDn, parseLdapSettings } from './ldap-settings.ts';
import { parseOidcSettings } from './oidc-settings.ts';
import type { Membership } from './spaces.ts';

const ldapEnv = {
  SLUICE_LDAP_URL: 'ldap://ldap.example.com',
  SLUICE_LDAP_BIND_DN: 'cn=sluice,ou=services,dc=example,dc=org',
  SLUICE_LDAP_BIND_PASSWORD: 'search password',
  SLUICE_LDAP_USER_BASE: 'ou=people,dc=example,dc=org',
};
const oidcEnv = {
  SLUICE_OIDC_ISSUER: 'https://login.example.org',
  SLUICE_OIDC_CLIENT_ID: 'sluice',
  SLUICE_OIDC_CLIENT_SECRET: 'secret',
};
const DEV = 'cn=flink-dev,ou=groups,dc=example,dc=org';
const OPS = 'cn=flink-ops,ou=groups,dc=example,dc=org';

/** The setting and message of a refusal, or 'accepted'. */
const refusal = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (e) {
    const err = e as Error & { details: { setting: string } };
    return `${err.details.setting} | ${err.message}`;
  }
};

describe('group → space role mappings', () => {
  it('SLUICE_LDAP_GROUP_ROLES: a JSON object of group DNs, each of spaces and roles', () => {
    const s = parseLdapSettings({
      ...ldapEnv,
      SLUICE_LDAP_GROUP_ROLES: JSON.stringify({
        [DEV]: { 'team-a': 'developer', 'team-b': 'viewer' },
        [OPS]: { 'team-a': 'owner' },
      }),
    });
    expect(s?.groupRoles).toEqual([
      { group: DEV, space: 'team-a', role: 'developer' },
      { group: DEV, space: 'team-b', role: 'viewer' },
      { group: OPS, space: 'team-a', role: 'owner' },
    ]);
    expect(parseLdapSettings(ldapEnv)?.groupRoles).toEqual([]);
  });

  it('SLUICE_OIDC_GROUP_ROLES: values of the groups claim, or a file', () => {
    expect(
      parseOidcSettings({ ...oidcEnv, SLUICE_OIDC_GROUP_ROLES: '{"flink-dev": {"team-a": "developer"}}' })
        ?.groupRoles,
    ).toEqual([{ group: 'flink-dev', space: 'team-a', role: 'developer' }]);
    expect(
      parseOidcSettings(
        { ...oidcEnv, SLUICE_OIDC_GROUP_ROLES_FILE: '/etc/sluice/groups.json' },
        undefined,
        '{"ops": {"team-b": "owner"}}\n',
      )?.groupRoles,
    ).toEqual([{ group: 'ops', space: 'team-b', role: 'owner' }]);
  });

  it('refuses a mapping that cannot work at startup, naming the setting and the entry', () => {
    const ldap = (v: string) => refusal(() => parseLdapSettings({ ...ldapEnv, SLUICE_LDAP_GROUP_ROLES: v }));
    expect(ldap('cn=flink-dev,ou=groups,dc=example,dc=org=team-a:developer')).toMatch(
      /^SLUICE_LDAP_GROUP_ROLES \| SLUICE_LDAP_GROUP_ROLES is not a JSON object of groups \(.+\): write each group/,
    );
    expect(ldap('["x"]')).toContain('is not a JSON object of groups (not an object)');
    expect(ldap('{"flink-dev": {"team-a": "developer"}}')).toBe(
      "SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: 'flink-dev' is not a group's distinguished name: write the group's DN as the directory has it, such as cn=flink-dev,ou=groups,dc=example,dc=org",
    );
    expect(ldap(JSON.stringify({ [DEV]: { 'Team A': 'developer' } }))).toBe(
      `SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: group '${DEV}': 'Team A' is not a space name (lower-case letters, digits and '-', 1 to 63)`,
    );
    expect(ldap(JSON.stringify({ [DEV]: { 'team-a': 'admin' } }))).toBe(
      `SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: group '${DEV}', space 'team-a': 'admin' is not a role: give one of viewer, developer, owner (platform admins come from the admin group setting)`,
    );
    expect(ldap(JSON.stringify({ [DEV]: { 'team-a': 3 } }))).toContain("'3' is not a role");
    expect(ldap(JSON.stringify({ [DEV]: 'team-a' }))).toContain(`group '${DEV}' gives no role`);
    expect(ldap(JSON.stringify({ [DEV]: {} }))).toContain(`group '${DEV}' gives no role`);
    // The same group written twice (a DN ignores case and spaces): refused, not one silently winning.
    expect(
      ldap(
        JSON.stringify({
          [DEV]: { 'team-a': 'viewer' },
          'CN=Flink-Dev, OU=groups,dc=example,dc=org': { 'team-a': 'owner' },
        }),
      ),
    ).toBe(
      `SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: 'CN=Flink-Dev, OU=groups,dc=example,dc=org' and '${DEV}' are the same group: write it once, with every space it gives a role in`,
    );
    // Written twice exactly: JSON.parse would keep the last without a word; refused, naming the key.
    expect(ldap(`{"${DEV}": {"team-a": "viewer"}, "${DEV}": {"team-b": "owner"}}`)).toBe(
      `SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: group '${DEV}' is written twice, and JSON keeps only the last: write it once, with every space it gives a role in`,
    );
    expect(ldap(`{"${DEV}": {"team-a": "viewer", "team-b": "owner", "team-a": "owner"}}`)).toBe(
      `SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES: group '${DEV}' gives space 'team-a' twice, and JSON keeps only the last: keep the one role it should give there`,
    );
    // A space under two groups is two mappings, not one written twice.
    expect(ldap(`{"${DEV}": {"team-a": "viewer"}, "${OPS}": {"team-a": "owner"}}`)).toBe('accepted');
    expect(
      refusal(() =>
        parseOidcSettings({
          ...oidcEnv,
          SLUICE_OIDC_GROUP_ROLES: '{"ops": {"team-a": "viewer"}, "dev": {}, "ops": {"team-b": "owner"}}',
        }),
      ),
    ).toBe(
      "SLUICE_OIDC_GROUP_ROLES | SLUICE_OIDC_GROUP_ROLES: group 'ops' is written twice, and JSON keeps only the last: write it once, with every space it gives a role in",
    );
    // In a file, the file's setting is named.
    expect(
      refusal(() =>
        parseOidcSettings(
          { ...oidcEnv, SLUICE_OIDC_GROUP_ROLES_FILE: '/etc/sluice/groups.json' },
          undefined,
          '{"ops": {"team-b": "owner", "team-b": "viewer"}}',
        ),
      ),
    ).toBe(
      "SLUICE_OIDC_GROUP_ROLES_FILE | SLUICE_OIDC_GROUP_ROLES_FILE: group 'ops' gives space 'team-b' twice, and JSON keeps only the last: keep the one role it should give there",
    );
    expect(
      refusal(() =>
        parseLdapSettings(
          { ...ldapEnv, SLUICE_LDAP_GROUP_ROLES: '{}', SLUICE_LDAP_GROUP_ROLES_FILE: '/x' },
          undefined,
          {
            groupRoles: '{}',
          },
        ),
      ),
    ).toBe(
      'SLUICE_LDAP_GROUP_ROLES | SLUICE_LDAP_GROUP_ROLES and SLUICE_LDAP_GROUP_ROLES_FILE are both set: keep one of the two',
    );
    // A file's mistakes name the file's setting.
    expect(
      refusal(() =>
        parseLdapSettings(
          { ...ldapEnv, SLUICE_LDAP_GROUP_ROLES_FILE: '/etc/sluice/groups.json' },
          undefined,
          {
            groupRoles: '{"devs": {"a": "viewer"}}',
          },
        ),
      ),
    ).toMatch(/^SLUICE_LDAP_GROUP_ROLES_FILE \| SLUICE_LDAP_GROUP_ROLES_FILE: 'devs' is not a group's/);
    expect(
      refusal(() => parseOidcSettings({ ...oidcEnv, SLUICE_OIDC_GROUP_ROLES: '{" ops": {"a": "viewer"}}' })),
    ).toBe(
      "SLUICE_OIDC_GROUP_ROLES | SLUICE_OIDC_GROUP_ROLES: ' ops' is not a group: write a value of the provider's groups claim (groups) as it gives it, such as flink-dev",
    );
  });

  it('the highest role wins when two groups map to the same space; groups compare as the directory says', () => {
    const mapping = parseGroupRoles(
      JSON.stringify({ [DEV]: { 'team-a': 'developer', 'team-b': 'viewer' }, [OPS]: { 'team-a': 'owner' } }),
      'X',
      () => null,
      normalDn,
    );
    expect(rolesFromGroups(['CN=flink-dev, ou=groups,dc=example,dc=org'], mapping, normalDn)).toEqual(
      new Map([
        ['team-a', 'developer'],
        ['team-b', 'viewer'],
      ]),
    );
    expect(rolesFromGroups([OPS, DEV], mapping, normalDn)).toEqual(
      new Map([
        ['team-a', 'owner'],
        ['team-b', 'viewer'],
      ]),
    );
    expect(rolesFromGroups(['cn=other'], mapping, normalDn)).toEqual(new Map());
    // OIDC compares exactly: a claim value in another case is another group.
    const oidc = parseGroupRoles('{"flink-dev": {"team-a": "developer"}}', 'X', () => null);
    expect(rolesFromGroups(['Flink-Dev'], oidc)).toEqual(new Map());
  });

  it('a sign-in sets what came from its directory: adds, changes, removes; what was set by hand stays', () => {
    const m = (space: string, role: Membership['role'], source: Membership['source']): Membership => ({
      space,
      user: 'erin',
      role,
      source,
    });
    const current = [
      m('changed', 'viewer', 'ldap'),
      m('same', 'developer', 'ldap'),
      m('gone', 'owner', 'ldap'),
      m('by-hand', 'viewer', 'manual'),
      m('by-hand-gone', 'owner', 'manual'),
      m('other-source', 'viewer', 'oidc'),
    ];
    const wanted = new Map([
      ['new', 'viewer'],
      ['changed', 'owner'],
      ['same', 'developer'],
      ['by-hand', 'owner'],
      ['other-source', 'developer'],
    ] as const);
    expect(planDirectorySync('erin', current, wanted, 'ldap')).toEqual({
      set: [m('new', 'viewer', 'ldap'), m('changed', 'owner', 'ldap')],
      remove: [m('gone', 'owner', 'ldap')],
    });
    // No group left: every membership from the directory goes, none set by hand.
    expect(planDirectorySync('erin', current, new Map(), 'ldap').remove.map((x) => x.space)).toEqual([
      'changed',
      'same',
      'gone',
    ]);
  });
});
