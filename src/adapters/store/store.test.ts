import { createHash } from 'node:crypto';
import { spaceScope, targetScope } from '../../domain/profiles/profile.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../../test/support/postgres.ts';
import { DIALECTS, freshAnyStore, freshStore, STORES } from '../../../test/support/stores.ts';
import { migrationProvider } from './migrations/index.ts';
import type { MemoryStore } from './memory/memory-store.ts';
import { Store } from './store.ts';
import type { SpaceRemoval } from '../../application/ports/spaces.ts';
import type { SluiceError } from '../../domain/errors.ts';
import { NO_LIMITS, NO_RANGES } from '../../domain/quotas/quota.ts';
import { LOCAL_CLUSTER_DEFAULTS } from '../../domain/clusters/local-cluster-spec.ts';
import { contentHash } from '../../domain/jobs/versions.ts';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';
import type { AuditFilter, NewAuditEntry } from '../../domain/audit/audit.ts';
import { storedSqlContent } from '../../../test/support/job-content.ts';

// The in-memory store of unit tests answers the same as the databases: one conformance suite for all.
describe.each(STORES)('metadata store on %s', (dialect) => {
  let store: Store | MemoryStore;
  beforeEach(async () => {
    store = await freshAnyStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports its dialect and answers a ping; migrations are idempotent', async () => {
    expect(store.dialect).toBe(dialect);
    await store.ping();
    // Migrations are the databases' own: running them again changes nothing.
    if (store.dialect !== 'memory') await (store as Store).migrate();
    await store.ping();
  });

  it('engines: the first saved is the default, the default can move, save replaces, remove deletes', async () => {
    const e = {
      flinkVersion: '1.20.3',
      home: '/h/1.20',
      source: 'provisioned' as const,
      installedAt: '2026-01-01T00:00:00Z',
    };
    const first = await store.engines.save({ version: '1.20', ...e });
    expect(first.isDefault).toBe(true);
    const second = await store.engines.save({
      ...e,
      version: '1.19',
      flinkVersion: '1.19.1',
      source: 'registered',
    });
    expect(second.isDefault).toBe(false);
    await store.engines.setDefault('1.19');
    expect((await store.engines.getDefault())?.version).toBe('1.19');
    await store.engines.save({ version: '1.20', ...e, home: '/h/other' });
    expect((await store.engines.get('1.20'))?.home).toBe('/h/other');
    expect((await store.engines.list()).map((x) => [x.version, x.isDefault])).toEqual([
      ['1.19', true],
      ['1.20', false],
    ]);
    await store.engines.remove('1.19');
    expect(await store.engines.get('1.19')).toBeUndefined();
  });

  it('deployment targets: save, update, list, cluster events in order and limited to the newest', async () => {
    const spec = { ...LOCAL_CLUSTER_DEFAULTS, name: 'local-1.20', engineVersion: '1.20' };
    await store.targets.save(spec);
    await store.targets.save({ ...spec, taskManagers: 2 });
    const saved = await store.targets.get('local-1.20');
    expect(saved?.kind === 'local' && saved.spec.taskManagers).toBe(2);
    expect((await store.targets.list()).map((c) => c.name)).toEqual(['local-1.20']);
    for (const k of ['started', 'exited', 'restarted'])
      await store.targets.recordEvent('local-1.20', 'taskmanager-1', k, `d-${k}`);
    expect((await store.targets.events('local-1.20')).map((e) => e.kind)).toEqual([
      'started',
      'exited',
      'restarted',
    ]);
    expect((await store.targets.events('local-1.20', 2)).map((e) => e.kind)).toEqual(['exited', 'restarted']);
    await store.targets.remove('local-1.20');
    expect(await store.targets.get('local-1.20')).toBeUndefined();
  });

  it('deployment targets: a Kubernetes target is stored with its kind and spec, beside the others', async () => {
    const spec: KubernetesTargetSpec = {
      name: 'k8s-prod',
      engineVersion: '1.20',
      kubeconfig: '/etc/sluice/kubeconfig',
      context: 'prod',
      namespace: 'flink-jobs',
      mode: 'operator',
      image: 'flink:1.20.3-java17',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: ['regcred'],
      serviceAccount: null,
      sharedDir: '/srv/flink',
    };
    await store.targets.save({ ...LOCAL_CLUSTER_DEFAULTS, name: 'local-1.20', engineVersion: '1.20' });
    await store.targets.save(spec, 'kubernetes');
    expect(await store.targets.get('k8s-prod')).toMatchObject({ name: 'k8s-prod', kind: 'kubernetes', spec });
    await store.targets.save({ ...spec, mode: 'standalone' }, 'kubernetes');
    const listed = await store.targets.list();
    expect(listed.map((r) => [r.name, r.kind])).toEqual([
      ['k8s-prod', 'kubernetes'],
      ['local-1.20', 'local'],
    ]);
    expect(listed[0]!.kind === 'kubernetes' && listed[0]!.spec.mode).toBe('standalone');
    await store.targets.remove('k8s-prod');
    expect(await store.targets.get('k8s-prod')).toBeUndefined();
  });

  const content = {
    kind: 'sql' as const,
    description: 'd',
    sql: 'INSERT INTO a SELECT 1',
    options: { 'pipeline.name': 'orders' },
    parallelism: 2,
    engineVersion: '1.20',
    target: 'local-1.20',
    restartPolicy: { kind: 'none' as const },
    resubmitPolicy: { kind: 'none' as const },
    catalogs: [] as string[],
    artifacts: [],
  };

  it('jobs: create with version 1, unique names, runtime patches, tracked jobs, remove', async () => {
    const created = await store.jobs.create('orders', content, 'ann', 'created');
    expect(created).toMatchObject({
      ...content,
      name: 'orders',
      flinkJobId: null,
      currentVersion: 1,
      deployedVersion: null,
      state: 'CREATED',
      desiredState: 'stopped',
      submissionInFlight: null,
    });
    await expect(store.jobs.create('orders', content, 'ann', 'again')).rejects.toThrow();
    expect(await store.jobs.tracked()).toEqual([]);
    await store.jobs.updateRuntime(created.id, {
      flinkJobId: 'a'.repeat(32),
      state: 'RUNNING',
      submissionInFlight: 'stopping',
      deployedVersion: 1,
    });
    expect(await store.jobs.getByName('orders')).toMatchObject({
      flinkJobId: 'a'.repeat(32),
      state: 'RUNNING',
      submissionInFlight: 'stopping',
      deployedVersion: 1,
    });
    expect((await store.jobs.tracked()).map((j) => j.name)).toEqual(['orders']);
    await store.jobs.updateRuntime(created.id, { submissionInFlight: null, state: 'STOPPED' });
    expect(await store.jobs.tracked()).toEqual([]);
    await store.jobs.remove(created.id);
    expect(await store.jobs.getByName('orders')).toBeUndefined();
  });

  it('versions: each save is a new immutable version; a stale base version is a conflict that saves nothing', async () => {
    const job = await store.jobs.create('orders', content, 'ann', 'created');
    const v2 = await store.jobs.saveVersion(
      job.id,
      1,
      { ...content, parallelism: 4 },
      'bob',
      'more parallel',
    );
    expect(v2).toMatchObject({
      number: 2,
      author: 'bob',
      message: 'more parallel',
      content: { parallelism: 4 },
    });
    await expect(
      store.jobs.saveVersion(job.id, 1, { ...content, sql: 'INSERT INTO b SELECT 2' }, 'cid', 'stale'),
    ).rejects.toThrow(/changed since version 1 you edited: it is now at version 2. Nothing was saved/);
    expect((await store.jobs.versions(job.id)).map((v) => [v.number, v.author])).toEqual([
      [1, 'ann'],
      [2, 'bob'],
    ]);
    expect((await store.jobs.getByName('orders'))?.parallelism).toBe(4);
    expect((await store.jobs.version(job.id, 1))?.content.parallelism).toBe(2);
  });

  it('submissions, events and savepoints are kept per job in order', async () => {
    const job = await store.jobs.create('orders', content, 'ann', 'created');
    const base = {
      jobId: job.id,
      kind: 'start' as const,
      versionNumber: 1,
      status: 'running' as const,
      previousState: 'CREATED' as const,
      flinkJobId: null,
      savepointPath: null,
      params: { fromSavepoint: 'latest' },
      steps: [],
      failedStep: null,
      error: null,
      errorMessage: null,
      rootCause: null,
      author: 'ann',
    };
    const s1 = await store.lifecycle.createSubmission(base);
    const s2 = await store.lifecycle.createSubmission({ ...base, kind: 'stop' });
    expect([s1.number, s2.number]).toEqual([1, 2]);
    const errorMessage = {
      code: 'submission.stepFailed' as const,
      params: { step: 'submit', cause: { code: 'flink.cause' as const, params: { cause: 'boom' } } },
    };
    await store.lifecycle.updateSubmission(s1.id, {
      status: 'failed',
      failedStep: 'submit',
      error: 'step "submit" failed: boom',
      errorMessage,
      steps: [{ name: 'submit', status: 'failed', startedAt: 't', endedAt: 't', log: ['x'] }],
    });
    // The jar a deploy uploaded is kept until it is deleted on the JobManager.
    expect(s1.uploadedJarId).toBeNull();
    await store.lifecycle.updateSubmission(s2.id, { uploadedJarId: 'a1b2_counter.jar' });
    expect((await store.lifecycle.submission(s2.id))!.uploadedJarId).toBe('a1b2_counter.jar');
    await store.lifecycle.updateSubmission(s2.id, { uploadedJarId: null });
    expect((await store.lifecycle.submission(s2.id))!.uploadedJarId).toBeNull();
    expect(await store.lifecycle.submissionByNumber(job.id, 1)).toMatchObject({
      status: 'failed',
      failedStep: 'submit',
      error: 'step "submit" failed: boom',
      errorMessage,
      params: { fromSavepoint: 'latest' },
      steps: [{ log: ['x'] }],
    });
    expect((await store.lifecycle.runningSubmissions()).map((s) => s.number)).toEqual([2]);
    await store.lifecycle.addEvent({
      jobId: job.id,
      from: 'CREATED',
      to: 'STARTING',
      reason: 'r1',
      reasonMessage: { code: 'tracker.reports', params: { flinkState: 'RUNNING' } },
      source: 'user',
      submissionId: s1.id,
    });
    await store.lifecycle.addEvent({
      jobId: job.id,
      from: 'STARTING',
      to: 'FAILED',
      reason: 'r2',
      reasonMessage: null,
      source: 'platform',
      submissionId: null,
    });
    expect((await store.lifecycle.events(job.id)).map((e) => [e.from, e.to, e.source])).toEqual([
      ['CREATED', 'STARTING', 'user'],
      ['STARTING', 'FAILED', 'platform'],
    ]);
    expect((await store.lifecycle.events(job.id)).map((e) => e.reasonMessage)).toEqual([
      { code: 'tracker.reports', params: { flinkState: 'RUNNING' } },
      null,
    ]);
    const sp = await store.lifecycle.addSavepoint({
      jobId: job.id,
      submissionId: s2.id,
      flinkJobId: 'f',
      path: 'file:///s/1',
      kind: 'savepoint',
      origin: 'stop',
      sizeBytes: 10,
    });
    await new Promise((r) => setTimeout(r, 5));
    await store.lifecycle.addSavepoint({
      jobId: job.id,
      submissionId: null,
      flinkJobId: 'f',
      path: 'file:///c/2',
      kind: 'checkpoint',
      origin: 'retained',
      sizeBytes: null,
    });
    expect((await store.lifecycle.savepoints(job.id)).map((s) => s.path)).toEqual([
      'file:///c/2',
      'file:///s/1',
    ]);
    await store.lifecycle.removeSavepoint(sp.id);
    expect(await store.lifecycle.savepoints(job.id)).toHaveLength(1);
    // A run's graph as first seen running: kept per Flink job id, a second look replacing it.
    const shape = {
      vertices: [{ id: 'v1', name: 'Source: src', parallelism: 2 }],
      edges: [{ from: 'v1', to: 'v2', shipStrategy: 'HASH' }],
    };
    expect(await store.lifecycle.runGraph('f')).toBeUndefined();
    await store.lifecycle.keepRunGraph(job.id, 'f', { vertices: [], edges: [] });
    await store.lifecycle.keepRunGraph(job.id, 'f', shape);
    expect(await store.lifecycle.runGraph('f')).toMatchObject({ jobId: job.id, flinkJobId: 'f', shape });
    await store.jobs.remove(job.id);
    expect(await store.lifecycle.events(job.id)).toEqual([]);
    expect(await store.lifecycle.runGraph('f')).toBeUndefined();
  });
});

