import { pickLogSource } from '../../../domain/logs/job-logs.ts';
import type { LogSourceView } from '../../../contract/jobs.ts';

/** The source the Logs tab opens on: the JobManager's log, else the first there is. */
export function defaultLogSource(sources: LogSourceView[]): string | null {
  return (pickLogSource(sources, 'jobmanager', 'log') ?? sources[0])?.id ?? null;
}

/** A human size: 512 B, 3.4 KB, 12.0 MB. */
export function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The followed text with a new chunk appended, keeping at most `maxChars` of its end, cut at a line
 * start: a page following a busy log for hours stays small.
 */
export function appendFollowed(shown: string, chunk: string, maxChars = 1_000_000): string {
  const all = shown + chunk;
  if (all.length <= maxChars) return all;
  const cut = all.indexOf('\n', all.length - maxChars);
  return cut < 0 ? all.slice(all.length - maxChars) : all.slice(cut + 1);
}

/** Lines of followed text that hold the search (any case); all of it when there is none. */
export function keepMatching(text: string, search: string): string {
  const needle = search.trim().toLowerCase();
  if (!needle) return text;
  return text
    .split('\n')
    .filter((l) => l && l.toLowerCase().includes(needle))
    .map((l) => `${l}\n`)
    .join('');
}
