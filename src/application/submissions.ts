import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../domain/errors.ts';
import { flinkJobEnded, type Job } from '../domain/jobs/job.ts';
import { isEnded, type LifecycleState } from '../domain/jobs/lifecycle.ts';
import type {
  Submission,
  SubmissionKind,
  SubmissionParams,
  SubmissionStep,
} from '../domain/jobs/submission.ts';
import { planSqlDeployment, statementSetSql, type SqlDeploymentPlan } from '../domain/sql/deployment-plan.ts';
import { setStatement } from '../domain/sql/statements.ts';
import type { DeploymentTarget } from '../domain/targets/deployment-target.ts';
import { SavepointFailed } from '../adapters/flink/rest/flink-rest-client.ts';
import { backoff, rootCauseOf, SqlGatewayError } from '../adapters/flink/sql-gateway/sql-gateway-client.ts';
import type { Store } from '../adapters/store/store.ts';
import type { ClusterService } from './cluster-service.ts';
import type { SluiceConfig } from './config.ts';
import type { EventBus } from './event-bus.ts';
import type { JobStates } from './job-states.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import type { Workspace } from './workspace.ts';

const RUNNING_DEADLINE_MS = 90_000;
const ENDED_DEADLINE_MS = 60_000;

/** A step failure: its message for people, Flink's root cause and full trace kept for the log. */
class StepFailure extends SluiceError {
  constructor(
    message: string,
    readonly rootCause: string | null,
    readonly trace: string | null,
  ) {
    super('flink_rejected', message, { rootCause });
  }
}

/** One submission while it runs: each step's start, end, status and log lines are persisted as they happen. */
class Run {
  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    readonly jobName: string,
    public submission: Submission,
  ) {}

  private async save(patch: Partial<Submission> = {}): Promise<void> {
    this.submission = { ...this.submission, ...patch };
    await this.store.lifecycle.updateSubmission(this.submission.id, {
      ...patch,
      steps: this.submission.steps,
    });
    this.bus.publish({ type: 'submission', jobName: this.jobName, submission: this.submission });
  }

  async step<T>(name: string, fn: (log: (line: string) => void) => Promise<T>): Promise<T> {
    const s: SubmissionStep = {
      name,
      status: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      log: [],
    };
    this.submission.steps.push(s);
    await this.save();
    const log = (line: string) => {
      s.log.push(`${new Date().toISOString()} ${maskKnownSecrets(line)}`);
      void this.save();
    };
    try {
      const result = await fn(log);
      Object.assign(s, { status: 'succeeded', endedAt: new Date().toISOString() });
      await this.save();
      return result;
    } catch (e) {
      const failure = masked(asFailure(e));
      s.log.push(`${new Date().toISOString()} failed: ${failure.message}`);
      if (failure.trace) s.log.push(failure.trace);
      Object.assign(s, { status: 'failed', endedAt: new Date().toISOString() });
      await this.save({
        failedStep: name,
        error: `step "${name}" failed: ${failure.message}`,
        rootCause: failure.rootCause,
      });
      throw failure;
    }
  }

  async finish(status: Submission['status'], patch: Partial<Submission> = {}): Promise<void> {
    await this.save({ ...patch, status, finishedAt: new Date().toISOString() });
  }

  async note(line: string): Promise<void> {
    const last = this.submission.steps.at(-1);
    if (last) last.log.push(`${new Date().toISOString()} ${maskKnownSecrets(line)}`);
    await this.save();
  }
}

/** A failure as it may be stored and shown: Flink's messages can quote a secret option. */
function masked(f: StepFailure): StepFailure {
  return new StepFailure(
    maskKnownSecrets(f.message),
    f.rootCause === null ? null : maskKnownSecrets(f.rootCause),
    f.trace === null ? null : maskKnownSecrets(f.trace),
  );
}

function asFailure(e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  if (e instanceof SqlGatewayError) return new StepFailure(e.message, e.rootCause, e.trace);
  if (e instanceof SavepointFailed)
    return new StepFailure(
      `Flink could not take the savepoint: ${rootCauseOf(e.trace)}`,
      rootCauseOf(e.trace),
      e.trace,
    );
  const msg = (e as Error)?.message ?? String(e);
  return new StepFailure(msg, null, null);
}

