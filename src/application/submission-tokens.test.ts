import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SubmissionTokens } from './submission-tokens.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('submission tokens', () => {
  const tokens = SubmissionTokens.withKey(randomBytes(32));

  it('accepts its own submission within its lifetime', () => {
    const t = tokens.mint(A, 1_000_000, 60_000);
    expect(tokens.check(t, A, 1_000_000 + 59_000)).toBeNull();
  });

  it('refuses another submission, an expired token, a forged or malformed one', () => {
    const t = tokens.mint(A, 1_000_000, 60_000);
    expect(tokens.check(t, B, 1_000_000)).toBe('another submission');
    expect(tokens.check(t, A, 1_000_000 + 60_000)).toBe('expired');
    const other = SubmissionTokens.withKey(randomBytes(32)).mint(A, 1_000_000, 60_000);
    expect(tokens.check(other, A, 1_000_000)).toBe('bad signature');
    // The scope is signed: a token whose job id is changed does not pass.
    expect(tokens.check(t.replace(A, B), B, 1_000_000)).toBe('bad signature');
    expect(tokens.check('Bearer x', A)).toBe('malformed');
  });

  it('keeps its key under the home, owner-only, so that tokens outlive a platform restart', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-tokens-'));
    const t = SubmissionTokens.open(home).mint(A);
    expect(SubmissionTokens.open(home).check(t, A)).toBeNull();
    expect(fs.statSync(path.join(home, 'submission-token.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(home, { recursive: true });
  });
});
