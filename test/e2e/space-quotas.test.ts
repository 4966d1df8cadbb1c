import { describe, expect, it } from 'vitest';
import { runSluice } from '../support/cli.ts';
import { callApi } from '../support/http.ts';
import { howItEnded } from '../support/lifecycle.ts';
import { quotaPlatform, RUNNING_SQL } from '../support/quota-e2e.ts';
import { flinkFetch } from '../support/flink-tls.ts';

const TARGET = 'local-application-1.20';
const SPACE = 'team-a';

/**
 * A quota of a space, with real Flink 1.20 on the local application target: its owner sets it with
 * the CLI (a developer may not); with `jobs 1` the second start of a job of the space is refused naming
 * the space's quota, the request and the use, with nothing changed (no submission, no Flink job); with
 * `slots 4` an upgrade of the running job to parallelism 8 is refused and the job keeps running.
 */
describe('quotas of a space (Flink 1.20)', () => {
  const author = 'e2e';
  const sql = RUNNING_SQL;
  const { served: servedNow, finished, job } = quotaPlatform();
  /** The token `sluice user add` prints once, as the user's environment for the CLI. */
  const userOf = async (name: string, role: string) => {
    const added = await runSluice(servedNow().url, ['user', 'add', name, '--role', role, '--space', SPACE]);
    expect(added.code, added.stderr).toBe(0);
    return { SLUICE_TOKEN: added.stdout.trim() };
  };

  it("refuses a start beyond the space's job count and an upgrade beyond its slots, changing nothing; the CLI shows the use", async () => {
    const served = servedNow();
    const p = served.t.platform;
    const made = await runSluice(served.url, ['space', 'create', SPACE]);
    expect(made.code, made.stderr).toBe(0);
    const owner = await userOf('olga', 'owner');
    const developer = await userOf('dev', 'developer');

    // Its owners set a space's quota; a developer of the space may not.
    const refusedSet = await runSluice(served.url, ['space', 'quota', SPACE, '--jobs', '1'], developer);
    expect(refusedSet.code).not.toBe(0);
    expect(refusedSet.stderr).toContain(`needs to manage in space '${SPACE}'`);
    const set = await runSluice(served.url, ['space', 'quota', SPACE, '--jobs', '1'], owner);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`space ${SPACE}, quota set by olga`);
    expect(set.stdout).toMatch(/jobs\s+0\s+1\s+-/);
    // A per-job range is a target's (not in a space's schema): refused naming the field, nothing changed.
    const range = await callApi(served.url, 'PUT', `/spaces/${SPACE}/quota`, { jobs: 5, maxParallelism: 4 });
    expect(range.status).toBe(400);
    expect(range.json()).toMatchObject({
      error: {
        messageCode: 'request.additionalProperties',
        messageParams: { property: 'maxParallelism' },
      },
    });
    const negative = await runSluice(served.url, ['space', 'quota', SPACE, '--slots', '-2'], owner);
    expect(negative.code).not.toBe(0);
    expect(negative.stderr).toContain('slots');
    expect((await callApi(served.url, 'GET', `/spaces/${SPACE}/quota`)).json()['limits']).toEqual({
      cpu: null,
      memory: null,
      slots: null,
      taskManagers: null,
      jobs: 1,
    });

    for (const name of ['first', 'second']) {
      const created = await callApi(served.url, 'POST', '/jobs', { name, space: SPACE, sql, target: TARGET });
      expect(created.status, created.text).toBe(201);
    }
    const first = await finished(p.jobs.start('first', {}, author));
    expect(first.status, howItEnded(first)).toBe('succeeded');

    const refused = await callApi(served.url, 'POST', '/jobs/second/start', {});
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        messageCode: 'quota.spaceExceeded',
        messageParams: {
          space: SPACE,
          job: 'second',
          resource: 'jobs',
          request: '1',
          used: '1',
          limit: '1',
          jobs: 'first (1)',
        },
        details: {
          quota: { scope: `space:${SPACE}`, resource: 'jobs', limit: 1, used: 1, request: 1 },
        },
      },
    });
    expect((refused.json()['error'] as { message: string }).message).toContain(
      `quota of space ${SPACE} refuses job second`,
    );
    expect(await job('second')).toMatchObject({
      state: 'CREATED',
      submissionInFlight: null,
      desiredState: 'stopped',
      flinkJobId: null,
    });
    expect(await p.jobs.submissions('second')).toEqual([]);

    // The CLI shows what the space's jobs hold, on every target.
    const shown = await runSluice(served.url, ['space', 'quota', SPACE]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/jobs\s+1\s+1\s+first \(1\)/);
    expect(shown.stdout).toMatch(/memory\s+2g\s+no limit\s+first \(2g\)/);

    // Slots instead of jobs: an upgrade to parallelism 8 takes 8 slots, beyond 4; the job keeps running.
    const slots = await runSluice(
      served.url,
      ['space', 'quota', SPACE, '--jobs', 'none', '--slots', '4'],
      owner,
    );
    expect(slots.code, slots.stderr).toBe(0);
    expect(slots.stdout).toMatch(/slots\s+1\s+4\s+first \(1\)/);
    const running = await job('first');
    await p.jobs.update('first', 1, { parallelism: 8 }, 'wider', author);
    const upgrade = await callApi(served.url, 'POST', '/jobs/first/upgrade', {});
    expect(upgrade.status, upgrade.text).toBe(409);
    expect(upgrade.json()).toMatchObject({
      error: {
        messageCode: 'quota.spaceExceeded',
        messageParams: { space: SPACE, resource: 'slots', request: '8', used: '0', limit: '4' },
      },
    });
    expect(await job('first')).toMatchObject({
      state: 'RUNNING',
      flinkJobId: running.flinkJobId,
      deployedVersion: 1,
      submissionInFlight: null,
    });
    expect((await p.jobs.submissions('first')).map((s) => s.kind)).toEqual(['start']);
    const flink = await flinkFetch(`${(await job('first')).restUrl}/jobs/${running.flinkJobId}`);
    expect(((await flink.json()) as { state: string }).state).toBe('RUNNING');

    expect((await finished(p.jobs.stop('first', false, author))).status).toBe('succeeded');
    const cleared = await runSluice(served.url, ['space', 'quota', SPACE, '--clear'], owner);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await callApi(served.url, 'DELETE', `/spaces/${SPACE}/quota`)).status).toBe(404);
  }, 600_000);
});
