import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileSystemFor, schemeOf } from '../domain/engines/file-systems.ts';
import { connectorJars, namedConnectors, type ConnectorJars } from '../domain/engines/connector-jars.ts';
import { codedOf, SluiceError } from '../domain/errors.ts';
import {
  isMessage,
  mapMessageText,
  message,
  renderMessage,
  type Message,
  type MessageParam,
} from '../domain/messages.ts';
import { CANCELLABLE_SUBMISSIONS, commandRefusal, commandRefused } from '../domain/jobs/commands.ts';
import { flinkJobEnded, type Job } from '../domain/jobs/job.ts';
import type { LifecycleState } from '../domain/jobs/lifecycle.ts';
import type {
  SavepointRecord,
  Submission,
  SubmissionKind,
  SubmissionParams,
  SubmissionStep,
} from '../domain/jobs/submission.ts';
import {
  locateInStatementSet,
  planSqlDeployment,
  statementSetSql,
  type SqlDeploymentPlan,
} from '../domain/sql/deployment-plan.ts';
import {
  describeRestartPolicy,
  restartPolicyMessage,
  restartStrategyOptions,
  type RestartPolicy,
} from '../domain/jobs/restart-policy.ts';
import type { SqlProblem, SyntaxReport } from '../domain/sql/syntax.ts';
import { functionClassProblems } from '../domain/sql/functions.ts';
import type { JobJar } from '../domain/artifacts/artifact.ts';
import {
  type ApplicationClusterFacts,
  type ApplicationClusters,
  type ApplicationSpec,
  jarsOf,
  type DeploymentTarget,
  type JobFailure,
  type RenderedCluster,
  TargetUnreachable,
  workbenchOf,
} from '../domain/targets/deployment-target.ts';
import { applicationResources } from '../domain/clusters/application-resources.ts';
import {
  targetKind,
  upgradeWay,
  type TargetKind,
  type TargetKindName,
} from '../domain/targets/target-kinds.ts';
import { afterFailedInPlaceUpgrade, afterFailedStep, commandOutcome } from '../domain/jobs/decisions.ts';
import type { JarJobContent, JobContent, JobKind, SqlJobContent } from '../domain/jobs/versions.ts';
import { describeProfile, effectiveContent, type ResourceProfile } from '../domain/profiles/profile.ts';
import type { ArtifactRef } from '../domain/artifacts/artifact.ts';
import { SavepointFailed, StatementRefused } from '../domain/targets/target-errors.ts';
import { backoff, progressDeadline } from './waits.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { MetadataStore } from './ports/store.ts';
import type { TargetService } from './target-service.ts';
import type { SluiceConfig } from './config.ts';
import type { EventBus } from './event-bus.ts';
import type { JobStates } from './job-states.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import {
  addConnectorJars,
  addJobJars,
  JarRefused,
  refuseRemoteClasspath,
  sessionClasspath,
} from './job-jars.ts';
import { plannerProblem } from './sql-service.ts';
import type { Workspace } from './workspace.ts';

/** How long a start waits for its tasks to run while nothing it sees changes (see progressDeadline). */
const RUNNING_DEADLINE_MS = 90_000;
/**
 * How long a job's application cluster may stay still (its pods, processes and logs unchanged) while
 * it answers, registers its TaskManagers and submits the job (see progressDeadline).
 */
const APPLICATION_CLUSTER_DEADLINE_MS = 120_000;
/** How often a start that waits for its tasks reads its own cluster's logs, to see it still comes up. */
const PROGRESS_READ_MS = 2000;
/** How long a job that failed while starting must run again before its start is said to succeed. */
const RUNNING_AGAIN_MS = 1000;
/** How long after submission the wait reads the job every 20 ms. */
const FAST_POLL_MS = 3000;
/** Checks a job's script as the editor does: the grammar, Flink's parser, Sluice's job rules, variables. */
/** The editor's check of a script in a space (its variables, its file folders). */
export type ScriptValidator = (
  sql: string,
  engineVersion: string,
  space: string | null,
) => Promise<SyntaxReport>;
const ENDED_DEADLINE_MS = 60_000;

/**
 * A step failure: its message for people, Flink's root cause and full trace kept for the log, and
 * the cause the job's state reason names (Flink's root cause, else where Sluice's own check failed).
 */
class StepFailure extends SluiceError {
  constructor(
    said: Message,
    readonly rootCause: string | null,
    readonly trace: string | null,
    readonly why: MessageParam | null = rootCause,
  ) {
    super('flink_rejected', said, { rootCause });
  }

  get said(): Message {
    return this.text!;
  }
}

/** One submission while it runs: each step's start, end, status and log lines are persisted as they happen. */
/** A start's cancel, asked while it ran: thrown at the next point where the start can stop cleanly. */
class CancelledByUser extends Error {
  constructor(readonly author: string) {
    super(`cancelled by ${author}`);
  }
}

class Run {
  /** Set once the submission deploys a Flink job: a failure from then on is a failed start. */
  deploying = false;
  /**
   * An upgrade in place: the running Flink job whose cluster takes the new version. Until its spec
   * change begins (`deploying` set then) a failure leaves the job on it.
   */
  inPlaceOf: string | null = null;
  /** Who asked to cancel this start while it ran, if anyone. */
  cancelRequestedBy: string | null = null;

  /** Ends the run here if a cancel was asked: between steps, and in waits that poll. */
  checkCancel(): void {
    if (this.cancelRequestedBy) throw new CancelledByUser(this.cancelRequestedBy);
  }

