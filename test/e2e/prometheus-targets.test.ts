import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import type { ScrapeTargetGroupView } from '../../src/contract/prometheus.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { waitFor } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

const APP = 'local-application-1.20';
const SESSION = 'local-1.20';

/** A scrape of a Flink process's reporter, as Prometheus does it: GET /metrics over HTTP. */
async function scrape(address: string): Promise<string> {
  const r = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(10_000) });
  expect(r.status, `GET http://${address}/metrics`).toBe(200);
  return r.text();
}

/**
 * Waits until a process's reporter serves a series of `metric` that `match` picks with a value above
 * 0; returns those series. A timeout says which series of that name the reporter served.
 */
async function waitForCount(
  address: string,
  metric: string,
  match: (line: string) => boolean,
  what: string,
): Promise<string[]> {
  let last = '';
  try {
    return await waitFor(what, async () => {
      last = await scrape(address);
      const lines = series(last, metric).filter(match);
      return lines.some((l) => Number(l.split(' ').pop()) > 0) && lines;
    });
  } catch (e) {
    const served = last
      .split('\n')
      .filter((l) => l.includes('numRecordsOut'))
      .slice(0, 6);
    throw new Error(`${(e as Error).message}; numRecordsOut series served: ${served.join(' | ') || 'none'}`);
  }
}

/** The series of a metric in Prometheus's text format, with their labels as text. */
const series = (text: string, metric: string) =>
  text.split('\n').filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));

/**
 * Flink's Prometheus reporter on the clusters Sluice runs, found through Sluice's HTTP service
 * discovery (`GET /api/v1/prometheus/targets`) and scraped over HTTP as Prometheus would: a SQL job on
 * the run's shared session cluster (attached as the local session target: its processes were started
 * with the reporter by the same code) and one on its own application cluster, real Flink 1.20.
 */
