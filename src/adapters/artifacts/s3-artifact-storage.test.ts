import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Proxy, type TestS3 } from '../../../test/support/s3proxy.ts';
import { freePort } from '../../../test/support/ports.ts';
import { ArtifactBytesMissing } from '../../application/ports/artifacts.ts';
import type { S3StorageSettings } from '../../domain/artifacts/storage-settings.ts';
import { S3ArtifactStorage } from './s3-artifact-storage.ts';

const BUCKET = 'sluice-artifacts';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const keyOf = (sha: string) => `team-a/sha256/${sha.slice(0, 2)}/${sha}.jar`;

/** The S3 artifact storage against a real S3 API server (S3Proxy on its filesystem backend). */
describe('S3ArtifactStorage', () => {
  let s3: TestS3;
  let home: string;
  const opened: S3ArtifactStorage[] = [];
  const settings = (over: Partial<S3StorageSettings> = {}): S3StorageSettings => ({
    endpoint: s3.endpoint,
    bucket: BUCKET,
    prefix: 'team-a/',
    region: 'us-east-1',
    pathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ...over,
  });
  /** A storage with a cache of its own, as one Sluice server has. */
  const open = (over: Partial<S3StorageSettings> = {}) => {
    const storage = new S3ArtifactStorage(settings(over), path.join(home, `cache-${opened.length}`));
    opened.push(storage);
    return storage;
  };

  beforeAll(async () => {
    s3 = await startS3Proxy();
    await s3.createBucket(BUCKET);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-s3-storage-'));
  }, 180_000);
  afterAll(async () => {
    for (const s of opened) await s.close();
    await s3?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('writes bytes once under <prefix>sha256/<ab>/<sha256>.jar, reads them back, and removes them', async () => {
    const storage = open();
    await storage.checkReachable();
    expect(storage.location).toEqual({
      kind: 's3',
      endpoint: s3.endpoint,
      bucket: BUCKET,
      prefix: 'team-a/',
    });
    const bytes = randomBytes(5000);
    const sha = sha256(bytes);
    expect(await storage.put(bytes)).toEqual({ sha256: sha, created: true });
    expect(await s3.keys(BUCKET)).toEqual([keyOf(sha)]);
    expect((await s3.get(BUCKET, keyOf(sha))).equals(bytes)).toBe(true);
    expect(await storage.put(bytes)).toEqual({ sha256: sha, created: false });
    expect(await s3.keys(BUCKET)).toEqual([keyOf(sha)]);

    expect(await storage.exists(sha)).toBe(true);
    expect(await storage.exists(sha256(randomBytes(10)))).toBe(false);
    expect((await storage.read(sha)).equals(bytes)).toBe(true);
    const local = await storage.localCopy(sha);
    expect(local).toBe(path.join(home, 'cache-0', 'sha256', sha.slice(0, 2), `${sha}.jar`));
    expect(fs.readFileSync(local).equals(bytes)).toBe(true);
    expect(storage.whereIs(sha)).toBe(`s3://${BUCKET}/${keyOf(sha)}`);

    await storage.remove(sha);
    expect(await s3.keys(BUCKET)).toEqual([]);
    expect(await storage.exists(sha)).toBe(false);
    expect(fs.existsSync(local)).toBe(false);
    const missing = await storage.localCopy(sha).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ArtifactBytesMissing);
    expect((missing as ArtifactBytesMissing).where).toBe(`s3://${BUCKET}/${keyOf(sha)}`);
  });

  it('downloads what another server stored into its cache, and again after the cache was deleted', async () => {
    const uploader = open();
    const other = open();
    const bytes = randomBytes(70_000);
    const sha = sha256(bytes);
    await uploader.put(bytes);
    // Two users of one jar at once: one download, both get the file.
    const [a, b] = await Promise.all([other.localCopy(sha), other.localCopy(sha)]);
    expect(a).toBe(b);
    expect(sha256(fs.readFileSync(a))).toBe(sha);
    fs.rmSync(other.cache.root, { recursive: true, force: true });
    expect(fs.existsSync(a)).toBe(false);
    expect(await other.localCopy(sha)).toBe(a);
    expect(sha256(fs.readFileSync(a))).toBe(sha);
    await uploader.remove(sha);
  });

  it('refuses bytes that do not hash to their key, and keeps none of them', async () => {
    const storage = open();
    const expected = sha256(randomBytes(100));
    const changed = randomBytes(100);
    await s3.put(BUCKET, keyOf(expected), changed);
    await expect(storage.localCopy(expected)).rejects.toThrow(
      `the bytes of s3://${BUCKET}/${keyOf(expected)} have sha256 ${sha256(changed)}, not ${expected}: the object was changed outside Sluice; nothing was used. Upload the artifact again`,
    );
    await expect(storage.read(expected)).rejects.toThrow(/was changed outside Sluice/);
    expect(await storage.cache.exists(expected)).toBe(false);
    await storage.remove(expected);
  });

  it('says which endpoint and bucket cannot be used, and why', async () => {
    const hint =
      'check SLUICE_ARTIFACT_S3_ENDPOINT, SLUICE_ARTIFACT_S3_BUCKET and the credentials, or unset the SLUICE_ARTIFACT_S3_* variables to keep artifacts under SLUICE_HOME';
    const port = await freePort();
    await expect(open({ endpoint: `http://127.0.0.1:${port}` }).checkReachable()).rejects.toThrow(
      `the S3 artifact storage cannot be used: HeadBucket of bucket ${BUCKET} at http://127.0.0.1:${port} failed (connect ECONNREFUSED 127.0.0.1:${port}); ${hint}`,
    );
    await expect(open({ bucket: 'no-such-bucket' }).checkReachable()).rejects.toThrow(
      `HeadBucket of bucket no-such-bucket at ${s3.endpoint} failed (HTTP 404 Not Found); ${hint}`,
    );
    const wrongSecret = open({
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    await expect(wrongSecret.checkReachable()).rejects.toThrow(
      `HeadBucket of bucket ${BUCKET} at ${s3.endpoint} failed (HTTP 403 Forbidden); ${hint}`,
    );
    // After the start, a failing call says which object and what the store answered.
    const bytes = randomBytes(10);
    await expect(wrongSecret.put(bytes)).rejects.toThrow(
      `the S3 artifact storage (endpoint ${s3.endpoint}): HeadObject of s3://${BUCKET}/${keyOf(sha256(bytes))} failed (HTTP 403 Forbidden)`,
    );
  });
});
