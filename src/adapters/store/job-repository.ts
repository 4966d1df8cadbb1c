import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Job } from '../../domain/jobs/job.ts';
import type { Database, JobsTable } from './schema.ts';

const toJob = (r: Selectable<JobsTable>): Job => ({
  id: r.id,
  name: r.name,
  description: r.description,
  kind: r.kind as Job['kind'],
  sql: r.sql,
  options: JSON.parse(r.options),
  parallelism: r.parallelism,
  engineVersion: r.engine_version,
  clusterName: r.cluster_name,
  flinkJobId: r.flink_job_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewJob = Omit<Job, 'id' | 'createdAt' | 'updatedAt' | 'flinkJobId'>;

export class JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(j: NewJob): Promise<Job> {
    const now = new Date().toISOString();
    const id = randomUUID();
    await this.db
      .insertInto('jobs')
      .values({
        id,
        name: j.name,
        description: j.description,
        kind: j.kind,
        sql: j.sql,
        options: JSON.stringify(j.options),
        parallelism: j.parallelism,
        engine_version: j.engineVersion,
        cluster_name: j.clusterName,
        flink_job_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.getByName(j.name))!;
  }

  async getByName(name: string): Promise<Job | undefined> {
    const r = await this.db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toJob(r);
  }

  async list(): Promise<Job[]> {
    return (await this.db.selectFrom('jobs').selectAll().orderBy('name').execute()).map(toJob);
  }

  async setFlinkJobId(id: string, flinkJobId: string | null): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ flink_job_id: flinkJobId, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('jobs').where('id', '=', id).execute();
  }
}
