import type { Submission } from '../../../domain/jobs/submission.ts';

/**
 * A submission as a person reads it: the failed step and its root cause first, then the steps in
 * order with their log lines (timestamps kept).
 */
export function submissionView(s: Submission): {
  failure: { step: string; rootCause: string } | null;
  steps: Submission['steps'];
} {
  const failure =
    s.status === 'failed' && s.failedStep
      ? { step: s.failedStep, rootCause: s.rootCause ?? s.error ?? 'no cause was recorded' }
      : null;
  return { failure, steps: s.steps };
}
