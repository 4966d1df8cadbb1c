import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SluiceClient } from '../../src/client/index.ts';
import { closeWithJob, runSluice, startSqlJobWithCli } from '../support/cli.ts';
import { waitFor } from '../support/platform.ts';
import { beijing, COUNTING_SQL, flinkParallelism, profilePlatform, sluiceAt } from '../support/profiles.ts';

const TARGET = 'local-1.20';
const A = 'team-a';
const B = 'team-b';
const JOB_A = 'space-a-job';
const JOB_B = 'space-b-job';

/**
 * Switching per space on the run's shared local session cluster (real Flink 1.20): a job of space
 * team-a and a job of space team-b, both with a `peak` profile (parallelism 2). Switching team-a to
 * peak upgrades its job with a savepoint to parallelism 2, a step in its submissions, and leaves
 * team-b's job as it runs; a switch of team-a scheduled a few seconds ahead brings it back to normal.
 * All through the CLI (`sluice profile switch|status|schedule --space`).
 */
describe('resource profiles per space: a space switch moves the running jobs of that space only', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;

  beforeAll(async () => {
    ({ url, close, client } = await profilePlatform({ boot: true }));
    for (const space of [A, B]) await client.spaces.create(space);
  }, 300_000);
  afterAll(async () => {
    if (url) await runSluice(url, ['job', 'cancel', JOB_B]);
    await closeWithJob({ url, job: JOB_A, close });
  }, 120_000);

  const cli = (args: string[]) => sluiceAt(url).ok(args);
  const refused = (args: string[]) => sluiceAt(url).refused(args);
  const parallelism = (job: string) => flinkParallelism(url, client, job, TARGET);

  it('team-a switched to peak: its job is upgraded with a savepoint to parallelism 2, team-b’s job is untouched', async () => {
    await startSqlJobWithCli(url, JOB_A, COUNTING_SQL, TARGET, A);
    await startSqlJobWithCli(url, JOB_B, COUNTING_SQL, TARGET, B);
    for (const job of [JOB_A, JOB_B]) {
      await cli(['job', 'profile', 'set', job, 'normal', '--parallelism', '1']);
      await cli(['job', 'profile', 'set', job, 'peak', '--parallelism', '2']);
    }
    const beforeA = await parallelism(JOB_A);
    const beforeB = await parallelism(JOB_B);
    expect(beforeA.parallelism).toEqual([1]);
    expect(beforeB.parallelism).toEqual([1]);

    expect(await refused(['profile', 'switch', 'peak'])).toMatch(
      /give exactly one of --space SPACE .* or --target TARGET/,
    );
    expect(await refused(['profile', 'switch', 'peak', '--space', A, '--target', TARGET])).toMatch(
      /give exactly one of --space/,
    );
    expect(await refused(['profile', 'switch', 'peak', '--space', 'nowhere'])).toMatch(
      /space 'nowhere' does not exist/,
    );

    const peak = await cli(['profile', 'switch', 'peak', '--space', A]);
    expect(peak).toMatch(new RegExp(`space ${A}: active profile peak`));
    expect(peak).toMatch(new RegExp(`${JOB_A}\\s+succeeded\\s+2`));
    expect(peak).not.toMatch(JOB_B);
    const atPeak = await parallelism(JOB_A);
    expect(atPeak).toMatchObject({ state: 'RUNNING', parallelism: [2] });
    expect(atPeak.flinkJobId).not.toBe(beforeA.flinkJobId);
    expect(await client.jobs.submission(JOB_A, 2)).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'peak', profileSwitch: `space ${A}` },
    });
    // Restored from the savepoint its stop took.
    expect((await client.jobs.savepoints(JOB_A)).find((s) => s.origin === 'upgrade')).toBeDefined();

    // team-b's job runs on as it was: same Flink job, one submission, no profile active in its space.
    expect(await parallelism(JOB_B)).toEqual({ ...beforeB, state: 'RUNNING' });
    expect((await client.jobs.submissions(JOB_B)).length).toBe(1);
    expect((await client.profiles.spaceActive(B)).activeProfile).toBeNull();
    // The target's active profile is not the space's.
    expect((await client.profiles.active(TARGET)).activeProfile).toBeNull();
    expect(await client.profiles.ofJob(JOB_A)).toMatchObject({
      space: A,
      spaceActiveProfile: 'peak',
      effectiveProfile: 'peak',
    });
    expect(await cli(['profile', 'status', '--space', A])).toMatch(
      new RegExp(`space ${A}: active profile peak[\\s\\S]*${JOB_A}\\s+succeeded\\s+2`),
    );
  }, 300_000);

  it('a switch of team-a scheduled a few seconds ahead brings its job back to normal, as the scheduler', async () => {
    const base = ['profile', 'schedule', 'add', '--space', A];
    const soon = (s: number) => beijing(Date.now() + s * 1000);
    expect(await refused([...base, '--profile', 'nights', '--at', soon(3600)])).toMatch(
      /profile: no job of space team-a has a profile nights \(its jobs have normal, peak\)/,
    );
    const at = soon(15);
    const added = await cli([...base, '--profile', 'normal', '--at', at]);
    const id = Number(/^scheduled switch (\d+): space team-a to profile normal at /.exec(added)?.[1]);
    expect(id).toBeGreaterThan(0);
    // A target's schedule does not list it.
    expect(await client.profiles.schedule(TARGET)).toEqual([]);

    const ran = await waitFor(
      'the scheduled switch to have run',
      async () => (await client.profiles.spaceSchedule(A)).find((s) => s.id === id)?.lastRun ?? undefined,
      60_000,
    );
    expect(ran).toMatchObject({
      outcome: 'switched',
      reason: expect.stringMatching(/^1 job\(s\) to upgrade/),
    });
    const state = await waitFor(
      'the switch to end',
      async () => {
        const s = await client.profiles.spaceActive(A);
        return !s.switching && s.lastSwitch?.finishedAt ? s : undefined;
      },
      240_000,
    );
    expect(state).toMatchObject({
      space: A,
      activeProfile: 'normal',
      lastSwitch: { author: `scheduler (switch ${id})` },
    });
    expect(state.lastSwitch!.jobs).toEqual([
      { job: JOB_A, status: 'succeeded', submission: 3, reason: null },
    ]);
    expect(await client.jobs.submission(JOB_A, 3)).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'normal', profileSwitch: `space ${A}` },
      author: `scheduler (switch ${id}) (profile switch of space ${A} to normal)`,
    });
    expect(await parallelism(JOB_A)).toMatchObject({ state: 'RUNNING', parallelism: [1] });
    expect((await client.jobs.submissions(JOB_B)).length).toBe(1);

    expect(await cli(['profile', 'schedule', 'list', '--space', A])).toMatch(
      new RegExp(`${id}\\s+normal\\s+\\S+\\s+none\\s+-\\s+switched at `),
    );
    await cli(['profile', 'schedule', 'remove', String(id), '--space', A]);
    expect(await refused(['profile', 'schedule', 'remove', String(id), '--space', A])).toMatch(
      new RegExp(`space ${A} has no scheduled switch ${id}`),
    );
    expect(await client.profiles.spaceSchedule(A)).toEqual([]);
  }, 360_000);
});
