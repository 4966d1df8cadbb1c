import { describe, expect, it } from 'vitest';
import type { Submission } from '../../../contract/jobs.ts';
import { message, renderMessage } from '../../../domain/messages.ts';
import i18n from '../i18n/index.ts';
import { submissionView } from './submission-view.ts';

const ROOT_CAUSE =
  "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table";

const failed = (over: Partial<Submission> = {}): Submission => {
  const errorMessage = message('submission.stepFailed', {
    step: 'plan',
    cause: message('submission.statementRefused', {
      line: 3,
      column: 8,
      cause: "Column 'nope' not found in any table",
    }),
  });
  return {
    id: 's1',
    jobId: 'j1',
    number: 1,
    kind: 'start',
    versionNumber: 1,
    status: 'failed',
    previousState: 'CREATED',
    flinkJobId: null,
    savepointPath: null,
    uploadedJarId: null,
    params: {},
    steps: [],
    failedStep: 'plan',
    error: renderMessage(errorMessage),
    errorMessage,
    rootCause: ROOT_CAUSE,
    author: 'ann',
    createdAt: '2026-12-01T00:00:00Z',
    finishedAt: '2026-12-01T00:00:01Z',
    ...over,
  };
};

describe('a submission as the job page shows it', () => {
  it("says what failed in the user's language, with Flink's root cause as Flink wrote it", () => {
    expect(submissionView(failed(), i18n.getFixedT('zh-CN')).failure).toEqual({
      step: 'plan',
      said: "Flink 拒绝了第 3 行第 8 列的语句：Column 'nope' not found in any table",
      rootCause: ROOT_CAUSE,
    });
    expect(submissionView(failed(), i18n.getFixedT('en')).failure?.said).toBe(
      "Flink rejected the statement at line 3, column 8: Column 'nope' not found in any table",
    );
  });

  it("says Flink's words once when they are all there is", () => {
    const errorMessage = message('submission.stepFailed', {
      step: 'create catalogs',
      cause: message('flink.cause', { cause: 'Unable to create catalog' }),
    });
    expect(
      submissionView(
        failed({ failedStep: 'create catalogs', errorMessage, rootCause: 'Unable to create catalog' }),
        i18n.getFixedT('zh-CN'),
      ).failure,
    ).toEqual({ step: 'create catalogs', said: 'Unable to create catalog', rootCause: null });
  });

  it('says a failure the platform worded without a step, and one kept before codes existed', () => {
    const zh = i18n.getFixedT('zh-CN');
    const interrupted = failed({
      failedStep: 'submit',
      errorMessage: message('reconcile.interrupted', { step: 'submit', flinkState: 'RUNNING' }),
      rootCause: null,
    });
    expect(submissionView(interrupted, zh).failure?.said).toBe(
      '在步骤「提交」被平台重启中断；Flink 报告 RUNNING',
    );
    const old = failed({ errorMessage: null, error: 'step "plan" failed: boom', rootCause: null });
    expect(submissionView(old, zh).failure?.said).toBe('step "plan" failed: boom');
    expect(
      submissionView(failed({ errorMessage: null, error: null, rootCause: null }), zh).failure?.said,
    ).toBe(zh('detail.noCause'));
    expect(submissionView(failed({ status: 'succeeded' }), zh).failure).toBeNull();
  });
});
