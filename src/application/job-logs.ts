import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import type { Job } from '../domain/jobs/job.ts';
import type { JobLogs, LogRun, LogRunRef, LogScope, LogSource } from '../domain/logs/job-logs.ts';
import {
  lastLines,
  linesOf,
  numberedLines,
  searchLines,
  wholeLines,
  type LogText,
} from '../domain/logs/log-text.ts';
import type { MetadataStore } from './ports/store.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

/** What the logs of a job are: whose processes, which run, and their sources. */
export interface LogSourcesView {
  job: string;
  target: string;
  /** 'job': the job's own cluster's processes; 'cluster': the session cluster's, shared by its jobs. */
  scope: LogScope;
  /**
   * The run shown (its Flink job id) on a target whose jobs each run in their own cluster; on a
   * session cluster, the run whose kept logs are shown (null: the session's processes now).
   */
  run: string | null;
  /** Every run whose logs are kept, newest first (a session's: those kept when a run ended on it). */
  runs: LogRun[];
  sources: LogSource[];
}

/** Text of a log: whole lines with secrets masked, and the byte offsets around them in the source. */
export interface LogRead extends LogText {
  size: number;
  live: boolean;
}

export interface LogQuery {
  /** The last N lines (the default: the last 1000). */
  tail?: number | undefined;
  /** From this byte offset of the source (what `next` said). */
  from?: number | undefined;
  /** Only the lines holding this text (any case), numbered in the log. */
  search?: string | undefined;
  /** A run's Flink job id (an application cluster kept from an earlier start). */
  run?: string | undefined;
}

const DEFAULT_TAIL = 1000;
/** One answer holds at most this much; a reader asks again from `next`. */
const MAX_CHUNK = 4 << 20;
/** A search reads the whole log up to this size (Flink's own rolling keeps a file under it). */
const MAX_SEARCH = 128 << 20;
const FOLLOW_INTERVAL_MS = 1000;

/**
 * The logs of the Flink processes a job runs in, through its target's logs role: listed, read by tail
 * or offset, searched, followed. Every text that leaves is cut at line ends and masked, so that a
 * secret a connector logs with its options is never shown, nor split between two answers.
 */
