import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteJar, runJar, uploadJar } from '../../src/adapters/flink/rest/flink-jars.ts';
import { FlinkRestClient } from '../../src/adapters/flink/rest/flink-rest-client.ts';
import {
  ensureSqlRunnerJar,
  type SqlRunnerJar,
} from '../../src/adapters/flink/sql-runner/sql-runner-build.ts';
import {
  sqlRunnerScript,
  writeSqlRunnerScript,
} from '../../src/adapters/flink/sql-runner/sql-runner-script.ts';
import { planSqlDeployment } from '../../src/domain/sql/deployment-plan.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { provisionedEngine } from '../support/engines.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';
import { attachSharedCluster, taskManagerOut, type AdoptedCluster } from '../support/shared-cluster.ts';
import {
  FAIL_ON_PURPOSE_MAIN,
  STATEFUL_COUNTER_MAIN,
  testJars,
  type TestJars,
} from '../support/test-jars.ts';
import { flinkFetch } from '../support/flink-tls.ts';

/**
 * The jars built in this repository with Maven, run on a real local Flink 1.20 session cluster through
 * Flink REST (`/jars/upload`, `/jars/:id/run`): a stateful DataStream job whose counts continue after
 * a restore from a savepoint, a job that fails on purpose, and the SQL runner with a UDF jar.
 */
