import { engineKey } from '../domain/engines/engine.ts';
import { SluiceError, notFound } from '../domain/errors.ts';
import {
  checkJobName,
  checkParallelism,
  TERMINAL_FLINK_STATES,
  type FlinkJobState,
  type Job,
} from '../domain/jobs/job.ts';
import { planSqlDeployment, statementSetSql } from '../domain/sql/deployment-plan.ts';
import {
  backoff,
  SqlGatewayClient,
  SqlGatewayError,
} from '../adapters/flink/sql-gateway/sql-gateway-client.ts';
import type { Store } from '../adapters/store/store.ts';
import type { ClusterService } from './cluster-service.ts';
import type { EngineService } from './engine-service.ts';
import type { Progress } from './operations.ts';

export interface CreateJobInput {
  name: string;
  sql: string;
  description?: string | undefined;
  options?: Record<string, string> | undefined;
  parallelism?: number | undefined;
  engineVersion?: string | undefined;
  clusterName?: string | undefined;
}

export interface JobView extends Job {
  /** What Flink reports for the current deployment; UNKNOWN with a reason when it cannot be seen. */
  state: FlinkJobState | 'NOT_DEPLOYED';
  stateReason: string | null;
  startTime: string | null;
}

export interface SubmissionStep {
  name: string;
  status: 'succeeded' | 'failed';
  startedAt: string;
  endedAt: string;
  log: string[];
}

const RUNNING_DEADLINE_MS = 60_000;

export class JobService {
  constructor(
    private readonly store: Store,
    private readonly engines: EngineService,
    private readonly clusters: ClusterService,
  ) {}

  async create(input: CreateJobInput): Promise<Job> {
    checkJobName(input.name);
    const parallelism = input.parallelism ?? 1;
    checkParallelism(parallelism);
    if (!input.sql.trim())
      throw new SluiceError('invalid_argument', 'sql: the script is empty', { field: 'sql' });
    planSqlDeployment(input.sql, input.options ?? {});
    if (await this.store.jobs.getByName(input.name))
      throw new SluiceError('conflict', `a job named '${input.name}' already exists: choose another name`, {
        field: 'name',
      });
    const engineVersion = engineKey(input.engineVersion ?? (await this.engines.default())?.version ?? '');
    if (!engineVersion)
      throw new SluiceError(
        'precondition_failed',
        'no Flink engine is installed: run `sluice engine install 1.20` first',
      );
    await this.engines.get(engineVersion);
    const clusterName = input.clusterName ?? (await this.clusters.defineDefault(engineVersion));
    const cluster = await this.clusters.spec(clusterName);
    if (cluster.engineVersion !== engineVersion)
      throw new SluiceError(
        'invalid_argument',
        `cluster ${clusterName} runs Flink ${cluster.engineVersion}, but the job asks for ${engineVersion}: choose a cluster of that version or leave --cluster out`,
        { field: 'clusterName' },
      );
    return this.store.jobs.create({
      name: input.name,
      description: input.description ?? '',
      kind: 'sql',
      sql: input.sql,
      options: input.options ?? {},
      parallelism,
      engineVersion,
      clusterName,
    });
  }

  async require(name: string): Promise<Job> {
    const job = await this.store.jobs.getByName(name);
    if (!job) throw notFound('job', name, 'list jobs with `sluice job list`');
    return job;
  }

  async list(): Promise<JobView[]> {
    return Promise.all((await this.store.jobs.list()).map((j) => this.view(j)));
  }

  async get(name: string): Promise<JobView> {
    return this.view(await this.require(name));
  }

  private async view(job: Job): Promise<JobView> {
    if (!job.flinkJobId) return { ...job, state: 'NOT_DEPLOYED', stateReason: null, startTime: null };
    try {
      const rest = (await this.clusters.cluster(job.clusterName)).rest;
      const j = await rest.job(job.flinkJobId);
      return {
        ...job,
        state: j.state,
        stateReason: null,
        startTime: new Date(j['start-time']).toISOString(),
      };
    } catch (e) {
      const reason =
        e instanceof SluiceError && e.code === 'not_found'
          ? `Flink job ${job.flinkJobId} is not known to cluster ${job.clusterName} (the cluster was restarted or the job expired from its history)`
          : (e as Error).message;
      return { ...job, state: 'UNKNOWN', stateReason: reason, startTime: null };
    }
  }

