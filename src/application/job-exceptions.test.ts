import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/jobs/job.ts';
import type { JobEvent, Submission } from '../domain/jobs/submission.ts';
import { parseFlinkExceptions, type ExceptionHistory } from '../domain/logs/exception-history.ts';
import { message } from '../domain/messages.ts';
import { TargetUnreachable, type DeploymentTarget } from '../domain/targets/deployment-target.ts';
import { JobExceptionsService } from './job-exceptions.ts';
import type { MetadataStore } from './ports/store.ts';
import { forgetSecretsOf, rememberSecret } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

const OLD = 'a'.repeat(32);
const NOW = 'b'.repeat(32);
const trace =
  "org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: java.lang.NumberFormatException: For input string: 'pw-S3cr3tTok'\n\tat y";
const flink = parseFlinkExceptions({
  exceptionHistory: {
    entries: [
      {
        exceptionName: 'org.apache.flink.runtime.JobException',
        stacktrace: trace,
        timestamp: 1_764_770_000_000,
        taskName: 'Calc[2] (1/1)#0',
        endpoint: 'localhost:4000',
        failureLabels: {},
        concurrentExceptions: [],
      },
    ],
    truncated: false,
  },
});

const owner = {};
afterEach(() => forgetSecretsOf(owner));

const submission = (number: number, flinkJobId: string, at: string, rootCause: string | null = null) =>
  ({
    id: `s${number}`,
    number,
    flinkJobId,
    createdAt: at,
    finishedAt: at,
    rootCause,
    error: null,
  }) as Submission;

function service(o: {
  answer: (run: string) => Promise<ExceptionHistory | 'absent'>;
  submissions?: Submission[];
  events?: Partial<JobEvent>[];
}): { svc: JobExceptionsService; asked: string[] } {
  const asked: string[] = [];
  const job = { id: 'j1', name: 'orders', target: 'prod', flinkJobId: NOW } as Job;
  const target = {
    name: 'prod',
    observer: {
      exceptions: (run: string) => {
        asked.push(run);
        return o.answer(run);
      },
    },
  } as unknown as DeploymentTarget;
  const store = {
    jobs: { getByName: async (n: string) => (n === 'orders' ? job : undefined) },
    lifecycle: {
      submissions: async () =>
        o.submissions ?? [
          submission(1, OLD, '2026-12-01T00:00:00Z'),
          submission(2, NOW, '2026-12-02T00:00:00Z'),
        ],
      events: async () => o.events ?? [],
    },
  };
  const targets = { target: async () => target };
  return {
    svc: new JobExceptionsService(store as unknown as MetadataStore, targets as unknown as TargetService),
    asked,
  };
}

describe('job exceptions', () => {
  it("reads the current run's history through the target's observer, root cause first, masked", async () => {
    rememberSecret(owner, 'pw', 'S3cr3tTok');
    const { svc, asked } = service({ answer: async () => flink });
    const view = await svc.exceptions('orders');
    expect(asked).toEqual([NOW]);
    expect(view).toMatchObject({ run: NOW, source: 'flink', note: null, truncated: false });
    expect(view.rootCause).toMatchObject({
      text: "NumberFormatException: For input string: 'pw-******'",
      task: 'Calc[2] (1/1)#0',
      location: 'localhost:4000',
    });
    expect(JSON.stringify(view)).not.toContain('S3cr3tTok');
  });

  it("refuses a run that is not one of the job's, without asking Flink", async () => {
    const { svc, asked } = service({ answer: async () => flink });
    await expect(svc.exceptions('orders', 'c'.repeat(32))).rejects.toMatchObject({ code: 'not_found' });
    await expect(svc.exceptions('nope')).rejects.toMatchObject({ code: 'not_found' });
    expect(asked).toEqual([]);
    await svc.exceptions('orders', OLD);
    expect(asked).toEqual([OLD]);
  });

  it('says the cluster is gone and answers the root cause Sluice recorded for that run', async () => {
    const { svc } = service({
      answer: async () => 'absent',
      events: [
        {
          to: 'FAILED',
          at: '2026-12-01T01:00:00Z',
          reason: 'Flink reports FAILED: IOException: disk full',
          reasonMessage: message('tracker.reportsCause', {
            flinkState: 'FAILED',
            cause: 'IOException: disk full',
          }),
        },
        { to: 'FAILED', at: '2026-12-02T01:00:00Z', reason: 'later run', reasonMessage: null },
      ],
    });
    const view = await svc.exceptions('orders', OLD);
    expect(view.source).toBe('recorded');
    expect(view.noteMessage?.code).toBe('exceptions.recorded');
    expect(view.rootCause).toMatchObject({ text: 'IOException: disk full', at: '2026-12-01T01:00:00Z' });
    expect(view.failures).toEqual([]);
  });

  it("falls back to the failed submission's root cause, else says nothing was kept", async () => {
    const failed = service({
      answer: async () => 'absent',
      submissions: [submission(1, NOW, '2026-12-02T00:00:00Z', 'ValidationException: no table x')],
    });
    expect((await failed.svc.exceptions('orders')).rootCause?.text).toBe('ValidationException: no table x');
    const gone = service({ answer: async () => 'absent' });
    const view = await gone.svc.exceptions('orders');
    expect(view).toMatchObject({ source: 'none', rootCause: null });
    expect(view.noteMessage?.code).toBe('exceptions.clusterGone');
  });

  it('says a cluster that does not answer as such, naming the run and target', async () => {
    const { svc } = service({
      answer: () => Promise.reject(new TargetUnreachable('prod', 'connection refused')),
    });
    await expect(svc.exceptions('orders')).rejects.toMatchObject({
      code: 'engine_unavailable',
      message: expect.stringContaining('connection refused'),
    });
  });
});
