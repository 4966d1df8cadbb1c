import type { JobExceptionsView, Submission } from '../../../contract/jobs.ts';

type Thrown = Pick<JobExceptionsView['failures'][number], 'at' | 'task' | 'location'>;

/** One failure as the Exceptions tab lists it: its root cause as the title, the rest when expanded. */
export interface FailureItem {
  key: string;
  rootCause: string;
  where: string;
  /** The chain of causes, outermost first. */
  causes: string[];
  trace: string;
  concurrent: { key: string; rootCause: string; where: string; trace: string }[];
}

/** When, in which task and on which TaskManager, in one line; `time` formats the instant. */
export function whereText(e: Thrown, time: (iso: string) => string): string {
  return [e.at && time(e.at), e.task, e.location].filter(Boolean).join(' · ');
}

/** The failures of the view, newest first as Flink lists them, each with its concurrent exceptions. */
export function failureItems(v: JobExceptionsView, time: (iso: string) => string): FailureItem[] {
  return v.failures.map((f, i) => ({
    key: `${i}`,
    rootCause: f.rootCause,
    where: whereText(f, time),
    causes: f.causes,
    trace: f.trace,
    concurrent: f.concurrent.map((c, j) => ({
      key: `${i}.${j}`,
      rootCause: c.rootCause,
      where: whereText(c, time),
      trace: c.trace,
    })),
  }));
}

/** The runs a job had (Flink job ids of its submissions), newest first, each once. */
export function exceptionRuns(submissions: Pick<Submission, 'number' | 'flinkJobId'>[]): string[] {
  const runs = [...submissions]
    .sort((a, b) => b.number - a.number)
    .map((s) => s.flinkJobId)
    .filter((r): r is string => r !== null);
  return [...new Set(runs)];
}
