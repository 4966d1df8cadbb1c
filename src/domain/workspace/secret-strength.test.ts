import { describe, expect, it } from 'vitest';
import { renderMessage } from '../messages.ts';
import { secretWeakness } from './secret-strength.ts';

const why = (v: string) => {
  const m = secretWeakness(v);
  return m && renderMessage(m);
};

describe('what can be a secret', () => {
  it('refuses a value shorter than 6 characters, counting characters, not UTF-16 units', () => {
    expect(why('":"')).toBe('it has 3 characters, fewer than 6');
    expect(why('ab1Z!')).toBe('it has 5 characters, fewer than 6');
    // Five characters, seven UTF-16 units.
    expect(why('😀😀abc')).toBe('it has 5 characters, fewer than 6');
    expect(why('ab1Z!x')).toBeNull();
  });

  it('refuses a value of digits and punctuation alone', () => {
    for (const v of ['12345678901', '2026-12-01', '127.0.0.1', '{"":[]},'])
      expect(why(v), v).toBe('it is only digits and punctuation');
  });

  it('refuses a common word or programming token, however decorated', () => {
    for (const v of [
      '__main__',
      'Password123!',
      'localhost:8080',
      'ADMIN!!',
      'changeme',
      'undefined',
      '"secret"',
      'p@ssw0rd',
    ])
      expect(why(v), v).toBe('it is a common word or programming token');
  });

  it('accepts what is long and not a word, in any script and with any punctuation', () => {
    for (const v of [
      'hunter2-not-shown',
      'pässwörd-密码-😀x',
      '{"k":[1,2]},x9',
      'C:\\dir\\n\\',
      'main-db-password',
      'Kx9f2Lq',
    ])
      expect(why(v), v).toBeNull();
  });
});