  constructor(
    private readonly store: MetadataStore,
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

  private saveScheduled = false;

  /** Log lines written in one go are saved (and pushed) once, not once each. */
  private saveSoon(): void {
    if (this.saveScheduled) return;
    this.saveScheduled = true;
    setImmediate(() => {
      this.saveScheduled = false;
      this.save().catch(() => undefined); // the step's own end saves again, and reports a failure
    });
  }

  async step<T>(name: string, fn: (log: (line: string) => void) => Promise<T>): Promise<T> {
    this.checkCancel();
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
      this.saveSoon();
    };
    try {
      const result = await fn(log);
      Object.assign(s, { status: 'succeeded', endedAt: new Date().toISOString() });
      await this.save();
      return result;
    } catch (e) {
      if (e instanceof CancelledByUser) {
        s.log.push(`${new Date().toISOString()} ${e.message}: the start ends here`);
        Object.assign(s, { status: 'cancelled', endedAt: new Date().toISOString() });
        await this.save();
        throw e;
      }
      const failure = masked(asFailure(e));
      s.log.push(`${new Date().toISOString()} failed: ${failure.message}`);
      if (failure.trace) s.log.push(failure.trace);
      Object.assign(s, { status: 'failed', endedAt: new Date().toISOString() });
      const error = message('submission.stepFailed', { step: name, cause: failure.said });
      await this.save({
        failedStep: name,
        error: renderMessage(error),
        errorMessage: error,
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
  const mask = (p: MessageParam | null): MessageParam | null =>
    typeof p === 'string' ? maskKnownSecrets(p) : isMessage(p) ? mapMessageText(p, maskKnownSecrets) : p;
  return new StepFailure(
    mapMessageText(f.said, maskKnownSecrets),
    f.rootCause === null ? null : maskKnownSecrets(f.rootCause),
    f.trace === null ? null : maskKnownSecrets(f.trace),
    mask(f.why),
  );
}

function asFailure(e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  if (e instanceof StatementRefused || e instanceof JarRefused)
    return new StepFailure(e.text!, e.rootCause, e.trace);
  if (e instanceof SavepointFailed)
    return new StepFailure(
      message('submission.savepointFailed', { cause: e.rootCause }),
      e.rootCause,
      e.trace,
    );
  return new StepFailure(codedOf(e), null, null);
}

/** What a deployment is made from, once the version is resolved, validated and the target prepared. */
interface DeployCommon {
  /** What the job restores from, if anything. */
  savepoint: string | null;
  params: SubmissionParams;
  version: number;
  /** An upgrade in place: the running Flink job whose cluster takes this version. */
  inPlaceOf?: string;
}

/** A SQL job's deployment: its statements planned, its catalogs' statements. */
interface SqlDeploySpec extends DeployCommon {
  content: SqlJobContent;
  plan: SqlDeploymentPlan;
  catalogs: { name: string; statement: string }[];
  /** The job's artifacts, for this job only: added to its SQL session (session kinds). */
  jars: JobJar[];
}

/** A JAR job's program as a run takes it: its jar file and the Flink configuration of the run. */
interface JarProgram {
  file: string;
  /** Its classpath artifacts: their files, and their sha256 that names a staged copy. */
  classpath: Pick<JobJar, 'path' | 'sha256'>[];
  configuration: Record<string, string>;
  /** The program arguments with their variables substituted (secrets masked wherever they are logged). */
  args: string[];
}

interface JarDeploySpec extends DeployCommon {
  content: JarJobContent;
  jar: JarProgram;
}

type SqlProgram = Pick<SqlDeploySpec, 'content' | 'plan' | 'catalogs' | 'jars'>;
type JarDeployProgram = Pick<JarDeploySpec, 'content' | 'jar'>;
type DeploySpec = SqlDeploySpec | JarDeploySpec;

/** The options every deployment of a job sets, before the job's own. */
function jobOptions(job: Job, content: JobContent): Record<string, string> {
  return {
    'pipeline.name': job.name,
    'parallelism.default': String(content.parallelism),
    // Checkpoints survive a failure or cancel, so a restart can resume from the latest one.
    'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
  };
}

function logVariables(resolved: { used: string[]; secretsUsed: string[] }, log: (l: string) => void): void {
  if (resolved.used.length)
    log(
      `variables substituted: ${resolved.used.join(', ')}${resolved.secretsUsed.length ? ` (${resolved.secretsUsed.length} secret, masked in this log)` : ''}`,
    );
}

type DeployProcedure = (run: Run, job: Job, spec: DeploySpec) => Promise<void>;

/** Runs submissions in the background; the API answers with the submission at once. */
export class SubmissionRunner {
  private readonly running = new Map<string, Promise<void>>();
  /** The run of each job that has one in flight, by job id: a cancel can reach a start under way. */
  private readonly runs = new Map<string, Run>();
  /** Plans Flink accepted, by what they were planned from (newest last, at most PLANS_KEPT). */
  private readonly planned = new Map<string, { job: string; submission: number }>();

  private rememberPlanned(key: string, by: { job: string; submission: number }): void {
    this.planned.set(key, by);
    if (this.planned.size > PLANS_KEPT) this.planned.delete(this.planned.keys().next().value!);
  }
  /** Called when a deployed Flink job failed at run time (the restart policy listens). */
  onRuntimeFailure: (job: Job) => void = () => {};
  /**
   * What a command passes before anything is recorded (the quota of the job's target, quota-service.ts):
   * it runs `proceed` or throws; by default every command proceeds.
   */
  admission: <T>(job: Job, kind: SubmissionKind, proceed: () => Promise<T>) => Promise<T> = (
    _j,
    _k,
    proceed,
  ) => proceed();

  /**
   * The job's resource profiles (profile-service.ts): the one it runs on a target by effectiveProfile's
   * rule (its space's active one, else that target's), and one by name.
   * By default a job has none and runs its version's settings.
   */
  profiles: {
    active(job: Job, target: string): Promise<ResourceProfile | null>;
    named(job: Job, name: string): Promise<ResourceProfile | null>;
  } = { active: async () => null, named: async () => null };

  constructor(
    private readonly store: MetadataStore,
    private readonly bus: EventBus,
    private readonly states: JobStates,
    private readonly targets: TargetService,
    private readonly config: SluiceConfig,
    private readonly workspace: Workspace,
    private readonly validateScript: ScriptValidator,
    private readonly clock: Clock = systemClock,
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
    const underWay = this.runs.get(job.id);
    if (
      kind === 'cancel' &&
      underWay &&
      job.submissionInFlight &&
      CANCELLABLE_SUBMISSIONS.includes(job.submissionInFlight)
    )
      return this.cancelUnderWay(job, underWay, author);
    if (job.submissionInFlight) {
      const current = (await this.store.lifecycle.submissions(job.id))
        .filter((s) => s.status === 'running')
        .at(-1);
      throw new SluiceError(
        'conflict',
        message('job.busy', {
          job: job.name,
          submissionInFlight: job.submissionInFlight,
          submission: current?.number ?? '?',
        }),
      );
    }
    this.checkState(job, kind);
    return this.admission(job, kind, () => this.record(job, kind, params, author));
  }

  /** Records the submission of an admitted command, moves the job, and starts the submission's run. */
  private async record(
    job: Job,
    kind: SubmissionKind,
    params: SubmissionParams,
    author: string,
  ): Promise<Submission> {
    if (kind === 'upgrade') await this.checkUpgradeKind(job);
    if (kind === 'start') await this.checkRestore(job, params.fromSavepoint);
    // What it deploys with is fixed now: its space's or its target's active profile (effectiveProfile).
    if (['start', 'upgrade', 'resubmit'].includes(kind) && params.profile === undefined) {
      const profile = await this.profiles.active(job, job.target);
      if (profile) params = { ...params, profile: profile.name };
    }
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
      errorMessage: null,
      rootCause: null,
      author,
    });
    const reason = message('lifecycle.requested', { kind, author, submission: submission.number });
    const opts = { submissionId: submission.id };
    const outcome = commandOutcome(kind);
    const patch = {
      submissionInFlight: outcome.submissionInFlight,
      ...(outcome.desiredState ? { desiredState: outcome.desiredState } : {}),
    };
    if (outcome.to) await this.states.move(job, outcome.to, reason, outcome.source, { ...opts, patch });
    else await this.store.jobs.updateRuntime(job.id, patch);
    const run = new Run(this.store, this.bus, job.name, submission);
    this.runs.set(job.id, run);
    const done = this.execute(run, kind).finally(() => {
      this.running.delete(submission.id);
      this.runs.delete(job.id);
    });
    this.running.set(submission.id, done);
    return submission;
  }

  /** An upgrade carries the running program's state into the new version: both must be of one kind. */
  private async checkUpgradeKind(job: Job): Promise<void> {
    if (job.deployedVersion === null) return;
    const deployed = await this.store.jobs.version(job.id, job.deployedVersion);
    if (!deployed || deployed.content.kind === job.kind) return;
    throw new SluiceError(
      'conflict',
      message('job.upgradeAcrossKinds', {
        job: job.name,
        version: job.currentVersion,
        to: job.kind,
        deployed: job.deployedVersion,
        from: deployed.content.kind,
      }),
      { state: job.state },
    );
  }

  /**
   * A restore path given by the user is checked before anything changes: a local savepoint or
   * checkpoint folder with its _metadata, or a scheme the cluster's engine has a file system for.
   */
  private async checkRestore(job: Job, fromSavepoint: string | undefined): Promise<void> {
    checkRestoreParam(fromSavepoint);
    if (!fromSavepoint || fromSavepoint === 'latest' || fromSavepoint === 'none') return;
    const scheme = schemeOf(fromSavepoint);
    if (!scheme || scheme === 'file') return;
    const readable = await this.targets.readableSchemes(job.target);
    if (readable && !readable.has(scheme))
      throw new SluiceError(
        'invalid_argument',
        message('job.noFileSystem', {
          path: fromSavepoint,
          scheme,
          cluster: job.target,
          add: fileSystemFor(scheme) ?? `a Flink file system plugin for ${scheme}:`,
        }),
        { field: 'fromSavepoint' },
      );
  }

  /**
   * What a resubmission restores: the latest savepoint or retained checkpoint, else what the job was
   * last started from; empty state only when it started empty and never took one.
   */
  async restoreForResubmission(job: Job): Promise<string> {
    const latest = await this.latestState(job);
    if (latest) return latest.path;
    const started = (await this.store.lifecycle.submissions(job.id))
      .filter((s) => ['start', 'resubmit', 'upgrade'].includes(s.kind) && s.status === 'succeeded')
      .at(-1);
    return started?.savepointPath ?? 'none';
  }

  /**
   * A cancel while a start is under way: the step in progress ends, then the start stops there and
   * whatever it created in Flink is cancelled. Answers with the start's submission, which ends
   * 'cancelled'.
   */
  private async cancelUnderWay(job: Job, run: Run, author: string): Promise<Submission> {
    // Only the run moves its job's state: it does so at the next point where it can stop cleanly.
    if (!run.cancelRequestedBy) {
      run.cancelRequestedBy = author;
      await run.note(
        `cancel requested by ${author} while the job was ${job.submissionInFlight}: the start ends after the step under way`,
      );
    }
    return run.submission;
  }

  private checkState(job: Job, kind: SubmissionKind): void {
    const why = commandRefusal(job, kind);
    if (why) throw new SluiceError('conflict', commandRefused(job.name, kind, why), { state: job.state });
  }

  private async execute(run: Run, kind: SubmissionKind): Promise<void> {
    const job = (await this.store.jobs.getById(run.submission.jobId))!;
    try {
      if (kind === 'start' || kind === 'resubmit') await this.deploy(run, job, run.submission.params);
      if (kind === 'stop') await this.stop(run, job, run.submission.params.drain ?? false);
      if (kind === 'cancel') await this.cancel(run, job);
      if (kind === 'savepoint') await this.savepoint(run, job);
      if (kind === 'upgrade' && (await this.upgradesInPlace(job)))
        // The operator carries the state: the running deployment's spec changes, nothing is stopped first.
        await this.deploy(
          run,
          job,
          { allowNonRestoredState: run.submission.params.allowNonRestoredState },
          job.flinkJobId!,
        );
      else if (kind === 'upgrade') {
        const savepoint = await this.stop(run, job, false);
        const stopped = (await this.store.jobs.getById(job.id))!;
        const moved = await this.states.move(
          stopped,
          'STARTING',
          message('lifecycle.upgradeFrom', { version: run.submission.versionNumber, savepoint }),
          'platform',
          {
            submissionId: run.submission.id,
            patch: { submissionInFlight: 'upgrading', desiredState: 'running' },
          },
        );
        await this.deploy(run, moved, {
          fromSavepoint: savepoint,
          allowNonRestoredState: run.submission.params.allowNonRestoredState,
        });
      }
      await run.finish('succeeded');
    } catch (e) {
      if (e instanceof CancelledByUser) await this.cancelled(run, e);
      else await this.failed(run, asFailure(e));
    }
  }

  /**
   * An upgrade goes in place where the job's target kind upgrades a running cluster itself (the
   * operator) and the new version runs on the target the running one does.
   */
  private async upgradesInPlace(job: Job): Promise<boolean> {
    const next = await this.store.jobs.version(job.id, job.currentVersion);
    if (!next || job.deployedVersion === null) return false;
    const running = await this.store.jobs.version(job.id, job.deployedVersion);
    const kind = targetKind(await this.targets.targetKindOf(job.target));
    const apps = (await this.targets.target(job.target)).applications;
    return (
      !!apps?.inPlace &&
      upgradeWay(kind, (running?.content.target ?? job.target) === next.content.target) === 'in-place'
    );
  }

  /** A start cancelled while under way: the Flink job it may have created is cancelled too. */
  private async cancelled(run: Run, e: CancelledByUser): Promise<void> {
    const before = (await this.store.jobs.getById(run.submission.jobId))!;
    const job = await this.states.move(
      before,
      'CANCELLING',
      message('lifecycle.cancelRequested', {
        author: e.author,
        submissionInFlight: before.submissionInFlight ?? '',
      }),
      'user',
      { submissionId: run.submission.id, patch: { desiredState: 'stopped' } },
    );
    const target = await this.targets.target(job.target).catch(() => null);
    const id = run.submission.flinkJobId;
    if (id && target) {
      const state = await target.observer.jobState(id).catch(() => 'absent' as const);
      if (state !== 'absent' && !flinkJobEnded(state)) {
        await target.deployer.cancel(id).catch(() => undefined);
        await this.awaitEnded(target, id, () => {}).catch(() => undefined);
      }
    }
    await this.releaseCluster(target, id, job.name, (l) => void run.note(l));
    const step = run.submission.steps.filter((s) => s.status !== 'cancelled').at(-1)?.name ?? '';
    const reason = message('lifecycle.cancelledDuringStart', {
      kind: run.submission.kind,
      author: e.author,
      step,
    });
    await run.finish('cancelled', {
      error: `${run.submission.kind} cancelled by ${e.author} after step "${step}"`,
    });
    await this.states.move(job, 'CANCELLED', reason, 'user', {
      submissionId: run.submission.id,
      patch: { submissionInFlight: null, desiredState: 'stopped', flinkJobId: id ?? job.flinkJobId },
    });
  }

  /** After a failed step: the job's state is what is true now, with the step and cause as reason. */
  private async failed(run: Run, failure: StepFailure): Promise<void> {
    if (run.inPlaceOf) await this.keepRunningJob(run, run.inPlaceOf);
    await run.finish('failed');
    const job = (await this.store.jobs.getById(run.submission.jobId))!;
    const failedAt = {
      kind: run.submission.kind,
      step: run.submission.failedStep ?? '',
      cause: failure.why ?? failure.said,
    };
    const opts = { submissionId: run.submission.id };
    const target = await this.targets.target(job.target).catch(() => null);
    const observed =
      job.flinkJobId && target
        ? await target.observer.jobState(job.flinkJobId).catch(() => 'absent' as const)
        : 'absent';
    const outcome = afterFailedStep({
      kind: run.submission.kind,
      deploying: run.deploying,
      observed,
      current: job.state,
    });
    if (outcome.deploying) {
      // Nothing keeps running for a start that failed: cancel a Flink job that was created but never ran.
      if (outcome.cancelFlinkJob) await target?.deployer.cancel(job.flinkJobId!).catch(() => undefined);
      // Nothing is left of a failed start on a target whose clusters are the jobs' own.
      await this.releaseCluster(
        target,
        job.flinkJobId ?? run.submission.flinkJobId,
        job.name,
        (l) => void run.note(l),
      );
      const moved = await this.states.move(
        job,
        outcome.to,
        message(`lifecycle.${outcome.reason}`, failedAt),
        'platform',
        {
          ...opts,
          patch: {
            submissionInFlight: null,
            desiredState: outcome.desiredState,
            flinkJobId: outcome.keepFlinkJobId ? job.flinkJobId : null,
          },
        },
      );
      // An id reserved for a job Flink never received names nothing: the record says so.
      if (!outcome.keepFlinkJobId && run.submission.flinkJobId)
        await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: null });
      if (outcome.resubmitAgain) this.onRuntimeFailure(moved);
      return;
    }
    if (observed === 'absent' || flinkJobEnded(observed))
      await this.releaseCluster(target, job.flinkJobId, job.name, (l) => void run.note(l));
    if (outcome.stay) await this.store.jobs.updateRuntime(job.id, { submissionInFlight: null });
    else
      await this.states.move(
        job,
        outcome.to,
        observed === 'absent'
          ? message('lifecycle.failedJobGone', failedAt)
          : message('lifecycle.failedJobIs', { ...failedAt, flinkState: observed }),
        'platform',
        { ...opts, patch: { submissionInFlight: null } },
      );
  }

