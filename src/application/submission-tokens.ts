import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** How long a token lives: a pod made later (a TaskManager restarted) gets the renewed one. */
export const SUBMISSION_TOKEN_TTL_MS = 10 * 60_000;

/** Why a token was refused, in words a pod's log or a 403 can carry. */
export type TokenRefusal = 'malformed' | 'bad signature' | 'expired' | 'another submission';

/**
 * Short-lived tokens scoped to one submission (one run, by its Flink job id): an init container shows
 * one to fetch that run's artifacts from the platform and nothing else. `v1.<flinkJobId>.<expiry s>.<HMAC>`,
 * signed with a key kept under the platform's home (owner-only), so that tokens survive a restart of
 * the platform while their pods still run.
 */
export class SubmissionTokens {
  private constructor(private readonly key: Buffer) {}

  /** The key from `<home>/submission-token.key`, made at first use. */
  static open(home: string): SubmissionTokens {
    const file = path.join(home, 'submission-token.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(home, { recursive: true });
      try {
        fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        // Another process made it meanwhile: use theirs.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    return new SubmissionTokens(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
  }

  /** A key of its own (tests). */
  static withKey(key: Buffer): SubmissionTokens {
    return new SubmissionTokens(key);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  mint(flinkJobId: string, now = Date.now(), ttlMs = SUBMISSION_TOKEN_TTL_MS): string {
    const body = `v1.${flinkJobId}.${Math.floor((now + ttlMs) / 1000)}`;
    return `${body}.${this.sign(body)}`;
  }

  /** Null when the token is this submission's and not expired; else why it is refused. */
  check(token: string, flinkJobId: string, now = Date.now()): TokenRefusal | null {
    const m = /^(v1\.([0-9a-f]{32})\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) return 'malformed';
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[4]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad signature';
    if (m[2] !== flinkJobId) return 'another submission';
    if (Number(m[3]) * 1000 <= now) return 'expired';
    return null;
  }
}