describe.each(STORES)('JAR jobs in the metadata store on %s', (dialect) => {
  let store: Store | MemoryStore;
  beforeEach(async () => {
    store = await freshAnyStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  const jarContent = {
    kind: 'jar' as const,
    description: 'counts',
    options: { 'state.backend.type': 'hashmap' },
    parallelism: 2,
    engineVersion: '1.20',
    target: 'local-1.20',
    restartPolicy: { kind: 'none' as const },
    resubmitPolicy: { kind: 'none' as const },
    jar: { name: 'counter', version: 3 },
    entryClass: 'dev.sluice.testjobs.StatefulCounter',
    args: ['--keys', '2', 'two words'],
    classpath: [{ name: 'lib', version: 1 }],
  };

  it('keeps a JAR job with its jar, entry class, arguments and classpath, and no script', async () => {
    const created = await store.jobs.create('counter', jarContent, 'ann', 'created');
    expect(created).toMatchObject({ ...jarContent, name: 'counter', state: 'CREATED' });
    expect(created).not.toHaveProperty('sql');
    expect(await store.jobs.getByName('counter')).toEqual(created);
    expect((await store.jobs.version(created.id, 1))?.content).toEqual(jarContent);
    const v2 = await store.jobs.saveVersion(
      created.id,
      1,
      { ...jarContent, jar: { name: 'counter', version: 4 } },
      'bob',
      'new jar',
    );
    expect(v2.contentHash).not.toBe((await store.jobs.version(created.id, 1))!.contentHash);
    expect(await store.jobs.getByName('counter')).toMatchObject({
      kind: 'jar',
      jar: { name: 'counter', version: 4 },
    });
    if ('db' in store) {
      const row = await store.db
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'counter')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ kind: 'jar', sql: null, catalogs: '[]', artifacts: '[]' });
      // The artifacts a JAR job names are in use: its jar (both versions) and its classpath.
      expect(await store.artifacts.usages('counter')).toEqual([
        { job: 'counter', jobVersion: 1, artifactVersion: 3 },
        { job: 'counter', jobVersion: 2, artifactVersion: 4 },
      ]);
      expect(await store.artifacts.usages('lib')).toHaveLength(2);
    }
  });
});

