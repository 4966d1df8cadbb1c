import type { DebugRow, DebugRunRequest, DebugRunView } from '../../application/sql-debug.ts';
import type { PlannerReport } from '../../application/sql-service.ts';
import type { SyntaxReport } from '../../domain/sql/syntax.ts';
import type { ScriptLineage } from '../../domain/sql/lineage.ts';
import type { LineageGraph } from '../../domain/sql/lineage-graph.ts';
import { SseStream } from './events.ts';
import type { SqlExample } from '../../domain/sql/examples.ts';
import type { OptionChangeReport } from '../../application/option-changes.ts';
import type { HttpClient } from './http.ts';

export type DebugStreamEvent = DebugRow | DebugRunView | { reason: string | null; state: string };

export class SqlApi {
  constructor(private readonly http: HttpClient) {}
  validate = (sql: string, asJob = false, engineVersion?: string): Promise<SyntaxReport> =>
    this.http.request('POST', '/sql/validate', { sql, asJob, engineVersion });
  explain = (sql: string, clusterName?: string): Promise<PlannerReport> =>
    this.http.request('POST', '/sql/explain', { sql, clusterName });
  lineage = (sql: string): Promise<ScriptLineage> => this.http.request('POST', '/sql/lineage', { sql });
  graph = (job?: string): Promise<LineageGraph> =>
    this.http.request('GET', `/lineage${job ? `?job=${encodeURIComponent(job)}` : ''}`);
  optionChanges = (body: {
    sql: string;
    options?: Record<string, string>;
    from: string;
    to: string;
  }): Promise<OptionChangeReport> => this.http.request('POST', '/sql/option-changes', body);
  examples = (): Promise<SqlExample[]> => this.http.request('GET', '/sql/examples');
  example = (name: string): Promise<SqlExample> =>
    this.http.request('GET', `/sql/examples/${encodeURIComponent(name)}`);
  startDebug = (req: DebugRunRequest): Promise<DebugRunView> => this.http.request('POST', '/sql/debug', req);
  debugRun = (id: string): Promise<DebugRunView> => this.http.request('GET', `/sql/debug/${id}`);
  stopDebug = (id: string): Promise<DebugRunView> => this.http.request('POST', `/sql/debug/${id}/stop`);
  /** Frames `status` (DebugRunView), `row` (DebugRow) and `end`. */
  debugResults = (id: string): Promise<SseStream<DebugStreamEvent>> =>
    SseStream.open(`${this.http.baseUrl}/api/v1/sql/debug/${encodeURIComponent(id)}/results`);
}
