import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileInterruptedSubmissions } from '../../src/application/reconciler.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { runSluice } from '../support/cli.ts';
import { lifecycleHarness, type LifecycleHarness } from '../support/lifecycle.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

/**
 * Issue 11, items 5 and 6, against a real local Flink 1.20 cluster: asking for a savepoint is never
 * silently ignored, and a start can be cancelled at any step with nothing of it left behind.
 */
describe('savepoints asked for, and starts cancelled, never half done', () => {
  let h: LifecycleHarness;
  let t: TestPlatform;
  let url: string;
  const jobs = () => h.jobs();
  const rest = () => h.rest();
  const settled = (s: Submission) => h.settled(s);
  const stepLog = (s: Submission, step: string) => h.stepLog(s, step);
  const liveFlinkJobs = (name: string) => h.liveFlinkJobs(name);
  const sequence = (failAt: number) => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000');
CREATE TABLE sink (n INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT CAST(IF(id >= ${failAt}, CONCAT('x', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`;

  beforeAll(async () => {
    // Its cluster left stopped: the cancel while the cluster is being prepared (the first start here)
    // starts it, and the tests after it run on it; started here too, the file started Flink twice.
    h = await lifecycleHarness({}, { clusterStopped: true });
    ({ t, url } = h);
    await jobs().create({ name: 'plain', sql: sequence(1_000_000), target: 'local-1.20' }, 'ann');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a savepoint path that holds no savepoint, or that the engine cannot read, is refused before anything changes', async () => {
    const before = await jobs().get('plain');
    await expect(jobs().start('plain', { fromSavepoint: 'file:///etc/passwd' }, 'ann')).rejects.toThrow(
      /file:\/\/\/etc\/passwd holds no savepoint or checkpoint \(no _metadata file in it\)/,
    );
    await expect(jobs().start('plain', { fromSavepoint: 's3://bucket/savepoint-1' }, 'ann')).rejects.toThrow(
      /savepoint s3:\/\/bucket\/savepoint-1 is on s3:, for which the engine of cluster local-1\.20 has no file system: add org\.apache\.flink:flink-s3-fs-hadoop/,
    );
    const res = await fetch(`${url}/api/v1/jobs/plain/start`, {
      method: 'POST',
      headers: { ...authHeaders(url), 'content-type': 'application/json' },
      body: JSON.stringify({ fromSavepoint: 'hdfs://nn/savepoints/x' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { messageCode: string } }).error.messageCode).toBe(
      'job.noFileSystem',
    );
    expect(await jobs().submissions('plain')).toEqual([]);
    expect(await jobs().get('plain')).toMatchObject({
      state: before.state,
      desiredState: before.desiredState,
    });
  });

  it('a cancel while the cluster is being prepared ends the start after that step: no Flink job, CANCELLED', async () => {
    await t.platform.targets.stop('local-1.20');
    const sub = await jobs().start('plain', {}, 'ann');
    await waitFor('the prepare cluster step', async () =>
      (await t.platform.store.lifecycle.submission(sub.id))!.steps.some((s) => s.name === 'prepare cluster'),
    );
    const answer = await jobs().cancel('plain', 'bob');
    expect(answer.id).toBe(sub.id); // the cancel reaches the start under way
    const done = await settled(sub);
    expect(done).toMatchObject({ status: 'cancelled', flinkJobId: null, failedStep: null });
    expect(done.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'resolve version:succeeded',
      'validate:succeeded',
      'prepare cluster:succeeded',
    ]);
    expect(done.steps.at(-1)!.log.join('\n')).toContain('cancel requested by bob while the job was starting');
    const job = await jobs().get('plain');
    expect(job).toMatchObject({ state: 'CANCELLED', submissionInFlight: null, desiredState: 'stopped' });
    expect((await jobs().events('plain')).slice(-2).map((e) => `${e.to}:${e.source}`)).toEqual([
      'CANCELLING:user',
      'CANCELLED:user',
    ]);
    expect(await liveFlinkJobs('plain')).toEqual([]);
  });

  it('a resubmission after a runtime failure restores what the job was started from when it took no checkpoint since', async () => {
    await jobs().create(
      {
        name: 'from-outside',
        sql: sequence(200),
        target: 'local-1.20',
        restartPolicy: { kind: 'none' },
        resubmitPolicy: { kind: 'from-latest-checkpoint', attempts: 1, backoffSeconds: 0 },
      },
      'ann',
    );
    // A savepoint of this job at about id 20, moved where Sluice keeps no record of it.
    await settled(await jobs().start('from-outside', {}, 'ann'));
    await new Promise((r) => setTimeout(r, 1000));
    const stop = await settled(await jobs().stop('from-outside', false, 'ann'));
    expect(stop.status, `${stop.error}`).toBe('succeeded');
    const outside = path.join(t.home, 'kept-elsewhere');
    fs.cpSync(stop.savepointPath!.replace(/^file:/, ''), outside, { recursive: true });
    for (const r of await jobs().savepoints('from-outside'))
      await t.platform.store.lifecycle.removeSavepoint(r.id);

    const start = await settled(await jobs().start('from-outside', { fromSavepoint: outside }, 'ann'));
    expect(start.status, `${start.error}`).toBe('succeeded');
    const resubmitted = await waitFor(
      'the resubmission after the failure',
      async () =>
        (await jobs().submissions('from-outside')).find(
          (s) => s.kind === 'resubmit' && s.status !== 'running',
        ),
      60_000,
    );
    expect(stepLog(resubmitted, 'validate')).toContain(`restoring from ${outside}, as asked`);
    expect(stepLog(resubmitted, 'open SQL session')).toContain(
      `option 'execution.savepoint.path' = '${outside}'`,
    );
  });

  it('a cancel while Flink waits for slots cancels the Flink job the start created; the CLI says so and exits 0', async () => {
    // Twice the cluster's slots: the job is RUNNING in Flink with its tasks waiting.
    await jobs().create(
      { name: 'too-wide', sql: sequence(1_000_000), target: 'local-1.20', parallelism: 8 },
      'ann',
    );
    const sub = await jobs().start('too-wide', {}, 'ann');
    const waiting = await waitFor('the wait for RUNNING', async () => {
      const s = (await t.platform.store.lifecycle.submission(sub.id))!;
      return s.steps.some((x) => x.name === 'wait until running') && s.flinkJobId ? s : undefined;
    });
    const cli = await runSluice(url, ['job', 'cancel', 'too-wide']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/job too-wide is CANCELLED/);
    const done = await settled(sub);
    expect(done.status).toBe('cancelled');
    expect(done.steps.at(-1)).toMatchObject({ name: 'wait until running', status: 'cancelled' });
    expect((await (await rest()).job(waiting.flinkJobId!)).state).toBe('CANCELED');
    expect(await liveFlinkJobs('too-wide')).toEqual([]);
    expect(await jobs().get('too-wide')).toMatchObject({ state: 'CANCELLED', submissionInFlight: null });
  });

  it('a cancel interrupted by a crash after Flink carried it out is judged by what Flink shows: succeeded', async () => {
    const started = await settled(await jobs().start('plain', {}, 'ann'));
    expect(started.status, `${started.error}`).toBe('succeeded');
    // What a platform killed mid-cancel leaves: the cancel reached Flink, its record did not end.
    const job = await jobs().get('plain');
    const cancel = await t.platform.store.lifecycle.createSubmission({
      jobId: job.id,
      kind: 'cancel',
      versionNumber: job.currentVersion,
      status: 'running',
      previousState: 'RUNNING',
      flinkJobId: job.flinkJobId,
      savepointPath: null,
      params: {},
      steps: [
        { name: 'cancel', status: 'running', startedAt: new Date().toISOString(), endedAt: null, log: [] },
      ],
      failedStep: null,
      error: null,
      errorMessage: null,
      rootCause: null,
      author: 'ann',
    });
    await t.platform.store.jobs.updateRuntime(job.id, {
      state: 'CANCELLING',
      submissionInFlight: 'cancelling',
    });
    await (await rest()).cancel(job.flinkJobId!);
    await waitFor(
      'Flink CANCELED',
      async () => (await (await rest()).job(job.flinkJobId!)).state === 'CANCELED',
    );
    await reconcileInterruptedSubmissions(t.platform.store, t.platform.targets, t.platform.states, () => {});
    expect(await t.platform.store.lifecycle.submission(cancel.id)).toMatchObject({ status: 'succeeded' });
    expect(await jobs().get('plain')).toMatchObject({ state: 'CANCELLED', submissionInFlight: null });
  });
});
