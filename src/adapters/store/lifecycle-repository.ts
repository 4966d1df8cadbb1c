import type { Message } from '../../domain/messages.ts';
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { LifecycleState } from '../../domain/jobs/lifecycle.ts';
import type { JobEvent, SavepointRecord, Submission } from '../../domain/jobs/submission.ts';
import type { Database, SubmissionsTable } from './schema.ts';
import type {
  KeptRunGraph,
  LifecycleStore,
  NewSubmission,
  SubmissionPatch,
} from '../../application/ports/store.ts';
import type { RunGraphShape } from '../../domain/metrics/job-graph.ts';

const toSubmission = (r: Selectable<SubmissionsTable>): Submission => ({
  id: r.id,
  jobId: r.job_id,
  number: r.number,
  kind: r.kind as Submission['kind'],
  versionNumber: r.version_number,
  status: r.status as Submission['status'],
  previousState: r.previous_state as LifecycleState,
  flinkJobId: r.flink_job_id,
  savepointPath: r.savepoint_path,
  uploadedJarId: r.uploaded_jar_id,
  params: JSON.parse(r.params),
  steps: JSON.parse(r.steps),
  failedStep: r.failed_step,
  error: r.error,
  errorMessage: r.error_message ? (JSON.parse(r.error_message) as Message) : null,
  rootCause: r.root_cause,
  author: r.author,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** Submissions, state-transition events and savepoint records of jobs. */
export class LifecycleRepository implements LifecycleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createSubmission(s: NewSubmission): Promise<Submission> {
    const id = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const last = await tx
        .selectFrom('submissions')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('job_id', '=', s.jobId)
        .executeTakeFirst();
      await tx
        .insertInto('submissions')
        .values({
          id,
          job_id: s.jobId,
          number: Number(last?.n ?? 0) + 1,
          kind: s.kind,
          version_number: s.versionNumber,
          status: s.status,
          previous_state: s.previousState,
          flink_job_id: s.flinkJobId,
          savepoint_path: s.savepointPath,
          uploaded_jar_id: null,
          params: JSON.stringify(s.params),
          steps: JSON.stringify(s.steps),
          failed_step: s.failedStep,
          error: s.error,
          error_message: s.errorMessage ? JSON.stringify(s.errorMessage) : null,
          root_cause: s.rootCause,
          author: s.author,
          created_at: new Date().toISOString(),
          finished_at: null,
        })
        .execute();
    });
    return (await this.submission(id))!;
  }

  async updateSubmission(id: string, patch: SubmissionPatch): Promise<void> {
    const set: Updateable<SubmissionsTable> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.flinkJobId !== undefined) set.flink_job_id = patch.flinkJobId;
    if (patch.savepointPath !== undefined) set.savepoint_path = patch.savepointPath;
    if (patch.uploadedJarId !== undefined) set.uploaded_jar_id = patch.uploadedJarId;
    if (patch.steps !== undefined) set.steps = JSON.stringify(patch.steps);
    if (patch.failedStep !== undefined) set.failed_step = patch.failedStep;
    if (patch.error !== undefined) set.error = patch.error;
    if (patch.errorMessage !== undefined)
      set.error_message = patch.errorMessage ? JSON.stringify(patch.errorMessage) : null;
    if (patch.rootCause !== undefined) set.root_cause = patch.rootCause;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    await this.db.updateTable('submissions').set(set).where('id', '=', id).execute();
  }

  async submission(id: string): Promise<Submission | undefined> {
    const r = await this.db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toSubmission(r);
  }

  async submissionByNumber(jobId: string, n: number): Promise<Submission | undefined> {
    const r = await this.db
      .selectFrom('submissions')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('number', '=', n)
      .executeTakeFirst();
    return r && toSubmission(r);
  }

  async submissions(jobId: string): Promise<Submission[]> {
    return (
      await this.db
        .selectFrom('submissions')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('number')
        .execute()
    ).map(toSubmission);
  }

  async runningSubmissions(): Promise<Submission[]> {
    return (
      await this.db
        .selectFrom('submissions')
        .selectAll()
        .where('status', '=', 'running')
        .orderBy('created_at')
        .execute()
    ).map(toSubmission);
  }

  async addEvent(e: Omit<JobEvent, 'id' | 'at'>): Promise<JobEvent> {
    const at = new Date().toISOString();
    const row = await this.db
      .insertInto('job_events')
      .values({
        job_id: e.jobId,
        from_state: e.from,
        to_state: e.to,
        reason: e.reason,
        reason_message: e.reasonMessage ? JSON.stringify(e.reasonMessage) : null,
        source: e.source,
        submission_id: e.submissionId,
        at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...e, id: row.id, at };
  }

  async events(jobId: string): Promise<JobEvent[]> {
    const rows = await this.db
      .selectFrom('job_events')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      from: r.from_state as LifecycleState,
      to: r.to_state as LifecycleState,
      reason: r.reason,
      reasonMessage: r.reason_message ? (JSON.parse(r.reason_message) as Message) : null,
      source: r.source as JobEvent['source'],
      submissionId: r.submission_id,
      at: r.at,
    }));
  }

  async addSavepoint(s: Omit<SavepointRecord, 'id' | 'createdAt'>): Promise<SavepointRecord> {
    const rec = { ...s, id: randomUUID(), createdAt: new Date().toISOString() };
    await this.db
      .insertInto('savepoints')
      .values({
        id: rec.id,
        job_id: rec.jobId,
        submission_id: rec.submissionId,
        flink_job_id: rec.flinkJobId,
        path: rec.path,
        kind: rec.kind,
        origin: rec.origin,
        size_bytes: rec.sizeBytes,
        created_at: rec.createdAt,
      })
      .execute();
    return rec;
  }

  /** Newest first. */
  async savepoints(jobId: string): Promise<SavepointRecord[]> {
    const rows = await this.db
      .selectFrom('savepoints')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      submissionId: r.submission_id,
      flinkJobId: r.flink_job_id,
      path: r.path,
      kind: r.kind as SavepointRecord['kind'],
      origin: r.origin as SavepointRecord['origin'],
      sizeBytes: r.size_bytes,
      createdAt: r.created_at,
    }));
  }

  async removeSavepoint(id: string): Promise<void> {
    await this.db.deleteFrom('savepoints').where('id', '=', id).execute();
  }

  async keepRunGraph(jobId: string, flinkJobId: string, shape: RunGraphShape): Promise<void> {
    const row = { job_id: jobId, shape: JSON.stringify(shape), kept_at: new Date().toISOString() };
    await this.db
      .insertInto('run_graphs')
      .values({ flink_job_id: flinkJobId, ...row })
      .onConflict((oc) => oc.column('flink_job_id').doUpdateSet(row))
      .execute();
  }

  async runGraph(flinkJobId: string): Promise<KeptRunGraph | undefined> {
    const r = await this.db
      .selectFrom('run_graphs')
      .selectAll()
      .where('flink_job_id', '=', flinkJobId)
      .executeTakeFirst();
    return (
      r && {
        jobId: r.job_id,
        flinkJobId: r.flink_job_id,
        shape: JSON.parse(r.shape) as RunGraphShape,
        keptAt: r.kept_at,
      }
    );
  }
}
