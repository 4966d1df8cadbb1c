import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlinkDistribution } from '../../application/ports/engines.ts';
import { parseLogRetentionAge, type LogRetention } from '../../domain/logs/log-retention.ts';
import { LocalApplicationTarget } from './local-application-target.ts';

const dirs: string[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A job folder with run folders, the first the oldest. */
function jobWithRuns(root: string, job: string, runs: number): string[] {
  const ids = Array.from({ length: runs }, (_, i) => i.toString(16).padStart(32, '0'));
  ids.forEach((id, i) => {
    const dir = path.join(root, job, id, 'log');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'flink-jobmanager.log'), `run ${i}\n`);
    const at = new Date(Date.UTC(2026, 0, 1 + i));
    fs.utimesSync(path.join(root, job, id), at, at);
  });
  return ids;
}

/** Sets a file's or folder's times back to `at`, with everything in it (its logs' last writes). */
function setBack(p: string, at: Date): void {
  if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) setBack(path.join(p, e), at);
  fs.utimesSync(p, at, at);
}

function target(root: string, keep: number, maxAge: LogRetention['maxAge'] = null): LocalApplicationTarget {
  return new LocalApplicationTarget({
    name: 'local-application-test',
    distribution: async () => ({ flinkVersion: '1.20.1' }) as FlinkDistribution,
    java: 'java',
    root,
    sluiceHome: root,
    onEvent: () => () => {},
    workbench: null,
    logRetention: { runs: keep, maxAge },
  });
}

describe('local application run folders: retention at the platform start', () => {
  it('keeps the newest runs of each job, and never the folder of a run whose processes run', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-retention-'));
    dirs.push(root);
    const orders = jobWithRuns(root, 'orders', 5);
    const clicks = jobWithRuns(root, 'clicks', 2);
    // The oldest run of orders still has a process (as Flink's are marked with their cluster folder).
    const oldest = path.join(root, 'orders', orders[0]!);
    const child = spawn(process.execPath, [
      '-e',
      'setTimeout(() => {}, 60000)',
      '--',
      `-Dsluice.cluster.dir=${oldest}`,
    ]);
    children.push(child);
    await new Promise((r) => child.once('spawn', r));
    const said: string[] = [];
    await target(root, 3).adopt((l) => said.push(l));
    // The newest three kept, and the live one beyond them; the other one deleted.
    expect(fs.readdirSync(path.join(root, 'orders')).sort()).toEqual([
      orders[0],
      orders[2],
      orders[3],
      orders[4],
    ]);
    expect(fs.readdirSync(path.join(root, 'clicks')).sort()).toEqual(clicks);
    expect(said.filter((l) => l.startsWith('deleted'))).toEqual([
      `deleted the files of an earlier run (3 runs kept; SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION): ${path.join(root, 'orders', orders[1]!)}`,
    ]);
  });
});

describe('local application run folders: retention by age', () => {
  const DAY = 86_400_000;
  const ago = (ms: number) => new Date(Date.now() - ms);

  it('deletes the runs whose logs were last written longer ago than SLUICE_LOG_RETENTION, at start and when pruned again, never a live one', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-retention-age-'));
    dirs.push(root);
    const [old, longRun, recent, live] = jobWithRuns(root, 'orders', 4);
    const run = (id: string) => path.join(root, 'orders', id!);
    // Ended 20 days ago.
    setBack(run(old!), ago(20 * DAY));
    // Started 30 days ago, its log written until an hour ago: 1 hour old.
    setBack(run(longRun!), ago(30 * DAY));
    fs.utimesSync(path.join(run(longRun!), 'log', 'flink-jobmanager.log'), ago(3_600_000), ago(3_600_000));
    setBack(run(recent!), ago(DAY));
    // Its processes run: never deleted, however old its files.
    setBack(run(live!), ago(40 * DAY));
    const child = spawn(process.execPath, [
      '-e',
      'setTimeout(() => {}, 60000)',
      '--',
      `-Dsluice.cluster.dir=${run(live!)}`,
    ]);
    children.push(child);
    await new Promise((r) => child.once('spawn', r));

    const said: string[] = [];
    const t = target(root, 10, parseLogRetentionAge('14d', 'SLUICE_LOG_RETENTION'));
    await t.adopt((l) => said.push(l));
    expect(fs.readdirSync(path.join(root, 'orders')).sort()).toEqual([longRun, recent, live]);
    expect(said.filter((l) => l.startsWith('deleted'))).toEqual([
      `deleted the files of an earlier run (10 runs kept, none older than 14d; SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION): ${run(old!)}`,
    ]);

    // Two weeks on, nothing new started: the hourly pruning deletes what has aged since.
    setBack(run(recent!), ago(15 * DAY));
    const [fresh] = jobWithRuns(root, 'clicks', 1);
    setBack(path.join(root, 'clicks', fresh!), ago(2 * DAY));
    said.length = 0;
    t.pruneLogs((l) => said.push(l));
    expect(fs.readdirSync(path.join(root, 'orders')).sort()).toEqual([longRun, live]);
    expect(fs.readdirSync(path.join(root, 'clicks'))).toEqual([fresh]);
    expect(said).toEqual([expect.stringContaining(run(recent!))]);
  });

  it('SLUICE_LOG_RETENTION=off keeps runs of any age, by count alone', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-retention-off-'));
    dirs.push(root);
    const runs = jobWithRuns(root, 'orders', 3);
    for (const id of runs) setBack(path.join(root, 'orders', id), ago(400 * DAY));
    const t = target(root, 2, parseLogRetentionAge('off', 'SLUICE_LOG_RETENTION'));
    t.pruneLogs(() => {});
    expect(fs.readdirSync(path.join(root, 'orders')).sort()).toEqual(runs.slice(1));
  });
});
