import { describe, expect, it } from 'vitest';
import { oidcIdentity, parseOidcSettings } from './oidc-settings.ts';

const good = {
  SLUICE_OIDC_ISSUER: 'https://login.example.com/realms/main',
  SLUICE_OIDC_CLIENT_ID: 'sluice',
  SLUICE_OIDC_CLIENT_SECRET: 'client secret',
};

const noSecret = Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'SLUICE_OIDC_CLIENT_SECRET'));

const refusal = (env: Record<string, string>, file?: string) => {
  try {
    parseOidcSettings(env, file);
    return 'accepted';
  } catch (e) {
    const err = e as Error & { details: { setting: string } };
    return `${err.details.setting}: ${err.message}`;
  }
};

describe('OpenID Connect settings', () => {
  it('none without SLUICE_OIDC_ISSUER; defaults: openid profile email, preferred_username, groups, no admin group', () => {
    expect(parseOidcSettings({})).toBeNull();
    expect(parseOidcSettings(good)).toEqual({
      issuer: 'https://login.example.com/realms/main',
      clientId: 'sluice',
      clientSecret: 'client secret',
      scopes: ['openid', 'profile', 'email'],
      usernameClaim: 'preferred_username',
      groupsClaim: 'groups',
      adminGroup: null,
      redirectUrl: null,
      displayName: 'OpenID Connect',
      timeoutMs: 10_000,
      groupRoles: [],
    });
    expect(
      parseOidcSettings({
        ...good,
        SLUICE_OIDC_SCOPES: 'openid, profile groups openid',
        SLUICE_OIDC_USERNAME_CLAIM: 'email',
        SLUICE_OIDC_GROUPS_CLAIM: 'realm_access.roles',
        SLUICE_OIDC_ADMIN_GROUP: 'Sluice Admins',
        SLUICE_OIDC_REDIRECT_URL: 'https://sluice.example.com/api/v1/auth/oidc/callback',
        SLUICE_OIDC_NAME: 'Keycloak',
      }),
    ).toMatchObject({
      scopes: ['openid', 'profile', 'groups'],
      usernameClaim: 'email',
      groupsClaim: 'realm_access.roles',
      adminGroup: 'Sluice Admins',
      redirectUrl: 'https://sluice.example.com/api/v1/auth/oidc/callback',
      displayName: 'Keycloak',
    });
  });

  it('the secret from a file without its last line break; plain http only to this machine', () => {
    expect(
      parseOidcSettings({ ...noSecret, SLUICE_OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc' }, 'from file\n')
        ?.clientSecret,
    ).toBe('from file');
    for (const issuer of ['http://127.0.0.1:8085', 'http://localhost:9000/realms/x', 'http://[::1]:1'])
      expect(parseOidcSettings({ ...good, SLUICE_OIDC_ISSUER: issuer })?.issuer).toBe(issuer);
  });

  it('refuses what cannot work, naming the variable and how to fix it', () => {
    expect(refusal({ SLUICE_OIDC_CLIENT_ID: 'x' })).toBe(
      "SLUICE_OIDC_ISSUER: SLUICE_OIDC_CLIENT_ID is set but SLUICE_OIDC_ISSUER is not: set SLUICE_OIDC_ISSUER to the provider's issuer (such as https://login.example.com/realms/main) to sign in through OpenID Connect, or unset every SLUICE_OIDC_* variable",
    );
    expect(refusal({ ...good, SLUICE_OIDC_ISSUER: 'http://login.example.com' })).toMatch(
      /^SLUICE_OIDC_ISSUER: SLUICE_OIDC_ISSUER: 'http:\/\/login.example.com' is not an issuer URL: .*plain http:\/\/ only to this machine/,
    );
    expect(refusal({ ...good, SLUICE_OIDC_ISSUER: 'https://u:p@login.example.com' })).toMatch(
      /^SLUICE_OIDC_ISSUER: SLUICE_OIDC_ISSUER: 'https:\/\/\*\*\*@login.example.com\/' is not an issuer URL/,
    );
    expect(refusal({ ...good, SLUICE_OIDC_ISSUER: 'login.example.com' })).toMatch(/is not an issuer URL/);
    expect(refusal({ ...good, SLUICE_OIDC_CLIENT_ID: '' })).toMatch(
      /^SLUICE_OIDC_CLIENT_ID: SLUICE_OIDC_CLIENT_ID is not set, but SLUICE_OIDC_ISSUER is/,
    );
    expect(refusal(noSecret)).toMatch(/^SLUICE_OIDC_CLIENT_SECRET: SLUICE_OIDC_CLIENT_SECRET is not set/);
    expect(refusal({ ...good, SLUICE_OIDC_CLIENT_SECRET_FILE: '/f' }, 'x')).toMatch(
      /^SLUICE_OIDC_CLIENT_SECRET: .* are both set/,
    );
    expect(refusal({ ...noSecret, SLUICE_OIDC_CLIENT_SECRET_FILE: '/f' }, '\n')).toBe(
      'SLUICE_OIDC_CLIENT_SECRET_FILE: SLUICE_OIDC_CLIENT_SECRET_FILE: /f is empty: write the secret of the client SLUICE_OIDC_CLIENT_ID in it',
    );
    expect(refusal({ ...good, SLUICE_OIDC_SCOPES: 'profile email' })).toMatch(
      /^SLUICE_OIDC_SCOPES: SLUICE_OIDC_SCOPES: 'profile email' is not a list of scopes with openid among them/,
    );
    expect(refusal({ ...good, SLUICE_OIDC_GROUPS_CLAIM: 'my groups' })).toMatch(
      /^SLUICE_OIDC_GROUPS_CLAIM: SLUICE_OIDC_GROUPS_CLAIM: 'my groups' is not a claim name/,
    );
    expect(refusal({ ...good, SLUICE_OIDC_REDIRECT_URL: 'https://sluice.example.com/callback' })).toMatch(
      /^SLUICE_OIDC_REDIRECT_URL: SLUICE_OIDC_REDIRECT_URL: 'https:\/\/sluice.example.com\/callback' is not this server's callback: .*ending in \/api\/v1\/auth\/oidc\/callback/,
    );
  });
});

describe('OpenID Connect claims', () => {
  const s = { usernameClaim: 'preferred_username', groupsClaim: 'groups', adminGroup: 'sluice-admins' };

  it('the user name from its claim (lower-cased), admin from the groups claim, an array or one name', () => {
    expect(
      oidcIdentity({ sub: 's-1', preferred_username: 'Carol', groups: ['developers', 'sluice-admins'] }, s),
    ).toEqual({ subject: 's-1', name: 'carol', admin: true, groups: ['developers', 'sluice-admins'] });
    expect(oidcIdentity({ sub: 's-2', preferred_username: 'dave', groups: ['developers'] }, s)).toMatchObject(
      {
        admin: false,
      },
    );
    expect(
      oidcIdentity({ sub: 's-3', preferred_username: 'erin', groups: 'sluice-admins' }, s),
    ).toMatchObject({
      admin: true,
      groups: ['sluice-admins'],
    });
    // No groups claim, or no admin group set: nobody is made admin.
    expect(oidcIdentity({ sub: 's-4', preferred_username: 'fay' }, s).admin).toBe(false);
    expect(
      oidcIdentity(
        { sub: 's-5', preferred_username: 'gus', groups: ['sluice-admins'] },
        { ...s, adminGroup: null },
      ).admin,
    ).toBe(false);
    // A group whose name only contains the admin group's is another group.
    expect(
      oidcIdentity({ sub: 's-6', preferred_username: 'hal', groups: ['sluice-admins-old'] }, s).admin,
    ).toBe(false);
  });

  it('refuses claims that name no Sluice user, saying which claim and what to set', () => {
    const refused = (claims: Record<string, unknown>) => {
      try {
        oidcIdentity(claims, s);
        return 'accepted';
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
    };
    expect(refused({ sub: 's-1' })).toBe(
      "forbidden: the provider's answer for subject 's-1' has no preferred_username claim to name the Sluice user: set SLUICE_OIDC_USERNAME_CLAIM to a claim it gives (such as preferred_username or email), or ask for the scope that carries it in SLUICE_OIDC_SCOPES",
    );
    expect(refused({ sub: 's-1', preferred_username: 42 })).toMatch(/has no preferred_username claim/);
    expect(refused({ sub: 's-1', preferred_username: 'carol@example.com' })).toMatch(
      /^forbidden: the preferred_username claim 'carol@example.com' is not a Sluice user name/,
    );
  });
});
