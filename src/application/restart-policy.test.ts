import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';

/** A running job whose resubmit policy allows `attempts` resubmissions, `backoffSeconds` apart. */
async function running(attempts: number, backoffSeconds = 30): Promise<LifecycleUnit> {
  const u = await lifecycleUnit();
  await u.createJob('orders', {
    resubmitPolicy: { kind: 'from-latest-checkpoint', attempts, backoffSeconds },
  });
  expect((await u.run('orders', 'start')).status).toBe('succeeded');
  return u;
}

/** Flink gives up on the job's current Flink job; the tracker sees it and the policy acts. */
async function flinkGivesUp(u: LifecycleUnit): Promise<void> {
  const id = (await u.job('orders')).flinkJobId!;
  u.flink.checkpoint(id);
  u.flink.fail(id, 'java.lang.OutOfMemoryError: Java heap space');
  const before = u.resubmissions.length;
  await u.tracker.tick();
  // The policy's decision (and the submission it launches) runs in the background.
  for (const r of u.resubmissions.slice(before)) {
    const s = await r;
    if (s) await u.runner.wait(s.id);
  }
}

describe('the resubmit policy, over a fake Flink cluster', () => {
  it('submits a job Flink gave up on again, after the back-off, from its latest retained checkpoint', async () => {
    const u = await running(2);
    const first = (await u.job('orders')).flinkJobId!;
    const waitedBefore = u.clock.waited;
    await flinkGivesUp(u);
    const job = await u.job('orders');
    expect(job).toMatchObject({ state: 'RUNNING', resubmissions: 1, desiredState: 'running' });
    expect(job.flinkJobId).not.toBe(first);
    expect(u.clock.waited - waitedBefore).toBeGreaterThanOrEqual(30_000);
    const subs = await u.jobs.submissions('orders');
    expect(subs.map((s) => [s.kind, s.status])).toEqual([
      ['start', 'succeeded'],
      ['resubmit', 'succeeded'],
    ]);
    expect(subs[1]!.author).toBe('resubmit policy (attempt 1 of 2)');
    expect(u.flink.job(job.flinkJobId!).options['execution.savepoint.path']).toBe(
      u.flink.job(first).checkpoint,
    );
    // Flink's own restarts and the platform's resubmissions are told apart.
    expect(await u.path('orders')).toEqual([
      'CREATED',
      'STARTING',
      'JM_RUNNING',
      'PODS_RUNNING',
      'RUNNING',
      'FAILED',
      'STARTING',
      'JM_RUNNING',
      'PODS_RUNNING',
      'RUNNING',
    ]);
  });

  it('stops after its attempts: the count is of resubmissions since the last start, which a start resets', async () => {
    const u = await running(2, 0);
    for (let i = 0; i < 3; i++) await flinkGivesUp(u);
    let job = await u.job('orders');
    expect(job).toMatchObject({ state: 'FAILED', resubmissions: 2 });
    expect((await u.jobs.submissions('orders')).map((s) => s.kind)).toEqual([
      'start',
      'resubmit',
      'resubmit',
    ]);
    expect(u.flink.live()).toEqual([]);
    // A start by the user is a fresh start: the policy has its attempts again.
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    expect((await u.job('orders')).resubmissions).toBe(0);
    await flinkGivesUp(u);
    job = await u.job('orders');
    expect(job).toMatchObject({ state: 'RUNNING', resubmissions: 1 });
  });

  it('a resubmission whose Flink job fails while starting goes on to the next attempt', async () => {
    const u = await running(2, 0);
    u.flink.onSubmit = { kind: 'fails', cause: 'java.lang.OutOfMemoryError: Java heap space' };
    await flinkGivesUp(u);
    // The first resubmission failed while starting; the second one ran.
    for (let i = 0; i < u.resubmissions.length; i++) {
      const s = await u.resubmissions[i];
      if (s) await u.runner.wait(s.id);
    }
    const subs = await u.jobs.submissions('orders');
    expect(subs.map((s) => [s.kind, s.status])).toEqual([
      ['start', 'succeeded'],
      ['resubmit', 'failed'],
      ['resubmit', 'succeeded'],
    ]);
    expect(await u.job('orders')).toMatchObject({ state: 'RUNNING', resubmissions: 2 });
  });

  it('does nothing for a job without a policy, or one the user stopped meanwhile', async () => {
    const none = await lifecycleUnit();
    await none.createJob('orders');
    await none.run('orders', 'start');
    await flinkGivesUp(none);
    expect(await none.job('orders')).toMatchObject({ state: 'FAILED', resubmissions: 0 });
    expect((await none.jobs.submissions('orders')).map((s) => s.kind)).toEqual(['start']);

    const u = await running(3, 60);
    const id = (await u.job('orders')).flinkJobId!;
    u.flink.fail(id, 'java.lang.OutOfMemoryError: Java heap space');
    await u.tracker.tick();
    // While the policy waits out its back-off, the user says stopped (a cancel of a FAILED job is refused,
    // so the desire is changed as a stop would).
    await u.store.jobs.updateRuntime((await u.job('orders')).id, { desiredState: 'stopped' });
    expect(await u.resubmissions[0]).toBeNull();
    expect((await u.jobs.submissions('orders')).map((s) => s.kind)).toEqual(['start']);
  });
});
