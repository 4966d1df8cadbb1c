import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { processArgs, processesWithArg } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { embeddedAlertmanagerProcesses } from '../../src/adapters/alerts/alertmanager-server.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';
import { clusterJvmsUnder } from '../support/jvms.ts';
import { killableServer, type KillableServer } from '../support/killable-server.ts';
import { howItEnded } from '../support/lifecycle.ts';
import { testJars } from '../support/test-jars.ts';
import { flinkFetch, homeFlinkFetch } from '../support/flink-tls.ts';

const TARGET = 'local-application-1.20';

/**
 * Per-job application clusters on real Flink 1.20, through the platform: a SQL job runs in a cluster
 * of its own (the SQL runner in its JobManager), stops with a savepoint (its cluster gone), resumes
 * from it, is upgraded and cancelled (each time its cluster gone), and a job that keeps failing ends
 * FAILED once its restart strategy is spent, its cluster gone too. One platform for the whole file.
 */
describe('the local application target (Flink 1.20)', () => {
  let tp: TestPlatform;
  const author = 'e2e';
  const run = async (s: Promise<Submission>): Promise<Submission> => {
    const sub = await s;
    await tp.platform.submissions.wait(sub.id);
    return (await tp.platform.store.lifecycle.submission(sub.id))!;
  };
  const runDir = (job: string, flinkJobId: string) =>
    path.join(tp.home, 'applications', TARGET, job, flinkJobId);
  /** The ids the job printed (print sink, the TaskManager's stdout of that run's cluster). */
  const printed = (job: string, flinkJobId: string) => {
    const out = path.join(runDir(job, flinkJobId), 'log', 'taskmanager-1.out');
    const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    return [...text.matchAll(/^row> \+I\[(\d+)\]$/gm)].map((m) => Number(m[1]));
  };
  const gone = async (job: string, flinkJobId: string, restUrl: string) => {
    expect(processesWithArg(`-Dsluice.cluster.dir=${runDir(job, flinkJobId)}`)).toEqual([]);
    expect(await portFree(Number(new URL(restUrl).port))).toBe(true);
    // Its files stay, for the logs.
    expect(fs.existsSync(path.join(runDir(job, flinkJobId), 'log', 'jobmanager.log'))).toBe(true);
  };
  const counting = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

  beforeAll(async () => {
    tp = await testPlatform({ config: { savepointRetention: 5 } });
  }, 300_000);
  afterAll(async () => {
    await tp?.close();
    expect(clusterJvmsUnder(tp.home)).toEqual([]);
  }, 120_000);

  it('is listed beside the session targets, one per engine', async () => {
    const targets = await tp.platform.targets.list();
    expect(targets.find((t) => t.name === TARGET)).toMatchObject({
      targetKind: 'local-application',
      engineVersion: '1.20',
      state: 'stopped',
    });
    await expect(tp.platform.targets.start(TARGET, () => {})).rejects.toThrow(
      /local application target: each job on it runs in an application cluster of its own/,
    );
  });

  it('starts a SQL job in a cluster of its own, stops it with a savepoint (cluster gone), resumes from it, upgrades and cancels it', async () => {
    const p = tp.platform;
    await p.jobs.create({ name: 'counter', sql: counting, target: TARGET }, author);
    const first = await run(p.jobs.start('counter', {}, author));
    expect(first.status, howItEnded(first)).toBe('succeeded');
    expect(first.steps.map((s) => s.name)).toEqual([
      'resolve version',
      'validate',
      'write SQL runner plan',
      'prepare cluster files',
      'start application cluster',
      'JobManager answers',
      'TaskManagers registered',
      'wait until running',
    ]);
    const running = await p.jobs.get('counter');
    expect(running.state).toBe('RUNNING');
    const states = (await p.jobs.events('counter')).map((e) => e.to);
    expect(states).toEqual(['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
    // The Flink job id was reserved before the cluster started, and is the id its JobManager runs.
    const id1 = running.flinkJobId!;
    expect(first.flinkJobId).toBe(id1);
    expect(running.restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const jobs = (await flinkFetch(`${running.restUrl}/jobs/overview`).then((r) => r.json())) as {
      jobs: { jid: string; state: string; name: string }[];
    };
    expect(jobs.jobs.map((j) => [j.jid, j.state, j.name])).toEqual([[id1, 'RUNNING', 'counter']]);
    // The tracker sees it in its own cluster.
    await p.tracker.tick();
    expect((await p.jobs.get('counter')).state).toBe('RUNNING');
    await waitFor('rows printed', async () => printed('counter', id1).length >= 20);

    const stop = await run(p.jobs.stop('counter', false, author));
    expect(stop.status, howItEnded(stop)).toBe('succeeded');
    expect((await p.jobs.get('counter')).state).toBe('STOPPED');
    expect((await p.jobs.get('counter')).restUrl).toBeNull();
    await gone('counter', id1, running.restUrl!);
    const last = Math.max(...printed('counter', id1));

    const second = await run(p.jobs.start('counter', {}, author));
    expect(second.status, howItEnded(second)).toBe('succeeded');
    const id2 = (await p.jobs.get('counter')).flinkJobId!;
    expect(id2).not.toBe(id1);
    expect(second.savepointPath).toBe(stop.savepointPath);
    await waitFor('rows after the restore', async () => printed('counter', id2).length > 0);
    expect(printed('counter', id2)[0]).toBe(last + 1);

    // An upgrade: stop with savepoint, the old cluster gone, a new one from the savepoint.
    const before = (await p.jobs.get('counter')).restUrl!;
    const job = await p.jobs.get('counter');
    await p.jobs.update('counter', job.currentVersion, { parallelism: 2 }, 'two slots', author);
    const upgrade = await run(p.jobs.upgrade('counter', {}, author));
    expect(upgrade.status, howItEnded(upgrade)).toBe('succeeded');
    const upgraded = await p.jobs.get('counter');
    expect(upgraded).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });
    await gone('counter', id2, before);
    const id3 = upgraded.flinkJobId!;
    const overview = (await flinkFetch(`${upgraded.restUrl}/overview`).then((r) => r.json())) as {
      'slots-total': number;
    };
    expect(overview['slots-total']).toBe(2);

    const cancel = await run(p.jobs.cancel('counter', author));
    expect(cancel.status, howItEnded(cancel)).toBe('succeeded');
    expect((await p.jobs.get('counter')).state).toBe('CANCELLED');
    await gone('counter', id3, upgraded.restUrl!);
  }, 600_000);

  it('a job that keeps failing ends FAILED once its restart strategy is spent, and its cluster is gone', async () => {
    const p = tp.platform;
    await p.jobs.create(
      {
        name: 'breaks',
        // Runs a few seconds, then a value no INT can hold fails the task; restarted once, it fails again.
        sql: `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (n INT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT CAST(CASE WHEN id > 30 THEN 'not a number' ELSE '1' END AS INT) FROM src;`,
        target: TARGET,
        restartPolicy: { kind: 'fixed-delay', attempts: 1, delaySeconds: 1 },
      },
      author,
    );
    const start = await run(p.jobs.start('breaks', {}, author));
    const id = (await p.jobs.get('breaks')).flinkJobId!;
    const restUrl = `https://127.0.0.1:${localSpecPort(runDir('breaks', id))}`;
    if (start.status === 'succeeded')
      await waitFor(
        'the tracker to see the job FAILED',
        async () => {
          await p.tracker.tick();
          return (await p.jobs.get('breaks')).state === 'FAILED';
        },
        120_000,
      );
    const failed = await p.jobs.get('breaks');
    expect(failed.state).toBe('FAILED');
    expect(failed.stateReason).toMatch(/not a number|NumberFormatException|cannot be cast/i);
    await gone('breaks', id, restUrl);
  }, 300_000);

  it('runs a JAR job in a cluster of its own (its classpath artifact loaded), stops it with a savepoint (cluster gone), resumes its counts, and cancels it', async () => {
    const p = tp.platform;
    const jars = await testJars('1.20.3');
    const upload = (file: string, name: string) =>
      p.artifacts.upload({ bytes: fs.readFileSync(file), fileName: path.basename(file), name }, author);
    await upload(jars.statefulCounter, 'counter-jar');
    await upload(jars.udfs, 'udfs');
    // No entry class: the manifest's Main-Class, stored at save. The udfs jar is only on the classpath:
    // the counter's main() and its tasks load one of its classes by name.
    await p.jobs.create(
      {
        name: 'jar-counter',
        jar: 'counter-jar',
        args: ['--keys', '2', '--rate', '40', '--require-class', 'dev.sluice.testudfs.Shout'],
        classpath: ['udfs'],
        target: TARGET,
      },
      author,
    );
    const first = await run(p.jobs.start('jar-counter', {}, author));
    expect(first.status, howItEnded(first)).toBe('succeeded');
    expect(first.steps.map((s) => s.name)).toEqual([
      'resolve version',
      'validate',
      'prepare cluster files',
      'start application cluster',
      'JobManager answers',
      'TaskManagers registered',
      'wait until running',
    ]);
    const running = await p.jobs.get('jar-counter');
    expect(running.state).toBe('RUNNING');
    const id1 = running.flinkJobId!;
    expect(first.flinkJobId).toBe(id1);
    expect(running.restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const jobs = (await flinkFetch(`${running.restUrl}/jobs/overview`).then((r) => r.json())) as {
      jobs: { jid: string; state: string }[];
    };
    expect(jobs.jobs.map((j) => [j.jid, j.state])).toEqual([[id1, 'RUNNING']]);
    // usrlib: the job's jar, then its classpath artifact (copies of the stored files).
    const usrlib = path.join(runDir('jar-counter', id1), 'usrlib');
    const inUsrlib = fs.readdirSync(usrlib).sort();
    expect(inUsrlib).toHaveLength(2);
    const stored = await Promise.all(
      ['counter-jar', 'udfs'].map(async (a) => fs.readFileSync((await p.artifacts.file(a, 1)).path)),
    );
    expect(inUsrlib.map((f) => fs.readFileSync(path.join(usrlib, f)))).toEqual(stored);
    const out = (id: string) => {
      const f = path.join(runDir('jar-counter', id), 'log', 'taskmanager-1.out');
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    };
    const k0 = (id: string) => [...out(id).matchAll(/^k0=(\d+)$/gm)].map((m) => Number(m[1]));
    await waitFor('k0 counted past 20', async () => Math.max(0, ...k0(id1)) > 20);
    expect(out(id1)).toMatch(/^loaded dev\.sluice\.testudfs\.Shout$/m);

    const stop = await run(p.jobs.stop('jar-counter', false, author));
    expect(stop.status, howItEnded(stop)).toBe('succeeded');
    expect(await p.jobs.get('jar-counter')).toMatchObject({ state: 'STOPPED', restUrl: null });
    await gone('jar-counter', id1, running.restUrl!);
    const before = Math.max(...k0(id1));

    const second = await run(p.jobs.start('jar-counter', {}, author));
    expect(second.status, howItEnded(second)).toBe('succeeded');
    expect(second.savepointPath).toBe(stop.savepointPath);
    const resumed = await p.jobs.get('jar-counter');
    const id2 = resumed.flinkJobId!;
    expect(id2).not.toBe(id1);
    await waitFor('k0 counted after the restore', async () => k0(id2).length > 0);
    // The count continues from the savepoint: the state came back, nothing counted twice.
    expect(k0(id2)[0]).toBe(before + 1);

    const cancel = await run(p.jobs.cancel('jar-counter', author));
    expect(cancel.status, howItEnded(cancel)).toBe('succeeded');
    expect((await p.jobs.get('jar-counter')).state).toBe('CANCELLED');
    await gone('jar-counter', id2, resumed.restUrl!);
  }, 600_000);
});

/** The REST port a run's cluster was made with (its application.json). */
function localSpecPort(root: string): number {
  return (JSON.parse(fs.readFileSync(path.join(root, 'application.json'), 'utf8')) as { restPort: number })
    .restPort;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The platform as a real `sluice server` process, killed with SIGKILL while a job's application
 * cluster starts, then started again over the same home: afterwards there is exactly one application
 * cluster and one Flink job for the Sluice job, the one whose id was reserved before the cluster started.
 */
describe('crash safety of a start on the local application target', () => {
  let server: KillableServer | null = null;
  let home = '';
  const api = <T>(method: string, p: string, body?: unknown): Promise<T> => server!.api<T>(method, p, body);
  const startServer = () => server!.start();
  const killServer = () => server!.kill();
  const apps = () => path.join(home, 'applications', TARGET, 'crash');

  beforeAll(async () => {
    server = await killableServer('app-crash');
    home = server.home;
    await startServer();
    await api('POST', '/engines', { home: inject('engineHome') });
    await api('POST', '/jobs', {
      name: 'crash',
      target: TARGET,
      sql: `CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE d (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO d SELECT id FROM s;`,
    });
  }, 120_000);
  afterAll(async () => {
    // Also kills what a failed case left, the killed server's Alertmanager included.
    await server?.close();
  });

  it('killed once its cluster started: after a restart exactly one cluster and one Flink job, re-attached by the reserved id', async () => {
    await api('POST', '/jobs/crash/start');
    await waitFor(
      'the submission reaching "JobManager answers"',
      async () => {
        const s = await api<{ steps: { name: string }[] }>('GET', '/jobs/crash/submissions/1');
        return s.steps.some((st) => st.name === 'JobManager answers');
      },
      300_000,
    );
    const reserved = (await api<{ flinkJobId: string }>('GET', '/jobs/crash')).flinkJobId;
    const jvms = processesWithArg(`-Dsluice.cluster.dir=${path.join(apps(), reserved)}`).map((p) => p.pid);
    expect(jvms.length).toBeGreaterThan(0);
    // Its Alertmanager (started in the background once the API answers), which the kill leaves running.
    const [alertmanager] = await waitFor(
      'the embedded Alertmanager',
      async () => embeddedAlertmanagerProcesses(home).length > 0 && embeddedAlertmanagerProcesses(home),
    );
    await killServer();
    expect(processArgs(alertmanager!.pid)).toBeDefined();
    await startServer();
    const running = await waitFor(
      'RUNNING after the restart',
      async () => {
        const j = await api<{ state: string; flinkJobId: string; restUrl: string | null }>(
          'GET',
          '/jobs/crash',
        );
        return j.state === 'RUNNING' && j;
      },
      180_000,
    );
    expect(running.flinkJobId).toBe(reserved);
    // One cluster: the run folder of the reserved id, its processes adopted, none started twice.
    const live = fs
      .readdirSync(apps())
      .filter((d) => processesWithArg(`-Dsluice.cluster.dir=${path.join(apps(), d)}`).length > 0);
    expect(live).toEqual([reserved]);
    const after = processesWithArg(`-Dsluice.cluster.dir=${path.join(apps(), reserved)}`).map((p) => p.pid);
    expect(after.sort()).toEqual([...new Set([...jvms, ...after])].sort());
    expect(after).toHaveLength(2);
    const { jobs } = (await homeFlinkFetch(home)(`${running.restUrl}/jobs/overview`).then((r) =>
      r.json(),
    )) as {
      jobs: { jid: string; state: string }[];
    };
    expect(jobs.map((j) => [j.jid, j.state])).toEqual([[reserved, 'RUNNING']]);
    // The restarted server stopped the Alertmanager the killed one left and runs its own.
    await waitFor('the Alertmanager of the restarted server alone', async () => {
      const now = embeddedAlertmanagerProcesses(home);
      return now.length === 1 && now[0]!.pid !== alertmanager!.pid;
    });
    expect(processArgs(alertmanager!.pid)).toBeUndefined();

    await api('POST', '/jobs/crash/cancel');
    await waitFor(
      'CANCELLED',
      async () => (await api<{ state: string }>('GET', '/jobs/crash')).state === 'CANCELLED',
      60_000,
    );
    expect(clusterJvmsUnder(home)).toEqual([]);
    // A clean stop of the restarted server leaves no Alertmanager on the home: neither its own nor the
    // killed one's.
    await server!.stop();
    expect(embeddedAlertmanagerProcesses(home)).toEqual([]);
  }, 600_000);
});