export class JobLogsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly targets: TargetService,
  ) {}

  async sources(jobName: string, run?: string): Promise<LogSourcesView> {
    const { job, logs, ref } = await this.open(jobName, run);
    const [sources, runs] = await Promise.all([logs.sources(ref), logs.runs(job.name)]);
    // A session's logs are its processes' now, or what was kept of them for a run asked for.
    const shown = logs.scope === 'job' ? (ref.flinkJobId ?? runs[0]?.flinkJobId ?? null) : ref.flinkJobId;
    return { job: job.name, target: job.target, scope: logs.scope, run: shown, runs, sources };
  }

  async read(jobName: string, sourceId: string, q: LogQuery = {}): Promise<LogRead> {
    const { logs, ref } = await this.source(jobName, sourceId, q.run);
    if (q.search !== undefined) return this.search(logs, ref, sourceId, q.search);
    if (q.from !== undefined) return this.readFrom(logs, ref, sourceId, q.from);
    const n = Math.max(1, q.tail ?? DEFAULT_TAIL);
    // Lines are not bytes: read more of the end until it holds n lines or the whole log.
    for (let want = Math.min(MAX_CHUNK, Math.max(64 << 10, n * 256)); ; want *= 4) {
      const b = await logs.read(ref, sourceId, { tailBytes: want });
      const t = wholeLines(b.bytes, b.from, { complete: !b.live, midLine: true });
      if (linesOf(t.text).length >= n || b.from === 0 || want >= MAX_CHUNK * 4) {
        const last = lastLines(t.text, n);
        return {
          text: maskKnownSecrets(last.text),
          from: t.from + last.skippedBytes,
          next: t.next,
          size: b.size,
          live: b.live,
        };
      }
    }
  }

  /** The whole log, masked: what a download gives. */
  async whole(jobName: string, sourceId: string, run?: string): Promise<string> {
    const { logs, ref } = await this.source(jobName, sourceId, run);
    const b = await logs.read(ref, sourceId, { fromOffset: 0 });
    return maskKnownSecrets(new TextDecoder().decode(b.bytes));
  }

  /**
   * The log as it grows, from byte `from` (a tail's `next`): each new run of whole lines as it is
   * written, polled by offset. Ends when the process no longer writes it and every line was given,
   * or when `signal` aborts (the reader left).
   */
  async follow(
    jobName: string,
    sourceId: string,
    from: number,
    o: { run?: string | undefined; signal: AbortSignal; intervalMs?: number },
  ): Promise<AsyncGenerator<LogRead>> {
    // Refused here, before any line: a stream that opens is one that can be followed.
    const { logs, ref } = await this.source(jobName, sourceId, o.run);
    const readFrom = (at: number) => this.readFrom(logs, ref, sourceId, at);
    return (async function* () {
      let next = from;
      while (!o.signal.aborted) {
        const r = await readFrom(next);
        if (r.text) yield r;
        next = r.next;
        const caughtUp = r.next >= r.size;
        if (!r.live && caughtUp) return;
        // Behind (a chunk was capped): read on at once; caught up: wait for the process to write.
        if (caughtUp || !r.text) await pause(o.intervalMs ?? FOLLOW_INTERVAL_MS, o.signal);
      }
    })();
  }

  private async readFrom(logs: JobLogs, ref: LogRunRef, sourceId: string, from: number): Promise<LogRead> {
    let b = await logs.read(ref, sourceId, { fromOffset: from, maxBytes: MAX_CHUNK });
    // Shorter than where the reader was: log4j rolled it over (or the process started it again).
    if (b.size < from) b = await logs.read(ref, sourceId, { fromOffset: 0, maxBytes: MAX_CHUNK });
    // An ended log's last line is given whole only once it is read to its end: a line cut by the
    // chunk's cap waits for the next read, so no secret is split between two answers.
    const toEnd = b.from + b.bytes.length >= b.size;
    const t = wholeLines(b.bytes, b.from, { complete: !b.live && toEnd, midLine: false });
    return { ...t, text: maskKnownSecrets(t.text), size: b.size, live: b.live };
  }

  private async search(logs: JobLogs, ref: LogRunRef, sourceId: string, needle: string): Promise<LogRead> {
    // A log over MAX_SEARCH (Flink rolls its own before) is searched in its end, numbered from there.
    const b = await logs.read(ref, sourceId, { tailBytes: MAX_SEARCH });
    const t = wholeLines(b.bytes, b.from, { complete: true, midLine: true });
    // Masked before matching: searching for a secret's value finds nothing.
    const found = searchLines(maskKnownSecrets(t.text), needle);
    return { text: numberedLines(found), from: t.from, next: t.next, size: b.size, live: b.live };
  }

  private async open(jobName: string, run?: string): Promise<{ job: Job; logs: JobLogs; ref: LogRunRef }> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    const target = await this.targets.target(job.target);
    if (!target.logs)
      throw new SluiceError(
        'precondition_failed',
        message('logs.noLogs', { target: target.name, kind: target.kind }),
      );
    const logs = target.logs;
    if (run) return { job, logs, ref: { jobName: job.name, flinkJobId: run } };
    // A session cluster's processes are not one run's: its logs now, whichever run is the job's.
    if (logs.scope === 'cluster') return { job, logs, ref: { jobName: job.name, flinkJobId: null } };
    // The current run's logs; a job whose current run left no folder shows the newest kept.
    let ref: LogRunRef = { jobName: job.name, flinkJobId: job.flinkJobId };
    if (
      logs.scope === 'job' &&
      ref.flinkJobId &&
      !(await logs.runs(job.name)).some((r) => r.flinkJobId === ref.flinkJobId)
    )
      ref = { jobName: job.name, flinkJobId: null };
    return { job, logs, ref };
  }

  /** The job's logs and one of its sources, refused with the sources it has when it names none of them. */
  private async source(
    jobName: string,
    sourceId: string,
    run?: string,
  ): Promise<{ logs: JobLogs; ref: LogRunRef }> {
    const { job, logs, ref } = await this.open(jobName, run);
    if (run && !(await logs.runs(job.name)).some((r) => r.flinkJobId === run))
      throw new SluiceError('not_found', message('logs.noRun', { job: job.name, run }), { run });
    const sources = await logs.sources(ref);
    if (!sources.length)
      throw new SluiceError('not_found', message('logs.noSources', { job: job.name, target: job.target }));
    if (!sources.some((s) => s.id === sourceId))
      throw new SluiceError(
        'not_found',
        message('logs.noSource', {
          job: job.name,
          source: sourceId,
          sources: sources.map((s) => s.id).join(', '),
        }),
        { source: sourceId },
      );
    return { logs, ref };
  }
}

/** Waits, or less when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
