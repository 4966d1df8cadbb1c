import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';

async function running(): Promise<LifecycleUnit & { flinkJobId: string }> {
  const u = await lifecycleUnit();
  await u.createJob('orders');
  expect((await u.run('orders', 'start')).status).toBe('succeeded');
  return Object.assign(u, { flinkJobId: (await u.job('orders')).flinkJobId! });
}

describe('the tracker, over a fake Flink cluster', () => {
  it('changes nothing while Flink reports what the platform knows', async () => {
    const u = await running();
    const before = await u.events('orders');
    await u.tracker.tick();
    await u.tracker.tick();
    expect(await u.events('orders')).toEqual(before);
  });

  it('reports each round with its time once; a round asked while one runs is skipped, not reported', async () => {
    const u = await running();
    await u.tracker.tick();
    expect(u.trackerRounds).toHaveLength(1);
    await Promise.all([u.tracker.tick(), u.tracker.tick()]);
    expect(u.trackerRounds).toHaveLength(2);
    expect(u.trackerRounds.every((s) => s >= 0 && s < 5)).toBe(true);
  });

  it('makes jobs UNKNOWN (never FAILED) while the cluster does not answer, keeping the last state, and back', async () => {
    const u = await running();
    u.flink.answering = false;
    await u.tracker.tick();
    let job = await u.job('orders');
    expect(job).toMatchObject({ state: 'UNKNOWN', lastKnownState: 'RUNNING' });
    expect(job.stateReason).toBe('cluster fake does not answer: connection refused; last seen RUNNING');
    await u.tracker.tick(); // still silent: no second event
    expect((await u.events('orders')).filter((e) => e.to === 'UNKNOWN')).toHaveLength(1);
    u.flink.answering = true;
    await u.tracker.tick();
    job = await u.job('orders');
    expect(job).toMatchObject({ state: 'RUNNING', lastKnownState: null });
    expect(job.stateReason).toContain('(cluster fake answers again)');
    expect((await u.events('orders')).at(-1)).toMatchObject({
      from: 'UNKNOWN',
      to: 'RUNNING',
      source: 'flink',
    });
  });

  it('a job the cluster no longer knows is FAILED, said as gone, and no resubmission guesses', async () => {
    const u = await running();
    u.flink.disappear(u.flinkJobId);
    await u.tracker.tick();
    const job = await u.job('orders');
    expect(job.state).toBe('FAILED');
    expect(job.stateReason).toContain(u.flinkJobId);
    expect((await u.events('orders')).at(-1)).toMatchObject({ to: 'FAILED', source: 'platform' });
    expect(u.resubmissions).toEqual([]);
  });

  it('a cancel through Flink behind the platform is CANCELLED from Flink, and its reason says so', async () => {
    const u = await running();
    const checkpoint = u.flink.checkpoint(u.flinkJobId);
    u.flink.cancelBehindBack(u.flinkJobId);
    await u.tracker.tick();
    const job = await u.job('orders');
    expect(job.state).toBe('CANCELLED');
    expect(job.stateReason).toMatch(/not through Sluice|behind|outside/i);
    expect((await u.events('orders')).at(-1)).toMatchObject({ to: 'CANCELLED', source: 'flink' });
    // The checkpoint Flink retained is recorded: the next start restores from it.
    expect((await u.jobs.savepoints('orders'))[0]).toMatchObject({ path: checkpoint, origin: 'retained' });
  });

  it('a task failure is NOT_RUNNING with its cause; RUNNING again once every task runs', async () => {
    const u = await running();
    u.flink.fail(u.flinkJobId, 'java.net.SocketTimeoutException: broker', { restartsLeft: 3 });
    await u.tracker.tick();
    let job = await u.job('orders');
    expect(job.state).toBe('NOT_RUNNING');
    expect(job.stateReason).toBe('Flink reports RESTARTING: java.net.SocketTimeoutException: broker');
    u.flink.restart(u.flinkJobId);
    await u.tracker.tick();
    job = await u.job('orders');
    expect(job.state).toBe('RUNNING');
    expect(job.stateReason).toBe('Flink reports RUNNING with 1 of 1 tasks running');
  });

  it('skips a job a submission is driving', async () => {
    const u = await running();
    u.flink.onSubmit = { kind: 'waits' };
    await u.run('orders', 'stop');
    u.flink.onCall = async (call) => {
      if (call === 'observeJob') {
        u.flink.onCall = () => {};
        const before = (await u.events('orders')).length;
        await u.tracker.tick();
        expect((await u.events('orders')).length).toBe(before);
      }
    };
    const start = await u.runner.launch(await u.job('orders'), 'start', {}, 'alice');
    await u.runner.launch(await u.job('orders'), 'cancel', {}, 'alice');
    await u.runner.wait(start.id);
    expect((await u.store.lifecycle.submission(start.id))!.status).toBe('cancelled');
  });
});
