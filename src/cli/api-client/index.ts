import { ClustersApi } from './clusters.ts';
import { EnginesApi } from './engines.ts';
import { HttpClient } from './http.ts';
import { JobsApi } from './jobs.ts';
import { OperationsApi } from './operations.ts';
import { SqlApi } from './sql.ts';
import { WorkspaceApi } from './workspace.ts';

export class SluiceApi {
  readonly engines: EnginesApi;
  readonly clusters: ClustersApi;
  readonly jobs: JobsApi;
  readonly operations: OperationsApi;
  readonly sql: SqlApi;
  readonly workspace: WorkspaceApi;

  readonly baseUrl: string;
  private readonly http: HttpClient;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    const http = (this.http = new HttpClient(this.baseUrl));
    this.engines = new EnginesApi(http);
    this.clusters = new ClustersApi(http);
    this.jobs = new JobsApi(http);
    this.operations = new OperationsApi(http);
    this.sql = new SqlApi(http);
    this.workspace = new WorkspaceApi(http);
  }

  /** The server's health and version (`GET /health`). */
  health(signal?: AbortSignal): Promise<{ status: string; version: string }> {
    return this.http.request('GET', '/health', undefined, signal);
  }
}

export { ApiError } from './http.ts';
export { EventStream, SseStream } from './events.ts';
