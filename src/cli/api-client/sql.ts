import type { PlannerReport } from '../../application/sql-service.ts';
import type { SyntaxReport } from '../../domain/sql/syntax.ts';
import type { HttpClient } from './http.ts';

export class SqlApi {
  constructor(private readonly http: HttpClient) {}
  validate = (sql: string, asJob = false): Promise<SyntaxReport> =>
    this.http.request('POST', '/sql/validate', { sql, asJob });
  explain = (sql: string, clusterName?: string): Promise<PlannerReport> =>
    this.http.request('POST', '/sql/explain', { sql, clusterName });
}
