import { flinkFetch } from './flink-fetch.ts';
import type { FlinkJobState } from '../../../domain/jobs/job.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { parseFlinkExceptions, type ExceptionHistory } from '../../../domain/logs/exception-history.ts';
import { vertexIdsOf, VERTEX_METRICS, type FlinkJobGraphAnswers } from '../../../domain/metrics/job-graph.ts';
import type { ClusterOverview } from '../../../application/ports/clusters.ts';
import { rootCauseOf, SavepointFailed } from '../../../domain/targets/target-errors.ts';
import { waitingTasksOf, type FlinkClusterFacts } from '../../../domain/targets/target-resources.ts';

export { SavepointFailed };

export type { ClusterOverview };

export interface JobOverview {
  jid: string;
  name: string;
  state: FlinkJobState;
  'start-time': number;
  'end-time': number;
  tasks?: { total: number; running: number; finished: number };
}

/**
 * How a request reaches the JobManager: global fetch for a cluster on a reachable address, or another
 * way to the same REST API (the Kubernetes API server's service proxy, with the kubeconfig's credentials).
 */
export type RestTransport = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    /** JSON text, or bytes (a multipart jar upload). */
    body: string | Uint8Array<ArrayBuffer> | null;
    signal: AbortSignal;
  },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Fetch: a cluster on an address this machine reaches (a local one's over TLS with the home's keys). */
export const fetchTransport: RestTransport = (url, init) => flinkFetch(url, init);

/** Flink's JobManager REST API (one client per cluster). Responses are read leniently across versions. */
export class FlinkRestClient {
  constructor(
    readonly baseUrl: string,
    private readonly transport: RestTransport = fetchTransport,
  ) {}

  private async get<T>(p: string, timeoutMs = 3000): Promise<T> {
    return this.send<T>('GET', p, undefined, timeoutMs);
  }

