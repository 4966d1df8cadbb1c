import { useQuery } from '@tanstack/react-query';
import type { DebugRow, DebugRunRequest, DebugRunView } from '../../../application/sql-debug.ts';
import type { PlannerReport } from '../../../application/sql-service.ts';
import type { SqlExample } from '../../../domain/sql/examples.ts';
import type { LineageGraph } from '../../../domain/sql/lineage-graph.ts';
import type { ScriptLineage } from '../../../domain/sql/lineage.ts';
import type { SqlProblem, SyntaxReport } from '../../../domain/sql/syntax.ts';
import { enc, request } from './http.ts';

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

export const sqlApi = {
  validate: (sql: string, asJob = true) => request<SyntaxReport>('POST', '/sql/validate', { sql, asJob }),
  explain: (sql: string, clusterName?: string, catalogs?: string[]) =>
    request<PlannerReport>('POST', '/sql/explain', { sql, clusterName, catalogs }),
  lineage: (sql: string) => request<ScriptLineage>('POST', '/sql/lineage', { sql }),
  graph: (job?: string) => request<LineageGraph>('GET', `/lineage${job ? `?job=${enc(job)}` : ''}`),
  examples: () => request<SqlExample[]>('GET', '/sql/examples'),
  startDebug: (req: DebugRunRequest) => request<DebugRunView>('POST', '/sql/debug', req),
  stopDebug: (id: string) => request<DebugRunView>('POST', `/sql/debug/${enc(id)}/stop`),
  /** Rows and status of a debug run as they happen (server-sent events); returns the unsubscribe. */
  followDebug(
    id: string,
    on: { status: (run: DebugRunView) => void; row: (row: DebugRow) => void; end: () => void },
  ): () => void {
    const source = new EventSource(`/api/v1/sql/debug/${enc(id)}/results`);
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
