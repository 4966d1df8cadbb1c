import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { runSluice } from '../support/cli.ts';
import { flinkFetch } from '../support/flink-tls.ts';
import type { TargetResourcesInfo } from '../../src/contract/targets.ts';
import { howItEnded, lifecycleHarness, type LifecycleHarness } from '../support/lifecycle.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';

/**
 * What the platform says about a job is what Flink does (issue 10, items 2-6), against a real local
 * Flink 1.20 session cluster: the restart policy is Flink's, a failing start names its cause, a start
 * restores the latest state unless told otherwise, a script that cannot run never reaches Flink, and
 * a deleted job leaves no state folder behind.
 */
describe('lifecycle truths on a local session cluster', () => {
  let h: LifecycleHarness;
  let t: TestPlatform;
  let url: string;
  const jobs = () => h.jobs();
  const rest = () => h.rest();
  const settled = (s: Submission) => h.settled(s);
  const stepLog = (s: Submission, step: string) => h.stepLog(s, step);
  const failures = async (flinkJobId: string) => (await (await rest()).exceptionHistory(flinkJobId)).length;
  const liveFlinkJobs = (name: string) => h.liveFlinkJobs(name);

  /** A datagen sequence at 10 rows/s whose CAST fails from row `failAt` on: it runs, then fails. */
  const failingSql = (failAt: number, rowsPerSecond = 10) => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '${rowsPerSecond}',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000');
CREATE TABLE sink (n INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT CAST(IF(id >= ${failAt}, CONCAT('x', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`;
  const sequenceSql = (out: string) => `
CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000');
CREATE TABLE files (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://${out}', 'format' = 'csv',
  'sink.rolling-policy.rollover-interval' = '1s', 'sink.rolling-policy.check-interval' = '1s');
INSERT INTO files SELECT id FROM ids;`;

  beforeAll(async () => {
    // The sink that fails on its first rows writes under /proc, which no one can write, root included.
    h = await lifecycleHarness({ savepointRetention: 3, allowedFilePaths: [os.tmpdir(), '/proc'] });
    ({ t, url } = h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Flink restarts a job exactly as its fixed-delay policy says, then fails it for good, with and without checkpointing', async () => {
    for (const [name, options] of [
      ['fixed-ckpt', { 'execution.checkpointing.interval': '1 s' }],
      ['fixed-plain', {}],
    ] as const) {
      await jobs().create(
        {
          name,
          sql: failingSql(15),
          target: 'local-1.20',
          options,
          restartPolicy: { kind: 'fixed-delay', attempts: 2, delaySeconds: 1 },
        },
        'ann',
      );
      const start = await settled(await jobs().start(name, {}, 'ann'));
      expect(start.status, `${start.error}`).toBe('succeeded');
      expect(stepLog(start, 'open SQL session')).toContain("option 'restart-strategy.type' = 'fixed-delay'");
      const failed = await waitFor(
        `${name} FAILED`,
        async () => {
          const j = await jobs().get(name);
          return j.state === 'FAILED' && j;
        },
        60_000,
      );
      expect(failed.stateReason).toMatch(/NumberFormatException/);
      // Flink's exception history (served from a cache for a second): the two restarts and the
      // failure that ended the job, and no more.
      await waitFor(
        `${name}: Flink's exception history`,
        async () => (await failures(failed.flinkJobId!)) >= 3,
      );
      expect(await failures(failed.flinkJobId!), `${name}: failures seen by Flink`).toBe(3);
      expect((await (await rest()).job(failed.flinkJobId!)).state).toBe('FAILED');
      // The platform did not resubmit: its resubmit policy is none.
      expect((await jobs().submissions(name)).map((s) => s.kind)).toEqual(['start']);
    }
  });

  it("policy none is set explicitly: with checkpointing (Flink's default would restart forever) the first failure fails the job", async () => {
    await jobs().create(
      {
        name: 'no-restart',
        sql: failingSql(15),
        target: 'local-1.20',
        options: { 'execution.checkpointing.interval': '1 s' },
        restartPolicy: { kind: 'none' },
      },
      'ann',
    );
    const start = await settled(await jobs().start('no-restart', {}, 'ann'));
    expect(start.status, `${start.error}`).toBe('succeeded');
    expect(stepLog(start, 'open SQL session')).toContain("option 'restart-strategy.type' = 'none'");
    const failed = await waitFor('no-restart FAILED', async () => {
      const j = await jobs().get('no-restart');
      return j.state === 'FAILED' && j;
    });
    await waitFor("Flink's exception history", async () => (await failures(failed.flinkJobId!)) >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await failures(failed.flinkJobId!)).toBe(1);
  });

  it('restart options belong to the policy: an option or SET line naming them is refused at save', async () => {
    await expect(
      jobs().create(
        {
          name: 'sneaky',
          sql: failingSql(15),
          target: 'local-1.20',
          options: { 'restart-strategy.type': 'fixed-delay' },
        },
        'ann',
      ),
    ).rejects.toThrow(/option 'restart-strategy.type': Flink's restart strategy is the job's restart policy/);
    await expect(
      jobs().create(
        {
          name: 'sneaky',
          sql: `SET 'restart-strategy.fixed-delay.attempts' = '9';\n${failingSql(15)}`,
          target: 'local-1.20',
        },
        'ann',
      ),
    ).rejects.toThrow(/line 1: option 'restart-strategy.fixed-delay.attempts'/);
    expect((await jobs().list()).map((j) => j.name)).not.toContain('sneaky');
  });

  const failingAgainAndAgain = {
    options: { 'execution.checkpointing.interval': '1 s' },
    restartPolicy: { kind: 'fixed-delay', attempts: 100, delaySeconds: 0.5 },
    resubmitPolicy: { kind: 'from-latest-checkpoint', attempts: 3, backoffSeconds: 0 },
  } as const;

  it('a start whose job fails again and again ends at the second failure with the root cause, NOT_RUNNING meanwhile', async () => {
    // The sink cannot open (nothing listens on port 1): its task fails before it ever runs.
    await jobs().create(
      {
        name: 'db-down',
        sql: `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE db (id BIGINT) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:1/shop', 'table-name' = 'ids');
INSERT INTO db SELECT id FROM src;`,
        target: 'local-1.20',
        ...failingAgainAndAgain,
      },
      'ann',
    );
    const t0 = Date.now();
    const sub = await settled(await jobs().start('db-down', {}, 'ann'));
    const took = Date.now() - t0;
    expect(sub).toMatchObject({ status: 'failed', failedStep: 'wait until running' });
    expect(sub.rootCause).toMatch(/Connection (to 127\.0\.0\.1:1 )?refused/);
    expect(sub.error).toMatch(/failed [2-9] times with the same cause before it ran/);
    expect(sub.error).not.toMatch(/slots/);
    expect(took, `took ${took} ms`).toBeLessThan(30_000);
    // The whole trace is kept in the step's log.
    expect(stepLog(sub, 'wait until running')).toMatch(/\n\s+at /);
    const notRunning = (await jobs().events('db-down')).find((e) => e.to === 'NOT_RUNNING');
    expect(notRunning?.reason).toMatch(/refused/);
    // A failed start is not a runtime failure: nothing keeps running, and nothing is resubmitted.
    expect(await jobs().get('db-down')).toMatchObject({
      state: 'FAILED',
      desiredState: 'stopped',
      submissionInFlight: null,
    });
    await waitFor('the Flink job gone', async () => (await liveFlinkJobs('db-down')).length === 0, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await jobs().submissions('db-down')).map((s) => s.kind)).toEqual(['start']);
  });

  it("a job that fails on its first rows has its real cause named within seconds, whether Flink's tasks were running yet or not", async () => {
    // Flink reports every task RUNNING a moment before the first row fails: the start may end
    // either way, but the cause is said at once, never "not enough slots" after 90 s.
    for (const [name, sql, cause] of [
      ['cast-at-once', failingSql(1), /NumberFormatException: For input string: .x1./],
      [
        'proc-sink',
        `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE proc_sink (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file:///proc/x', 'format' = 'csv');
INSERT INTO proc_sink SELECT id FROM src;`,
        /IOException/,
      ],
    ] as const) {
      await jobs().create({ name, sql, target: 'local-1.20', ...failingAgainAndAgain }, 'ann');
      const t0 = Date.now();
      const sub = await settled(await jobs().start(name, {}, 'ann'));
      expect(Date.now() - t0, `${name}: the start's wait`).toBeLessThan(30_000);
      const named = await waitFor(
        `${name}: the cause named`,
        async () => {
          const j = await jobs().get(name);
          const said = `${sub.rootCause ?? ''}\n${j.stateReason ?? ''}`;
          return cause.test(said) && said;
        },
        15_000,
      );
      expect(named).not.toMatch(/slots/);
      expect((await jobs().events(name)).some((e) => e.to === 'NOT_RUNNING' && cause.test(e.reason))).toBe(
        true,
      );
      if ((await jobs().get(name)).state !== 'FAILED') await settled(await jobs().cancel(name, 'ann'));
      await waitFor('the Flink job gone', async () => (await liveFlinkJobs(name)).length === 0, 20_000);
    }
  });

  it('a plain start restores the latest savepoint or retained checkpoint; none starts empty; a bad path changes nothing', async () => {
    const out = path.join(t.home, 'restore-out');
    await jobs().create(
      {
        name: 'restore',
        sql: sequenceSql(out),
        target: 'local-1.20',
        options: { 'execution.checkpointing.interval': '1 s' },
      },
      'ann',
    );
    const first = await settled(await jobs().start('restore', {}, 'ann'));
    expect(stepLog(first, 'validate')).toContain(
      'no savepoint or retained checkpoint is recorded for this job: starting with empty state',
    );
    const stop = await settled(await jobs().stop('restore', false, 'ann'));
    expect(stop.status, `${stop.error}`).toBe('succeeded');
    expect((await jobs().get('restore')).defaultRestore?.path).toBe(stop.savepointPath);

    const second = await settled(await jobs().start('restore', {}, 'ann'));
    expect(second.status, `${second.error}`).toBe('succeeded');
    expect(stepLog(second, 'validate')).toContain(
      `restoring from the latest savepoint ${stop.savepointPath}`,
    );
    expect(stepLog(second, 'open SQL session')).toContain(
      `option 'execution.savepoint.path' = '${stop.savepointPath}'`,
    );
    // The same version on the same engine was planned by the first start: not planned twice.
    expect(stepLog(first, 'plan')).toMatch(/line \d+: planned/);
    expect(stepLog(second, 'plan')).toMatch(
      /planned by Flink before \(submission #1 of restore\): not planned again/,
    );

    // A cancel keeps the latest checkpoint, and the next start resumes from it.
    await waitFor('a checkpoint of the second run', async () => {
      const j = await jobs().get('restore');
      return !!j.runtime?.lastCheckpoint?.path;
    });
    const cancel = await settled(await jobs().cancel('restore', 'ann'));
    expect(stepLog(cancel, 'wait until cancelled')).toMatch(/retained checkpoint file:.*chk-\d+ recorded/);
    const restore = (await jobs().get('restore')).defaultRestore;
    expect(restore).toMatchObject({ kind: 'checkpoint', origin: 'retained' });

    const before = (await jobs().submissions('restore')).length;
    await expect(
      jobs().start('restore', { fromSavepoint: path.join(t.home, 'no-such-savepoint') }, 'ann'),
    ).rejects.toThrow(/does not exist on this machine/);
    await expect(jobs().start('restore', { fromSavepoint: t.home }, 'ann')).rejects.toThrow(
      /holds no savepoint or checkpoint \(no _metadata file in it\)/,
    );
    expect((await jobs().submissions('restore')).length).toBe(before);
    expect((await jobs().get('restore')).state).toBe('CANCELLED');

    const third = await settled(await jobs().start('restore', {}, 'ann'));
    expect(stepLog(third, 'validate')).toContain(`restoring from the latest checkpoint ${restore!.path}`);
    await settled(await jobs().cancel('restore', 'ann'));
    const empty = await settled(await jobs().start('restore', { fromSavepoint: 'none' }, 'ann'));
    expect(stepLog(empty, 'validate')).toContain('starting with empty state, as asked');
    expect(stepLog(empty, 'open SQL session')).not.toContain('execution.savepoint.path');
    await settled(await jobs().cancel('restore', 'ann'));
  });

  it('deleting a job removes its savepoint and checkpoint folders and says so; --keep-savepoints keeps them', async () => {
    const savepoints = path.join(t.home, 'savepoints', 'restore');
    expect(fs.readdirSync(savepoints).length).toBeGreaterThan(0);
    const checkpoints = (await jobs().savepoints('restore'))
      .filter((s) => s.kind === 'checkpoint')
      .map((s) => path.dirname(s.path.replace(/^file:/, '')));
    expect(checkpoints.length).toBeGreaterThan(0);
    const r = await runSluice(url, ['job', 'delete', 'restore']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`removed ${savepoints}`);
    for (const c of checkpoints) {
      expect(r.stdout).toContain(`removed ${c}`);
      expect(fs.existsSync(c)).toBe(false);
    }
    expect(fs.existsSync(savepoints)).toBe(false);

    // The same with --keep-savepoints: the folders stay, and the answer says so.
    await jobs().create(
      { name: 'keeper', sql: sequenceSql(path.join(t.home, 'k')), target: 'local-1.20' },
      'ann',
    );
    await settled(await jobs().start('keeper', {}, 'ann'));
    const stop = await settled(await jobs().stop('keeper', false, 'ann'));
    const kept = await runSluice(url, ['job', 'delete', 'keeper', '--keep-savepoints']);
    expect(kept.stdout).toContain(`kept ${path.join(t.home, 'savepoints', 'keeper')}`);
    expect(fs.existsSync(path.join(stop.savepointPath!.replace(/^file:/, ''), '_metadata'))).toBe(true);
  });

  it('a script with a grammar error is saved with a warning and refused at validate with its place; the CLI prints no Java trace', async () => {
    const sql = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELEC id FROM src;`;
    fs.writeFileSync(path.join(t.home, 'selec.sql'), sql);
    const created = await runSluice(url, [
      'job',
      'create',
      '--name',
      'selec',
      '--sql-file',
      path.join(t.home, 'selec.sql'),
      '--cluster',
      'local-1.20',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/warning: line 3, column \d+: /);
    const start = await runSluice(url, ['job', 'start', 'selec']);
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/step "validate" failed: the script cannot run: line 3, column \d+/);
    expect(start.stderr).toContain('failed step: validate');
    expect(`${start.stdout}${start.stderr}`).not.toMatch(/\n\s+at [\w$.]+\(/);
    expect((await jobs().submissions('selec'))[0]).toMatchObject({
      failedStep: 'validate',
      flinkJobId: null,
    });
    expect(await liveFlinkJobs('selec')).toEqual([]);
  });

  it('a script the planner refuses fails at plan with the line and column, before anything is submitted', async () => {
    await jobs().create(
      {
        name: 'no-column',
        sql: `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink
SELECT nope FROM src;`,
        target: 'local-1.20',
      },
      'ann',
    );
    const sub = await settled(await jobs().start('no-column', {}, 'ann'));
    expect(sub).toMatchObject({ status: 'failed', failedStep: 'plan', flinkJobId: null });
    expect(sub.error).toMatch(/Flink rejected the statement at line 4, column 8: Column 'nope' not found/);
    const cli = await runSluice(url, ['job', 'submission-log', 'no-column', '1']);
    expect(cli.stdout).toMatch(/\n\s+at org\.apache\.flink\./); // the whole trace is in the log
  });

  it('resources: a job holds its slots, a second one asking more than the free slots is named as waiting for slots', async () => {
    // The cluster has one TaskManager of 4 slots: 2 taken by the first job, 4 asked by the second.
    const slow = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT id FROM src;`;
    await jobs().create({ name: 'holds-two', sql: slow, target: 'local-1.20', parallelism: 2 }, 'ann');
    await jobs().create({ name: 'wants-four', sql: slow, target: 'local-1.20', parallelism: 4 }, 'ann');
    const first = await settled(await jobs().start('holds-two', {}, 'ann'));
    expect(first.status, howItEnded(first)).toBe('succeeded');
    const second = await jobs().start('wants-four', {}, 'ann');
    const resources = async () => {
      const r = await runSluice(url, ['target', 'resources', 'local-1.20', '--json']);
      if (r.code !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as TargetResourcesInfo;
    };
    const seen = await waitFor(
      'wants-four named as waiting for slots',
      async () => {
        const v = await resources();
        return v.waiting.some((w) => w.job === 'wants-four') ? v : undefined;
      },
      60_000,
    );
    const waiting = seen.waiting.find((w) => w.job === 'wants-four')!;
    expect(waiting).toMatchObject({
      source: 'flink',
      reason: expect.stringMatching(/^(NoFreeSlot|NoResourceAvailable)$/),
    });
    expect(waiting.message).toMatch(/task\(s\) without a slot; cluster local-1\.20 has 0 of 4 slots free/);
    const cluster = seen.flink!.clusters[0]!;
    expect(cluster).toMatchObject({ cluster: 'local-1.20', problem: null, slotsTotal: 4, slotsFree: 0 });
    expect(cluster.taskManagers).toHaveLength(1);
    expect(cluster.taskManagers[0]!.processMemoryBytes).toBe(1280 * 2 ** 20);
    expect(cluster.taskManagers[0]!.managedMemoryBytes).toBeGreaterThan(0);
    const holds = cluster.jobs.find((j) => j.job === 'holds-two')!;
    expect(holds).toMatchObject({ state: 'RUNNING', slots: 2, waitingTasks: 0 });
    expect(cluster.jobs.find((j) => j.job === 'wants-four')!.waitingTasks).toBeGreaterThan(0);
    expect(seen.sources.join('\n')).toMatch(/\/taskmanagers\/\{id\}/);
    const text = await runSluice(url, ['target', 'resources', 'local-1.20']);
    expect(text.stdout).toMatch(/slots: 4 used, 0 free of 4; 1 TaskManager/);
    expect(text.stdout).toMatch(
      /wants-four\s+(NoFreeSlot|NoResourceAvailable)\s+\d+ task\(s\) without a slot/,
    );

    await settled(
      await jobs()
        .cancel('wants-four', 'ann')
        .catch(() => second),
    );
    await settled(await jobs().cancel('holds-two', 'ann'));
    await waitFor('the slots free again', async () => {
      const v = await resources();
      return v.flink!.slotsFree === 4 && v.waiting.length === 0;
    });
  });

  it("a cancel made in Flink behind Sluice's back is recorded as coming from Flink, and said so", async () => {
    await jobs().create({ name: 'behind', sql: failingSql(1_000_000), target: 'local-1.20' }, 'ann');
    const sub = await settled(await jobs().start('behind', {}, 'ann'));
    // As anyone with the cluster's key would (the in-process platform's flinkFetch holds it).
    await flinkFetch(`${(await rest()).baseUrl}/jobs/${sub.flinkJobId}?mode=cancel`, { method: 'PATCH' });
    await waitFor('CANCELLED', async () => (await jobs().get('behind')).state === 'CANCELLED');
    const e = (await jobs().events('behind')).at(-1)!;
    expect(e).toMatchObject({ to: 'CANCELLED', source: 'flink' });
    expect(e.reason).toMatch(/cancelled in Flink directly \(its REST API or Web UI\), not through Sluice/);
  });
});
