import {
  jobs as J,
  type CreateJobInput,
  type JobChanges,
  type LogEventMap,
  type StartParams,
} from '../contract/jobs.ts';
import type { Query } from '../contract/operation.ts';
import type { Transport } from './http.ts';
import { SseStream } from './sse.ts';

/** A log's text (whole lines, secrets masked) and where it lies in the source's bytes. */
export interface LogText {
  text: string;
  from: number;
  /** Read on (or follow) from here. */
  next: number;
  size: number;
  live: boolean;
}

/** Jobs: their versions, lifecycle commands (each answers with a submission), savepoints and events. */
export const jobsClient = (t: Transport) => ({
  list: () => t.call(J.list, {}),
  get: (name: string) => t.call(J.get, { params: { name } }),
  create: (input: CreateJobInput) => t.call(J.create, { body: input }),
  update: (name: string, baseVersion: number, message: string, changes: JobChanges) =>
    t.call(J.update, { params: { name }, body: { baseVersion, message, ...changes } }),
  optionChanges: (name: string, to: string, rewrite: boolean) =>
    t.call(J.optionChanges, { params: { name }, body: { to, rewrite } }),
  remove: (name: string, keepSavepoints = false) =>
    t.call(J.remove, { params: { name }, query: keepSavepoints ? { keepSavepoints } : {} }),
  copy: (name: string, newName: string) => t.call(J.copy, { params: { name }, body: { name: newName } }),
  versions: (name: string) => t.call(J.versions, { params: { name } }),
  version: (name: string, number: number) => t.call(J.version, { params: { name, number } }),
  diff: (name: string, from: number, to: number) => t.call(J.diff, { params: { name }, query: { from, to } }),
  rollback: (name: string, version: number) => t.call(J.rollback, { params: { name }, body: { version } }),
  start: (name: string, params: StartParams = {}) => t.call(J.start, { params: { name }, body: params }),
  stop: (name: string, drain = false) => t.call(J.stop, { params: { name }, body: { drain } }),
  cancel: (name: string) => t.call(J.cancel, { params: { name } }),
  upgrade: (name: string, allowNonRestoredState = false) =>
    t.call(J.upgrade, { params: { name }, body: { allowNonRestoredState } }),
  triggerSavepoint: (name: string) => t.call(J.triggerSavepoint, { params: { name } }),
  savepoints: (name: string) => t.call(J.savepoints, { params: { name } }),
  render: (name: string) => t.call(J.render, { params: { name } }),
  submissions: (name: string) => t.call(J.submissions, { params: { name } }),
  submission: (name: string, number: number) => t.call(J.submission, { params: { name, number } }),
  events: (name: string) => t.call(J.events, { params: { name } }),
  /** The log sources of the processes the job runs in (its own cluster's, or the session cluster's it shares). */
  /**
   * The running job's graph, each vertex with its backpressure (`GET /jobs/{name}/graph`); with `at`
   * (ISO 8601 or `-10m`) the graph of the run then, coloured from Prometheus.
   */
  graph: (name: string, signal?: AbortSignal, at?: string) =>
    t.call(J.graph, { params: { name }, query: at ? { at } : {}, ...(signal ? { signal } : {}) }),
  exceptions: (name: string, run?: string) =>
    t.call(J.exceptions, { params: { name }, query: run ? { run } : {} }),
  logs: (name: string, run?: string) => t.call(J.logs, { params: { name }, query: run ? { run } : {} }),
  /** One log's text: its tail, from an offset, or the lines matching a search. */
  log: async (name: string, source: string, query: Query<typeof J.log> = {}): Promise<LogText> => {
    const res = await t.fetch(t.url(J.log, { name, source }, query));
    if (!res.ok) throw t.refusal(res.status, await res.json().catch(() => null));
    const header = (h: string) => Number(res.headers.get(`sluice-log-${h}`) ?? 0);
    return {
      text: await res.text(),
      from: header('from'),
      next: header('next'),
      size: header('size'),
      live: res.headers.get('sluice-log-live') === 'true',
    };
  },
  /** Where a log is downloaded whole (an attachment), for a link. */
  logDownloadUrl: (name: string, source: string, run?: string) =>
    t.url(J.log, { name, source }, { download: true, ...(run ? { run } : {}) }),
  /** New lines of a log as they are written, from byte `from`: `chunk` frames, then `end`. */
  followLog: (name: string, source: string, from: number, run?: string) =>
    SseStream.open<LogEventMap>(t, t.url(J.followLog, { name, source }, { from, ...(run ? { run } : {}) })),
  followLogUrl: (name: string, source: string, from: number, run?: string) =>
    t.url(J.followLog, { name, source }, { from, ...(run ? { run } : {}) }),
});
