import { describe, expect, it } from 'vitest';
import { escapeFilterValue, parseLdapSettings, userFilterFor } from './ldap-settings.ts';

const good = {
  SLUICE_LDAP_URL: 'ldaps://ldap.example.com:636',
  SLUICE_LDAP_BIND_DN: 'cn=sluice,ou=services,dc=example,dc=com',
  SLUICE_LDAP_BIND_PASSWORD: 'search password',
  SLUICE_LDAP_USER_BASE: 'ou=people,dc=example,dc=com',
};

const refusal = (env: Record<string, string>, file?: string) => {
  try {
    parseLdapSettings(env, file);
    return 'accepted';
  } catch (e) {
    const err = e as Error & { details: { setting: string } };
    return `${err.details.setting}: ${err.message}`;
  }
};

describe('LDAP settings', () => {
  it('escapes filter values as RFC 4515 says', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\0')).toBe('a\\5cb\\00');
    expect(userFilterFor('(&(objectClass=person)(|(uid={user})(mail={user})))', 'x*')).toBe(
      '(&(objectClass=person)(|(uid=x\\2a)(mail=x\\2a)))',
    );
  });

  it('none without SLUICE_LDAP_URL; defaults: (uid={user}), groups under the admin group’s parent', () => {
    expect(parseLdapSettings({})).toBeNull();
    expect(
      parseLdapSettings({ ...good, SLUICE_LDAP_ADMIN_GROUP: 'cn=admins,ou=groups,dc=example,dc=com' }),
    ).toEqual({
      url: 'ldaps://ldap.example.com:636',
      bindDn: good.SLUICE_LDAP_BIND_DN,
      bindPassword: 'search password',
      userBase: good.SLUICE_LDAP_USER_BASE,
      userFilter: '(uid={user})',
      adminGroup: 'cn=admins,ou=groups,dc=example,dc=com',
      groupBase: 'ou=groups,dc=example,dc=com',
      timeoutMs: 5000,
      groupRoles: [],
      groupDepth: 5,
      startTls: false,
      ca: null,
      syncIntervalMs: 15 * 60_000,
    });
    // The password from a file, without the line break echo adds.
    const noPassword = { ...good, SLUICE_LDAP_BIND_PASSWORD: '' };
    expect(
      parseLdapSettings(
        { ...noPassword, SLUICE_LDAP_BIND_PASSWORD_FILE: '/run/secrets/ldap' },
        'from a file\n',
      )?.bindPassword,
    ).toBe('from a file');
  });

  it('refuses what cannot work, naming the variable and how to fix it', () => {
    expect(refusal({ SLUICE_LDAP_USER_BASE: 'ou=people,dc=x' })).toMatch(
      /^SLUICE_LDAP_URL: SLUICE_LDAP_USER_BASE is set but SLUICE_LDAP_URL is not: set SLUICE_LDAP_URL/,
    );
    expect(refusal({ ...good, SLUICE_LDAP_URL: 'http://ldap.example.com' })).toMatch(
      /^SLUICE_LDAP_URL: SLUICE_LDAP_URL: 'http:\/\/ldap.example.com' is not an LDAP URL: give ldap:\/\/ or ldaps:\/\//,
    );
    expect(refusal({ ...good, SLUICE_LDAP_URL: 'ldap://cn=admin:pw@ldap.example.com' })).toContain(
      'no credentials',
    );
    expect(refusal({ ...good, SLUICE_LDAP_USER_BASE: '' })).toMatch(
      /^SLUICE_LDAP_USER_BASE: SLUICE_LDAP_USER_BASE is not set/,
    );
    expect(refusal({ ...good, SLUICE_LDAP_USER_BASE: 'example.com' })).toBe(
      "SLUICE_LDAP_USER_BASE: SLUICE_LDAP_USER_BASE: 'example.com' is not a distinguished name: write attribute=value pairs separated by commas, such as ou=people,dc=example,dc=com",
    );
    expect(refusal({ ...good, SLUICE_LDAP_BIND_PASSWORD: '' })).toMatch(
      /^SLUICE_LDAP_BIND_PASSWORD: SLUICE_LDAP_BIND_PASSWORD is not set/,
    );
    expect(refusal({ ...good, SLUICE_LDAP_BIND_PASSWORD_FILE: '/run/secrets/ldap' }, 'x')).toMatch(
      /^SLUICE_LDAP_BIND_PASSWORD: SLUICE_LDAP_BIND_PASSWORD and SLUICE_LDAP_BIND_PASSWORD_FILE are both set/,
    );
    expect(refusal({ ...good, SLUICE_LDAP_USER_FILTER: 'uid={user}' })).toMatch(
      /^SLUICE_LDAP_USER_FILTER: .* is not a filter with \{user\} in it/,
    );
    expect(refusal({ ...good, SLUICE_LDAP_USER_FILTER: '(uid=alice)' })).toMatch(/^SLUICE_LDAP_USER_FILTER/);
    expect(
      refusal({
        ...good,
        SLUICE_LDAP_ADMIN_GROUP: 'cn=admins,ou=teams,dc=example,dc=com',
        SLUICE_LDAP_GROUP_BASE: 'ou=groups,dc=example,dc=com',
      }),
    ).toMatch(
      /^SLUICE_LDAP_ADMIN_GROUP: SLUICE_LDAP_ADMIN_GROUP: cn=admins,ou=teams,dc=example,dc=com is not under/,
    );
  });

  it('groups within groups to SLUICE_LDAP_GROUP_DEPTH levels (0 to 20, default 5)', () => {
    const plain = { ...good, SLUICE_LDAP_URL: 'ldap://ldap.example.com' };
    expect(parseLdapSettings({ ...plain, SLUICE_LDAP_GROUP_DEPTH: '0' })?.groupDepth).toBe(0);
    expect(parseLdapSettings({ ...plain, SLUICE_LDAP_GROUP_DEPTH: '20' })?.groupDepth).toBe(20);
    for (const value of ['21', '-1', 'five', '2.5'])
      expect(refusal({ ...plain, SLUICE_LDAP_GROUP_DEPTH: value }), value).toBe(
        `SLUICE_LDAP_GROUP_DEPTH: SLUICE_LDAP_GROUP_DEPTH: '${value}' is not a depth: give how many levels of groups within groups to follow, from 0 (only the groups that name the user) to 20; default 5`,
      );
  });

  it('looks users up again every SLUICE_LDAP_SYNC_INTERVAL (a minute or more; 0 or off: at sign-in only)', () => {
    const at = (value: string) =>
      parseLdapSettings({ ...good, SLUICE_LDAP_SYNC_INTERVAL: value })?.syncIntervalMs;
    expect(at('1h')).toBe(3_600_000);
    expect(at('1m')).toBe(60_000);
    expect(at('0')).toBeNull();
    expect(at('off')).toBeNull();
    for (const value of ['30s', '15', 'soon', '-1m'])
      expect(refusal({ ...good, SLUICE_LDAP_SYNC_INTERVAL: value }), value).toMatch(
        new RegExp(
          `^SLUICE_LDAP_SYNC_INTERVAL: SLUICE_LDAP_SYNC_INTERVAL: '${value}' is not an interval: .* default 15m$`,
        ),
      );
  });

  it('StartTLS on ldap:// only, and a CA file only for a TLS connection, with a certificate in it', () => {
    const plain = { ...good, SLUICE_LDAP_URL: 'ldap://ldap.example.com' };
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(
      parseLdapSettings(
        { ...plain, SLUICE_LDAP_STARTTLS: 'TRUE', SLUICE_LDAP_CA_FILE: '/etc/sluice/ca.pem' },
        undefined,
        { ca: pem },
      ),
    ).toMatchObject({ url: 'ldap://ldap.example.com', startTls: true, ca: pem });
    expect(parseLdapSettings({ ...good, SLUICE_LDAP_CA_FILE: '/ca.pem' }, undefined, { ca: pem })?.ca).toBe(
      pem,
    );
    expect(refusal({ ...plain, SLUICE_LDAP_STARTTLS: 'yes' })).toBe(
      "SLUICE_LDAP_STARTTLS: SLUICE_LDAP_STARTTLS: 'yes' is neither true nor false",
    );
    expect(refusal({ ...good, SLUICE_LDAP_STARTTLS: 'true' })).toBe(
      'SLUICE_LDAP_STARTTLS: SLUICE_LDAP_STARTTLS is true but SLUICE_LDAP_URL (ldaps://ldap.example.com:636) is ldaps://, TLS from the start: give an ldap:// URL to upgrade with StartTLS, or unset SLUICE_LDAP_STARTTLS',
    );
    expect(refusal({ ...plain, SLUICE_LDAP_CA_FILE: '/ca.pem' })).toMatch(
      /^SLUICE_LDAP_CA_FILE: SLUICE_LDAP_CA_FILE is set but the connection to ldap:\/\/ldap.example.com is not TLS/,
    );
    // A file without a certificate would trust nothing the operator meant: refused, not the system's CAs.
    expect(
      (() => {
        try {
          parseLdapSettings({ ...good, SLUICE_LDAP_CA_FILE: '/ca.pem' }, undefined, {
            ca: 'not a certificate',
          });
          return 'accepted';
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    ).toBe(
      "SLUICE_LDAP_CA_FILE: /ca.pem cannot be read (no PEM certificate in it): give the path of a PEM file of the certificate authorities that sign the directory's certificate",
    );
  });
});
