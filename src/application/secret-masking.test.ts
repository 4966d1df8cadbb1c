import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  forgetSecret,
  forgetSecretsOf,
  knownSecretValues,
  maskingLogOptions,
  maskSecretsIn,
  rememberSecret,
} from './secret-masking.ts';

const owner = {};
const other = {};
afterEach(() => {
  forgetSecretsOf(owner);
  forgetSecretsOf(other);
});

describe('masking secrets by value', () => {
  it('masks strings inside a value, keys included, and keeps its shape and the rest', () => {
    rememberSecret(owner, 's', '":"x');
    const v = { a: 'p":"xq', list: ['":"x', 1, null, true], ['k":"x']: { deep: 'no' }, when: new Date(0) };
    const out = maskSecretsIn(v);
    expect(out).toEqual({
      a: 'p******q',
      list: ['******', 1, null, true],
      'k******': { deep: 'no' },
      when: new Date(0),
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(JSON.stringify(out)));
    // Nothing to mask: the very same value back.
    const clean = { a: 'plain' };
    expect(maskSecretsIn(clean)).toBe(clean);
  });

  it('keeps a key "__proto__" a key, and follows cycles', () => {
    rememberSecret(owner, 's', 'Sekr3tValue');
    const parsed = JSON.parse('{"__proto__": {"x": "Sekr3tValue"}}') as Record<string, unknown>;
    const out = maskSecretsIn(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: '******' });
    const cyclic: Record<string, unknown> = { s: 'Sekr3tValue' };
    cyclic.self = cyclic;
    const c = maskSecretsIn(cyclic) as Record<string, unknown>;
    expect(c.s).toBe('******');
    expect(c.self).toBe(c);
  });

  it('masks an error as the same kind of error', () => {
    rememberSecret(owner, 's', 'Sekr3tValue');
    const e = new TypeError('bad Sekr3tValue', { cause: new Error('root Sekr3tValue') });
    const out = maskSecretsIn(e);
    expect(out).toBeInstanceOf(TypeError);
    expect(out.message).toBe('bad ******');
    expect(out.stack).toContain('TypeError: bad ******');
    expect((out.cause as Error).message).toBe('root ******');
    expect(Object.keys(out)).toEqual(Object.keys(e));
  });

  it('forgets a secret deleted, changed, or of an owner that closed, but not one another owner still has', () => {
    rememberSecret(owner, 'a', 'first-value');
    rememberSecret(owner, 'b', 'shared-value');
    rememberSecret(other, 'c', 'shared-value');
    expect(knownSecretValues()).toEqual(['shared-value', 'first-value']);
    rememberSecret(owner, 'a', 'second-value');
    expect(maskSecretsIn('first-value second-value')).toBe('first-value ******');
    forgetSecret(owner, 'a');
    expect(maskSecretsIn('second-value')).toBe('second-value');
    forgetSecretsOf(owner);
    expect(maskSecretsIn('shared-value')).toBe('******');
  });

  it('masks a log record before pino writes it, so every line is whole JSON', () => {
    rememberSecret(owner, 's', '":"\\n');
    const lines: string[] = [];
    const log = pino(
      { level: 'info', ...maskingLogOptions },
      new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }),
    );
    log.info({ f: 'a":"\\nb', n: { m: ['":"\\n'] } }, 'msg ":"\\n %s', '":"\\n');
    log.error(new Error('boom ":"\\n'));
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ f: 'a******b', n: { m: ['******'] }, msg: 'msg ****** ******' });
    expect(second).toMatchObject({ msg: 'boom ******', err: { type: 'Error', message: 'boom ******' } });
  });
});
