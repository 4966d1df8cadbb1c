import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { SluiceError } from '../../domain/errors.ts';
import type { Job } from '../../domain/jobs/job.ts';
import type { ArtifactRef } from '../../domain/artifacts/artifact.ts';
import type { Message } from '../../domain/messages.ts';
import type { LifecycleState } from '../../domain/jobs/lifecycle.ts';
import { normalizeRestartPolicy } from '../../domain/jobs/restart-policy.ts';
import {
  contentHash,
  type JarJobContent,
  type JobContent,
  type JobVersion,
  type SqlJobContent,
} from '../../domain/jobs/versions.ts';
import type { Database, JobsTable } from './schema.ts';
import { message as say } from '../../domain/messages.ts';
import { contentOf } from '../../domain/jobs/job.ts';
import type { JobStore, RuntimePatch } from '../../application/ports/store.ts';
import { requireSpace } from './new-in-space.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

const toJob = (r: Selectable<JobsTable>): Job => {
  const common = {
    id: r.id,
    name: r.name,
    description: r.description,
    options: JSON.parse(r.options) as Record<string, string>,
    parallelism: r.parallelism,
    engineVersion: r.engine_version,
    target: r.target_name,
    restartPolicy: normalizeRestartPolicy(JSON.parse(r.restart_policy)),
    resubmitPolicy: JSON.parse(r.resubmit_policy) as Job['resubmitPolicy'],
    flinkJobId: r.flink_job_id,
    currentVersion: r.current_version,
    deployedVersion: r.deployed_version,
    state: r.state as LifecycleState,
    stateReason: r.state_reason,
    stateReasonMessage: r.state_reason_message ? (JSON.parse(r.state_reason_message) as Message) : null,
    stateSince: r.state_since,
    lastKnownState: r.last_known_state as LifecycleState | null,
    desiredState: r.desired_state as Job['desiredState'],
    submissionInFlight: r.submission_in_flight as Job['submissionInFlight'],
    resubmissions: r.resubmissions,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  return r.kind === 'jar'
    ? {
        ...common,
        kind: 'jar',
        jar: JSON.parse(r.jar!) as ArtifactRef,
        entryClass: r.entry_class,
        args: JSON.parse(r.args) as string[],
        classpath: JSON.parse(r.classpath) as ArtifactRef[],
      }
    : {
        ...common,
        kind: 'sql',
        sql: r.sql ?? '',
        catalogs: JSON.parse(r.catalogs) as string[],
        artifacts: JSON.parse(r.artifacts) as ArtifactRef[],
      };
};

/** A row holds the fields of its kind; the other kind's are empty. */
const contentColumns = (c: JobContent) => ({
  kind: c.kind,
  description: c.description,
  options: JSON.stringify(c.options),
  parallelism: c.parallelism,
  engine_version: c.engineVersion,
  target_name: c.target,
  restart_policy: JSON.stringify(c.restartPolicy),
  resubmit_policy: JSON.stringify(c.resubmitPolicy),
  sql: c.kind === 'sql' ? c.sql : null,
  catalogs: JSON.stringify(c.kind === 'sql' ? c.catalogs : []),
  artifacts: JSON.stringify(c.kind === 'sql' ? c.artifacts : []),
  jar: c.kind === 'jar' ? JSON.stringify(c.jar) : null,
  entry_class: c.kind === 'jar' ? c.entryClass : null,
  args: JSON.stringify(c.kind === 'jar' ? c.args : []),
  classpath: JSON.stringify(c.kind === 'jar' ? c.classpath : []),
});

export { contentOf };

export type { RuntimePatch };

export class JobRepository implements JobStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** A job and its version 1, together or not at all. */
  async create(
    name: string,
    content: JobContent,
    author: string,
    message: string,
    space: string = DEFAULT_SPACE,
  ): Promise<Job> {
    const now = new Date().toISOString();
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      await requireSpace(tx, space);
      await tx
        .insertInto('jobs')
        .values({
          id,
          name,
          space,
          ...contentColumns(content),
          flink_job_id: null,
          created_at: now,
          updated_at: now,
          current_version: 1,
          state_since: now,
        })
        .execute();
      await insertVersion(tx, id, 1, content, author, message, now);
    });
    return (await this.getByName(name))!;
  }

  /**
   * Saves a new version on top of `baseVersion`. If someone saved in between, nothing is written and
   * the conflict names both versions.
   */
  async saveVersion(
    jobId: string,
    baseVersion: number,
    content: JobContent,
    author: string,
    message: string,
  ): Promise<JobVersion> {
    const now = new Date().toISOString();
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('jobs')
        .set({ ...contentColumns(content), current_version: baseVersion + 1, updated_at: now })
        .where('id', '=', jobId)
        .where('current_version', '=', baseVersion)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        const cur = await tx
          .selectFrom('jobs')
          .select('current_version')
          .where('id', '=', jobId)
          .executeTakeFirst();
        throw new SluiceError(
          'conflict',
          say('job.changedSince', { base: baseVersion, current: cur?.current_version ?? '?' }),
          { baseVersion, currentVersion: cur?.current_version ?? null },
        );
      }
      return insertVersion(tx, jobId, baseVersion + 1, content, author, message, now);
    });
  }

  async versions(jobId: string): Promise<JobVersion[]> {
    const rows = await this.db
      .selectFrom('job_versions')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('number')
      .execute();
    return rows.map(toVersion);
  }

  async version(jobId: string, n: number): Promise<JobVersion | undefined> {
    const r = await this.db
      .selectFrom('job_versions')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('number', '=', n)
      .executeTakeFirst();
    return r && toVersion(r);
  }

  async getByName(name: string): Promise<Job | undefined> {
    const r = await this.db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toJob(r);
  }

  async getById(id: string): Promise<Job | undefined> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toJob(r);
  }

  async list(): Promise<Job[]> {
    return (await this.db.selectFrom('jobs').selectAll().orderBy('name').execute()).map(toJob);
  }

  /** Jobs the tracker watches: a Flink job id and a state that is not final. */
  async tracked(): Promise<Job[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('flink_job_id', 'is not', null)
      .where('state', 'not in', ['CREATED', 'FINISHED', 'STOPPED', 'FAILED', 'CANCELLED'])
      .execute();
    return rows.map(toJob);
  }

  async updateRuntime(id: string, patch: RuntimePatch): Promise<void> {
    const set: Updateable<JobsTable> = { updated_at: new Date().toISOString() };
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.stateReason !== undefined) set.state_reason = patch.stateReason;
    if (patch.stateReasonMessage !== undefined)
      set.state_reason_message = patch.stateReasonMessage ? JSON.stringify(patch.stateReasonMessage) : null;
    if (patch.stateSince !== undefined) set.state_since = patch.stateSince;
    if (patch.lastKnownState !== undefined) set.last_known_state = patch.lastKnownState;
    if (patch.desiredState !== undefined) set.desired_state = patch.desiredState;
    if (patch.submissionInFlight !== undefined) set.submission_in_flight = patch.submissionInFlight;
    if (patch.flinkJobId !== undefined) set.flink_job_id = patch.flinkJobId;
    if (patch.deployedVersion !== undefined) set.deployed_version = patch.deployedVersion;
    if (patch.resubmissions !== undefined) set.resubmissions = patch.resubmissions;
    await this.db.updateTable('jobs').set(set).where('id', '=', id).execute();
  }

  /** Deletes the job and everything recorded about it (savepoint files stay on disk). */
  async remove(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const t of [
        'job_versions',
        'submissions',
        'job_events',
        'savepoints',
        'job_profiles',
        'run_graphs',
      ] as const)
        await tx.deleteFrom(t).where('job_id', '=', id).execute();
      await tx.deleteFrom('jobs').where('id', '=', id).execute();
    });
  }
}