describe('jar jobs on a local session cluster', () => {
  let t: TestPlatform;
  let rest: FlinkRestClient;
  let jars: TestJars;
  let runner: SqlRunnerJar;
  let shared: AdoptedCluster;
  let out: { file: string; from: number };
  const cluster = 'jars';
  const flinkVersion = '1.20.3';
  const jobId = () => randomBytes(16).toString('hex');
  const uploaded: string[] = [];
  const upload = async (file: string) => {
    const id = await uploadJar(rest.baseUrl, file);
    uploaded.push(id);
    return id;
  };
  /**
   * The TaskManager's stdout from `offset` on: where DataStream print() and the print connector write.
   * Offsets count from this file's start: what other files printed on the shared cluster is not read.
   */
  const printed = (offset = 0) => fs.readFileSync(out.file, 'utf8').slice(out.from + offset);
  const state = async (id: string) => (await rest.job(id)).state;
  const running = (id: string) =>
    waitFor(`job ${id} RUNNING with its tasks`, async () => {
      const j = await rest.job(id);
      return j.state === 'RUNNING' && (await rest.jobs()).find((x) => x.jid === id)?.tasks?.running;
    });
  const stopWithSavepoint = async (id: string) => {
    const trigger = await rest.stop(id, path.join(t.home, 'savepoints'), false);
    const location = await rest.awaitSavepoint(id, trigger);
    await waitFor(`job ${id} FINISHED after its savepoint`, async () => (await state(id)) === 'FINISHED');
    return location;
  };

  beforeAll(async () => {
    t = await testPlatform();
    // The run's shared Flink 1.20 cluster, also the next describe's: one cluster start for the file.
    shared = await attachSharedCluster(t.platform, cluster);
    await t.platform.targets.start(cluster, () => {});
    rest = shared.rest;
    out = await taskManagerOut(t, cluster);
    [jars, runner] = await Promise.all([
      testJars(flinkVersion),
      ensureSqlRunnerJar({ flinkVersion, sluiceHome: t.home }),
    ]);
  });
  afterAll(async () => {
    for (const id of uploaded) await deleteJar(rest.baseUrl, id).catch(() => {});
    await shared?.release();
    await t?.close();
  });

  it('a stateful DataStream job keeps counting from its savepoint', async () => {
    const jar = await upload(jars.statefulCounter);
    const first = jobId();
    // No entry class: Flink reads Main-Class from the manifest Maven wrote.
    const ran = await runJar(rest.baseUrl, jar, {
      jobId: first,
      programArgsList: ['--keys', '2', '--rate', '40', '--name', 'counter'],
    });
    expect(ran).toBe(first);
    await running(first);
    const counts = (text: string, key: string) =>
      [...text.matchAll(new RegExp(`^${key}=(\\d+)$`, 'gm'))].map((m) => Number(m[1]));
    await waitFor('k0 counted past 20', async () => Math.max(0, ...counts(printed(), 'k0')) > 20);
    const savepoint = await stopWithSavepoint(first);
    const before = { k0: Math.max(...counts(printed(), 'k0')), k1: Math.max(...counts(printed(), 'k1')) };
    const offset = printed().length;

    const second = jobId();
    await runJar(rest.baseUrl, jar, {
      jobId: second,
      savepointPath: savepoint,
      programArgsList: ['--keys', '2', '--rate', '40', '--name', 'counter'],
    });
    await running(second);
    await waitFor('both keys counted after the restore', async () =>
      ['k0', 'k1'].every((k) => counts(printed(offset), k).length > 0),
    );
    // Exactly where the savepoint left off: the state came back, and nothing was counted twice.
    expect(counts(printed(offset), 'k0')[0]).toBe(before.k0 + 1);
    expect(counts(printed(offset), 'k1')[0]).toBe(before.k1 + 1);
    await rest.cancel(second);
    await waitFor('the restored job cancelled', async () => (await state(second)) === 'CANCELED');
  });

  it('a job that fails on purpose fails with its message', async () => {
    const jar = await upload(jars.failOnPurpose);
    const id = await runJar(rest.baseUrl, jar, {
      entryClass: FAIL_ON_PURPOSE_MAIN,
      jobId: jobId(),
      programArgsList: ['--after', '7', '--rate', '50'],
      flinkConfiguration: { 'restart-strategy.type': 'none' },
    });
    await waitFor('the job FAILED', async () => (await state(id)) === 'FAILED', 60_000);
    const history = await rest.exceptionHistory(id);
    expect(history.map((e) => e.stacktrace).join('\n')).toContain(
      'java.lang.IllegalStateException: sluice test job failed on purpose after 7 records',
    );
    expect(printed()).toMatch(/^record 6 of 7$/m);
  });

  /** Three INSERTs (one Flink job) over a datagen sequence, each using one function of the UDF jar. */
  const udfScript = `SET 'pipeline.name' = 'runner-udfs';
CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE TEMPORARY FUNCTION split_words AS 'dev.sluice.testudfs.SplitWords';
CREATE TEMPORARY FUNCTION longest_length AS 'dev.sluice.testudfs.LongestLength';
CREATE TABLE src (id BIGINT, word STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000', 'fields.word.length' = '5');
CREATE TABLE loud (id BIGINT, loud STRING) WITH ('connector' = 'print', 'print-identifier' = 'loud');
CREATE TABLE words (id BIGINT, w STRING, pos INT) WITH ('connector' = 'print', 'print-identifier' = 'words');
CREATE TABLE longest (k BIGINT, n INT) WITH ('connector' = 'print', 'print-identifier' = 'longest');
INSERT INTO loud SELECT id, shout(word) FROM src;
INSERT INTO words SELECT id, w, pos FROM src, LATERAL TABLE(split_words(CONCAT(word, ' tail'))) AS T(w, pos);
INSERT INTO longest SELECT MOD(id, 2), longest_length(word) FROM src GROUP BY MOD(id, 2);
`;
  const writeScript = (name: string, sql: string, options: Record<string, string> = {}) => {
    const script = sqlRunnerScript(planSqlDeployment(sql), { jars: [jars.udfs] });
    Object.assign(script.options, options);
    const file = path.join(t.home, `${name}.json`);
    writeSqlRunnerScript(file, script);
    return file;
  };

  it('the SQL runner runs a script with a UDF jar as one job and restores it from a savepoint', async () => {
    const jar = await upload(runner.jar);
    const first = jobId();
    const offset0 = printed().length;
    // A job id in the options loses to the one Flink was given for this run.
    const file = writeScript('udfs', udfScript, { '$internal.pipeline.job-id': jobId() });
    expect(await runJar(rest.baseUrl, jar, { jobId: first, programArgsList: [file] })).toBe(first);
    await running(first);
    const jobs = await rest.jobs();
    expect(jobs.filter((j) => j.state === 'RUNNING').map((j) => [j.jid, j.name])).toEqual([
      [first, 'runner-udfs'],
    ]);
    const ids = (text: string) =>
      [...text.matchAll(/^loud> \+I\[(\d+), ([0-9A-F]{5})!\]$/gm)].map((m) => Number(m[1]));
    await waitFor('30 rows through shout()', async () => ids(printed(offset0)).length >= 30);
    expect(printed(offset0)).toMatch(/^words> \+I\[\d+, tail, 2\]$/m);
    expect(printed(offset0)).toMatch(/^longest> \+[IU]\[[01], 5\]$/m);
    const savepoint = await stopWithSavepoint(first);
    const last = Math.max(...ids(printed(offset0)));
    const offset = printed().length;

    const second = jobId();
    // A savepoint path in the options loses to the one Flink was given for this run.
    const again = writeScript('udfs-again', udfScript, { 'execution.savepoint.path': '/no/such/savepoint' });
    await runJar(rest.baseUrl, jar, { jobId: second, savepointPath: savepoint, programArgsList: [again] });
    await running(second);
    await waitFor('rows after the restore', async () => ids(printed(offset)).length > 0);
    expect(ids(printed(offset))[0]).toBe(last + 1);
    await rest.cancel(second);
    await waitFor('the restored SQL job cancelled', async () => (await state(second)) === 'CANCELED');
  }, 300_000);

  it("the SQL runner names the statement and Flink's root cause in one line, and submits nothing", async () => {
    const jar = await upload(runner.jar);
    const id = jobId();
    const file = writeScript(
      'bad',
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO sink SELECT nope FROM src;`,
    );
    const refused = await runJar(rest.baseUrl, jar, { jobId: id, programArgsList: [file] }).catch(
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(
      /: Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table \(at line 4, column 25 of the script\)$/,
    );
    expect((await rest.jobs()).map((j) => j.jid)).not.toContain(id);
  });
});

/**
 * JAR jobs as users run them, through the real CLI on a local session cluster: a job made from the
 * stateful-counter artifact keeps its counts across stop and start, an upgrade to a new artifact
 * version, a cancel; the fail-on-purpose jar ends FAILED after Flink's restarts with its cause.
 */
describe.each([
  { engine: '1.20', flinkVersion: '1.20.3' },
  { engine: '2.2', flinkVersion: '2.2.0' },
])('JAR jobs through the CLI on Flink $engine', ({ engine, flinkVersion }) => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let jars: TestJars;
  const cluster = `local-${engine}`;
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await sluice(...args, '--json')) as T;
  let out: { file: string; from: number };
  const printed = (offset = 0) =>
    fs.existsSync(out.file) ? fs.readFileSync(out.file, 'utf8').slice(out.from + offset) : '';
  const counts = (text: string, key: string) =>
    [...text.matchAll(new RegExp(`^${key}=(\\d+)$`, 'gm'))].map((m) => Number(m[1]));
  const restUrl = async () => (await t.platform.targets.cluster(cluster)).rest.baseUrl;

  beforeAll(async () => {
    // Flink 1.20's jobs run on the run's shared cluster (the previous describe's too); 2.2 has its own.
    ({ t, url, close } = await servedPlatform({
      sharedLocalCluster: engine === '1.20',
      config: { trackerIntervalMs: 500 },
    }));
    if (engine !== '1.20') {
      await sluice('engine', 'add', '--home', await provisionedEngine(engine));
      await t.platform.targets.define({
        name: cluster,
        engineVersion: engine,
        ...(await t.clusterSettings()),
      });
    }
    out = await taskManagerOut(t, cluster);
    jars = await testJars(flinkVersion);
    await sluice('artifact', 'upload', jars.statefulCounter, '--name', 'counter');
    await sluice('artifact', 'upload', jars.failOnPurpose, '--name', 'fail');
    await sluice('artifact', 'upload', jars.udfs, '--name', 'udfs');
    // The tracker follows jobs after their start, as on a server.
    await t.platform.boot();
  }, 900_000);
  afterAll(async () => {
    await close?.();
  }, 120_000);

  it('refuses at create a jar without the entry class, and a job with both a script and a jar', async () => {
    const missing = await runSluice(url, [
      ...['job', 'create', '--name', 'nope', '--jar', 'counter', '--entry-class', 'dev.sluice.Nope'],
      ...['--target', cluster, '--engine', engine],
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(
      /entryClass: artifact counter@1 has no class dev\.sluice\.Nope \(\d+ top-level classes\): check the entry class name and package/,
    );
    const sqlFile = path.join(t.home, 'x.sql');
    fs.writeFileSync(sqlFile, 'INSERT INTO a SELECT 1');
    const both = await runSluice(url, [
      ...['job', 'create', '--name', 'nope', '--jar', 'counter', '--sql-file', sqlFile],
    ]);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('a job runs a SQL script or a jar, not both');
    expect(await json<unknown[]>('job', 'list')).toEqual([]);
  });

  it('starts a JAR job, stops it with a savepoint, resumes its counts, upgrades it to a new artifact version, cancels it', async () => {
    expect(
      await sluice(
        ...[
          'job',
          'create',
          '--name',
          'counter',
          '--jar',
          'counter',
          '--target',
          cluster,
          '--engine',
          engine,
        ],
        // The udfs jar only on the classpath (pipeline.classpaths): main() and each task load a class of it.
        ...['--args', '--keys 2 --rate 40 --require-class dev.sluice.testudfs.Shout', '--classpath', 'udfs'],
      ),
    ).toContain(
      `job counter created as version 1 (engine ${engine}, target ${cluster}, jar counter@1 running ${STATEFUL_COUNTER_MAIN})`,
    );
    const created = await json<Record<string, unknown>>('job', 'get', 'counter');
    expect(created).toMatchObject({
      state: 'CREATED',
      kind: 'jar',
      jar: { name: 'counter', version: 1 },
      entryClass: STATEFUL_COUNTER_MAIN,
      args: ['--keys', '2', '--rate', '40', '--require-class', 'dev.sluice.testudfs.Shout'],
      classpath: [{ name: 'udfs', version: 1 }],
    });
    expect(created).not.toHaveProperty('sql');
    expect(await sluice('job', 'get', 'counter')).toContain(
      `jar: counter@1  entry class: ${STATEFUL_COUNTER_MAIN}`,
    );

    expect(await sluice('job', 'start', 'counter')).toMatch(
      /job counter is RUNNING \(Flink job [0-9a-f]{32}\)/,
    );
    const first = await t.platform.jobs.get('counter');
    const [start] = await t.platform.jobs.submissions('counter');
    expect(start!.steps.map((s) => s.name)).toEqual([
      'resolve version',
      'validate',
      'prepare cluster',
      'upload jar',
      'run jar',
      'wait until running',
    ]);
    // The uploaded jar was deleted from the JobManager once the run answered.
    const listed = (await (await flinkFetch(`${await restUrl()}/jars`)).json()) as { files: unknown[] };
    expect(listed.files).toEqual([]);
    await waitFor('k0 counted past 20', async () => Math.max(0, ...counts(printed(), 'k0')) > 20);
    expect(printed()).toMatch(/^loaded dev\.sluice\.testudfs\.Shout$/m);

    expect(await sluice('job', 'stop', 'counter')).toContain('job counter is STOPPED');
    const before = Math.max(...counts(printed(), 'k0'));
    const offset = printed().length;
    await sluice('job', 'start', 'counter');
    const second = await t.platform.jobs.get('counter');
    expect(second.flinkJobId).not.toBe(first.flinkJobId);
    await waitFor('k0 counted after the restore', async () => counts(printed(offset), 'k0').length > 0);
    // Exactly where the savepoint left off: the counts came back from it.
    expect(counts(printed(offset), 'k0')[0]).toBe(before + 1);

    // A new version of the artifact is a new job version; the upgrade goes through a savepoint.
    await sluice('artifact', 'upload', jars.statefulCounter, '--name', 'counter');
    expect(await sluice('job', 'edit', 'counter', '--jar', 'counter@2', '-m', 'counter 2')).toContain(
      'job counter saved as version 2',
    );
    expect(await sluice('job', 'diff', 'counter', '1', '2')).toContain(
      'jar: {"name":"counter","version":1} -> {"name":"counter","version":2}',
    );
    const beforeUpgrade = Math.max(...counts(printed(), 'k0'));
    const offset2 = printed().length;
    await sluice('job', 'upgrade', 'counter');
    expect(await t.platform.jobs.get('counter')).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });
    await waitFor('k0 counted after the upgrade', async () => counts(printed(offset2), 'k0').length > 0);
    expect(counts(printed(offset2), 'k0')[0]).toBeGreaterThan(beforeUpgrade);

    expect(await sluice('job', 'cancel', 'counter')).toContain('job counter is CANCELLED');
  }, 300_000);

  it("ends FAILED after Flink's restarts of a jar that fails on purpose, with the root cause as the reason", async () => {
    // The count comes from a workspace variable, substituted at the start only.
    await sluice('variable', 'set', 'fail_after', '7');
    await sluice(
      ...['job', 'create', '--name', 'failing', '--jar', 'fail', '--entry-class', FAIL_ON_PURPOSE_MAIN],
      ...['--args', '--after ${fail_after} --rate 50', '--restart', 'fixed:2:1'],
      ...['--target', cluster, '--engine', engine],
    );
    expect((await json<{ args: string[] }>('job', 'get', 'failing')).args).toEqual([
      '--after',
      '${fail_after}',
      '--rate',
      '50',
    ]);
    await runSluice(url, ['job', 'start', 'failing']);
    const failed = await waitFor(
      'the job FAILED',
      async () => {
        const j = await json<{ state: string; stateReason: string | null; flinkJobId: string | null }>(
          'job',
          'get',
          'failing',
        );
        return j.state === 'FAILED' && j;
      },
      120_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; ${await sluice('job', 'get', 'failing')}`);
    });
    expect(failed.stateReason).toContain(
      'IllegalStateException: sluice test job failed on purpose after 7 records',
    );
    // Flink restarted it twice before giving up, as the job's restart policy says.
    const rest = (await t.platform.targets.cluster(cluster)).rest;
    // Flink's REST layer serves the execution graph from a cache (web.refresh-interval): wait for it.
    let seen: string[] = [];
    await waitFor(
      'three failures in the exception history',
      async () => {
        seen = (await rest.exceptionHistory(failed.flinkJobId!)).map((e) => e.exceptionName);
        return seen.length === 3;
      },
      // 20 s was missed once with the machine's load average at 12.
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; it holds ${seen.length}: ${seen.join(', ')}`);
    });
  }, 240_000);
});
