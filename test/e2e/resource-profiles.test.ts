import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SluiceClient } from '../../src/client/index.ts';
import { closeWithJob, startSqlJobWithCli } from '../support/cli.ts';
import {
  COUNTING_SQL,
  flinkParallelism as parallelismOf,
  profilePlatform,
  sluiceAt,
} from '../support/profiles.ts';

const JOB = 'profiled';
const TARGET = 'local-1.20';

/**
 * A running SQL job on the run's shared local session cluster (real Flink 1.20) with a `normal`
 * (parallelism 1) and a `peak` (parallelism 2) profile: switching the target to peak upgrades it with
 * a savepoint and Flink runs it with parallelism 2; switching back to normal gives 1. All through the CLI.
 */
describe('resource profiles: a target switch moves its running job between profiles', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;

  beforeAll(async () => {
    ({ url, close, client } = await profilePlatform());
  }, 300_000);
  afterAll(() => closeWithJob({ url, job: JOB, close }), 120_000);

  const flinkParallelism = () => parallelismOf(url, client, JOB, TARGET);
  const cli = (args: string[]) => sluiceAt(url).ok(args);

  it('peak upgrades it with a savepoint to parallelism 2, normal brings it back to 1', async () => {
    await startSqlJobWithCli(url, JOB, COUNTING_SQL, TARGET);
    await cli(['job', 'profile', 'set', JOB, 'normal', '--parallelism', '1']);
    await cli([
      'job',
      'profile',
      'set',
      JOB,
      'peak',
      '--parallelism',
      '2',
      '--option',
      'execution.checkpointing.interval=30s',
    ]);
    expect(await cli(['job', 'profile', 'list', JOB])).toMatch(
      /peak\s+2\s+execution\.checkpointing\.interval=30s/,
    );
    const before = await flinkParallelism();
    expect(before.parallelism).toEqual([1]);

    const peak = await cli(['target', 'profile', TARGET, 'peak']);
    expect(peak).toMatch(new RegExp(`target ${TARGET}: active profile peak`));
    expect(peak).toMatch(new RegExp(`${JOB}\\s+succeeded\\s+2`));
    const atPeak = await flinkParallelism();
    expect(atPeak).toMatchObject({ state: 'RUNNING', parallelism: [2] });
    expect(atPeak.flinkJobId).not.toBe(before.flinkJobId);
    const upgrade = await client.jobs.submission(JOB, 2);
    expect(upgrade).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'peak', profileSwitch: TARGET },
    });
    // Restored from the savepoint its stop took.
    const savepoints = await client.jobs.savepoints(JOB);
    expect(savepoints.find((s) => s.origin === 'upgrade')).toBeDefined();

    const normal = await cli(['target', 'profile', TARGET, 'normal']);
    expect(normal).toMatch(new RegExp(`${JOB}\\s+succeeded\\s+3`));
    expect(await flinkParallelism()).toMatchObject({ state: 'RUNNING', parallelism: [1] });
    expect((await client.profiles.active(TARGET)).lastSwitch).toMatchObject({
      profile: 'normal',
      from: 'peak',
    });
  }, 300_000);
});
