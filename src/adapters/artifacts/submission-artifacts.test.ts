import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SubmissionTokens } from '../../application/submission-tokens.ts';
import { SluiceError } from '../../domain/errors.ts';
import { SubmissionArtifacts } from './submission-artifacts.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-submission-artifacts-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return { code: (e as SluiceError).code, message: (e as SluiceError).message };
  }
  throw new Error('not refused');
}

describe("a run's artifacts for its init container", () => {
  const tokens = SubmissionTokens.withKey(randomBytes(32));
  const store = new SubmissionArtifacts(home, tokens);
  const jar = path.join(home, 'my udfs.jar');
  fs.writeFileSync(jar, 'jar bytes');

  it('lists each jar with its SHA-256 and size, in classpath order, to the run token only', () => {
    store.put(A, [jar]);
    const sum = createHash('sha256').update('jar bytes').digest('hex');
    const auth = `Bearer ${tokens.mint(A)}`;
    expect(store.listing(A, auth)).toBe(`${sum} 9 00-my_udfs.jar\n`);
    expect(fs.readFileSync(store.file(A, '00-my_udfs.jar', auth), 'utf8')).toBe('jar bytes');
  });

  it('refuses another run token, none, and any file not listed; a run with no artifacts is not found', () => {
    store.put(A, [jar]);
    expect(refusal(() => store.listing(A, `Bearer ${tokens.mint(B)}`))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(`submission ${A}: another submission`),
    });
    expect(refusal(() => store.listing(A, undefined)).message).toContain('no Bearer token');
    const auth = `Bearer ${tokens.mint(A)}`;
    expect(refusal(() => store.file(A, '../secret.key', auth)).code).toBe('not_found');
    expect(refusal(() => store.file(A, '.listing', auth)).code).toBe('not_found');
    store.remove(A);
    expect(refusal(() => store.listing(A, auth)).code).toBe('not_found');
  });
});
