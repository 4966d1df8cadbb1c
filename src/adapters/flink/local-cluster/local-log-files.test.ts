import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFileSources, readLogFile } from './local-log-files.ts';

describe("a local cluster's log files", () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-logs-'));
    dir = path.join(root, 'log');
    fs.mkdirSync(dir);
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    write('taskmanager-2.log', 'tm2\n');
    write('taskmanager-10.log', 'tm10\n');
    write('jobmanager.out', '');
    write('jobmanager.log.1', 'older\n');
    write('jobmanager.log', 'line 1\nline 2\n');
    write('sql-gateway.log', 'gw\n');
    write('taskmanager-1.log', 'tm1\n');
    write('application.json', '{}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists each process log, JobManager first, TaskManagers by number; rolled files are not written', () => {
    const sources = logFileSources(dir, (p) => p !== 'taskmanager-2');
    expect(sources.map((s) => s.id)).toEqual([
      'jobmanager.log',
      'jobmanager.out',
      'jobmanager.log.1',
      'taskmanager-1.log',
      'taskmanager-2.log',
      'taskmanager-10.log',
      'sql-gateway.log',
    ]);
    expect(sources[0]).toEqual({
      id: 'jobmanager.log',
      process: 'jobmanager',
      role: 'jobmanager',
      stream: 'log',
      size: 14,
      live: true,
    });
    expect(sources.find((s) => s.id === 'jobmanager.out')?.stream).toBe('stdout');
    expect(sources.find((s) => s.id === 'jobmanager.log.1')?.live).toBe(false);
    expect(sources.find((s) => s.id === 'taskmanager-2.log')?.live).toBe(false);
    expect(sources.find((s) => s.id === 'sql-gateway.log')?.role).toBe('sql-gateway');
    expect(logFileSources(path.join(dir, 'absent'), () => true)).toEqual([]);
  });

  it('reads a tail or from an offset, and nothing outside the folder', async () => {
    const tail = await readLogFile(dir, 'jobmanager.log', { tailBytes: 7 }, true);
    expect(new TextDecoder().decode(tail.bytes)).toBe('line 2\n');
    expect(tail).toMatchObject({ from: 7, size: 14, live: true });
    const on = await readLogFile(dir, 'jobmanager.log', { fromOffset: 5, maxBytes: 4 }, false);
    expect(new TextDecoder().decode(on.bytes)).toBe('1\nli');
    const past = await readLogFile(dir, 'jobmanager.log', { fromOffset: 99 }, false);
    expect(past).toMatchObject({ from: 14, size: 14 });
    expect(past.bytes.length).toBe(0);
    fs.writeFileSync(path.join(root, 'secret.log'), 'x');
    for (const id of ['../secret.log', 'application.json', 'taskmanager-3.log'])
      await expect(readLogFile(dir, id, { tailBytes: 10 }, false)).rejects.toThrow(
        `log file '${id}' is not in`,
      );
  });
});
