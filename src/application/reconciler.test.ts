import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import type { SubmissionKind } from '../domain/jobs/submission.ts';

/**
 * The platform dies when the submission makes `call` on the cluster: the call never returns, and a
 * new platform is wired over the same store and cluster, which settles what the dead one left.
 */
async function crashAt(
  u: LifecycleUnit,
  kind: SubmissionKind,
  call: string,
): Promise<{ next: LifecycleUnit; submissionId: string }> {
  const s = await u.hangAt('orders', kind, call);
  return { next: await u.restart(), submissionId: s.id };
}

async function created(): Promise<LifecycleUnit> {
  const u = await lifecycleUnit();
  await u.createJob('orders');
  return u;
}

async function running(): Promise<LifecycleUnit> {
  const u = await created();
  expect((await u.run('orders', 'start')).status).toBe('succeeded');
  return u;
}

describe('crash recovery: what an interrupted submission leaves', () => {
  it('a start interrupted after Flink received the job is finished: the job is re-attached, not submitted again', async () => {
    const u = await created();
    const { next, submissionId } = await crashAt(u, 'start', 'observeJob');
    const s = (await next.store.lifecycle.submission(submissionId))!;
    expect(s.status).toBe('succeeded');
    expect(s.steps.at(-1)!.log.at(-1)).toContain('finished after a platform restart');
    const job = await next.job('orders');
    expect(job).toMatchObject({ state: 'RUNNING', submissionInFlight: null, deployedVersion: 1 });
    expect(job.flinkJobId).toBe(s.flinkJobId);
    expect(job.stateReason).toContain('re-attached');
    expect(next.flink.jobs.size).toBe(1);
  });

  it('a start interrupted before Flink received the job is rolled back, after looking for a late copy', async () => {
    const u = await created();
    const { next, submissionId } = await crashAt(u, 'start', 'execute EXPLAIN INSERT');
    const s = (await next.store.lifecycle.submission(submissionId))!;
    expect(s).toMatchObject({ status: 'rolled_back', failedStep: 'plan' });
    const job = await next.job('orders');
    expect(job).toMatchObject({
      state: 'FAILED',
      submissionInFlight: null,
      flinkJobId: null,
      desiredState: 'stopped',
    });
    expect(job.stateReason).toContain('before Flink received the job');
    // The gateway can finish a statement set late: the reserved id was looked for a few seconds.
    expect(next.clock.waited).toBeGreaterThanOrEqual(4000);
    expect(next.flink.jobs.size).toBe(0);
    // The next start reuses the reserved id, so that a late copy would be refused by Flink.
    expect((await next.run('orders', 'start')).status).toBe('succeeded');
    expect((await next.job('orders')).flinkJobId).toBe(s.flinkJobId);
    expect(next.flink.jobs.size).toBe(1);
  });

  it('a late copy of a rolled-back start is attached to by the next start: exactly one Flink job', async () => {
    const u = await created();
    const { next, submissionId } = await crashAt(u, 'start', 'execute EXECUTE STATEMENT');
    const reserved = (await next.store.lifecycle.submission(submissionId))!.flinkJobId!;
    expect(reserved).toMatch(/^[0-9a-f]{32}$/);
    // The gateway submits the statement set it had received, after the rollback.
    const late = await next.flink
      .target('fake')
      .workbench!.openSqlSession('late', { '$internal.pipeline.job-id': reserved });
    await late.execute('EXECUTE STATEMENT SET BEGIN INSERT INTO snk SELECT id FROM src; END');
    const start = await next.run('orders', 'start');
    expect(start.status).toBe('succeeded');
    expect(start.steps.find((x) => x.name === 'submit')!.log.join('\n')).toContain(
      'attaching to it, not submitting again',
    );
    expect(next.flink.jobs.size).toBe(1);
    expect((await next.job('orders')).flinkJobId).toBe(reserved);
  });

  it('while the cluster does not answer, the job is UNKNOWN with the facts kept; the tracker settles it later', async () => {
    const u = await created();
    const s = await u.hangAt('orders', 'start', 'observeJob');
    u.flink.answering = false;
    const next = await u.restart();
    expect((await next.store.lifecycle.submission(s.id))!.status).toBe('failed');
    const job = await next.job('orders');
    expect(job).toMatchObject({ state: 'UNKNOWN', submissionInFlight: null });
    expect(job.flinkJobId).toMatch(/^[0-9a-f]{32}$/);
    next.flink.answering = true;
    await next.tracker.tick();
    expect(await next.job('orders')).toMatchObject({ state: 'RUNNING' });
  });

  it('a stop interrupted after Flink stopped the job succeeded: STOPPED, its savepoint recorded', async () => {
    const u = await running();
    const { next, submissionId } = await crashAt(u, 'stop', 'jobState');
    const s = (await next.store.lifecycle.submission(submissionId))!;
    expect(s.status).toBe('succeeded');
    expect(await next.job('orders')).toMatchObject({ state: 'STOPPED', submissionInFlight: null });
    expect((await next.jobs.savepoints('orders')).map((x) => x.path)).toEqual([s.savepointPath]);
  });

  it('a stop interrupted before Flink stopped the job failed: the job is RUNNING as Flink says', async () => {
    const u = await running();
    const { next, submissionId } = await crashAt(u, 'stop', 'stopWithSavepoint');
    expect((await next.store.lifecycle.submission(submissionId))!.status).toBe('failed');
    expect(await next.job('orders')).toMatchObject({ state: 'RUNNING', submissionInFlight: null });
    expect(next.flink.live()).toHaveLength(1);
  });

  it('a cancel interrupted after Flink cancelled the job succeeded: CANCELLED', async () => {
    const u = await running();
    const { next, submissionId } = await crashAt(u, 'cancel', 'jobState');
    expect((await next.store.lifecycle.submission(submissionId))!.status).toBe('succeeded');
    expect(await next.job('orders')).toMatchObject({ state: 'CANCELLED', submissionInFlight: null });
  });
});

