import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runSluice, serveApi } from '../support/cli.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';

/** The first job end to end: a real server, the real CLI, a real local Flink cluster. */
describe('a first job through the CLI', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  const sluice = (...args: string[]) => runSluice(url, args);

  beforeAll(async () => {
    t = await testPlatform();
    await t.platform.store.engines.remove('1.20'); // the CLI registers it below
    ({ app, url } = await serveApi(t.platform));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('registers the engine and starts a cluster', async () => {
    const add = await sluice('engine', 'add', '--home', inject('engineHome'));
    expect(add.stdout).toMatch(/engine 1\.20 \(Flink 1\.20\.3\) registered/);
    const list = await sluice('engine', 'list');
    expect(list.stdout).toMatch(/1\.20\s+1\.20\.3\s+\*\s+registered\s+ok/);
    const s = await t.clusterSettings();
    const start = await sluice(
      'cluster',
      'start',
      'local-1.20',
      '--engine',
      '1.20',
      '--rest-port',
      String(s.restPort),
      '--rpc-port',
      String(s.rpcPort),
      '--gateway-port',
      String(s.gatewayPort),
      '--tm-memory',
      s.taskManagerMemory,
    );
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/cluster local-1\.20 is running/);
    expect(start.stderr).toMatch(/started jobmanager \(pid \d+\)/);
    const status = JSON.parse((await sluice('cluster', 'status', 'local-1.20', '--json')).stdout);
    expect(status).toMatchObject({ state: 'running', overview: { taskmanagers: 1 } });
  });

  it('creates and starts a datagen -> filesystem job that really writes rows', async () => {
    const out = path.join(t.home, 'out');
    const sqlFile = path.join(t.home, 'job.sql');
    fs.writeFileSync(
      sqlFile,
      `-- a sequence of ids, written as CSV
CREATE TABLE ids (id BIGINT, label STRING) WITH (
  'connector' = 'datagen', 'rows-per-second' = '50',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000',
  'fields.label.length' = '8');
CREATE TABLE files (id BIGINT, label STRING) WITH (
  'connector' = 'filesystem', 'path' = 'file://${out}', 'format' = 'csv',
  'sink.rolling-policy.rollover-interval' = '1s', 'sink.rolling-policy.check-interval' = '1s');
SET 'execution.checkpointing.interval' = '1s';
INSERT INTO files SELECT id, label FROM ids;
`,
    );
    const created = await sluice('job', 'create', '--name', 'ids-to-files', '--sql-file', sqlFile);
    expect(created.code, created.stderr).toBe(0);
    const started = await sluice('job', 'start', 'ids-to-files');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toContain('[submit]');
    expect(started.stderr).toMatch(/Flink job [0-9a-f]{32} submitted/);
    expect(started.stdout).toMatch(/job ids-to-files is RUNNING \(Flink job [0-9a-f]{32}\)/);
    const job = JSON.parse((await sluice('job', 'get', 'ids-to-files', '--json')).stdout);
    expect(job).toMatchObject({ state: 'RUNNING', flinkJobId: expect.stringMatching(/^[0-9a-f]{32}$/) });

    // Finished part files appear after each checkpoint; their rows are the datagen sequence.
    const rows = await waitFor('rows in committed part files', async () => {
      if (!fs.existsSync(out)) return false;
      const files = fs.readdirSync(out).filter((f) => !f.startsWith('.'));
      const lines = files.flatMap((f) =>
        fs.readFileSync(path.join(out, f), 'utf8').split('\n').filter(Boolean),
      );
      return lines.length >= 50 && lines;
    });
    const ids = rows.map((l) => Number(l.split(',')[0])).sort((a, b) => a - b);
    expect(ids.slice(0, 3)).toEqual([1, 2, 3]);
    expect(new Set(ids).size).toBe(ids.length);
    const flinkJobs = await t.platform.targets.cluster('local-1.20').then((c) => c.rest.jobs());
    expect(flinkJobs.filter((j) => j.state === 'RUNNING').map((j) => j.jid)).toEqual([job.flinkJobId]);
  });

  it('refuses to start the same job twice', async () => {
    const again = await sluice('job', 'start', 'ids-to-files');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /cannot start job ids-to-files: it is already RUNNING as Flink job [0-9a-f]{32}; stop it before starting it again/,
    );
  });

  it('refuses a script with a syntax error at validate, at its place, creating no Flink job', async () => {
    const before = (await (await t.platform.targets.cluster('local-1.20')).rest.jobs()).length;
    const sqlFile = path.join(t.home, 'broken.sql');
    fs.writeFileSync(
      sqlFile,
      `CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE d (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO d SELEC id FROM s;
`,
    );
    expect((await sluice('job', 'create', '--name', 'broken', '--sql-file', sqlFile)).code).toBe(0);
    const r = await sluice('job', 'start', 'broken');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: step "validate" failed: the script cannot run: line 3, column \d+: /);
    expect(r.stderr).toMatch(/failed step: validate/);
    expect((await (await t.platform.targets.cluster('local-1.20')).rest.jobs()).length).toBe(before);
    const job = JSON.parse((await sluice('job', 'get', 'broken', '--json')).stdout);
    expect(job).toMatchObject({ state: 'FAILED', flinkJobId: null, deployedVersion: null });
    expect(job.stateReason).toMatch(
      /^start failed at step "validate": line 3, column \d+: .*; no Flink job was created$/,
    );
    const log = await sluice('job', 'submission-log', 'broken', '1');
    expect(log.stdout).toMatch(/failed step: validate\nroot cause: line 3, column \d+: /);
  });

  it('names the statement and line of a DDL error (unknown connector)', async () => {
    const sqlFile = path.join(t.home, 'unknown.sql');
    fs.writeFileSync(
      sqlFile,
      `CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen');\nCREATE TABLE d (id BIGINT) WITH ('connector' = 'no-such');\nINSERT INTO d SELECT id FROM s;\n`,
    );
    await sluice('job', 'create', '--name', 'unknown-connector', '--sql-file', sqlFile);
    const r = await sluice('job', 'start', 'unknown-connector');
    expect(r.code).toBe(1);
    // CREATE TABLE does not check the connector; planning the INSERT does, before anything is submitted.
    expect(r.stderr).toMatch(
      /step "plan" failed: Flink rejected the statement at line 3, column \d+: .*'no-such'/s,
    );
  });
});
