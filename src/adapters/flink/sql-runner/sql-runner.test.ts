import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { planSqlDeployment } from '../../../domain/sql/deployment-plan.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { inspectDistribution } from '../distribution.ts';
import { LOG4J_PROPERTIES } from '../local-cluster/flink-config.ts';
import { JAVA17_FLAGS } from '../local-cluster/jvm.ts';
import { buildMavenProject } from '../maven-project-build.ts';
import { ensureSqlRunnerJar, SQL_RUNNER_PROJECT, type SqlRunnerJar } from './sql-runner-build.ts';
import {
  SQL_RUNNER_FORMAT,
  sqlRunnerScript,
  writeSqlRunnerScript,
  type SqlRunnerScript,
} from './sql-runner-script.ts';

describe('the SQL runner script Sluice writes', () => {
  it('carries the plan of Sluice’s own splitter: options, jars, catalogs, setup and INSERTs with their lines', () => {
    const plan = planSqlDeployment(
      `SET 'pipeline.name' = 'orders';
CREATE TABLE a (id INT) WITH ('connector' = 'datagen');
CREATE TABLE b (id INT) WITH ('connector' = 'blackhole');
  INSERT INTO b SELECT id FROM a;
INSERT INTO b SELECT id + 1 FROM a;`,
      { 'parallelism.default': '2' },
    );
    const script = sqlRunnerScript(plan, {
      catalogs: [{ name: 'pg', sql: "CREATE CATALOG pg WITH ('type' = 'generic_in_memory')" }],
      jars: ['/srv/udfs.jar'],
    });
    expect(script).toEqual({
      format: SQL_RUNNER_FORMAT,
      options: { 'parallelism.default': '2', 'pipeline.name': 'orders' },
      jars: ['/srv/udfs.jar'],
      catalogs: [{ sql: "CREATE CATALOG pg WITH ('type' = 'generic_in_memory')", label: 'catalog pg' }],
      setup: [
        { sql: "CREATE TABLE a (id INT) WITH ('connector' = 'datagen')", line: 2, column: 1 },
        { sql: "CREATE TABLE b (id INT) WITH ('connector' = 'blackhole')", line: 3, column: 1 },
      ],
      inserts: [
        { sql: 'INSERT INTO b SELECT id FROM a', line: 4, column: 3 },
        { sql: 'INSERT INTO b SELECT id + 1 FROM a', line: 5, column: 1 },
      ],
    } satisfies SqlRunnerScript);
  });

  it('is written readable by its owner only: it may hold secrets substituted into catalogs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-runner-script-'));
    try {
      const file = path.join(dir, 'script.json');
      writeSqlRunnerScript(file, sqlRunnerScript(planSqlDeployment('INSERT INTO b SELECT 1')));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ format: SQL_RUNNER_FORMAT });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The runner started by java itself (no cluster): Flink's local mini cluster runs the job. */
