import { describe, expect, it } from 'vitest';
import {
  addLocalSession,
  JOB_SQL,
  lifecycleUnit,
  type LifecycleUnit,
} from '../../test/support/lifecycle-unit.ts';
import { SluiceError } from '../domain/errors.ts';
import { renderMessage } from '../domain/messages.ts';
import { TARGET_KINDS } from '../domain/targets/target-kinds.ts';

const COUNTER = 'dev.sluice.testjobs.StatefulCounter';

/** A lifecycle whose artifacts hold a counter jar (two versions) and a library jar. */
async function withJars(): Promise<LifecycleUnit> {
  const u = await lifecycleUnit();
  u.artifacts.versions.clear();
  u.artifacts.add('counter', { mainClass: COUNTER, classes: [COUNTER, 'dev.sluice.testjobs.Other'] });
  u.artifacts.add('counter', { mainClass: COUNTER, classes: [COUNTER] });
  u.artifacts.add('plain', { mainClass: null, classes: ['org.acme.Job'] });
  u.artifacts.add('lib', { mainClass: null, classes: ['org.acme.Lib'] });
  return u;
}

const createJar = (u: LifecycleUnit, name: string, input: Record<string, unknown> = {}) =>
  u.jobs.create(
    { name, jar: 'counter@1', args: ['--keys', '2'], target: 'fake', engineVersion: '1.20', ...input },
    'test',
  );

/** What a call refused with: its message as a user reads it, and the field it names. */
async function refusal(p: Promise<unknown>): Promise<{ said: string; field: unknown }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SluiceError);
  const err = e as SluiceError;
  return { said: err.text ? renderMessage(err.text) : err.message, field: err.details.field };
}

function nothingLeft(u: LifecycleUnit): void {
  expect(u.flink.live().map((j) => `${j.id} ${j.state}`)).toEqual([]);
  expect([...u.flink.uploadedJars.keys()]).toEqual([]);
}

