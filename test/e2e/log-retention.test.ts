import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogRetentionAge } from '../../src/domain/logs/log-retention.ts';
import { testPlatform, type TestPlatform } from '../support/platform.ts';

const TARGET = 'local-application-1.20';
const DAY = 86_400_000;

/** Sets a file's or folder's times back to `at`, with everything in it. */
function setBack(p: string, at: Date): void {
  if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) setBack(path.join(p, e), at);
  fs.utimesSync(p, at, at);
}

/**
 * The platform's own pass of the log retention (hourly while it runs; called here rather than waited
 * for) over the run folders of its local application target: real folders as a run leaves them, whose
 * times are set back.
 */
describe('log retention by age, applied by the platform', () => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await testPlatform({
      config: { logRetention: { runs: 10, maxAge: parseLogRetentionAge('36h', 'SLUICE_LOG_RETENTION') } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const runOf = (job: string, n: number, daysAgo: number) => {
    const id = n.toString(16).padStart(32, 'a');
    const dir = path.join(t.home, 'applications', TARGET, job, id);
    fs.mkdirSync(path.join(dir, 'log'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'log', 'jobmanager.log'), `run ${n}\n`);
    setBack(dir, new Date(Date.now() - daysAgo * DAY));
    return dir;
  };

  it('deletes the runs older than SLUICE_LOG_RETENTION, keeps the younger, and says so in its log', async () => {
    const old = runOf('orders', 1, 3);
    const young = runOf('orders', 2, 1);
    const alone = runOf('clicks', 3, 2);
    await t.platform.pruneLogs();
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(alone)).toBe(false);
    expect(fs.readFileSync(path.join(young, 'log', 'jobmanager.log'), 'utf8')).toBe('run 2\n');
    const said = fs
      .readFileSync(path.join(t.home, 'sluice.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('deleted the files of an earlier run'))
      .map((l) => (JSON.parse(l) as { msg: string }).msg)
      .sort();
    expect(said).toEqual(
      [alone, old]
        .map(
          (d) =>
            `deleted the files of an earlier run (10 runs kept, none older than 36h; SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION): ${d}`,
        )
        .sort(),
    );
  });
});