/** Runs submissions in the background; the API answers with the submission at once. */
export class SubmissionRunner {
  private readonly running = new Map<string, Promise<void>>();
  /** Called when a deployed Flink job failed at run time (the restart policy listens). */
  onRuntimeFailure: (job: Job) => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly states: JobStates,
    private readonly clusters: ClusterService,
    private readonly config: SluiceConfig,
    private readonly workspace: Workspace,
  ) {}

  savepointDir(job: Job): string {
    return `${this.config.savepointDir.replace(/\/$/, '')}/${job.name}`;
  }

  /** Checks the request against the job's state, records the submission, and starts it. */
  async launch(
    job: Job,
    kind: SubmissionKind,
    params: SubmissionParams,
    author: string,
  ): Promise<Submission> {
    if (job.operation) {
      const current = (await this.store.lifecycle.submissions(job.id))
        .filter((s) => s.status === 'running')
        .at(-1);
      throw new SluiceError(
        'conflict',
        `job ${job.name} is busy: ${job.operation}${current ? ` (submission #${current.number})` : ''}; wait for it to finish`,
      );
    }
    this.checkState(job, kind);
    const versionNumber =
      kind === 'start' || kind === 'upgrade'
        ? job.currentVersion
        : (job.deployedVersion ?? job.currentVersion);
    const submission = await this.store.lifecycle.createSubmission({
      jobId: job.id,
      kind,
      versionNumber,
      status: 'running',
      previousState: job.state,
      flinkJobId: null,
      savepointPath: null,
      params,
      steps: [],
      failedStep: null,
      error: null,
      rootCause: null,
      author,
    });
    const reason = `${kind} requested by ${author} (submission #${submission.number})`;
    const opts = { submissionId: submission.id };
    if (kind === 'start')
      await this.states.move(job, 'STARTING', reason, 'user', {
        ...opts,
        patch: { operation: 'starting', desiredState: 'running' },
      });
    if (kind === 'restart')
      await this.states.move(job, 'STARTING', reason, 'platform', {
        ...opts,
        patch: { operation: 'restarting' },
      });
    if (kind === 'stop')
      await this.states.move(job, 'STOPPING', reason, 'user', {
        ...opts,
        patch: { operation: 'stopping', desiredState: 'stopped' },
      });
    if (kind === 'upgrade')
      await this.states.move(job, 'STOPPING', reason, 'user', {
        ...opts,
        patch: { operation: 'upgrading', desiredState: 'running' },
      });
    if (kind === 'cancel')
      await this.states.move(job, 'CANCELLING', reason, 'user', {
        ...opts,
        patch: { operation: 'cancelling', desiredState: 'stopped' },
      });
    if (kind === 'savepoint') await this.store.jobs.updateRuntime(job.id, { operation: 'savepointing' });
    const run = new Run(this.store, this.bus, job.name, submission);
    const done = this.execute(run, kind).finally(() => this.running.delete(submission.id));
    this.running.set(submission.id, done);
    return submission;
  }

  private checkState(job: Job, kind: SubmissionKind): void {
    const s = job.state;
    const live = ['RUNNING', 'NOT_RUNNING', 'JM_RUNNING', 'PODS_RUNNING'].includes(s);
    const refuse = (why: string) => {
      throw new SluiceError('conflict', `cannot ${kind} job ${job.name}: ${why}`, { state: s });
    };
    if (kind === 'start' && !(s === 'CREATED' || isEnded(s)))
      refuse(
        s === 'UNKNOWN'
          ? `the platform cannot see it right now (last seen ${job.lastKnownState}); wait, or cancel it`
          : `it is already ${s} as Flink job ${job.flinkJobId}; stop it before starting it again`,
      );
    if (kind === 'restart' && s !== 'FAILED') refuse(`it is ${s}, not FAILED`);
    if ((kind === 'stop' || kind === 'cancel') && !live && s !== 'UNKNOWN') refuse(`it is ${s}, not running`);
    if ((kind === 'savepoint' || kind === 'upgrade') && s !== 'RUNNING')
      refuse(`it is ${s}; a savepoint needs a RUNNING job`);
    if (kind !== 'start' && kind !== 'restart' && !job.flinkJobId) refuse('it has no Flink job');
  }

  private async execute(run: Run, kind: SubmissionKind): Promise<void> {
    const job = (await this.store.jobs.getById(run.submission.jobId))!;
    try {
      if (kind === 'start' || kind === 'restart') await this.deploy(run, job, run.submission.params);
      if (kind === 'stop') await this.stop(run, job, run.submission.params.drain ?? false);
      if (kind === 'cancel') await this.cancel(run, job);
      if (kind === 'savepoint') await this.savepoint(run, job);
      if (kind === 'upgrade') {
        const savepoint = await this.stop(run, job, false);
        const stopped = (await this.store.jobs.getById(job.id))!;
        const moved = await this.states.move(
          stopped,
          'STARTING',
          `upgrade to version ${run.submission.versionNumber} from savepoint ${savepoint}`,
          'platform',
          {
            submissionId: run.submission.id,
            patch: { operation: 'upgrading', desiredState: 'running' },
          },
        );
        await this.deploy(run, moved, {
          fromSavepoint: savepoint,
          allowNonRestoredState: run.submission.params.allowNonRestoredState,
        });
      }
      await run.finish('succeeded');
    } catch (e) {
      await this.failed(run, asFailure(e));
    }
  }

  /** After a failed step: the job's state is what is true now, with the step and cause as reason. */
  private async failed(run: Run, failure: StepFailure): Promise<void> {
    await run.finish('failed');
    const job = (await this.store.jobs.getById(run.submission.jobId))!;
    const why = `${run.submission.kind} failed at step "${run.submission.failedStep}": ${failure.rootCause ?? failure.message}`;
    const opts = { submissionId: run.submission.id };
    const target = await this.clusters.target(job.clusterName).catch(() => null);
    const observed =
      job.flinkJobId && target
        ? await target.jobState(job.flinkJobId).catch(() => 'absent' as const)
        : 'absent';
    if (['STARTING', 'JM_RUNNING', 'PODS_RUNNING'].includes(job.state)) {
      // Nothing keeps running for a start that failed: cancel a Flink job that was created but never ran.
      if (observed !== 'absent' && !['FAILED', 'CANCELED', 'FINISHED'].includes(observed))
        await target?.cancel(job.flinkJobId!).catch(() => undefined);
      // A Flink job that ran and failed is a runtime failure (the restart policy applies); a start that
      // never reached Flink, or was refused by it, is not.
      const ranAndFailed = observed === 'FAILED';
      const moved = await this.states.move(
        job,
        'FAILED',
        observed === 'absent' ? `${why}; no Flink job was created` : why,
        'platform',
        {
          ...opts,
          patch: {
            operation: null,
            desiredState: ranAndFailed ? 'running' : 'stopped',
            flinkJobId: observed === 'absent' ? null : job.flinkJobId,
          },
        },
      );
      if (ranAndFailed) this.onRuntimeFailure(moved);
      return;
    }
    // A stop, cancel or savepoint that failed leaves the job as Flink reports it.
    const back: LifecycleState =
      observed === 'RUNNING'
        ? 'RUNNING'
        : observed === 'absent'
          ? 'FAILED'
          : observed === 'FAILED'
            ? 'FAILED'
            : 'NOT_RUNNING';
    if (job.state === back || run.submission.kind === 'savepoint')
      await this.store.jobs.updateRuntime(job.id, { operation: null });
    else
      await this.states.move(
        job,
        back,
        `${why}; the job is ${observed === 'absent' ? 'gone from the cluster' : `${observed} in Flink`}`,
        'platform',
        { ...opts, patch: { operation: null } },
      );
  }

  /** resolve version -> validate -> prepare cluster -> open SQL session -> apply options -> create tables -> submit -> wait until running */
  private async deploy(run: Run, job: Job, params: SubmissionParams): Promise<void> {
    const n = run.submission.versionNumber;
    const version = await run.step('resolve version', async (log) => {
      const v = await this.store.jobs.version(job.id, n);
      if (!v) throw new SluiceError('not_found', `version ${n} of job ${job.name} does not exist`);
      log(
        `version ${v.number} (content ${v.contentHash.slice(0, 12)}) saved by ${v.author} at ${v.createdAt}: ${v.message}`,
      );
      return v;
    });
    const { plan, savepoint, catalogs } = await run.step('validate', async (log) => {
      const engine = await this.clusters.engineVersionOf(version.content.clusterName);
      if (engine !== version.content.engineVersion)
        throw new SluiceError(
          'invalid_argument',
          `cluster ${version.content.clusterName} runs Flink ${engine} but version ${n} asks for ${version.content.engineVersion}`,
        );
      // Variables are substituted here and nowhere earlier: stored SQL keeps its ${name} references.
      const resolved = await this.workspace.variables.resolve(version.content.sql, version.content.options);
      if (resolved.used.length)
        log(
          `variables substituted: ${resolved.used.join(', ')}${resolved.secretsUsed.length ? ` (${resolved.secretsUsed.length} secret, masked in this log)` : ''}`,
        );
      const p: SqlDeploymentPlan = planSqlDeployment(resolved.sql, {
        'pipeline.name': job.name,
        'parallelism.default': String(version.content.parallelism),
        // Checkpoints survive a failure or cancel, so a restart can resume from the latest one.
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
        ...resolved.options,
      });
      const catalogStatements = await this.workspace.catalogs.statements(version.content.catalogs);
      const sp = await this.resolveSavepoint(job, params, log);
      log(
        `${p.setup.length} setup statements, ${p.inserts.length} INSERT statements as one statement set${sp ? `, restoring from ${sp}` : ''}`,
      );
      return { plan: p, savepoint: sp, catalogs: catalogStatements };
    });
    const target = await run.step('prepare cluster', async (log) => {
      const t = await this.clusters.target(version.content.clusterName);
      const ready = await t.prepare(log);
      let current = (await this.store.jobs.getById(job.id))!;
      current = await this.states.move(
        current,
        'JM_RUNNING',
        `the JobManager of cluster ${t.name} answers at ${ready.jobManager}`,
        'platform',
        { submissionId: run.submission.id },
      );
      await this.states.move(
        current,
        'PODS_RUNNING',
        `${ready.taskManagers} TaskManager(s) registered on cluster ${t.name}`,
        'platform',
        { submissionId: run.submission.id },
      );
      log(`cluster ${t.name} (${t.kind}) is ready: ${ready.taskManagers} TaskManager(s)`);
      return t;
    });
    const session = await run.step('open SQL session', async (log) => {
      const s = await target.openSqlSession(`sluice-${job.name}-${run.submission.number}`);
      log('SQL session opened');
      return s;
    });
    try {
      await run.step('apply options', async (log) => {
        const options = { ...plan.options };
        if (savepoint) {
          options['execution.savepoint.path'] = savepoint;
          options['execution.savepoint.ignore-unclaimed-state'] = String(
            params.allowNonRestoredState ?? false,
          );
        }
        for (const [k, v] of Object.entries(options)) {
          await session.execute(setStatement(k, v));
          log(`SET '${k}' = '${v}'`);
        }
      });
      if (catalogs.length)
        await run.step('create catalogs', async (log) => {
          for (const c of catalogs) {
            try {
              await session.execute(c.statement);
            } catch (e) {
              if (e instanceof SqlGatewayError)
                throw new StepFailure(
                  `Flink could not create catalog ${c.name}: ${e.rootCause}`,
                  e.rootCause,
                  e.trace,
                );
              throw e;
            }
            log(`catalog ${c.name} created`);
          }
        });
      await run.step('create tables', async (log) => {
        for (const stmt of plan.setup) {
          try {
            await session.execute(stmt.text);
          } catch (e) {
            if (e instanceof SqlGatewayError)
              throw new StepFailure(
                `Flink rejected the statement at line ${stmt.line}: ${e.rootCause}`,
                e.rootCause,
                e.trace,
              );
            throw e;
          }
          log(`line ${stmt.line}: ${stmt.text.split('\n')[0]!.slice(0, 80)}: OK`);
        }
      });
      const flinkJobId = await run.step('submit', async (log) => {
        // The id is chosen here and recorded before Flink sees the job: after a crash the platform
        // looks for exactly this id, and Flink itself refuses a second job with it. A start that a
        // platform restart rolled back hands its id on, in case the gateway still submits it late.
        const inherited = await this.interruptedReservation(job, run.submission.number);
        if (inherited) {
          const seen = await target.observeJob(inherited.id);
          if (seen !== 'absent') {
            log(
              `Flink job ${inherited.id} of interrupted submission #${inherited.number} exists (${seen.state}): attaching to it, not submitting again`,
            );
            await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: inherited.id });
            run.submission.flinkJobId = inherited.id;
            await this.store.jobs.updateRuntime(job.id, { flinkJobId: inherited.id });
            return inherited.id;
          }
          log(`reusing Flink job id ${inherited.id} reserved by interrupted submission #${inherited.number}`);
        }
        const id = inherited?.id ?? randomBytes(16).toString('hex');
        await session.execute(`SET '$internal.pipeline.job-id' = '${id}'`);
        await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: id });
        run.submission.flinkJobId = id;
        await this.store.jobs.updateRuntime(job.id, { flinkJobId: id });
        log(`Flink job id ${id} reserved`);
        try {
          const r = await session.execute(statementSetSql(plan.inserts));
          if (r.jobId !== id)
            throw new SluiceError('internal', `Flink started job ${r.jobId} instead of the reserved ${id}`);
        } catch (e) {
          if (e instanceof SqlGatewayError) {
            const lines = plan.inserts.map((s) => s.line);
            const where =
              lines.length === 1
                ? `the INSERT statement at line ${lines[0]}`
                : `the INSERT statements at lines ${lines.join(', ')}`;
            throw new StepFailure(`Flink rejected ${where}: ${e.rootCause}`, e.rootCause, e.trace);
          }
          throw e;
        }
        log(`Flink job ${id} submitted`);
        return id;
      });
      await run.step('wait until running', async (log) => {
        const deadline = Date.now() + RUNNING_DEADLINE_MS;
        const wait = backoff(20, 500);
        let last = '';
        for (;;) {
          const seen = await target.observeJob(flinkJobId);
          const state = seen === 'absent' ? 'absent' : seen.state;
          const line =
            seen === 'absent'
              ? 'the cluster does not know the job'
              : `Flink reports ${seen.state}, ${seen.tasks}`;
          if (line !== last) log((last = line));
          if (seen !== 'absent' && ((state === 'RUNNING' && seen.allTasksRunning) || state === 'FINISHED'))
            break;
          if (state === 'FAILED' || state === 'CANCELED' || state === 'absent') {
            const cause = await target.failureCause(flinkJobId);
            throw new StepFailure(
              `the Flink job ended ${state} before running${cause ? `: ${cause.rootCause}` : ''}`,
              cause?.rootCause ?? null,
              cause?.trace ?? null,
            );
          }
          if (Date.now() > deadline)
            throw new SluiceError(
              'engine_unavailable',
              `the Flink job is still ${state} after ${RUNNING_DEADLINE_MS / 1000} s (not enough free slots?)`,
            );
          await wait();
        }
        const current = (await this.store.jobs.getById(job.id))!;
        await this.states.move(
          current,
          'RUNNING',
          `Flink job ${flinkJobId} is RUNNING with all tasks running (version ${n})`,
          'flink',
          {
            submissionId: run.submission.id,
            patch: {
              operation: null,
              deployedVersion: n,
              ...(run.submission.kind === 'restart' ? {} : { restartAttempts: 0 }),
            },
          },
        );
      });
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /** The Flink job id reserved by the previous submission, if a platform restart rolled it back. */
  private async interruptedReservation(
    job: Job,
    number: number,
  ): Promise<{ id: string; number: number } | null> {
    const previous = await this.store.lifecycle.submissionByNumber(job.id, number - 1);
    return previous?.status === 'rolled_back' && previous.flinkJobId
      ? { id: previous.flinkJobId, number: previous.number }
      : null;
  }

  private async resolveSavepoint(
    job: Job,
    params: SubmissionParams,
    log: (l: string) => void,
  ): Promise<string | null> {
    if (!params.fromSavepoint) return null;
    if (params.fromSavepoint === 'latest') {
      const latest = (await this.store.lifecycle.savepoints(job.id))[0];
      if (!latest)
        throw new SluiceError(
          'precondition_failed',
          `job ${job.name} has no savepoint or retained checkpoint recorded: start it without --from-savepoint, or give a path`,
        );
      log(`latest ${latest.kind}: ${latest.path} (${latest.origin}, ${latest.createdAt})`);
      return latest.path;
    }
    const p = params.fromSavepoint;
    const local = localPath(p);
    if (local) {
      if (!fs.existsSync(local))
        throw new SluiceError('invalid_argument', `savepoint ${p} does not exist on this machine`, {
          field: 'fromSavepoint',
        });
    }
    return p;
  }

  /** Stop-with-savepoint; resolves with the savepoint path once Flink reports the job ended. */
  private async stop(run: Run, job: Job, drain: boolean): Promise<string> {
    const target = await this.clusters.target(job.clusterName);
    const id = job.flinkJobId!;
    const location = await run.step('stop with savepoint', async (log) => {
      log(
        `stopping Flink job ${id}${drain ? ' with drain (windows are flushed)' : ''}; savepoint into ${this.savepointDir(job)}`,
      );
      const p = await target.stopWithSavepoint(id, this.savepointDir(job), drain);
      log(`savepoint completed at ${p}`);
      await this.recordSavepoint(
        job,
        run,
        id,
        p,
        'savepoint',
        run.submission.kind === 'upgrade' ? 'upgrade' : 'stop',
      );
      await this.store.lifecycle.updateSubmission(run.submission.id, { savepointPath: p });
      run.submission.savepointPath = p;
      return p;
    });
    await run.step('wait until stopped', async (log) => {
      const state = await this.awaitEnded(target, id, log);
      const current = (await this.store.jobs.getById(job.id))!;
      await this.states.move(
        current,
        'STOPPED',
        `Flink job ${id} ${state} after stop-with-savepoint ${location}`,
        'flink',
        {
          submissionId: run.submission.id,
          patch: { operation: run.submission.kind === 'upgrade' ? 'upgrading' : null },
        },
      );
    });
    return location;
  }

  private async cancel(run: Run, job: Job): Promise<void> {
    const target = await this.clusters.target(job.clusterName);
    const id = job.flinkJobId!;
    await run.step('cancel', async (log) => {
      await target.cancel(id);
      log(`cancel of Flink job ${id} requested`);
    });
    await run.step('wait until cancelled', async (log) => {
      const state = await this.awaitEnded(target, id, log);
      const current = (await this.store.jobs.getById(job.id))!;
      const to: LifecycleState =
        state === 'FAILED' ? 'FAILED' : state === 'FINISHED' ? 'FINISHED' : 'CANCELLED';
      await this.states.move(current, to, `Flink job ${id} ${state} after cancel`, 'flink', {
        submissionId: run.submission.id,
        patch: { operation: null },
      });
    });
  }

  private async savepoint(run: Run, job: Job): Promise<void> {
    const target = await this.clusters.target(job.clusterName);
    await run.step('trigger savepoint', async (log) => {
      const p = await target.triggerSavepoint(job.flinkJobId!, this.savepointDir(job));
      log(`savepoint completed at ${p}`);
      await this.recordSavepoint(job, run, job.flinkJobId!, p, 'savepoint', 'user');
      await this.store.lifecycle.updateSubmission(run.submission.id, { savepointPath: p });
      await this.store.jobs.updateRuntime(job.id, { operation: null });
    });
  }

  private async awaitEnded(target: DeploymentTarget, id: string, log: (l: string) => void): Promise<string> {
    const deadline = Date.now() + ENDED_DEADLINE_MS;
    const wait = backoff(20, 500);
    let last = '';
    for (;;) {
      const state = await target.jobState(id);
      if (state !== last) log(`Flink reports ${(last = state)}`);
      if (flinkJobEnded(state)) return state;
      if (state === 'absent') return 'CANCELED';
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          `Flink job ${id} is still ${state} after ${ENDED_DEADLINE_MS / 1000} s`,
        );
      await wait();
    }
  }

  /** Keeps a savepoint record and applies retention: the oldest beyond the limit are deleted. */
  async recordSavepoint(
    job: Job,
    run: Run | null,
    flinkJobId: string,
    location: string,
    kind: 'savepoint' | 'checkpoint',
    origin: 'stop' | 'user' | 'upgrade' | 'retained',
  ): Promise<void> {
    await this.store.lifecycle.addSavepoint({
      jobId: job.id,
      submissionId: run?.submission.id ?? null,
      flinkJobId,
      path: location,
      kind,
      origin,
      sizeBytes: sizeOf(location),
    });
    const all = (await this.store.lifecycle.savepoints(job.id)).filter((s) => s.kind === 'savepoint');
    for (const old of all.slice(this.config.savepointRetention)) {
      const local = localPath(old.path);
      if (local) fs.rmSync(local, { recursive: true, force: true });
      await this.store.lifecycle.removeSavepoint(old.id);
      await run?.note(`retention (${this.config.savepointRetention} kept): deleted savepoint ${old.path}`);
    }
  }

  /** Resolves when every running submission has ended (shutdown and tests). */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  wait(submissionId: string): Promise<void> {
    return this.running.get(submissionId) ?? Promise.resolve();
  }
}

function localPath(location: string): string | null {
  if (location.startsWith('file:')) return location.replace(/^file:(\/\/)?/, '/').replace(/^\/+/, '/');
  return location.startsWith('/') ? location : null;
}

function sizeOf(location: string): number | null {
  const root = localPath(location);
  if (!root || !fs.existsSync(root)) return null;
  let total = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const f of fs.readdirSync(p)) walk(path.join(p, f));
    else total += st.size;
  };
  walk(root);
  return total;
}
