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