describe('the SQL runner jar, built with Maven against Flink 1.20', () => {
  let home: string;
  let runner: SqlRunnerJar;
  const runJava = (script: SqlRunnerScript | string) => {
    const file = path.join(home, `script-${Math.random().toString(36).slice(2)}.json`);
    if (typeof script === 'string') fs.writeFileSync(file, script);
    else writeSqlRunnerScript(file, script);
    const lib = inspectDistribution(inject('engineHome')).classpath;
    return spawnSync(
      'java',
      [
        ...JAVA17_FLAGS,
        `-Dlog.file=${path.join(home, 'runner.log')}`,
        `-Dlog4j.configurationFile=file:${path.join(home, 'log4j.properties')}`,
        '-cp',
        [runner.jar, ...lib].join(':'),
        runner.mainClass,
        file,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
  };

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-runner-'));
    fs.writeFileSync(path.join(home, 'log4j.properties'), LOG4J_PROPERTIES);
    runner = await ensureSqlRunnerJar({ flinkVersion: '1.20.3', sluiceHome: home });
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('is built once per Flink release and source: a second call reuses it; its manifest names the runner', async () => {
    expect(runner.built).toBe(true);
    expect(runner.jar).toBe(path.join(home, 'sql-runner', 'flink-1.20.3', 'sluice-sql-runner.jar'));
    const again = await ensureSqlRunnerJar({ flinkVersion: '1.20.3', sluiceHome: home });
    expect(again).toEqual({ ...runner, built: false });
    const manifest = spawnSync('unzip', ['-p', runner.jar, 'META-INF/MANIFEST.MF'], { encoding: 'utf8' });
    expect(manifest.stdout).toContain('Main-Class: dev.sluice.sqlrunner.SluiceSqlRunner');
  });

  it('runs a bounded script to its end, options applied, INSERTs as one job', () => {
    const r = runJava(
      sqlRunnerScript(
        planSqlDeployment(`SET 'parallelism.default' = '1';
SET 'table.local-time-zone' = 'Asia/Shanghai';
CREATE TABLE nums (n BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '3',
  'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '3');
CREATE TABLE out1 (n BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'one');
CREATE TABLE out2 (n BIGINT, t STRING) WITH ('connector' = 'print', 'print-identifier' = 'two');
INSERT INTO out1 SELECT n * 10 FROM nums;
INSERT INTO out2 SELECT n * 100, CAST(TO_TIMESTAMP_LTZ(0, 0) AS STRING) FROM nums;`),
      ),
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^Sluice SQL runner: submitted job [0-9a-f]{32}$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('one> ')).sort()).toEqual([
      'one> +I[10]',
      'one> +I[20]',
      'one> +I[30]',
    ]);
    // The epoch in the time zone the script SET: the option reached the planner.
    expect(lines.filter((l) => l.startsWith('two> ')).sort()).toEqual([
      'two> +I[100, 1970-01-01 08:00:00.000]',
      'two> +I[200, 1970-01-01 08:00:00.000]',
      'two> +I[300, 1970-01-01 08:00:00.000]',
    ]);
  });

  it('a statement Flink refuses: one line with its line and Flink’s root cause, the trace after, exit 1', () => {
    const r = runJava(
      sqlRunnerScript(
        planSqlDeployment(`CREATE TABLE nums (n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE sink (n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink
  SELECT n, nope FROM nums;`),
      ),
    );
    expect(r.status).toBe(1);
    const [first, second] = r.stderr.split('\n');
    expect(first).toBe(
      "Sluice SQL runner: the statement at line 3 failed: Column 'nope' not found in any table (at line 4, column 13 of the script)",
    );
    expect(second).toMatch(/^org\.apache\.flink\.table\.api\.ValidationException: SQL validation failed/);
  });

  it('a setup statement with an unknown connector names its line', () => {
    const r = runJava(
      sqlRunnerScript(
        planSqlDeployment(`
CREATE TABLE nums (n BIGINT) WITH ('connector' = 'no-such-connector');
CREATE TABLE sink (n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT n FROM nums;`),
      ),
    );
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^Sluice SQL runner: the statement at line 4 failed: Could not find any factory for identifier 'no-such-connector'/,
    );
  });

  it('refuses a script file of another format, saying which it reads', () => {
    const r = runJava(JSON.stringify({ format: 'something/2', inserts: [] }));
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^Sluice SQL runner: the script file \S+ is not valid: format is something\/2, this runner reads sluice-sql-runner\/1$/,
    );
  });

  it('a project that does not compile: javac’s error, and the earlier build left as it was', async () => {
    const broken = path.join(home, 'broken');
    fs.cpSync(SQL_RUNNER_PROJECT, broken, { recursive: true });
    const main = path.join(broken, 'src/main/java/dev/sluice/sqlrunner/SluiceSqlRunner.java');
    fs.writeFileSync(
      main,
      fs.readFileSync(main, 'utf8').replace('static TableResult run(', 'static TableResult run( int'),
    );
    const outDir = path.dirname(runner.jar);
    const err = await buildMavenProject({
      projectDir: broken,
      flinkVersion: '1.20.3',
      outDir,
      jars: ['target/sluice-sql-runner.jar'],
      what: 'the SQL runner',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as Error).message).toMatch(
      /^building the SQL runner for Flink 1\.20\.3 with Maven failed: javac refused the sources:\n\S+SluiceSqlRunner\.java:\[\d+,\d+\] /,
    );
    expect(fs.existsSync(runner.jar)).toBe(true);
    expect((await ensureSqlRunnerJar({ flinkVersion: '1.20.3', sluiceHome: home })).built).toBe(false);
  });
});
