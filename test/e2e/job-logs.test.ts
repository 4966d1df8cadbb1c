import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

const APP = 'local-application-1.20';
/** A value nothing else in the run contains: finding it in an answer means a leak. */
const SECRET = `Lg${Date.now().toString(36)}W9k`;

/**
 * `sluice job logs` and its API on real Flink 1.20: a job's own application cluster (its files, kept
 * after it ends) and the run's shared session cluster registered as a remote one (Flink REST's log
 * pages), through the built CLI and the typed client against a served platform.
 */
describe('job logs', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform({ sharedCluster: true, config: { trackerIntervalMs: 500 } }));
    client = createClient({ baseUrl: url, headers: authHeaders(url) });
    await t.platform.boot();
    await client.workspace.setVariable('log_marker', { value: SECRET, secret: true });
  }, 300_000);
  afterAll(async () => {
    await close?.();
  }, 120_000);

  it("reads, searches, follows and downloads the logs of a job's own cluster, masked, and keeps them after it ends", async () => {
    const sql = path.join(os.tmpdir(), `logged-${process.pid}.sql`);
    fs.writeFileSync(
      sql,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`,
    );
    await sluice(
      ...['job', 'create', '--name', 'logged', '--sql-file', sql, '--target', APP],
      // The job's options are its cluster's configuration, which the JobManager logs as it starts:
      // a secret a job is configured with reaches Flink's log (not a key Flink masks by itself).
      ...['--option', 'sluice.e2e.marker=${log_marker}', '--option', 'execution.checkpointing.interval=1s'],
    );
    expect(await sluice('job', 'start', 'logged')).toMatch(/job logged is RUNNING/);
    const job = await client.jobs.get('logged');

    const list = await sluice('job', 'logs', 'logged', '--list');
    expect(list).toContain(`logs of job logged's own application cluster on ${APP} (run ${job.flinkJobId})`);
    for (const id of ['jobmanager.log', 'jobmanager.out', 'taskmanager-1.log', 'taskmanager-1.out'])
      expect(list).toMatch(new RegExp(`^${id.replace('.', '\\.')}\\s`, 'm'));
    const view = await client.jobs.logs('logged');
    expect(view).toMatchObject({ scope: 'job', run: job.flinkJobId, target: APP });
    expect(view.sources.find((s) => s.id === 'jobmanager.log')).toMatchObject({
      process: 'jobmanager',
      role: 'jobmanager',
      stream: 'log',
      live: true,
      size: expect.any(Number),
    });

    // Flink wrote the secret into the file (else the masking below would prove nothing).
    const file = path.join(t.home, 'applications', APP, 'logged', job.flinkJobId!, 'log', 'jobmanager.log');
    expect(fs.readFileSync(file, 'utf8')).toContain(`sluice.e2e.marker, ${SECRET}`);
    const tail = await sluice('job', 'logs', 'logged', '--tail', '100000');
    expect(tail).toContain('Starting StandaloneApplicationClusterEntryPoint');
    expect(tail).toContain('sluice.e2e.marker, ******');
    expect(tail).not.toContain(SECRET);
    const last = await sluice('job', 'logs', 'logged', '--tail', '3');
    expect(last.split('\n').filter(Boolean)).toHaveLength(3);
    const found = await sluice('job', 'logs', 'logged', '--search', 'SLUICE.E2E.MARKER');
    expect(found).toMatch(/^\d+:.*sluice\.e2e\.marker, \*{6}$/m);
    expect(await sluice('job', 'logs', 'logged', '--search', SECRET)).toBe('');

    // Followed from its end, the JobManager's log brings the checkpoints Flink completes meanwhile.
    const end = await client.jobs.log('logged', 'jobmanager.log', { tail: 1 });
    const follow = await client.jobs.followLog('logged', 'jobmanager.log', end.next);
    let followed = '';
    while (!/Completed checkpoint \d+/.test(followed)) {
      const f = await follow.nextFrame();
      if (!f || f.event !== 'chunk') throw new Error(`the follow stream ended: ${JSON.stringify(f)}`);
      expect(f.data.from).toBeGreaterThanOrEqual(end.next);
      followed += f.data.text;
    }
    follow.close();

    // The CLI follows until the process ends: the job's cluster goes with the job.
    const following = runSluice(url, ['job', 'logs', 'logged', '--follow', '--tail', '1']);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await sluice('job', 'cancel', 'logged')).toContain('job logged is CANCELLED');
    const ended = await following;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/checkpoint/i);
    expect(ended.stderr).toContain('(jobmanager.log: the process no longer writes this log)');

    // The ended run's logs stay readable, and download whole, masked.
    expect((await client.jobs.logs('logged')).sources.every((s) => !s.live)).toBe(true);
    expect(await sluice('job', 'logs', 'logged', '--tail', '100000')).toContain(
      'Starting StandaloneApplicationClusterEntryPoint',
    );
    const download = await fetch(client.jobs.logDownloadUrl('logged', 'jobmanager.log'), {
      headers: authHeaders(url),
    });
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="logged-latest-jobmanager.log"`,
    );
    const whole = await download.text();
    expect(whole).toContain('sluice.e2e.marker, ******');
    expect(whole).not.toContain(SECRET);
    expect(whole.length).toBeGreaterThanOrEqual(tail.length);

    // A new run has logs of its own; the earlier run's stay readable by its Flink job id.
    expect(await sluice('job', 'start', 'logged', '--from-savepoint', 'none')).toMatch(
      /job logged is RUNNING/,
    );
    const again = await client.jobs.get('logged');
    expect(again.flinkJobId).not.toBe(job.flinkJobId);
    const runs = await client.jobs.logs('logged');
    expect(runs.run).toBe(again.flinkJobId);
    expect(runs.runs.map((r) => [r.flinkJobId, r.live])).toEqual([
      [again.flinkJobId, true],
      [job.flinkJobId, false],
    ]);
    expect(await sluice('job', 'logs', 'logged', '--list')).toContain(`kept runs (--run):`);
    // The JobManager logs its program arguments, among them the Flink job id Sluice reserved for the run.
    const old = ['job', 'logs', 'logged', '--run', job.flinkJobId!, '--search'];
    expect(await sluice(...old, job.flinkJobId!)).toMatch(new RegExp(`^\\d+:.*${job.flinkJobId}`, 'm'));
    expect(await sluice(...old, again.flinkJobId!)).toBe('');
    expect(await sluice('job', 'cancel', 'logged')).toContain('job logged is CANCELLED');

    const missing = await runSluice(url, ['job', 'logs', 'logged', '--process', 'taskmanager-7']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      'job logged has no log of process taskmanager-7: its sources are jobmanager.log',
    );
    const unknown = await client.jobs.log('logged', 'nope.log').catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      status: 404,
      message: expect.stringContaining("job logged has no log source 'nope.log'"),
    });
  }, 400_000);

  it("shows a session cluster's logs as the cluster's, shared by its jobs, through Flink's REST API", async () => {
    const sql = path.join(os.tmpdir(), `shared-logs-${process.pid}.sql`);
    fs.writeFileSync(
      sql,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`,
    );
    await sluice('job', 'create', '--name', 'shared-logs', '--sql-file', sql, '--target', 'local-1.20');
    expect(await sluice('job', 'start', 'shared-logs')).toMatch(/job shared-logs is RUNNING/);
    const job = await client.jobs.get('shared-logs');

    const view = await client.jobs.logs('shared-logs');
    expect(view).toMatchObject({ scope: 'cluster', run: null, runs: [], target: 'local-1.20' });
    expect(view.sources).toContainEqual(
      expect.objectContaining({ id: 'jobmanager:jobmanager.log', process: 'jobmanager', stream: 'log' }),
    );
    expect(view.sources.some((s) => s.role === 'taskmanager' && s.stream === 'log')).toBe(true);
    expect(await sluice('job', 'logs', 'shared-logs', '--list')).toContain(
      'logs of the session cluster of local-1.20, shared by every job running there',
    );
    // The JobManager's log says it took the job, by the id Sluice reserved for it.
    const found = await sluice('job', 'logs', 'shared-logs', '--search', job.flinkJobId!);
    expect(found).toMatch(new RegExp(`^\\d+:.*${job.flinkJobId}`, 'm'));
    const tm = await sluice('job', 'logs', 'shared-logs', '--process', 'taskmanager-1', '--tail', '5');
    expect(tm.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(await sluice('job', 'cancel', 'shared-logs')).toContain('job shared-logs is CANCELLED');
  }, 300_000);
});