  private async send<T>(method: string, p: string, body?: unknown, timeoutMs = 3000): Promise<T> {
    let res: Awaited<ReturnType<RestTransport>>;
    try {
      res = await this.transport(`${this.baseUrl}${p}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new SluiceError(
        'engine_unavailable',
        message('flink.restUnreachable', { url: this.baseUrl, detail: (e as Error).message }),
        { url: `${this.baseUrl}${p}` },
      );
    }
    if (!res.ok) {
      const body = await res.text();
      throw new SluiceError(
        res.status === 404 ? 'not_found' : 'engine_unavailable',
        message('flink.restAnswered', { path: p, status: res.status, body: body.slice(0, 300) }),
        {
          url: `${this.baseUrl}${p}`,
          status: res.status,
        },
      );
    }
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  overview(): Promise<ClusterOverview> {
    return this.get<ClusterOverview>('/overview', 1500);
  }

  /**
   * What a resources view reads: each TaskManager's slots (`/taskmanagers`) with their jobs and memory
   * (`/taskmanagers/{id}`), the jobs with their tasks by state (`/jobs/overview`), and for a job whose
   * tasks wait for a slot its exception history (`/jobs/{id}/exceptions`, NoResourceAvailableException).
   */
  async resourceFacts(): Promise<FlinkClusterFacts> {
    const [list, jobs] = await Promise.all([
      this.get<{ taskmanagers?: { id: string }[] }>('/taskmanagers'),
      this.jobs(),
    ]);
    type Details = {
      id: string;
      slotsNumber?: number;
      freeSlots?: number;
      allocatedSlots?: { jobId?: string }[];
      memoryConfiguration?: { totalProcessMemory?: number; managedMemory?: number };
      metrics?: { heapUsed?: number; heapMax?: number };
    };
    const num = (x: number | undefined) => (typeof x === 'number' && x >= 0 ? x : null);
    const taskManagers = await Promise.all(
      (list.taskmanagers ?? []).map(async ({ id }) => {
        const d = await this.get<Details>(`/taskmanagers/${encodeURIComponent(id)}`);
        return {
          id,
          slotsTotal: d.slotsNumber ?? 0,
          slotsFree: d.freeSlots ?? 0,
          slotJobs: (d.allocatedSlots ?? []).flatMap((s) => (s.jobId ? [s.jobId] : [])),
          processMemoryBytes: num(d.memoryConfiguration?.totalProcessMemory),
          managedMemoryBytes: num(d.memoryConfiguration?.managedMemory),
          // Flink's metric fetcher fills these lazily: a heap max of 0 is not read yet, not a heap of 0.
          heapUsedBytes: d.metrics?.heapMax ? num(d.metrics.heapUsed) : null,
          heapMaxBytes: d.metrics?.heapMax ? num(d.metrics.heapMax) : null,
        };
      }),
    );
    return {
      taskManagers,
      jobs: await Promise.all(
        jobs.map(async (j) => {
          const tasks = (j.tasks ?? {}) as Record<string, number>;
          const facts = { flinkJobId: j.jid, name: j.name, state: j.state, tasks, noResource: null };
          if (waitingTasksOf(facts) === 0) return facts;
          const entries = await this.exceptionHistory(j.jid, 5).catch(() => []);
          const said = entries.find((e) =>
            /NoResourceAvailableException/.test(`${e.exceptionName}\n${e.stacktrace}`),
          );
          return { ...facts, noResource: said ? rootCauseOf(said.stacktrace) : null };
        }),
      ),
    };
  }

  async jobs(): Promise<JobOverview[]> {
    return (await this.get<{ jobs: JobOverview[] }>('/jobs/overview')).jobs;
  }

  job(jobId: string): Promise<JobOverview & { 'start-time': number; duration: number }> {
    return this.get(`/jobs/${jobId}`);
  }

  async cancel(jobId: string): Promise<void> {
    await this.send('PATCH', `/jobs/${jobId}?mode=cancel`);
  }

  /** Stop-with-savepoint; the body is camelCase (unlike the savepoint trigger). */
  async stop(jobId: string, targetDirectory: string, drain: boolean): Promise<string> {
    const r = await this.send<{ 'request-id': string }>('POST', `/jobs/${jobId}/stop`, {
      targetDirectory,
      drain,
    });
    return r['request-id'];
  }

  /** Savepoint trigger; the body is kebab-case. */
  async triggerSavepoint(jobId: string, targetDirectory: string): Promise<string> {
    const r = await this.send<{ 'request-id': string }>('POST', `/jobs/${jobId}/savepoints`, {
      'target-directory': targetDirectory,
      'cancel-job': false,
    });
    return r['request-id'];
  }

  /** Polls a savepoint (or stop) trigger until it completes; resolves with the location. */
  async awaitSavepoint(jobId: string, triggerId: string, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let wait = 20;
    for (;;) {
      const r = await this.get<{
        status: { id: string };
        operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string; class?: string } };
      }>(`/jobs/${jobId}/savepoints/${triggerId}`);
      if (r.status.id === 'COMPLETED') {
        if (r.operation?.location) return r.operation.location;
        const trace = r.operation?.['failure-cause']?.['stack-trace'] ?? 'no failure cause given';
        throw new SavepointFailed(trace);
      }
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('flink.savepointTimeout', { seconds: timeoutMs / 1000 }),
        );
      await new Promise((res) => setTimeout(res, wait));
      wait = Math.min(500, wait * 2);
    }
  }

  /** The job's exception history, newest first (Flink keeps web.exception-history-size entries). */
  async exceptionHistory(
    jobId: string,
    max = 16,
  ): Promise<{ exceptionName: string; stacktrace: string; timestamp: number }[]> {
    const r = await this.get<{
      exceptionHistory?: { entries?: { exceptionName?: string; stacktrace?: string; timestamp?: number }[] };
    }>(`/jobs/${jobId}/exceptions?maxExceptions=${max}`);
    return (r.exceptionHistory?.entries ?? []).map((e) => ({
      exceptionName: e.exceptionName ?? '',
      stacktrace: e.stacktrace ?? '',
      timestamp: e.timestamp ?? 0,
    }));
  }

  /** Flink's whole exception history of the job (each failure with its concurrent exceptions), read across versions. */
  async exceptionsOf(jobId: string, max = 20): Promise<ExceptionHistory> {
    return parseFlinkExceptions(await this.get<unknown>(`/jobs/${jobId}/exceptions?maxExceptions=${max}`));
  }

  async exceptions(jobId: string): Promise<{ stacktrace: string | null }> {
    const r = await this.get<{
      'root-exception'?: string;
      exceptionHistory?: { entries?: { stacktrace?: string }[] };
    }>(`/jobs/${jobId}/exceptions?maxExceptions=1`);
    return { stacktrace: r.exceptionHistory?.entries?.[0]?.stacktrace ?? r['root-exception'] ?? null };
  }

  /** Restarts since the job started and its latest completed checkpoint: two requests, on demand. */
  async runtimeDetails(jobId: string): Promise<{
    restarts: number | null;
    lastCheckpoint: { id: number; path: string | null; completedAt: string } | null;
  }> {
    const [metrics, checkpoints] = await Promise.all([
      this.get<{ id: string; value: string }[]>(`/jobs/${jobId}/metrics?get=numRestarts`).catch(() => []),
      this.get<{
        latest?: { completed?: { id: number; external_path?: string; latest_ack_timestamp: number } | null };
      }>(`/jobs/${jobId}/checkpoints`).catch(() => ({ latest: undefined })),
    ]);
    const restarts = metrics.find((m) => m.id === 'numRestarts');
    const c = checkpoints.latest?.completed;
    return {
      restarts: restarts ? Number(restarts.value) : null,
      lastCheckpoint: c
        ? {
            id: c.id,
            path: c.external_path ?? null,
            completedAt: new Date(c.latest_ack_timestamp).toISOString(),
          }
        : null,
    };
  }

  /**
   * A running job's graph as the JobManager answers it: the job (its vertices and plan), then each
   * vertex's backpressure and records per second over its subtasks, asked together. A vertex whose
   * answer fails has none (the graph still draws); the job itself unknown is a not_found.
   */
  async jobGraph(jobId: string): Promise<FlinkJobGraphAnswers> {
    const job = await this.get<unknown>(`/jobs/${jobId}`);
    const ids = vertexIdsOf(job);
    const each = (path: (id: string) => string) =>
      Promise.all(
        ids.map(async (id) => [id, await this.get<unknown>(path(id)).catch(() => undefined)] as const),
      );
    const [backpressure, metrics] = await Promise.all([
      each((id) => `/jobs/${jobId}/vertices/${id}/backpressure`),
      each((id) => `/jobs/${jobId}/vertices/${id}/subtasks/metrics?get=${VERTEX_METRICS.join(',')}`),
    ]);
    return { job, backpressure: Object.fromEntries(backpressure), metrics: Object.fromEntries(metrics) };
  }

  /** Where the job's latest completed savepoint is, as Flink's checkpoint statistics say. */
  async latestSavepointPath(jobId: string): Promise<string | null> {
    const r = await this.get<{ latest?: { savepoint?: { external_path?: string } | null } }>(
      `/jobs/${jobId}/checkpoints`,
    );
    return r.latest?.savepoint?.external_path ?? null;
  }

  async latestCheckpointPath(jobId: string): Promise<string | null> {
    const r = await this.get<{ latest?: { completed?: { external_path?: string } | null } }>(
      `/jobs/${jobId}/checkpoints`,
    );
    return r.latest?.completed?.external_path ?? null;
  }
}
