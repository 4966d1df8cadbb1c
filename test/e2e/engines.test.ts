import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { provisionedEngine } from '../support/engines.ts';
import { testJars } from '../support/test-jars.ts';
import { clusterPorts } from '../support/ports.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { flinkFetch } from '../support/flink-tls.ts';

/**
 * Several Flink versions side by side: engines 1.19 and 2.2 beside the run's 1.20, a local session
 * cluster of each, and a SQL job on each running at the same time, all through the real CLI.
 */
describe('Flink 1.19 and 2.2 side by side', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await sluice(...args, '--json')) as T;
  const sql = (job: string) => `
CREATE TABLE ids (id BIGINT) WITH (
  'connector' = 'datagen', 'rows-per-second' = '10',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE files (id BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'file://${t.home}/out/${job}', 'format' = 'csv',
  'sink.rolling-policy.rollover-interval' = '1s', 'sink.rolling-policy.check-interval' = '1s');
INSERT INTO files SELECT id FROM ids;`;
  const flinkJob = async (cluster: string, job: string) => {
    const { flinkJobId } = await t.platform.jobs.get(job);
    const rest = (await t.platform.targets.cluster(cluster)).rest;
    return (await rest.jobs()).find((j) => j.jid === flinkJobId);
  };

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform({ config: { trackerIntervalMs: 500 } }));
    // 1.19 as a Flink installation made elsewhere; 2.x assembled by the platform, as a user asks.
    await sluice('engine', 'add', '--home', await provisionedEngine('1.19'));
    expect(await sluice('engine', 'install', '2.x')).toMatch(/engine 2\.2 \(Flink 2\.2\.0\) installed at/);
    for (const v of ['1.19', '2.2']) {
      const p = await clusterPorts();
      await sluice(
        ...['cluster', 'start', `local-${v}`, '--engine', v, '--tm-memory', '1280m', '--slots', '2'],
        ...['--rest-port', `${p.restPort}`, '--rpc-port', `${p.rpcPort}`],
        ...['--gateway-port', `${p.gatewayPort}`],
      );
    }
    await t.platform.boot();
  }, 900_000);
  afterAll(async () => {
    await close?.();
  }, 120_000);

  it('refuses a version it has no recipe for, naming those it has', async () => {
    const r = await runSluice(url, ['engine', 'install', '2.1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'Flink 2.1 cannot be provisioned: supported versions are 1.19, 1.20, 2.2 (1.x: 1.20, 2.x: 2.2)',
    );
  });

  it('lists each engine with its version and Flink release', async () => {
    const engines = await json<{ version: string; flinkVersion: string; healthy: boolean }[]>(
      'engine',
      'list',
    );
    expect(engines.map((e) => [e.version, e.flinkVersion, e.healthy]).sort()).toEqual([
      ['1.19', '1.19.1', true],
      ['1.20', '1.20.3', true],
      ['2.2', '2.2.0', true],
    ]);
    const clusters = await json<{ name: string; state: string; flinkVersion: string }[]>('cluster', 'list');
    expect(clusters.filter((c) => c.state === 'running').map((c) => [c.name, c.flinkVersion])).toEqual(
      expect.arrayContaining([
        ['local-1.19', '1.19.1'],
        ['local-2.2', '2.2.0'],
      ]),
    );
    // The same clusters as deployment targets, each with the registry's kind.
    const targets = await json<{ name: string; kind: string; engineVersion: string }[]>('target', 'list');
    expect(targets.map((x) => [x.name, x.kind, x.engineVersion])).toEqual(
      expect.arrayContaining([
        ['local-1.19', 'local-session', '1.19'],
        ['local-2.2', 'local-session', '2.2'],
      ]),
    );
  });

  // Two clusters, each start followed by its own CLI: a loaded 2-core machine needs more than the default.
  it('runs a SQL job on 1.19 and one on 2.2 at the same time', async () => {
    for (const v of ['1.19', '2.2']) {
      const job = `on-${v.replace('.', '-')}`;
      const file = path.join(t.home, `${job}.sql`);
      fs.writeFileSync(file, sql(job));
      // --target names the deployment target; --cluster, its earlier name, still does.
      const target = v === '1.19' ? '--target' : '--cluster';
      await sluice(
        ...['job', 'create', '--name', job, '--sql-file', file, '--engine', v, target, `local-${v}`],
      );
    }
    // Both starts at once, each followed by its own CLI until RUNNING.
    await Promise.all([sluice('job', 'start', 'on-1-19'), sluice('job', 'start', 'on-2-2')]);
    for (const [job, cluster] of [
      ['on-1-19', 'local-1.19'],
      ['on-2-2', 'local-2.2'],
    ] as const) {
      const j = await json<{ state: string; engineVersion: string; target: string }>('job', 'get', job);
      expect(j).toMatchObject({ state: 'RUNNING', target: cluster });
      expect(await flinkJob(cluster, job)).toMatchObject({ state: 'RUNNING' });
    }
  }, 300_000);

  it('stops the 2.2 job with a savepoint and resumes it from there, the 1.19 job running on', async () => {
    await sluice('job', 'stop', 'on-2-2');
    expect((await t.platform.jobs.get('on-2-2')).state).toBe('STOPPED');
    const [savepoint] = await json<{ path: string; origin: string }[]>('job', 'savepoints', 'on-2-2');
    expect(savepoint).toMatchObject({ origin: 'stop' });
    expect(fs.existsSync(path.join(new URL(savepoint!.path).pathname, '_metadata'))).toBe(true);

    await sluice('job', 'start', 'on-2-2');
    const { flinkJobId } = await t.platform.jobs.get('on-2-2');
    const clusters = await json<{ name: string; restUrl: string }[]>('cluster', 'list');
    const restUrl = clusters.find((c) => c.name === 'local-2.2')!.restUrl;
    const restored = await waitFor('the 2.2 job restored from its savepoint', async () => {
      const r = (await (await flinkFetch(`${restUrl}/jobs/${flinkJobId}/checkpoints`)).json()) as {
        latest?: { restored?: { external_path?: string } | null };
      };
      return r.latest?.restored?.external_path;
    });
    expect(restored).toBe(savepoint!.path);
    expect(await flinkJob('local-2.2', 'on-2-2')).toMatchObject({ state: 'RUNNING' });
    expect(await flinkJob('local-1.19', 'on-1-19')).toMatchObject({ state: 'RUNNING' });

    for (const job of ['on-1-19', 'on-2-2']) await sluice('job', 'cancel', job);
  }, 300_000);

  // Issue 12's "a SQL job and a JAR job on two different versions at the same time".
  it('runs a SQL job on 1.19 and a JAR job on 2.2 at the same time, then stops both', async () => {
    await sluice('artifact', 'upload', (await testJars('2.2.0')).statefulCounter, '--name', 'counter-2-2');
    const file = path.join(t.home, 'mixed-sql.sql');
    fs.writeFileSync(file, sql('mixed-sql'));
    await sluice(
      ...[
        'job',
        'create',
        '--name',
        'mixed-sql',
        '--sql-file',
        file,
        '--engine',
        '1.19',
        '--target',
        'local-1.19',
      ],
    );
    await sluice(
      ...['job', 'create', '--name', 'mixed-jar', '--jar', 'counter-2-2', '--args', '--keys 2 --rate 20'],
      ...['--engine', '2.2', '--target', 'local-2.2'],
    );
    await Promise.all([sluice('job', 'start', 'mixed-sql'), sluice('job', 'start', 'mixed-jar')]);
    // Both RUNNING together, each in Flink on its own version's cluster.
    for (const [job, cluster, kind] of [
      ['mixed-sql', 'local-1.19', 'sql'],
      ['mixed-jar', 'local-2.2', 'jar'],
    ] as const) {
      expect(await json<{ state: string; kind: string }>('job', 'get', job)).toMatchObject({
        state: 'RUNNING',
        kind,
      });
      expect(await flinkJob(cluster, job)).toMatchObject({ state: 'RUNNING' });
    }
    const counted = () =>
      fs.readFileSync(path.join(t.home, 'clusters', 'local-2.2', 'log', 'taskmanager-1.out'), 'utf8');
    await waitFor('the JAR job counting on 2.2', async () => /^k1=\d+$/m.test(counted()));
    await Promise.all([sluice('job', 'stop', 'mixed-sql'), sluice('job', 'stop', 'mixed-jar')]);
    for (const job of ['mixed-sql', 'mixed-jar'])
      expect((await t.platform.jobs.get(job)).state).toBe('STOPPED');
    expect(await flinkJob('local-1.19', 'mixed-sql')).toMatchObject({ state: 'FINISHED' });
    expect(await flinkJob('local-2.2', 'mixed-jar')).toMatchObject({ state: 'FINISHED' });
  }, 300_000);

  // ADD JAR in the job's own SQL session is how a job's artifacts reach a session cluster on every version.
  it("ships a job's UDF artifact to its session cluster on 1.19 and on 2.2", async () => {
    await sluice('artifact', 'upload', (await testJars('1.20.3')).udfs, '--name', 'udfs');
    const printed = (v: string) =>
      fs.readFileSync(path.join(t.home, 'clusters', `local-${v}`, 'log', 'taskmanager-1.out'), 'utf8');
    for (const v of ['1.19', '2.2']) {
      const job = `udf-${v.replace('.', '-')}`;
      const file = path.join(t.home, `${job}.sql`);
      fs.writeFileSync(
        file,
        `CREATE FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE loud (s STRING) WITH ('connector' = 'print', 'print-identifier' = '${job}');
INSERT INTO loud SELECT shout(CONCAT('hi-', CAST(id AS STRING))) FROM ids;`,
      );
      await sluice(
        ...['job', 'create', '--name', job, '--sql-file', file, '--engine', v, '--target', `local-${v}`],
        ...['--artifact', 'udfs'],
      );
      await sluice('job', 'start', job);
      await waitFor(`shouted rows of ${job}`, async () => printed(v).includes(`${job}> +I[HI-2!]`));
      await sluice('job', 'cancel', job);
    }
  }, 300_000);
});
