import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_BUILDS_DIR } from './test-jars.ts';

/** Writes Java sources into `src` and compiles them with javac against an engine's own lib/ into `classes`. */
export function compileAgainstEngine(
  engineHome: string,
  src: string,
  classes: string,
  java: Record<string, string>,
): void {
  for (const [file, text] of Object.entries(java)) fs.writeFileSync(path.join(src, file), text);
  const lib = path.join(engineHome, 'lib');
  const classpath = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => path.join(lib, f))
    .join(':');
  execFileSync('javac', [
    '-nowarn',
    '-cp',
    classpath,
    '-d',
    classes,
    ...Object.keys(java).map((f) => path.join(src, f)),
  ]);
}

/** The JDK the PATH's javac belongs to, found without starting a JVM. */
function javacHome(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const javac = path.join(dir, 'javac');
    if (fs.existsSync(javac)) return fs.realpathSync(javac);
  }
  return 'javac';
}

/**
 * A jar built by `build` into `jar`, reused from TEST_BUILDS_DIR when one was built before from the same
 * `inputs` (the sources and what else shapes the bytes), the same engine's lib/ and the same JDK: each
 * javac and jar run starts a JVM, 3-5 s a jar on the 2-core test machine, and the same few jars were
 * built again by every file (and run) that used them. `jar` gets its own copy.
 */
export function cachedJar(
  jar: string,
  engineHome: string,
  inputs: unknown,
  build: (jar: string) => void,
): string {
  const lib = path.join(engineHome, 'lib');
  const libJars = fs
    .readdirSync(lib)
    .sort()
    .map((f) => `${f}:${fs.statSync(path.join(lib, f)).size}`);
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify({ inputs, libJars, javac: javacHome(), name: path.basename(jar) }))
    .digest('hex')
    .slice(0, 32);
  const dir = path.join(TEST_BUILDS_DIR, 'javac');
  const kept = path.join(dir, `${key}.jar`);
  if (!fs.existsSync(kept)) {
    build(jar);
    fs.mkdirSync(dir, { recursive: true });
    // Another run may keep the same jar at the same moment: a rename never leaves half a file behind.
    const partial = `${kept}.${process.pid}.${Date.now()}`;
    fs.copyFileSync(jar, partial);
    fs.renameSync(partial, kept);
    return jar;
  }
  fs.mkdirSync(path.dirname(jar), { recursive: true });
  fs.copyFileSync(kept, jar);
  return jar;
}
