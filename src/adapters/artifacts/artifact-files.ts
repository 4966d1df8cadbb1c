import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ArtifactBytesMissing,
  type ArtifactStorage,
  type ArtifactStorageLocation,
} from '../../application/ports/artifacts.ts';

/**
 * Where an artifact's bytes lie below a storage's root: `sha256/<ab>/<sha256>.jar`. The local folder
 * and the S3 bucket share it, so that one copy moves a home's artifacts from one to the other.
 */
export const storedPathOf = (sha256: string): string => `sha256/${sha256.slice(0, 2)}/${sha256}.jar`;

/**
 * Artifact bytes on local disk, addressed by their sha256: `<home>/artifacts/sha256/<ab>/<sha256>.jar`.
 * The same bytes uploaded under any name or version are stored once. The S3 storage keeps its local
 * cache in one of these too.
 */
export class ArtifactFiles implements ArtifactStorage {
  readonly location: ArtifactStorageLocation;

  constructor(readonly root: string) {
    this.location = { kind: 'local', dir: root };
  }

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(sha256: string): string {
    return path.join(this.root, storedPathOf(sha256));
  }

  whereIs(sha256: string): string {
    return this.pathOf(sha256);
  }

  /** Writes the bytes once (a temporary file renamed into place, so no reader sees half a jar). */
  async put(bytes: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha256 = ArtifactFiles.sha256(bytes);
    const file = this.pathOf(sha256);
    if (fs.existsSync(file)) return { sha256, created: false };
    await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, bytes, { mode: 0o600 });
    await fs.promises.rename(tmp, file);
    return { sha256, created: true };
  }

  async localCopy(sha256: string): Promise<string> {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) throw new ArtifactBytesMissing(sha256, file);
    return file;
  }

  async exists(sha256: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(sha256));
  }

  async read(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(await this.localCopy(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  async close(): Promise<void> {}
}
