import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Artifact bytes on local disk, addressed by their sha256: `<home>/artifacts/sha256/<ab>/<sha256>.jar`.
 * The same bytes uploaded under any name or version are stored once.
 */
export class ArtifactFiles {
  constructor(readonly root: string) {}

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(sha256: string): string {
    return path.join(this.root, 'sha256', sha256.slice(0, 2), `${sha256}.jar`);
  }

  /** Writes the bytes once (a temporary file renamed into place, so no reader sees half a jar). */
  put(bytes: Buffer): { sha256: string; path: string; created: boolean } {
    const sha256 = ArtifactFiles.sha256(bytes);
    const file = this.pathOf(sha256);
    if (fs.existsSync(file)) return { sha256, path: file, created: false };
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomUUID()}.tmp`;
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    fs.renameSync(tmp, file);
    return { sha256, path: file, created: true };
  }

  exists(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  read(sha256: string): Buffer {
    return fs.readFileSync(this.pathOf(sha256));
  }

  remove(sha256: string): void {
    fs.rmSync(this.pathOf(sha256), { force: true });
  }
}
