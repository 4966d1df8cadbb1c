import { describe, expect, it } from 'vitest';
import type { JobExceptionsView } from '../contract/jobs.ts';
import { exceptionsText } from './exceptions-text.ts';

const failure = (at: string, rootCause: string, concurrent: JobExceptionsView['failures'] = []) => ({
  exception: 'org.apache.flink.runtime.JobException',
  rootCause,
  causes: ['org.apache.flink.runtime.JobException: Recovery is suppressed', `java.lang.${rootCause}`],
  trace: `org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat frame.one(One.java:1)\nCaused by: java.lang.${rootCause}`,
  at,
  task: 'Calc[2] (1/1)#0',
  location: 'localhost:4000',
  taskManagerId: null,
  labels: {},
  concurrent: concurrent.map(({ concurrent: _c, ...e }) => e),
});

const view: JobExceptionsView = {
  job: 'orders',
  target: 'local-1.20',
  run: 'b'.repeat(32),
  source: 'flink',
  note: null,
  noteMessage: null,
  rootCause: {
    text: 'NumberFormatException: x',
    exception: 'org.apache.flink.runtime.JobException',
    reported: 'org.apache.flink.runtime.JobException: Recovery is suppressed',
    at: '2026-12-03T10:00:00.000Z',
    task: 'Calc[2] (1/1)#0',
    location: 'localhost:4000',
  },
  failures: [
    failure('2026-12-03T10:00:00.000Z', 'NumberFormatException: x', [
      failure('2026-12-03T10:00:00.001Z', 'NumberFormatException: y'),
    ]),
    failure('2026-12-03T09:00:00.000Z', 'IOException: disk'),
  ],
  truncated: false,
};

describe('exceptionsText', () => {
  it('prints the root cause first with time, task and location, then each failure newest first', () => {
    const text = exceptionsText(view, false);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`root cause (run ${'b'.repeat(32)}): NumberFormatException: x`);
    expect(lines[1]).toBe('  2026-12-03T10:00:00.000Z, task Calc[2] (1/1)#0, on localhost:4000');
    expect(text.indexOf('failure 1 of 2: NumberFormatException: x')).toBeLessThan(
      text.indexOf('failure 2 of 2: IOException: disk'),
    );
    expect(text).toContain('  concurrent: NumberFormatException: y (2026-12-03T10:00:00.001Z');
    expect(text).not.toContain('frame.one');
    expect(text).toContain('--full');
  });

  it('prints the stack traces with --full', () => {
    expect(exceptionsText(view, true)).toContain('    \tat frame.one(One.java:1)');
  });

  it('says why there is no history, and a recorded root cause', () => {
    const gone = exceptionsText(
      {
        ...view,
        source: 'recorded',
        note: 'the cluster is gone',
        rootCause: { ...view.rootCause!, exception: null, reported: null, task: null, location: null },
        failures: [],
      },
      false,
    );
    expect(gone.split('\n').slice(0, 3)).toEqual([
      'the cluster is gone',
      `root cause (run ${'b'.repeat(32)}): NumberFormatException: x`,
      '  2026-12-03T10:00:00.000Z',
    ]);
    expect(exceptionsText({ ...view, rootCause: null, failures: [] }, false)).toBe(
      `job orders (run ${'b'.repeat(32)}) has no failure in Flink's exception history\n`,
    );
  });
});
