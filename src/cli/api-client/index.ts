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

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    const http = new HttpClient(this.baseUrl);
    this.engines = new EnginesApi(http);
    this.clusters = new ClustersApi(http);
    this.jobs = new JobsApi(http);
    this.operations = new OperationsApi(http);
    this.sql = new SqlApi(http);
    this.workspace = new WorkspaceApi(http);
  }
}

export { ApiError } from './http.ts';
export { EventStream, SseStream } from './events.ts';
