import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import { TARGET_KINDS } from '../domain/targets/target-kinds.ts';

/** No Flink job of the cluster is left running, and no SQL session is left open. */
function nothingLeft(u: LifecycleUnit): void {
  expect(u.flink.live().map((j) => `${j.id} ${j.state}`)).toEqual([]);
  expect(u.flink.openSessions).toBe(0);
}

describe('a start, over a fake Flink cluster', () => {
  it('runs every step of a session deploy, reserves the Flink job id first, and ends RUNNING', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    const s = await u.run('orders', 'start');
    expect(s.status).toBe('succeeded');
    expect(s.steps.map((x) => [x.name, x.status])).toEqual([
      ['resolve version', 'succeeded'],
      ['validate', 'succeeded'],
      ['prepare cluster', 'succeeded'],
      ['open SQL session', 'succeeded'],
      ['create tables', 'succeeded'],
      ['plan', 'succeeded'],
      ['submit', 'succeeded'],
      ['wait until running', 'succeeded'],
    ]);
    // They are the steps the target kind's registry entry says (this job creates no catalog).
    const kind = TARGET_KINDS['remote-session'];
    expect(s.steps.slice(2).map((x) => x.name)).toEqual(
      kind.deploySteps.sql!.filter((x) => !x.startsWith('[')),
    );
    const job = await u.job('orders');
    expect(job).toMatchObject({
      state: 'RUNNING',
      submissionInFlight: null,
      deployedVersion: 1,
      desiredState: 'running',
    });
    expect(await u.path('orders')).toEqual(['CREATED', 'STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
    // The id the platform chose is the one Flink runs, and the session carried the restart strategy.
    const flinkJob = u.flink.job(job.flinkJobId!);
    expect(flinkJob.state).toBe('RUNNING');
    expect(flinkJob.options['$internal.pipeline.job-id']).toBe(job.flinkJobId);
    expect(flinkJob.options['restart-strategy.type']).toBe('exponential-delay');
    expect(u.flink.openSessions).toBe(0);
  });

  const steps: {
    step: string;
    script: (u: LifecycleUnit) => void;
    cause: RegExp;
    flinkJob: 'none' | 'ended';
  }[] = [
    {
      step: 'validate',
      script: (u) =>
        u.scriptErrors.push({
          severity: 'error',
          line: 3,
          column: 8,
          message: "Unknown table 'snk'",
        } as never),
      cause: /Unknown table 'snk'/,
      flinkJob: 'none',
    },
    {
      step: 'prepare cluster',
      script: (u) => (u.flink.answering = false),
      cause: /does not answer/,
      flinkJob: 'none',
    },
    {
      step: 'prepare cluster',
      // The JobManager answers but no TaskManager registered: JM_RUNNING is seen, PODS_RUNNING is not.
      script: (u) => (u.flink.taskManagers = 0),
      cause: /no TaskManager/i,
      flinkJob: 'none',
    },
    {
      step: 'create tables',
      script: (u) =>
        u.flink.refuse(
          /^CREATE TABLE snk/,
          "ValidationException: Could not find any factory for identifier 'blackhole'",
        ),
      cause: /Could not find any factory for identifier 'blackhole'/,
      flinkJob: 'none',
    },
    {
      step: 'plan',
      script: (u) => u.flink.refuse(/^EXPLAIN/, "ValidationException: Column 'id' not found"),
      cause: /Column 'id' not found/,
      flinkJob: 'none',
    },
    {
      step: 'submit',
      script: (u) => u.flink.refuse(/^EXECUTE STATEMENT SET/, 'TableException: Failed to execute sql'),
      cause: /Failed to execute sql/,
      flinkJob: 'none',
    },
    {
      step: 'wait until running',
      script: (u) =>
        (u.flink.onSubmit = { kind: 'fails', cause: 'java.lang.ArithmeticException: / by zero' }),
      cause: /by zero/,
      flinkJob: 'ended',
    },
    {
      step: 'wait until running',
      // Tasks that never get slots: the 90 s deadline passes (in fake time) and the job is cancelled.
      script: (u) => (u.flink.onSubmit = { kind: 'waits' }),
      cause: /still CREATED after 90 s/,
      flinkJob: 'ended',
    },
  ];

  it.each(steps)(
    'a failure at "$step" names the step and cause, and leaves nothing running ($cause)',
    async (c) => {
      const u = await lifecycleUnit();
      await u.createJob('orders');
      c.script(u);
      const s = await u.run('orders', 'start');
      expect(s.status).toBe('failed');
      expect(s.failedStep).toBe(c.step);
      expect(s.error).toMatch(c.cause);
      expect(s.steps.at(-1)).toMatchObject({ name: c.step, status: 'failed' });
      u.flink.answering = true;
      const job = await u.job('orders');
      // A start that never ran is not a runtime failure: FAILED, back to desired stopped, reason says where.
      expect(job).toMatchObject({
        state: 'FAILED',
        submissionInFlight: null,
        desiredState: 'stopped',
        deployedVersion: null,
      });
      expect(job.stateReason).toContain(`failed at step "${c.step}"`);
      expect(job.stateReason).toMatch(c.cause);
      nothingLeft(u);
      if (c.flinkJob === 'none') {
        // A reserved id Flink never received names nothing: neither the job nor the submission keeps it.
        expect(u.flink.jobs.size).toBe(0);
        expect(job.flinkJobId).toBeNull();
        expect(s.flinkJobId).toBeNull();
        expect(job.stateReason).toContain('no Flink job was created');
      } else {
        expect(u.flink.jobs.size).toBe(1);
        expect(job.flinkJobId).toBe(s.flinkJobId);
      }
      // No resubmission follows a start that never ran.
      expect(u.resubmissions).toEqual([]);
    },
  );

  it('JM_RUNNING and PODS_RUNNING are what the observer sees: no TaskManager, no PODS_RUNNING', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    u.flink.taskManagers = 0;
    await u.run('orders', 'start');
    expect(await u.path('orders')).toEqual(['CREATED', 'STARTING', 'JM_RUNNING', 'FAILED']);
    u.flink.taskManagers = 2;
    await u.run('orders', 'start');
    const events = await u.events('orders');
    expect(events.find((e) => e.to === 'PODS_RUNNING')!.reason).toBe(
      '2 TaskManager(s) registered on cluster fake',
    );
  });

  it('a task failure while starting is said at once (NOT_RUNNING) and the same cause twice ends the wait', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    // Flink keeps restarting the job, and each attempt fails the same way.
    u.flink.onCall = (call) => {
      const [job] = u.flink.jobs.values();
      if (call === 'observeJob' && job)
        u.flink.fail(job.id, 'java.io.IOException: broker down', { restartsLeft: 1 });
    };
    const s = await u.run('orders', 'start');
    expect(s.error).toMatch(
      /failed \d+ times with the same cause before it ran: java.io.IOException: broker down/,
    );
    expect(s.rootCause).toBe('java.io.IOException: broker down');
    expect(await u.path('orders')).toEqual([
      'CREATED',
      'STARTING',
      'JM_RUNNING',
      'PODS_RUNNING',
      'NOT_RUNNING',
      'FAILED',
    ]);
    nothingLeft(u);
  });

  it('a job whose task failed and that runs again counts as started once it has run for a second', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    u.flink.onCall = (call) => {
      // Its first look at the job: a task failed and Flink restarted it.
      const [job] = u.flink.jobs.values();
      if (call === 'observeJob' && job && job.restarts === 0) {
        u.flink.fail(job.id, 'java.net.ConnectException: refused', { restartsLeft: 1 });
        u.flink.restart(job.id);
      }
    };
    const s = await u.run('orders', 'start');
    expect(s.status).toBe('succeeded');
    expect(await u.path('orders')).toEqual([
      'CREATED',
      'STARTING',
      'JM_RUNNING',
      'PODS_RUNNING',
      'NOT_RUNNING',
      'RUNNING',
    ]);
    expect(u.clock.waited).toBeGreaterThanOrEqual(1000);
  });

  it('a cancel during a start ends it after the step under way and cancels the Flink job it created', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    u.flink.onSubmit = { kind: 'waits' };
    const cancels: Promise<{ id: string }>[] = [];
    u.flink.onCall = async (call) => {
      if (call === 'observeJob' && !cancels.length)
        cancels.push(u.runner.launch(await u.job('orders'), 'cancel', {}, 'bob'));
    };
    const s = await u.run('orders', 'start');
    const answered = await cancels[0]!;
    // The cancel answers with the start's own submission, which ends cancelled.
    expect(answered.id).toBe(s.id);
    expect(s.status).toBe('cancelled');
    expect(s.steps.at(-1)).toMatchObject({ name: 'wait until running', status: 'cancelled' });
    const job = await u.job('orders');
    expect(job).toMatchObject({ state: 'CANCELLED', submissionInFlight: null, desiredState: 'stopped' });
    expect(job.stateReason).toContain('bob');
    expect(u.flink.job(job.flinkJobId!).state).toBe('CANCELED');
    nothingLeft(u);
  });

  it('refuses a second command while one is under way, and a command the state does not allow', async () => {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    await expect(u.run('orders', 'stop')).rejects.toThrow(/stop/);
    u.flink.onSubmit = { kind: 'waits' };
    const started = await u.runner.launch(await u.job('orders'), 'start', {}, 'alice');
    await expect(u.runner.launch(await u.job('orders'), 'savepoint', {}, 'bob')).rejects.toThrow(
      /submission #1/,
    );
    await u.runner.launch(await u.job('orders'), 'cancel', {}, 'alice');
    await u.runner.wait(started.id);
    nothingLeft(u);
  });
});