/** A database of `dialect` migrated up to, not including, `migration`: rows are written as they were then. */
async function migratedBefore(dialect: (typeof DIALECTS)[number], migration: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrate-'));
  const url =
    dialect === 'postgres'
      ? await createDatabase(inject('postgresAdminUrl'), `sluice_migrate${migration}_${process.pid}`)
      : undefined;
  const db = new Kysely<Record<string, Record<string, unknown>>>({
    dialect: url
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) })
      : new SqliteDialect({ database: new SQLite(path.join(home, 'sluice.db')) }),
  });
  const all = await migrationProvider(dialect).getMigrations();
  const before = Object.fromEntries(Object.entries(all).filter(([n]) => n < migration));
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  expect(error).toBeUndefined();
  return { home, url, db };
}

/** The jobs row of an SQL job `orders` on local-1.20 as the migrations before 0008 (and 0010) wrote it. */
const oldJobRow = (now: string) => ({
  id: 'j1',
  name: 'orders',
  description: '',
  kind: 'sql',
  sql: 'INSERT INTO a SELECT 1',
  options: '{}',
  parallelism: 1,
  engine_version: '1.20',
  cluster_name: 'local-1.20',
  restart_policy: '{"kind":"none"}',
  flink_job_id: null,
  created_at: now,
  updated_at: now,
  state_since: now,
});

