import { describe, expect, it } from 'vitest';
import {
  causeChain,
  maskExceptionHistory,
  parseFlinkExceptions,
  rootCauseFirst,
} from './exception-history.ts';

const castTrace = [
  'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
  '\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:180)',
  '\t... 3 more',
  "Caused by: org.apache.flink.table.api.TableRuntimeException: Could not cast string 'x-1' to INT.",
  '\tat org.apache.flink.table.runtime.functions.SqlCastFunction.cast(SqlCastFunction.java:10)',
  "Caused by: java.lang.NumberFormatException: For input string: 'x-1'",
  '\tat java.lang.Integer.parseInt(Integer.java:652)',
  '\t... 20 more',
].join('\n');

// The shape Flink 1.19/1.20 answers: the history and the legacy fields side by side.
const flink120 = {
  'root-exception': castTrace,
  timestamp: 1_764_770_000_000,
  'all-exceptions': [],
  truncated: false,
  exceptionHistory: {
    entries: [
      {
        exceptionName: 'org.apache.flink.runtime.JobException',
        stacktrace:
          'org.apache.flink.runtime.JobException: first attempt\nCaused by: java.io.IOException: disk',
        timestamp: 1_764_769_000_000,
        taskName: 'Source: orders[1] (1/1)#0',
        location: 'localhost:40001',
        endpoint: 'localhost:40001',
        taskManagerId: 'localhost:40001-abc',
        failureLabels: {},
        concurrentExceptions: [],
      },
      {
        exceptionName: 'org.apache.flink.runtime.JobException',
        stacktrace: castTrace,
        timestamp: 1_764_770_000_000,
        taskName: 'Source: orders[1] -> Calc[2] (1/2)#1',
        location: 'localhost:40001',
        endpoint: 'localhost:40001',
        taskManagerId: 'localhost:40001-abc',
        failureLabels: { type: 'USER' },
        concurrentExceptions: [
          {
            exceptionName: 'java.lang.NumberFormatException',
            stacktrace: "java.lang.NumberFormatException: For input string: 'y'",
            timestamp: 1_764_770_000_001,
            taskName: 'Source: orders[1] -> Calc[2] (2/2)#1',
            endpoint: 'localhost:40002',
            failureLabels: {},
          },
        ],
      },
    ],
    truncated: true,
  },
};

describe('parseFlinkExceptions', () => {
  it('reads the exception history, newest failure first, with its concurrent exceptions under it', () => {
    const h = parseFlinkExceptions(flink120);
    expect(h.truncated).toBe(true);
    expect(h.failures.map((f) => f.at)).toEqual([
      new Date(1_764_770_000_000).toISOString(),
      new Date(1_764_769_000_000).toISOString(),
    ]);
    const [newest] = h.failures;
    expect(newest!.rootCause).toBe("NumberFormatException: For input string: 'x-1'");
    expect(newest!.causes).toEqual([
      'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
      "org.apache.flink.table.api.TableRuntimeException: Could not cast string 'x-1' to INT.",
      "java.lang.NumberFormatException: For input string: 'x-1'",
    ]);
    expect(newest!.task).toBe('Source: orders[1] -> Calc[2] (1/2)#1');
    expect(newest!.location).toBe('localhost:40001');
    expect(newest!.labels).toEqual({ type: 'USER' });
    expect(newest!.concurrent).toHaveLength(1);
    expect(newest!.concurrent[0]!.location).toBe('localhost:40002');
    expect(newest!.concurrent[0]!.task).toBe('Source: orders[1] -> Calc[2] (2/2)#1');
    expect(h.failures[1]!.rootCause).toBe('IOException: disk');
  });

  it('reads a 2.x answer (no legacy fields, endpoint only)', () => {
    const flink2 = { truncated: flink120.truncated, exceptionHistory: flink120.exceptionHistory };
    const h = parseFlinkExceptions({
      ...flink2,
      exceptionHistory: {
        ...flink2.exceptionHistory,
        entries: flink2.exceptionHistory.entries.map(({ location: _l, ...e }) => e),
      },
    });
    expect(h.failures).toHaveLength(2);
    expect(h.failures[0]!.location).toBe('localhost:40001');
  });

  it('falls back to the legacy root-exception and all-exceptions when there is no history', () => {
    const h = parseFlinkExceptions({
      'root-exception': castTrace,
      timestamp: 1_764_770_000_000,
      'all-exceptions': [
        { exception: 'java.lang.RuntimeException: boom', task: 'Sink: print (1/1)', location: 'tm:1' },
      ],
      truncated: false,
    });
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]!.exception).toBe('org.apache.flink.runtime.JobException');
    expect(h.failures[0]!.rootCause).toBe("NumberFormatException: For input string: 'x-1'");
    expect(h.failures[0]!.concurrent[0]).toMatchObject({
      exception: 'java.lang.RuntimeException',
      task: 'Sink: print (1/1)',
      location: 'tm:1',
      at: null,
    });
  });

  it('gives no failure for a job that never failed, or for an answer that is not Flink', () => {
    expect(parseFlinkExceptions({ exceptionHistory: { entries: [], truncated: false } }).failures).toEqual(
      [],
    );
    expect(parseFlinkExceptions({ 'root-exception': null, 'all-exceptions': [] }).failures).toEqual([]);
    expect(parseFlinkExceptions('<html>').failures).toEqual([]);
    expect(parseFlinkExceptions(null)).toEqual({ failures: [], truncated: false });
  });
});

describe('rootCauseFirst', () => {
  it("says the newest failure's root cause, its first reported line, time, task and location", () => {
    expect(rootCauseFirst(parseFlinkExceptions(flink120))).toEqual({
      text: "NumberFormatException: For input string: 'x-1'",
      exception: 'org.apache.flink.runtime.JobException',
      reported:
        'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
      at: new Date(1_764_770_000_000).toISOString(),
      task: 'Source: orders[1] -> Calc[2] (1/2)#1',
      location: 'localhost:40001',
    });
    expect(rootCauseFirst({ failures: [], truncated: false })).toBeNull();
  });
});

describe('causeChain', () => {
  it('keeps the first line and every Caused by, not the frames', () => {
    expect(causeChain('a.B: x\n\tat y\nCaused by: c.D: z\n\tat w')).toEqual(['a.B: x', 'c.D: z']);
    expect(causeChain('')).toEqual([]);
  });
});

describe('maskExceptionHistory', () => {
  it('masks every text of every failure and concurrent exception', () => {
    const h = parseFlinkExceptions(flink120);
    const masked = maskExceptionHistory(h, (t) =>
      t.replaceAll("'x-1'", '******').replaceAll("'y'", '******'),
    );
    const text = JSON.stringify(masked);
    expect(text).not.toContain("'x-1'");
    expect(text).not.toContain("'y'");
    expect(masked.failures[0]!.rootCause).toBe('NumberFormatException: For input string: ******');
  });
});
