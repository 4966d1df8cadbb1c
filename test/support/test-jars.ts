import os from 'node:os';
import path from 'node:path';
import { buildMavenProject } from '../../src/adapters/flink/maven-project-build.ts';

/** test/jobs: the DataStream jobs and the UDF jar the tests run on real Flink. */
export const TEST_JOBS_PROJECT = path.resolve(import.meta.dirname, '../jobs');

export interface TestJars {
  /** Counts per key in keyed state, printing `key=count` lines; main class in its manifest. */
  statefulCounter: string;
  /** Fails after `--after N` records with "sluice test job failed on purpose after N records". */
  failOnPurpose: string;
  /** dev.sluice.testudfs.Shout (scalar), SplitWords (table), LongestLength (aggregate). */
  udfs: string;
}

export const STATEFUL_COUNTER_MAIN = 'dev.sluice.testjobs.StatefulCounter';
export const FAIL_ON_PURPOSE_MAIN = 'dev.sluice.testjobs.FailOnPurpose';

/**
 * Where test runs keep the jars they build with Maven, keyed by the sources, the release and the JDK
 * (buildMavenProject's stamp): in the user's cache, which survives the machine's temp folder.
 */
export const TEST_BUILDS_DIR =
  process.env.SLUICE_TEST_BUILDS_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sluice', 'test-builds');

/** Builds test/jobs with Maven against one Flink release, once per source change (TEST_BUILDS_DIR). */
export async function testJars(flinkVersion: string): Promise<TestJars> {
  const { jars } = await buildMavenProject({
    projectDir: TEST_JOBS_PROJECT,
    flinkVersion,
    outDir: path.join(TEST_BUILDS_DIR, 'test-jobs', `flink-${flinkVersion}`),
    jars: [
      'stateful-counter/target/stateful-counter.jar',
      'fail-on-purpose/target/fail-on-purpose.jar',
      'udfs/target/udfs.jar',
    ],
    what: 'the test jobs',
    progress: (l) => process.env.SLUICE_TEST_VERBOSE && console.log(`[test-jars] ${l}`),
  });
  const [statefulCounter, failOnPurpose, udfs] = jars as [string, string, string];
  return { statefulCounter, failOnPurpose, udfs };
}
