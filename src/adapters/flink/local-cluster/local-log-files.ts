import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import {
  roleOfProcess,
  type LogBytes,
  type LogRange,
  type LogSource,
} from '../../../domain/logs/job-logs.ts';

/** `<process>.log`, log4j's rolled `<process>.log.N`, and `<process>.out` (stdout and stderr). */
const LOG_FILE = /^([a-z][a-z0-9-]*)\.(log|out)(?:\.(\d+))?$/;

const processOrder = (p: string) => (p === 'jobmanager' ? 0 : p.startsWith('taskmanager') ? 1 : 2);
const processNumber = (p: string) => Number(/-(\d+)$/.exec(p)?.[1] ?? 0);

/**
 * The log files of a local cluster's processes, in its log folder (which stays after the cluster
 * ends): the JobManager first, then the TaskManagers by number, then the SQL Gateway; each process's
 * log, its stdout, then the rolled-over files, newest first.
 */
export function logFileSources(logDir: string, alive: (process: string) => boolean): LogSource[] {
  if (!fs.existsSync(logDir)) return [];
  const found: (LogSource & { rolled: number })[] = [];
  for (const name of fs.readdirSync(logDir)) {
    const m = LOG_FILE.exec(name);
    if (!m) continue;
    const [, process, kind, rolled] = m as unknown as [string, string, 'log' | 'out', string | undefined];
    let size: number;
    try {
      size = fs.statSync(path.join(logDir, name)).size;
    } catch {
      continue;
    }
    found.push({
      id: name,
      process,
      role: roleOfProcess(process),
      stream: kind === 'out' ? 'stdout' : 'log',
      size,
      live: rolled === undefined && alive(process),
      rolled: rolled === undefined ? 0 : Number(rolled),
    });
  }
  return found
    .sort(
      (a, b) =>
        processOrder(a.process) - processOrder(b.process) ||
        processNumber(a.process) - processNumber(b.process) ||
        a.process.localeCompare(b.process) ||
        a.rolled - b.rolled ||
        a.stream.localeCompare(b.stream),
    )
    .map(({ rolled: _rolled, ...s }) => s);
}

/** Bytes of one log file of the folder; `sourceId` is a file name that logFileSources lists. */
export async function readLogFile(
  logDir: string,
  sourceId: string,
  range: LogRange,
  live: boolean,
): Promise<LogBytes> {
  // Only a name of the folder's own log files: never a path out of it.
  if (!LOG_FILE.test(sourceId) || !fs.existsSync(path.join(logDir, sourceId)))
    throw new SluiceError('not_found', message('logs.fileGone', { source: sourceId, folder: logDir }), {
      source: sourceId,
    });
  const handle = await fs.promises.open(path.join(logDir, sourceId), 'r');
  try {
    const size = (await handle.stat()).size;
    const from =
      'tailBytes' in range
        ? Math.max(0, size - range.tailBytes)
        : Math.min(size, Math.max(0, range.fromOffset));
    const end = 'tailBytes' in range ? size : Math.min(size, from + (range.maxBytes ?? size));
    const bytes = new Uint8Array(end - from);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, from + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: bytes.subarray(0, read), from, size, live };
  } finally {
    await handle.close();
  }
}
