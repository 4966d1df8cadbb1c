import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
import { startApplicationCluster, type ApplicationCluster } from '../support/application-cluster.ts';
import { waitFor } from '../support/platform.ts';
import { testJars, type TestJars } from '../support/test-jars.ts';

/**
 * The SQL runner as the "local application" target will run it: Flink's standalone application entry
 * point runs the runner's main in its JobManager (the runner and the UDF jar in usrlib), one
 * TaskManager beside it; the cluster exists for that one job and ends with it.
 */
describe('the SQL runner in a standalone application cluster (Flink 1.20)', () => {
  let root: string;
  let runner: SqlRunnerJar;
  let jars: TestJars;
  const clusters: ApplicationCluster[] = [];
  const jobId = () => randomBytes(16).toString('hex');
  const start = async (
    name: string,
    o: { script: string; jobId: string; fromSavepoint?: string; taskManager?: boolean },
  ) => {
    const c = await startApplicationCluster({
      engineHome: inject('engineHome'),
      root: path.join(root, name),
      usrlib: [runner.jar, jars.udfs],
      jobClass: runner.mainClass,
      programArgs: [o.script],
      jobId: o.jobId,
      ...(o.fromSavepoint ? { fromSavepoint: o.fromSavepoint } : {}),
      ...(o.taskManager === false ? { taskManager: false } : {}),
    });
    clusters.push(c);
    return c;
  };
  const script = (name: string, sql: string) => {
    // No jars to add: on an application cluster the UDF jar is on the job's classpath (usrlib).
    const file = path.join(root, `${name}.json`);
    writeSqlRunnerScript(file, sqlRunnerScript(planSqlDeployment(sql)));
    return file;
  };
  const ids = (file: string) =>
    fs.existsSync(file)
      ? [...fs.readFileSync(file, 'utf8').matchAll(/^app> \+I\[(\d+), [0-9A-F]{4}!\]$/gm)].map((m) =>
          Number(m[1]),
        )
      : [];
  const running = (rest: FlinkRestClient, id: string) =>
    waitFor(
      `job ${id} RUNNING in its application cluster`,
      async () => (await rest.jobs()).find((j) => j.jid === id && j.state === 'RUNNING' && j.tasks?.running),
      180_000,
    );
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([
      p,
      new Promise<never>((_, r) => setTimeout(() => r(new Error(`${what} within ${ms / 1000} s`)), ms)),
    ]);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-app-'));
    [runner, jars] = await Promise.all([
      ensureSqlRunnerJar({ flinkVersion: '1.20.3', sluiceHome: root }),
      testJars('1.20.3'),
    ]);
  });
  afterAll(async () => {
    for (const c of clusters) await c.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const sql = `CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE TABLE src (id BIGINT, word STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000', 'fields.word.length' = '4');
CREATE TABLE sink (id BIGINT, loud STRING) WITH ('connector' = 'print', 'print-identifier' = 'app');
INSERT INTO sink SELECT id, shout(word) FROM src;`;

  it('runs the job, stops it with a savepoint (the cluster ends), and a new cluster resumes from it', async () => {
    const first = jobId();
    const a = await start('first', { script: script('first', sql), jobId: first });
    const restA = new FlinkRestClient(a.restUrl);
    await running(restA, first);
    await waitFor('20 rows through shout()', async () => ids(a.taskManagerOut).length >= 20);
    const trigger = await restA.stop(first, `file://${path.join(root, 'savepoints')}`, false);
    const savepoint = await restA.awaitSavepoint(first, trigger);
    // The job finished, so the application did, so its JobManager exits on its own.
    const endA = await within(a.jobManagerExit, 60_000, 'the JobManager exits after the job finished');
    console.log(`application cluster after stop-with-savepoint: JobManager exit ${JSON.stringify(endA)}`);
    expect(endA).toEqual({ code: 0, signal: null });
    const last = Math.max(...ids(a.taskManagerOut));
    await a.stop();

    const second = jobId();
    const b = await start('second', {
      script: script('second', sql),
      jobId: second,
      fromSavepoint: savepoint,
    });
    const restB = new FlinkRestClient(b.restUrl);
    await running(restB, second);
    await waitFor('rows after the restore', async () => ids(b.taskManagerOut).length > 0);
    expect(ids(b.taskManagerOut)[0]).toBe(last + 1);
    await restB.cancel(second);
    const endB = await within(b.jobManagerExit, 60_000, 'the JobManager exits after the job was cancelled');
    console.log(`application cluster after cancel: JobManager exit ${JSON.stringify(endB)}`);
    await b.stop();
  }, 400_000);

  it('a bad statement ends the cluster: the one line on its output, a failing exit code', async () => {
    const c = await start('bad', {
      script: script(
        'bad',
        `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');\nINSERT INTO nowhere SELECT id FROM src;`,
      ),
      jobId: jobId(),
      taskManager: false,
    });
    const end = await within(c.jobManagerExit, 120_000, 'the JobManager exits after main failed');
    console.log(`application cluster after a failing main: JobManager exit ${JSON.stringify(end)}`);
    expect(end.code).not.toBe(0);
    expect(fs.readFileSync(c.jobManagerOut, 'utf8')).toMatch(
      /^Sluice SQL runner: the statement at line 2 failed: Cannot find table '`default_catalog`.`default_database`.`nowhere`' in any of the catalogs \[default_catalog\], nor as a temporary table.$/m,
    );
  });
});