  /**
   * An upgrade in place that failed before its spec change leaves the job on its running Flink job,
   * which runs on untouched: no orphan, the failure a failed command on a running job.
   */
  private async keepRunningJob(run: Run, running: string): Promise<void> {
    const o = afterFailedInPlaceUpgrade({
      running,
      reserved: run.submission.flinkJobId,
      changeBegun: run.deploying,
    });
    if (!o.keepsRunning) return;
    await this.store.jobs.updateRuntime(run.submission.jobId, { flinkJobId: o.flinkJobId });
    // The id reserved for the new version names no Flink job: the record says so.
    if (o.dropReservation) {
      await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: null });
      run.submission.flinkJobId = null;
    }
    await run.note(
      `the upgrade in place failed before the running cluster's spec changed: Flink job ${o.flinkJobId} runs on as before`,
    );
  }

  /**
   * resolve version -> validate -> prepare cluster (JM_RUNNING, PODS_RUNNING as the observer sees them),
   * then the target kind's own deploy steps.
   */
  private async deploy(
    run: Run,
    job: Job,
    params: SubmissionParams,
    /** An upgrade in place: the running Flink job whose cluster takes the new version. */
    inPlaceOf?: string,
  ): Promise<void> {
    // In place, nothing of the running job changes before its cluster's spec does.
    run.deploying = !inPlaceOf;
    run.inPlaceOf = inPlaceOf ?? null;
    const n = run.submission.versionNumber;
    const version = await run.step('resolve version', async (log) => {
      const v = await this.store.jobs.version(job.id, n);
      if (!v)
        throw new SluiceError('not_found', message('submission.noVersion', { version: n, job: job.name }));
      log(
        `version ${v.number} (content ${v.contentHash.slice(0, 12)}) saved by ${v.author} at ${v.createdAt}: ${v.message}`,
      );
      return v;
    });
    const content = await this.withProfile(job, version.content, run.submission.params.profile, (line) =>
      run.note(line),
    );
    const { program, savepoint, kind } = await run.step('validate', async (log) => {
      const engine = await this.targets.engineVersionOf(content.target);
      const targetKindName = await this.targets.targetKindOf(content.target);
      // A kind whose way to deploy this content is not built yet refuses it here, before anything is made.
      if (targetKind(targetKindName).deploySteps[content.kind] === null)
        throw new SluiceError(
          'precondition_failed',
          message('target.kubernetesModeNotBuilt', {
            target: content.target,
            mode: targetKindName.replace(/^kubernetes-/, ''),
            content: content.kind === 'sql' ? 'SQL' : 'JAR',
          }),
        );
      // Options that size a job's own cluster are checked before anything starts.
      if (targetKind(targetKindName).deployment === 'application-cluster') {
        const r = applicationResources(content.parallelism, content.options);
        log(
          `application cluster: ${r.taskManagers} TaskManager(s) of ${r.slotsPerTaskManager} slot(s), JobManager ${r.jobManagerMemory}, TaskManager ${r.taskManagerMemory}`,
        );
      }
      if (engine !== content.engineVersion)
        throw new SluiceError(
          'invalid_argument',
          message('submission.targetEngine', {
            target: content.target,
            targetEngine: engine,
            version: n,
            engine: content.engineVersion,
          }),
        );
      const program: SqlProgram | JarDeployProgram =
        content.kind === 'sql'
          ? { content, ...(await this.validateSql(content, job, targetKind(targetKindName), log)) }
          : { content, jar: await this.validateJar(content, job, targetKindName, log) };
      // In place, the running job's state goes with it through its cluster's manager, not a restore path.
      const sp = inPlaceOf ? null : await this.resolveRestore(job, params, log);
      if (inPlaceOf)
        log(`upgrade in place of Flink job ${inPlaceOf}: its cluster's manager carries its state`);
      // Kept with the submission: a resubmission after a runtime failure can restore it again.
      if (sp && run.submission.kind !== 'upgrade') {
        await this.store.lifecycle.updateSubmission(run.submission.id, { savepointPath: sp });
        run.submission.savepointPath = sp;
      }
      if ('plan' in program)
        log(
          `${program.plan.setup.length} setup statements, ${program.plan.inserts.length} INSERT statements as one statement set${sp ? `, restoring from ${sp}` : ', empty state'}`,
        );
      else if (!inPlaceOf) log(sp ? `restoring from ${sp}` : 'empty state');
      return { program, savepoint: sp, kind: targetKindName };
    });
    // What happens next is the target kind's own: its steps say what really happens there.
    const deployOn = this.deployments[targetKind(kind).deployment];
    await deployOn(run, job, {
      ...program,
      savepoint,
      params,
      version: n,
      ...(inPlaceOf ? { inPlaceOf } : {}),
    });
  }

  /** The version's settings overlaid by the profile the submission names (still the job's, else none). */
  private async withProfile<C extends JobContent>(
    job: Job,
    content: C,
    name: string | undefined,
    say: (line: string) => Promise<void> | void,
  ): Promise<C> {
    if (name === undefined) return content;
    const profile = await this.profiles.named(job, name);
    await say(
      profile
        ? `resource profile ${describeProfile(profile)}`
        : `resource profile ${name} is no longer the job's: its version's settings apply`,
    );
    return effectiveContent(content, profile);
  }

  /** The session cluster is started if it is local and stopped; JM_RUNNING and PODS_RUNNING as its observer sees them. */
  private prepareSessionCluster(run: Run, job: Job, content: JobContent): Promise<DeploymentTarget> {
    return run.step('prepare cluster', async (log) => {
      const t = await this.targets.target(content.target);
      await t.prepare(log);
      // JM_RUNNING and PODS_RUNNING are what the target's observer sees, each when it sees it.
      const seen = await t.observer.cluster();
      let current = (await this.store.jobs.getById(job.id))!;
      current = await this.states.move(
        current,
        'JM_RUNNING',
        message('lifecycle.jobManagerAnswers', { cluster: t.name, url: seen.jobManager }),
        'platform',
        { submissionId: run.submission.id },
      );
      if (seen.taskManagers < 1)
        throw new SluiceError('engine_unavailable', message('cluster.noTaskManager', { cluster: t.name }));
      await this.states.move(
        current,
        'PODS_RUNNING',
        message('lifecycle.taskManagersRegistered', { count: seen.taskManagers, cluster: t.name }),
        'platform',
        { submissionId: run.submission.id },
      );
      log(`cluster ${t.name} (${t.kind}) is ready: ${seen.taskManagers} TaskManager(s)`);
      return t;
    });
  }

  /**
   * A SQL job's script checked as the editor checks it, before any cluster work (a script that cannot
   * run never reaches Flink), its variables substituted, and planned into statements with its options.
   */
  private async validateSql(
    content: SqlJobContent,
    job: Job,
    kind: TargetKind,
    log: (l: string) => void,
  ): Promise<Pick<SqlDeploySpec, 'plan' | 'catalogs' | 'jars'>> {
    // The job's space's variables and file folders only.
    const space = await this.store.spaces.spaceOf('job', job.name);
    const report = await this.validateScript(content.sql, content.engineVersion, space ?? null);
    const errors = report.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw scriptRefused(errors);
    log(`script checked: ${report.statements.length} statements, no error`);
    // Its functions come from its artifacts: a class none of them has would only fail in Flink.
    const jobJars = await this.workspace.artifacts.jobJars(content.artifacts);
    // Sluice assembled a managed target's libraries; a registered cluster's lib/ is its own.
    const { managed } = kind;
    const missing = functionClassProblems(
      content.sql,
      jobJars.map((j) => ({ ref: { name: j.name, version: j.version }, classes: j.functionClasses })),
      managed,
    );
    if (managed && missing.length) throw scriptRefused(missing);
    for (const w of missing) log(`line ${w.line}: warning: ${w.message}; the cluster's own lib/ may hold it`);
    if (jobJars.length)
      log(
        `artifacts: ${jobJars.map((j) => `${j.name}@${j.version} (${j.functionClasses.length} functions)`).join(', ')}`,
      );
    // Variables are substituted here and nowhere earlier: stored SQL keeps its ${name} references.
    const resolved = await this.workspace.variables.resolve(content.sql, content.options, space);
    logVariables(resolved, log);
    // With every variable in: a path from a secret is judged here (the catalogs' are, by statements).
    await this.workspace.files.check([resolved.sql], space);
    const catalogs = await this.workspace.catalogs.statements(content.catalogs);
    const plan: SqlDeploymentPlan = planSqlDeployment(resolved.sql, {
      ...jobOptions(job, content),
      ...resolved.options,
    });
    // Always explicit: Flink's own default depends on checkpointing (unbounded with it).
    Object.assign(plan.options, restartStrategyOptions(content.restartPolicy));
    log(`restart policy: ${describeRestartPolicy(content.restartPolicy)}`);
    return {
      plan,
      catalogs,
      jars: jobJars,
    };
  }

  /**
   * A JAR job's program: its artifact files on disk, its options with variables substituted, and the
   * Flink configuration of its run (pipeline name, parallelism, checkpoint retention, restart strategy).
   */
  private async validateJar(
    content: JarJobContent,
    job: Job,
    kind: TargetKindName,
    log: (l: string) => void,
  ): Promise<JarProgram> {
    // Checked at save too; the target may have been registered again as a remote one since.
    refuseRemoteClasspath(content.classpath, content.target, kind);
    const fileOf = (ref: ArtifactRef) => this.workspace.artifacts.file(ref.name, ref.version);
    const jarFile = (await fileOf(content.jar)).path;
    log(
      `jar ${content.jar.name}@${content.jar.version} (${path.basename(jarFile)}), entry class ${content.entryClass ?? "the manifest's Main-Class"}, ${content.args.length} argument(s)`,
    );
    const classpath: JarProgram['classpath'] = [];
    for (const ref of content.classpath) {
      const f = await fileOf(ref);
      classpath.push({ path: f.path, sha256: f.version.sha256 });
      log(`classpath: ${ref.name}@${ref.version}`);
    }
    const space = await this.store.spaces.spaceOf('job', job.name);
    const resolved = await this.workspace.variables.resolve('', content.options, space);
    // Arguments get their variables here and nowhere earlier, as SQL does: stored ones keep ${name}.
    const args = await this.workspace.variables.resolveArgs(content.args, space);
    logVariables(
      {
        used: [...new Set([...resolved.used, ...args.used])],
        secretsUsed: [...new Set([...resolved.secretsUsed, ...args.secretsUsed])],
      },
      log,
    );
    const configuration: Record<string, string> = { ...jobOptions(job, content), ...resolved.options };
    Object.assign(configuration, restartStrategyOptions(content.restartPolicy));
    log(`restart policy: ${describeRestartPolicy(content.restartPolicy)}`);
    return { file: jarFile, classpath, configuration, args: args.args };
  }

  /** How each kind of deployment is made; a target kind names one. */
  private readonly deployments: Record<TargetKind['deployment'], DeployProcedure> = {
    'session-job': (run, job, spec) =>
      'plan' in spec ? this.deploySessionJob(run, job, spec) : this.deploySessionJar(run, job, spec),
    'application-cluster': (run, job, spec) => this.deployApplicationCluster(run, job, spec),
  };

  /**
   * A job in a cluster of its own: [write SQL runner plan] (the Flink job id chosen first) -> prepare
   * cluster files -> start application cluster -> JobManager answers (JM_RUNNING) -> TaskManagers
   * registered (PODS_RUNNING) -> wait until running, with the milestones named by the kind (on
   * Kubernetes: apply resources -> JobManager pod running -> TaskManager pods running). A JAR job has no plan to write: its id is reserved
   * and its program (its jar and classpath in usrlib, entry class, arguments, options) made in "prepare
   * cluster files". A failure on the way stops the cluster again.
   */
  private async deployApplicationCluster(run: Run, job: Job, d: DeploySpec): Promise<void> {
    const { content, version: n } = d;
    const target = await this.targets.target(content.target);
    const apps = target.applications;
    if (!apps) throw new Error(`target ${target.name} has no application clusters`);
    const inPlace = d.inPlaceOf ? apps.inPlace : undefined;
    if (d.inPlaceOf && !inPlace) throw new Error(`target ${target.name} has no upgrade in place`);
    // The id is recorded before anything starts: after a crash the platform looks for exactly it.
    const reserve = (log: (l: string) => void) =>
      this.reserveJobId(
        run,
        job,
        inPlace?.keepsFlinkJobId() ? d.inPlaceOf! : randomBytes(16).toString('hex'),
        log,
      );
    let spec: ApplicationSpec | null = null;
    if ('plan' in d)
      await run.step('write SQL runner plan', async (log) => {
        spec = await this.applicationSpecOf(job, d, await reserve(log), log);
        await apps.writeProgram(spec, log);
      });
    else
      await run.step('prepare cluster files', async (log) => {
        spec = await this.applicationSpecOf(job, d, await reserve(log), log);
        await apps.writeProgram(spec, log);
        await apps.prepareFiles(spec, log);
      });
    const s = spec!;
    let id = s.flinkJobId;
    // The kind names its milestones: local processes answer, Kubernetes pods run.
    const m = targetKind(target.kind).milestones;
    if (!m) throw new Error(`target kind ${target.kind} has no application milestones`);
    if (s.program.kind === 'sql') await run.step('prepare cluster files', (log) => apps.prepareFiles(s, log));
    if (inPlace && d.inPlaceOf && m.inPlaceUpgrade) {
      const from = d.inPlaceOf;
      await run.step(m.inPlaceUpgrade, async (log) => {
        // From here the running cluster may have changed: a failure is a failed start.
        run.deploying = true;
        const { savepoint, carried } = await inPlace.change(from, id, log);
        if (savepoint) {
          await this.recordSavepoint(job, run, from, savepoint, 'savepoint', 'upgrade');
          await this.store.lifecycle.updateSubmission(run.submission.id, { savepointPath: savepoint });
          run.submission.savepointPath = savepoint;
        }
        // The states follow what the operator did: the running job ended, the new version starts.
        const said = { flinkJobId: from, version: n, carried };
        const stopped = await this.states.move(
          (await this.store.jobs.getById(job.id))!,
          'STOPPED',
          message('lifecycle.endedForUpgrade', said),
          'platform',
          { submissionId: run.submission.id },
        );
        await this.states.move(
          stopped,
          'STARTING',
          message('lifecycle.upgradeFrom', { version: n, savepoint: savepoint ?? carried }),
          'platform',
          {
            submissionId: run.submission.id,
            patch: { submissionInFlight: 'upgrading', desiredState: 'running' },
          },
        );
        log(`Flink job ${from} ended; its state goes on in ${id} by ${carried}`);
      });
    } else
      await run.step(m.start, async (log) => {
        const chosen = await apps.start(id, log);
        // The cluster's manager chose the job's id (a FlinkSessionJob's): recorded as reserved ones are.
        if (chosen && chosen !== id) id = await this.reserveJobId(run, job, chosen, log);
      });
    await run.step(m.jobManager, async (log) => {
      const facts = await this.awaitApplicationCluster(run, apps, id, log, (f) => f.jobManager !== null);
      const current = (await this.store.jobs.getById(job.id))!;
      const cluster = `${target.name}/${job.name}`;
      await this.states.move(
        current,
        'JM_RUNNING',
        m.pods
          ? message('lifecycle.jobManagerPodRunning', { cluster, pod: facts.jobManager! })
          : message('lifecycle.jobManagerAnswers', { cluster, url: facts.jobManager! }),
        'platform',
        { submissionId: run.submission.id },
      );
      log(
        m.pods ? `the JobManager runs: ${facts.jobManager}` : `the JobManager answers at ${facts.jobManager}`,
      );
    });
    await run.step(m.taskManagers, async (log) => {
      const facts = await this.awaitApplicationCluster(
        run,
        apps,
        id,
        log,
        (f) => f.jobManager !== null && f.taskManagers >= f.expectedTaskManagers,
        'cluster',
        // TaskManagers the JobManager asks for once its program has planned the job wait for that too.
        m.taskManagersAfterProgram ? 2 * APPLICATION_CLUSTER_DEADLINE_MS : APPLICATION_CLUSTER_DEADLINE_MS,
      );
      const current = (await this.store.jobs.getById(job.id))!;
      const said = { count: facts.taskManagers, cluster: `${target.name}/${job.name}` };
      await this.states.move(
        current,
        'PODS_RUNNING',
        message(m.pods ? 'lifecycle.taskManagerPodsRunning' : 'lifecycle.taskManagersRegistered', said),
        'platform',
        { submissionId: run.submission.id },
      );
      log(
        `${facts.taskManagers} of ${facts.expectedTaskManagers} TaskManager${m.pods ? ' pod(s) Running' : '(s) registered'}`,
      );
    });
    await this.waitUntilRunning(run, job, target, id, content.restartPolicy, n, {
      // The JobManager runs the program, which submits the job: until then the cluster does not know it.
      first: (log) =>
        this.awaitApplicationCluster(
          run,
          apps,
          id,
          log,
          async () => (await target.observer.observeJob(id)) !== 'absent',
          'submitted',
        ).then(() => undefined),
      logs: async () => {
        const f = await apps.facts(id);
        return `${f.jobManagerLog}\n${f.taskManagerLog}`;
      },
    });
  }

  /**
   * What one job's cluster is made from: a SQL job's plan and catalogs with its artifacts on the
   * classpath, or a JAR job's entry class (the manifest's when the job names none), arguments, options
   * and jars; the restore chosen, the cluster sized from the job's parallelism and options.
   */
  private async applicationSpecOf(
    job: Job,
    d: DeploySpec,
    flinkJobId: string,
    log: (l: string) => void,
  ): Promise<ApplicationSpec> {
    const common = {
      jobName: job.name,
      space: (await this.store.spaces.spaceOf('job', job.name)) ?? DEFAULT_SPACE,
      flinkJobId,
      savepoint: d.savepoint,
      allowNonRestoredState: d.params.allowNonRestoredState ?? false,
      resources: applicationResources(d.content.parallelism, d.content.options),
    };
    if ('plan' in d) {
      for (const j of d.jars) log(`artifact ${j.name}@${j.version} on the cluster's classpath: ${j.path}`);
      return {
        ...common,
        program: { kind: 'sql', plan: d.plan, catalogs: d.catalogs },
        jars: [...d.jars.map((j) => j.path), ...(await this.connectorJarsOf(d, log))],
      };
    }
    const { content, jar } = d;
    // Read from the manifest here, not left to Flink's scan of usrlib: that scan refuses a
    // classpath artifact that has a Main-Class of its own ("multiple entry classes").
    const entryClass = content.entryClass ?? (await this.workspace.artifacts.entryClassIn(content.jar, null));
    // The classpath artifacts are in usrlib, on the user class loader already.
    const options = { ...jar.configuration };
    log(
      `program: ${entryClass}${content.entryClass ? '' : " (the jar's Main-Class)"} from ${content.jar.name}@${content.jar.version}${jar.args.length ? `, arguments ${JSON.stringify(jar.args.map(maskKnownSecrets))}` : ''}`,
    );
    log(`Flink configuration of the cluster (${Object.keys(options).length} options of the job):`);
    for (const [k, v] of Object.entries(options)) log(`option '${k}' = '${v}'`);
    return {
      ...common,
      program: { kind: 'jar', entryClass, args: jar.args, options },
      jars: [jar.file, ...jar.classpath.map((c) => c.path)],
    };
  }

  /**
   * The engine's jars of the connectors a SQL job's tables and catalogs name, for a cluster that does
   * not run the engine's lib (a Kubernetes pod runs its image's); null where the target's cluster has
   * them already (connector-jars.ts).
   */
  private async connectorsFor(
    target: string,
    plan: SqlDeploymentPlan,
    catalogs: { statement: string }[],
  ): Promise<ConnectorJars | null> {
    const lib = await this.targets.connectorLib(target);
    if (!lib) return null;
    return connectorJars(
      namedConnectors([...plan.setup.map((s) => s.text), ...catalogs.map((c) => c.statement)]),
      lib,
    );
  }

  /**
   * The connector jars of a job's own cluster, after the job's own jars in usrlib so that a job's
   * artifact still comes first, said in the step's log.
   */
  private async connectorJarsOf(d: SqlDeploySpec, log: (l: string) => void): Promise<string[]> {
    const found = await this.connectorsFor(d.content.target, d.plan, d.catalogs);
    if (found) logConnectors(found, log);
    return found?.jars ?? [];
  }

  /**
   * What a start of the job's current version would apply on its target, without starting anything:
   * validated and planned as a start does, restoring what a start would restore, with a Flink job id
   * chosen for this rendering (each start chooses its own). Known secret values are masked.
   */
  async renderApplication(
    job: Job,
  ): Promise<{ target: string; flinkJobId: string; rendered: RenderedCluster }> {
    const notes: string[] = [];
    const log = (l: string) => void notes.push(l);
    const version = await this.store.jobs.version(job.id, job.currentVersion);
    if (!version)
      throw new SluiceError(
        'not_found',
        message('submission.noVersion', { version: job.currentVersion, job: job.name }),
      );
    const content = effectiveContent(
      version.content,
      await this.profiles.active(job, version.content.target),
    );
    const target = await this.targets.target(content.target);
    const render = target.applications?.render?.bind(target.applications);
    if (!render)
      throw new SluiceError(
        'precondition_failed',
        message('target.noRender', { target: target.name, kind: target.kind }),
      );
    const kind = targetKind(await this.targets.targetKindOf(content.target));
    const program: SqlProgram | JarDeployProgram =
      content.kind === 'sql'
        ? { content, ...(await this.validateSql(content, job, kind, log)) }
        : { content, jar: await this.validateJar(content, job, kind.name, log) };
    const savepoint = await this.resolveRestore(job, {}, log);
    const flinkJobId = randomBytes(16).toString('hex');
    const spec = await this.applicationSpecOf(
      job,
      { ...program, savepoint, params: {}, version: version.number } as DeploySpec,
      flinkJobId,
      log,
    );
    const rendered = await render(spec, log);
    return {
      target: target.name,
      flinkJobId,
      rendered: { ...rendered, yaml: maskKnownSecrets(rendered.yaml) },
    };
  }

  /**
   * Waits until the job's application cluster shows what `ready` asks; a process that died for good
   * (the JobManager) or keeps dying ends the wait at once, with what its log says.
   */
  private async awaitApplicationCluster(
    run: Run,
    apps: ApplicationClusters,
    flinkJobId: string,
    log: (line: string) => void,
    ready: (f: ApplicationClusterFacts) => boolean | Promise<boolean>,
    what: 'cluster' | 'submitted' = 'cluster',
    deadlineMs = APPLICATION_CLUSTER_DEADLINE_MS,
  ): Promise<ApplicationClusterFacts> {
    // Its pods' and processes' words and logs changing is progress: the wait ends when they stay still.
    const deadline = progressDeadline(() => this.clock.now(), deadlineMs);
    let last = '';
    for (;;) {
      run.checkCancel();
      const f = await apps.facts(flinkJobId);
      if (f.failing?.reason)
        throw new StepFailure(
          message('kubernetes.podFailing', {
            pod: f.failing.process,
            cluster: f.root,
            reason: f.failing.reason.reason,
            detail: f.failing.reason.detail,
          }),
          null,
          f.failing.log,
        );
      if (f.failing)
        throw new StepFailure(
          f.failing.restartable
            ? message('cluster.crashing', {
                process: f.failing.process,
                cluster: f.root,
                count: f.failing.crashes,
                log: f.failing.log,
              })
            : message('cluster.applicationJobManagerExited', { cluster: f.root, log: f.failing.log }),
          null,
          f.failing.log,
        );
      if (await ready(f)) return f;
      const line =
        f.status ??
        `JobManager ${f.jobManager ? 'answers' : 'does not answer yet'}, ${f.taskManagers}/${f.expectedTaskManagers} TaskManagers registered`;
      if (line !== last) log((last = line));
      deadline.see(`${line}\n${f.jobManagerLog}\n${f.taskManagerLog}`);
      if (deadline.passed()) {
        const seconds = deadline.seconds();
        throw new StepFailure(
          what === 'submitted'
            ? message('cluster.applicationJobNotSubmitted', { flinkJobId, seconds, log: f.jobManagerLog })
            : f.jobManager === null
              ? message('cluster.applicationJobManagerSilent', { flinkJobId, seconds, log: f.jobManagerLog })
              : message('cluster.applicationTaskManagersMissing', {
                  flinkJobId,
                  seconds,
                  registered: f.taskManagers,
                  expected: f.expectedTaskManagers,
                  log: f.taskManagerLog,
                }),
          null,
          what === 'submitted' || f.jobManager === null ? f.jobManagerLog : f.taskManagerLog,
        );
      }
      await this.clock.sleep(200);
    }
  }

  /**
   * A job's own cluster goes when its job has ended: its processes stop, its files stay for the logs.
   * On a session cluster whose logs go with its pods, they are kept for the run instead.
   */
  private async releaseCluster(
    target: DeploymentTarget | null,
    flinkJobId: string | null,
    jobName: string,
    log: (l: string) => void,
  ) {
    if (!target || !flinkJobId) return;
    if (!target.applications) return target.logs?.keep?.(jobName, flinkJobId, log).catch(() => undefined);
    await target.applications
      .release(flinkJobId, log)
      .catch((e: Error) => log(`stopping the application cluster failed: ${e.message}`));
  }

  /**
   * A job on a session cluster, through its SQL Gateway: prepare cluster -> open SQL session (with
   * the job's options) -> [add jars] -> [create catalogs] -> create tables -> plan -> submit -> wait until running.
   */
  private async deploySessionJob(
    run: Run,
    job: Job,
    { content, plan, savepoint, catalogs, jars, params, version: n }: SqlDeploySpec,
  ): Promise<void> {
    const target = await this.prepareSessionCluster(run, job, content);
    // The job's options are the session's from its start: one request, whatever their number.
    // A start that a platform restart rolled back hands its Flink job id on (see submit).
    const inherited = await this.interruptedReservation(job, run.submission.number);
    let reserved: string | null = null;
    const session = await run.step('open SQL session', async (log) => {
      const options = { ...plan.options };
      if (savepoint) {
        options['execution.savepoint.path'] = savepoint;
        options['execution.savepoint.ignore-unclaimed-state'] = String(params.allowNonRestoredState ?? false);
      }
      if (!inherited) {
        // The Flink job id is chosen and recorded before Flink can see the job (at submit): after a
        // crash the platform looks for exactly this id, and Flink refuses a second job with it.
        reserved = await this.reserveJobId(run, job, randomBytes(16).toString('hex'), log);
        options['$internal.pipeline.job-id'] = reserved;
      }
      const s = await workbenchOf(target).openSqlSession(
        `sluice-${job.name}-${run.submission.number}`,
        options,
      );
      log(`SQL session opened with ${Object.keys(options).length} options:`);
      for (const [k, v] of Object.entries(options)) log(`option '${k}' = '${v}'`);
      return s;
    });
    try {
      // The job's jars are in its own session only: the cluster ships them with this job alone.
      const connectors = await this.connectorsFor(content.target, plan, catalogs);
      if (jars.length || connectors?.jars.length || connectors?.missing.length)
        await run.step('add jars', async (log) => {
          await addJobJars(session, jars, target, log);
          if (!connectors) return;
          logConnectors(connectors, log);
          await addConnectorJars(session, connectors.jars, target, log);
        });
      if (catalogs.length)
        await run.step('create catalogs', async (log) => {
          for (const c of catalogs) {
            try {
              await session.execute(c.statement);
            } catch (e) {
              if (e instanceof StatementRefused)
                throw new StepFailure(
                  message('submission.catalogRefused', { catalog: c.name, cause: e.rootCause }),
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
            if (e instanceof StatementRefused) throw located(plannerProblem(stmt, e.rootCause), e);
            throw e;
          }
          log(`line ${stmt.line}: ${stmt.text.split('\n')[0]!.slice(0, 80)}: OK`);
        }
      });
      // Each INSERT is planned alone, as the editor's planner check does, so that an error is
      // reported at its line and column before anything is submitted.
      await run.step('plan', async (log) => {
        // What Flink planned once it plans again: the same statements with the same options,
        // catalogs and engine are not planned twice (the submit below would report the same
        // error at the same place anyway).
        const key = planKey(content.engineVersion, content.target, plan, catalogs, jars);
        const before = this.planned.get(key);
        if (before) {
          log(
            `planned by Flink before (submission #${before.submission} of ${before.job}): not planned again`,
          );
          return;
        }
        for (const stmt of plan.inserts) {
          try {
            await session.execute(`${EXPLAIN}${stmt.text}`);
          } catch (e) {
            if (e instanceof StatementRefused)
              throw located(plannerProblem(stmt, e.rootCause, EXPLAIN.length), e);
            throw e;
          }
          log(`line ${stmt.line}: planned`);
        }
        this.rememberPlanned(key, { job: job.name, submission: run.submission.number });
      });
      const flinkJobId = await run.step('submit', async (log) => {
        // A start that a platform restart rolled back hands its id on, in case the gateway still
        // submits it late: attach to that job if it exists, else submit with the same id.
        if (inherited) {
          const attached = await this.attachInterrupted(run, job, target, inherited, log);
          if (attached) return attached;
        }
        const id = reserved ?? (await this.reserveJobId(run, job, inherited!.id, log));
        if (!reserved) await session.execute(`SET '$internal.pipeline.job-id' = '${id}'`);
        try {
          const r = await session.execute(statementSetSql(plan.inserts));
          if (r.jobId !== id)
            throw new SluiceError(
              'internal',
              message('submission.otherJobId', { started: r.jobId ?? '?', reserved: id }),
            );
        } catch (e) {
          if (e instanceof StatementRefused) {
            const inSet = locateInStatementSet(plan.inserts, e.rootCause);
            if (inSet) throw located(plannerProblem(inSet.statement, inSet.message), e);
            const lines = plan.inserts.map((s) => s.line);
            const said =
              lines.length === 1
                ? message('submission.insertRefused', { line: lines[0]!, cause: e.rootCause })
                : message('submission.insertsRefused', { lines: lines.join(', '), cause: e.rootCause });
            throw new StepFailure(said, e.rootCause, e.trace);
          }
          throw e;
        }
        log(`Flink job ${id} submitted`);
        return id;
      });
      await this.waitUntilRunning(run, job, target, flinkJobId, content.restartPolicy, n);
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /** The last step of every deployment: Flink runs every task of the job, which is RUNNING then. */
  private async waitUntilRunning(
    run: Run,
    job: Job,
    target: DeploymentTarget,
    flinkJobId: string,
    policy: RestartPolicy,
    n: number,
    /**
     * A job's own cluster: what must happen first, within the step (its program submits the job), and
     * its processes' logs, whose change is progress while its tasks wait for them.
     */
    own?: { first: (log: (line: string) => void) => Promise<void>; logs: () => Promise<string> },
  ): Promise<void> {
    await run.step('wait until running', async (log) => {
      await own?.first(log);
      await this.awaitRunning(run, job, target, flinkJobId, policy, log, own?.logs);
      const current = (await this.store.jobs.getById(job.id))!;
      await this.states.move(
        current,
        'RUNNING',
        message('lifecycle.running', { flinkJobId, version: n }),
        'flink',
        {
          submissionId: run.submission.id,
          patch: {
            submissionInFlight: null,
            deployedVersion: n,
            ...(run.submission.kind === 'resubmit' ? {} : { resubmissions: 0 }),
          },
        },
      );
    });
  }

  /**
   * A start that a platform restart rolled back hands its reserved Flink job id on, in case Flink
   * still received the job late: attach to that job if it exists (answers its id), else null.
   */
  private async attachInterrupted(
    run: Run,
    job: Job,
    target: DeploymentTarget,
    inherited: { id: string; number: number },
    log: (l: string) => void,
  ): Promise<string | null> {
    const seen = await target.observer.observeJob(inherited.id);
    if (seen === 'absent') {
      log(`reusing Flink job id ${inherited.id} reserved by interrupted submission #${inherited.number}`);
      return null;
    }
    log(
      `Flink job ${inherited.id} of interrupted submission #${inherited.number} exists (${seen.state}): attaching to it, not submitting again`,
    );
    await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: inherited.id });
    run.submission.flinkJobId = inherited.id;
    await this.store.jobs.updateRuntime(job.id, { flinkJobId: inherited.id });
    return inherited.id;
  }

  /**
   * A JAR job on a session cluster, through Flink REST: upload jar -> run jar (with the Flink job id
   * reserved and recorded first, the job's configuration, the restore path) -> wait until running.
   * The uploaded jar is deleted from the JobManager once the run answered: the job keeps its own copy.
   */
  private async deploySessionJar(
    run: Run,
    job: Job,
    { content, jar, savepoint, params, version: n }: JarDeploySpec,
  ): Promise<void> {
    const target = await this.prepareSessionCluster(run, job, content);
    const jars = jarsOf(target);
    const inherited = await this.interruptedReservation(job, run.submission.number);
    const jarId = await run.step('upload jar', async (log) => {
      const id = await jars.uploadJar(jar.file);
      // Recorded before the run: a platform that dies before the delete below removes it at its restart.
      await this.store.lifecycle.updateSubmission(run.submission.id, { uploadedJarId: id });
      log(`${content.jar.name}@${content.jar.version} uploaded to ${target.name} as ${id}`);
      return id;
    });
    let flinkJobId: string;
    try {
      flinkJobId = await run.step('run jar', async (log) => {
        const attached = inherited ? await this.attachInterrupted(run, job, target, inherited, log) : null;
        if (attached) return attached;
        // Chosen and recorded before Flink can see the job: after a crash the platform looks for
        // exactly this id, and Flink refuses a second job with it.
        const id = await this.reserveJobId(run, job, inherited?.id ?? randomBytes(16).toString('hex'), log);
        const configuration = { ...jar.configuration, ...sessionClasspath(jar.classpath, target, log) };
        log(`Flink configuration of the run (${Object.keys(configuration).length} options):`);
        for (const [k, v] of Object.entries(configuration)) log(`option '${k}' = '${v}'`);
        if (jar.args.length) log(`program arguments: ${JSON.stringify(jar.args.map(maskKnownSecrets))}`);
        const started = await jars.runJar(jarId, {
          entryClass: content.entryClass,
          args: jar.args,
          parallelism: content.parallelism,
          jobId: id,
          savepointPath: savepoint,
          allowNonRestoredState: params.allowNonRestoredState ?? false,
          flinkConfiguration: configuration,
        });
        if (started !== id)
          throw new SluiceError('internal', message('submission.otherJobId', { started, reserved: id }));
        log(`Flink job ${id} submitted${savepoint ? `, restoring from ${savepoint}` : ''}`);
        return id;
      });
    } finally {
      await jars
        .deleteJar(jarId)
        .then(() => this.store.lifecycle.updateSubmission(run.submission.id, { uploadedJarId: null }))
        .then(() => run.note(`uploaded jar ${jarId} deleted from ${target.name}`))
        .catch((e: Error) => run.note(`uploaded jar ${jarId} not deleted from ${target.name}: ${e.message}`));
    }
    await this.waitUntilRunning(run, job, target, flinkJobId, content.restartPolicy, n);
  }

  /**
   * Waits until Flink runs every task of the job. A task failure meanwhile is read from Flink's
   * exception history at once: the job is NOT_RUNNING with that cause, and the wait ends as soon as
   * Flink gives up (the restart policy is spent) or the same cause comes back, with that cause first.
   */
  private async awaitRunning(
    run: Run,
    job: Job,
    target: DeploymentTarget,
    flinkJobId: string,
    policy: RestartPolicy,
    log: (line: string) => void,
    /** The logs of the job's own cluster: while they change, its TaskManagers are still coming up. */
    clusterLogs?: () => Promise<string>,
  ): Promise<void> {
    const submittedAt = this.clock.now();
    // What Flink reports of the job and its tasks changing is progress (and the cluster's logs, read
    // at most every PROGRESS_READ_MS): the wait ends when they stay still.
    const deadline = progressDeadline(() => this.clock.now(), RUNNING_DEADLINE_MS);
    let logs = '';
    let logsReadAt = -Infinity;
    // Most jobs run within a second of submission: the job overview, a light request, is read every
    // 20 ms for the first seconds (a growing interval added up to 100 ms to every start), then less often.
    const slower = backoff(100, 500, (ms) => this.clock.sleep(ms));
    const wait = () => (this.clock.now() - submittedAt < FAST_POLL_MS ? this.clock.sleep(20) : slower());
    let last = '';
    let failuresSeen = 0;
    let failuresReadAt = 0;
    /** Since when the job runs again after a failure, if it does. */
    let runningAgainSince: number | null = null;
    /** Reads Flink's exception history; a new failure is said at once, the same cause twice ends the wait. */
    const readFailures = async (state: string): Promise<boolean> => {
      failuresReadAt = this.clock.now();
      const failures = await target.observer.failures(flinkJobId);
      if (failures.length <= failuresSeen) return false;
      failuresSeen = failures.length;
      const newest = failures[0]!;
      log(`a task failed (failure ${failures.length}): ${newest.rootCause}`);
      const current = (await this.store.jobs.getById(job.id))!;
      await this.states.move(
        current,
        'NOT_RUNNING',
        message('lifecycle.failureWhileStarting', { flinkState: state, cause: newest.rootCause }),
        'flink',
        { submissionId: run.submission.id },
      );
      const same = failures.filter((f) => f.rootCause === newest.rootCause).length;
      if (same >= 2)
        throw new StepFailure(
          message('submission.sameCause', { count: same, cause: newest.rootCause }),
          newest.rootCause,
          newest.trace,
        );
      return true;
    };
    for (;;) {
      run.checkCancel();
      const seen = await target.observer.observeJob(flinkJobId);
      const state = seen === 'absent' ? 'absent' : seen.state;
      const line =
        seen === 'absent'
          ? 'the cluster does not know the job'
          : `Flink reports ${seen.state}, ${seen.tasks}`;
      if (line !== last) log((last = line));
      // A quick start is not slowed by them: the logs are read once the fast polls are over.
      const at = this.clock.now();
      if (clusterLogs && at - submittedAt >= FAST_POLL_MS && at - logsReadAt >= PROGRESS_READ_MS) {
        logsReadAt = at;
        logs = await clusterLogs().catch(() => logs);
      }
      deadline.see(`${line}\n${logs}`);
      if (state === 'FINISHED') return;
      if (seen !== 'absent' && state === 'RUNNING' && seen.allTasksRunning) {
        // One look at the exception history: a job whose tasks already failed is not running yet,
        // and one that runs again after a failure is running once it has stayed so for a second.
        if (await readFailures(state)) runningAgainSince = null;
        else if (failuresSeen === 0) return;
        else if (runningAgainSince === null) runningAgainSince = this.clock.now();
        else if (this.clock.now() - runningAgainSince >= RUNNING_AGAIN_MS) return;
      } else {
        runningAgainSince = null;
        if (state === 'FAILED' || state === 'CANCELED' || state === 'absent') {
          const cause = await target.observer.failureCause(flinkJobId);
          const spent = state === 'FAILED' && policy.kind !== 'none';
          const params = { flinkState: state, policy: restartPolicyMessage(policy) };
          throw new StepFailure(
            cause
              ? message(spent ? 'submission.endedGaveUpCause' : 'submission.endedCause', {
                  ...params,
                  cause: cause.rootCause,
                })
              : message(spent ? 'submission.endedGaveUp' : 'submission.ended', params),
            cause?.rootCause ?? null,
            cause?.trace ?? null,
          );
        }
        // A task failed and Flink restarts the job: say why at once (reading at most once a second;
        // a restart can be quicker than one poll, so a slow start is read too).
        const restarting = state === 'RESTARTING' || state === 'FAILING';
        const now = this.clock.now();
        if ((restarting || now - submittedAt > 2000) && now - failuresReadAt >= 1000)
          await readFailures(state);
      }
      if (deadline.passed())
        throw notRunningInTime(
          deadline.seconds(),
          state,
          seen === 'absent' ? '' : seen.tasks,
          await target.observer.failures(flinkJobId),
        );
      await wait();
    }
  }

  /** Records the Flink job id a submission will submit with, before Flink can see the job. */
  private async reserveJobId(run: Run, job: Job, id: string, log: (l: string) => void): Promise<string> {
    await this.store.lifecycle.updateSubmission(run.submission.id, { flinkJobId: id });
    run.submission.flinkJobId = id;
    await this.store.jobs.updateRuntime(job.id, { flinkJobId: id });
    log(`Flink job id ${id} reserved`);
    return id;
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

  /**
   * What a start restores. By default the job's latest savepoint or retained checkpoint (as Ververica
   * Platform's LATEST_STATE does), so that a plain start never throws state away silently; `none`
   * starts with empty state on request; a path is taken as given (checked when the start was asked).
   */
  private async resolveRestore(
    job: Job,
    params: SubmissionParams,
    log: (l: string) => void,
  ): Promise<string | null> {
    const asked = params.fromSavepoint;
    if (asked === 'none') {
      log('starting with empty state, as asked (restore: none)');
      return null;
    }
    if (asked && asked !== 'latest') {
      log(`restoring from ${asked}, as asked`);
      return asked;
    }
    const latest = await this.latestState(job, log);
    if (latest) {
      log(
        `restoring from the latest ${latest.kind} ${latest.path} (${latest.origin}, ${latest.createdAt})${asked ? '' : ": the default; start with restore 'none' for empty state"}`,
      );
      return latest.path;
    }
    if (asked === 'latest')
      throw new SluiceError('precondition_failed', message('job.noLatestState', { job: job.name }));
    log('no savepoint or retained checkpoint is recorded for this job: starting with empty state');
    return null;
  }

  /** The newest savepoint or retained checkpoint of the job that is still there to restore from. */
  async latestState(job: Job, log: (l: string) => void = () => {}): Promise<SavepointRecord | null> {
    const kinds = await this.programKinds(job);
    for (const r of await this.store.lifecycle.savepoints(job.id)) {
      const taken = kinds.get(r.flinkJobId);
      // A job whose kind changed: state of the other kind's program is never restored by default.
      if (taken && taken !== job.kind) {
        log(
          `skipping ${r.kind} ${r.path}: taken by the ${taken.toUpperCase()} program of an earlier version, whose state this ${job.kind.toUpperCase()} program cannot take (give it as the restore path to try anyway)`,
        );
        continue;
      }
      if (restorable(r.path)) return r;
      log(`skipping ${r.kind} ${r.path}: it is no longer on disk`);
    }
    return null;
  }

  /**
   * The kind of program each Flink job of the job ran, by its id, when its versions are not all of one
   * kind (else empty: nothing to tell apart).
   */
  private async programKinds(job: Job): Promise<Map<string, JobKind>> {
    const versions = await this.store.jobs.versions(job.id);
    const kinds = new Map<string, JobKind>();
    if (versions.every((v) => v.content.kind === job.kind)) return kinds;
    const byNumber = new Map(versions.map((v) => [v.number, v.content.kind]));
    for (const s of await this.store.lifecycle.submissions(job.id))
      if (s.flinkJobId && byNumber.has(s.versionNumber))
        kinds.set(s.flinkJobId, byNumber.get(s.versionNumber)!);
    return kinds;
  }

  /** Stop-with-savepoint; resolves with the savepoint path once Flink reports the job ended. */
  private async stop(run: Run, job: Job, drain: boolean): Promise<string> {
    const target = await this.targets.target(job.target);
    const id = job.flinkJobId!;
    const location = await run.step('stop with savepoint', async (log) => {
      log(
        `stopping Flink job ${id}${drain ? ' with drain (windows are flushed)' : ''}; savepoint into ${this.savepointDir(job)}`,
      );
      const p = await target.deployer.stopWithSavepoint(id, this.savepointDir(job), drain);
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
      // Its cluster is gone before the job is said to be STOPPED.
      await this.releaseCluster(target, id, job.name, log);
      const current = (await this.store.jobs.getById(job.id))!;
      await this.states.move(
        current,
        'STOPPED',
        message('lifecycle.stoppedWithSavepoint', { flinkJobId: id, flinkState: state, savepoint: location }),
        'flink',
        {
          submissionId: run.submission.id,
          patch: { submissionInFlight: run.submission.kind === 'upgrade' ? 'upgrading' : null },
        },
      );
    });
    return location;
  }

  private async cancel(run: Run, job: Job): Promise<void> {
    const target = await this.targets.target(job.target);
    const id = job.flinkJobId!;
    await run.step('cancel', async (log) => {
      await target.deployer.cancel(id);
      log(`cancel of Flink job ${id} requested`);
    });
    await run.step('wait until cancelled', async (log) => {
      const state = await this.awaitEnded(target, id, log);
      const current = (await this.store.jobs.getById(job.id))!;
      const to: LifecycleState =
        state === 'FAILED' ? 'FAILED' : state === 'FINISHED' ? 'FINISHED' : 'CANCELLED';
      // Its checkpoints are retained on cancel: the next start restores from the latest one.
      const checkpoint = await this.recordRetainedCheckpoint(current, run);
      if (checkpoint) log(`retained checkpoint ${checkpoint} recorded: the next start restores from it`);
      await this.releaseCluster(target, id, job.name, log);
      await this.states.move(
        current,
        to,
        message('lifecycle.afterCancel', { flinkJobId: id, flinkState: state }),
        'flink',
        {
          submissionId: run.submission.id,
          patch: { submissionInFlight: null },
        },
      );
    });
  }

  private async savepoint(run: Run, job: Job): Promise<void> {
    const target = await this.targets.target(job.target);
    await run.step('trigger savepoint', async (log) => {
      const p = await target.deployer.triggerSavepoint(job.flinkJobId!, this.savepointDir(job));
      log(`savepoint completed at ${p}`);
      await this.recordSavepoint(job, run, job.flinkJobId!, p, 'savepoint', 'user');
      await this.store.lifecycle.updateSubmission(run.submission.id, { savepointPath: p });
      await this.store.jobs.updateRuntime(job.id, { submissionInFlight: null });
    });
  }

  private async awaitEnded(target: DeploymentTarget, id: string, log: (l: string) => void): Promise<string> {
    const deadline = this.clock.now() + ENDED_DEADLINE_MS;
    const wait = backoff(20, 500, (ms) => this.clock.sleep(ms));
    let last = '';
    for (;;) {
      const state = (await this.endingState(target, id, log)) ?? 'not answering';
      if (state !== last) log(`Flink reports ${(last = state)}`);
      if (flinkJobEnded(state)) return state;
      if (state === 'absent') return 'CANCELED';
      if (this.clock.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('submission.notEnded', {
            flinkJobId: id,
            flinkState: state,
            seconds: ENDED_DEADLINE_MS / 1000,
          }),
        );
      await wait();
    }
  }

  /**
   * The state of a job asked to end. A job in a cluster of its own takes its JobManager with it once it
   * has ended (an application cluster shuts down after its job, a Kubernetes one is deleted): when that
   * JobManager stops answering and the cluster's processes or pods are gone, the job has ended. Null:
   * the cluster does not answer but is still there (ask again).
   */
  private async endingState(
    target: DeploymentTarget,
    id: string,
    log: (l: string) => void,
  ): Promise<string | null> {
    try {
      return await target.observer.jobState(id);
    } catch (e) {
      if (!(e instanceof TargetUnreachable) || !target.applications) throw e;
      const facts = await target.applications.facts(id).catch(() => null);
      if (facts && !facts.alive) {
        log(`its JobManager no longer answers and its cluster is gone: Flink job ${id} has ended`);
        return 'CANCELED';
      }
      return null;
    }
  }

  /** Records the latest checkpoint Flink retained for the job's current Flink job, if any; returns its path. */
  async recordRetainedCheckpoint(job: Job, run: Run | null = null): Promise<string | null> {
    if (!job.flinkJobId) return null;
    const target = await this.targets.target(job.target).catch(() => null);
    const reported = target ? await target.observer.latestCheckpoint(job.flinkJobId) : null;
    const checkpoint = reported && newestRetainedCheckpoint(reported);
    if (checkpoint)
      await this.recordSavepoint(job, run, job.flinkJobId, checkpoint, 'checkpoint', 'retained');
    return checkpoint;
  }

  /** Keeps a savepoint record and applies retention per kind: the oldest beyond the limit are deleted. */
  async recordSavepoint(
    job: Job,
    run: Run | null,
    flinkJobId: string,
    location: string,
    kind: 'savepoint' | 'checkpoint',
    origin: 'stop' | 'user' | 'upgrade' | 'retained',
  ): Promise<void> {
    const known = await this.store.lifecycle.savepoints(job.id);
    if (known.some((k) => k.path === location)) return;
    await this.store.lifecycle.addSavepoint({
      jobId: job.id,
      submissionId: run?.submission.id ?? null,
      flinkJobId,
      path: location,
      kind,
      origin,
      sizeBytes: sizeOf(location),
    });
    const all = (await this.store.lifecycle.savepoints(job.id)).filter((s) => s.kind === kind);
    for (const old of all.slice(this.config.savepointRetention)) {
      const local = localPath(old.path);
      if (local) fs.rmSync(local, { recursive: true, force: true });
      await this.store.lifecycle.removeSavepoint(old.id);
      await run?.note(`retention (${this.config.savepointRetention} kept): deleted ${kind} ${old.path}`);
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

export function localPath(location: string): string | null {
  if (location.startsWith('file:')) return location.replace(/^file:(\/\/)?/, '/').replace(/^\/+/, '/');
  return location.startsWith('/') ? location : null;
}

/**
 * The checkpoint to record for a path Flink's REST reported. Flink caches checkpoint statistics for
 * a few seconds (`rest.cache.checkpoint-statistics.timeout`, by default `web.refresh-interval`), so
 * the checkpoint it names may already be subsumed and deleted by a newer one: then the newest `chk-N`
 * beside it that holds a `_metadata` is the one retained. Paths Sluice cannot read are kept as given.
 */
export function newestRetainedCheckpoint(location: string): string | null {
  const local = localPath(location);
  if (local === null || fs.existsSync(path.join(local, '_metadata'))) return location;
  const dir = path.dirname(local);
  const newest = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    .map((name) => ({ name, n: /^chk-(\d+)$/.exec(name)?.[1] }))
    .filter((c) => c.n !== undefined && fs.existsSync(path.join(dir, c.name, '_metadata')))
    .sort((a, b) => Number(b.n) - Number(a.n))[0];
  if (!newest) return null;
  const found = path.join(dir, newest.name);
  return location.startsWith('file:') ? `file:${found}` : found;
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

const EXPLAIN = 'EXPLAIN ';
const PLANS_KEPT = 1000;

/** Everything a plan depends on: the engine and cluster, the options, catalogs and statements. */
function planKey(
  engine: string,
  cluster: string,
  plan: SqlDeploymentPlan,
  catalogs: { statement: string }[],
  jars: JobJar[],
): string {
  const options = Object.entries(plan.options).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(
      JSON.stringify([
        engine,
        cluster,
        options,
        catalogs.map((c) => c.statement),
        jars.map((j) => j.sha256),
        plan.setup.map((s) => s.text),
        plan.inserts.map((s) => s.text),
      ]),
    )
    .digest('hex');
}

/** A script the checks refuse: the first error with its place first, the others after it. */
function scriptRefused(errors: SqlProblem[]): StepFailure {
  const at = (p: SqlProblem) =>
    message('submission.at', { line: p.line, column: p.column, problem: p.message });
  const first = at(errors[0]!);
  const more = errors.length - 1;
  const said =
    more === 0
      ? message('submission.scriptRefused', { problem: first })
      : message(more === 1 ? 'submission.scriptRefusedOneMore' : 'submission.scriptRefusedMore', {
          problem: first,
          more,
        });
  return new StepFailure(
    said,
    renderMessage(first),
    errors.map((p) => renderMessage(at(p))).join('\n'),
    first,
  );
}

/** Flink's refusal of one statement, at its place in the script, with Flink's whole trace kept for the log. */
function located(problem: SqlProblem, e: StatementRefused): StepFailure {
  return new StepFailure(
    message('submission.statementRefused', {
      line: problem.line,
      column: problem.column,
      cause: problem.message,
    }),
    e.rootCause,
    e.trace,
  );
}

/** A job that did not run in time, with what Flink says: "not enough slots" only when Flink says so. */
function notRunningInTime(
  seconds: number,
  state: string,
  tasks: string,
  failures: JobFailure[],
): StepFailure {
  const waited = tasks
    ? message('submission.stillTasks', { flinkState: state, seconds, tasks })
    : message('submission.still', { flinkState: state, seconds });
  const noSlots = failures.find((f) => /NoResourceAvailableException/.test(`${f.exception}\n${f.trace}`));
  if (noSlots)
    return new StepFailure(
      message('submission.noSlots', { waited, cause: noSlots.rootCause }),
      noSlots.rootCause,
      noSlots.trace,
    );
  const latest = failures[0];
  if (latest)
    return new StepFailure(
      message('submission.latestFailure', { waited, cause: latest.rootCause }),
      latest.rootCause,
      latest.trace,
    );
  return new StepFailure(message('submission.noFailure', { waited }), null, null);
}

/** A savepoint or checkpoint on this machine's disk is restorable while its _metadata file is there. */
function restorable(location: string): boolean {
  const local = localPath(location);
  return local === null || fs.existsSync(path.join(local, '_metadata'));
}

/** A restore path given by the user is checked before anything changes. */
function checkRestoreParam(fromSavepoint: string | undefined): void {
  if (!fromSavepoint || fromSavepoint === 'latest' || fromSavepoint === 'none') return;
  const local = localPath(fromSavepoint);
  if (local && !fs.existsSync(local))
    throw new SluiceError('invalid_argument', message('job.noSavepointPath', { path: fromSavepoint }), {
      field: 'fromSavepoint',
    });
  if (local && !restorable(fromSavepoint))
    throw new SluiceError('invalid_argument', message('job.notASavepoint', { path: fromSavepoint }), {
      field: 'fromSavepoint',
    });
}

/** What a run gets of the engine's connector jars, and what the engine's lib lacks, in a step's log. */
function logConnectors(found: ConnectorJars, log: (l: string) => void): void {
  for (const m of found.missing)
    log(
      `warning: the engine's lib has no jar ${m.pattern} for connector ${m.connector}: the image must carry it`,
    );
  if (found.jars.length)
    log(
      `connector jars shipped: ${found.jars.map((j) => path.basename(j)).join(', ')} (${found.shipped.join('; ')}, from the engine's lib: the image's lib has none)`,
    );
}
