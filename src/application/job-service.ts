import fs from 'node:fs';
import path from 'node:path';
import { engineKey } from '../domain/engines/engine.ts';
import { SluiceError, invalid, notFound } from '../domain/errors.ts';
import { flinkOptionIssue, maxParallelismIssue } from '../domain/jobs/flink-options.ts';
import { commandRefusal, commandRefused } from '../domain/jobs/commands.ts';
import { checkJobName, checkParallelism, contentOf, needsDeploy, type Job } from '../domain/jobs/job.ts';
import type { JobEvent, SavepointRecord, Submission, SubmissionParams } from '../domain/jobs/submission.ts';
import {
  checkRestartPolicy,
  checkResubmitPolicy,
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
  type ResubmitPolicy,
} from '../domain/jobs/restart-policy.ts';
import {
  diffVersions,
  sqlOf,
  type JobContent,
  type JobKind,
  type JobVersion,
  type VersionDiff,
} from '../domain/jobs/versions.ts';
import type { SqlProblem } from '../domain/sql/syntax.ts';
import { planSqlDeployment } from '../domain/sql/deployment-plan.ts';
import type { RuntimeDetails } from '../domain/targets/deployment-target.ts';
import type { MetadataStore } from './ports/store.ts';
import type { TargetService } from './target-service.ts';
import type { EngineService } from './engine-service.ts';
import { localPath, type ScriptValidator, type SubmissionRunner } from './submissions.ts';
import type { Workspace } from './workspace.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import { optionChangeReport, type OptionChangeReport } from './option-changes.ts';
import { message } from '../domain/messages.ts';
import { applicationResources } from '../domain/clusters/application-resources.ts';
import { targetKind } from '../domain/targets/target-kinds.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import { refuseRemoteClasspath } from './job-jars.ts';
import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import { requireSameSpace, type SpaceReference } from './space-service.ts';

export interface CreateJobInput {
  name: string;
  /** A SQL job's script (give either this or `jar`). */
  sql?: string | undefined;
  /** A JAR job's program: `name` (pinned to the latest version at save) or `name@version`. */
  jar?: string | undefined;
  /** The class whose main runs; left out: the jar's Main-Class. */
  entryClass?: string | null | undefined;
  args?: string[] | undefined;
  /** Extra artifacts on a JAR job's classpath, as `name` or `name@version`. */
  classpath?: string[] | undefined;
  description?: string | undefined;
  options?: Record<string, string> | undefined;
  parallelism?: number | undefined;
  engineVersion?: string | undefined;
  target?: string | undefined;
  restartPolicy?: RestartPolicy | undefined;
  resubmitPolicy?: ResubmitPolicy | undefined;
  /** Workspace catalogs to create in the job's session, in this order. */
  catalogs?: string[] | undefined;
  /** Artifacts the job needs, as `name` (pinned to the latest version at save) or `name@version`. */
  artifacts?: string[] | undefined;
  message?: string | undefined;
}

export type JobChanges = Partial<Omit<CreateJobInput, 'name' | 'message'>>;

export type JobView = Job & {
  /** The saved version differs from the deployed one: a restart or upgrade would change what runs. */
  needsDeploy: boolean;
  /** Restarts and the last checkpoint of a live job, read from Flink when one job is asked for. */
  runtime?: RuntimeDetails | null;
  /** What a start restores by default (the latest savepoint or retained checkpoint), when one job is asked for. */
  defaultRestore?: SavepointRecord | null;
  /** Where the JobManager of the job's own cluster answers while it runs (application targets); else null. */
  restUrl?: string | null;
};

/** Program arguments are stored with every version and sent on every start: they stay small. */
const ARGS_LIMITS = { count: 1000, chars: 65_536 };

/** What saving found in the script: a draft may be saved with errors, and is told so. */
export interface Saved {
  warnings: SqlProblem[];
}

/** What deleting a job removed from disk, and what it left where it could not or was asked not to. */
export interface DeletedJob {
  removed: string[];
  kept: string[];
  notRemoved: { path: string; why: string }[];
}

/** The kind a new job's content is of: a script or a jar, exactly one of them. */
function kindOf(input: JobChanges): JobKind {
  const sql = input.sql !== undefined;
  const jar = input.jar !== undefined;
  if (sql && jar) throw new SluiceError('invalid_argument', message('job.bothSqlAndJar'), { field: 'jar' });
  if (!sql && !jar)
    throw new SluiceError('invalid_argument', message('job.neitherSqlNorJar'), { field: 'sql' });
  return jar ? 'jar' : 'sql';
}

