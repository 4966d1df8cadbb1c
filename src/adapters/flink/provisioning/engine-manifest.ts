import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export const MANIFEST_FILE = 'sluice-engine.json';

/** What Sluice assembled into an engine folder, so a later run can verify it without Maven. */
export interface EngineManifest {
  flinkVersion: string;
  minor: string;
  assembledAt: string;
  artifacts: { file: string; coordinate: string; sha1: string; size: number }[];
}

export function readManifest(home: string): EngineManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(home, MANIFEST_FILE), 'utf8')) as EngineManifest;
  } catch {
    return undefined;
  }
}

/** Lists what does not match the manifest: missing files, other sizes, other checksums. */
export async function verifyManifest(home: string, m: EngineManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const a of m.artifacts) {
    const f = path.join(home, a.file);
    if (!fs.existsSync(f)) problems.push(`${a.file} is missing`);
    else if (fs.statSync(f).size !== a.size) problems.push(`${a.file} has another size`);
    else if ((await sha1(f)) !== a.sha1) problems.push(`${a.file} has another checksum`);
  }
  return problems;
}

export function sha1(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha1');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
