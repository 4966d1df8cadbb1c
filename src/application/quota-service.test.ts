import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import { MapQuotas } from '../../test/support/map-quotas.ts';
import { QuotaService } from './quota-service.ts';

const APPS = 'local-application-1.20';
const GIB = 1024 ** 3;

async function quotaUnit(): Promise<{ u: LifecycleUnit; quotas: QuotaService }> {
  const u = await lifecycleUnit();
  const quotas = new QuotaService(u.store, new MapQuotas(), (t) => u.targets.targetKindOf(t));
  u.runner.admission = (job, kind, proceed) => quotas.admit(job, kind, proceed);
  u.jobs.checkRanges = (c) => quotas.checkRanges(c);
  return { u, quotas };
}

describe('quotas of a deployment target, over the fake local application target', () => {
  it('a quota that fits one job refuses the second start, naming it, with nothing changed; once the first stops the second starts', async () => {
    const { u, quotas } = await quotaUnit();
    await u.createJob('first', { target: APPS });
    await u.createJob('second', { target: APPS });
    await quotas.set(APPS, { taskManagers: 1, memory: '2g' }, 'admin');
    expect((await u.run('first', 'start')).status).toBe('succeeded');
    await expect(u.runner.launch(await u.job('second'), 'start', {}, 'alice')).rejects.toMatchObject({
      code: 'conflict',
      text: {
        code: 'quota.exceeded',
        params: { resource: 'memory', request: '2g', used: '2g', limit: '2g', jobs: 'first (2g)' },
      },
      details: { quota: { scope: `target:${APPS}`, resource: 'memory' } },
    });
    const second = await u.job('second');
    expect(second).toMatchObject({ state: 'CREATED', submissionInFlight: null, desiredState: 'stopped' });
    expect(await u.store.lifecycle.submissions(second.id)).toEqual([]);
    const view = await quotas.view(APPS);
    expect(view.usage.find((r) => r.resource === 'memory')).toEqual({
      resource: 'memory',
      limit: 2 * GIB,
      used: 2 * GIB,
      jobs: [{ job: 'first', amount: 2 * GIB }],
    });
    expect(view.notPerJob).toEqual(['cpu']);
    expect((await u.run('first', 'stop')).status).toBe('succeeded');
    expect((await u.run('second', 'start')).status).toBe('succeeded');
  });

  it('two starts at once never both pass a quota that fits one', async () => {
    const { u, quotas } = await quotaUnit();
    for (const name of ['a', 'b', 'c']) await u.createJob(name, { target: APPS });
    await quotas.set(APPS, { jobs: 1 }, 'admin');
    const tries = await Promise.allSettled(
      ['a', 'b', 'c'].map(async (n) => u.runner.launch(await u.job(n), 'start', {}, 'alice')),
    );
    const passed = tries.filter((t) => t.status === 'fulfilled');
    expect(passed).toHaveLength(1);
    for (const t of tries)
      if (t.status === 'rejected') expect(t.reason).toMatchObject({ text: { code: 'quota.exceeded' } });
    await u.runner.settled();
  });

  it('an upgrade beyond the quota is refused and the running version keeps running; one within it passes (the job gives back its own)', async () => {
    const { u, quotas } = await quotaUnit();
    await u.createJob('orders', { target: APPS });
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    await quotas.set(APPS, { taskManagers: 1 }, 'admin');
    await u.jobs.update('orders', 1, { parallelism: 8 }, 'wider', 'alice');
    const running = await u.job('orders');
    await expect(u.runner.launch(running, 'upgrade', {}, 'alice')).rejects.toMatchObject({
      text: {
        code: 'quota.exceeded',
        params: { resource: 'taskManagers', request: '2', used: '0', limit: '1' },
      },
    });
    expect(await u.job('orders')).toMatchObject({
      state: 'RUNNING',
      deployedVersion: 1,
      submissionInFlight: null,
    });
    expect((await u.store.lifecycle.submissions(running.id)).map((s) => s.kind)).toEqual(['start']);
    await u.jobs.update('orders', 2, { parallelism: 4 }, 'within', 'alice');
    expect((await u.run('orders', 'upgrade')).status).toBe('succeeded');
  });

  it("per-job ranges refuse a save and a start beyond them, naming the field; a session job's slots count", async () => {
    const { u, quotas } = await quotaUnit();
    await u.createJob('wide', { target: APPS, parallelism: 8 });
    await quotas.set(APPS, { maxParallelism: 4, maxTaskManagerMemory: '2g' }, 'admin');
    await expect(u.createJob('wider', { target: APPS, parallelism: 6 })).rejects.toMatchObject({
      details: { field: 'parallelism' },
    });
    await expect(
      u.createJob('big', { target: APPS, options: { 'taskmanager.memory.process.size': '3g' } }),
    ).rejects.toMatchObject({ details: { field: 'options.taskmanager.memory.process.size' } });
    // Saved before the range was set: its start is refused, and nothing changes.
    await expect(u.runner.launch(await u.job('wide'), 'start', {}, 'alice')).rejects.toMatchObject({
      details: { field: 'parallelism' },
    });
    expect(await u.job('wide')).toMatchObject({ state: 'CREATED' });

    await quotas.set('fake', { slots: 3 }, 'admin');
    await expect(quotas.set('fake', { memory: '8g' }, 'admin')).rejects.toMatchObject({
      details: { field: 'memory' },
    });
    await u.createJob('two', { parallelism: 2 });
    await u.createJob('more', { parallelism: 2 });
    expect((await u.run('two', 'start')).status).toBe('succeeded');
    await expect(u.runner.launch(await u.job('more'), 'start', {}, 'alice')).rejects.toMatchObject({
      text: { params: { resource: 'slots', request: '2', used: '2', limit: '3' } },
    });
    await quotas.clear('fake');
    await expect(quotas.clear('fake')).rejects.toMatchObject({ code: 'not_found' });
    expect((await u.run('more', 'start')).status).toBe('succeeded');
  });
});

