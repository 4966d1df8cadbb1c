import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/**
 * Encrypts secret variable values at rest with AES-256-GCM. The key comes from SLUICE_SECRET_KEY
 * (32 bytes in base64, or any passphrase, stretched with scrypt); without it, a random key is created
 * once in `<home>/secret.key` (mode 0600). Stored form: `v1:<iv>:<tag>:<ciphertext>`, base64 parts.
 */
export class SecretBox {
  private constructor(
    private readonly key: Buffer,
    /** Where the key came from, for error messages (never the key itself). */
    readonly keySource: string,
  ) {}

  static open(opts: { secretKey: string | undefined; home: string }): SecretBox {
    if (opts.secretKey) {
      const raw = Buffer.from(opts.secretKey, 'base64');
      const key =
        raw.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(opts.secretKey)
          ? raw
          : scryptSync(opts.secretKey, 'sluice-secret-variables', 32);
      return new SecretBox(key, 'SLUICE_SECRET_KEY');
    }
    const file = path.join(opts.home, 'secret.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(opts.home, { recursive: true });
      // wx: two platforms starting at once must not both write a key.
      try {
        fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'), file);
  }

  /** A short fingerprint of the key, so a changed key can be told apart from corrupt data. */
  get fingerprint(): string {
    return createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
      .join(':');
  }

  open(sealed: string, name: string): string {
    const [v, iv, tag, ct] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || ct === undefined)
      throw new SluiceError('internal', message('variable.unreadableSecret', { variable: name }));
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
    } catch {
      throw new SluiceError(
        'precondition_failed',
        message('variable.wrongKey', { variable: name, keySource: this.keySource }),
      );
    }
  }
}
