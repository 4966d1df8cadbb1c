import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What the browser carries between starting an OpenID Connect sign-in and coming back from the
 * provider: the state and nonce sent, the PKCE code verifier and the redirect URI used. It is kept in
 * an http-only cookie sealed with AES-256-GCM (nobody can read or change it, and it lives 10 minutes),
 * so that a server restart or another server with the same settings can finish the sign-in and the
 * store keeps nothing for sign-ins never finished.
 */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Where the console goes afterwards: one of its own pages. */
  next: string;
  /** Epoch milliseconds after which the flow is refused. */
  expiresAt: number;
}

export const OIDC_FLOW_COOKIE = 'sluice_oidc';
export const OIDC_FLOW_LIFETIME_MS = 10 * 60_000;

/** The sealing key: derived from the client secret, which every server of the same settings shares. */
export const flowKey = (clientSecret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', clientSecret, 'sluice', 'sluice oidc sign-in flow cookie', 32));

/** 256 random bits, base64url: a state, a nonce or a code verifier. */
export const randomToken = () => randomBytes(32).toString('base64url');

export function sealFlow(flow: OidcFlow, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The flow a cookie holds, or why it cannot be used: not made by this key (or changed), or too old. */
export function openFlow(
  sealed: string,
  key: Buffer,
  now: number,
): { flow: OidcFlow } | { refused: 'invalid' | 'expired' } {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 29) return { refused: 'invalid' };
  let flow: OidcFlow;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    flow = JSON.parse(text) as OidcFlow;
  } catch {
    return { refused: 'invalid' };
  }
  if (typeof flow.expiresAt !== 'number' || flow.expiresAt <= now) return { refused: 'expired' };
  return { flow };
}