describe('Prometheus HTTP service discovery of the Flink processes', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const sqlFile = (name: string) => {
    const file = path.join(os.tmpdir(), `${name}-${process.pid}.sql`);
    fs.writeFileSync(
      file,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`,
    );
    return file;
  };
  const groupsOf = async (target: string) =>
    (await client.prometheus.targets()).filter((g) => g.labels.target === target);

  beforeAll(async () => {
    ({ url, close } = await servedPlatform({ sharedLocalCluster: true, config: { trackerIntervalMs: 500 } }));
    client = createClient({ baseUrl: url, headers: authHeaders(url) });
  }, 300_000);
  afterAll(async () => {
    await close?.();
  }, 120_000);

  it('answers in the http_sd format Prometheus reads', async () => {
    const r = await fetch(`${url}/api/v1/prometheus/targets`, { headers: authHeaders(url) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await r.json()) as unknown[];
    expect(Array.isArray(body)).toBe(true);
    for (const g of body as ScrapeTargetGroupView[]) {
      expect(Object.keys(g).sort()).toEqual(['labels', 'targets']);
      for (const address of g.targets) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      for (const [k, v] of Object.entries(g.labels)) {
        expect(k).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
        expect(typeof v).toBe('string');
      }
    }
  });

  it("lists the session cluster's JobManager and TaskManager; their reporters serve the job's series until it is cancelled", async () => {
    await sluice(
      'job',
      'create',
      '--name',
      'prom-session',
      '--sql-file',
      sqlFile('prom-session'),
      '--target',
      SESSION,
    );
    expect(await sluice('job', 'start', 'prom-session')).toMatch(/job prom-session is RUNNING/);
    const job = await client.jobs.get('prom-session');

    const groups = await groupsOf(SESSION);
    expect(groups.map((g) => g.labels.role).sort()).toEqual(['jobmanager', 'taskmanager']);
    for (const g of groups) {
      // The session's jobs are in its target's space.
      expect(g.labels).toMatchObject({ target: SESSION, engine_version: '1.20', space: 'default' });
      // A session cluster's processes run several jobs: no job labels (Flink's series carry job_name).
      expect(g.labels).not.toHaveProperty('job');
      expect(g.targets).toHaveLength(1);
    }
    const jm = groups.find((g) => g.labels.role === 'jobmanager')!.targets[0]!;
    const tm = groups.find((g) => g.labels.role === 'taskmanager')!.targets[0]!;
    expect(series(await scrape(jm), 'flink_jobmanager_numRunningJobs')).toHaveLength(1);
    // Flink writes `_` for what a label value may not hold: the job's name prom-session is prom_session.
    const ofThisJob = (l: string) =>
      l.includes('job_name="prom_session"') && l.includes(`job_id="${job.flinkJobId}"`);
    const ofJob = (text: string) =>
      series(text, 'flink_taskmanager_job_task_operator_numRecordsOut').filter(ofThisJob);
    await waitForCount(
      tm,
      'flink_taskmanager_job_task_operator_numRecordsOut',
      ofThisJob,
      'the job to count records out',
    );

    expect(await sluice('job', 'cancel', 'prom-session')).toContain('job prom-session is CANCELLED');
    // The cluster stays (it is the session's); the job's series leave its TaskManager's reporter.
    expect((await groupsOf(SESSION)).map((g) => g.targets[0]).sort()).toEqual([jm, tm].sort());
    await waitFor(
      'the job series to leave the TaskManager',
      async () => ofJob(await scrape(tm)).length === 0,
    );
  }, 240_000);

  it("lists a job's own application cluster with the job's labels and space, and drops it once the job is cancelled", async () => {
    await sluice('space', 'create', 'metrics-team');
    await sluice(
      'job',
      'create',
      '--name',
      'prom-app',
      '--sql-file',
      sqlFile('prom-app'),
      '--target',
      APP,
      '--space',
      'metrics-team',
    );
    expect(await sluice('job', 'start', 'prom-app')).toMatch(/job prom-app is RUNNING/);
    const job = await client.jobs.get('prom-app');

    const groups = await groupsOf(APP);
    expect(groups.map((g) => `${g.labels.role} ${g.labels.process}`).sort()).toEqual([
      'jobmanager jobmanager',
      'taskmanager taskmanager-1',
    ]);
    for (const g of groups)
      expect(g.labels).toMatchObject({
        target: APP,
        engine_version: '1.20',
        space: 'metrics-team',
        job: 'prom-app',
        version: String(job.deployedVersion),
        flink_job_id: job.flinkJobId,
      });
    const addresses = groups.map((g) => g.targets[0]!);
    // Every process has a port of its own, apart from the session cluster's.
    const sessionAddresses = (await groupsOf(SESSION)).map((g) => g.targets[0]);
    expect(new Set([...addresses, ...sessionAddresses]).size).toBe(
      addresses.length + sessionAddresses.length,
    );

    const jm = groups.find((g) => g.labels.role === 'jobmanager')!.targets[0]!;
    const tm = groups.find((g) => g.labels.role === 'taskmanager')!.targets[0]!;
    expect(
      series(await scrape(jm), 'flink_jobmanager_numRunningJobs').map((l) => l.split(' ').pop()),
    ).toEqual(['1.0']);
    await waitForCount(
      tm,
      'flink_taskmanager_job_task_operator_numRecordsOut',
      (l) => l.includes('job_name="prom_app"') && l.includes(`job_id="${job.flinkJobId}"`),
      'the job to count records out',
    );

    expect(await sluice('job', 'cancel', 'prom-app')).toContain('job prom-app is CANCELLED');
    await waitFor(
      'the application cluster to leave the targets',
      async () => (await groupsOf(APP)).length === 0,
    );
    // Its processes are gone: nothing answers at their reporters' addresses any more.
    for (const a of addresses)
      await expect(fetch(`http://${a}/metrics`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  }, 300_000);
});
