import { describe, expect, it } from 'vitest';
import {
  authorOf,
  callerOf,
  exposureWarning,
  hostAllowed,
  hostNameOf,
  isLoopbackHost,
  parseAllowedOrigins,
  type RequestPolicy,
} from './request-origin.ts';

const policy: RequestPolicy = { listenHost: '127.0.0.1', allowedHosts: [], allowedOrigins: [] };

describe('where a request comes from', () => {
  it('reads the host name of a Host header, IPv6 included, and nothing else', () => {
    expect(hostNameOf('LocalHost:8080')).toBe('localhost');
    expect(hostNameOf('[::1]:8080')).toBe('::1');
    expect(hostNameOf('[fe80::1]')).toBe('fe80::1');
    for (const bad of ['', '[evil.example]', 'a/b', 'user@localhost', 'localhost:8080:1', ' localhost'])
      expect(hostNameOf(bad), bad).toBeNull();
  });

  it('serves IP addresses, localhost names and the name it listens on, which no rebinding can fake', () => {
    expect(hostAllowed('sluice.internal:8080', { ...policy, listenHost: 'sluice.internal' })).toBe(true);
    expect(hostAllowed('sluice.internal:8080', policy)).toBe(false);
    expect(hostAllowed('192.168.1.20:8080', policy)).toBe(true);
    expect(hostAllowed('[2001:db8::1]', policy)).toBe(true);
    expect(hostAllowed('localhost.', policy)).toBe(false);
    expect(hostAllowed(undefined, policy)).toBe(true);
  });

  it("knows this server's own pages by the Host they were sent to, in any spelling of the port", () => {
    expect(callerOf({ host: 'localhost:8080', origin: 'http://localhost:8080' }, policy).kind).toBe('own');
    expect(callerOf({ host: 'sluice.example.com', origin: 'https://sluice.example.com' }, policy).kind).toBe(
      'own',
    );
    expect(
      callerOf({ host: 'sluice.example.com:443', origin: 'https://sluice.example.com' }, policy).kind,
    ).toBe('own');
    expect(callerOf({ host: '[::1]:8080', origin: 'http://[::1]:8080' }, policy).kind).toBe('own');
    // The same host on another port is another page (another local web app).
    expect(callerOf({ host: 'localhost:8080', origin: 'http://localhost:8081' }, policy)).toMatchObject({
      kind: 'foreign',
      origin: 'http://localhost:8081',
    });
    // A Referer that is not a URL, or names no origin, is no proof of being at home.
    expect(callerOf({ host: 'localhost:8080', referer: 'about:blank' }, policy)).toMatchObject({
      kind: 'foreign',
      origin: null,
    });
    expect(callerOf({ host: 'localhost:8080', referer: '::::' }, policy).kind).toBe('foreign');
    expect(callerOf({ host: 'localhost:8080', secFetchSite: 'same-origin' }, policy).kind).toBe('none');
    expect(callerOf({ host: 'localhost:8080', secFetchSite: 'none' }, policy).kind).toBe('none');
    expect(callerOf({ host: 'localhost:8080' }, policy).kind).toBe('none');
    // Origin wins over a Referer that would pass.
    expect(
      callerOf(
        { host: 'localhost:8080', origin: 'http://evil.example', referer: 'http://localhost:8080/' },
        policy,
      ).kind,
    ).toBe('foreign');
  });

  it('trusts the configured origins exactly, in their normal spelling', () => {
    const trusting = { ...policy, allowedOrigins: parseAllowedOrigins('HTTPS://Ops.Example.com:443') };
    expect(trusting.allowedOrigins).toEqual(['https://ops.example.com']);
    expect(callerOf({ host: 'localhost:8080', origin: 'https://ops.example.com' }, trusting)).toEqual({
      kind: 'trusted',
      origin: 'https://ops.example.com',
    });
    expect(callerOf({ host: 'localhost:8080', origin: 'http://ops.example.com' }, trusting).kind).toBe(
      'foreign',
    );
    expect(() => parseAllowedOrigins('https://ops.example.com/')).toThrow(/is not an origin/);
    expect(() => parseAllowedOrigins('null')).toThrow(/would let every web site/);
  });

  it('names as author the signed-in user and how it proved it, never a claim', () => {
    expect(authorOf({ user: 'carol', via: { kind: 'session' } })).toBe('carol (console)');
    expect(authorOf({ user: 'ci', via: { kind: 'token', id: '3f2a9c0d1e2b4a5c' } })).toBe(
      'ci (token 3f2a9c0d1e2b4a5c)',
    );
    expect(authorOf({ user: 'admin', via: { kind: 'cli-token' } })).toBe('admin (cli-token)');
  });

  it('calls loopback only what never leaves this machine', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
    ])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'myhost', '::ffff:10.0.0.1', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
    expect(exposureWarning('127.0.0.1')).toBeNull();
    expect(exposureWarning('::')).toMatchObject({
      code: 'server.exposedWithoutTls',
      params: { host: '::' },
    });
  });
});