describe('JAR jobs: content and validation', () => {
  it('saves the jar pinned, the entry class read from the manifest, the arguments and classpath', async () => {
    const u = await withJars();
    await addLocalSession(u, 'fake-local');
    const j = await createJar(u, 'counter', {
      jar: 'counter',
      classpath: ['lib'],
      target: 'fake-local',
    });
    expect(j).toMatchObject({
      kind: 'jar',
      jar: { name: 'counter', version: 2 },
      entryClass: COUNTER,
      args: ['--keys', '2'],
      classpath: [{ name: 'lib', version: 1 }],
      warnings: [],
    });
    const v = await u.jobs.version('counter', 1);
    expect(v.content).toMatchObject({ kind: 'jar', jar: { name: 'counter', version: 2 } });
    expect(v.content).not.toHaveProperty('sql');
  });

  it('refuses, with what to do, what cannot run', async () => {
    const u = await withJars();
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [{ jar: 'nope' }, /artifact 'nope' does not exist/, ''],
      [{ jar: 'counter@9' }, /has no version 9/, ''],
      [
        { entryClass: 'dev.sluice.Missing' },
        /counter@1 has no class dev\.sluice\.Missing .*check the entry class/,
        'entryClass',
      ],
      [{ entryClass: 'not a class' }, /is not a Java class name/, 'entryClass'],
      [
        { jar: 'plain' },
        /plain@1 has no Main-Class in its manifest: name the class to run with --entry-class/,
        'entryClass',
      ],
      [{ args: Array.from({ length: 1001 }, () => 'x') }, /1001 arguments.*at most 1000/, 'args'],
      [{ args: ['x'.repeat(70_000)] }, /70000 characters.*65536/, 'args'],
      [{ sql: 'INSERT INTO a SELECT 1' }, /not both/, 'jar'],
      [{ jar: undefined }, /give sql \(--sql-file\) or jar/, 'sql'],
      [{ classpath: ['missing-lib'] }, /artifact 'missing-lib' does not exist/, ''],
      [
        { options: { 'pipeline.max-parallelism': 'many' } },
        /pipeline\.max-parallelism/,
        'options.pipeline.max-parallelism',
      ],
    ];
    for (const [input, said, field] of cases) {
      const r = await refusal(createJar(u, 'bad', input));
      expect(r.said, JSON.stringify(input).slice(0, 80)).toMatch(said);
      if (field) expect(r.field).toBe(field);
    }
    expect(await u.store.jobs.list()).toEqual([]);
    // A given class in the jar is taken as given; a jar without Main-Class runs one named.
    expect(await createJar(u, 'other', { entryClass: 'dev.sluice.testjobs.Other' })).toMatchObject({
      entryClass: 'dev.sluice.testjobs.Other',
    });
    expect(await createJar(u, 'plain', { jar: 'plain', entryClass: 'org.acme.Job' })).toMatchObject({
      entryClass: 'org.acme.Job',
    });
  });

  it('keeps a job of its kind, and a new artifact version is a new version the diff shows', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    expect((await refusal(u.jobs.update('counter', 1, { catalogs: ['pg'] }, 'm', 't'))).said).toMatch(
      /job counter is a JAR job: catalogs belongs to SQL jobs \(give its script with --sql-file to make it a SQL job/,
    );
    await u.jobs.create({ name: 'orders', sql: 'INSERT INTO a SELECT 1', target: 'fake' }, 'test');
    expect((await refusal(u.jobs.update('orders', 1, { args: ['x'] }, 'm', 't'))).said).toMatch(
      /job orders is a SQL job: args belongs to JAR jobs \(give its jar with --jar/,
    );
    expect((await refusal(u.jobs.update('orders', 1, { jar: 'counter', sql: 'x' }, 'm', 't'))).said).toMatch(
      /not both/,
    );
    const v2 = await u.jobs.update('counter', 1, { jar: 'counter@2', args: ['--keys', '3'] }, 'new jar', 't');
    expect(v2.content).toMatchObject({ jar: { name: 'counter', version: 2 }, entryClass: COUNTER });
    expect(v2.contentHash).not.toBe((await u.jobs.version('counter', 1)).contentHash);
    const d = await u.jobs.diff('counter', 1, 2);
    expect(d.changes).toEqual([
      { field: 'jar', from: { name: 'counter', version: 1 }, to: { name: 'counter', version: 2 } },
      { field: 'args', from: ['--keys', '2'], to: ['--keys', '3'] },
    ]);
    expect(d.sqlLinesAdded + d.sqlLinesRemoved).toBe(0);
    // The same content saved again hashes the same; a SQL job's hash is what it was before kinds.
    const again = await u.jobs.update('counter', 2, {}, 'same', 't');
    expect(again.contentHash).toBe(v2.contentHash);
  });
});

