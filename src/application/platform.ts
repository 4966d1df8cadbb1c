import type { Logger } from 'pino';
import { Store } from '../adapters/store/store.ts';
import { ClusterService } from './cluster-service.ts';
import type { SluiceConfig } from './config.ts';
import { EngineService } from './engine-service.ts';
import { JobService } from './job-service.ts';
import { Operations } from './operations.ts';

/** The whole platform in one process: store, engines, clusters, jobs and their background operations. */
export class Platform {
  readonly engines: EngineService;
  readonly clusters: ClusterService;
  readonly jobs: JobService;
  readonly operations: Operations;
  /** The operation that provisions and starts the default engine at server start, if any. */
  bootstrapOperationId: string | null = null;

  private constructor(
    readonly config: SluiceConfig,
    readonly store: Store,
    readonly log: Logger,
  ) {
    this.operations = new Operations((op, line) =>
      log.info({ operation: op.id, kind: op.kind, subject: op.subject }, line),
    );
    this.engines = new EngineService(store, config);
    this.clusters = new ClusterService(store, this.engines, config, (m) => log.info(m));
    this.jobs = new JobService(store, this.engines, this.clusters);
  }

  static async open(config: SluiceConfig, log: Logger): Promise<Platform> {
    const store = await Store.open({ databaseUrl: config.databaseUrl, home: config.home });
    return new Platform(config, store, log);
  }

  /**
   * Adopts clusters a killed platform left running, then (with autoStart) provisions the default
   * engine and starts its cluster in the background: the API is up before Flink is.
   */
  async boot(): Promise<void> {
    await this.clusters.adoptLeftovers((line) => this.log.info(line));
    if (!this.config.autoStart) return;
    const version = this.config.defaultEngineVersion;
    const op = this.operations.start('bootstrap', version, async (progress) => {
      if (!(await this.store.engines.get(version))) await this.engines.install(version, progress);
      const name = await this.clusters.defineDefault(version);
      return this.clusters.start(name, progress);
    });
    this.bootstrapOperationId = op.id;
  }

  async close(): Promise<void> {
    await this.operations.settleAll();
    await this.clusters.stopAll();
    await this.store.close();
  }
}