/**
 * An edit that gives the other kind's program (a script for a JAR job, a jar for a SQL job) and not
 * its own makes the job of that kind from this version on.
 */
function kindChangeOf(base: JobContent, changes: JobChanges): JobKind | null {
  const sql = changes.sql !== undefined;
  const jar = changes.jar !== undefined;
  if (base.kind === 'sql' && jar && !sql) return 'jar';
  if (base.kind === 'jar' && sql && !jar) return 'sql';
  return null;
}

/** The states in which no Flink job of the job runs nor is being changed. */
const AT_REST = ['CREATED', 'STOPPED', 'CANCELLED', 'FAILED', 'FINISHED'];

/** A job keeps its kind unless its program is given: fields of the other kind are refused, naming the first one. */
function checkKindFields(kind: JobKind, changes: JobChanges, job: string): void {
  const given = (fields: (keyof JobChanges)[]) =>
    fields.find((f) => {
      const v = changes[f];
      return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
    });
  const other =
    kind === 'sql'
      ? given(['jar', 'entryClass', 'args', 'classpath'])
      : given(['sql', 'catalogs', 'artifacts']);
  if (other)
    throw invalid(other, message(kind === 'sql' ? 'job.notJarJob' : 'job.notSqlJob', { job, field: other }));
}

const view = (j: Job): JobView => ({ ...j, needsDeploy: needsDeploy(j) });

