import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The init container's fetcher: one Java source, compiled once per content into the home. */
export const FETCHER_SOURCE = path.join(import.meta.dirname, 'fetcher', 'SluiceFetch.java');
export const FETCHER_CLASS = 'SluiceFetch';

/**
 * The fetcher's class file (Java 11 bytecode, so that any Flink image's JRE runs it), compiled with the
 * JDK Sluice builds the SQL runner with and kept under `<home>/builds/fetcher-<sha>` by its source's hash.
 */
export async function fetcherClass(sluiceHome: string): Promise<Buffer> {
  const source = fs.readFileSync(FETCHER_SOURCE);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = path.join(sluiceHome, 'builds', `fetcher-${key}`);
  const file = path.join(dir, `${FETCHER_CLASS}.class`);
  if (!fs.existsSync(file)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.mkdirSync(tmp, { recursive: true });
    const javac = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
    try {
      await run(javac, ['--release', '11', '-d', tmp, FETCHER_SOURCE]);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      const err = e as { stderr?: string; message: string };
      throw new Error(
        `step 'compile the artifact fetcher' failed: ${javac} --release 11 ${FETCHER_SOURCE}: ${err.stderr || err.message} (a JDK 11 or newer is needed, as for the SQL runner)`,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return fs.readFileSync(file);
}