describe.each(DIALECTS)('alert channels in the metadata store on %s', (dialect) => {
  it('saves, replaces (keeping the creation time), lists by name and removes channels', async () => {
    const store = await freshStore(dialect);
    try {
      await store.alertChannels.save({ name: 'ops', type: 'webhook', settings: '{"url":"http://a"}' });
      await store.alertChannels.save({ name: 'mail', type: 'email', settings: '{"host":"h"}' });
      const first = await store.alertChannels.get('ops');
      expect(first).toMatchObject({ name: 'ops', type: 'webhook', settings: '{"url":"http://a"}' });
      await store.alertChannels.save({ name: 'ops', type: 'dingtalk', settings: '{"url":"v1:sealed"}' });
      const second = await store.alertChannels.get('ops');
      expect(second).toMatchObject({
        type: 'dingtalk',
        settings: '{"url":"v1:sealed"}',
        createdAt: first!.createdAt,
      });
      expect((await store.alertChannels.list()).map((c) => c.name)).toEqual(['mail', 'ops']);
      expect(await store.alertChannels.remove('ops')).toBe(true);
      expect(await store.alertChannels.remove('ops')).toBe(false);
      expect(await store.alertChannels.get('ops')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe.each(DIALECTS)('migration 0008 on %s', (dialect) => {
  it('keeps the jobs saved before it as SQL jobs, with their scripts', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0008');
    const now = new Date().toISOString();
    await db.insertInto('jobs').values(oldJobRow(now)).execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      expect(await store.jobs.getByName('orders')).toMatchObject({
        kind: 'sql',
        sql: 'INSERT INTO a SELECT 1',
        catalogs: [],
        artifacts: [],
      });
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('migration 0010 on %s', (dialect) => {
  it('keeps every deployment target and job across the renames, each job with its target', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0010');
    const now = new Date().toISOString();
    const spec = { ...LOCAL_CLUSTER_DEFAULTS, name: 'local-1.20', engineVersion: '1.20' };
    await db
      .insertInto('clusters')
      .values({
        name: 'local-1.20',
        kind: 'local',
        engine_version: '1.20',
        spec: JSON.stringify(spec),
        created_at: now,
      })
      .execute();
    await db
      .insertInto('jobs')
      .values({ ...oldJobRow(now), operation: 'stopping' })
      .execute();
    // Version 1 as it was saved then: its content names the target `clusterName`.
    const content = {
      description: '',
      sql: 'INSERT INTO a SELECT 1',
      options: {},
      parallelism: 1,
      engineVersion: '1.20',
      clusterName: 'local-1.20',
      restartPolicy: { kind: 'none' },
      resubmitPolicy: { kind: 'none' },
      catalogs: [],
      artifacts: [],
    };
    await db
      .insertInto('job_versions')
      .values({
        job_id: 'j1',
        number: 1,
        author: 'test',
        message: '',
        content_hash: 'h',
        content: JSON.stringify(content),
        created_at: now,
      })
      .execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      expect(await store.jobs.getByName('orders')).toMatchObject({
        sql: 'INSERT INTO a SELECT 1',
        target: 'local-1.20',
        submissionInFlight: 'stopping',
      });
      const v1 = await store.jobs.version('j1', 1);
      expect(v1?.content).toMatchObject({ kind: 'sql', target: 'local-1.20' });
      expect(v1?.content).not.toHaveProperty('clusterName');
      // It hashes as it did when saved (keys sorted, as contentHash canonicalizes), so saving it unchanged is no new version.
      const sorted = (v: unknown): unknown =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : v;
      expect(contentHash(v1!.content)).toBe(
        createHash('sha256')
          .update(JSON.stringify(sorted(content)))
          .digest('hex'),
      );
      expect(await store.targets.get('local-1.20')).toMatchObject({ kind: 'local', spec });
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('Kafka connections in the metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('saves, replaces (keeping when it was created), lists by name and deletes', async () => {
    const prod = {
      name: 'prod',
      bootstrapServers: ['b1:9093', 'b2:9093'],
      securityProtocol: 'SASL_SSL' as const,
      saslMechanism: 'SCRAM-SHA-512' as const,
      saslUsername: 'flink',
      sealedPassword: 'v1:iv:tag:ct',
      sslCaCertificate: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      description: 'production',
    };
    await store.kafkaConnections.save(prod);
    await store.kafkaConnections.save({
      ...prod,
      name: 'local',
      bootstrapServers: ['127.0.0.1:9092'],
      securityProtocol: 'PLAINTEXT',
      saslMechanism: null,
      saslUsername: null,
      sealedPassword: null,
      sslCaCertificate: null,
    });
    const first = await store.kafkaConnections.get('prod');
    expect(first).toMatchObject(prod);
    await store.kafkaConnections.save({ ...prod, bootstrapServers: ['b3:9093'] });
    const replaced = await store.kafkaConnections.get('prod');
    expect(replaced!.bootstrapServers).toEqual(['b3:9093']);
    expect(replaced!.createdAt).toBe(first!.createdAt);
    expect((await store.kafkaConnections.list()).map((c) => c.name)).toEqual(['local', 'prod']);
    expect(await store.kafkaConnections.delete('prod')).toBe(true);
    expect(await store.kafkaConnections.delete('prod')).toBe(false);
    expect(await store.kafkaConnections.get('prod')).toBeUndefined();
  });
});

describe.each(DIALECTS)('users, API tokens and console sessions in the metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps users, tokens by hash, sessions by hash; removing a user removes its tokens and sessions', async () => {
    const a = store.access;
    expect(await a.addUser({ name: 'ann', admin: true, passwordHash: '$scrypt$x', source: 'local' })).toBe(
      true,
    );
    expect(await a.addUser({ name: 'ann', admin: false, passwordHash: null, source: 'local' })).toBe(false);
    expect(await a.addUser({ name: 'bob', admin: false, passwordHash: null, source: 'ldap' })).toBe(true);
    expect((await a.users()).map((u) => [u.name, u.admin, u.source])).toEqual([
      ['ann', true, 'local'],
      ['bob', false, 'ldap'],
    ]);
    // An LDAP user's admin flag follows its groups at each sign-in.
    await a.setAdmin('bob', true);
    expect((await a.user('bob'))?.admin).toBe(true);
    await a.setAdmin('bob', false);
    expect((await a.user('ann'))?.passwordHash).toBe('$scrypt$x');
    // An OIDC user is bound to its provider's issuer and subject; others to none.
    expect(
      await a.addUser({
        name: 'cat',
        admin: false,
        passwordHash: null,
        source: 'oidc',
        externalSubject: 'https://login.example.com s-1',
      }),
    ).toBe(true);
    expect(await a.user('cat')).toMatchObject({
      source: 'oidc',
      externalSubject: 'https://login.example.com s-1',
    });
    expect((await a.user('ann'))?.externalSubject).toBeNull();
    expect(await a.removeUser('cat')).toBe(true);
    const token = {
      id: 't1',
      name: 'laptop',
      owner: 'bob',
      scopes: ['read' as const],
      createdAt: '2026-01-01T00:00:00Z',
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    };
    await a.addToken({ ...token, secretHash: 'h1' });
    expect(await a.tokenByHash('h1')).toEqual(token);
    expect(await a.tokenByHash('t1')).toBeUndefined();
    await a.touchToken('t1', '2026-01-02T00:00:00Z');
    expect((await a.tokens('bob'))[0]?.lastUsedAt).toBe('2026-01-02T00:00:00Z');
    expect(await a.revokeToken('ann', 't1', '2026-01-03T00:00:00Z')).toBe(false);
    expect(await a.revokeToken('bob', 't1', '2026-01-03T00:00:00Z')).toBe(true);
    expect(await a.revokeToken('bob', 't1', '2026-01-04T00:00:00Z')).toBe(false);
    expect((await a.tokenByHash('h1'))?.revokedAt).toBe('2026-01-03T00:00:00Z');

    const s = {
      user: 'bob',
      createdAt: 'c',
      expiresAt: '2026-01-02T00:00:00Z',
      lastSeenAt: '2026-01-01T00:00:00Z',
    };
    await a.addSession('s1', s);
    expect(await a.session('s1')).toEqual(s);
    await a.touchSession('s1', '2026-01-01T01:00:00Z');
    expect((await a.session('s1'))?.lastSeenAt).toBe('2026-01-01T01:00:00Z');
    await a.removeSessionsBefore('2026-01-01T00:00:00Z', '2026-01-01T00:30:00Z');
    expect(await a.session('s1')).toBeDefined();
    await a.removeSessionsBefore('2026-01-02T00:00:00Z', '2025-01-01T00:00:00Z');
    expect(await a.session('s1')).toBeUndefined();
    await a.addSession('s2', s);
    // A password change ends the user's other sessions, never another user's.
    await a.addSession('s3', s);
    await a.addSession('s4', { ...s, user: 'ann' });
    await a.removeSessionsOf('bob', 's2');
    expect(await a.session('s2')).toBeDefined();
    expect(await a.session('s3')).toBeUndefined();
    expect(await a.session('s4')).toBeDefined();
    await a.removeSessionsOf('ann');
    expect(await a.session('s4')).toBeUndefined();
    expect(await a.setPasswordHash('ann', '$scrypt$y')).toBe(true);
    expect((await a.user('ann'))?.passwordHash).toBe('$scrypt$y');
    expect(await a.setPasswordHash('nobody', '$scrypt$y')).toBe(false);

    expect(await a.removeUser('bob')).toBe(true);
    expect(await a.removeUser('bob')).toBe(false);
    expect(await a.tokenByHash('h1')).toBeUndefined();
    expect(await a.session('s2')).toBeUndefined();
  });

  it('counts failed sign-ins per subject within a window and forgets older ones', async () => {
    const a = store.access;
    await a.recordFailure(['user:ann', 'address:1.2.3.4'], '2026-01-01T00:00:00Z');
    await a.recordFailure(['user:ann', 'address:5.6.7.8'], '2026-01-01T00:10:00Z');
    expect(await a.failuresSince(['user:ann', 'address:9.9.9.9'], '2025-12-31T00:00:00Z')).toBe(2);
    expect(await a.failuresSince(['user:zed', 'address:1.2.3.4'], '2025-12-31T00:00:00Z')).toBe(1);
    expect(await a.failuresSince(['user:ann'], '2026-01-01T00:05:00Z')).toBe(1);
    await a.clearFailures('user:ann');
    expect(await a.failuresSince(['user:ann'], '2025-12-31T00:00:00Z')).toBe(0);
  });
});

describe.each(DIALECTS)('quotas in the metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it("saves a scope's limits and ranges (nulls kept, fractions of cores and 64-bit sizes exact), replaces and removes", async () => {
    const q = {
      scope: 'target:apps',
      limits: { cpu: 2.5, memory: 64 * 1024 ** 4, slots: 16, taskManagers: null, jobs: 3 },
      perJob: {
        maxParallelism: 8,
        maxTaskManagers: null,
        maxTaskManagerMemory: 4 * 1024 ** 3,
        maxCpuPerPod: 0.5,
      },
      updatedAt: '2026-12-03T22:00:00.000Z',
      updatedBy: 'admin',
    };
    expect(await store.quotas.get('target:apps')).toBeUndefined();
    await store.quotas.save(q);
    expect(await store.quotas.get('target:apps')).toEqual(q);
    const changed = { ...q, limits: { ...q.limits, jobs: null }, updatedBy: 'ops' };
    await store.quotas.save(changed);
    expect(await store.quotas.get('target:apps')).toEqual(changed);
    expect(await store.quotas.get('target:other')).toBeUndefined();
    expect(await store.quotas.remove('target:apps')).toBe(true);
    expect(await store.quotas.remove('target:apps')).toBe(false);
    expect(await store.quotas.get('target:apps')).toBeUndefined();
  });

  it("keeps a space's quota beside a target's of the same name, and removes it with its space", async () => {
    const limits = { cpu: null, memory: 8 * 1024 ** 3, slots: null, taskManagers: null, jobs: 2 };
    const perJob = {
      maxParallelism: null,
      maxTaskManagers: null,
      maxTaskManagerMemory: null,
      maxCpuPerPod: null,
    };
    const at = { updatedAt: '2026-12-04T22:00:00.000Z', updatedBy: 'olga' };
    await store.spaces.addSpace({ name: 'apps', createdAt: at.updatedAt, createdBy: 'admin' });
    await store.quotas.save({ scope: 'space:apps', limits, perJob, ...at });
    await store.quotas.save({ scope: 'target:apps', limits: { ...limits, jobs: 5 }, perJob, ...at });
    expect(await store.quotas.get('space:apps')).toEqual({ scope: 'space:apps', limits, perJob, ...at });
    expect(await store.spaces.removeSpace('apps')).toEqual({ removed: true, holds: {} });
    expect(await store.quotas.get('space:apps')).toBeUndefined();
    expect((await store.quotas.get('target:apps'))?.limits.jobs).toBe(5);
  });
});

describe.each(DIALECTS)('the audit log in the metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  const entry = (n: number, over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
    at: `2026-12-04T10:00:0${n}.000Z`,
    actor: 'carol',
    via: 'console',
    sourceAddress: '127.0.0.1',
    userAgent: 'Mozilla/5.0',
    method: 'PATCH',
    path: '/api/v1/jobs/orders',
    operation: 'jobs.update',
    resourceKind: 'job',
    resourceName: 'orders',
    space: 'default',
    status: 200,
    errorCode: null,
    before: { version: n, sql: 'SELECT 1' },
    after: { version: n + 1, sql: 'SELECT 100%_done' },
    ...over,
  });

  it('appends records and finds them newest first, by every filter, a page at a time', async () => {
    const a = await store.audit.append(entry(1));
    const b = await store.audit.append(
      entry(2, {
        actor: 'ci',
        via: 'token 3f2a9c0d1e2b4a5c',
        status: 403,
        errorCode: 'forbidden',
        after: null,
      }),
    );
    const c = await store.audit.append(
      entry(3, {
        method: 'PUT',
        path: '/api/v1/variables/pw',
        operation: 'workspace.setVariable',
        resourceKind: 'variable',
        resourceName: 'pw',
        space: 'team-a',
        status: 404,
        errorCode: 'not_found',
        before: null,
        after: { name: 'pw', value: '******', secret: true },
        userAgent: null,
      }),
    );
    expect(a < b && b < c).toBe(true);
    const all = await store.audit.find({}, { limit: 10 });
    expect(all.map((e) => e.id)).toEqual([c, b, a]);
    expect(all[2]).toEqual({ id: a, ...entry(1) });
    expect(all[0]!.userAgent).toBeNull();
    const ids = async (f: AuditFilter) => (await store.audit.find(f, { limit: 10 })).map((e) => e.id);
    expect(await ids({ actor: 'ci' })).toEqual([b]);
    expect(await ids({ resourceKind: 'job', resourceName: 'orders' })).toEqual([b, a]);
    expect(await ids({ operation: 'workspace.setVariable' })).toEqual([c]);
    expect(await ids({ space: 'team-a' })).toEqual([c]);
    expect(await ids({ space: 'default', actor: 'carol' })).toEqual([a]);
    expect(await ids({ outcome: 'succeeded' })).toEqual([a]);
    expect(await ids({ outcome: 'refused' })).toEqual([b]);
    expect(await ids({ outcome: 'failed' })).toEqual([c]);
    expect(await ids({ from: '2026-12-04T10:00:02.000Z', to: '2026-12-04T10:00:02.999Z' })).toEqual([b]);
    // Text anywhere, case-insensitive, LIKE's own characters literal.
    expect(await ids({ text: 'FORBIDDEN' })).toEqual([b]);
    expect(await ids({ text: '100%_d' })).toEqual([a]);
    expect(await ids({ text: '100%x' })).toEqual([]);
    expect(await ids({ text: 'secret' })).toEqual([c]);
    // Pages: the next starts below the last id seen.
    const first = await store.audit.find({}, { limit: 2 });
    expect(first.map((e) => e.id)).toEqual([c, b]);
    expect((await store.audit.find({}, { limit: 2, before: b })).map((e) => e.id)).toEqual([a]);
  });

  it('is append-only: the database itself refuses UPDATE and DELETE, and a deleted job keeps its records', async () => {
    const id = await store.audit.append(entry(1));
    await expect(
      sql`UPDATE audit_log SET actor = 'mallory' WHERE id = ${id}`.execute(store.db),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/);
    await expect(sql`DELETE FROM audit_log WHERE id = ${id}`.execute(store.db)).rejects.toThrow(
      /audit_log is append-only: DELETE refused/,
    );
    if (dialect === 'postgres')
      await expect(sql`TRUNCATE audit_log`.execute(store.db)).rejects.toThrow(
        /append-only: TRUNCATE refused/,
      );
    expect((await store.audit.find({}, { limit: 10 }))[0]).toMatchObject({ id, actor: 'carol' });

    const job = await store.jobs.create('orders', storedSqlContent(), 'carol', 'first');
    await store.jobs.remove(job.id);
    expect(await store.jobs.getByName('orders')).toBeUndefined();
    expect((await store.audit.find({ resourceName: 'orders' }, { limit: 10 })).map((e) => e.id)).toEqual([
      id,
    ]);
  });
});

describe.each(DIALECTS)('resource profiles in the metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it("keeps a job's profiles by name (replaced, removed, gone with the job) and each target's and space's active profile with its last switch", async () => {
    const job = await store.jobs.create('orders', storedSqlContent({ target: 'apps' }), 'alice', 'created');
    const peak = { name: 'peak', parallelism: 4, options: { 'taskmanager.memory.process.size': '2g' } };
    await store.profiles.saveForJob(job.id, peak);
    await store.profiles.saveForJob(job.id, { name: 'normal', parallelism: 1, options: {} });
    await store.profiles.saveForJob(job.id, { ...peak, parallelism: 8 });
    expect(await store.profiles.ofJob(job.id)).toEqual([
      { name: 'normal', parallelism: 1, options: {} },
      { ...peak, parallelism: 8 },
    ]);
    expect(await store.profiles.removeForJob(job.id, 'normal')).toBe(true);
    expect(await store.profiles.removeForJob(job.id, 'normal')).toBe(false);
    const apps = targetScope('apps');
    // A space and a target of the same name are two scopes.
    const space = spaceScope('apps');
    expect(await store.profiles.ofScope(apps)).toEqual({ activeProfile: null, lastSwitch: null });
    const state = {
      activeProfile: 'peak',
      lastSwitch: {
        profile: 'peak',
        from: null,
        author: 'alice',
        startedAt: '2026-12-04T18:00:00.000Z',
        finishedAt: null,
        concurrency: 1,
        jobs: [{ job: 'orders', status: 'upgrading' as const, submission: 2, reason: null }],
      },
    };
    await store.profiles.saveScope(apps, state);
    expect(await store.profiles.ofScope(apps)).toEqual(state);
    expect(await store.profiles.ofScope(space)).toEqual({ activeProfile: null, lastSwitch: null });
    await store.profiles.saveScope(space, { ...state, activeProfile: 'normal' });
    expect((await store.profiles.ofScope(space)).activeProfile).toBe('normal');
    await store.profiles.saveScope(apps, { ...state, activeProfile: null });
    expect((await store.profiles.ofScope(apps)).activeProfile).toBeNull();
    expect((await store.profiles.ofScope(space)).activeProfile).toBe('normal');
    await store.jobs.remove(job.id);
    expect(await store.profiles.ofJob(job.id)).toEqual([]);
    await store.profiles.forgetScope(apps);
    expect((await store.profiles.ofScope(apps)).lastSwitch).toBeNull();
    expect((await store.profiles.ofScope(space)).lastSwitch).toEqual(state.lastSwitch);
    await store.profiles.forgetScope(space);
    expect(await store.profiles.ofScope(space)).toEqual({ activeProfile: null, lastSwitch: null });
  });
});

