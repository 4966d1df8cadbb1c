import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_DEFAULT_SCOPES } from '../../domain/access/oidc-settings.ts';
import { renderMessage } from '../../domain/messages.ts';
import { OpenIdProvider } from './openid-provider.ts';
import { PROBLEM_CHECK_MS } from '../system/recent-answer.ts';

/**
 * How often health makes the provider answer discovery. The provider here only counts the requests
 * and answers each with a 500 (the code flow itself is tested against a real provider in
 * test/e2e/oidc.test.ts).
 */
describe('OpenIdProvider.problem', () => {
  let requests = 0;
  const counting = http.createServer((_req, res) => {
    requests += 1;
    res.writeHead(500).end();
  });
  let issuer = '';
  beforeAll(async () => {
    await new Promise<void>((r) => counting.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(counting.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => counting.close(r)));

  const settings = () => ({
    issuer,
    clientId: 'sluice',
    clientSecret: 'secret',
    scopes: OIDC_DEFAULT_SCOPES,
    usernameClaim: 'preferred_username',
    groupsClaim: 'groups',
    adminGroup: null,
    redirectUrl: null,
    displayName: 'Test',
    timeoutMs: 2000,
    groupRoles: [],
  });

  it('asks the provider at most once per half-minute, and a sign-in start is its freshest answer', async () => {
    let now = 1_000_000;
    const provider = new OpenIdProvider(settings(), () => now);
    const first = await provider.problem();
    expect(first && renderMessage(first)).toContain(`the OpenID Connect provider ${issuer}`);
    const asked = requests;
    expect(asked).toBeGreaterThan(0);
    now += PROBLEM_CHECK_MS - 1;
    expect(await provider.problem()).toBe(first);
    expect(requests).toBe(asked);
    now += 1;
    await provider.problem();
    expect(requests).toBeGreaterThan(asked);
    // A sign-in's discovery answers health too: no request of its own within the half-minute.
    await expect(
      provider.authorizationUrl({
        state: 's',
        nonce: 'n',
        codeVerifier: 'v'.repeat(43),
        redirectUri: issuer,
      }),
    ).rejects.toThrow();
    const seen = requests;
    now += 10;
    expect(await provider.problem()).not.toBeNull();
    expect(requests).toBe(seen);
  });
});
