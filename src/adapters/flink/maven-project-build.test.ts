import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_BUILDS_DIR, testJars } from '../../../test/support/test-jars.ts';
import { ensureSqlRunnerJar } from './sql-runner/sql-runner-build.ts';

/**
 * One source for every engine: the SQL runner and the test jobs compile against the modules of Flink
 * 1.19 and 2.2 (pulled by Maven) as they do against 1.20's, where the other tests run them.
 */
describe('the Java projects build against each engine release', () => {
  // The runner's builds are keyed by source, release and JDK: a shared folder is safe and makes reruns quick.
  const home = path.join(TEST_BUILDS_DIR, 'home');

  for (const flinkVersion of ['1.19.3', '2.2.0'])
    it(`Flink ${flinkVersion}`, async () => {
      const [jobs, runner] = await Promise.all([
        testJars(flinkVersion),
        ensureSqlRunnerJar({ flinkVersion, sluiceHome: home }),
      ]);
      for (const jar of [jobs.statefulCounter, jobs.failOnPurpose, jobs.udfs, runner.jar])
        expect(fs.statSync(jar).size).toBeGreaterThan(1000);
      expect(runner.jar).toBe(
        path.join(home, 'sql-runner', `flink-${flinkVersion}`, 'sluice-sql-runner.jar'),
      );
    }, 300_000);
});
