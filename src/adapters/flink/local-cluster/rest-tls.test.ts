import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readFlinkRestTls,
  recordedRestTls,
  recordRestTls,
  restTlsOf,
  type FlinkRestTls,
} from './rest-tls.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-rest-tls-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A keys' folder as ensureFlinkRestTls leaves it (the stores' bytes do not matter here). */
function keysIn(name: string): FlinkRestTls {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['ca.p12', 'flink.p12', 'truststore.p12']) fs.writeFileSync(path.join(dir, f), 'store');
  fs.writeFileSync(path.join(dir, 'ca.pem'), `-----BEGIN CERTIFICATE-----\n${name}\n`);
  fs.writeFileSync(path.join(dir, 'password'), `${name}-pw\n`);
  return readFlinkRestTls(dir)!;
}

describe("the doors of a local cluster's processes", () => {
  const home = keysIn('home');
  const other = keysIn('other');

  it('reads a complete set of keys only', () => {
    expect(home).toMatchObject({ password: 'home-pw', keystore: path.join(home.dir, 'flink.p12') });
    fs.rmSync(path.join(other.dir, 'password'));
    expect(readFlinkRestTls(other.dir)).toBeNull();
    fs.writeFileSync(path.join(other.dir, 'password'), 'other-pw\n');
  });

  it('are the wanted ones when nothing of the cluster runs', () => {
    const root = path.join(scratch, 'fresh');
    expect(restTlsOf(root, false, home)).toBe(home);
    expect(restTlsOf(root, false, null)).toBeNull();
  });

  it('stay those its live processes were started with until they are restarted', () => {
    const root = path.join(scratch, 'running');
    // Started by a Sluice from before the doors: plain HTTP, whatever is wanted now.
    expect(recordedRestTls(root)).toBeUndefined();
    expect(restTlsOf(root, true, home)).toBeNull();
    recordRestTls(root, null);
    expect(recordedRestTls(root)).toBeNull();
    expect(restTlsOf(root, true, home)).toBeNull();
    recordRestTls(root, home);
    expect(restTlsOf(root, true, home)).toBe(home);
    // Started with TLS, now wanted plain (SLUICE_FLINK_REST_TLS=off): TLS until restarted.
    expect(restTlsOf(root, true, null)).toEqual(home);
    // Started with another home's keys (a cluster attached from elsewhere): those keys.
    recordRestTls(root, other);
    expect(restTlsOf(root, true, home)).toEqual(other);
  });
});