/** Puts jobs in a space, made if need be, as the job service does at create. */
async function inSpace(u: LifecycleUnit, space: string, ...jobs: string[]): Promise<void> {
  await u.store.spaces.addSpace({ name: space, createdAt: '2026-12-04T00:00:00Z', createdBy: 'admin' });
  for (const j of jobs) await u.store.spaces.move('job', j, space);
}

describe('quotas of a space, over its jobs on every target', () => {
  it("a space's job count refuses the second start on another target, naming the space, with nothing changed; other spaces are not held back", async () => {
    const { u, quotas } = await quotaUnit();
    await u.createJob('apps-job', { target: APPS });
    await u.createJob('session-job', { parallelism: 2 });
    await u.createJob('elsewhere', { target: APPS });
    await inSpace(u, 'team-a', 'apps-job', 'session-job');
    await inSpace(u, 'team-b', 'elsewhere');
    await quotas.setSpace('team-a', { jobs: 1 }, 'olga');
    expect((await u.run('apps-job', 'start')).status).toBe('succeeded');
    const second = await u.job('session-job');
    await expect(u.runner.launch(second, 'start', {}, 'alice')).rejects.toMatchObject({
      code: 'conflict',
      text: {
        code: 'quota.spaceExceeded',
        params: {
          space: 'team-a',
          job: 'session-job',
          resource: 'jobs',
          request: '1',
          used: '1',
          limit: '1',
        },
      },
      details: { quota: { scope: 'space:team-a', resource: 'jobs', jobs: [{ job: 'apps-job', amount: 1 }] } },
    });
    expect(await u.job('session-job')).toMatchObject({ state: 'CREATED', submissionInFlight: null });
    expect(await u.store.lifecycle.submissions(second.id)).toEqual([]);
    expect((await u.run('elsewhere', 'start')).status).toBe('succeeded');

    // The view counts each job as its own target's kind requests: the session job would take slots only.
    const view = await quotas.spaceView('team-a');
    expect(view).toMatchObject({ space: 'team-a', scope: 'space:team-a', set: true, updatedBy: 'olga' });
    expect(view.usage.map((r) => [r.resource, r.limit, r.used])).toEqual([
      ['cpu', null, 0],
      ['memory', null, 2 * GIB],
      ['slots', null, 1],
      ['taskManagers', null, 1],
      ['jobs', 1, 1],
    ]);
    expect((await u.run('apps-job', 'stop')).status).toBe('succeeded');
    expect((await u.run('session-job', 'start')).status).toBe('succeeded');
    expect((await quotas.spaceView('team-a')).usage.find((r) => r.resource === 'slots')).toEqual({
      resource: 'slots',
      limit: null,
      used: 2,
      jobs: [{ job: 'session-job', amount: 2 }],
    });
  });

  it("an upgrade beyond the space's slots is refused and the running version keeps running; the target's quota is checked too", async () => {
    const { u, quotas } = await quotaUnit();
    await u.createJob('orders', { target: APPS });
    await inSpace(u, 'team-a', 'orders');
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    await quotas.setSpace('team-a', { slots: 4 }, 'olga');
    await u.jobs.update('orders', 1, { parallelism: 8 }, 'wider', 'alice');
    const running = await u.job('orders');
    await expect(u.runner.launch(running, 'upgrade', {}, 'alice')).rejects.toMatchObject({
      text: {
        code: 'quota.spaceExceeded',
        params: { resource: 'slots', request: '8', used: '0', limit: '4' },
      },
    });
    expect(await u.job('orders')).toMatchObject({
      state: 'RUNNING',
      deployedVersion: 1,
      submissionInFlight: null,
    });
    expect((await u.store.lifecycle.submissions(running.id)).map((s) => s.kind)).toEqual(['start']);
    // Within the space's quota, beyond the target's: the target refuses it.
    await quotas.setSpace('team-a', { slots: 8 }, 'olga');
    await quotas.set(APPS, { taskManagers: 1 }, 'admin');
    await expect(u.runner.launch(await u.job('orders'), 'upgrade', {}, 'alice')).rejects.toMatchObject({
      text: { code: 'quota.exceeded', params: { resource: 'taskManagers' } },
    });
    await quotas.clear(APPS);
    expect((await u.run('orders', 'upgrade')).status).toBe('succeeded');
  });

  it('starts at once across targets and spaces: never two beyond a space quota that fits one, and none waits forever', async () => {
    const { u, quotas } = await quotaUnit();
    // a1 and a2 of team-a on two targets, b1 and b2 of team-b on the same two: every pair of admissions
    // shares a target or a space.
    await u.createJob('a1', { target: APPS });
    await u.createJob('a2');
    await u.createJob('b1', { target: APPS });
    await u.createJob('b2');
    await inSpace(u, 'team-a', 'a1', 'a2');
    await inSpace(u, 'team-b', 'b1', 'b2');
    await quotas.setSpace('team-a', { jobs: 1 }, 'olga');
    await quotas.setSpace('team-b', { jobs: 1 }, 'olga');
    // Recording a submission takes a while: a check that is not serialized with another's recording
    // would read the usage before it.
    const lifecycle = u.store.lifecycle;
    const record = lifecycle.createSubmission.bind(lifecycle);
    lifecycle.createSubmission = (s) => new Promise((r) => setTimeout(() => r(record(s)), 20));
    const tries = await Promise.allSettled(
      ['a1', 'a2', 'b1', 'b2'].map(async (n) => u.runner.launch(await u.job(n), 'start', {}, 'alice')),
    );
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(2);
    for (const t of tries)
      if (t.status === 'rejected') expect(t.reason).toMatchObject({ text: { code: 'quota.spaceExceeded' } });
    await u.runner.settled();
    const holding = (await u.store.jobs.list()).filter((j) => j.state !== 'CREATED').map((j) => j.name);
    expect(holding.filter((n) => n.startsWith('a'))).toHaveLength(1);
    expect(holding.filter((n) => n.startsWith('b'))).toHaveLength(1);
  });

  it("bad input changes nothing, naming the field; a space's quota is cleared; an unknown space is not found", async () => {
    const { u: unit, quotas: q } = await quotaUnit();
    await inSpace(unit, 'team-a');
    await q.setSpace('team-a', { memory: '8g', cpu: 2 }, 'olga');
    await expect(q.setSpace('team-a', { maxParallelism: 4 }, 'olga')).rejects.toMatchObject({
      details: { field: 'maxParallelism' },
    });
    await expect(q.setSpace('team-a', { slots: -1 }, 'olga')).rejects.toMatchObject({
      details: { field: 'slots' },
    });
    expect((await q.spaceView('team-a')).limits).toEqual({
      cpu: 2,
      memory: 8 * GIB,
      slots: null,
      taskManagers: null,
      jobs: null,
    });
    await q.clearSpace('team-a');
    expect(await q.spaceView('team-a')).toMatchObject({ set: false, limits: { jobs: null } });
    await expect(q.clearSpace('team-a')).rejects.toMatchObject({ code: 'not_found' });
    await expect(q.spaceView('nowhere')).rejects.toMatchObject({ code: 'not_found' });
    await expect(q.setSpace('nowhere', { jobs: 1 }, 'olga')).rejects.toMatchObject({ code: 'not_found' });
  });
});
