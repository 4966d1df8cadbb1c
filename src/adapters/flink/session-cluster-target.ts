import type { FlinkJobState } from '../../domain/jobs/job.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import {
  TargetUnreachable,
  type ClusterFacts,
  type DeploymentTarget,
  type Deployer,
  type JarRun,
  type JarRunner,
  type JobFailure,
  type ObservedJob,
  type Observer,
  type RuntimeDetails,
  type SqlSession,
  type SqlWorkbench,
} from '../../domain/targets/deployment-target.ts';
import { sessionKindOf, type TargetKindName } from '../../domain/targets/target-kinds.ts';
import { fetchTransport, FlinkRestClient, type RestTransport } from './rest/flink-rest-client.ts';
import { rootCauseOf, StatementRefused } from '../../domain/targets/target-errors.ts';
import { deleteJar, jarRunCause, runJar, uploadJar } from './rest/flink-jars.ts';
import { SqlGatewayClient } from './sql-gateway/sql-gateway-client.ts';
import { FlinkRestLogs } from './rest/flink-rest-logs.ts';
import type { JobLogs } from '../../domain/logs/job-logs.ts';
import type { ExceptionHistory } from '../../domain/logs/exception-history.ts';
import type { FlinkJobGraphAnswers } from '../../domain/metrics/job-graph.ts';

/**
 * A Flink session cluster reached over its REST API (deployer and observer) and its SQL Gateway
 * (workbench, when it has one). The local target passes a `prepare` that starts its processes; a
 * remote one has nothing to prepare.
 */
export class SessionClusterTarget implements DeploymentTarget, Deployer, Observer, SqlWorkbench, JarRunner {
  readonly rest: FlinkRestClient;
  readonly kind: TargetKindName;
  private readonly gateway: SqlGatewayClient | null;
  /** The cluster's process logs, shared by its jobs: its files when it runs here, else Flink REST's log pages. */
  readonly logs: JobLogs;

  constructor(
    readonly name: string,
    wireKind: 'local' | 'remote',
    restUrl: string,
    gatewayUrl: string | null,
    private readonly ensureRunning: (log: (line: string) => void) => Promise<void> = async () => {},
    logs?: JobLogs,
    /**
     * How requests to its REST API and SQL Gateway travel (jar uploads included); global fetch unless
     * the cluster is reached another way (the Kubernetes API server's service proxy).
     */
    private readonly transport: RestTransport = fetchTransport,
  ) {
    this.kind = sessionKindOf(wireKind);
    this.rest = new FlinkRestClient(restUrl, transport);
    this.gateway = gatewayUrl ? new SqlGatewayClient(gatewayUrl, transport) : null;
    this.logs = logs ?? new FlinkRestLogs(name, restUrl);
  }

  get deployer(): Deployer {
    return this;
  }

  get observer(): Observer {
    return this;
  }

  get workbench(): SqlWorkbench | null {
    return this.gateway ? this : null;
  }

  get jars(): JarRunner {
    return this;
  }

  uploadJar(file: string): Promise<string> {
    return uploadJar(this.rest.baseUrl, file, this.transport);
  }

  async runJar(jarId: string, run: JarRun): Promise<string> {
    try {
      return await runJar(
        this.rest.baseUrl,
        jarId,
        {
          ...(run.entryClass ? { entryClass: run.entryClass } : {}),
          programArgsList: run.args,
          parallelism: run.parallelism,
          jobId: run.jobId,
          ...(run.savepointPath
            ? { savepointPath: run.savepointPath, allowNonRestoredState: run.allowNonRestoredState }
            : {}),
          flinkConfiguration: run.flinkConfiguration,
        },
        this.transport,
      );
    } catch (e) {
      // A main that threw (or a job Flink refused): its root cause, in the domain's words.
      const trace =
        e instanceof SluiceError ? (e.details as { trace?: unknown } | undefined)?.trace : undefined;
      if (e instanceof SluiceError && e.code === 'flink_rejected' && typeof trace === 'string')
        throw new StatementRefused(jarRunCause(trace), trace);
      throw e;
    }
  }

  deleteJar(jarId: string): Promise<void> {
    return deleteJar(this.rest.baseUrl, jarId, this.transport);
  }

  prepare(log: (line: string) => void): Promise<void> {
    return this.ensureRunning(log);
  }

  async cluster(): Promise<ClusterFacts> {
    let o;
    try {
      o = await this.rest.overview();
    } catch (e) {
      throw new TargetUnreachable(this.name, (e as Error).message);
    }
    return { jobManager: this.rest.baseUrl, taskManagers: o.taskmanagers };
  }