describe('JAR jobs on a session cluster, over a fake Flink cluster', () => {
  it('uploads the jar, runs it with the reserved id and its configuration, deletes the upload, ends RUNNING', async () => {
    const u = await withJars();
    // Classpath artifacts are file URLs: a session cluster on this machine reads them.
    await addLocalSession(u, 'fake-local');
    await createJar(u, 'counter', {
      classpath: ['lib'],
      options: { 'state.backend.type': 'hashmap' },
      target: 'fake-local',
    });
    u.flink = u.runtime.cluster('fake-local');
    const s = await u.run('counter', 'start');
    expect(s.status).toBe('succeeded');
    expect(s.steps.map((x) => [x.name, x.status])).toEqual([
      ['resolve version', 'succeeded'],
      ['validate', 'succeeded'],
      ['prepare cluster', 'succeeded'],
      ['upload jar', 'succeeded'],
      ['run jar', 'succeeded'],
      ['wait until running', 'succeeded'],
    ]);
    expect(s.steps.slice(2).map((x) => x.name)).toEqual(TARGET_KINDS['remote-session'].deploySteps.jar);
    const job = await u.job('counter');
    expect(job).toMatchObject({ state: 'RUNNING', submissionInFlight: null, deployedVersion: 1 });
    expect(await u.path('counter')).toEqual(['CREATED', 'STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
    const [ran] = u.flink.jarRuns;
    expect(ran!.file).toBe('/artifacts/counter-1.jar');
    expect(ran!.run).toMatchObject({
      entryClass: COUNTER,
      args: ['--keys', '2'],
      parallelism: 1,
      jobId: job.flinkJobId,
      savepointPath: null,
    });
    expect(ran!.run.flinkConfiguration).toMatchObject({
      'pipeline.name': 'counter',
      'parallelism.default': '1',
      'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
      'restart-strategy.type': 'exponential-delay',
      'state.backend.type': 'hashmap',
      'pipeline.classpaths': 'file:///artifacts/lib-1.jar',
    });
    // The id was recorded before the run: the log says so before the request.
    const log = s.steps.find((x) => x.name === 'run jar')!.log.join('\n');
    expect(log.indexOf(`Flink job id ${job.flinkJobId} reserved`)).toBeLessThan(log.indexOf('submitted'));
    expect(log).toMatch(/uploaded jar \S+ deleted from fake-local/);
    expect([...u.flink.uploadedJars.keys()]).toEqual([]);
  });

  it('stops with a savepoint, resumes from it, upgrades to a new artifact version from a savepoint, cancels', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    await u.run('counter', 'start');
    const stop = await u.run('counter', 'stop');
    expect(stop.status).toBe('succeeded');
    expect((await u.job('counter')).state).toBe('STOPPED');
    expect((await u.run('counter', 'start')).status).toBe('succeeded');
    expect(u.flink.jarRuns[1]!.run).toMatchObject({
      savepointPath: stop.savepointPath,
      allowNonRestoredState: false,
    });

    await u.jobs.update('counter', 1, { jar: 'counter@2' }, 'new jar', 't');
    expect((await u.job('counter')).deployedVersion).toBe(1);
    const up = await u.run('counter', 'upgrade', { allowNonRestoredState: true });
    expect(up.status).toBe('succeeded');
    expect(up.steps.map((x) => x.name)).toEqual([
      'stop with savepoint',
      'wait until stopped',
      'resolve version',
      'validate',
      'prepare cluster',
      'upload jar',
      'run jar',
      'wait until running',
    ]);
    const third = u.flink.jarRuns[2]!;
    expect(third.file).toBe('/artifacts/counter-2.jar');
    expect(third.run).toMatchObject({ savepointPath: up.savepointPath, allowNonRestoredState: true });
    expect(await u.job('counter')).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });

    expect((await u.run('counter', 'cancel')).status).toBe('succeeded');
    expect((await u.job('counter')).state).toBe('CANCELLED');
    nothingLeft(u);
  });

  it("a main that throws fails the start at 'run jar' with Flink's root cause; nothing is left", async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    u.flink.refuse(/^RUN JAR/, 'java.lang.IllegalArgumentException: --keys must be positive');
    const s = await u.run('counter', 'start');
    expect(s).toMatchObject({ status: 'failed', failedStep: 'run jar', flinkJobId: null });
    expect(s.rootCause).toBe('java.lang.IllegalArgumentException: --keys must be positive');
    const job = await u.job('counter');
    expect(job).toMatchObject({ state: 'FAILED', flinkJobId: null, submissionInFlight: null });
    expect(job.stateReason).toContain('step "run jar"');
    expect(job.stateReason).toContain('--keys must be positive');
    nothingLeft(u);
  });

  it("a job that fails after its run ends FAILED once Flink's restarts are spent, with the cause", async () => {
    const u = await withJars();
    await createJar(u, 'counter', { restartPolicy: { kind: 'fixed-delay', attempts: 2, delaySeconds: 1 } });
    u.flink.onSubmit = {
      kind: 'fails',
      cause: 'java.lang.IllegalStateException: failed on purpose',
      restarts: 2,
    };
    const s = await u.run('counter', 'start');
    expect(s).toMatchObject({ status: 'failed', failedStep: 'wait until running' });
    expect(u.flink.jarRuns[0]!.run.flinkConfiguration).toMatchObject({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': '2',
    });
    const job = await u.job('counter');
    expect(job.state).toBe('FAILED');
    expect(job.stateReason).toContain('java.lang.IllegalStateException: failed on purpose');
    nothingLeft(u);
  });

  it('a start interrupted at the run by a platform restart: the next start runs with the reserved id, once', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    // The platform is gone before Flink got the job.
    const first = await u.hangAt('counter', 'start', 'runJar');
    const next = await u.restart();
    const rolled = (await next.store.lifecycle.submission(first.id))!;
    expect(rolled).toMatchObject({ status: 'rolled_back', failedStep: 'run jar' });
    expect(rolled.flinkJobId).toMatch(/^[0-9a-f]{32}$/);
    expect(next.flink.jobs.size).toBe(0);
    const again = await next.run('counter', 'start');
    expect(again.status).toBe('succeeded');
    expect(again.steps.find((x) => x.name === 'run jar')!.log.join('\n')).toContain(
      `reusing Flink job id ${rolled.flinkJobId} reserved by interrupted submission #1`,
    );
    expect((await next.job('counter')).flinkJobId).toBe(rolled.flinkJobId);
    expect(next.flink.jobs.size).toBe(1);
  });

  it('a jar uploaded by a start the platform did not live to finish is deleted from the JobManager at restart', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    // The platform dies while the run is asked.
    const first = await u.hangAt('counter', 'start', 'runJar');
    // Recorded before the run was asked: the store knows which jar is on the JobManager.
    const [uploaded] = [...u.flink.uploadedJars.keys()];
    expect((await u.store.lifecycle.submission(first.id))!.uploadedJarId).toBe(uploaded);
    const next = await u.restart();
    expect([...next.flink.uploadedJars.keys()]).toEqual([]);
    const rolled = (await next.store.lifecycle.submission(first.id))!;
    expect(rolled).toMatchObject({ status: 'rolled_back', uploadedJarId: null });
    expect(rolled.steps.at(-1)!.log.join('\n')).toContain(
      `uploaded jar ${uploaded} deleted from fake's JobManager after the restart`,
    );
    // A finished start keeps no record of its jar: it was deleted in the run.
    const again = await next.run('counter', 'start');
    expect(again).toMatchObject({ status: 'succeeded', uploadedJarId: null });
  });

  it('a jar the restart cannot delete (the cluster does not answer) stays recorded on the submission', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    const first = await u.hangAt('counter', 'start', 'runJar');
    const [uploaded] = [...u.flink.uploadedJars.keys()];
    u.flink.answering = false;
    const next = await u.restart();
    const sub = (await next.store.lifecycle.submission(first.id))!;
    expect(sub.uploadedJarId).toBe(uploaded);
    expect(sub.steps.at(-1)!.log.join('\n')).toContain(
      `uploaded jar ${uploaded} not deleted from fake's JobManager`,
    );
  });

  it('a start interrupted after Flink received the job is re-attached, not run again', async () => {
    const u = await withJars();
    await createJar(u, 'counter');
    const first = await u.hangAt('counter', 'start', 'observeJob');
    const next = await u.restart();
    expect((await next.store.lifecycle.submission(first.id))!.status).toBe('succeeded');
    expect(await next.job('counter')).toMatchObject({ state: 'RUNNING', deployedVersion: 1 });
    expect(next.flink.jobs.size).toBe(1);
    expect(next.flink.jarRuns).toHaveLength(1);
  });

  it('the resubmit policy runs the jar again from the latest checkpoint after Flink gave up', async () => {
    const u = await withJars();
    await createJar(u, 'counter', {
      restartPolicy: { kind: 'none' },
      resubmitPolicy: { kind: 'from-latest-checkpoint', attempts: 1, backoffSeconds: 1 },
    });
    await u.run('counter', 'start');
    const id = (await u.job('counter')).flinkJobId!;
    const checkpoint = u.flink.checkpoint(id);
    u.flink.fail(id, 'java.lang.RuntimeException: boom');
    await u.tracker.tick();
    const resubmitted = await u.resubmissions[0];
    expect(resubmitted).not.toBeNull();
    await u.runner.wait(resubmitted!.id);
    expect((await u.store.lifecycle.submission(resubmitted!.id))!.status).toBe('succeeded');
    expect(u.flink.jarRuns.at(-1)!.run.savepointPath).toBe(checkpoint);
    expect(await u.job('counter')).toMatchObject({ state: 'RUNNING', resubmissions: 1 });
  });
});