describe.each(STORES)('scheduled profile switches in the metadata store on %s', (kind) => {
  let store: Store | MemoryStore;
  beforeEach(async () => {
    store = await freshAnyStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps switches per scope (space or target), numbered, with their offset as given and their last run; removed per scope', async () => {
    const made = { createdBy: 'alice', createdAt: '2026-11-01T08:00:00.000Z' };
    const apps = targetScope('apps');
    const peak = await store.profileSchedules.add({
      scope: apps,
      profile: 'peak',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      ...made,
    });
    const normal = await store.profileSchedules.add({
      scope: apps,
      profile: 'normal',
      at: '2026-11-12T02:00:00+08:00',
      repeat: 'daily',
      ...made,
    });
    const other = await store.profileSchedules.add({
      scope: targetScope('k8s'),
      profile: 'peak',
      at: '2026-11-10T15:00:00Z',
      repeat: 'weekly',
      ...made,
    });
    // A space of the same name as a target is another scope.
    const team = await store.profileSchedules.add({
      scope: spaceScope('apps'),
      profile: 'peak',
      at: '2026-11-11T00:00:00+08:00',
      repeat: 'none',
      ...made,
    });
    expect(peak).toEqual({
      id: peak.id,
      scope: { kind: 'target', name: 'apps' },
      profile: 'peak',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      ...made,
      lastRun: null,
    });
    expect(team.scope).toEqual({ kind: 'space', name: 'apps' });
    expect(normal.id).toBeGreaterThan(peak.id);
    expect((await store.profileSchedules.list(apps)).map((s) => s.profile)).toEqual(['peak', 'normal']);
    expect((await store.profileSchedules.list(spaceScope('apps'))).map((s) => s.id)).toEqual([team.id]);
    expect((await store.profileSchedules.list()).map((s) => s.id)).toEqual([
      peak.id,
      normal.id,
      other.id,
      team.id,
    ]);

    const run = {
      due: '2026-11-10T15:00:00.000Z',
      at: '2026-11-10T15:00:01.000Z',
      outcome: 'refused' as const,
      reason: 'target apps does not exist',
    };
    await store.profileSchedules.recordRun(peak.id, run);
    expect((await store.profileSchedules.list(apps))[0]!.lastRun).toEqual(run);

    // An id is removed only under its own scope.
    expect(await store.profileSchedules.remove(targetScope('k8s'), peak.id)).toBe(false);
    expect(await store.profileSchedules.remove(spaceScope('apps'), peak.id)).toBe(false);
    expect(await store.profileSchedules.remove(apps, peak.id)).toBe(true);
    expect(await store.profileSchedules.remove(apps, peak.id)).toBe(false);
    await store.profileSchedules.forgetScope(apps);
    expect((await store.profileSchedules.list()).map((s) => s.id)).toEqual([other.id, team.id]);
    await store.profileSchedules.forgetScope(spaceScope('apps'));
    expect((await store.profileSchedules.list()).map((s) => s.id)).toEqual([other.id]);
  });
});