  /**
   * Deploys the job's SQL to its session cluster through the SQL Gateway: options, setup statements,
   * then every INSERT as one statement set. Refuses to start a job whose Flink job is still alive.
   */
  async start(name: string, progress: Progress): Promise<{ job: JobView; steps: SubmissionStep[] }> {
    const steps: SubmissionStep[] = [];
    const step = async <T>(stepName: string, fn: (log: (line: string) => void) => Promise<T>): Promise<T> => {
      const s: SubmissionStep = {
        name: stepName,
        status: 'succeeded',
        startedAt: new Date().toISOString(),
        endedAt: '',
        log: [],
      };
      steps.push(s);
      progress(`[${stepName}] started`);
      const log = (line: string) => {
        s.log.push(line);
        progress(`[${stepName}] ${line}`);
      };
      try {
        return await fn(log);
      } catch (e) {
        s.status = 'failed';
        const err =
          e instanceof SluiceError ? e : new SluiceError('internal', String((e as Error)?.message ?? e));
        log(`failed: ${err.message}`);
        if (e instanceof SqlGatewayError && e.trace) s.log.push(e.trace);
        throw new SluiceError(err.code, `step "${stepName}" failed: ${err.message}`, {
          ...err.details,
          step: stepName,
          steps,
        });
      } finally {
        s.endedAt = new Date().toISOString();
      }
    };

    const job = await this.require(name);
    const plan = await step('resolve', async (log) => {
      const current = await this.view(job);
      if (
        job.flinkJobId &&
        current.state !== 'UNKNOWN' &&
        !TERMINAL_FLINK_STATES.has(current.state as FlinkJobState) &&
        current.state !== 'NOT_DEPLOYED'
      )
        throw new SluiceError(
          'conflict',
          `job ${name} is already ${current.state} as Flink job ${job.flinkJobId}; stop it before starting it again`,
        );
      const p = planSqlDeployment(job.sql, {
        'pipeline.name': job.name,
        'parallelism.default': String(job.parallelism),
        ...job.options,
      });
      log(
        `${Object.keys(p.options).length} options, ${p.setup.length} setup statements, ${p.inserts.length} INSERT statements`,
      );
      return p;
    });
    const cluster = await step('prepare cluster', async (log) => {
      await this.engines.get(job.engineVersion);
      const c = await this.clusters.requireRunning(job.clusterName, log);
      log(`cluster ${job.clusterName} is running (${c.restUrl})`);
      return c;
    });
    const gateway = new SqlGatewayClient(cluster.gatewayUrl);
    const session = await step('open SQL session', async (log) => {
      const s = await gateway.openSession(plan.options, `sluice-${job.name}`);
      for (const [k, v] of Object.entries(plan.options)) log(`SET '${k}' = '${v}'`);
      return s;
    });
    try {
      await step('create tables', async (log) => {
        for (const stmt of plan.setup) {
          try {
            await gateway.execute(session, stmt.text);
            log(`line ${stmt.line}: ${firstLine(stmt.text)}: OK`);
          } catch (e) {
            if (e instanceof SqlGatewayError)
              throw new SqlGatewayError(
                `Flink rejected the statement at line ${stmt.line}: ${e.rootCause}`,
                e.rootCause,
                e.trace,
              );
            throw e;
          }
        }
      });
      const flinkJobId = await step('submit', async (log) => {
        try {
          const r = await gateway.execute(session, statementSetSql(plan.inserts));
          if (!r.jobId)
            throw new SluiceError(
              'flink_rejected',
              'the SQL Gateway accepted the statement set but returned no Flink job id',
            );
          // Recorded before anything else can fail or retry, so a job is never submitted twice unseen.
          await this.store.jobs.setFlinkJobId(job.id, r.jobId);
          log(`Flink job ${r.jobId} submitted`);
          return r.jobId;
        } catch (e) {
          if (e instanceof SqlGatewayError) {
            const lines = plan.inserts.map((s) => s.line);
            const where =
              lines.length === 1
                ? `the INSERT statement at line ${lines[0]}`
                : `the INSERT statements at lines ${lines.join(', ')}`;
            throw new SqlGatewayError(`Flink rejected ${where}: ${e.rootCause}`, e.rootCause, e.trace);
          }
          throw e;
        }
      });
      await step('wait until running', async (log) => {
        const deadline = Date.now() + RUNNING_DEADLINE_MS;
        const wait = backoff(20, 500);
        let last = '';
        for (;;) {
          const j = await cluster.rest.job(flinkJobId);
          if (j.state !== last) log(`Flink reports ${(last = j.state)}`);
          if (j.state === 'RUNNING' || j.state === 'FINISHED') return;
          if (TERMINAL_FLINK_STATES.has(j.state))
            throw new SluiceError('flink_rejected', `the Flink job ended ${j.state} before running`);
          if (Date.now() > deadline)
            throw new SluiceError(
              'engine_unavailable',
              `the Flink job is still ${j.state} after ${RUNNING_DEADLINE_MS / 1000} s (not enough free slots?)`,
            );
          await wait();
        }
      });
    } finally {
      await gateway.closeSession(session);
    }
    return { job: await this.get(name), steps };
  }
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 80);
