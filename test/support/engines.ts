import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { provisionFlink } from '../../src/adapters/flink/provisioning/maven-provisioner.ts';

/**
 * Where the test runs keep the engines they provision: outside the run's scratch folder, so a warm run
 * finds them installed (the provisioner verifies an installation against its manifest and reuses it)
 * instead of assembling each version again from ~/.m2 (20-30 s each). An empty cache is filled.
 */
export const TEST_ENGINES_DIR =
  process.env.SLUICE_TEST_ENGINES_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sluice', 'test-engines');

/**
 * The home of an engine provisioned by the real provisioner for this test run (from ~/.m2, filled from
 * Maven Central the first time), beside the run's 1.20. Only the tests that need another version pay
 * for it, once per run: test files run in parallel, so one lock folder per version lets one assemble
 * it while the others wait, then find it installed.
 */
export async function provisionedEngine(version: string): Promise<string> {
  return provisionEngineLocked(inject('enginesDir'), version);
}

/**
 * `provisionFlink` under a lock folder per version: other test files, and other test runs sharing the
 * cache, wait while one assembles it. A lock whose holder has died is taken over.
 */
export async function provisionEngineLocked(enginesDir: string, version: string): Promise<string> {
  fs.mkdirSync(enginesDir, { recursive: true });
  const lock = path.join(enginesDir, `.lock-${version}`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock, { recursive: false });
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!holderAlive(lock)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Flink ${version} was being provisioned for 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const r = await provisionFlink({
      enginesDir,
      version,
      progress: (l) => process.env.SLUICE_TEST_VERBOSE && console.log(`[provision ${version}] ${l}`),
    });
    return r.home;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** False when the lock's pid file names a process that is gone (a run killed while provisioning). */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet: alive, unless the folder is old (its creator died at once).
    try {
      return Date.now() - fs.statSync(lock).mtimeMs < 10_000;
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
