import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { codedOf, invalid, notFound } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import { flinkJobEnded } from '../domain/jobs/job.ts';
import {
  appliesInDebugRun,
  planDebugRun,
  type DebugPlan,
  type DebugSourceInput,
} from '../domain/sql/debug-plan.ts';
import { setStatement } from '../domain/sql/statements.ts';
import type { SqlProblem } from '../domain/sql/syntax.ts';
import {
  type DeploymentTarget,
  type ObservedJob,
  type QueryStream,
  type SqlSession,
  workbenchOf,
} from '../domain/targets/deployment-target.ts';
import { StatementRefused } from '../domain/targets/target-errors.ts';
import { backoff } from './waits.ts';
import type { TargetService } from './target-service.ts';
import type { SluiceConfig } from './config.ts';
import type { JobService } from './job-service.ts';
import { plannerProblem } from './sql-service.ts';
import type { Workspace } from './workspace.ts';
import { maskKnownSecrets, maskSecretsIn } from './secret-masking.ts';
import { addJobJars } from './job-jars.ts';
import type { JobJar } from '../domain/artifacts/artifact.ts';

export interface DebugRunRequest {
  /** The script to run; or `jobName` to run the current version of a job. */
  sql?: string | undefined;
  jobName?: string | undefined;
  /** A local session cluster or a Kubernetes session target (default: the cluster of the job's or the default engine). */
  target?: string | undefined;
  rowLimit?: number | undefined;
  timeLimitSeconds?: number | undefined;
  rowsPerSecond?: number | undefined;
  /** Per source table: datagen options, or the rows to read instead (JSON objects or CSV lines). */
  /** Workspace catalogs to create first (default: the job's). */
  catalogs?: string[] | undefined;
  /** The space it runs in (its job's): only that space's variables are substituted. */
  space?: string | null | undefined;
  /** Artifacts added to the sandbox session first, `name` or `name@version` (default: the job's). */
  artifacts?: readonly string[] | undefined;
  sources?:
    | Record<string, { options?: Record<string, string>; rows?: Record<string, unknown>[]; csv?: string }>
    | undefined;
}

export type ChangeKind = '+I' | '-U' | '+U' | '-D';

export interface DebugRow {
  seq: number;
  sink: string;
  kind: ChangeKind;
  fields: unknown[];
  at: string;
}

export interface DebugRunView {
  id: string;
  state: 'starting' | 'running' | 'finished' | 'failed';
  /** Why it ended: a limit, a request, the queries ending, or the failure (in English). */
  reason: string | null;
  /** The same as a message code with parameters, for a client to say in its language. */
  reasonMessage: Message | null;
  /** The deployment target whose session cluster runs it. */
  target: string;
  jobName: string | null;
  rowLimit: number;
  timeLimitSeconds: number;
  rowCount: number;
  startedAt: string;
  firstRowAt: string | null;
  endedAt: string | null;
  sinks: { sink: string; line: number; columns: string[]; rows: number }[];
  tables: DebugPlan['tables'];
  notes: string[];
  /** Where the script failed, positioned in the script. */
  problem: SqlProblem | null;
  log: string[];
}

export type DebugEvent = { type: 'row'; row: DebugRow } | { type: 'status'; run: DebugRunView };

const KINDS: Record<string, ChangeKind> = {
  INSERT: '+I',
  UPDATE_BEFORE: '-U',
  UPDATE_AFTER: '+U',
  DELETE: '-D',
};

interface Run {
  view: DebugRunView;
  rows: DebugRow[];
  events: EventEmitter;
  streams: QueryStream[];
  /** Pipeline names of the queries sent to the gateway whose Flink job may exist (or appear later). */
  submitted: Set<string>;
  stopping: Message | null;
  done: Promise<void>;
  timer?: NodeJS.Timeout;
}

/** How many finished runs are kept for their results. */
const KEPT_RUNS = 50;

/**
 * Debug runs: a job's SQL in a sandbox session on a local session cluster, sinks replaced by the
 * collect sink (see planDebugRun). A run never touches the job's deployment; its Flink jobs are
 * named `sluice-debug-<run>-<n>` and are cancelled when it ends, whatever the reason.
 */
export class SqlDebugService {
  private readonly runs = new Map<string, Run>();
  /** A session opened ahead per cluster, so a run does not wait for one. */
  private readonly spare = new Map<string, Promise<SqlSession>>();

