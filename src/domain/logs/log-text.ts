const NEWLINE = 10;
/** A line longer than this, still unfinished, is given as it is rather than waited for forever. */
const LONGEST_AWAITED_LINE = 1 << 20;

/** Text cut at line ends, and where in the source's bytes it starts and the next read goes on. */
export interface LogText {
  text: string;
  from: number;
  next: number;
}

/**
 * The whole lines of bytes read at offset `from` of a log. A line still being written (no newline yet)
 * is left for the next read unless the log is `complete` (its process ended), and with `midLine` (a
 * tail that may start inside a line) the cut first line is dropped. Whole lines are also what masking
 * needs: a secret is never split between two answers.
 */
export function wholeLines(
  bytes: Uint8Array,
  from: number,
  o: { complete: boolean; midLine: boolean },
): LogText {
  let start = 0;
  if (o.midLine && from > 0) {
    const first = bytes.indexOf(NEWLINE);
    start = first < 0 ? bytes.length : first + 1;
  }
  let end = o.complete ? bytes.length : bytes.lastIndexOf(NEWLINE) + 1;
  if (end <= start && bytes.length - start >= LONGEST_AWAITED_LINE) end = bytes.length;
  if (end < start) end = start;
  return { text: new TextDecoder().decode(bytes.subarray(start, end)), from: from + start, next: from + end };
}

/** The lines of a text, without the empty one after a final newline. */
export function linesOf(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The last `n` lines of a text (each with its newline), and how many bytes of it come before them. */
export function lastLines(text: string, n: number): { text: string; skippedBytes: number } {
  const lines = linesOf(text);
  if (lines.length <= n) return { text, skippedBytes: 0 };
  const kept = lines.slice(lines.length - n).join('\n') + (text.endsWith('\n') ? '\n' : '');
  const skipped = text.slice(0, text.length - kept.length);
  return { text: kept, skippedBytes: new TextEncoder().encode(skipped).length };
}

/** A matching line with its number in the log (1 is the log's first line). */
export interface LogMatch {
  line: number;
  text: string;
}

/** The lines holding `needle`, ignoring case, numbered from `firstLine`. */
export function searchLines(text: string, needle: string, firstLine = 1): LogMatch[] {
  const lower = needle.toLowerCase();
  return linesOf(text).flatMap((line, i) =>
    line.toLowerCase().includes(lower) ? [{ line: firstLine + i, text: line }] : [],
  );
}

/** Matches as `grep -n` prints them: `<line>:<text>`. */
export const numberedLines = (matches: LogMatch[]): string =>
  matches.map((m) => `${m.line}:${m.text}\n`).join('');