async function insertVersion(
  tx: Transaction<Database>,
  jobId: string,
  number: number,
  content: JobContent,
  author: string,
  message: string,
  at: string,
): Promise<JobVersion> {
  const v = {
    job_id: jobId,
    number,
    author,
    message,
    content_hash: contentHash(content),
    content: JSON.stringify(content),
    created_at: at,
  };
  await tx.insertInto('job_versions').values(v).execute();
  return toVersion(v);
}

function toVersion(r: Selectable<Database['job_versions']>): JobVersion {
  return {
    jobId: r.job_id,
    number: r.number,
    author: r.author,
    message: r.message,
    contentHash: r.content_hash,
    content: versionContent(JSON.parse(r.content) as StoredContent),
    createdAt: r.created_at,
  };
}

/** A version's content as saved at any time: fields added later may be missing. */
type StoredContent = Record<string, unknown> & Omit<JobContent, 'kind' | 'restartPolicy'>;

/** A version as it reads today, whenever it was saved. */
function versionContent(c: StoredContent): JobContent {
  // Versions saved before migration 0010 name their target `clusterName`.
  const { clusterName, ...saved } = c as StoredContent & { clusterName?: string };
  const common = {
    ...saved,
    target: c.target ?? clusterName,
    restartPolicy: normalizeRestartPolicy(c.restartPolicy),
    // Versions saved before the resubmit policy never resubmitted on their own beside Flink's restarts.
    resubmitPolicy: (c.resubmitPolicy as JobContent['resubmitPolicy'] | undefined) ?? { kind: 'none' },
  };
  if (c.kind === 'jar') return { ...(common as unknown as JarJobContent), kind: 'jar' };
  // Versions saved before job kinds were SQL jobs; before catalogs or artifacts, they chose none.
  return {
    ...(common as unknown as SqlJobContent),
    kind: 'sql',
    catalogs: (c.catalogs as string[] | undefined) ?? [],
    artifacts: (c.artifacts as ArtifactRef[] | undefined) ?? [],
  };
}
