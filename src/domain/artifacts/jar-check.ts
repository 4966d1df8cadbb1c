import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';

/** What a jar holds, as read from its zip central directory. */
export interface JarFacts {
  /** Every entry's path (`org/acme/Udf.class`, `META-INF/MANIFEST.MF`, ...). */
  entries: string[];
  /** The text of `META-INF/MANIFEST.MF`, or null when it has none. */
  manifest: string | null;
}

/**
 * A manifest's main section as Java reads it: `Name: value` lines, a line starting with one space
 * continues the previous one, and the main section ends at the first empty line.
 */
export function parseManifest(text: string): Record<string, string> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const joined: string[] = [];
  for (const line of lines) {
    if (line === '') break;
    if (line.startsWith(' ') && joined.length) joined[joined.length - 1] += line.slice(1);
    else joined.push(line);
  }
  const out: Record<string, string> = {};
  for (const l of joined) {
    const i = l.indexOf(':');
    if (i > 0) out[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  return out;
}

export const classEntry = (className: string): string => `${className.replace(/\./g, '/')}.class`;

/** A class name as Java writes one (`org.acme.Job`, `Job$Inner`). */
const CLASS_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * Checks that a file is a jar Sluice can use and says why not (what, and how to fix it): it has a
 * manifest, and the entry class it names (given, or its `Main-Class`) is in it. Returns `Main-Class`.
 */
export function checkJar(
  facts: JarFacts,
  fileName: string,
  entryClass?: string | null,
): { mainClass: string | null } {
  if (facts.manifest === null)
    throw new SluiceError('invalid_argument', message('artifact.noManifest', { file: fileName }), {
      field: 'file',
    });
  const mainClass = parseManifest(facts.manifest)['Main-Class'] || null;
  const entries = new Set(facts.entries);
  for (const [cls, field] of [
    [entryClass, 'entryClass'],
    [entryClass ? null : mainClass, 'Main-Class'],
  ] as const) {
    if (!cls) continue;
    if (!CLASS_NAME.test(cls) || !entries.has(classEntry(cls)))
      throw new SluiceError(
        'invalid_argument',
        message(field === 'entryClass' ? 'artifact.noEntryClass' : 'artifact.noMainClass', {
          file: fileName,
          class: cls,
          classes: facts.entries.filter((e) => e.endsWith('.class') && !e.includes('$')).length,
        }),
        { field },
      );
  }
  return { mainClass };
}

/** Size limits of a jar, said before it is read. */
export function checkJarSize(sizeBytes: number, maxBytes: number, fileName: string): void {
  if (sizeBytes === 0)
    throw new SluiceError('invalid_argument', message('artifact.emptyFile', { file: fileName }), {
      field: 'file',
    });
  if (sizeBytes > maxBytes)
    throw new SluiceError(
      'invalid_argument',
      message('artifact.tooLarge', { file: fileName, size: sizeBytes, limit: maxBytes }),
      { field: 'file', limit: maxBytes },
    );
}
