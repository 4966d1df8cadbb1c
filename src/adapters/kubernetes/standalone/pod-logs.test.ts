import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { liveSources, podLogEntries } from './pod-logs.ts';
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
