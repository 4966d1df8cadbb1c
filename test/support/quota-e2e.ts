import { afterAll, beforeAll, expect } from 'vitest';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { servedPlatform } from './cli.ts';
import { clusterJvmsUnder } from './jvms.ts';

/**
 * What the quota e2e files share (quotas of a target, quotas of a space): a platform served for the
 * file, closed after it with no JVM left, and a submission waited for to its end.
 */

/** A job that runs until stopped. */
export const RUNNING_SQL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`;

/** Registers the file's hooks; `served()` is the platform once beforeAll ran. */
export function quotaPlatform() {
  let served: Awaited<ReturnType<typeof servedPlatform>>;
  beforeAll(async () => {
    served = await servedPlatform();
  }, 300_000);
  afterAll(async () => {
    await served?.close();
    expect(clusterJvmsUnder(served.t.home)).toEqual([]);
  }, 120_000);
  return {
    served: () => served,
    /** The submission as stored once it ended. */
    finished: async (s: Submission | Promise<Submission>) => {
      const sub = await s;
      await served.t.platform.submissions.wait(sub.id);
      return (await served.t.platform.store.lifecycle.submission(sub.id))!;
    },
    job: (name: string) => served.t.platform.jobs.get(name),
  };
}