  async openSqlSession(name: string, options: Record<string, string> = {}): Promise<SqlSession> {
    const gw = this.gateway;
    if (!gw)
      throw new SluiceError('precondition_failed', message('cluster.noGateway', { cluster: this.name }));
    const handle = await gw.openSession(options, name);
    return {
      execute: async (statement) => {
        const r = await gw.execute(handle, statement);
        return { jobId: r.jobId, rows: r.rows };
      },
      alive: () => gw.heartbeat(handle),
      stream: async (statement) => {
        const operation = await gw.submit(handle, statement);
        let token: number | null = 0;
        return {
          next: async () => {
            if (token === null) return { columns: [], rows: [], ended: true };
            const page = await gw.fetchResult(handle, operation, token);
            token = page.nextToken;
            return { columns: page.columns, rows: page.rows, ended: token === null };
          },
          close: () => gw.closeOperation(handle, operation),
        };
      },
      close: () => gw.closeSession(handle),
    };
  }

  async stopWithSavepoint(flinkJobId: string, targetDirectory: string, drain: boolean): Promise<string> {
    return this.rest.awaitSavepoint(flinkJobId, await this.rest.stop(flinkJobId, targetDirectory, drain));
  }

  cancel(flinkJobId: string): Promise<void> {
    return this.rest.cancel(flinkJobId);
  }

  async triggerSavepoint(flinkJobId: string, targetDirectory: string): Promise<string> {
    return this.rest.awaitSavepoint(
      flinkJobId,
      await this.rest.triggerSavepoint(flinkJobId, targetDirectory),
    );
  }

  async observe(): Promise<Map<string, ObservedJob>> {
    let jobs;
    try {
      jobs = await this.rest.jobs();
    } catch (e) {
      throw new TargetUnreachable(this.name, (e as Error).message);
    }
    return new Map(
      jobs.map((j) => {
        const t = j.tasks;
        const allTasksRunning = !t || t.running + t.finished >= t.total;
        const tasks = t ? `${t.running} of ${t.total} tasks running` : 'tasks unknown';
        return [j.jid, { flinkJobId: j.jid, name: j.name, state: j.state, allTasksRunning, tasks }];
      }),
    );
  }

  async observeJob(flinkJobId: string): Promise<ObservedJob | 'absent'> {
    return (await this.observe()).get(flinkJobId) ?? 'absent';
  }

  async jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'> {
    try {
      return (await this.rest.job(flinkJobId)).state;
    } catch (e) {
      if (e instanceof SluiceError && e.code === 'not_found') return 'absent';
      throw new TargetUnreachable(this.name, (e as Error).message);
    }
  }

  async failureCause(flinkJobId: string): Promise<{ rootCause: string; trace: string } | null> {
    // The JobManager's REST layer serves a job's execution graph from a cache that lives for
    // web.refresh-interval (3 s by default): right after a failure it may not show the exception yet.
    for (let attempt = 0; attempt < 10; attempt++) {
      const { stacktrace } = await this.rest.exceptions(flinkJobId).catch(() => ({ stacktrace: null }));
      if (stacktrace) return { rootCause: rootCauseOf(stacktrace), trace: stacktrace };
      await new Promise((r) => setTimeout(r, 400));
    }
    return null;
  }

  async failures(flinkJobId: string): Promise<JobFailure[]> {
    const entries = await this.rest.exceptionHistory(flinkJobId).catch(() => []);
    return entries.map((e) => ({
      rootCause: rootCauseOf(e.stacktrace),
      trace: e.stacktrace,
      exception: e.exceptionName,
      at: new Date(e.timestamp).toISOString(),
    }));
  }

  async exceptions(flinkJobId: string): Promise<ExceptionHistory | 'absent'> {
    try {
      return await this.rest.exceptionsOf(flinkJobId);
    } catch (e) {
      if (e instanceof SluiceError && e.code === 'not_found') return 'absent';
      throw new TargetUnreachable(this.name, (e as Error).message);
    }
  }

  async jobGraph(flinkJobId: string): Promise<FlinkJobGraphAnswers | 'absent'> {
    try {
      return await this.rest.jobGraph(flinkJobId);
    } catch (e) {
      if (e instanceof SluiceError && e.code === 'not_found') return 'absent';
      throw new TargetUnreachable(this.name, (e as Error).message);
    }
  }

  runtimeDetails(flinkJobId: string): Promise<RuntimeDetails> {
    return this.rest.runtimeDetails(flinkJobId);
  }

  latestSavepoint(flinkJobId: string): Promise<string | null> {
    return this.rest.latestSavepointPath(flinkJobId).catch(() => null);
  }

  latestCheckpoint(flinkJobId: string): Promise<string | null> {
    return this.rest.latestCheckpointPath(flinkJobId).catch(() => null);
  }
}
