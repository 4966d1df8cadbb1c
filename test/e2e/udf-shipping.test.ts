import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { freePort } from '../support/ports.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { testJars } from '../support/test-jars.ts';
import { taskManagerOut } from '../support/shared-cluster.ts';
import { homeFlinkFetch } from '../support/flink-tls.ts';

const SHOUT = 'dev.sluice.testudfs.Shout';

/** Shouted ids into the print connector: `<tag>> +I[HI-<id>!]` lines in the TaskManager's stdout. */
const script = (tag: string, declare = `CREATE FUNCTION shout AS '${SHOUT}'`) => `${declare};
CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE loud (s STRING) WITH ('connector' = 'print', 'print-identifier' = '${tag}');
INSERT INTO loud SELECT shout(CONCAT('hi-', CAST(id AS STRING))) FROM ids;
`;

/**
 * A SQL job's artifacts reach the session cluster for that job only (ADD JAR in its own SQL
 * session), on a real local Flink 1.20 session, through the real CLI: the job's UDF runs, the planner
 * check and debug runs see it when given the artifact, and nothing else on the cluster does.
 */
describe('UDF jars shipped with a SQL job', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let udfs: string;
  let hiddenGateway: ChildProcess | null = null;
  const cli = (...args: string[]) => runSluice(url, args);
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const file = (name: string, text: string) => {
    const f = path.join(t.home, name);
    fs.writeFileSync(f, text);
    return f;
  };
  /** The TaskManager's stdout since this file began: the shared cluster's holds what earlier files printed. */
  let out: { file: string; from: number };
  const printed = () => fs.readFileSync(out.file, 'utf8').slice(out.from);
  const shouted = (tag: string) => [
    ...printed().matchAll(new RegExp(`^${tag}> \\+I\\[HI-(\\d+)!\\]$`, 'gm')),
  ];
  const stored = () => {
    const sha = createHash('sha256').update(fs.readFileSync(udfs)).digest('hex');
    return { sha, path: path.join(t.home, 'artifacts', 'sha256', sha.slice(0, 2), `${sha}.jar`) };
  };

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform({ sharedLocalCluster: true }));
    udfs = (await testJars('1.20.3')).udfs;
    await ok('cluster', 'start', 'local-1.20');
    out = await taskManagerOut(t, 'local-1.20');
    expect(await ok('artifact', 'upload', udfs, '--name', 'udfs')).toContain(
      'artifact udfs version 1 stored',
    );
  }, 600_000);
  afterAll(async () => {
    if (hiddenGateway?.exitCode === null) {
      const exited = new Promise((r) => hiddenGateway!.once('exit', r));
      hiddenGateway.kill('SIGTERM');
      await exited;
    }
    await close?.();
  }, 120_000);

  it('runs a job whose function is in its artifact, showing the jar as its own step', async () => {
    await ok(
      'job',
      'create',
      '--name',
      'loud',
      '--sql-file',
      file('loud.sql', script('loud')),
      '--artifact',
      'udfs',
    );
    await ok('job', 'start', 'loud');
    expect(JSON.parse(await ok('job', 'get', 'loud', '--json'))).toMatchObject({ state: 'RUNNING' });
    await waitFor('shouted ids printed by the job', async () => shouted('loud').length >= 3);
    expect(shouted('loud')[0]![1]).toBe('1');

    const s = JSON.parse(await ok('job', 'submission-log', 'loud', '1', '--json')) as {
      steps: { name: string; log: string[] }[];
    };
    expect(s.steps.map((x) => x.name)).toEqual([
      'resolve version',
      'validate',
      'prepare cluster',
      'open SQL session',
      'add jars',
      'create tables',
      'plan',
      'submit',
      'wait until running',
    ]);
    const { sha, path: jar } = stored();
    expect(s.steps.find((x) => x.name === 'add jars')!.log).toEqual([
      expect.stringMatching(new RegExp(` udfs@1 sha256 ${sha} ${jar}: added$`)),
    ]);
    expect(s.steps.find((x) => x.name === 'validate')!.log.join('\n')).toContain(
      'artifacts: udfs@1 (3 functions)',
    );
  }, 180_000);

  it('refuses the same job without the artifact, naming the class and where it looked', async () => {
    await ok('job', 'create', '--name', 'bare', '--sql-file', file('bare.sql', script('bare')));
    const r = await cli('job', 'start', 'bare');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      `step "validate" failed: the script cannot run: line 1, column 26: function shout: class ${SHOUT} is in none of the job's artifacts (the job lists no artifact)`,
    );
    expect(JSON.parse(await ok('job', 'get', 'bare', '--json')).state).toBe('FAILED');
  });

  it('runs CREATE FUNCTION ... USING JAR with the stored jar, without listing the artifact', async () => {
    const { path: jar } = stored();
    const sql = script('using', `CREATE TEMPORARY FUNCTION shout AS '${SHOUT}' USING JAR '${jar}'`);
    await ok('job', 'create', '--name', 'using', '--sql-file', file('using.sql', sql));
    await ok('job', 'start', 'using');
    await waitFor('shouted ids printed by the USING JAR job', async () => shouted('using').length >= 2);
  }, 180_000);

  it('plans and debug-runs with the artifact, and the same session cluster without it does not know the class', async () => {
    const f = file('check.sql', script('check'));
    // The jobs above run on this cluster with the jar: a session without it still cannot load the class.
    expect(JSON.parse(await ok('job', 'get', 'loud', '--json')).state).toBe('RUNNING');
    const without = await cli('sql', 'validate', f, '--planner');
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(new RegExp(`error \\(planner\\): .*${SHOUT.replace(/\./g, '\\.')}`));
    const withIt = await cli('sql', 'validate', f, '--planner', '--artifact', 'udfs@1');
    expect(withIt.stderr).toBe('');
    expect(withIt.stdout).toContain('no errors (planned by Flink)');

    const debug = await cli('sql', 'debug', f, '--artifact', 'udfs', '--rows', '3', '--json');
    expect(debug.code, debug.stderr).toBe(0);
    const rows = debug.stdout
      .split('\n')
      .filter((l) => l.startsWith('{"seq"'))
      .map((l) => JSON.parse(l) as { fields: unknown[] });
    expect(rows.map((r) => String(r.fields[0]))).toEqual([
      expect.stringMatching(/^HI--?\d+!$/),
      expect.stringMatching(/^HI--?\d+!$/),
      expect.stringMatching(/^HI--?\d+!$/),
    ]);
    // A debug run of the job takes the job's artifacts.
    const ofJob = await cli('sql', 'debug', '--job', 'loud', '--rows', '2');
    expect(ofJob.code, ofJob.stderr + ofJob.stdout).toBe(0);
    expect(ofJob.stdout).toMatch(/^\+I loud \| s="HI--?\d+!"$/m);
    // Without the jar the debug run fails with Flink's word for it.
    const bare = await cli('sql', 'debug', f, '--rows', '2');
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain(SHOUT);
  }, 300_000);

  it('refuses a remote session whose SQL Gateway cannot read the stored jar, naming the artifact and the target', async () => {
    // A second SQL Gateway for the same JobManager, in a mount namespace where Sluice's artifact
    // folder is an empty file system: a gateway on another machine sees no more of it than this.
    const status = await t.platform.targets.status('local-1.20');
    const pid = status.processes.find((p) => p.id === 'sql-gateway')!.pid!;
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const env = Object.fromEntries(
      fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    const port = await freePort();
    const args = cmd
      .filter((a) => !a.startsWith('-Dsluice.'))
      .map((a) =>
        a.startsWith('-Dlog.file=') ? `-Dlog.file=${path.join(t.home, 'hidden-gateway.log')}` : a,
      );
    args.push(`-Dsql-gateway.endpoint.rest.port=${port}`);
    hiddenGateway = spawn(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        'mount -t tmpfs none "$0" && exec "$@"',
        path.join(t.home, 'artifacts'),
        ...args,
      ],
      { env, stdio: 'ignore' },
    );
    // It reads the cluster's configuration: the same doors, served with the home's keys.
    const gatewayUrl = `${new URL(status.gatewayUrl).protocol}//127.0.0.1:${port}`;
    const flink = homeFlinkFetch(t.home);
    await waitFor('the hidden SQL Gateway', async () => (await flink(`${gatewayUrl}/v1/info`)).ok, 60_000);
    await t.platform.targets.registerRemote({
      name: 'far',
      restUrl: status.restUrl,
      gatewayUrl,
      engineVersion: '',
    });
    await ok(
      'job',
      'create',
      '--name',
      'far-loud',
      '--sql-file',
      file('far.sql', script('far')),
      '--artifact',
      'udfs',
      '--target',
      'far',
    );
    const r = await cli('job', 'start', 'far-loud');
    expect(r.code).toBe(1);
    const { path: jar } = stored();
    expect(r.stdout + r.stderr).toContain(
      `step "add jars" failed: the SQL Gateway of remote session cluster far cannot read artifact udfs@1 at ${jar}, where Sluice stores it (FileNotFoundException: jar resource [${jar}] not found): a remote session's gateway must see`,
    );
    expect(r.stdout + r.stderr).toContain(
      "must see Sluice's artifact folder at the same path (a shared file system); otherwise run the job on a local session or local application target",
    );
    const job = JSON.parse(await ok('job', 'get', 'far-loud', '--json'));
    expect(job.state).toBe('FAILED');
    // Nothing of it was submitted: only the two jobs started above run on the JobManager.
    const running = (await (await flink(`${status.restUrl}/jobs/overview`)).json()) as {
      jobs: { name: string; state: string }[];
    };
    expect(running.jobs.filter((j) => j.state === 'RUNNING')).toHaveLength(2);

    // The same job on a remote session whose gateway reads this machine's files runs with the jar.
    await t.platform.targets.registerRemote({
      name: 'near',
      restUrl: status.restUrl,
      gatewayUrl: status.gatewayUrl,
      engineVersion: '',
    });
    await ok('job', 'edit', 'far-loud', '--target', 'near', '-m', 'a gateway that sees the jar');
    await ok('job', 'start', 'far-loud');
    await waitFor('shouted ids printed through the remote session', async () => shouted('far').length >= 2);
  }, 180_000);
});
