import type { JobExceptionsView } from '../contract/jobs.ts';

type Thrown = Pick<JobExceptionsView['failures'][number], 'at' | 'task' | 'location'>;

/** Where and when an exception was thrown, in one line ('' when Flink said neither). */
function where(e: Thrown): string {
  return [e.at, e.task && `task ${e.task}`, e.location && `on ${e.location}`].filter(Boolean).join(', ');
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

/**
 * What `sluice job exceptions` prints: the root cause first (time, task, location), then each failure
 * newest first with the chain of causes and the concurrent exceptions under it; `full` adds every
 * stack trace.
 */
export function exceptionsText(v: JobExceptionsView, full: boolean): string {
  const out: string[] = [];
  const run = v.run ? ` (run ${v.run})` : '';
  if (v.note) out.push(v.note);
  if (v.rootCause) {
    out.push(`root cause${run}: ${v.rootCause.text}`);
    const w = where(v.rootCause);
    if (w) out.push(`  ${w}`);
    if (v.rootCause.reported && v.rootCause.reported !== v.rootCause.text)
      out.push(`  reported as: ${v.rootCause.reported}`);
  } else if (v.source === 'flink') out.push(`job ${v.job}${run} has no failure in Flink's exception history`);
  v.failures.forEach((f, i) => {
    out.push('', `failure ${i + 1} of ${v.failures.length}: ${f.rootCause}`);
    const w = where(f);
    if (w) out.push(`  ${w}`);
    for (const c of f.causes) out.push(`  - ${c}`);
    if (full) out.push(indent(f.trace, '    '));
    for (const c of f.concurrent) {
      out.push(`  concurrent: ${c.rootCause}${where(c) ? ` (${where(c)})` : ''}`);
      if (full) out.push(indent(c.trace, '    '));
    }
  });
  if (v.truncated) out.push('', 'Flink kept more failures than it gave (web.exception-history-size)');
  if (!full && v.failures.length)
    out.push('', `stack traces: sluice job exceptions ${v.job}${v.run ? ` --run ${v.run}` : ''} --full`);
  return `${out.join('\n')}\n`;
}
