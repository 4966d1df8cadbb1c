import { describe, expect, it } from 'vitest';
import { runSluice } from '../support/cli.ts';
import { callApi } from '../support/http.ts';
import { howItEnded } from '../support/lifecycle.ts';
import { quotaPlatform, RUNNING_SQL } from '../support/quota-e2e.ts';
import { flinkFetch } from '../support/flink-tls.ts';

const TARGET = 'local-application-1.20';
const GIB = 1024 ** 3;

/**
 * A quota on the local application target, with real Flink 1.20: it fits one job (one TaskManager),
 * so the second start is refused naming the quota with nothing changed, and starts once the first
 * stops; an upgrade that would take two TaskManagers is refused and the running version keeps running.
 */
describe('quotas of the local application target (Flink 1.20)', () => {
  const author = 'e2e';
  const sql = RUNNING_SQL;
  const { served: servedNow, finished, job } = quotaPlatform();

  it('refuses a second start beyond the quota (nothing changes), starts it once the first stops, and refuses an upgrade beyond it', async () => {
    const served = servedNow();
    const p = served.t.platform;
    const set = await runSluice(served.url, [
      'target',
      'quota',
      TARGET,
      '--task-managers',
      '1',
      '--memory',
      '2g',
      '--jobs',
      '2',
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/taskManagers\s+0\s+1/);
    expect(set.stdout).toContain('not requested per job on this kind (no quota): cpu');
    // What the kind does not request per job is refused, naming the field.
    const cpu = await callApi(served.url, 'PUT', `/targets/${TARGET}/quota`, { cpu: 4 });
    expect(cpu.status).toBe(400);
    expect(cpu.json()).toMatchObject({ error: { details: { field: 'cpu' } } });

    for (const name of ['first', 'second']) await p.jobs.create({ name, sql, target: TARGET }, author);
    const first = await finished(p.jobs.start('first', {}, author));
    expect(first.status, howItEnded(first)).toBe('succeeded');

    const refused = await callApi(served.url, 'POST', '/jobs/second/start', {});
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        messageCode: 'quota.exceeded',
        messageParams: {
          target: TARGET,
          job: 'second',
          resource: 'memory',
          request: '2g',
          used: '2g',
          limit: '2g',
          jobs: 'first (2g)',
        },
        details: {
          quota: {
            scope: `target:${TARGET}`,
            resource: 'memory',
            limit: 2 * GIB,
            jobs: [{ job: 'first', amount: 2 * GIB }],
          },
        },
      },
    });
    const second = await job('second');
    expect(second).toMatchObject({ state: 'CREATED', submissionInFlight: null, desiredState: 'stopped' });
    expect(await p.jobs.submissions('second')).toEqual([]);

    const usage = await callApi(served.url, 'GET', `/targets/${TARGET}/quota`);
    expect(usage.status).toBe(200);
    expect(usage.json()['usage']).toContainEqual({
      resource: 'taskManagers',
      limit: 1,
      used: 1,
      jobs: [{ job: 'first', amount: 1 }],
    });

    // An upgrade to parallelism 8 takes two TaskManagers: refused, the running version keeps running.
    const running = await job('first');
    await p.jobs.update('first', 1, { parallelism: 8 }, 'wider', author);
    const upgrade = await callApi(served.url, 'POST', '/jobs/first/upgrade', {});
    expect(upgrade.status).toBe(409);
    expect(upgrade.json()).toMatchObject({
      error: {
        messageCode: 'quota.exceeded',
        messageParams: { resource: 'memory', request: '3g', used: '0' },
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
    const started = await finished(p.jobs.start('second', {}, author));
    expect(started.status, howItEnded(started)).toBe('succeeded');
    expect((await finished(p.jobs.cancel('second', author))).status).toBe('succeeded');

    const cleared = await runSluice(served.url, ['target', 'quota', TARGET, '--clear']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await callApi(served.url, 'DELETE', `/targets/${TARGET}/quota`)).status).toBe(404);
  }, 600_000);
});
