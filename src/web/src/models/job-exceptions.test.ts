import { describe, expect, it } from 'vitest';
import type { JobExceptionsView } from '../../../contract/jobs.ts';
import { exceptionRuns, failureItems, whereText } from './job-exceptions.ts';

const thrown = {
  exception: 'java.lang.NumberFormatException',
  causes: [
    'org.apache.flink.runtime.JobException: Recovery is suppressed',
    'java.lang.NumberFormatException: x',
  ],
  trace: 'org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat a.b(C.java:1)',
  taskManagerId: null,
  labels: {},
};
const view: JobExceptionsView = {
  job: 'orders',
  target: 'local-1.20',
  run: 'b'.repeat(32),
  source: 'flink',
  note: null,
  noteMessage: null,
  rootCause: null,
  failures: [
    {
      ...thrown,
      rootCause: 'NumberFormatException: x',
      at: '2026-12-03T10:00:00.000Z',
      task: 'Calc[2] (1/2)#1',
      location: 'localhost:4000',
      concurrent: [
        {
          ...thrown,
          rootCause: 'NumberFormatException: y',
          at: null,
          task: 'Calc[2] (2/2)#1',
          location: null,
        },
      ],
    },
    { ...thrown, rootCause: 'IOException: disk', at: null, task: null, location: null, concurrent: [] },
  ],
  truncated: false,
};
const time = (iso: string) => `T(${iso})`;

describe('failureItems', () => {
  it('lists each failure with where it was thrown, its causes and trace, and its concurrent exceptions', () => {
    const items = failureItems(view, time);
    expect(items.map((i) => i.rootCause)).toEqual(['NumberFormatException: x', 'IOException: disk']);
    expect(items[0]).toMatchObject({
      key: '0',
      where: 'T(2026-12-03T10:00:00.000Z) · Calc[2] (1/2)#1 · localhost:4000',
      causes: thrown.causes,
      trace: thrown.trace,
    });
    expect(items[0]!.concurrent).toEqual([
      { key: '0.0', rootCause: 'NumberFormatException: y', where: 'Calc[2] (2/2)#1', trace: thrown.trace },
    ]);
    expect(items[1]!.where).toBe('');
  });
});

describe('whereText', () => {
  it('leaves out what Flink did not say', () => {
    expect(whereText({ at: null, task: null, location: 'tm:1' }, time)).toBe('tm:1');
  });
});

describe('exceptionRuns', () => {
  it("gives the job's runs newest first, once each, without submissions that ran nothing", () => {
    expect(
      exceptionRuns([
        { number: 1, flinkJobId: 'a' },
        { number: 3, flinkJobId: 'b' },
        { number: 2, flinkJobId: null },
        { number: 4, flinkJobId: 'b' },
      ]),
    ).toEqual(['b', 'a']);
  });
});
