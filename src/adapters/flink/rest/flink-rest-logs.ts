import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { flinkFetch } from './flink-fetch.ts';
import type { JobLogs, LogBytes, LogRange, LogSource } from '../../../domain/logs/job-logs.ts';

interface LogList {
  logs: { name: string; size: number }[];
}

/** log4j rolls `x.log` to `x.log.1`...: a rolled file is no longer written. */
const rolled = (file: string) => /\.\d+$/.test(file);

/**
 * A session cluster's process logs through Flink's own REST API (the Web UI's log pages): the
 * JobManager's files (`/jobmanager/logs`) and each registered TaskManager's
 * (`/taskmanagers/:id/logs`), read whole by name (Flink serves no byte ranges) and cut here. A source
 * id is `jobmanager:<file>` or `taskmanager:<TaskManager id>:<file>`. A TaskManager that is gone is
 * gone with its logs: Flink only serves those of processes that run.
 */
export class FlinkRestLogs implements JobLogs {
  readonly scope = 'cluster' as const;

  constructor(
    private readonly target: string,
    private readonly baseUrl: string,
  ) {}

  async runs(): Promise<[]> {
    return [];
  }

  async sources(): Promise<LogSource[]> {
    const jm = await this.get<LogList>('/jobmanager/logs');
    const tms = (await this.get<{ taskmanagers: { id: string }[] }>('/taskmanagers')).taskmanagers
      .map((t) => t.id)
      .sort();
    const source = (
      process: string,
      role: LogSource['role'],
      prefix: string,
      f: LogList['logs'][number],
    ) => ({
      id: `${prefix}${f.name}`,
      process,
      role,
      stream: f.name.endsWith('.out') ? ('stdout' as const) : ('log' as const),
      size: f.size,
      live: !rolled(f.name),
    });
    const out: LogSource[] = jm.logs.map((f) => source('jobmanager', 'jobmanager', 'jobmanager:', f));
    for (const id of tms) {
      // A TaskManager that left between the two requests has no logs to list.
      const list = await this.get<LogList>(`/taskmanagers/${encodeURIComponent(id)}/logs`).catch(() => null);
      for (const f of list?.logs ?? []) out.push(source(id, 'taskmanager', `taskmanager:${id}:`, f));
    }
    return out;
  }

  async read(_run: unknown, sourceId: string, range: LogRange): Promise<LogBytes> {
    const path = this.pathOf(sourceId);
    let res: Response;
    try {
      res = await flinkFetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw this.unreachable(path, (e as Error).message);
    }
    if (!res.ok)
      throw new SluiceError(
        'not_found',
        message('logs.restRefused', { source: sourceId, status: res.status }),
        {
          source: sourceId,
        },
      );
    const all = new Uint8Array(await res.arrayBuffer());
    const size = all.length;
    const from =
      'tailBytes' in range
        ? Math.max(0, size - range.tailBytes)
        : Math.min(size, Math.max(0, range.fromOffset));
    const end = 'tailBytes' in range ? size : Math.min(size, from + (range.maxBytes ?? size));
    const file = sourceId.slice(sourceId.lastIndexOf(':') + 1);
    return { bytes: all.subarray(from, end), from, size, live: !rolled(file) };
  }

  private pathOf(sourceId: string): string {
    const first = sourceId.indexOf(':');
    const last = sourceId.lastIndexOf(':');
    const role = sourceId.slice(0, first);
    const file = encodeURIComponent(sourceId.slice(last + 1));
    if (role === 'jobmanager' && first === last) return `/jobmanager/logs/${file}`;
    if (role === 'taskmanager' && last > first)
      return `/taskmanagers/${encodeURIComponent(sourceId.slice(first + 1, last))}/logs/${file}`;
    throw new SluiceError('not_found', message('logs.restRefused', { source: sourceId, status: 404 }), {
      source: sourceId,
    });
  }

  /** The cluster's REST API did not answer: a 503 naming the target's address, not an internal error. */
  private unreachable(path: string, detail: string): SluiceError {
    return new SluiceError(
      'engine_unavailable',
      message('flink.restUnreachable', { url: this.baseUrl, detail }),
      {
        target: this.target,
        url: `${this.baseUrl}${path}`,
      },
    );
  }

  private async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await flinkFetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(5000) });
    } catch (e) {
      throw this.unreachable(path, (e as Error).message);
    }
    if (!res.ok) throw this.unreachable(path, `GET ${path} answered HTTP ${res.status}`);
    return (await res.json()) as T;
  }
}
