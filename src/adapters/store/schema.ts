import type { Generated } from 'kysely';

/** Table types shared by SQLite and PostgreSQL. JSON is stored as text so both dialects read it alike. */
export interface Database {
  engines: EnginesTable;
  clusters: ClustersTable;
  cluster_events: ClusterEventsTable;
  jobs: JobsTable;
}

export interface EnginesTable {
  version: string;
  flink_version: string;
  home: string;
  source: string;
  is_default: number;
  installed_at: string;
}

export interface ClustersTable {
  name: string;
  kind: string;
  engine_version: string;
  spec: string;
  created_at: string;
}

export interface ClusterEventsTable {
  id: Generated<number>;
  cluster_name: string;
  process_id: string;
  kind: string;
  detail: string;
  at: string;
}

export interface JobsTable {
  id: string;
  name: string;
  description: string;
  kind: string;
  sql: string;
  options: string;
  parallelism: number;
  engine_version: string;
  cluster_name: string;
  flink_job_id: string | null;
  created_at: string;
  updated_at: string;
}
