import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const box = SecretBox.open({ secretKey: 'a passphrase', home: os.tmpdir() });
    const a = box.seal('hunter22');
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain('hunter22');
    expect(box.seal('hunter22')).not.toBe(a);
    expect(box.open(a, 'pw')).toBe('hunter22');
  });

  it('creates a key file once and reuses it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-key-'));
    try {
      const sealed = SecretBox.open({ secretKey: undefined, home }).seal('x-value');
      expect((fs.statSync(path.join(home, 'secret.key')).mode & 0o777).toString(8)).toBe('600');
      expect(SecretBox.open({ secretKey: undefined, home }).open(sealed, 'v')).toBe('x-value');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('says which key failed when a value was sealed with another one', () => {
    const sealed = SecretBox.open({ secretKey: 'one', home: os.tmpdir() }).seal('x-value');
    expect(() => SecretBox.open({ secretKey: 'two', home: os.tmpdir() }).open(sealed, 'pw')).toThrow(
      'secret variable pw cannot be decrypted with the key from SLUICE_SECRET_KEY: it was stored with another key; restore that key or set the variable again',
    );
  });
});
