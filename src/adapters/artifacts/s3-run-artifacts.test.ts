import { afterAll, describe, expect, it } from 'vitest';
import type { S3StorageSettings } from '../../domain/artifacts/storage-settings.ts';
import { objectsOf, objectsText, S3RunArtifacts, type RunObject } from './s3-run-artifacts.ts';

const settings: S3StorageSettings = {
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'flink-artifacts',
  prefix: 'sluice/prod/',
  region: 'us-east-1',
  pathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
};
const ID = '0123456789abcdef0123456789abcdef';
const SHA = 'ab'.repeat(32);
const objects: RunObject[] = [
  {
    sha256: SHA,
    size: 1234,
    name: '00-sluice-sql-runner.jar',
    key: `sluice/prod/runs/${ID}/00-sluice-sql-runner.jar`,
    shared: false,
  },
  {
    sha256: 'cd'.repeat(32),
    size: 99,
    name: '01-udf.jar',
    key: `sluice/prod/sha256/cd/${'cd'.repeat(32)}.jar`,
    shared: true,
  },
];
const AT = new Date('2026-12-05T12:00:00Z');

describe("a run's jars in the artifact bucket", () => {
  const server = new S3RunArtifacts(settings, null);
  const pods = new S3RunArtifacts(settings, 'http://minio.storage:9000');
  afterAll(async () => {
    await server.close();
    await pods.close();
  });

  it('are listed for the fetcher with a GET URL each, presigned at the given time for the given life', async () => {
    const listing = await pods.listing(objects, AT, 600);
    const lines = listing.split('\n');
    expect(lines.at(-1)).toBe('');
    const [first, second] = lines.map((l) => l.split(' '));
    expect(first!.slice(0, 3)).toEqual([SHA, '1234', '00-sluice-sql-runner.jar']);
    expect(second!.slice(0, 3)).toEqual(['cd'.repeat(32), '99', '01-udf.jar']);
    const url = new URL(first![3]!);
    // Signed for the endpoint the pods reach, path-style, with no credential but the key id in it.
    expect(`${url.origin}${url.pathname}`).toBe(
      `http://minio.storage:9000/flink-artifacts/sluice/prod/runs/${ID}/00-sluice-sql-runner.jar`,
    );
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261205T120000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261205/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(listing).not.toContain(settings.credentials!.secretAccessKey);
    expect(new URL(second![3]!).pathname).toBe(
      `/flink-artifacts/sluice/prod/sha256/cd/${'cd'.repeat(32)}.jar`,
    );
  });

  it('are signed again the same way at the same time, and differently later (a renewal)', async () => {
    const once = await pods.listing(objects, AT, 600);
    expect(await pods.listing(objects, AT, 600)).toBe(once);
    const later = await pods.listing(objects, new Date(AT.getTime() + 200_000), 600);
    expect(later).not.toBe(once);
    expect(new URL(later.split('\n')[0]!.split(' ')[3]!).searchParams.get('X-Amz-Date')).toBe(
      '20261205T120320Z',
    );
  });

  it("are signed for the server's own endpoint when the pods reach the same", async () => {
    const url = new URL((await server.listing(objects.slice(0, 1), AT, 600)).split(' ')[3]!.trim());
    expect(url.host).toBe('127.0.0.1:9000');
  });

  it("are kept in the run's Secret without URLs, read back as they were; shared ones are told apart", () => {
    const text = objectsText(objects);
    expect(text).toBe(
      `${SHA} 1234 00-sluice-sql-runner.jar sluice/prod/runs/${ID}/00-sluice-sql-runner.jar\n${'cd'.repeat(32)} 99 01-udf.jar sluice/prod/sha256/cd/${'cd'.repeat(32)}.jar\n`,
    );
    expect(objectsOf(text, server.runPrefix(ID))).toEqual(objects);
    expect(() => objectsOf(`${SHA} 12 a.jar key extra\n`, server.runPrefix(ID))).toThrow(
      "not a line Sluice writes in a run's objects",
    );
    expect(() => server.runPrefix('../x')).toThrow('not a Flink job id');
  });
});