describe('JAR jobs: program arguments with workspace variables', () => {
  const TOKEN = 'tok-9f3Kq-Zx81-secret';

  it('substitutes ${name} in the arguments at submission only; a secret is masked in the log and answers', async () => {
    const u = await withJars();
    await u.variables.set('keys', '3', {});
    await u.variables.set('api_token', TOKEN, { secret: true });
    const saved = await createJar(u, 'counter', {
      args: ['--keys', '${keys}', '--token=${api_token}', `--again=${TOKEN}`],
    });
    // Stored with its references: a pasted secret value becomes its reference too.
    expect(saved.kind === 'jar' && saved.args).toEqual([
      '--keys',
      '${keys}',
      '--token=${api_token}',
      '--again=${api_token}',
    ]);
    const s = await u.run('counter', 'start');
    expect(s.status).toBe('succeeded');
    expect(u.flink.jarRuns[0]!.run.args).toEqual(['--keys', '3', `--token=${TOKEN}`, `--again=${TOKEN}`]);
    const log = JSON.stringify(s.steps);
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('variables substituted: keys, api_token (1 secret, masked in this log)');
    expect(log).toContain('program arguments: [\\"--keys\\",\\"3\\",\\"--token=******\\"');
    expect(JSON.stringify(await u.jobs.get('counter'))).not.toContain(TOKEN);
  });

  it('refuses at save an argument naming an undefined variable, and at start one deleted since', async () => {
    const u = await withJars();
    const r = await refusal(createJar(u, 'counter', { args: ['--keys', '2', '--in', '${nope}'] }));
    expect(r.said).toContain(
      'variable ${nope} at program argument 4 is not defined: define it with `sluice variable set nope <value>`',
    );
    expect(r.field).toBe('args');
    await u.variables.set('keys', '3', {});
    await createJar(u, 'counter', { args: ['--keys', '${keys}'] });
    await u.variables.delete('keys');
    const s = await u.run('counter', 'start');
    expect(s).toMatchObject({ status: 'failed', failedStep: 'validate' });
    expect(s.error).toContain('variable ${keys} at program argument 2 is not defined');
    expect(u.flink.jarRuns).toEqual([]);
  });
});

