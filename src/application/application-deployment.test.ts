import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import { TARGET_KINDS } from '../domain/targets/target-kinds.ts';
import { type Observer, TargetUnreachable } from '../domain/targets/deployment-target.ts';

const TARGET = 'local-application-1.20';
type FakeApplicationTarget = ReturnType<LifecycleUnit['runtime']['fakeApplicationTarget']>;

/** The fake local application target of engine 1.20 (made when the platform first asks for it). */
const appsOf = (u: LifecycleUnit): FakeApplicationTarget => u.runtime.fakeApplicationTarget(TARGET);

async function appUnit(): Promise<{ u: LifecycleUnit; apps: FakeApplicationTarget }> {
  const u = await lifecycleUnit();
  await u.createJob('orders', { target: TARGET });
  return { u, apps: appsOf(u) };
}

describe('a start on the local application target, over a fake target', () => {
  it('runs the kind’s own steps, reserves the Flink job id before the cluster starts, and observes JM_RUNNING and PODS_RUNNING', async () => {
    const { u, apps } = await appUnit();
    let reservedAtStart: string | null = null;
    apps.onCall = async (call) => {
      if (call === 'start') reservedAtStart = (await u.job('orders')).flinkJobId;
    };
    const s = await u.run('orders', 'start');
    expect(s.status, `${s.failedStep}: ${s.error}`).toBe('succeeded');
    expect(s.steps.map((x) => x.name)).toEqual([
      'resolve version',
      'validate',
      ...TARGET_KINDS['local-application'].deploySteps.sql!,
    ]);
    const job = await u.job('orders');
    expect(job).toMatchObject({ state: 'RUNNING', deployedVersion: 1, submissionInFlight: null });
    expect(reservedAtStart).toBe(job.flinkJobId);
    expect(await u.path('orders')).toEqual(['CREATED', 'STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
    // The job runs in a cluster of its own, under the reserved id, with the job's options.
    const cluster = apps.made.get(job.flinkJobId!)!;
    expect(cluster.spec.resources).toEqual({
      taskManagers: 1,
      slotsPerTaskManager: 1,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1024m',
    });
    const flinkJob = cluster.flink.job(job.flinkJobId!);
    expect(flinkJob.state).toBe('RUNNING');
    expect(flinkJob.options['restart-strategy.type']).toBe('exponential-delay');
    expect(u.flink.jobs.size).toBe(0);
    expect((await u.jobs.get('orders')).restUrl).toBe(`fake://${job.flinkJobId}`);
  });

  it("records the id a cluster's manager chose for the job (the operator's session job) and follows it from then on", async () => {
    const { u, apps } = await appUnit();
    const chosen = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    let reserved: string | null = null;
    apps.onCall = async (call) => {
      if (call === 'start') reserved = (await u.job('orders')).flinkJobId;
    };
    apps.nextJobId = chosen;
    const s = await u.run('orders', 'start');
    expect(s.status, `${s.failedStep}: ${s.error}`).toBe('succeeded');
    expect(reserved).not.toBe(chosen);
    expect(s.flinkJobId).toBe(chosen);
    expect(await u.job('orders')).toMatchObject({ state: 'RUNNING', flinkJobId: chosen });
    expect(apps.made.get(chosen)!.flink.job(chosen).state).toBe('RUNNING');
    // Its stop goes to the chosen id, and its cluster goes.
    expect((await u.run('orders', 'stop')).status).toBe('succeeded');
    expect(apps.running()).toEqual([]);
  });

  const failures: { step: string; script: (apps: FakeApplicationTarget) => void; cause: RegExp }[] = [
    {
      step: 'write SQL runner plan',
      script: (apps) => {
        apps.onCall = (call) => {
          if (call === 'writeProgram') throw new Error('Maven could not build the SQL runner');
        };
      },
      cause: /Maven could not build the SQL runner/,
    },
    {
      step: 'prepare cluster files',
      script: (apps) => {
        apps.onCall = (call) => {
          if (call === 'prepareFiles') throw new Error('no space left on device');
        };
      },
      cause: /no space left on device/,
    },
    {
      step: 'JobManager answers',
      script: (apps) => {
        apps.onCall = (call, id) => {
          if (call === 'facts') apps.killJobManager(id);
        };
      },
      cause: /JobManager of application cluster .* exited while it started the job/,
    },
    {
      step: 'JobManager answers',
      script: (apps) => {
        apps.jobManagerAnswers = false;
      },
      cause: /did not answer within 120 s/,
    },
    {
      step: 'wait until running',
      script: (apps) => {
        apps.nextSubmit = { kind: 'fails', cause: 'java.lang.RuntimeException: boom', restarts: 1 };
      },
      cause: /boom/,
    },
  ];
  for (const f of failures)
    it(`a failure at "${f.step}" (${f.cause.source}) ends FAILED and leaves no cluster running`, async () => {
      const { u, apps } = await appUnit();
      f.script(apps);
      const s = await u.run('orders', 'start');
      expect(s.status).toBe('failed');
      expect(s.failedStep).toBe(f.step);
      expect(s.error).toMatch(f.cause);
      expect((await u.job('orders')).state).toBe('FAILED');
      expect(apps.running()).toEqual([]);
    });
});

describe('a start whose tasks wait for their TaskManagers', () => {
  it('waits on past the running deadline while its cluster still comes up (its logs change), and gives up once it stays still', async () => {
    const { u, apps } = await appUnit();
    apps.nextSubmit = { kind: 'waits' };
    const began = u.clock.now();
    // A TaskManager JVM that boots for 200 s on a loaded machine, logging every 10 s, then registers.
    apps.onCall = (call, id) => {
      const t = u.clock.now() - began;
      if (call !== 'facts' || !apps.made.get(id)?.started) return;
      if (t < 200_000) apps.taskManagerLog = `booting, ${Math.floor(t / 10_000)}`;
      else Object.assign(apps.made.get(id)!.flink.job(id), { state: 'RUNNING', tasksRunning: true });
    };
    const s = await u.run('orders', 'start');
    expect(s.status, `${s.failedStep}: ${s.error}`).toBe('succeeded');
    expect(u.clock.now() - began).toBeGreaterThan(200_000);
    expect((await u.job('orders')).state).toBe('RUNNING');

    // The same tasks waiting with nothing changing: given up after the deadline, saying how long.
    const still = await appUnit();
    still.apps.nextSubmit = { kind: 'waits' };
    const failed = await still.u.run('orders', 'start');
    expect(failed.failedStep).toBe('wait until running');
    expect(failed.error).toMatch(/still CREATED after 9\d s/);
    expect(still.apps.running()).toEqual([]);
  });
});

describe('a cancel while a job’s own cluster starts', () => {
  it('ends the start after the step under way, and stops the cluster', async () => {
    const { u, apps } = await appUnit();
    const cancels: Promise<{ id: string }>[] = [];
    apps.onCall = async (call) => {
      if (call === 'facts' && !cancels.length)
        cancels.push(u.runner.launch(await u.job('orders'), 'cancel', {}, 'bob'));
    };
    const s = await u.run('orders', 'start');
    expect((await cancels[0]!).id).toBe(s.id);
    expect(s.status).toBe('cancelled');
    expect((await u.job('orders')).state).toBe('CANCELLED');
    expect(apps.made.size).toBe(1);
    expect(apps.running()).toEqual([]);
  });
});

describe('a job in its own cluster, once it runs', () => {
  const started = async () => {
    const r = await appUnit();
    expect((await r.u.run('orders', 'start')).status).toBe('succeeded');
    const id = (await r.u.job('orders')).flinkJobId!;
    return { ...r, id, cluster: r.apps.made.get(id)! };
  };

  it('a stop with savepoint leaves it STOPPED and its cluster gone; the next start restores in a new cluster', async () => {
    const { u, apps, id } = await started();
    const stop = await u.run('orders', 'stop');
    expect(stop.status).toBe('succeeded');
    expect((await u.job('orders')).state).toBe('STOPPED');
    expect(apps.running()).toEqual([]);
    expect((await u.jobs.get('orders')).restUrl).toBeNull();
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    const next = (await u.job('orders')).flinkJobId!;
    expect(next).not.toBe(id);
    expect(apps.made.get(next)!.spec.savepoint).toBe(stop.savepointPath);
    expect(apps.running().map((c) => c.spec.flinkJobId)).toEqual([next]);
  });

  it('a cancel leaves it CANCELLED and its cluster gone', async () => {
    const { u, apps } = await started();
    expect((await u.run('orders', 'cancel')).status).toBe('succeeded');
    expect((await u.job('orders')).state).toBe('CANCELLED');
    expect(apps.running()).toEqual([]);
  });

  it('a cancel whose JobManager stops answering as its cluster goes (deleted with its job) ends CANCELLED', async () => {
    const { u, apps, id } = await started();
    const own = apps.observerOf(id);
    const ended = async () => (await own.jobState(id)) === 'CANCELED';
    // Its JobManager shuts down with the job; its pods terminate a moment later.
    const silent: Observer = {
      ...own,
      jobState: async (fid) => {
        if (await ended()) throw new TargetUnreachable(TARGET, 'connection refused');
        return own.jobState(fid);
      },
    };
    apps.observerOf = (fid) => (fid === id ? silent : own);
    let asked = 0;
    const facts = apps.facts.bind(apps);
    apps.facts = async (fid) => ({ ...(await facts(fid)), alive: !(await ended()) || ++asked < 3 });
    const cancel = await u.run('orders', 'cancel');
    expect(cancel.status).toBe('succeeded');
    expect((await u.job('orders')).state).toBe('CANCELLED');
    expect(cancel.steps.find((x) => x.name === 'wait until cancelled')!.log.join('\n')).toMatch(
      /no longer answers and its cluster is gone/,
    );
    expect(apps.running()).toEqual([]);
  });

  it('an upgrade stops the old cluster before the new one starts', async () => {
    const { u, apps, id } = await started();
    expect((await u.run('orders', 'upgrade')).status).toBe('succeeded');
    const next = (await u.job('orders')).flinkJobId!;
    expect(apps.made.get(id)!.released).toBe(true);
    expect(apps.running().map((c) => c.spec.flinkJobId)).toEqual([next]);
  });

  it('the tracker sees it in its own cluster: FAILED once Flink gives up, and the cluster goes', async () => {
    const { u, apps, id, cluster } = await started();
    await u.tracker.tick();
    expect((await u.job('orders')).state).toBe('RUNNING');
    cluster.flink.fail(id, 'java.lang.RuntimeException: boom');
    await u.tracker.tick();
    const job = await u.job('orders');
    expect(job.state).toBe('FAILED');
    expect(job.stateReason).toMatch(/boom/);
    expect(apps.running()).toEqual([]);
  });

  it('a JobManager that dies is said, the job FAILED and the rest of its cluster gone', async () => {
    const { u, apps, id } = await started();
    apps.killJobManager(id);
    await u.tracker.tick();
    const job = await u.job('orders');
    expect(job.state).toBe('FAILED');
    expect(job.stateReason).toMatch(/JobManager of Flink job .* application cluster .* exited/);
    expect(apps.running()).toEqual([]);
  });

  it('a cluster whose JobManager does not answer makes only its own job UNKNOWN', async () => {
    const { u, cluster } = await started();
    await u.createJob('other', { target: TARGET });
    expect((await u.run('other', 'start')).status).toBe('succeeded');
    cluster.flink.answering = false;
    await u.tracker.tick();
    expect((await u.job('orders')).state).toBe('UNKNOWN');
    expect((await u.job('other')).state).toBe('RUNNING');
  });
});

describe('job options that size a job’s own cluster', () => {
  it('are checked when the job is saved on an application target, naming the option', async () => {
    const u = await lifecycleUnit();
    await expect(
      u.createJob('big', { target: TARGET, options: { 'taskmanager.memory.process.size': '256m' } }),
    ).rejects.toMatchObject({ details: { field: 'options.taskmanager.memory.process.size' } });
    // On a session target they size nothing, and are not checked.
    await u.createJob('small', { options: { 'taskmanager.memory.process.size': '256m' } });
  });
});

describe('a JAR job on the local application target, over a fake target', () => {
  const COUNTER = 'dev.sluice.testjobs.StatefulCounter';
  async function jarUnit(): Promise<{ u: LifecycleUnit; apps: FakeApplicationTarget }> {
    const u = await lifecycleUnit();
    u.artifacts.versions.clear();
    u.artifacts.add('counter', { mainClass: COUNTER, classes: [COUNTER] });
    u.artifacts.add('lib', { mainClass: null, classes: ['org.acme.Lib'] });
    await u.jobs.create(
      {
        name: 'counter',
        jar: 'counter',
        args: ['--keys', '2'],
        classpath: ['lib'],
        target: TARGET,
        engineVersion: '1.20',
        options: { 'pipeline.max-parallelism': '64' },
      },
      'test',
    );
    return { u, apps: appsOf(u) };
  }

  it('runs the kind’s JAR steps: the id reserved before the cluster starts, the jar and its classpath in usrlib, the options in its configuration', async () => {
    const { u, apps } = await jarUnit();
    let reservedAtStart: string | null = null;
    apps.onCall = async (call) => {
      if (call === 'start') reservedAtStart = (await u.job('counter')).flinkJobId;
    };
    const s = await u.run('counter', 'start');
    expect(s.status, `${s.failedStep}: ${s.error}`).toBe('succeeded');
    expect(s.steps.map((x) => x.name)).toEqual([
      'resolve version',
      'validate',
      ...TARGET_KINDS['local-application'].deploySteps.jar!,
    ]);
    const job = await u.job('counter');
    expect(job).toMatchObject({ state: 'RUNNING', deployedVersion: 1, submissionInFlight: null });
    expect(reservedAtStart).toBe(job.flinkJobId);
    expect(await u.path('counter')).toEqual(['CREATED', 'STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
    const cluster = apps.made.get(job.flinkJobId!)!;
    expect(cluster.spec.jars).toEqual(['/artifacts/counter-1.jar', '/artifacts/lib-1.jar']);
    expect(cluster.spec.program).toMatchObject({ kind: 'jar', entryClass: COUNTER, args: ['--keys', '2'] });
    const flinkJob = cluster.flink.job(job.flinkJobId!);
    expect(flinkJob.state).toBe('RUNNING');
    expect(flinkJob.options).toMatchObject({
      'pipeline.name': 'counter',
      'pipeline.max-parallelism': '64',
      'restart-strategy.type': 'exponential-delay',
    });
    // usrlib holds the classpath: no URL list for the user class loader.
    expect(flinkJob.options['pipeline.classpaths']).toBeUndefined();
    expect(u.flink.jobs.size).toBe(0);
    expect((await u.jobs.get('counter')).restUrl).toBe(`fake://${job.flinkJobId}`);
    const log = s.steps.find((x) => x.name === 'prepare cluster files')!.log.join('\n');
    expect(log).toContain(`program: ${COUNTER} from counter@1, arguments ["--keys","2"]`);
  });

  it('a stop with savepoint leaves no cluster; the next start restores it in a new one; a cancel ends it', async () => {
    const { u, apps } = await jarUnit();
    expect((await u.run('counter', 'start')).status).toBe('succeeded');
    const first = (await u.job('counter')).flinkJobId!;
    const stop = await u.run('counter', 'stop');
    expect(stop.status).toBe('succeeded');
    expect(stop.savepointPath).toBeTruthy();
    expect((await u.job('counter')).state).toBe('STOPPED');
    expect(apps.running()).toEqual([]);
    expect((await u.run('counter', 'start')).status).toBe('succeeded');
    const next = (await u.job('counter')).flinkJobId!;
    expect(next).not.toBe(first);
    expect(apps.made.get(next)!.spec.savepoint).toBe(stop.savepointPath);
    expect(apps.made.get(next)!.flink.job(next).options['execution.savepoint.path']).toBe(stop.savepointPath);
    expect((await u.run('counter', 'cancel')).status).toBe('succeeded');
    expect((await u.job('counter')).state).toBe('CANCELLED');
    expect(apps.running()).toEqual([]);
  });

  it('a failure while the cluster’s files are made ends FAILED at that step, no cluster started', async () => {
    const { u, apps } = await jarUnit();
    apps.onCall = (call) => {
      if (call === 'prepareFiles') throw new Error('no space left on device');
    };
    const s = await u.run('counter', 'start');
    expect(s.status).toBe('failed');
    expect(s.failedStep).toBe('prepare cluster files');
    expect(s.error).toMatch(/no space left on device/);
    expect((await u.job('counter')).state).toBe('FAILED');
    expect(apps.running()).toEqual([]);
  });
});
