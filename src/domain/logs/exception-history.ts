import { rootCauseOf } from '../targets/target-errors.ts';

/** One exception Flink recorded: where it was thrown and its whole trace. */
export interface FlinkException {
  /** The exception's class, e.g. java.lang.NumberFormatException. */
  exception: string;
  /** The innermost meaningful cause of the trace, as `Class: message`. */
  rootCause: string;
  /** The trace's exception lines, outermost first: its first line, then each `Caused by:`. */
  causes: string[];
  trace: string;
  /** When Flink recorded it (ISO 8601); null when Flink gave no time. */
  at: string | null;
  /** The task it was thrown in, with its subtask (null: a failure of the job as a whole). */
  task: string | null;
  /** The TaskManager's address (host:port) it was thrown on. */
  location: string | null;
  taskManagerId: string | null;
  /** Failure enrichers' labels (Flink 1.18+). */
  labels: Record<string, string>;
}

/** One failure of the job (a restart or its end), with the exceptions other tasks threw in it. */
export interface FlinkFailure extends FlinkException {
  concurrent: FlinkException[];
}

/** Flink's exception history of one job: its failures, newest first. */
export interface ExceptionHistory {
  failures: FlinkFailure[];
  /** Flink kept more than it gave (web.exception-history-size, or maxExceptions). */
  truncated: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const time = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? new Date(v).toISOString() : null;

/** The exception lines of a Java trace, outermost first (a message's own later lines are left out). */
export function causeChain(trace: string): string[] {
  const lines = trace.split('\n');
  const chain: string[] = [];
  const first = lines[0]?.trim();
  if (first) chain.push(first);
  for (const l of lines.slice(1)) {
    const m = /^\s*Caused by: (.*)$/.exec(l);
    if (m?.[1]) chain.push(m[1].trim());
  }
  return chain;
}

function exceptionOf(e: Json, names: { exception: string; trace: string; task: string }): FlinkException {
  const trace = str(e[names.trace]) ?? '';
  const chain = causeChain(trace);
  const labels = isObject(e.failureLabels)
    ? Object.fromEntries(
        Object.entries(e.failureLabels).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
      )
    : {};
  return {
    exception: str(e[names.exception]) ?? /^([\w$.]+)/.exec(chain[0] ?? '')?.[1] ?? 'unknown exception',
    rootCause: trace ? rootCauseOf(trace) : 'no stack trace given',
    causes: chain,
    trace,
    at: time(e.timestamp),
    task: str(e[names.task]),
    // Flink 1.19 deprecated `location` for `endpoint`; 2.x may give only `endpoint`.
    location: str(e.endpoint) ?? str(e.location),
    taskManagerId: str(e.taskManagerId),
    labels,
  };
}

const HISTORY = { exception: 'exceptionName', trace: 'stacktrace', task: 'taskName' };
// The pre-1.13 fields (`root-exception`, `all-exceptions`), still sent by 1.19/1.20, gone in 2.x.
const LEGACY = { exception: 'exceptionName', trace: 'exception', task: 'task' };

/**
 * Flink's answer to GET /jobs/:jobid/exceptions, read across versions: `exceptionHistory.entries`
 * (1.13 to 2.x: each failure with its concurrent exceptions), else the legacy `root-exception` with
 * `all-exceptions` as the concurrent ones. Failures newest first, as Flink lists them.
 */
export function parseFlinkExceptions(body: unknown): ExceptionHistory {
  if (!isObject(body)) return { failures: [], truncated: false };
  const history = isObject(body.exceptionHistory) ? body.exceptionHistory : null;
  const entries = Array.isArray(history?.entries) ? history.entries.filter(isObject) : [];
  if (history && entries.length) {
    const failures = entries.map((e) => ({
      ...exceptionOf(e, HISTORY),
      concurrent: (Array.isArray(e.concurrentExceptions) ? e.concurrentExceptions : [])
        .filter(isObject)
        .map((c) => exceptionOf(c, HISTORY)),
    }));
    failures.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
    return { failures, truncated: history.truncated === true };
  }
  const root = str(body['root-exception']);
  if (!root) return { failures: [], truncated: history?.truncated === true };
  const all = (Array.isArray(body['all-exceptions']) ? body['all-exceptions'] : []).filter(isObject);
  return {
    failures: [
      {
        ...exceptionOf({ exception: root, timestamp: body.timestamp }, LEGACY),
        concurrent: all.map((c) => exceptionOf(c, LEGACY)),
      },
    ],
    truncated: body.truncated === true,
  };
}

/** The history with `mask` applied to every text that can hold a value (secrets leave masked). */
export function maskExceptionHistory(h: ExceptionHistory, mask: (text: string) => string): ExceptionHistory {
  const one = <T extends FlinkException>(e: T): T => ({
    ...e,
    rootCause: mask(e.rootCause),
    causes: e.causes.map(mask),
    trace: mask(e.trace),
    task: e.task === null ? null : mask(e.task),
    labels: Object.fromEntries(Object.entries(e.labels).map(([k, v]) => [k, mask(v)])),
  });
  return { ...h, failures: h.failures.map((f) => ({ ...one(f), concurrent: f.concurrent.map(one) })) };
}

/** What the job's latest failure was, said first: the newest failure's root cause and where it was thrown. */
export interface RootCause {
  text: string;
  /** The failure's exception class; null for a root cause Sluice recorded from a message. */
  exception: string | null;
  /** The trace's outermost line: what Flink reported before the chain of causes. */
  reported: string | null;
  at: string | null;
  task: string | null;
  location: string | null;
}

export function rootCauseFirst(h: ExceptionHistory): RootCause | null {
  const f = h.failures[0];
  if (!f) return null;
  return {
    text: f.rootCause,
    exception: f.exception,
    reported: f.causes[0] ?? null,
    at: f.at,
    task: f.task,
    location: f.location,
  };
}
