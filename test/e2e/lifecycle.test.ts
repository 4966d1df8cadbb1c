import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleState } from '../../src/domain/jobs/lifecycle.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';
import { flinkFetch } from '../support/flink-tls.ts';

const START_STEPS = [
  'resolve version',
  'validate',
  'prepare cluster',
  'open SQL session',
  'create tables',
  'plan',
  'submit',
  'wait until running',
];

/** The job lifecycle against a real local Flink 1.20 session cluster. */
describe('job lifecycle on a local session cluster', () => {
  let t: TestPlatform;
  let firstSavepoint = '';
  const out = () => path.join(t.home, 'out');
  const jobs = () => t.platform.jobs;

  const sequenceSql = (where = '') => `
CREATE TABLE ids (id BIGINT) WITH (
  'connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000');
CREATE TABLE files (id BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'file://${out()}', 'format' = 'csv',
  'sink.rolling-policy.rollover-interval' = '1s', 'sink.rolling-policy.check-interval' = '1s');
INSERT INTO files SELECT id FROM ids ${where};`;

  /** Committed rows of the filesystem sink (in-progress files start with a dot). */
  const ids = () =>
    fs.existsSync(out())
      ? fs
          .readdirSync(out())
          .filter((f) => !f.startsWith('.'))
          .flatMap((f) =>
            fs.readFileSync(path.join(out(), f), 'utf8').split('\n').filter(Boolean).map(Number),
          )
      : [];
  const settled = async (s: Submission) => {
    await t.platform.submissions.wait(s.id);
    return (await t.platform.store.lifecycle.submission(s.id))!;
  };
  const stateIs = async (name: string, state: LifecycleState, ms = 30_000) => {
    try {
      return await waitFor(
        `job ${name} ${state}`,
        async () => {
          const j = await jobs().get(name);
          return j.state === state && j;
        },
        ms,
      );
    } catch (e) {
      const j = await jobs().get(name);
      throw new Error(`${(e as Error).message}; it is ${j.state} (${j.stateReason})`);
    }
  };
  const runningFlinkJobs = async (name: string) =>
    (await (await t.platform.targets.cluster('local-test')).rest.jobs()).filter(
      (j) => j.name === name && !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state),
    );

  beforeAll(async () => {
    t = await testPlatform({ config: { trackerIntervalMs: 500, savepointRetention: 2 } });
    await t.platform.targets.define({
      name: 'local-test',
      engineVersion: '1.20',
      ...(await t.clusterSettings()),
    });
    await t.platform.targets.start('local-test', () => {});
    await t.platform.boot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('versions: create, edit, diff, rollback, and a concurrent edit gets a 409 naming the version', async () => {
    const sql = sequenceSql();
    await jobs().create(
      { name: 'seq', sql, target: 'local-test', options: { 'execution.checkpointing.interval': '1s' } },
      'ann',
    );
    const v2 = await jobs().update('seq', 1, { parallelism: 2 }, 'two slots', 'bob');
    await expect(jobs().update('seq', 1, { description: 'stale' }, 'late edit', 'cid')).rejects.toThrow(
      /the job changed since version 1 you edited: it is now at version 2\. Nothing was saved/,
    );
    const d = await jobs().diff('seq', 1, 2);
    expect(d.changes).toEqual([{ field: 'parallelism', from: 1, to: 2 }]);
    const v3 = await jobs().rollback('seq', 1, 'ann');
    expect([v2.number, v3.number, v3.message]).toEqual([2, 3, 'rollback to version 1']);
    expect(v3.contentHash).toBe((await jobs().version('seq', 1)).contentHash);
    expect((await jobs().versions('seq')).map((v) => v.author)).toEqual(['ann', 'bob', 'ann']);
    const copy = await jobs().copy('seq', 'seq-copy', 'ann');
    expect(copy).toMatchObject({ currentVersion: 1, sql, state: 'CREATED' });
    await jobs().delete('seq-copy');
  });

  it('start -> RUNNING through every state, each transition an event', async () => {
    const sub = await settled(await jobs().start('seq', {}, 'ann'));
    expect(sub.status, `${sub.error}`).toBe('succeeded');
    expect(sub.steps.map((s) => s.name)).toEqual(START_STEPS);
    const job = await jobs().get('seq');
    expect(job).toMatchObject({
      state: 'RUNNING',
      deployedVersion: 3,
      needsDeploy: false,
      submissionInFlight: null,
      flinkJobId: sub.flinkJobId,
    });
    expect((await jobs().events('seq')).map((e) => `${e.from}>${e.to}:${e.source}`)).toEqual([
      'CREATED>STARTING:user',
      'STARTING>JM_RUNNING:platform',
      'JM_RUNNING>PODS_RUNNING:platform',
      'PODS_RUNNING>RUNNING:flink',
    ]);
    expect(await runningFlinkJobs('seq')).toHaveLength(1);
  });

  it('stop with a savepoint -> STOPPED, with the savepoint on disk and recorded', async () => {
    await waitFor('committed rows', async () => ids().length >= 40);
    const sub = await settled(await jobs().stop('seq', false, 'ann'));
    expect(sub.status, `${sub.error}`).toBe('succeeded');
    const job = await jobs().get('seq');
    expect(job).toMatchObject({ state: 'STOPPED', desiredState: 'stopped', submissionInFlight: null });
    const [sp] = await jobs().savepoints('seq');
    expect(sp).toMatchObject({
      kind: 'savepoint',
      origin: 'stop',
      submissionId: sub.id,
      path: sub.savepointPath,
    });
    expect(sp!.path).toContain(path.join(t.home, 'savepoints', 'seq'));
    expect(fs.existsSync(path.join(sp!.path.replace('file:', ''), '_metadata'))).toBe(true);
    expect(sp!.sizeBytes).toBeGreaterThan(0);
    firstSavepoint = sp!.path;
    expect(await runningFlinkJobs('seq')).toEqual([]);
  });

  it('resumes from the latest savepoint: the sequence continues instead of restarting from 1', async () => {
    const before = ids();
    const sub = await settled(await jobs().start('seq', { fromSavepoint: 'latest' }, 'ann'));
    expect(sub.steps.find((s) => s.name === 'open SQL session')!.log.join('\n')).toContain(
      'execution.savepoint.path',
    );
    const after = await waitFor('new rows after resume', async () => {
      const all = ids();
      return all.length >= before.length + 40 && all;
    });
    expect(new Set(after).size).toBe(after.length); // no id written twice: nothing restarted from zero
    expect(Math.max(...after)).toBeGreaterThan(Math.max(...before));
  });

  it('takes a savepoint on request while running, and refuses to delete a running job', async () => {
    const sub = await settled(await jobs().savepoint('seq', 'ann'));
    expect(sub.status, `${sub.error}`).toBe('succeeded');
    expect((await jobs().savepoints('seq'))[0]).toMatchObject({
      origin: 'user',
      kind: 'savepoint',
      path: sub.savepointPath,
    });
    expect(await jobs().get('seq')).toMatchObject({ state: 'RUNNING', submissionInFlight: null });
    await expect(jobs().delete('seq')).rejects.toThrow(
      /cannot delete job seq: it is RUNNING: stop or cancel it before deleting it/,
    );
  });

  it('upgrade: a new version goes stop-with-savepoint -> start-from-it in one submission', async () => {
    // Same topology, other options: the savepoint maps onto the new version.
    await jobs().update(
      'seq',
      3,
      { options: { 'execution.checkpointing.interval': '2s' } },
      'slower checkpoints',
      'bob',
    );
    expect((await jobs().get('seq')).needsDeploy).toBe(true);
    const sub = await settled(await jobs().upgrade('seq', {}, 'bob'));
    expect(sub.status, `${sub.error}`).toBe('succeeded');
    expect(sub.steps.map((s) => s.name)).toEqual([
      'stop with savepoint',
      'wait until stopped',
      ...START_STEPS,
    ]);
    expect(await jobs().get('seq')).toMatchObject({
      state: 'RUNNING',
      deployedVersion: 4,
      needsDeploy: false,
    });
    const kept = await jobs().savepoints('seq');
    expect(kept.map((k) => k.origin)).toEqual(['upgrade', 'user']); // retention keeps 2
    expect(kept[0]!.path).toBe(sub.savepointPath);
    expect(fs.existsSync(firstSavepoint.replace('file:', ''))).toBe(false);
    expect(sub.steps.find((s) => s.name === 'stop with savepoint')!.log.join('\n')).toContain(
      `retention (2 kept): deleted savepoint ${firstSavepoint}`,
    );
    expect(await runningFlinkJobs('seq')).toHaveLength(1);
  });

  it('a killed TaskManager: NOT_RUNNING, then RUNNING again, both as events', async () => {
    const status = await t.platform.targets.status('local-test');
    process.kill(status.processes.find((p) => p.id === 'taskmanager-1')!.pid!, 'SIGKILL');
    await stateIs('seq', 'NOT_RUNNING', 30_000);
    await stateIs('seq', 'RUNNING', 60_000);
    const events = (await jobs().events('seq')).slice(-2);
    expect(events.map((e) => `${e.from}>${e.to}:${e.source}`)).toEqual([
      'RUNNING>NOT_RUNNING:flink',
      'NOT_RUNNING>RUNNING:flink',
    ]);
    // Read on demand from Flink's metrics, which it refreshes every few seconds.
    const seen = await waitFor(
      'the restart and a checkpoint after it in the job details',
      async () => {
        const j = await jobs().get('seq');
        return (j.runtime?.restarts ?? 0) >= 1 && !!j.runtime?.lastCheckpoint?.path && j;
      },
      15_000,
    );
    expect(seen.runtime?.lastCheckpoint?.path).toMatch(/^file:.*chk-\d+$/);
    expect(events[0]!.reason).toMatch(
      /^Flink reports (RESTARTING|FAILING|CREATED|INITIALIZING|RUNNING with \d of \d tasks running)/,
    );
  });

  it('cancel -> CANCELLED', async () => {
    const sub = await settled(await jobs().cancel('seq', 'ann'));
    expect(sub.status, `${sub.error}`).toBe('succeeded');
    expect(await jobs().get('seq')).toMatchObject({ state: 'CANCELLED', submissionInFlight: null });
    expect(await runningFlinkJobs('seq')).toEqual([]);
  });

  it('a job failing at run time ends FAILED with the root cause, and the resubmit policy resubmits it once', async () => {
    // Rows 1-10 pass, row 11 fails the CAST: the job runs for about two seconds, then fails.
    const sql = `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000');
CREATE TABLE sink (n INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT CAST(IF(id > 10, CONCAT('x', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`;
    await jobs().create(
      {
        name: 'bad-cast',
        sql,
        target: 'local-test',
        restartPolicy: { kind: 'none' },
        resubmitPolicy: { kind: 'from-latest-checkpoint', attempts: 1, backoffSeconds: 0 },
      },
      'ann',
    );
    await jobs().start('bad-cast', {}, 'ann');
    await waitFor(
      'two starts, both failed',
      async () => {
        const subs = await jobs().submissions('bad-cast');
        const j = await jobs().get('bad-cast');
        return (
          subs.length === 2 &&
          subs.every((s) => s.status !== 'running') &&
          j.state === 'FAILED' &&
          !j.submissionInFlight &&
          subs
        );
      },
      90_000,
    );
    const job = await jobs().get('bad-cast');
    expect(job.stateReason).toMatch(/NumberFormatException|For input string: "x11"/);
    expect(job.resubmissions).toBe(1);
    const subs = await jobs().submissions('bad-cast');
    expect(subs.map((s) => [s.kind, s.author, s.status])).toEqual([
      ['start', 'ann', 'succeeded'],
      ['resubmit', 'resubmit policy (attempt 1 of 1)', 'succeeded'],
    ]);
    const failures = (await jobs().events('bad-cast')).filter((e) => e.to === 'FAILED');
    expect(failures).toHaveLength(2);
    expect(
      (await jobs().events('bad-cast')).some(
        (e) => e.from === 'FAILED' && e.to === 'STARTING' && e.source === 'platform',
      ),
    ).toBe(true);
  });

  it('runs the same lifecycle on a remote session cluster (a second local cluster registered by address)', async () => {
    await t.platform.targets.define({
      name: 'other',
      engineVersion: '1.20',
      ...(await t.clusterSettings()),
    });
    const other = await t.platform.targets.start('other', () => {});
    await t.platform.targets.registerRemote({
      name: 'remote-x',
      restUrl: other.restUrl,
      gatewayUrl: other.gatewayUrl,
      engineVersion: '',
    });
    expect((await t.platform.targets.list()).find((c) => c.name === 'remote-x')).toMatchObject({
      kind: 'remote',
      state: 'running',
    });
    await jobs().create(
      {
        name: 'on-remote',
        sql: sequenceSql().replace(out(), path.join(t.home, 'remote-out')),
        target: 'remote-x',
      },
      'ann',
    );
    const started = await settled(await jobs().start('on-remote', {}, 'ann'));
    expect(started.status, `${started.error}`).toBe('succeeded');
    expect(started.steps.find((s) => s.name === 'prepare cluster')!.log.join('\n')).toMatch(
      /cluster remote-x \(remote-session\) is ready/,
    );
    const remoteJobs = await flinkFetch(`${other.restUrl}/jobs/overview`).then(
      (r) => r.json() as Promise<{ jobs: { jid: string; state: string }[] }>,
    );
    expect(remoteJobs.jobs.filter((j) => j.state === 'RUNNING').map((j) => j.jid)).toEqual([
      started.flinkJobId,
    ]);
    // The cluster stops answering (its JobManager frozen): UNKNOWN with the last state kept, then
    // RUNNING again when it answers; never FAILED by guessing.
    const jm = (await t.platform.targets.status('other')).processes.find((p) => p.id === 'jobmanager')!.pid!;
    process.kill(jm, 'SIGSTOP');
    let unknown;
    try {
      unknown = await stateIs('on-remote', 'UNKNOWN', 20_000);
    } finally {
      process.kill(jm, 'SIGCONT');
    }
    expect(unknown.lastKnownState).toBe('RUNNING');
    expect(unknown.stateReason).toMatch(/cluster remote-x does not answer/);
    const back = await stateIs('on-remote', 'RUNNING', 30_000);
    expect(back).toMatchObject({ flinkJobId: started.flinkJobId, lastKnownState: null });
    expect(back.stateReason).toMatch(/cluster remote-x answers again/);
    // Every process of the cluster killed at once: the supervisor starts a fresh cluster (no HA),
    // which answers without the job. Only then is the job FAILED, with that reason.
    for (const p of (await t.platform.targets.status('other')).processes) process.kill(p.pid!, 'SIGKILL');
    const gone = await stateIs('on-remote', 'FAILED', 60_000);
    expect(gone.stateReason).toMatch(/no longer exists on cluster remote-x/);
    expect((await jobs().events('on-remote')).map((e) => e.to).slice(-4)).toEqual([
      'UNKNOWN',
      'RUNNING',
      'UNKNOWN',
      'FAILED',
    ]);
    await waitFor(
      'the restarted cluster',
      async () => (await t.platform.targets.status('other')).state === 'running',
      60_000,
    );
    const again = await settled(await jobs().start('on-remote', {}, 'ann'));
    expect(again.status, `${again.error}`).toBe('succeeded');
    const stopped = await settled(await jobs().stop('on-remote', false, 'ann'));
    expect(stopped.status, `${stopped.error}`).toBe('succeeded');
    expect(await jobs().get('on-remote')).toMatchObject({ state: 'STOPPED' });
    await t.platform.targets.stop('other');
    // The remote cluster is gone: the job it no longer runs is not made FAILED, and starting it fails clearly.
    const failed = await settled(await jobs().start('on-remote', {}, 'ann'));
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'prepare cluster' });
    expect(failed.error).toMatch(/Flink REST API at https:\/\/127\.0\.0\.1:\d+ is unreachable/);
    // A second cluster started, frozen, killed and restarted: minutes on a loaded 2-core machine.
  }, 300_000);
});
