import type { Submission } from '../../contract/jobs.ts';
import { ApiError, type SluiceApi } from '../client.ts';
import { holdsTrace } from '../output.ts';

/**
 * Sends a lifecycle command and follows its submission over the event stream, printing each step and
 * log line once. Resolves with the finished submission; a failed one becomes an ApiError naming the step.
 */
export async function followSubmission(
  api: SluiceApi,
  job: string,
  send: () => Promise<Submission>,
  wait: boolean,
  out: (l: string) => void,
  /** How the followed submission may end for the command to have done what it was asked. */
  done: readonly Submission['status'][] = ['succeeded'],
): Promise<Submission> {
  const stream = wait ? await api.events.open(job) : null;
  let sub: Submission;
  try {
    sub = await send();
  } catch (e) {
    stream?.close();
    throw e;
  }
  if (!stream) return sub;
  const printed = new Map<string, number>();
  const print = (s: Submission) => {
    for (const step of s.steps) {
      const seen = printed.get(step.name) ?? -1;
      if (seen < 0) out(`[${step.name}]`);
      // The failure's message is the line before; Flink's trace stays in the submission log.
      for (const l of step.log.slice(Math.max(0, seen)))
        out(
          holdsTrace(l)
            ? `  (Flink's whole trace: sluice job submission-log ${job} ${s.number})`
            : `  ${l.replace(/^\S+Z /, '')}`,
        );
      printed.set(step.name, step.log.length);
    }
  };
  try {
    let current = sub;
    while (current.status === 'running') {
      const e = await stream.next();
      if (!e)
        current = await api.jobs.submission(job, sub.number); // stream ended: read the record
      else if (e.type === 'submission' && e.submission.id === sub.id) current = e.submission;
      else continue;
      print(current);
    }
    if (!done.includes(current.status))
      throw new ApiError(
        0,
        'submission_failed',
        current.error ?? `submission #${current.number} ${current.status}`,
        {
          step: current.failedStep,
          rootCause: current.rootCause,
          submission: current.number,
        },
      );
    return current;
  } finally {
    stream.close();
  }
}
