import { describe, expect, it } from 'vitest';
import { appendFollowed, defaultLogSource, keepMatching, sizeText } from './job-logs.ts';

const source = (id: string, process: string, stream: 'log' | 'stdout' = 'log') => ({
  id,
  process,
  role: process.startsWith('taskmanager') ? ('taskmanager' as const) : ('jobmanager' as const),
  stream,
  size: 10,
  live: true,
});

describe('the Logs tab model', () => {
  it("opens on the JobManager's log, else the first source", () => {
    expect(
      defaultLogSource([
        source('taskmanager-1.log', 'taskmanager-1'),
        source('jobmanager.log', 'jobmanager'),
      ]),
    ).toBe('jobmanager.log');
    expect(defaultLogSource([source('taskmanager-1.out', 'taskmanager-1', 'stdout')])).toBe(
      'taskmanager-1.out',
    );
    expect(defaultLogSource([])).toBeNull();
  });

  it('keeps the end of a followed log, cut at a line start', () => {
    expect(appendFollowed('a\nb\n', 'c\n')).toBe('a\nb\nc\n');
    expect(appendFollowed('aaaa\nbbbb\n', 'cccc\n', 8)).toBe('cccc\n');
  });

  it('keeps the followed lines that match, ignoring case', () => {
    expect(keepMatching('INFO a\nWARN b\ninfo c\n', 'Info')).toBe('INFO a\ninfo c\n');
    expect(keepMatching('x\n', ' ')).toBe('x\n');
  });

  it('says sizes as people read them', () => {
    expect(sizeText(512)).toBe('512 B');
    expect(sizeText(3 * 1024 + 400)).toBe('3.4 KB');
    expect(sizeText(12 * 1024 * 1024)).toBe('12.0 MB');
    expect(sizeText(null)).toBe('');
  });
});