  constructor(
    private readonly targets: TargetService,
    private readonly jobs: JobService,
    private readonly config: SluiceConfig,
    private readonly workspace: Workspace,
  ) {}

  async start(req: DebugRunRequest): Promise<DebugRunView> {
    const rowLimit = req.rowLimit ?? 100;
    const timeLimitSeconds = req.timeLimitSeconds ?? 60;
    if (!Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > 10_000)
      throw invalid('rowLimit', message('debug.badRowLimit', { value: String(rowLimit) }));
    if (!(timeLimitSeconds > 0 && timeLimitSeconds <= 3600))
      throw invalid('timeLimitSeconds', message('debug.badTimeLimit', { value: String(timeLimitSeconds) }));
    const rowsPerSecond = req.rowsPerSecond ?? 10;
    if (!Number.isInteger(rowsPerSecond) || rowsPerSecond < 1 || rowsPerSecond > 100_000)
      throw invalid('rowsPerSecond', message('debug.badRowsPerSecond', { value: String(rowsPerSecond) }));
    if (!req.sql === !req.jobName) throw invalid('sql', message('debug.sqlOrJob'));

    const found = req.jobName ? await this.jobs.require(req.jobName) : null;
    if (found && found.kind !== 'sql')
      throw invalid('jobName', message('debug.notSqlJob', { job: found.name }));
    const job = found?.kind === 'sql' ? found : null;
    // The same substitution as a submission: variables in, secrets masked on the way out.
    const resolved = await this.workspace.variables.resolve(
      job ? job.sql : req.sql!,
      job?.options ?? {},
      req.space,
    );
    const sql = resolved.sql;
    const catalogs = await this.workspace.catalogs.statements(req.catalogs ?? job?.catalogs ?? []);
    await this.workspace.files.check([sql], req.space);
    // The job's UDFs are in the sandbox too: its jars go to the run's own session.
    const jars = await this.workspace.artifacts.jobJars(
      await this.workspace.artifacts.pin(req.artifacts ?? job?.artifacts ?? []),
      false,
    );
    // Left out, in any space: the engine's session cluster, as for an application target's jobs (no SQL
    // Gateway there); a debug run is bounded by its row and time limits, never a job of the space.
    const targetName = req.target ?? (await this.targets.defaultFor(job?.engineVersion));
    const target = await this.targets.target(targetName);
    // The rows files of its sources must be where the session's TaskManagers read them: this machine's
    // folder for a local session, the shared folder for one on Kubernetes; a remote cluster has neither.
    const debugFolder =
      target.kind === 'local-session' ? path.join(this.config.home, 'debug') : target.debugFolder;
    if (!debugFolder) throw invalid('target', message('debug.remoteCluster', { cluster: targetName }));

    const id = `dbg-${randomBytes(4).toString('hex')}`;
    const dir = path.join(debugFolder, id);
    const sources: Record<string, DebugSourceInput> = {};
    const plan = (() => {
      for (const [table, input] of Object.entries(req.sources ?? {}))
        sources[table] = rowsInput(dir, table, input);
      return planDebugRun(sql, { rowsPerSecond, sources });
    })();
    // Only now that the script is known to be runnable are the rows written out.
    for (const [table, input] of Object.entries(req.sources ?? {})) writeRows(sources[table]!, input);

    const view: DebugRunView = {
      id,
      state: 'starting',
      reason: null,
      reasonMessage: null,
      target: targetName,
      jobName: job?.name ?? null,
      rowLimit,
      timeLimitSeconds,
      rowCount: 0,
      startedAt: new Date().toISOString(),
      firstRowAt: null,
      endedAt: null,
      sinks: plan.queries.map((q) => ({ sink: q.sink, line: q.line, columns: q.columns ?? [], rows: 0 })),
      tables: plan.tables,
      notes: plan.notes,
      problem: null,
      log: [],
    };
    const run: Run = {
      view,
      rows: [],
      events: new EventEmitter().setMaxListeners(0),
      streams: [],
      submitted: new Set(),
      stopping: null,
      done: Promise.resolve(),
    };
    this.runs.set(id, run);
    this.forgetOldRuns();
    const jobOptions = Object.entries(resolved.options).filter(([k]) => appliesInDebugRun(k));
    run.timer = setTimeout(
      () => this.requestStop(run, message('debug.timeLimit', { seconds: timeLimitSeconds })),
      timeLimitSeconds * 1000,
    );
    const setup = [...catalogs.map((c) => ({ line: 0, column: 0, statement: c.statement })), ...plan.setup];
    run.done = this.execute(run, { ...plan, setup }, target, jobOptions, jars)
      .catch((e: unknown) => this.fail(run, codedOf(e), null))
      .finally(() => this.finish(run, dir, target));
    return structuredClone(view);
  }

