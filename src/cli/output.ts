import type { OptionChanges as OptionChangeReport } from '../contract/sql.ts';

const FRAME = /^\s*(at [\w$.<>/]+\(|\.\.\. \d+ more|Caused by: )/;

/** A log entry that is (or holds) a Java stack trace. */
export const holdsTrace = (text: string): boolean => text.split('\n').some((l) => FRAME.test(l));

/** Flink's Java traces belong in the submission log: a message on the terminal stops where its trace starts. */
export function withoutTrace(text: string): string {
  const lines = text.split('\n');
  const frame = lines.findIndex((l) => FRAME.test(l));
  if (frame < 0) return text;
  return `${lines.slice(0, Math.max(1, frame)).join('\n').trimEnd()}\n(Flink's whole trace is in the submission log)`;
}

/** Plain-text tables for terminal output. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

export const printJson = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

/** One line per option change: where, what, and whether Sluice can rewrite it. */
export function printOptionChanges(where: string, r: OptionChangeReport): void {
  for (const f of r.findings)
    console.log(
      `${where}:${f.line}:${f.column}: ${f.change.kind} since ${f.change.since}: '${f.key}'${f.change.to ? ` -> '${f.change.to}'` : ''}${f.rewritable ? '' : ' (not rewritten)'}: ${f.change.note}`,
    );
  for (const f of r.optionFindings)
    console.log(
      `option '${f.key}': ${f.change.kind} since ${f.change.since}${f.change.to ? ` -> '${f.change.to}'` : ''}${f.rewritable ? '' : ' (not rewritten)'}: ${f.change.note}`,
    );
  console.log(
    `Flink ${r.from} -> ${r.to}: ${r.findings.length + r.optionFindings.length} option changes, ${r.applied} rewritable, ${r.remaining} to handle by hand`,
  );
}

/** Work to finish before the CLI exits because its reader went away (a debug run to stop). */
const onClosedOutput = new Set<() => Promise<unknown>>();

/** Runs `cleanup` if the output closes before the returned release is called. */
export function onOutputClosed(cleanup: () => Promise<unknown>): () => void {
  onClosedOutput.add(cleanup);
  return () => onClosedOutput.delete(cleanup);
}

let closed = false;
/** Whether the reader of the CLI's output has gone. */
export const outputClosed = (): boolean => closed;

/**
 * `sluice ... | head -1`: once the reader has gone, a write fails with EPIPE. Like git and ls, the CLI
 * then stops quietly with status 0 instead of dying with a stack trace (Node ignores SIGPIPE, so the
 * error arrives as an event on the stream). Standard error counts too: `2>&1 | head`.
 */
export function exitQuietlyWhenOutputCloses(): void {
  const onError = (e: NodeJS.ErrnoException) => {
    if (closed) return; // later writes to the closed stream fail the same way
    if (e.code !== 'EPIPE') throw e;
    closed = true;
    const cleanups = [...onClosedOutput].map((c) => c().catch(() => undefined));
    // Cleanup talks to the server; it gets a few seconds, never an unbounded wait.
    const deadline = new Promise((r) => setTimeout(r, 5_000).unref());
    void Promise.race([Promise.all(cleanups), deadline]).then(() => process.exit(0));
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