/** Jobs, their versions, and the lifecycle commands that become submissions. */
export class JobService {
  constructor(
    private readonly store: MetadataStore,
    private readonly engines: EngineService,
    private readonly targets: TargetService,
    private readonly runner: SubmissionRunner,
    private readonly workspace: Workspace,
    private readonly validateScript: ScriptValidator,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Refuses content beyond its target's per-job ranges (quota-service.ts); by default nothing is refused. */
  checkRanges: (content: JobContent) => Promise<void> = async () => {};

  /** A draft may be saved with errors (it cannot be started until they are fixed): they come back as warnings. */
  private async warnings(c: JobContent, space: string): Promise<SqlProblem[]> {
    if (c.kind !== 'sql') return [];
    const report = await this.validateScript(c.sql, c.engineVersion, space);
    return report.problems.filter((p) => p.severity === 'error');
  }

  /** `space`: the job's, whose file folders its script may name. */
  private async content(
    base: JobContent | null,
    changes: JobChanges,
    name: string,
    space: string,
  ): Promise<JobContent> {
    // A kind change keeps what every kind has (target, engine, options, policies) and nothing else.
    if (changes.sql !== undefined && changes.jar !== undefined) kindOf(changes);
    const kind = base ? (kindChangeOf(base, changes) ?? base.kind) : kindOf(changes);
    if (base) checkKindFields(kind, changes, name);
    // The script first: what is wrong with it is what the user can fix right away.
    const sql = kind === 'sql' ? (changes.sql ?? (base?.kind === 'sql' ? base.sql : '')) : '';
    if (kind === 'sql') {
      if (!sql.trim())
        throw new SluiceError('invalid_argument', message('job.emptyScript'), { field: 'sql' });
      planSqlDeployment(sql, changes.options ?? base?.options ?? {});
    } else
      for (const [k, v] of Object.entries(changes.options ?? base?.options ?? {})) {
        const issue = flinkOptionIssue(k, v);
        if (issue) throw invalid(`options.${k}`, message('job.badOption', { key: k, problem: issue }));
      }
    const engineVersion = engineKey(
      changes.engineVersion ?? base?.engineVersion ?? (await this.engines.default())?.version ?? '',
    );
    if (!engineVersion) throw new SluiceError('precondition_failed', message('engine.noneInstalled'));
    await this.engines.get(engineVersion);
    // Left out on create or at an engine change: the default of the job's space, never another space's cluster.
    const target =
      changes.target ??
      (changes.engineVersion || !base
        ? await this.targets.defaultForSpace(engineVersion, space)
        : base.target);
    const targetEngine = await this.targets.engineVersionOf(target);
    if (targetEngine !== engineVersion)
      throw new SluiceError(
        'invalid_argument',
        message('job.targetEngine', { target, targetEngine, engine: engineVersion }),
        { field: 'target' },
      );
    // A secret pasted as a value is stored as a reference to its variable, never as itself.
    const guarded = await this.workspace.variables.referenceSecrets(
      sql,
      changes.options ?? base?.options ?? {},
    );
    const common = {
      description: await this.workspace.variables.reference(changes.description ?? base?.description ?? ''),
      options: guarded.options,
      parallelism: changes.parallelism ?? base?.parallelism ?? 1,
      engineVersion,
      target,
      restartPolicy: changes.restartPolicy ?? base?.restartPolicy ?? DEFAULT_RESTART_POLICY,
      resubmitPolicy: changes.resubmitPolicy ?? base?.resubmitPolicy ?? { kind: 'none' as const },
    };
    let c: JobContent;
    if (kind === 'sql') {
      const sqlBase = base?.kind === 'sql' ? base : null;
      const catalogs = changes.catalogs ?? sqlBase?.catalogs ?? [];
      await this.workspace.catalogs.checkNames(catalogs);
      // A file outside the allowed folders is refused now, not only at the start that would open it.
      await this.workspace.files.check(
        [sql],
        space,
        (await this.workspace.variables.forLineage(space)).value,
      );
      const artifacts = await this.workspace.artifacts.pin(changes.artifacts ?? sqlBase?.artifacts ?? []);
      c = { kind: 'sql', ...common, sql: guarded.sql, catalogs, artifacts };
    } else {
      const jarBase = base?.kind === 'jar' ? base : null;
      const [jar] = changes.jar ? await this.workspace.artifacts.pin([changes.jar], 'jar') : [jarBase!.jar];
      const jarChanged = !jarBase || jar!.name !== jarBase.jar.name || jar!.version !== jarBase.jar.version;
      // A new jar runs its own Main-Class unless a class is named: the old one may not be in it.
      const asked =
        changes.entryClass !== undefined ? changes.entryClass : jarChanged ? null : jarBase.entryClass;
      const entryClass = await this.workspace.artifacts.entryClassIn(jar!, asked?.trim() || null);
      // A secret pasted into an argument is stored as its reference; a reference must name a variable.
      const args = await this.workspace.variables.referenceSecretsInArgs(changes.args ?? jarBase?.args ?? []);
      const undefinedRef = await this.workspace.variables.undefinedInArgs(args);
      if (undefinedRef)
        throw invalid(
          'args',
          message('variable.undefined', {
            name: undefinedRef.name,
            place: message('variable.atArgument', { argument: undefinedRef.argument }),
          }),
        );
      const chars = args.reduce((n, a) => n + a.length, 0);
      if (args.length > ARGS_LIMITS.count || chars > ARGS_LIMITS.chars)
        throw invalid(
          'args',
          message('job.argsTooLong', {
            count: args.length,
            chars,
            maxCount: ARGS_LIMITS.count,
            maxChars: ARGS_LIMITS.chars,
          }),
        );
      const classpath = await this.workspace.artifacts.pin(
        changes.classpath ?? (jarBase?.classpath ?? []).map((r) => `${r.name}@${r.version}`),
        'classpath',
      );
      refuseRemoteClasspath(classpath, target, await this.targets.targetKindOf(target));
      c = { kind: 'jar', ...common, jar: jar!, entryClass, args, classpath };
    }
    checkParallelism(c.parallelism);
    // The parallelism field is the job's parallelism: the option would override it unseen (or exceed it).
    if (c.options['parallelism.default'] !== undefined)
      throw new SluiceError('invalid_argument', message('job.parallelismOption', { min: 1, max: 1024 }), {
        field: 'options.parallelism.default',
      });
    // Each value was checked with the script (planSqlDeployment); this is how two of them agree.
    const maxProblem = maxParallelismIssue(c.options, c.parallelism);
    if (maxProblem) throw invalid('options.pipeline.max-parallelism', maxProblem);
    checkRestartPolicy(c.restartPolicy);
    checkResubmitPolicy(c.resubmitPolicy);
    // On a target whose jobs run in clusters of their own, the options that size that cluster are checked now.
    if (targetKind(await this.targets.targetKindOf(target)).deployment === 'application-cluster')
      applicationResources(c.parallelism, c.options);
    await this.checkRanges(c);
    await this.noSecretLeftIn(c);
    return c;
  }

  /**
   * The whole content is stored (as the version's JSON): a secret value left where no reference can
   * stand (an option's key) is refused, naming the place, rather than kept in clear.
   */
  private async noSecretLeftIn(c: JobContent): Promise<void> {
    const hit = (await this.workspace.variables.secretsIn(c))[0];
    if (!hit) return;
    const field = hit.path.split('.')[0] || 'content';
    throw new SluiceError(
      'invalid_argument',
      hit.key !== null && field === 'options'
        ? message('job.secretInOptionKey', { key: maskKnownSecrets(hit.key), variable: hit.variable })
        : message('job.secretInField', { field: hit.path, variable: hit.variable }),
      { field },
    );
  }

  /** A job in `space` (default `default`), written with it at once. */
  async create(
    input: CreateJobInput,
    author: string,
    space: string | null = DEFAULT_SPACE,
  ): Promise<JobView & Saved> {
    checkJobName(input.name);
    if (await this.store.jobs.getByName(input.name))
      throw new SluiceError('conflict', message('job.exists', { job: input.name }), {
        field: 'name',
      });
    const content = await this.content(null, input, input.name, space ?? DEFAULT_SPACE);
    const warnings = await this.warnings(content, space ?? DEFAULT_SPACE);
    const job = await this.store.jobs.create(
      input.name,
      content,
      author,
      await this.workspace.variables.reference(input.message ?? 'created'),
      space ?? DEFAULT_SPACE,
    );
    return { ...view(job), warnings };
  }

  /**
   * The option changes moving this job to Flink `to` implies; with `rewrite`, the rewritable ones are
   * saved as a new version (its engine unchanged: the job can be prepared before the engine moves).
   */
  async optionChanges(
    name: string,
    to: string,
    rewrite: boolean,
    author: string,
  ): Promise<OptionChangeReport & { savedVersion: number | null }> {
    const job = await this.require(name);
    const report = optionChangeReport(sqlOf(job), job.options, job.engineVersion, to);
    if (!rewrite || report.applied === 0) return { ...report, savedVersion: null };
    const v = await this.update(
      name,
      job.currentVersion,
      {
        ...(job.kind === 'sql' ? { sql: report.rewritten.sql } : {}),
        options: report.rewritten.options,
      },
      `options rewritten for Flink ${to} (${report.applied} changes)`,
      author,
    );
    return { ...report, savedVersion: v.number };
  }

  /** Saves an edit as a new version on top of `baseVersion`; a concurrent save makes this a 409. */
  async update(
    name: string,
    baseVersion: number,
    changes: JobChanges,
    versionMessage: string,
    author: string,
  ): Promise<JobVersion & Saved> {
    const job = await this.require(name);
    const to = kindChangeOf(contentOf(job), changes);
    // Another kind of program cannot take the running one's state: it is started, not upgraded.
    if (to && (!AT_REST.includes(job.state) || job.submissionInFlight))
      throw new SluiceError(
        'conflict',
        message('job.kindChangeWhileLive', { job: name, state: job.state, from: job.kind, to }),
        { field: to, state: job.state },
      );
    const space = (await this.store.spaces.spaceOf('job', name)) ?? DEFAULT_SPACE;
    const content = await this.content(contentOf(job), changes, name, space);
    const warnings = await this.warnings(content, space);
    return {
      ...(await this.store.jobs.saveVersion(
        job.id,
        baseVersion,
        content,
        author,
        await this.workspace.variables.reference(versionMessage),
      )),
      warnings,
    };
  }

  async versions(name: string): Promise<JobVersion[]> {
    return this.store.jobs.versions((await this.require(name)).id);
  }

  async version(name: string, n: number): Promise<JobVersion> {
    const v = await this.store.jobs.version((await this.require(name)).id, n);
    if (!v)
      throw notFound(
        'version',
        String(n),
        message('job.versionNotFound', {
          version: n,
          job: name,
          current: (await this.require(name)).currentVersion,
        }),
      );
    return v;
  }

  async diff(name: string, from: number, to: number): Promise<VersionDiff> {
    return diffVersions(await this.version(name, from), await this.version(name, to));
  }

  /**
   * A rollback is a new version with an old version's content: history is never rewritten. With
   * `sameSpaceOnly` (a caller who is no platform admin) the old content may name only things of the
   * job's space, as an edit may: a version a platform admin put on another space's target stays in
   * the history, and is not brought back by a member.
   */
  async rollback(
    name: string,
    to: number,
    author: string,
    opts: { sameSpaceOnly?: boolean } = {},
  ): Promise<JobVersion> {
    const job = await this.require(name);
    const old = await this.version(name, to);
    if (opts.sameSpaceOnly) await this.requireItsSpace(name, old.content);
    return this.store.jobs.saveVersion(
      job.id,
      job.currentVersion,
      old.content,
      author,
      `rollback to version ${to}`,
    );
  }

  /** The things `content` names are all of the job's space (or everyone's). */
  private async requireItsSpace(name: string, content: JobContent): Promise<void> {
    const space = (await this.store.spaces.spaceOf('job', name)) ?? DEFAULT_SPACE;
    await requireSameSpace(spaceReferences(content), space, this.store.spaces);
  }

  /** A copy lands in the space of the job it copies; `sameSpaceOnly` as for a rollback. */
  async copy(
    name: string,
    newName: string,
    author: string,
    opts: { sameSpaceOnly?: boolean } = {},
  ): Promise<JobView> {
    const job = await this.require(name);
    const space = (await this.store.spaces.spaceOf('job', name)) ?? DEFAULT_SPACE;
    checkJobName(newName);
    if (opts.sameSpaceOnly) await this.requireItsSpace(name, contentOf(job));
    if (await this.store.jobs.getByName(newName))
      throw new SluiceError('conflict', message('job.exists', { job: newName }), { field: 'name' });
    return view(
      await this.store.jobs.create(
        newName,
        contentOf(job),
        author,
        `copied from ${name} version ${job.currentVersion}`,
        space,
      ),
    );
  }

  /**
   * Deletes the job, its history and, unless asked to keep them, its savepoint and retained
   * checkpoint folders on this machine; says what it removed.
   */
  async delete(name: string, opts: { keepSavepoints?: boolean } = {}): Promise<DeletedJob> {
    const job = await this.require(name);
    const why = commandRefusal(job, 'delete');
    if (why) throw new SluiceError('conflict', commandRefused(name, 'delete', why), { state: job.state });
    const folders = await this.stateFolders(job);
    await this.store.jobs.remove(job.id);
    const result: DeletedJob = { removed: [], kept: [], notRemoved: [] };
    for (const f of folders) {
      const local = localPath(f);
      if (!local) {
        result.notRemoved.push({
          path: f,
          why: 'not on this machine: remove it with the tools of its storage',
        });
        continue;
      }
      if (!fs.existsSync(local)) continue;
      if (opts.keepSavepoints) {
        result.kept.push(local);
        continue;
      }
      fs.rmSync(local, { recursive: true, force: true });
      result.removed.push(local);
    }
    return result;
  }

  /**
   * Where the job's state lives: its savepoint folder, every savepoint and checkpoint recorded for it,
   * and the checkpoint folder of each Flink job it ran (`<checkpoint dir>/<Flink job id>`).
   */
  private async stateFolders(job: Job): Promise<string[]> {
    const folders = new Set<string>([this.runner.savepointDir(job)]);
    const records = await this.store.lifecycle.savepoints(job.id);
    const flinkJobIds = new Set(
      (await this.store.lifecycle.submissions(job.id)).map((s) => s.flinkJobId).filter((id) => id !== null),
    );
    if (job.flinkJobId) flinkJobIds.add(job.flinkJobId);
    const checkpointBases = new Set<string>();
    for (const r of records) {
      if (r.kind === 'checkpoint') {
        // <base>/<Flink job id>/chk-N: the whole folder of that Flink job goes.
        const jobFolder = path.posix.dirname(r.path);
        folders.add(jobFolder);
        checkpointBases.add(path.posix.dirname(jobFolder));
      } else folders.add(r.path);
    }
    const own = job.options['execution.checkpointing.dir'] ?? job.options['state.checkpoints.dir'];
    if (own) checkpointBases.add(own);
    const clusterDir = await this.targets.checkpointDir(job.target).catch(() => null);
    if (clusterDir) checkpointBases.add(clusterDir);
    for (const base of checkpointBases)
      for (const id of flinkJobIds) folders.add(`${base.replace(/\/$/, '')}/${id}`);
    return [...folders];
  }

  async require(name: string): Promise<Job> {
    const job = await this.store.jobs.getByName(name);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: name }), { job: name });
    return job;
  }

  async list(): Promise<JobView[]> {
    return (await this.store.jobs.list()).map(view);
  }

  async get(name: string): Promise<JobView> {
    const job = await this.require(name);
    const defaultRestore = await this.runner.latestState(job);
    const live = job.flinkJobId && ['RUNNING', 'NOT_RUNNING'].includes(job.state);
    const target = job.flinkJobId ? await this.targets.target(job.target).catch(() => null) : null;
    const runtime =
      live && target ? await target.observer.runtimeDetails(job.flinkJobId!).catch(() => null) : null;
    // A cluster that still runs after its job ended (it goes at once) has nothing to show any more.
    const restUrl =
      target?.applications &&
      job.flinkJobId &&
      !['FINISHED', 'STOPPED', 'FAILED', 'CANCELLED'].includes(job.state)
        ? target.applications.restUrl(job.flinkJobId)
        : null;
    return { ...view(job), runtime, defaultRestore, restUrl };
  }

  start(name: string, params: SubmissionParams, author: string): Promise<Submission> {
    return this.command(name, 'start', params, author);
  }
  stop(name: string, drain: boolean, author: string): Promise<Submission> {
    return this.command(name, 'stop', { drain }, author);
  }
  cancel(name: string, author: string): Promise<Submission> {
    return this.command(name, 'cancel', {}, author);
  }
  savepoint(name: string, author: string): Promise<Submission> {
    return this.command(name, 'savepoint', {}, author);
  }
  upgrade(name: string, params: SubmissionParams, author: string): Promise<Submission> {
    return this.command(name, 'upgrade', params, author);
  }

  private async command(
    name: string,
    kind: Submission['kind'],
    params: SubmissionParams,
    author: string,
  ): Promise<Submission> {
    return this.runner.launch(await this.require(name), kind, params, author);
  }

  /**
   * The resubmit policy, when Flink gave up on a job the user wants running: submit it again from its
   * latest retained checkpoint (else the savepoint it started from), after the back-off. Flink's own
   * restarts happened before this, inside the Flink job.
   */
  async resubmitAfterFailure(job: Job): Promise<Submission | null> {
    const policy = job.resubmitPolicy;
    if (policy.kind === 'none' || job.desiredState !== 'running') return null;
    if (job.resubmissions >= policy.attempts) return null;
    await this.clock.sleep(policy.backoffSeconds * 1000);
    const current = await this.store.jobs.getById(job.id);
    if (
      !current ||
      current.state !== 'FAILED' ||
      current.submissionInFlight ||
      current.desiredState !== 'running'
    )
      return null;
    await this.runner.recordRetainedCheckpoint(current);
    await this.store.jobs.updateRuntime(current.id, { resubmissions: current.resubmissions + 1 });
    const refreshed = (await this.store.jobs.getById(current.id))!;
    return this.runner.launch(
      refreshed,
      'resubmit',
      // Never nothing: the latest checkpoint or savepoint, else what the job was started from.
      { fromSavepoint: await this.runner.restoreForResubmission(refreshed), allowNonRestoredState: false },
      `resubmit policy (attempt ${refreshed.resubmissions} of ${policy.attempts})`,
    );
  }

  async submissions(name: string): Promise<Submission[]> {
    return this.store.lifecycle.submissions((await this.require(name)).id);
  }

  async submission(name: string, n: number): Promise<Submission> {
    const s = await this.store.lifecycle.submissionByNumber((await this.require(name)).id, n);
    if (!s)
      throw notFound(
        'submission',
        `${name}#${n}`,
        message('job.submissionNotFound', { job: name, number: n }),
      );
    return s;
  }

  async events(name: string): Promise<JobEvent[]> {
    return this.store.lifecycle.events((await this.require(name)).id);
  }

  /** What a start would apply on the job's Kubernetes target (`sluice k8s render`); nothing starts. */
  async render(name: string) {
    const job = await this.require(name);
    const { target, flinkJobId, rendered } = await this.runner.renderApplication(job);
    return { target, flinkJobId, ...rendered };
  }

  async savepoints(name: string): Promise<SavepointRecord[]> {
    return this.store.lifecycle.savepoints((await this.require(name)).id);
  }
}

/** What a version's content names that belongs to a space: its target, catalogs and artifacts. */
function spaceReferences(c: JobContent): SpaceReference[] {
  const artifacts = c.kind === 'sql' ? c.artifacts : [c.jar, ...c.classpath];
  return [
    { kind: 'target', name: c.target },
    ...(c.kind === 'sql' ? c.catalogs : []).map((name) => ({ kind: 'catalog' as const, name })),
    ...artifacts.map((a) => ({ kind: 'artifact' as const, name: a.name })),
  ];
}