describe('crash recovery: a start on a job’s own cluster', () => {
  const TARGET = 'local-application-1.20';

  /** The platform dies while the start waits for its own cluster's milestones (the cluster started). */
  async function killedWhileComingUp(): Promise<{ u: LifecycleUnit; flinkJobId: string }> {
    const u = await lifecycleUnit();
    await u.createJob('orders', { target: TARGET });
    const apps = u.runtime.fakeApplicationTarget(TARGET);
    let reached!: () => void;
    const there = new Promise<void>((r) => (reached = r));
    apps.onCall = (call) => {
      if (call !== 'facts') return;
      reached();
      return new Promise<void>(() => {}); // the process is gone: nothing after this happens
    };
    await u.runner.launch(await u.job('orders'), 'start', {}, 'alice');
    await there;
    apps.onCall = () => {};
    const [cluster] = apps.running();
    return { u, flinkJobId: cluster!.spec.flinkJobId };
  }

  it('a cluster still coming up is adopted at the milestone it shows, kept there while it starts, then followed to RUNNING', async () => {
    const { u, flinkJobId } = await killedWhileComingUp();
    const flink = u.runtime.fakeApplicationTarget(TARGET).made.get(flinkJobId)!.flink;
    flink.answering = false;
    flink.comingUp = true;
    const next = await u.restart();
    const job = await next.job('orders');
    expect(job).toMatchObject({ state: 'STARTING', submissionInFlight: null, flinkJobId });
    const [s] = await next.store.lifecycle.submissions(job.id);
    expect(s!.status).toBe('succeeded');
    expect(s!.steps.at(-1)!.log.at(-1)).toMatch(/its cluster was applied and comes up .*: adopted/);
    // Not UNKNOWN while its JobManager is still coming up.
    await next.tracker.tick();
    expect((await next.job('orders')).state).toBe('STARTING');
    flink.answering = true;
    await next.tracker.tick();
    expect(await next.job('orders')).toMatchObject({ state: 'RUNNING', flinkJobId });
    expect(u.runtime.fakeApplicationTarget(TARGET).running()).toHaveLength(1);
  });

  it('a cluster that does not answer and is not coming up leaves the job UNKNOWN, its id kept', async () => {
    const { u, flinkJobId } = await killedWhileComingUp();
    u.runtime.fakeApplicationTarget(TARGET).made.get(flinkJobId)!.flink.answering = false;
    const next = await u.restart();
    expect(await next.job('orders')).toMatchObject({
      state: 'UNKNOWN',
      submissionInFlight: null,
      flinkJobId,
      stateReasonMessage: { code: 'reconcile.clusterSilent' },
    });
  });

  it('a cluster that is gone is rolled back: FAILED, nothing left running', async () => {
    const { u, flinkJobId } = await killedWhileComingUp();
    await u.runtime.fakeApplicationTarget(TARGET).release(flinkJobId);
    const next = await u.restart();
    expect(await next.job('orders')).toMatchObject({
      state: 'FAILED',
      submissionInFlight: null,
      flinkJobId: null,
    });
    expect(u.runtime.fakeApplicationTarget(TARGET).running()).toHaveLength(0);
  });
});
