import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ArtifactBytesMissing,
  type ArtifactStorage,
  type ArtifactStorageLocation,
} from '../../application/ports/artifacts.ts';
import type { S3StorageSettings } from '../../domain/artifacts/storage-settings.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { ArtifactFiles, storedPathOf } from './artifact-files.ts';

/** What an S3 call's failure says: the HTTP status and S3's error code, or the network's reason. */
export function s3Cause(e: unknown): string {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = e instanceof Error ? e.name : '';
  if (status) {
    // A HEAD answer has no body: the SDK then names the error after the status, or 'Unknown'.
    const code = name && !['Unknown', 'UnknownError', 'NotFound'].includes(name) ? ` ${name}` : '';
    return `HTTP ${status} ${STATUS_CODES[status] ?? ''}${code}`.trim();
  }
  return e instanceof Error ? (e.message ? e.message : e.name) : String(e);
}

export const isStatus = (e: unknown, ...statuses: number[]) =>
  statuses.includes((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0);

/** A client of the bucket's store at `endpoint` (the server's own by default). */
export function s3ClientOf(settings: S3StorageSettings, endpoint = settings.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Checksums as every S3-compatible store takes them (Content-MD5 below), not the SDK's newer
    // CRC headers, which some stores refuse.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // An endpoint that swallows packets fails within seconds instead of hanging a start or an upload.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    maxAttempts: 3,
  });
}

/**
 * Artifact bytes in an S3-compatible bucket, keyed `<prefix>sha256/<ab>/<sha256>.jar`, each written
 * once. Flink, the JobManager's jar upload and the UDF scanner read files, so every object used on
 * this machine is kept in a local cache (`cacheDir`, laid out as the local storage): filled at upload,
 * downloaded on demand otherwise, and only after its bytes hash to the sha256 of its key.
 */
export class S3ArtifactStorage implements ArtifactStorage {
  readonly location: ArtifactStorageLocation;
  readonly cache: ArtifactFiles;
  private readonly client: S3Client;
  /** Downloads under way, so that two users of one jar wait for a single copy. */
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(
    private readonly settings: S3StorageSettings,
    cacheDir: string,
  ) {
    this.location = {
      kind: 's3',
      endpoint: settings.endpoint,
      bucket: settings.bucket,
      prefix: settings.prefix,
    };
    this.cache = new ArtifactFiles(cacheDir);
    this.client = s3ClientOf(settings);
  }

  keyOf(sha256: string): string {
    return `${this.settings.prefix}${storedPathOf(sha256)}`;
  }

  whereIs(sha256: string): string {
    return `s3://${this.settings.bucket}/${this.keyOf(sha256)}`;
  }

  /** Checks at start that the bucket answers with these credentials (HeadBucket). */
  async checkReachable(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (e) {
      throw new SluiceError(
        'prerequisite_missing',
        message('artifact.s3Unreachable', {
          bucket: this.settings.bucket,
          endpoint: this.settings.endpoint,
          cause: s3Cause(e),
        }),
      );
    }
  }

  async put(bytes: Buffer): Promise<{ sha256: string; created: boolean }> {
    const { sha256 } = await this.cache.put(bytes);
    if (await this.exists(sha256)) return { sha256, created: false };
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.keyOf(sha256),
          Body: bytes,
          ContentType: 'application/java-archive',
          // The store refuses bytes that were changed on the way.
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          Metadata: { sha256 },
          // Written once: the same key always holds the same bytes.
          IfNoneMatch: '*',
        }),
      );
    } catch (e) {
      // Another upload of the same bytes won the race: they are there.
      if (isStatus(e, 412)) return { sha256, created: false };
      throw this.failed('PutObject', sha256, e);
    }
    return { sha256, created: true };
  }

  async localCopy(sha256: string): Promise<string> {
    if (await this.cache.exists(sha256)) return this.cache.pathOf(sha256);
    const under = this.downloads.get(sha256);
    if (under) return under;
    const download = this.download(sha256).finally(() => this.downloads.delete(sha256));
    this.downloads.set(sha256, download);
    return download;
  }

  private async download(sha256: string): Promise<string> {
    let bytes: Buffer;
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }),
      );
      if (!got.Body) throw new Error('the answer has no body');
      bytes = Buffer.from(await got.Body.transformToByteArray());
    } catch (e) {
      if (isStatus(e, 404)) throw new ArtifactBytesMissing(sha256, this.whereIs(sha256));
      throw this.failed('GetObject', sha256, e);
    }
    const actual = ArtifactFiles.sha256(bytes);
    if (actual !== sha256)
      throw new SluiceError(
        'precondition_failed',
        message('artifact.s3ChecksumMismatch', { where: this.whereIs(sha256), actual, expected: sha256 }),
      );
    await this.cache.put(bytes);
    return this.cache.pathOf(sha256);
  }

  async read(sha256: string): Promise<Buffer> {
    await this.localCopy(sha256);
    return this.cache.read(sha256);
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }),
      );
      return true;
    } catch (e) {
      if (isStatus(e, 404)) return false;
      throw this.failed('HeadObject', sha256, e);
    }
  }

  async remove(sha256: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }),
      );
    } catch (e) {
      if (!isStatus(e, 404)) throw this.failed('DeleteObject', sha256, e);
    }
    await this.cache.remove(sha256);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private failed(operation: string, sha256: string, e: unknown): SluiceError {
    return new SluiceError(
      'engine_unavailable',
      message('artifact.s3Failed', {
        endpoint: this.settings.endpoint,
        operation,
        where: this.whereIs(sha256),
        cause: s3Cause(e),
      }),
    );
  }
}
