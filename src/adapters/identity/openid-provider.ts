import * as client from 'openid-client';
import type { OidcChecks, OidcProvider } from '../../application/ports/identity-provider.ts';
import type { OidcSettings } from '../../domain/access/oidc-settings.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import { RecentAnswer } from '../system/recent-answer.ts';

/** Whether an error is the network's (refused, unresolved, reset, timed out) rather than an answer's. */
function networkCause(e: unknown): string | null {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    const code = (c as NodeJS.ErrnoException).code;
    if (code && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return `${code}: ${c.message}`;
    if (c.name === 'TimeoutError' || c.name === 'AbortError') return `no answer in time (${c.message})`;
  }
  return e instanceof TypeError && e.message === 'fetch failed' ? e.message : null;
}

/**
 * An OpenID Connect provider through openid-client (v6, by the author of the certified node-oidc
 * libraries): discovery, the authorization URL with PKCE (S256), state and nonce, and the code
 * exchange, whose ID token is checked for issuer, audience, expiry and nonce, and for its signature
 * against the provider's JWKS (enableNonRepudiationChecks: openid-client otherwise trusts a token it
 * fetched itself over TLS). Plain http is allowed only where the settings allow it (this machine).
 */
export class OpenIdProvider implements OidcProvider {
  readonly issuer: string;
  private config: Promise<client.Configuration> | null = null;
  /** Health's last answer: the provider is asked at most once per PROBLEM_CHECK_MS. */
  private readonly checked: RecentAnswer<Message | null>;

  constructor(
    private readonly s: OidcSettings,
    now: () => number = Date.now,
  ) {
    this.issuer = s.issuer;
    this.checked = new RecentAnswer(now);
  }

  private unavailable(detail: string): SluiceError {
    return new SluiceError(
      'provider_unavailable',
      message('oidc.unavailable', { issuer: this.issuer, detail }),
      {
        issuer: this.issuer,
      },
    );
  }

  /** Discovery anew: the provider's metadata, kept for the code exchange. */
  private async discover(): Promise<client.Configuration> {
    const insecure = new URL(this.s.issuer).protocol === 'http:';
    const found = client
      .discovery(
        new URL(this.s.issuer),
        this.s.clientId,
        undefined,
        client.ClientSecretBasic(this.s.clientSecret),
        {
          execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
          timeout: Math.ceil(this.s.timeoutMs / 1000),
        },
      )
      .catch((e: unknown) => {
        throw this.unavailable(networkCause(e) ?? (e instanceof Error ? e.message : String(e)));
      });
    this.config = found;
    found.catch(() => {
      if (this.config === found) this.config = null;
    });
    // Every discovery (a sign-in's too) is health's freshest answer.
    void this.checked.set(this.answerOf(found));
    return found;
  }

  async authorizationUrl(p: OidcChecks & { redirectUri: string }): Promise<URL> {
    // Discovered at every start, so that a provider that went away is said here, not at its login page.
    const config = await this.discover();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: p.redirectUri,
      scope: this.s.scopes.join(' '),
      state: p.state,
      nonce: p.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(p.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  async finish(
    callbackUrl: URL,
    checks: OidcChecks & { redirectUri: string },
  ): Promise<Record<string, unknown>> {
    const config = await (this.config ?? this.discover());
    try {
      const tokens = await client.authorizationCodeGrant(
        config,
        callbackUrl,
        {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        },
        // The redirect URI the provider saw, whatever this server's own URL looks like behind a proxy.
        { redirect_uri: checks.redirectUri },
      );
      const claims: Record<string, unknown> = { ...tokens.claims() };
      const lacking = [this.s.usernameClaim, this.s.groupsClaim].some((c) => claims[c] === undefined);
      if (lacking && config.serverMetadata().userinfo_endpoint && typeof claims.sub === 'string') {
        // Many providers put profile and group claims only at the userinfo endpoint; the ID token's win.
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        return { ...info, ...claims };
      }
      return claims;
    } catch (e) {
      throw this.refusal(e);
    }
  }

  private refusal(e: unknown): SluiceError {
    if (e instanceof SluiceError) return e;
    if (e instanceof client.AuthorizationResponseError || e instanceof client.ResponseBodyError)
      return new SluiceError(
        'unauthenticated',
        message('oidc.refused', {
          issuer: this.issuer,
          error: e.error_description ? `${e.error}: ${e.error_description}` : e.error,
        }),
        { issuer: this.issuer, error: e.error },
      );
    const network = networkCause(e);
    if (network) return this.unavailable(network);
    // openid-client's message says which check, its cause which claim (exp, nonce, aud...).
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
    const said = e instanceof Error ? e.message : String(e);
    const detail = cause && cause !== said ? `${said}: ${cause}` : said;
    return new SluiceError('unauthenticated', message('oidc.tokenRefused', { issuer: this.issuer, detail }), {
      issuer: this.issuer,
      ...(e instanceof client.ClientError && e.code ? { check: e.code } : {}),
    });
  }

  /**
   * Whether the provider answers discovery. Health asks on every call (the console every 15 s): the
   * provider is asked at most once per PROBLEM_CHECK_MS, or sooner by a sign-in.
   */
  problem(): Promise<Message | null> {
    return this.checked.get(() => this.answerOf(this.discover()));
  }

  /** A discovery as health says it: null, or why the provider is unavailable. */
  private answerOf(found: Promise<unknown>): Promise<Message | null> {
    return found.then(
      () => null,
      (e: unknown) =>
        e instanceof SluiceError && e.text
          ? e.text
          : message('oidc.unavailable', { issuer: this.issuer, detail: String(e) }),
    );
  }
}
