import type { Submission } from '../../../contract/jobs.ts';
import { isMessage, type Message } from '../../../domain/messages.ts';
import { messageText, type Translate } from './message-text.ts';

/**
 * A submission as a person reads it: the failed step, what failed in the user's language and
 * Flink's root cause as Flink wrote it, then the steps in order with their log lines (timestamps kept).
 */
export function submissionView(
  s: Submission,
  t: Translate,
): {
  failure: { step: string; said: string; rootCause: string | null } | null;
  steps: Submission['steps'];
} {
  if (s.status !== 'failed' || !s.failedStep) return { failure: null, steps: s.steps };
  const said = s.errorMessage
    ? messageText(t, stepCause(s.errorMessage))
    : (s.error ?? s.rootCause ?? t('detail.noCause'));
  // Flink's words are shown once: apart when Sluice said more than them, else they are the message.
  const rootCause = s.rootCause && s.rootCause !== said ? s.rootCause : null;
  return { failure: { step: s.failedStep, said, rootCause }, steps: s.steps };
}

/** `step "x" failed: <cause>` says the step the page already names: its cause is what is left to say. */
function stepCause(m: Message): Message {
  const cause = m.params.cause;
  return m.code === 'submission.stepFailed' && isMessage(cause) ? cause : m;
}