describe.each(STORES)('spaces in the metadata store on %s', (dialect) => {
  let store: Store | MemoryStore;
  beforeEach(async () => {
    store = await freshAnyStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps spaces and their members, and the space of each thing (default unless made elsewhere)', async () => {
    const at = '2026-12-04T20:00:00.000Z';
    expect((await store.spaces.spaces()).map((s) => s.name)).toEqual(['default']);
    expect(await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'admin' })).toBe(true);
    expect(await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'bob' })).toBe(false);
    expect(await store.spaces.space('team-a')).toEqual({ name: 'team-a', createdAt: at, createdBy: 'admin' });

    await store.spaces.setMember({ space: 'team-a', user: 'carol', role: 'viewer' });
    await store.spaces.setMember({ space: 'team-a', user: 'carol', role: 'owner' });
    await store.spaces.setMember({ space: 'team-a', user: 'bob', role: 'developer' });
    await store.spaces.setMember({ space: 'default', user: 'carol', role: 'viewer' });
    expect(await store.spaces.members('team-a')).toEqual([
      { space: 'team-a', user: 'bob', role: 'developer', source: 'manual' },
      { space: 'team-a', user: 'carol', role: 'owner', source: 'manual' },
    ]);
    expect((await store.spaces.membershipsOf('carol')).map((m) => [m.space, m.role])).toEqual([
      ['default', 'viewer'],
      ['team-a', 'owner'],
    ]);
    expect(await store.spaces.role('team-a', 'bob')).toBe('developer');
    expect(await store.spaces.role('default', 'bob')).toBeNull();
    expect(await store.spaces.removeMember('team-a', 'bob')).toBe(true);
    expect(await store.spaces.removeMember('team-a', 'bob')).toBe(false);

    const job = await store.jobs.create('orders', storedSqlContent(), 'carol', 'first', 'team-a');
    await store.jobs.create('clicks', storedSqlContent(), 'carol', 'first');
    const pw = { name: 'pw', storedValue: 'x', secret: false, description: '' };
    await store.workspace.saveVariable(pw, 'team-a');
    expect(await store.spaces.spaceOf('job', 'clicks')).toBe('default');
    expect(await store.spaces.spaceOf('job', 'nothing')).toBeUndefined();
    expect(await store.spaces.spaceOf('job', 'orders')).toBe('team-a');
    // Saved again (as by a PUT naming no space), it stays in its space.
    await store.workspace.saveVariable({ ...pw, storedValue: 'y' });
    expect(await store.spaces.spaceOf('variable', 'pw')).toBe('team-a');
    expect(await store.spaces.spacesOf('job')).toEqual(
      new Map([
        ['clicks', 'default'],
        ['orders', 'team-a'],
      ]),
    );
    expect(await store.spaces.holdings('team-a')).toEqual({ job: ['orders'], variable: ['pw'] });

    await store.jobs.remove(job.id);
    await store.workspace.deleteVariable('pw');
    expect(await store.spaces.holdings('team-a')).toEqual({});
    expect(await store.spaces.removeSpace('team-a')).toEqual({ removed: true, holds: {} });
    expect(await store.spaces.members('team-a')).toEqual([]);
    expect(await store.spaces.removeSpace('team-a')).toEqual({ removed: false, holds: {} });
  });

  it("keeps each space's file folders on the space, gone with it", async () => {
    const at = '2026-12-04T20:00:00.000Z';
    await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'admin' });
    expect(await store.spaces.fileFolders('team-a')).toBeNull();
    expect(await store.spaces.fileFolders('default')).toBeNull();
    expect(await store.spaces.fileFolders('nowhere')).toBeUndefined();
    expect(await store.spaces.setFileFolders('team-a', ['/srv/a', '/data/in'])).toBe(true);
    expect(await store.spaces.setFileFolders('nowhere', ['/srv/a'])).toBe(false);
    expect(await store.spaces.fileFolders('team-a')).toEqual(['/srv/a', '/data/in']);
    expect(await store.spaces.fileFolders('default')).toBeNull();
    expect(await store.spaces.setFileFolders('team-a', [])).toBe(true);
    expect(await store.spaces.fileFolders('team-a')).toEqual([]);
    expect(await store.spaces.setFileFolders('team-a', null)).toBe(true);
    expect(await store.spaces.fileFolders('team-a')).toBeNull();
    await store.spaces.setFileFolders('team-a', ['/srv/a']);
    expect(await store.spaces.removeSpace('team-a')).toEqual({ removed: true, holds: {} });
    // A space of that name made again starts without the old one's folders.
    await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'admin' });
    expect(await store.spaces.fileFolders('team-a')).toBeNull();
  });

  it('writes a new thing with its space in one step: in a space that is not there nothing is made, and nothing is left', async () => {
    await store.spaces.addSpace({
      name: 'team-a',
      createdAt: '2026-12-04T20:00:00.000Z',
      createdBy: 'admin',
    });
    const gone = /space 'gone' does not exist/;
    const target = { ...LOCAL_CLUSTER_DEFAULTS, name: 'apps', engineVersion: '1.20' };
    const variable = { name: 'pw', storedValue: 'x', secret: false, description: '' };
    const catalog = { name: 'lake', type: 'generic_in_memory', options: {}, description: '' };

    await expect(store.jobs.create('orders', storedSqlContent(), 'carol', 'first', 'gone')).rejects.toThrow(
      gone,
    );
    await expect(store.targets.save(target, 'local', 'gone')).rejects.toThrow(gone);
    await expect(store.workspace.saveVariable(variable, 'gone')).rejects.toThrow(gone);
    await expect(store.workspace.saveCatalog(catalog, 'gone')).rejects.toThrow(gone);
    expect(await store.jobs.getByName('orders')).toBeUndefined();
    expect(await store.jobs.list()).toEqual([]);
    expect(await store.targets.get('apps')).toBeUndefined();
    expect(await store.workspace.variable('pw')).toBeUndefined();
    expect(await store.workspace.catalog('lake')).toBeUndefined();
    expect(await store.spaces.holdings('gone')).toEqual({});
    if (store instanceof Store) {
      // No version 1 without its job either.
      expect((await store.db.selectFrom('job_versions').selectAll().execute()).length).toBe(0);
      const jar = {
        name: 'udfs',
        sha256: 'a'.repeat(64),
        sizeBytes: 1,
        fileName: 'udfs.jar',
        source: { kind: 'upload' as const },
        mainClass: null,
        author: 'carol',
        createdAt: '2026-12-04T20:00:00.000Z',
      };
      const rule = {
        name: 'down',
        job: null,
        kind: 'failed' as const,
        threshold: null,
        for: '0s',
        severity: 'critical' as const,
        channel: 'ops',
        space: 'gone',
        createdAt: jar.createdAt,
        updatedAt: jar.createdAt,
      };
      await expect(store.artifacts.add(jar, 'gone')).rejects.toThrow(gone);
      await expect(store.alerts.saveRule(rule)).rejects.toThrow(gone);
      expect(await store.artifacts.versions('udfs')).toEqual([]);
      expect(await store.alerts.rule('down')).toBeUndefined();
      // Made in team-a at once; a new version stays in its artifact's space whatever it is asked.
      expect((await store.artifacts.add(jar, 'team-a')).version).toBe(1);
      expect((await store.artifacts.add(jar, 'gone')).version).toBe(2);
      await store.alerts.saveRule({ ...rule, space: 'team-a' });
      expect(await store.spaces.spaceOf('artifact', 'udfs')).toBe('team-a');
      expect(await store.spaces.spacesOf('artifact')).toEqual(new Map([['udfs', 'team-a']]));
      expect(await store.spaces.spaceOf('alertRule', 'down')).toBe('team-a');
    }

    // In a space that is there: written with it, and kept when saved again without one.
    await store.jobs.create('orders', storedSqlContent(), 'carol', 'first', 'team-a');
    await store.targets.save(target, 'local', 'team-a');
    await store.targets.save({ ...target, taskManagers: 2 });
    await store.workspace.saveCatalog(catalog, 'team-a');
    await store.workspace.saveCatalog({ ...catalog, description: 'again' }, 'gone');
    expect(await store.spaces.spaceOf('job', 'orders')).toBe('team-a');
    expect(await store.spaces.spaceOf('target', 'apps')).toBe('team-a');
    expect(await store.spaces.spaceOf('catalog', 'lake')).toBe('team-a');
    expect((await store.workspace.catalog('lake'))?.description).toBe('again');
  });

  it('a space removed while things are made in it: the removal is refused naming them, or they are refused; nothing is left in a missing space', async () => {
    const at = '2026-12-05T03:00:00.000Z';
    const quota = (round: number) => ({
      scope: 'space:team-a',
      limits: { ...NO_LIMITS, cpu: round + 1 },
      perJob: NO_RANGES,
      updatedAt: at,
      updatedBy: 'admin',
    });
    for (let round = 0; round < 12; round++) {
      await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'admin' });
      const jobs = Array.from({ length: 6 }, (_, i) => `job-${round}-${i}`);
      const variable = { name: `pw-${round}`, storedValue: 'x', secret: false, description: '' };
      // The removal starts first, and again among the makings: its check and its delete fall
      // between their reads of the space and their commits in some rounds.
      const removalAt = round % 2 === 0 ? 0 : 3;
      const makings: (() => Promise<unknown>)[] = [
        ...jobs.map((n) => () => store.jobs.create(n, storedSqlContent(), 'carol', 'first', 'team-a')),
        () => store.workspace.saveVariable(variable, 'team-a'),
      ];
      makings.splice(removalAt, 0, () => store.spaces.removeSpace('team-a'));
      // A member and a quota are no things it holds: the removal takes them along, and one written
      // after it must not be left for the next space of that name.
      const extras = [
        () => store.spaces.setMember({ space: 'team-a', user: `u-${round}`, role: 'viewer' }),
        () => (store instanceof Store ? store.quotas.save(quota(round)) : Promise.resolve()),
      ];
      const all = await Promise.allSettled([...makings, ...extras].map((f) => f()));
      const settled = all.slice(0, makings.length);
      const removal = settled[removalAt]!;
      if (removal.status === 'rejected') throw removal.reason;
      const { removed, holds } = removal.value as SpaceRemoval;
      const made = settled.filter((_, i) => i !== removalAt);
      const left = await store.spaces.holdings('team-a');
      for (const r of all.slice(makings.length))
        if (r.status === 'rejected') expect((r.reason as SluiceError).code).toBe('not_found');
      if (removed) {
        // Removed: nothing was made before, and what came after was refused for want of the space.
        expect(await store.spaces.space('team-a')).toBeUndefined();
        expect(holds).toEqual({});
        expect(left).toEqual({});
        expect(await store.spaces.members('team-a')).toEqual([]);
        if (store instanceof Store) expect(await store.quotas.get('space:team-a')).toBeUndefined();
        for (const m of made)
          expect(m.status === 'rejected' && (m.reason as SluiceError).code).toBe('not_found');
      } else {
        // Kept: it names things that are there, and every making went through.
        expect(await store.spaces.space('team-a')).toBeDefined();
        expect(Object.keys(holds).length).toBeGreaterThan(0);
        for (const [kind, names] of Object.entries(holds))
          expect(left[kind as keyof typeof left]).toEqual(expect.arrayContaining(names));
        expect(made.every((m) => m.status === 'fulfilled')).toBe(true);
        for (const j of await store.jobs.list()) await store.jobs.remove(j.id);
        await store.workspace.deleteVariable(variable.name);
        expect(await store.spaces.removeSpace('team-a')).toEqual({ removed: true, holds: {} });
      }
    }
  });

  it('a membership from a directory changes only while it is the directory’s; one set by hand is kept', async () => {
    const at = '2026-12-04T20:00:00.000Z';
    await store.spaces.addSpace({ name: 'team-a', createdAt: at, createdBy: 'admin' });
    // In a space that is not there (removed since it was looked up) nothing is written.
    await expect(store.spaces.setMember({ space: 'gone', user: 'dora', role: 'owner' })).rejects.toThrow(
      /space 'gone' does not exist/,
    );
    expect(
      await store.spaces.setDirectoryMember({ space: 'gone', user: 'dora', role: 'owner', source: 'ldap' }),
    ).toBe(false);
    expect(await store.spaces.membershipsOf('dora')).toEqual([]);
    const sources = async () =>
      (await store.spaces.membershipsOf('dora')).map((m) => `${m.space}:${m.role}:${m.source}`);
    await store.spaces.setDirectoryMember({ space: 'team-a', user: 'dora', role: 'viewer', source: 'ldap' });
    await store.spaces.setDirectoryMember({ space: 'team-a', user: 'dora', role: 'owner', source: 'ldap' });
    await store.spaces.setMember({ space: 'default', user: 'dora', role: 'viewer' });
    expect(await sources()).toEqual(['default:viewer:manual', 'team-a:owner:ldap']);
    // Set by hand: the directory neither changes nor removes it.
    await store.spaces.setDirectoryMember({ space: 'default', user: 'dora', role: 'owner', source: 'ldap' });
    expect(await store.spaces.removeDirectoryMember('default', 'dora', 'ldap')).toBe(false);
    // Another directory's membership is not this one's either.
    expect(await store.spaces.removeDirectoryMember('team-a', 'dora', 'oidc')).toBe(false);
    expect(await sources()).toEqual(['default:viewer:manual', 'team-a:owner:ldap']);
    // An owner setting a role by hand takes the membership over.
    await store.spaces.setMember({ space: 'team-a', user: 'dora', role: 'developer' });
    expect(await store.spaces.removeDirectoryMember('team-a', 'dora', 'ldap')).toBe(false);
    expect(await sources()).toEqual(['default:viewer:manual', 'team-a:developer:manual']);
    await store.spaces.removeMember('team-a', 'dora');
    await store.spaces.setDirectoryMember({ space: 'team-a', user: 'dora', role: 'viewer', source: 'oidc' });
    expect(await store.spaces.removeDirectoryMember('team-a', 'dora', 'oidc')).toBe(true);
    expect(await sources()).toEqual(['default:viewer:manual']);
  });
});

