import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The JVM flag every JVM the tests start on this machine runs with (Flink's processes, its client, the
 * SQL runner and parser, Maven): C1 only. C2's compiler threads took a third to two fifths of a
 * JobManager's CPU until its REST port answered (3.0-4.0 s against 2.0-2.4 s) on a machine whose two
 * cores the suite keeps busy, and these short-lived JVMs never run long enough for C2's code to pay
 * that back.
 */
export const TEST_JVM_FLAGS = ['-XX:TieredStopAtLevel=1'];

/**
 * JAVA_HOME and PATH for the test processes: a Java home whose `bin/java` runs the real one with
 * TEST_JVM_FLAGS, everything else in it (javac, keytool, lib/, release) linked to the real home. Not
 * JAVA_TOOL_OPTIONS: with it every JVM prints "Picked up JAVA_TOOL_OPTIONS" on its stderr, which
 * the tests of what a JVM says there (the SQL runner's first line, an empty stderr) read as its own.
 * Made once per real Java home and flags (under the user's cache), atomically: both lanes' vitest
 * processes load this config at once.
 */
export function c1JavaEnv(env: NodeJS.ProcessEnv = process.env): { JAVA_HOME: string; PATH: string } {
  const found = env.JAVA_HOME
    ? path.join(env.JAVA_HOME, 'bin', 'java')
    : spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8', env }).stdout.trim();
  if (!found || !fs.existsSync(found))
    throw new Error(
      'no java on PATH nor in JAVA_HOME: the tests need Java 17 (apt-get install openjdk-17-jdk)',
    );
  const realHome = path.dirname(path.dirname(fs.realpathSync(found)));
  const key = crypto
    .createHash('sha256')
    .update(`${realHome}\n${TEST_JVM_FLAGS.join(' ')}`)
    .digest('hex')
    .slice(0, 12);
  const cache = path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sluice');
  const home = path.join(cache, `test-java-${key}`);
  if (!fs.existsSync(path.join(home, 'bin', 'java'))) {
    const work = fs.mkdtempSync(`${home}.tmp-`);
    fs.chmodSync(work, 0o755);
    for (const entry of fs.readdirSync(realHome))
      if (entry !== 'bin') fs.symlinkSync(path.join(realHome, entry), path.join(work, entry));
    fs.mkdirSync(path.join(work, 'bin'));
    for (const tool of fs.readdirSync(path.join(realHome, 'bin')))
      if (tool !== 'java') fs.symlinkSync(path.join(realHome, 'bin', tool), path.join(work, 'bin', tool));
    fs.writeFileSync(
      path.join(work, 'bin', 'java'),
      `#!/bin/sh\nexec '${path.join(realHome, 'bin', 'java')}' ${TEST_JVM_FLAGS.join(' ')} "$@"\n`,
      { mode: 0o755 },
    );
    try {
      fs.renameSync(work, home);
    } catch {
      // The other lane made it first: the same content.
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return { JAVA_HOME: home, PATH: `${path.join(home, 'bin')}:${env.PATH ?? ''}` };
}