  get(id: string): DebugRunView {
    return structuredClone(this.require(id).view);
  }

  list(): DebugRunView[] {
    return [...this.runs.values()].map((r) => structuredClone(r.view)).reverse();
  }

  /** Rows so far, then live ones; `onEvent` is called for each until the run has ended. */
  subscribe(id: string, onEvent: (e: DebugEvent) => void): () => void {
    const run = this.require(id);
    onEvent({ type: 'status', run: structuredClone(run.view) });
    for (const row of run.rows) onEvent({ type: 'row', row });
    run.events.on('event', onEvent);
    return () => run.events.off('event', onEvent);
  }

  async stop(id: string): Promise<DebugRunView> {
    const run = this.require(id);
    this.requestStop(run, message('debug.stoppedOnRequest'));
    await run.done;
    return this.get(id);
  }

  /** Waits until the run has ended. */
  async settled(id: string): Promise<DebugRunView> {
    await this.require(id).done;
    return this.get(id);
  }

  /**
   * Makes the sandbox warm: the cluster running, its planner and TaskManager having run a query of
   * the kind a debug run runs, and a session open for the next run.
   */
  async warmUp(targetName?: string): Promise<void> {
    const name = targetName ?? (await this.targets.defaultFor());
    const target = await this.targets.target(name);
    await target.prepare(() => {});
    const session = await workbenchOf(target).openSqlSession('sluice-debug-warm-up');
    try {
      await session.execute(setStatement('pipeline.name', 'sluice-debug-warm-up'));
      await session.execute(setStatement('parallelism.default', '1'));
      await session.execute(
        "CREATE TEMPORARY TABLE warm_up (id INT, name STRING, ts AS LOCALTIMESTAMP, WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'rows-per-second' = '100', 'fields.name.length' = '4')",
      );
      const stream = await session.stream('SELECT id, UPPER(name) FROM warm_up WHERE id > 0');
      try {
        const wait = backoff(20, 200);
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const page = await stream.next();
          if (page.rows.length || page.ended) break;
          await wait();
        }
      } finally {
        await stream.close();
      }
    } finally {
      await session.close();
    }
    this.refill(name, target);
  }

  /**
   * Debug runs live in this process only: the sandbox jobs a killed platform left on its clusters
   * belong to no run any more, so they are cancelled at the next start.
   */
  async cancelLeftovers(clusterNames: string[], log: (line: string) => void): Promise<number> {
    let cancelled = 0;
    for (const name of clusterNames) {
      const target = await this.targets.target(name);
      const jobs = await target.observer.observe().catch(() => new Map<string, ObservedJob>());
      for (const j of jobs.values())
        if (j.name.startsWith('sluice-debug-') && !flinkJobEnded(j.state)) {
          await target.deployer.cancel(j.flinkJobId).catch(() => undefined);
          log(
            `cancelled ${j.name} (${j.flinkJobId}) on cluster ${name}: a debug run of a platform that was killed`,
          );
          cancelled++;
        }
    }
    return cancelled;
  }

  async close(): Promise<void> {
    for (const run of this.runs.values()) this.requestStop(run, message('debug.platformStopping'));
    await Promise.all([...this.runs.values()].map((r) => r.done));
    const spare = [...this.spare.values()];
    this.spare.clear();
    await Promise.all(spare.map((s) => s.then((x) => x.close()).catch(() => undefined)));
  }

  private async execute(
    run: Run,
    plan: DebugPlan,
    target: DeploymentTarget,
    jobOptions: [string, string][],
    jars: JobJar[],
  ): Promise<void> {
    const log = (line: string) => {
      run.view.log.push(`${new Date().toISOString()} ${maskKnownSecrets(line)}`);
    };
    await target.prepare(log);
    const session = await this.takeSession(target);
    try {
      await addJobJars(session, jars, target, log);
      for (const [k, v] of [...jobOptions, ['parallelism.default', '1'] as [string, string]])
        await session.execute(setStatement(k, v));
      for (const s of plan.setup) {
        if (run.stopping) return;
        try {
          await session.execute(s.statement);
        } catch (e) {
          if (!(e instanceof StatementRefused)) throw e;
          this.fail(
            run,
            message(s.sandboxSource ? 'debug.redeclaredStatementFailed' : 'debug.statementFailed', {
              line: s.line,
            }),
            plannerProblem({ text: s.statement, kind: 'ddl', line: s.line, column: s.column }, e.rootCause),
          );
          return;
        }
      }
      log(`set up ${plan.setup.length} statements; ${plan.queries.length} queries to run`);
      run.view.state = 'running';
      this.emitStatus(run);
      const pumps: Promise<void>[] = [];
      for (const [n, q] of plan.queries.entries()) {
        if (run.stopping) break;
        const pipeline = `sluice-debug-${run.view.id}-${n + 1}`;
        await session.execute(setStatement('pipeline.name', pipeline));
        let stream: QueryStream;
        try {
          stream = await session.stream(q.select);
        } catch (e) {
          if (!(e instanceof StatementRefused)) throw e;
          this.fail(run, message('debug.queryFailed', { sink: q.sink }), queryProblem(q, e.rootCause));
          break;
        }
        run.streams.push(stream);
        run.submitted.add(pipeline);
        log(`started the query for ${q.sink} (line ${q.line})`);
        pumps.push(
          this.pump(run, n, stream, q).catch((e: unknown) => {
            // Refused by the planner: no Flink job will ever carry this name.
            run.submitted.delete(pipeline);
            throw e;
          }),
        );
      }
      await Promise.all(
        pumps.map((p) =>
          p.catch((e: unknown) => {
            if (!(e instanceof QueryRefused)) throw e;
          }),
        ),
      );
      if (!run.stopping) this.requestStop(run, message('debug.queriesEnded'));
    } finally {
      await Promise.all(run.streams.map((s) => s.close()));
      await session.close();
    }
  }

  private async pump(
    run: Run,
    n: number,
    stream: QueryStream,
    q: DebugPlan['queries'][number],
  ): Promise<void> {
    const sink = run.view.sinks[n]!;
    let wait = backoff(20, 200);
    while (!run.stopping) {
      let page;
      try {
        page = await stream.next();
      } catch (e) {
        if (run.stopping) return;
        if (!(e instanceof StatementRefused)) throw e;
        this.fail(run, message('debug.queryFailed', { sink: q.sink }), queryProblem(q, e.rootCause));
        throw new QueryRefused();
      }
      if (!sink.columns.length && page.columns.length) sink.columns = maskSecretsIn(page.columns);
      for (const r of page.rows) {
        if (run.view.rowCount >= run.view.rowLimit) break;
        const row: DebugRow = {
          seq: ++run.view.rowCount,
          sink: q.sink,
          kind: KINDS[r.kind] ?? '+I',
          // The rows carry what the script was given, secrets included: masked as they arrive.
          fields: maskSecretsIn(r.fields),
          at: new Date().toISOString(),
        };
        run.view.firstRowAt ??= row.at;
        sink.rows++;
        run.rows.push(row);
        run.events.emit('event', { type: 'row', row } satisfies DebugEvent);
      }
      if (run.view.rowCount >= run.view.rowLimit) {
        this.requestStop(run, message('debug.rowLimit', { rows: run.view.rowLimit }));
        return;
      }
      if (page.ended) return;
      if (page.rows.length) wait = backoff(20, 200);
      else await wait();
    }
  }

  private requestStop(run: Run, reason: Message): void {
    if (run.stopping || run.view.endedAt) return;
    run.stopping = reason;
    // Closing the streams ends the pumps' waits on the gateway.
    void Promise.all(run.streams.map((s) => s.close()));
  }

  private fail(run: Run, reason: Message, problem: SqlProblem | null): void {
    if (run.view.state === 'failed') return;
    run.view.state = 'failed';
    // Flink's words (the planner's), kept as they are, may quote the substituted script.
    const masked = maskSecretsIn(problem);
    const said = masked ? message('debug.failedWith', { reason, problem: masked.message }) : reason;
    this.said(run, said);
    run.view.problem = masked;
    this.requestStop(run, said);
  }

  private said(run: Run, reason: Message): void {
    const masked = maskSecretsIn(reason);
    run.view.reason = maskKnownSecrets(renderMessage(masked));
    run.view.reasonMessage = masked;
  }

  private async finish(run: Run, dir: string, target: DeploymentTarget): Promise<void> {
    clearTimeout(run.timer);
    // Closing a query cancels its job, but a query closed right after it was sent may get its job
    // only later: the run has ended when every job it sent has been seen ended (or, for one never
    // seen, after a grace period), cancelling what still runs.
    const prefix = `sluice-debug-${run.view.id}-`;
    const closedAt = Date.now();
    const deadline = closedAt + 30_000;
    const wait = backoff(50, 500);
    while (Date.now() < deadline) {
      const jobs = [
        ...(await target.observer.observe().catch(() => new Map<string, ObservedJob>())).values(),
      ].filter((j) => j.name.startsWith(prefix));
      const left = jobs.filter((j) => !flinkJobEnded(j.state));
      const unseen = [...run.submitted].filter((name) => !jobs.some((j) => j.name === name));
      if (!left.length && (!unseen.length || Date.now() - closedAt > 5_000)) break;
      for (const j of left)
        if (j.state !== 'CANCELLING') await target.deployer.cancel(j.flinkJobId).catch(() => undefined);
      await wait();
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (run.view.state !== 'failed') {
      run.view.state = 'finished';
      this.said(run, run.stopping ?? message('debug.queriesEnded'));
    }
    run.view.endedAt = new Date().toISOString();
    this.emitStatus(run);
    run.events.removeAllListeners();
  }

  private emitStatus(run: Run): void {
    run.events.emit('event', { type: 'status', run: structuredClone(run.view) } satisfies DebugEvent);
  }

  private async takeSession(target: DeploymentTarget): Promise<SqlSession> {
    const spare = this.spare.get(target.name);
    this.spare.delete(target.name);
    const ready = await spare?.catch(() => null);
    // A spare outlives neither a gateway restart nor the gateway's idle timeout.
    const session =
      ready && (await ready.alive()) ? ready : await workbenchOf(target).openSqlSession('sluice-debug');
    this.refill(target.name, target);
    return session;
  }

  private refill(name: string, target: DeploymentTarget): void {
    if (this.spare.has(name)) return;
    const next = workbenchOf(target).openSqlSession('sluice-debug');
    next.catch(() => this.spare.delete(name));
    this.spare.set(name, next);
  }

  private require(id: string): Run {
    const run = this.runs.get(id);
    if (!run) throw notFound('debug run', id, message('debug.runNotFound', { id }));
    return run;
  }

  private forgetOldRuns(): void {
    const ended = [...this.runs.values()].filter((r) => r.view.endedAt);
    for (const r of ended.slice(0, Math.max(0, ended.length - KEPT_RUNS))) this.runs.delete(r.view.id);
  }
}

