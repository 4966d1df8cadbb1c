import { DebugResultEvents, sql as S, type DebugRunRequest } from '../contract/sql.ts';
import type { Transport } from './http.ts';
import { SseStream, type EventsOf } from './sse.ts';

/** SQL checks, option changes, examples, debug runs and lineage. */
export const sqlClient = (t: Transport) => ({
  /** `space`: whose variables and file folders judge it (default: default). */
  validate: (sql: string, asJob = false, engineVersion?: string, space?: string) =>
    t.call(S.validate, {
      body: { sql, asJob, ...(engineVersion ? { engineVersion } : {}), ...(space ? { space } : {}) },
    }),
  /** Planner validation in `space` (left out: `default`), whose target, catalogs, artifacts and variables it uses. */
  explain: (sql: string, targetName?: string, catalogs?: string[], artifacts?: string[], space?: string) =>
    t.call(S.explain, {
      body: {
        sql,
        ...(space ? { space } : {}),
        ...(targetName ? { target: targetName } : {}),
        ...(catalogs ? { catalogs } : {}),
        ...(artifacts?.length ? { artifacts } : {}),
      },
    }),
  optionChanges: (body: { sql: string; options?: Record<string, string>; from: string; to: string }) =>
    t.call(S.optionChanges, { body }),
  examples: () => t.call(S.examples, {}),
  example: (name: string) => t.call(S.example, { params: { name } }),
  lineage: (sql: string, space?: string) => t.call(S.lineage, { body: { sql, ...(space ? { space } : {}) } }),
  graph: (job?: string) => t.call(S.graph, { query: job ? { job } : {} }),
  startDebug: (req: DebugRunRequest) => t.call(S.startDebug, { body: req }),
  debugRuns: () => t.call(S.debugRuns, {}),
  debugRun: (id: string) => t.call(S.debugRun, { params: { id } }),
  stopDebug: (id: string) => t.call(S.stopDebug, { params: { id } }),
  /** The URL of a run's results stream, for a browser's EventSource. */
  debugResultsUrl: (id: string) => t.url(S.debugResults, { id }),
  /** Frames `status` (the run), `row` (a row) and `end`, read over fetch. */
  debugResults: (id: string) =>
    SseStream.open<EventsOf<typeof DebugResultEvents>>(t, t.url(S.debugResults, { id })),
});
