import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { provisionFlink } from '../../src/adapters/flink/provisioning/maven-provisioner.ts';

/**
 * The home of an engine provisioned by the real provisioner for this test run (from ~/.m2, filled from
 * Maven Central the first time), beside the run's 1.20. Only the tests that need another version pay
 * for it, once per run: test files run in parallel, so one lock folder per version lets one assemble
 * it while the others wait, then find it installed.
 */
export async function provisionedEngine(version: string): Promise<string> {
  const enginesDir = inject('enginesDir');
  const lock = path.join(enginesDir, `.lock-${version}`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock, { recursive: false });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
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
    fs.rmdirSync(lock);
  }
}
