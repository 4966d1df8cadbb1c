/**
 * The logs of the Flink processes a job runs in, as a role of a deployment target: the JobManager's and
 * each TaskManager's log (log4j's file) and stdout (the `.out` file), the SQL Gateway's where the
 * cluster has one. A job in an application cluster of its own has logs of its own; a job on a session
 * cluster shares the cluster's logs with every other job there (`scope`), and the answer says so
 * rather than pretending they are the job's.
 */
export interface JobLogs {
  /**
   * 'job': the processes are the job's alone (an application cluster), one set per run.
   * 'cluster': the session cluster's processes, shared by every job it runs.
   */
  readonly scope: LogScope;
  /** The runs whose logs are kept, newest first (an application cluster's folders); [] for a session cluster. */
  runs(jobName: string): Promise<LogRun[]>;
  /** The log sources of the run's processes (the job's current run when `run.flinkJobId` is null). */
  sources(run: LogRunRef): Promise<LogSource[]>;
  /**
   * Bytes of one source: its last `tailBytes`, or from `fromOffset` (at most `maxBytes`). Offsets are
   * the source's own bytes, so that a reader goes on where it stopped.
   */
  read(run: LogRunRef, sourceId: string, range: LogRange): Promise<LogBytes>;
  /**
   * A session cluster whose logs outlive it elsewhere (a Kubernetes session's pods go with it): keeps
   * them as they are now for a run of a job that ended on it, read afterwards as that run's. What
   * happened is said in `log`; a failure to keep them never fails the caller.
   */
  keep?(jobName: string, flinkJobId: string, log: (line: string) => void): Promise<void>;
}

export type LogScope = 'job' | 'cluster';

/** Which run's logs: a job and, on an application target, the Flink job id of one of its runs. */
export interface LogRunRef {
  jobName: string;
  /** The run (an application cluster's Flink job id); null: the job's current one, or the newest kept. */
  flinkJobId: string | null;
}

export interface LogRun {
  flinkJobId: string;
  /** When its files were last written. */
  at: string;
  /** Its processes still run. */
  live: boolean;
}

export type LogRole = 'jobmanager' | 'taskmanager' | 'sql-gateway';

/** One log of one process. */
export interface LogSource {
  /** How the source is named in URLs and on the command line: `jobmanager.log`, `taskmanager-1.out`... */
  id: string;
  /** The process it belongs to: `jobmanager`, `taskmanager-1`, `sql-gateway`, or Flink's TaskManager id. */
  process: string;
  role: LogRole;
  /** Flink's log (log4j) or the process's stdout and stderr. */
  stream: 'log' | 'stdout';
  /** Its size now in bytes; null when the target cannot say without reading it. */
  size: number | null;
  /** Still written: its process runs (a rolled-over file, or a stopped process's, is not). */
  live: boolean;
}

export type LogRange = { tailBytes: number } | { fromOffset: number; maxBytes?: number };

/** Raw bytes of a source, from offset `from`. */
export interface LogBytes {
  bytes: Uint8Array;
  from: number;
  /** The source's size when it was read. */
  size: number;
  live: boolean;
}

/** The log sources of a process id as Flink's local scripts name its files. */
export function roleOfProcess(process: string): LogRole {
  if (process.startsWith('taskmanager')) return 'taskmanager';
  if (process.startsWith('sql-gateway')) return 'sql-gateway';
  return 'jobmanager';
}

/** A rolled-over file (log4j's `x.log.1`) is an older part of a process's log, not its current one. */
export const isRolled = (sourceId: string): boolean => /\.\d+$/.test(sourceId);

/**
 * The source a reader means by a process and a stream: `jobmanager`, `taskmanager-2` (the second
 * TaskManager, also where TaskManagers go by Flink's ids), `sql-gateway`, or a process's own name;
 * its current file, not a rolled-over one. Null when the job's processes have no such log.
 */
export function pickLogSource<S extends Pick<LogSource, 'id' | 'process' | 'role' | 'stream'>>(
  sources: S[],
  process: string,
  stream: LogSource['stream'],
): S | null {
  const current = sources.filter((s) => s.stream === stream && !isRolled(s.id));
  const own = current.filter((s) => s.process === process);
  // A process's folder may hold other processes' files too (Flink's REST lists its whole log folder):
  // the file named after the process is its own.
  if (own.length)
    return own.find((s) => s.id.endsWith(`${process}.${stream === 'log' ? 'log' : 'out'}`)) ?? own[0]!;
  const n = /^taskmanager-(\d+)$/.exec(process);
  if (!n) return null;
  const tms = [...new Set(current.filter((s) => s.role === 'taskmanager').map((s) => s.process))];
  const tm = tms[Number(n[1]) - 1];
  return tm === undefined ? null : (current.find((s) => s.process === tm) ?? null);
}
