import { describe, expect, it } from 'vitest';
import { parseArtifactStorage } from './storage-settings.ts';

const full = {
  SLUICE_ARTIFACT_S3_ENDPOINT: 'http://minio.example.com:9000/',
  SLUICE_ARTIFACT_S3_BUCKET: 'jars',
  SLUICE_ARTIFACT_S3_ACCESS_KEY_ID: 'AKIA-TEST',
  SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY: 'secret-value',
};

describe('parseArtifactStorage (SLUICE_ARTIFACT_S3_*)', () => {
  it('keeps artifacts under the home when no S3 variable is set (empty ones count as unset)', () => {
    expect(parseArtifactStorage({})).toEqual({ kind: 'local' });
    expect(parseArtifactStorage({ SLUICE_ARTIFACT_S3_BUCKET: ' ', SLUICE_HOME: '/x' })).toEqual({
      kind: 'local',
    });
  });

  it('reads a whole configuration: path-style for S3-compatible stores, a prefix ending in /', () => {
    expect(parseArtifactStorage({ ...full, SLUICE_ARTIFACT_S3_PREFIX: '/sluice/prod' })).toEqual({
      kind: 's3',
      endpoint: 'http://minio.example.com:9000',
      bucket: 'jars',
      prefix: 'sluice/prod/',
      region: 'us-east-1',
      pathStyle: true,
      credentials: { accessKeyId: 'AKIA-TEST', secretAccessKey: 'secret-value' },
    });
    // AWS's own endpoints take the bucket in the host name; without keys, the SDK's chain answers.
    expect(
      parseArtifactStorage({
        SLUICE_ARTIFACT_S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
        SLUICE_ARTIFACT_S3_BUCKET: 'jars',
        SLUICE_ARTIFACT_S3_REGION: 'eu-west-1',
      }),
    ).toMatchObject({ prefix: '', region: 'eu-west-1', pathStyle: false, credentials: null });
  });

  it('refuses half a configuration, naming the variable missing and the one given', () => {
    expect(() => parseArtifactStorage({ SLUICE_ARTIFACT_S3_BUCKET: 'jars' })).toThrow(
      'SLUICE_ARTIFACT_S3_ENDPOINT is not set, but SLUICE_ARTIFACT_S3_BUCKET is: S3 artifact storage needs an endpoint (such as http://minio.example.com:9000 or https://s3.eu-west-1.amazonaws.com) and a bucket; set it, or unset every SLUICE_ARTIFACT_S3_* variable to keep artifacts under SLUICE_HOME',
    );
    expect(() => parseArtifactStorage({ SLUICE_ARTIFACT_S3_ENDPOINT: 'http://minio:9000' })).toThrow(
      /^SLUICE_ARTIFACT_S3_BUCKET is not set, but SLUICE_ARTIFACT_S3_ENDPOINT is/,
    );
    expect(() => parseArtifactStorage({ SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY: 's' })).toThrow(
      /^SLUICE_ARTIFACT_S3_ENDPOINT is not set, but SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY is/,
    );
    expect(() => parseArtifactStorage({ ...full, SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY: '' })).toThrow(
      "SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY is not set, but SLUICE_ARTIFACT_S3_ACCESS_KEY_ID is: give both the access key id and the secret access key, or neither to use the AWS SDK's own credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an instance role)",
    );
    expect(() => parseArtifactStorage({ ...full, SLUICE_ARTIFACT_S3_ACCESS_KEY_ID: '' })).toThrow(
      /^SLUICE_ARTIFACT_S3_ACCESS_KEY_ID is not set, but SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY is/,
    );
  });

  it('refuses an endpoint that is not an http(s) URL, without echoing credentials put in it', () => {
    for (const endpoint of ['minio:9000', 'ftp://minio', 'http://minio:9000?x=1'])
      expect(() => parseArtifactStorage({ ...full, SLUICE_ARTIFACT_S3_ENDPOINT: endpoint })).toThrow(
        `SLUICE_ARTIFACT_S3_ENDPOINT: '${endpoint}' is not an http(s) URL without credentials`,
      );
    let said = '';
    try {
      parseArtifactStorage({ ...full, SLUICE_ARTIFACT_S3_ENDPOINT: 'http://key:hunter2@minio:9000' });
    } catch (e) {
      said = (e as Error).message;
    }
    expect(said).toContain("SLUICE_ARTIFACT_S3_ENDPOINT: 'http://***@minio:9000/' is not an http(s) URL");
    expect(said).not.toContain('hunter2');
  });
});
