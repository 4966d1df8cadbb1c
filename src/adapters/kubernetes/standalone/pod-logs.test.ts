import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { liveSources, PodLogArchive, podLogEntries } from './pod-logs.ts';
import { LABELS } from './standalone-manifests.ts';

const pod = (name: string, component: string, containers: string[], phase = 'Running'): V1Pod => ({
  metadata: { name, labels: { [LABELS.component]: component } },
  spec: { containers: containers.map((c) => ({ name: c })) },
  status: { phase },
});

describe('pod log sources', () => {
  it("names a job's own pods by pod, JobManager first, TaskManagers numbered by pod name", () => {
    const entries = podLogEntries([
      pod('c-taskmanager-b', 'taskmanager', ['taskmanager']),
      pod('c-jobmanager-x', 'jobmanager', ['jobmanager']),
      pod('c-taskmanager-a', 'taskmanager', ['taskmanager'], 'Pending'),
    ]);
    expect(entries.map((e) => [e.id, e.process, e.role, e.container])).toEqual([
      ['c-jobmanager-x', 'jobmanager', 'jobmanager', 'jobmanager'],
      ['c-taskmanager-a', 'taskmanager-1', 'taskmanager', 'taskmanager'],
      ['c-taskmanager-b', 'taskmanager-2', 'taskmanager', 'taskmanager'],
    ]);
    expect(liveSources(entries).map((s) => [s.id, s.live, s.size, s.stream])).toEqual([
      ['c-jobmanager-x', true, null, 'log'],
      ['c-taskmanager-a', false, null, 'log'],
      ['c-taskmanager-b', true, null, 'log'],
    ]);
  });

  it("gives a session JobManager's SQL Gateway container a source of its own, whichever container comes first", () => {
    // Flink's native session pods name the Flink container flink-main-container; the pod template may put the gateway first.
    const entries = podLogEntries([
      pod('s-1-taskmanager-1-1', 'taskmanager', ['flink-main-container']),
      pod('s-abc', 'jobmanager', ['sql-gateway', 'flink-main-container']),
    ]);
    expect(entries.map((e) => [e.id, e.process, e.role, e.container])).toEqual([
      ['s-abc', 'jobmanager', 'jobmanager', 'flink-main-container'],
      ['s-abc.sql-gateway', 'sql-gateway', 'sql-gateway', 'sql-gateway'],
      ['s-1-taskmanager-1-1', 'taskmanager-1', 'taskmanager', 'flink-main-container'],
    ]);
  });
});

describe('kept pod logs: retention by count and age', () => {
  it('drops the runs kept longer ago than the age, and those beyond the count', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pod-logs-'));
    try {
      const archive = new PodLogArchive(home, 'k8s', {
        runs: 3,
        maxAge: { text: '14d', ms: 14 * 86_400_000 },
      });
      const keptDaysAgo = (job: string, n: number, days: number) => {
        const id = n.toString(16).padStart(32, '0');
        const dir = path.join(archive.root, job, id);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'jm-0.log'), 'log\n');
        // The time it was kept (its run's end), as the archive writes it.
        const at = new Date(Date.now() - days * 86_400_000).toISOString();
        fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ at, sources: [] }));
        return id;
      };
      const [a, b] = [keptDaysAgo('orders', 1, 1), keptDaysAgo('orders', 2, 13)];
      keptDaysAgo('orders', 3, 15);
      const [c] = [keptDaysAgo('clicks', 4, 2), keptDaysAgo('clicks', 5, 30)];
      for (let i = 0; i < 4; i++) keptDaysAgo('views', 10 + i, i);
      expect(archive.pruneAll().sort((x, y) => x.job.localeCompare(y.job))).toEqual([
        { job: 'clicks', pruned: 1 },
        { job: 'orders', pruned: 1 },
        { job: 'views', pruned: 1 },
      ]);
      expect(archive.runs('orders').map((r) => r.flinkJobId)).toEqual([a, b]);
      expect(archive.runs('clicks').map((r) => r.flinkJobId)).toEqual([c]);
      expect(archive.runs('views')).toHaveLength(3);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
