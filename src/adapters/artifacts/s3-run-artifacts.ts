import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3StorageSettings } from '../../domain/artifacts/storage-settings.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { ArtifactFiles, storedPathOf } from './artifact-files.ts';
import { artifactFileName } from './submission-artifacts.ts';
import { isStatus, s3Cause, s3ClientOf } from './s3-artifact-storage.ts';

const RUN_ID = /^[0-9a-f]{32}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** One jar of a run in the bucket: what the fetcher checks it against, and the key its URL is signed for. */
export interface RunObject {
  sha256: string;
  size: number;
  /** Its name in the pods' usrlib: numbered, so that the classpath keeps the run's order. */
  name: string;
  key: string;
  /** A content-addressed artifact object (`sha256/...`), shared with the artifact store: never deleted here. */
  shared: boolean;
}

/**
 * The jars of the runs whose pods fetch them straight from the platform's artifact bucket (a
 * Kubernetes target with `artifactsFrom: s3`). A jar that is an artifact is already there, keyed by its
 * sha256, and is only signed for; the others (the SQL runner jar...) are put under
 * `<prefix>runs/<flinkJobId>/`, deleted with the run's cluster. The pods get presigned GET URLs, so
 * they hold no credential and need no route to Sluice; the URLs name the endpoint as the pods reach
 * it (`podsEndpoint`), which may not be the server's.
 */
export class S3RunArtifacts {
  private readonly client: S3Client;
  private readonly signer: S3Client;

  constructor(
    private readonly settings: S3StorageSettings,
    podsEndpoint: string | null,
  ) {
    this.client = s3ClientOf(settings);
    this.signer =
      podsEndpoint && podsEndpoint !== settings.endpoint ? s3ClientOf(settings, podsEndpoint) : this.client;
  }

  /** The key prefix of a run's own objects. */
  runPrefix(flinkJobId: string): string {
    if (!RUN_ID.test(flinkJobId)) throw new Error(`not a Flink job id: ${flinkJobId}`);
    return `${this.settings.prefix}runs/${flinkJobId}/`;
  }

  where(key: string): string {
    return `s3://${this.settings.bucket}/${key}`;
  }

  /** Puts the run's jars (in classpath order) where the pods fetch them, reusing the artifacts' own objects. */
  async put(flinkJobId: string, jars: string[]): Promise<RunObject[]> {
    const prefix = this.runPrefix(flinkJobId);
    const objects: RunObject[] = [];
    for (const [i, jar] of jars.entries()) {
      const name = artifactFileName(jar, i);
      const bytes = fs.readFileSync(jar);
      const sha256 = ArtifactFiles.sha256(bytes);
      const stored = `${this.settings.prefix}${storedPathOf(sha256)}`;
      if (await this.exists(stored)) {
        objects.push({ sha256, size: bytes.length, name, key: stored, shared: true });
        continue;
      }
      const key = `${prefix}${name}`;
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.settings.bucket,
            Key: key,
            Body: bytes,
            ContentType: 'application/java-archive',
            ContentMD5: createHash('md5').update(bytes).digest('base64'),
            Metadata: { sha256 },
          }),
        );
      } catch (e) {
        throw this.failed('PutObject', key, e);
      }
      objects.push({ sha256, size: bytes.length, name, key, shared: false });
    }
    return objects;
  }

  /**
   * The fetcher's listing: `sha256 size name URL` per line, each URL a GET presigned at `now` for
   * `ttlSeconds` (rewritten before it expires while the run lives).
   */
  async listing(objects: RunObject[], now: Date, ttlSeconds: number): Promise<string> {
    const lines: string[] = [];
    for (const o of objects) {
      const url = await getSignedUrl(
        this.signer,
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: o.key }),
        { expiresIn: ttlSeconds, signingDate: now },
      );
      lines.push(`${o.sha256} ${o.size} ${o.name} ${url}\n`);
    }
    return lines.join('');
  }

  /** Deletes the run's own objects (never the shared artifact objects); the keys deleted. */
  async remove(flinkJobId: string): Promise<string[]> {
    const prefix = this.runPrefix(flinkJobId);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.settings.bucket,
            Prefix: prefix,
            ContinuationToken: token,
          }),
        );
        keys.push(...(page.Contents ?? []).map((c) => c.Key!).filter(Boolean));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.failed('ListObjectsV2', prefix, e);
    }
    for (const key of keys)
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      } catch (e) {
        if (!isStatus(e, 404)) throw this.failed('DeleteObject', key, e);
      }
    return keys;
  }

  async close(): Promise<void> {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return true;
    } catch (e) {
      if (isStatus(e, 404)) return false;
      throw this.failed('HeadObject', key, e);
    }
  }

  private failed(operation: string, key: string, e: unknown): SluiceError {
    return new SluiceError(
      'engine_unavailable',
      message('artifact.s3Failed', {
        endpoint: this.settings.endpoint,
        operation,
        where: this.where(key),
        cause: s3Cause(e),
      }),
    );
  }
}

/**
 * The run's objects as the `-artifacts` Secret keeps them beside the listing (`sha256 size name key`
 * per line, no URL), so that a renewal signs them again, also in a platform process that adopted the run.
 */
export function objectsText(objects: RunObject[]): string {
  return objects.map((o) => `${o.sha256} ${o.size} ${o.name} ${o.key}\n`).join('');
}

export function objectsOf(text: string, runPrefix: string): RunObject[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const [sha256, size, name, key, extra] = line.split(' ');
      if (
        !sha256 ||
        !SHA256.test(sha256) ||
        !name ||
        !key ||
        extra !== undefined ||
        !/^\d+$/.test(size ?? '')
      )
        throw new Error(`not a line Sluice writes in a run's objects: ${line}`);
      return { sha256, size: Number(size), name, key, shared: !key.startsWith(runPrefix) };
    });
}