describe('JAR jobs: classpath artifacts on a remote session cluster', () => {
  it('are refused at save, saying why and what to do; a job without them is taken', async () => {
    const u = await withJars();
    const r = await refusal(createJar(u, 'counter', { classpath: ['lib'] }));
    expect(r.field).toBe('classpath');
    expect(r.said).toMatch(
      /classpath artifact\(s\) lib@1 cannot reach session cluster fake, whose processes run elsewhere/,
    );
    expect(r.said).toMatch(/Flink does not ship pipeline\.classpaths/);
    expect(r.said).toMatch(
      /Shade the classes into the job's jar.*local-session, local-application or Kubernetes target/,
    );
    // The same job on a local session cluster is fine, and moving it to the remote one is refused.
    await addLocalSession(u, 'fake-local');
    await createJar(u, 'counter', { classpath: ['lib'], target: 'fake-local' });
    const moved = await refusal(u.jobs.update('counter', 1, { target: 'fake' }, 'm', 't'));
    expect(moved.field).toBe('classpath');
  });

  it('are refused at start when the target became a remote one since the save', async () => {
    const u = await withJars();
    await addLocalSession(u, 'shared');
    await createJar(u, 'counter', { classpath: ['lib'], target: 'shared' });
    // Registered again under the same name, now as a remote session cluster.
    await u.store.targets.save(
      { name: 'shared', engineVersion: '1.20', restUrl: 'fake://shared', gatewayUrl: 'fake://shared' },
      'remote',
    );
    const s = await u.run('counter', 'start');
    expect(s).toMatchObject({ status: 'failed', failedStep: 'validate' });
    expect(s.error).toMatch(/lib@1 cannot reach session cluster shared/);
    expect(u.runtime.cluster('shared').uploadedJars.size).toBe(0);
    expect(u.runtime.cluster('shared').jarRuns).toEqual([]);
  });
});

