import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrationProvider, type Dialect } from './migrations/index.ts';
import { EngineRepository } from './engine-repository.ts';
import { TargetRepository } from './target-repository.ts';
import { JobRepository } from './job-repository.ts';
import { LifecycleRepository } from './lifecycle-repository.ts';
import { WorkspaceRepository } from './workspace-repository.ts';
import { ArtifactRepository } from './artifact-repository.ts';
import { KafkaConnectionRepository } from './kafka-connection-repository.ts';
import { AlertChannelRepository } from './alert-channel-repository.ts';
import { AlertRepository } from './alert-repository.ts';
import { AccessRepository } from './access-repository.ts';
import { QuotaRepository } from './quota-repository.ts';
import { AuditRepository } from './audit-repository.ts';
import { ProfileRepository } from './profile-repository.ts';
import { ProfileScheduleRepository } from './profile-schedule-repository.ts';
import { SpaceRepository } from './space-repository.ts';
import { ownerOnlyFile, tightenIfPresent } from '../system/owner-only.ts';
import type { MetadataStore } from '../../application/ports/store.ts';

// 64-bit integers (count(*), bigserial) come back as numbers, as they do from SQLite.
pg.types.setTypeParser(20, (v) => Number(v));

/** The metadata store: one set of queries over SQLite (default) or PostgreSQL (`DATABASE_URL`). */
export class Store implements MetadataStore {
  readonly engines: EngineRepository;
  readonly targets: TargetRepository;
  readonly jobs: JobRepository;
  readonly lifecycle: LifecycleRepository;
  readonly workspace: WorkspaceRepository;
  readonly artifacts: ArtifactRepository;
  readonly kafkaConnections: KafkaConnectionRepository;
  readonly alertChannels: AlertChannelRepository;
  readonly alerts: AlertRepository;
  readonly access: AccessRepository;
  readonly quotas: QuotaRepository;
  readonly audit: AuditRepository;
  readonly profiles: ProfileRepository;
  readonly profileSchedules: ProfileScheduleRepository;
  readonly spaces: SpaceRepository;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    readonly location: string,
  ) {
    this.engines = new EngineRepository(db);
    this.targets = new TargetRepository(db);
    this.jobs = new JobRepository(db);
    this.lifecycle = new LifecycleRepository(db);
    this.workspace = new WorkspaceRepository(db);
    this.artifacts = new ArtifactRepository(db);
    this.kafkaConnections = new KafkaConnectionRepository(db);
    this.alertChannels = new AlertChannelRepository(db);
    this.alerts = new AlertRepository(db);
    this.access = new AccessRepository(db);
    this.quotas = new QuotaRepository(db);
    this.audit = new AuditRepository(db);
    this.profiles = new ProfileRepository(db);
    this.profileSchedules = new ProfileScheduleRepository(db);
    this.spaces = new SpaceRepository(db);
  }

  /**
   * `databaseUrl` is `postgres://...`; without it the SQLite file `<home>/sluice.db` is used, owner-only
   * (`say` hears of files found open to others and tightened).
   */
  static async open(opts: {
    databaseUrl?: string | undefined;
    home: string;
    say?: (line: string) => void;
  }): Promise<Store> {
    let store: Store;
    if (opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
      const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
      store = new Store(
        new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
        'postgres',
        redact(opts.databaseUrl),
      );
    } else if (opts.databaseUrl) {
      throw new Error(
        `DATABASE_URL '${redact(opts.databaseUrl)}' is not a postgres:// URL; unset it to use SQLite`,
      );
    } else {
      fs.mkdirSync(opts.home, { recursive: true });
      const file = path.join(opts.home, 'sluice.db');
      // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm the database's mode.
      const say = opts.say ?? (() => {});
      ownerOnlyFile(file, say);
      for (const f of [`${file}-wal`, `${file}-shm`]) tightenIfPresent(f, say);
      const database = new SQLite(file);
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      store = new Store(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), 'sqlite', file);
    }
    await store.migrate();
    return store;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`metadata store migration ${failed} failed: ${(error as Error).message}`);
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
