import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inspectDistribution } from '../../src/adapters/flink/distribution.ts';
import {
  LocalApplicationCluster,
  type ApplicationProgram,
} from '../../src/adapters/flink/local-cluster/local-application-cluster.ts';
import {
  ensureSqlRunnerJar,
  type SqlRunnerJar,
} from '../../src/adapters/flink/sql-runner/sql-runner-build.ts';
import {
  sqlRunnerScript,
  writeSqlRunnerScript,
} from '../../src/adapters/flink/sql-runner/sql-runner-script.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';
import { planSqlDeployment } from '../../src/domain/sql/deployment-plan.ts';
import { waitFor } from '../support/platform.ts';
import { freePorts } from '../support/ports.ts';
import { testJars, type TestJars } from '../support/test-jars.ts';

/**
 * The SQL runner on a local application cluster, as the "local application" target runs it: Flink's
 * standalone application entry point runs the runner's main in the cluster's own JobManager, the
 * runner and the UDF jar in its usrlib, one TaskManager beside it.
 */
describe('the SQL runner on a local application cluster (Flink 1.20)', () => {
  let root: string;
  let runner: SqlRunnerJar;
  let jars: TestJars;
  const clusters: LocalApplicationCluster[] = [];
  const jobId = () => randomBytes(16).toString('hex');
  const start = async (
    name: string,
    program: Omit<ApplicationProgram, 'jars' | 'entryClass' | 'allowNonRestoredState'>,
  ) => {
    const [restPort, rpcPort] = (await freePorts(2)) as [number, number];
    const c = new LocalApplicationCluster(
      {
        name,
        taskManagers: 1,
        restPort,
        rpcPort,
        jobManagerMemory: '768m',
        taskManagerMemory: '1024m',
        slotsPerTaskManager: 2,
        flinkConfig: {},
        program: {
          ...program,
          // No ADD JAR: on an application cluster the UDF jar is on the job's classpath (usrlib).
          jars: [runner.jar, jars.udfs],
          entryClass: runner.mainClass,
          allowNonRestoredState: false,
        },
      },
      inspectDistribution(inject('engineHome')),
      findJava().path,
      path.join(root, name),
    );
    clusters.push(c);
    await c.start();
    return c;
  };
  const script = (name: string, sql: string) => {
    const file = path.join(root, `${name}.json`);
    writeSqlRunnerScript(file, sqlRunnerScript(planSqlDeployment(sql)));
    return file;
  };
  const printed = (c: LocalApplicationCluster) => {
    const out = path.join(c.dirs.log, 'taskmanager-1.out');
    return fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  };
  const ids = (c: LocalApplicationCluster) =>
    [...printed(c).matchAll(/^app> \+I\[(\d+), [0-9A-F]{4}!\]$/gm)].map((m) => Number(m[1]));
  const jobState = async (c: LocalApplicationCluster, id: string) =>
    (await c.rest.jobs()).find((j) => j.jid === id);
  const running = (c: LocalApplicationCluster, id: string) =>
    waitFor(
      `job ${id} RUNNING in its application cluster`,
      async () => {
        const j = await jobState(c, id);
        return j?.state === 'RUNNING' && j.tasks?.running;
      },
      180_000,
    );

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

  it('runs the script as the cluster’s one job; a new cluster resumes from its savepoint', async () => {
    const first = jobId();
    const a = await start('first', { args: [script('first', sql)], jobId: first, savepointPath: null });
    await running(a, first);
    await waitFor('20 rows through shout()', async () => ids(a).length >= 20);
    const trigger = await a.rest.stop(first, `file://${path.join(root, 'savepoints')}`, false);
    const savepoint = await a.rest.awaitSavepoint(first, trigger);
    await waitFor('the job FINISHED', async () => (await jobState(a, first))?.state === 'FINISHED');
    const last = Math.max(...ids(a));
    await a.stop();

    const second = jobId();
    const b = await start('second', {
      args: [script('second', sql)],
      jobId: second,
      savepointPath: savepoint,
    });
    await running(b, second);
    await waitFor('rows after the restore', async () => ids(b).length > 0);
    expect(ids(b)[0]).toBe(last + 1);
    await b.rest.cancel(second);
    await waitFor('the job CANCELED', async () => (await jobState(b, second))?.state === 'CANCELED');
    await b.stop();
  }, 400_000);

  it('a bad statement: a FAILED job whose exception is the one line, and the line in the JobManager’s output', async () => {
    const id = jobId();
    const c = await start('bad', {
      args: [
        script(
          'bad',
          `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');\nINSERT INTO nowhere SELECT id FROM src;`,
        ),
      ],
      jobId: id,
      savepointPath: null,
    });
    const line =
      "Sluice SQL runner: the statement at line 2 failed: Cannot find table '`default_catalog`.`default_database`.`nowhere`' in any of the catalogs [default_catalog], nor as a temporary table.";
    await waitFor('the job FAILED', async () => (await jobState(c, id))?.state === 'FAILED', 120_000);
    expect((await c.rest.exceptions(id)).stacktrace).toContain(line);
    expect(fs.readFileSync(path.join(c.dirs.log, 'jobmanager.out'), 'utf8').split('\n')).toContain(line);
    await c.stop();
  });
});