function queryProblem(q: DebugPlan['queries'][number], rootCause: string): SqlProblem {
  return plannerProblem({ text: q.select, kind: 'query', line: q.line, column: q.column }, rootCause);
}

function rowsInput(
  dir: string,
  table: string,
  input: { options?: Record<string, string>; rows?: Record<string, unknown>[]; csv?: string },
): DebugSourceInput {
  if (input.rows && input.csv !== undefined) throw invalid(`sources.${table}`, message('debug.jsonOrCsv'));
  if (input.rows !== undefined || input.csv !== undefined) {
    input.rows?.forEach((r, i) => {
      if (!r || typeof r !== 'object' || Array.isArray(r))
        throw invalid(`sources.${table}.rows[${i}]`, message('debug.rowNotAnObject'));
    });
    const format = input.rows !== undefined ? 'json' : 'csv';
    return { rowsFile: { path: path.join(dir, `${table.replace(/[^\w.-]/g, '_')}.${format}`), format } };
  }
  return { options: input.options ?? {} };
}

function writeRows(input: DebugSourceInput, given: { rows?: Record<string, unknown>[]; csv?: string }): void {
  if (!input.rowsFile) return;
  const text = given.rows !== undefined ? given.rows.map((r) => JSON.stringify(r)).join('\n') : given.csv!;
  fs.mkdirSync(path.dirname(input.rowsFile.path), { recursive: true });
  fs.writeFileSync(input.rowsFile.path, text.endsWith('\n') ? text : `${text}\n`);
}

/** A query the planner refused: its run has failed and it has no Flink job. */
class QueryRefused extends Error {}