describe("Changing a job's kind on edit", () => {
  it('a stopped JAR job becomes a SQL job as a new version; its JAR state is not restored by default', async () => {
    const u = await withJars();
    await createJar(u, 'counter', { options: { 'state.backend.type': 'hashmap' } });
    expect((await u.run('counter', 'start')).status).toBe('succeeded');
    // While it runs: refused, saying why and what to do.
    const live = await u.jobs
      .update('counter', 1, { sql: JOB_SQL }, 'to SQL', 't')
      .catch((e: SluiceError) => e);
    expect(live).toBeInstanceOf(SluiceError);
    expect((live as SluiceError).code).toBe('conflict');
    expect(renderMessage((live as SluiceError).text!)).toBe(
      "job counter is RUNNING: it can become a sql job only while nothing of it runs, since its jar program's state cannot be carried over to another kind of program. Stop it (`sluice job stop counter`, keeping a savepoint) or cancel it, then save the new version and start it",
    );
    expect((await u.jobs.versions('counter')).length).toBe(1);

    const stop = await u.run('counter', 'stop');
    expect(stop.savepointPath).toBeTruthy();
    const v2 = await u.jobs.update('counter', 1, { sql: JOB_SQL, catalogs: [] }, 'to SQL', 't');
    expect(v2.content).toMatchObject({ kind: 'sql', sql: JOB_SQL, catalogs: [], artifacts: [] });
    // What every kind has is kept.
    expect(v2.content).toMatchObject({ target: 'fake', options: { 'state.backend.type': 'hashmap' } });
    expect(v2.content).not.toHaveProperty('jar');
    const d = await u.jobs.diff('counter', 1, 2);
    expect(d.changes.map((c) => c.field)).toEqual([
      'kind',
      'catalogs',
      'artifacts',
      'jar',
      'entryClass',
      'args',
      'classpath',
    ]);
    expect(d.changes[0]).toEqual({ field: 'kind', from: 'jar', to: 'sql' });
    expect(d.sqlLinesAdded).toBe(3);
    // The JAR program's savepoint is not what a SQL program starts from.
    expect((await u.jobs.get('counter')).defaultRestore).toBeNull();
    const start = await u.run('counter', 'start');
    expect(start).toMatchObject({ status: 'succeeded', savepointPath: null });
    const validate = start.steps.find((x) => x.name === 'validate')!.log.join('\n');
    expect(validate).toContain(
      `skipping savepoint ${stop.savepointPath}: taken by the JAR program of an earlier version`,
    );
    expect(validate).toContain('starting with empty state');
    expect(await u.job('counter')).toMatchObject({ kind: 'sql', state: 'RUNNING', deployedVersion: 2 });
  });

  it("a rollback to the other kind cannot be upgraded into: the running program's state would not fit", async () => {
    const u = await withJars();
    await u.createJob('orders');
    await u.jobs.update('orders', 1, { jar: 'counter@1' }, 'to JAR', 't');
    expect((await u.job('orders')).kind).toBe('jar');
    await u.jobs.rollback('orders', 1, 't');
    expect((await u.run('orders', 'start')).status).toBe('succeeded');
    await u.jobs.rollback('orders', 2, 't');
    const e = await u.runner.launch(await u.job('orders'), 'upgrade', {}, 't').catch((x: SluiceError) => x);
    expect(e).toBeInstanceOf(SluiceError);
    expect(renderMessage((e as SluiceError).text!)).toMatch(
      /job orders's version 4 is a jar job and its running version 3 a sql job: an upgrade carries state over/,
    );
    expect(await u.job('orders')).toMatchObject({ state: 'RUNNING', deployedVersion: 3 });
  });
});