describe('stop, savepoint, cancel and upgrade, over a fake Flink cluster', () => {
  async function running(): Promise<LifecycleUnit> {
    const u = await lifecycleUnit();
    await u.createJob('orders');
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    return u;
  }

  it('stop takes a savepoint, records it, and the next start restores from it by default', async () => {
    const u = await running();
    const first = (await u.job('orders')).flinkJobId!;
    const stop = await u.run('orders', 'stop');
    expect(stop.status).toBe('succeeded');
    expect(stop.steps.map((s) => s.name)).toEqual(['stop with savepoint', 'wait until stopped']);
    const job = await u.job('orders');
    expect(job).toMatchObject({ state: 'STOPPED', desiredState: 'stopped', submissionInFlight: null });
    const [savepoint] = await u.jobs.savepoints('orders');
    expect(savepoint).toMatchObject({
      kind: 'savepoint',
      origin: 'stop',
      flinkJobId: first,
      path: stop.savepointPath,
    });
    await u.run('orders', 'start');
    const second = u.flink.job((await u.job('orders')).flinkJobId!);
    expect(second.id).not.toBe(first);
    expect(second.options['execution.savepoint.path']).toBe(savepoint!.path);
  });

  it('a stop whose savepoint fails leaves the job as Flink reports it: still RUNNING', async () => {
    const u = await running();
    u.flink.failNextSavepoint('java.util.concurrent.TimeoutException: checkpoint expired');
    const stop = await u.run('orders', 'stop');
    expect(stop).toMatchObject({ status: 'failed', failedStep: 'stop with savepoint' });
    expect(stop.rootCause).toContain('checkpoint expired');
    expect(await u.job('orders')).toMatchObject({ state: 'RUNNING', submissionInFlight: null });
    expect(u.flink.live()).toHaveLength(1);
  });

  it('cancel records the checkpoint Flink retained, and the next start restores from it', async () => {
    const u = await running();
    const id = (await u.job('orders')).flinkJobId!;
    const checkpoint = u.flink.checkpoint(id);
    expect((await u.run('orders', 'cancel')).status).toBe('succeeded');
    expect(await u.job('orders')).toMatchObject({ state: 'CANCELLED', submissionInFlight: null });
    expect((await u.jobs.savepoints('orders'))[0]).toMatchObject({ path: checkpoint, origin: 'retained' });
    await u.run('orders', 'start');
    expect(u.flink.job((await u.job('orders')).flinkJobId!).options['execution.savepoint.path']).toBe(
      checkpoint,
    );
  });

  it('upgrade is a stop with savepoint then a start of the new version from it, in one submission', async () => {
    const u = await running();
    const job = await u.job('orders');
    await u.jobs.update('orders', 1, { parallelism: 2 }, 'more parallelism', 'alice');
    const s = await u.run('orders', 'upgrade');
    expect(s.status).toBe('succeeded');
    expect(s.steps.map((x) => x.name).slice(0, 3)).toEqual([
      'stop with savepoint',
      'wait until stopped',
      'resolve version',
    ]);
    const after = await u.job('orders');
    expect(after).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });
    expect(u.flink.job(job.flinkJobId!).state).toBe('FINISHED');
    const next = u.flink.job(after.flinkJobId!);
    expect(next.options['parallelism.default']).toBe('2');
    expect(next.options['execution.savepoint.path']).toBe(s.savepointPath);
  });

  it('savepoint retention keeps the newest of each kind', async () => {
    const u = await running();
    for (let i = 0; i < 3; i++) expect((await u.run('orders', 'savepoint')).status).toBe('succeeded');
    const kept = await u.jobs.savepoints('orders');
    expect(kept).toHaveLength(2);
    expect(kept.map((k) => k.path)).toEqual(
      u.flink
        .job((await u.job('orders')).flinkJobId!)
        .savepoints.slice(1)
        .reverse(),
    );
  });
});
