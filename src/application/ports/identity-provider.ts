import type { Message } from '../../domain/messages.ts';

/** What one sign-in sent the provider, checked when the browser comes back. */
export interface OidcChecks {
  state: string;
  nonce: string;
  /** PKCE: the provider only gives tokens to whoever shows the verifier of the challenge it saw. */
  codeVerifier: string;
}

/**
 * An OpenID Connect provider users sign in to the console through (authorization code flow with
 * PKCE). A provider that does not answer, or answers what cannot be used: a SluiceError
 * `provider_unavailable`; a sign-in it refused, or whose answer fails a check (state, the ID token's
 * issuer, audience, signature, expiry or nonce): `unauthenticated`.
 */
export interface OidcProvider {
  /** Its issuer, as shown in health and messages. */
  readonly issuer: string;
  /** Where to send the browser to sign in, for one sign-in's checks and redirect URI. */
  authorizationUrl(p: OidcChecks & { redirectUri: string }): Promise<URL>;
  /**
   * The browser came back at `callbackUrl`: checks the answer against `checks`, exchanges the code and
   * verifies the ID token. The verified claims (the ID token's, with the userinfo endpoint's where the
   * token lacks them).
   */
  finish(callbackUrl: URL, checks: OidcChecks & { redirectUri: string }): Promise<Record<string, unknown>>;
  /** Whether its discovery document answers now: null, or what is wrong. */
  problem(): Promise<Message | null>;
}
