import { describe, expect, it } from 'vitest';
import { lastLines, linesOf, numberedLines, searchLines, wholeLines } from './log-text.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('log text', () => {
  it('gives whole lines only while the log is written, and says where the next read goes on', () => {
    const read = wholeLines(bytes('a\nbb\nccc'), 100, { complete: false, midLine: false });
    expect(read).toEqual({ text: 'a\nbb\n', from: 100, next: 105 });
    // Read on from `next`: the unfinished line comes whole once its newline is written.
    expect(wholeLines(bytes('ccc\n'), read.next, { complete: false, midLine: false })).toEqual({
      text: 'ccc\n',
      from: 105,
      next: 109,
    });
    // A log whose process ended has no line to wait for.
    expect(wholeLines(bytes('a\nbb\nccc'), 0, { complete: true, midLine: false }).text).toBe('a\nbb\nccc');
  });

  it('drops the cut first line of a tail, but not the first line of the log', () => {
    expect(wholeLines(bytes('llo\nworld\n'), 3, { complete: false, midLine: true })).toEqual({
      text: 'world\n',
      from: 7,
      next: 13,
    });
    expect(wholeLines(bytes('hello\n'), 0, { complete: false, midLine: true }).text).toBe('hello\n');
    // Nothing whole yet: nothing given, and the next read starts where this one did.
    expect(wholeLines(bytes('partial'), 7, { complete: false, midLine: false })).toEqual({
      text: '',
      from: 7,
      next: 7,
    });
  });

  it('keeps multi-byte characters whole, since cuts are at newlines', () => {
    const read = wholeLines(bytes('作业\n日志'), 0, { complete: false, midLine: false });
    expect(read).toEqual({ text: '作业\n', from: 0, next: 7 });
  });

  it('gives a very long unfinished line rather than waiting for it forever', () => {
    const long = 'x'.repeat(1 << 20);
    expect(wholeLines(bytes(long), 0, { complete: false, midLine: false }).next).toBe(1 << 20);
  });

  it('takes the last lines with how many bytes come before them', () => {
    expect(lastLines('1\n2\n3\n', 2)).toEqual({ text: '2\n3\n', skippedBytes: 2 });
    expect(lastLines('1\n2\n', 5)).toEqual({ text: '1\n2\n', skippedBytes: 0 });
    expect(lastLines('é\n2\n', 1)).toEqual({ text: '2\n', skippedBytes: 3 });
    expect(linesOf('')).toEqual([]);
    expect(linesOf('a\n\nb')).toEqual(['a', '', 'b']);
  });

  it('finds lines ignoring case, numbered in the log', () => {
    const text = 'INFO started\nWARN slow\ninfo done\n';
    const found = searchLines(text, 'Info', 10);
    expect(found).toEqual([
      { line: 10, text: 'INFO started' },
      { line: 12, text: 'info done' },
    ]);
    expect(numberedLines(found)).toBe('10:INFO started\n12:info done\n');
    expect(searchLines(text, 'absent')).toEqual([]);
  });
});