describe.each(DIALECTS)('migration 0029 on %s', (dialect) => {
  it('every membership from before was set by hand', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0029');
    await db
      .insertInto('space_members')
      .values({ space: 'default', user_name: 'carol', role: 'owner', added_at: new Date().toISOString() })
      .execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      expect(await store.spaces.membershipsOf('carol')).toEqual([
        { space: 'default', user: 'carol', role: 'owner', source: 'manual' },
      ]);
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('migration 0026 on %s', (dialect) => {
  it('puts what exists in space default and makes every user who is not an admin a developer there', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0026');
    const now = new Date().toISOString();
    await db
      .insertInto('variables')
      .values({ name: 'pw', value: 'x', secret: 0, description: '', created_at: now, updated_at: now })
      .execute();
    for (const [name, admin] of [
      ['admin', 1],
      ['carol', 0],
    ] as const)
      await db
        .insertInto('users')
        .values({ name, admin, password_hash: null, created_at: now, source: 'local' })
        .execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      expect(await store.spaces.spaceOf('variable', 'pw')).toBe('default');
      expect(await store.spaces.members('default')).toEqual([
        { space: 'default', user: 'carol', role: 'developer', source: 'manual' },
      ]);
      expect((await store.spaces.spaces()).map((s) => [s.name, s.createdBy])).toEqual([
        ['default', 'migration'],
      ]);
      // A user removed takes its memberships along.
      expect(await store.access.removeUser('carol')).toBe(true);
      expect(await store.spaces.members('default')).toEqual([]);
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('migration 0031 on %s', (dialect) => {
  it('leaves every space that exists without folders of its own: each uses its default folder', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0031');
    await db
      .insertInto('spaces')
      .values({ name: 'team-a', created_at: new Date().toISOString(), created_by: 'admin' })
      .execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      expect(await store.spaces.fileFolders('team-a')).toBeNull();
      expect(await store.spaces.fileFolders('default')).toBeNull();
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('migration 0030 on %s', (dialect) => {
  it('gives the audit log a space per record, leaving older records without one (their log is append-only)', async () => {
    const { home, url, db } = await migratedBefore(dialect, '0030');
    const now = new Date().toISOString();
    await db
      .insertInto('audit_log')
      .values({
        at: now,
        actor: 'carol',
        via: 'console',
        source_address: '127.0.0.1',
        method: 'PATCH',
        path: '/api/v1/jobs/orders',
        operation: 'jobs.update',
        resource_kind: 'job',
        resource_name: 'orders',
        status: 200,
      })
      .execute();
    await db.destroy();
    const store = await Store.open({ home, databaseUrl: url });
    try {
      // A job of that name is there now, in default: the old record is not put there by its name.
      await store.jobs.create('orders', storedSqlContent(), 'carol', 'made again');
      expect(await store.spaces.spaceOf('job', 'orders')).toBe('default');
      const [old] = await store.audit.find({}, { limit: 10 });
      expect(old).toMatchObject({ resourceName: 'orders', space: null });
      expect(await store.audit.find({ space: 'default' }, { limit: 10 })).toEqual([]);
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
