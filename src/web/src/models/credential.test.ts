import { describe, expect, it } from 'vitest';
import { literalCredential } from './credential.ts';

describe('literalCredential', () => {
  it('flags a password typed as it is, not a reference to a variable', () => {
    expect(literalCredential('password', 'hunter2')).toBe(true);
    expect(literalCredential('properties.sasl.jaas.config.secret', 'x')).toBe(true);
    expect(literalCredential('s3.access-token', 'abc')).toBe(true);
    expect(literalCredential('password', '${pg_password}')).toBe(false);
    expect(literalCredential('password', ' ')).toBe(false);
    expect(literalCredential('username', 'app')).toBe(false);
    expect(literalCredential(undefined, 'x')).toBe(false);
  });
});
