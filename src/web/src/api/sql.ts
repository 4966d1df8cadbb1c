import { useQuery } from '@tanstack/react-query';
import type {
  DebugRow,
  DebugRunView,
  LineageGraph,
  PlannerReport,
  ScriptLineage,
  SqlExample,
  SqlProblem,
  SyntaxReport,
} from '../../../contract/sql.ts';
import { api } from './http.ts';

export type {
  DebugRow,
  DebugRunView,
  PlannerReport,
  SqlExample,
  LineageGraph,
  ScriptLineage,
  SqlProblem,
  SyntaxReport,
};

/** SQL checks, debug runs and lineage, through the one typed client; the editor checks scripts as jobs. */
export const sqlApi = {
  ...api.sql,
  /** `space`: the job's, whose variables and file folders judge the script. */
  validate: (sql: string, space?: string, asJob = true) => api.sql.validate(sql, asJob, undefined, space),
  /** Rows and status of a debug run as they happen (server-sent events); returns the unsubscribe. */
  followDebug(
    id: string,
    on: { status: (run: DebugRunView) => void; row: (row: DebugRow) => void; end: () => void },
  ): () => void {
    const source = new EventSource(api.sql.debugResultsUrl(id));
    source.addEventListener('status', (e) =>
      on.status(JSON.parse((e as MessageEvent<string>).data) as DebugRunView),
    );
    source.addEventListener('row', (e) => on.row(JSON.parse((e as MessageEvent<string>).data) as DebugRow));
    source.addEventListener('end', () => {
      source.close();
      on.end();
    });
    return () => source.close();
  },
};

export const useExamples = () =>
  useQuery({ queryKey: ['examples'], queryFn: sqlApi.examples, staleTime: Infinity });
export const useLineageGraph = (job?: string) =>
  useQuery({ queryKey: ['lineage', job ?? ''], queryFn: () => sqlApi.graph(job) });
