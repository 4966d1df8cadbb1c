import yauzl from 'yauzl';
import type { JarFacts } from '../../domain/artifacts/jar-check.ts';

/** The manifest is small; a larger one is not a manifest a JVM would read. */
const MANIFEST_MAX_BYTES = 1 << 20;

import { NotAZipError } from '../../application/ports/artifacts.ts';

export { NotAZipError };

/**
 * Reads a jar's entry names and its manifest from the zip central directory, without extracting
 * anything. yauzl checks the archive's structure (central directory, entry names, sizes) and refuses a
 * file that is not a zip.
 */
export async function readJar(bytes: Buffer): Promise<JarFacts> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true }, (err, z) =>
      err ? reject(new NotAZipError(err.message)) : resolve(z),
    ),
  );
  return new Promise<JarFacts>((resolve, reject) => {
    const entries: string[] = [];
    let manifest: string | null = null;
    const fail = (e: Error) => {
      zip.close();
      reject(new NotAZipError(e.message));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve({ entries, manifest }));
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry.fileName);
      if (
        entry.fileName.toUpperCase() !== 'META-INF/MANIFEST.MF' ||
        entry.uncompressedSize > MANIFEST_MAX_BYTES
      )
        return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', fail);
        stream.on('end', () => {
          manifest = Buffer.concat(chunks).toString('utf8');
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
