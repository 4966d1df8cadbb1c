import { describe, expect, it } from 'vitest';
import { isRolled, pickLogSource, roleOfProcess } from './job-logs.ts';

const src = (id: string, process: string, stream: 'log' | 'stdout' = 'log') => ({
  id,
  process,
  role: process.includes(':') ? ('taskmanager' as const) : roleOfProcess(process),
  stream,
});

describe('log sources', () => {
  const local = [
    src('jobmanager.log', 'jobmanager'),
    src('jobmanager.out', 'jobmanager', 'stdout'),
    src('jobmanager.log.1', 'jobmanager'),
    src('taskmanager-1.log', 'taskmanager-1'),
    src('taskmanager-2.log', 'taskmanager-2'),
    src('sql-gateway.log', 'sql-gateway'),
  ];

  it("picks a process's current log or stdout, never a rolled-over file", () => {
    expect(pickLogSource(local, 'jobmanager', 'log')?.id).toBe('jobmanager.log');
    expect(pickLogSource(local, 'jobmanager', 'stdout')?.id).toBe('jobmanager.out');
    expect(pickLogSource(local, 'taskmanager-2', 'log')?.id).toBe('taskmanager-2.log');
    expect(pickLogSource(local, 'taskmanager-3', 'log')).toBeNull();
    expect(pickLogSource(local, 'sql-gateway', 'stdout')).toBeNull();
    expect(isRolled('jobmanager.log.1')).toBe(true);
    expect(isRolled('jobmanager.log')).toBe(false);
  });

  it("numbers TaskManagers known by Flink's ids, and prefers the file named after the process", () => {
    const remote = [
      src('jobmanager:taskmanager.log', 'jobmanager'),
      src('jobmanager:jobmanager.log', 'jobmanager'),
      src('taskmanager:10.0.0.7:6122-a1b2c3:taskmanager.log', '10.0.0.7:6122-a1b2c3'),
      src('taskmanager:10.0.0.8:6122-d4e5f6:taskmanager.log', '10.0.0.8:6122-d4e5f6'),
    ];
    expect(pickLogSource(remote, 'jobmanager', 'log')?.id).toBe('jobmanager:jobmanager.log');
    expect(pickLogSource(remote, 'taskmanager-2', 'log')?.process).toBe('10.0.0.8:6122-d4e5f6');
  });
});
