import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SluiceClient } from '../../src/client/index.ts';
import { closeWithJob, startSqlJobWithCli } from '../support/cli.ts';
import { waitFor } from '../support/platform.ts';
import {
  beijing,
  COUNTING_SQL,
  flinkParallelism as parallelismOf,
  profilePlatform,
  sluiceAt,
} from '../support/profiles.ts';

const JOB = 'scheduled';
const TARGET = 'local-1.20';

/**
 * A switch scheduled a few seconds ahead on the run's shared local session cluster (real Flink 1.20):
 * the booted server's scheduler switches the target at its time, the running job is upgraded with a
 * savepoint to its `peak` profile (parallelism 2) by the scheduler, and the outcome is recorded. The
 * refusals of bad schedules, the list and the removal, all through the CLI.
 */
describe('scheduled profile switches: the scheduler switches the target at its time', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;

  beforeAll(async () => {
    ({ url, close, client } = await profilePlatform({ boot: true }));
  }, 300_000);
  afterAll(() => closeWithJob({ url, job: JOB, close }), 120_000);

  const cli = (args: string[]) => sluiceAt(url).ok(args);
  const refused = (args: string[]) => sluiceAt(url).refused(args);
  const flinkParallelism = async () => {
    const { state, parallelism } = await parallelismOf(url, client, JOB, TARGET);
    return { state, parallelism };
  };

  it('a switch a few seconds ahead upgrades the running job to peak as the scheduler, and records switched', async () => {
    await startSqlJobWithCli(url, JOB, COUNTING_SQL, TARGET);
    await cli(['job', 'profile', 'set', JOB, 'peak', '--parallelism', '2']);
    expect((await flinkParallelism()).parallelism).toEqual([1]);

    const base = ['profile', 'schedule', 'add', '--target', TARGET];
    const soon = (s: number) => beijing(Date.now() + s * 1000);
    expect(await refused([...base, '--profile', 'peek', '--at', soon(3600)])).toMatch(
      /profile: no job on target local-1\.20 has a profile peek \(its jobs have peak\)/,
    );
    expect(await refused([...base, '--profile', 'peak', '--at', beijing(Date.now() - 60_000)])).toMatch(
      /at: .* is in the past/,
    );
    expect(await refused([...base, '--profile', 'peak', '--at', '2026-11-10 23:00'])).toMatch(
      /at: '2026-11-10 23:00' is not a time with its offset/,
    );
    expect(await refused([...base, '--profile', 'peak', '--at', soon(3600), '--repeat', 'hourly'])).toMatch(
      /repeat: 'hourly' is not a repeat: use one of none, daily, weekly/,
    );
    expect(await client.profiles.schedule(TARGET)).toEqual([]);

    // One for later, daily: listed with its next time and no run yet.
    const later = soon(3600);
    const laterId = Number(
      /^scheduled switch (\d+): /.exec(
        await cli([...base, '--profile', 'peak', '--at', later, '--repeat', 'daily']),
      )?.[1],
    );
    expect(await cli(['profile', 'schedule', 'list', '--target', TARGET])).toMatch(
      new RegExp(`${laterId}\\s+peak\\s+${later.replace('+', '\\+')}\\s+daily\\s+\\S+Z\\s+-`),
    );

    // Ahead by enough for the CLI to reach a loaded server in time (a past time is refused).
    const at = soon(15);
    const added = await cli([...base, '--profile', 'peak', '--at', at]);
    const id = Number(/^scheduled switch (\d+): target local-1\.20 to profile peak at /.exec(added)?.[1]);
    expect(id).toBeGreaterThan(laterId);

    // The scheduler runs it at its time; its upgrade takes a savepoint and restarts the job.
    const ran = await waitFor(
      'the scheduled switch to have run',
      async () => (await client.profiles.schedule(TARGET)).find((s) => s.id === id)?.lastRun ?? undefined,
      60_000,
    );
    expect(ran).toMatchObject({
      outcome: 'switched',
      reason: expect.stringMatching(/^1 job\(s\) to upgrade/),
    });
    expect(Date.parse(ran.due)).toBe(Date.parse(at));
    const state = await waitFor(
      'the switch to end',
      async () => {
        const s = await client.profiles.active(TARGET);
        return !s.switching && s.lastSwitch?.finishedAt ? s : undefined;
      },
      240_000,
    );
    expect(state).toMatchObject({
      activeProfile: 'peak',
      lastSwitch: { author: `scheduler (switch ${id})` },
    });
    expect(state.lastSwitch!.jobs).toEqual([{ job: JOB, status: 'succeeded', submission: 2, reason: null }]);
    expect(await client.jobs.submission(JOB, 2)).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'peak', profileSwitch: TARGET },
      author: `scheduler (switch ${id}) (profile switch of ${TARGET} to peak)`,
    });
    expect(await flinkParallelism()).toEqual({ state: 'RUNNING', parallelism: [2] });

    const listed = await cli(['profile', 'schedule', 'list', '--target', TARGET]);
    expect(listed).toMatch(new RegExp(`${id}\\s+peak\\s+\\S+\\s+none\\s+-\\s+switched at `));
    await cli(['profile', 'schedule', 'remove', String(id), '--target', TARGET]);
    await cli(['profile', 'schedule', 'remove', String(laterId), '--target', TARGET]);
    expect(await refused(['profile', 'schedule', 'remove', String(id), '--target', TARGET])).toMatch(
      new RegExp(`target ${TARGET} has no scheduled switch ${id}`),
    );
    expect(await client.profiles.schedule(TARGET)).toEqual([]);
  }, 360_000);
});
