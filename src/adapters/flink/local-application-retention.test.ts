import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlinkDistribution } from '../../application/ports/engines.ts';
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

function target(root: string, keep: number): LocalApplicationTarget {
  return new LocalApplicationTarget({
    name: 'local-application-test',
    distribution: async () => ({ flinkVersion: '1.20.1' }) as FlinkDistribution,
    java: 'java',
    root,
    sluiceHome: root,
    onEvent: () => () => {},
    workbench: null,
    logRetentionRuns: keep,
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
      `deleted the files of an earlier run (3 kept, SLUICE_LOG_RETENTION_RUNS): ${path.join(root, 'orders', orders[1]!)}`,
    ]);
  });
});
