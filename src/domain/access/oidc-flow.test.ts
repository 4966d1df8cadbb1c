import { describe, expect, it } from 'vitest';
import { flowKey, openFlow, randomToken, sealFlow, type OidcFlow } from './oidc-flow.ts';

const flow: OidcFlow = {
  state: randomToken(),
  nonce: randomToken(),
  codeVerifier: randomToken(),
  redirectUri: 'https://sluice.example.com/api/v1/auth/oidc/callback',
  next: '/jobs',
  expiresAt: 1_000_000,
};

describe('the OIDC sign-in flow cookie', () => {
  it('opens with the key it was sealed with, before it expires; its content is not readable', () => {
    const key = flowKey('client secret');
    const sealed = sealFlow(flow, key);
    expect(openFlow(sealed, key, 999_999)).toEqual({ flow });
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(flow.state);
    // The same secret (another server of the same settings) derives the same key.
    expect(openFlow(sealed, flowKey('client secret'), 0)).toEqual({ flow });
    expect(openFlow(sealed, key, 1_000_000)).toEqual({ refused: 'expired' });
  });

  it('refuses one sealed with another key, changed, cut short or not sealed at all', () => {
    const key = flowKey('client secret');
    const sealed = sealFlow(flow, key);
    expect(openFlow(sealed, flowKey('another secret'), 0)).toEqual({ refused: 'invalid' });
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(openFlow(bytes.toString('base64url'), key, 0)).toEqual({ refused: 'invalid' });
    expect(openFlow(sealed.slice(0, 30), key, 0)).toEqual({ refused: 'invalid' });
    expect(openFlow(Buffer.from(JSON.stringify(flow)).toString('base64url'), key, 0)).toEqual({
      refused: 'invalid',
    });
    expect(openFlow('', key, 0)).toEqual({ refused: 'invalid' });
  });
});
