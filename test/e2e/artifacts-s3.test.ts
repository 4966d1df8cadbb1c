import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseArtifactStorage } from '../../src/domain/artifacts/storage-settings.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { startS3Proxy, type TestS3 } from '../support/s3proxy.ts';
import { spawnServer, type ServerUnderTest } from '../support/server.ts';
import { STATEFUL_COUNTER_MAIN, testJars, type TestJars } from '../support/test-jars.ts';
import { buildUdfJar } from '../support/udf-jar.ts';
import type { TestPlatform } from '../support/platform.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../bin/sluice');
const sha256 = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const keyOf = (prefix: string, sha: string) => `${prefix}sha256/${sha.slice(0, 2)}/${sha}.jar`;

/** `sluice server` in a fresh home with `env`, expected to refuse to start: its exit status and stderr. */
function serverRefusal(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-home-s3-refused-'));
  return new Promise((resolve) => {
    const child = spawn(SLUICE, ['server', '--port', '0', '--no-auto-start'], {
      env: { ...process.env, SLUICE_HOME: home, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      fs.rmSync(home, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

/**
 * Artifacts kept in S3-compatible storage (a real S3 API: S3Proxy), through a real `sluice server`
 * and the real CLI: the objects are really in the bucket, versions, who/when, Maven, downloads,
 * deletes that keep shared bytes, a start refused when the bucket cannot be used; and jars from the
 * bucket reaching Flink as a JAR job's program and classpath, and as a SQL job's UDFs.
 */
describe('artifacts in S3-compatible storage', () => {
  let s3: TestS3;
  let scratch: string;
  beforeAll(async () => {
    s3 = await startS3Proxy();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-artifacts-s3-'));
  }, 180_000);
  afterAll(async () => {
    await s3?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe('through `sluice server` and the CLI', () => {
    const BUCKET = 'sluice-cli';
    const PREFIX = 'prod/';
    let s: ServerUnderTest;
    let v1: string;
    let v2: string;
    const cli = (...args: string[]) => runSluice(s.base, args, { SLUICE_HOME: s.home });
    const cache = () => path.join(s.home, 'artifacts', 's3-cache');

    beforeAll(async () => {
      await s3.createBucket(BUCKET);
      v1 = buildUdfJar(scratch, inject('engineHome'), { version: 1 });
      v2 = buildUdfJar(scratch, inject('engineHome'), { version: 2 });
      s = await spawnServer('s3', inject('engineHome'), {
        ...s3.env(BUCKET, PREFIX),
        SLUICE_ARTIFACT_MAVEN_REPOSITORY: 'https://repo.maven.apache.org/maven2',
      });
    }, 180_000);
    afterAll(async () => {
      await s?.close();
    });

    it('says in /health where artifacts are kept, and no credential', async () => {
      const health = await s.api('GET', '/health');
      expect(health.artifactStorage).toEqual({
        kind: 's3',
        endpoint: s3.endpoint,
        bucket: BUCKET,
        prefix: PREFIX,
      });
      expect(JSON.stringify(health)).not.toContain(s3.secretAccessKey);
      expect(fs.readFileSync(path.join(s.home, 'server.log'), 'utf8')).not.toContain(s3.secretAccessKey);
    });

    it('stores uploads as objects by sha256, once per content, with versions, who and when', async () => {
      const up = await cli('artifact', 'upload', v1);
      expect(up.stderr).toBe('');
      expect(up.stdout).toMatch(
        /^artifact sluice-test-udfs version 1 stored \(\d+\.\d KiB, sha256 [0-9a-f]{64}\)/,
      );
      expect(await s3.keys(BUCKET)).toEqual([keyOf(PREFIX, sha256(v1))]);
      expect((await s3.get(BUCKET, keyOf(PREFIX, sha256(v1)))).equals(fs.readFileSync(v1))).toBe(true);
      // The same bytes under another name: a new artifact, no second object.
      const again = JSON.parse((await cli('artifact', 'upload', v1, '--name', 'udf-copy', '--json')).stdout);
      expect(again).toMatchObject({ name: 'udf-copy', version: 1, sha256: sha256(v1) });
      expect(await s3.keys(BUCKET)).toHaveLength(1);
      expect((await cli('artifact', 'upload', v2)).stdout).toContain(
        'artifact sluice-test-udfs version 2 stored',
      );
      expect(await s3.keys(BUCKET)).toEqual([keyOf(PREFIX, sha256(v1)), keyOf(PREFIX, sha256(v2))].sort());

      const got = JSON.parse((await cli('artifact', 'get', 'sluice-test-udfs', '--json')).stdout);
      expect(got.versions).toHaveLength(2);
      expect(got.versions[1]).toMatchObject({
        version: 2,
        sha256: sha256(v2),
        sizeBytes: fs.statSync(v2).size,
        source: { kind: 'upload' },
        author: expect.stringMatching(/^admin \(token [0-9a-f]{16}\)$/),
      });
      expect(Date.parse(got.versions[1].createdAt)).toBeGreaterThan(Date.now() - 120_000);
      expect((await cli('artifact', 'list')).stdout).toMatch(/sluice-test-udfs\s+2\s+2\s/);

      // A download comes from the bucket when this machine's cache lost the file.
      fs.rmSync(cache(), { recursive: true, force: true });
      const out = path.join(scratch, 'downloaded.jar');
      const down = await cli('artifact', 'download', 'sluice-test-udfs', '--version', '1', '-o', out);
      expect(down.code, down.stderr).toBe(0);
      expect(sha256(out)).toBe(sha256(v1));
      // Functions are read from the local copy, as on local storage.
      const f = JSON.parse((await cli('artifact', 'functions', 'sluice-test-udfs', '--json')).stdout);
      expect(f.functions.map((x: { name: string }) => x.name)).toEqual([
        'split_words',
        'to_upper',
        'weighted_avg',
      ]);
      expect(f.functions[1].createStatement).toContain(
        `USING JAR '${path.join(cache(), 'sha256', sha256(v2).slice(0, 2), `${sha256(v2)}.jar`)}'`,
      );
    });

    it('resolves Maven coordinates into the bucket', async () => {
      const r = await cli('artifact', 'maven', 'commons-cli:commons-cli:1.5.0', '--json');
      expect(r.code, r.stderr).toBe(0);
      const v = JSON.parse(r.stdout);
      expect(v).toMatchObject({ name: 'commons-cli', version: 1, source: { kind: 'maven' } });
      expect(await s3.keys(BUCKET)).toContain(keyOf(PREFIX, v.sha256));
    }, 180_000);

    it('refuses deleting what a job uses; removes an object only when no version keeps its bytes', async () => {
      const sql = path.join(scratch, 'job.sql');
      fs.writeFileSync(
        sql,
        `CREATE TABLE src (s STRING) WITH ('connector' = 'datagen');
CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT s FROM src;`,
      );
      const created = await cli(
        'job',
        'create',
        '--name',
        'uses-udfs',
        '--sql-file',
        sql,
        '--artifact',
        'sluice-test-udfs@1',
      );
      expect(created.code, created.stderr).toBe(0);
      const refused = await cli('artifact', 'delete', 'sluice-test-udfs', '--version', '1');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'version 1 of artifact sluice-test-udfs is used by job(s) uses-udfs (v1)',
      );
      const before = await s3.keys(BUCKET);

      // udf-copy@1 has the bytes of sluice-test-udfs@1, which stays: the object stays.
      expect((await cli('artifact', 'delete', 'udf-copy')).code).toBe(0);
      expect(await s3.keys(BUCKET)).toEqual(before);
      // Version 2 is the only one with its bytes: its object goes.
      expect((await cli('artifact', 'delete', 'sluice-test-udfs', '--version', '2')).code).toBe(0);
      expect(await s3.keys(BUCKET)).not.toContain(keyOf(PREFIX, sha256(v2)));
      expect(await s3.keys(BUCKET)).toContain(keyOf(PREFIX, sha256(v1)));

      await cli('job', 'delete', 'uses-udfs');
      expect((await cli('artifact', 'delete', 'sluice-test-udfs')).code).toBe(0);
      expect((await cli('artifact', 'delete', 'commons-cli')).code).toBe(0);
      expect(await s3.keys(BUCKET)).toEqual([]);
      expect(fs.readdirSync(cache(), { recursive: true }).filter((f) => String(f).endsWith('.jar'))).toEqual(
        [],
      );
    });

    it('refuses to start when the bucket cannot be used or the configuration is half given', async () => {
      const missing = await serverRefusal(s3.env('no-such-bucket'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(
        `error: the S3 artifact storage cannot be used: HeadBucket of bucket no-such-bucket at ${s3.endpoint} failed (HTTP 404 Not Found); check SLUICE_ARTIFACT_S3_ENDPOINT, SLUICE_ARTIFACT_S3_BUCKET and the credentials`,
      );
      expect(missing.stderr).not.toMatch(/^\s+at /m);
      const half = await serverRefusal({ SLUICE_ARTIFACT_S3_BUCKET: 'jars' });
      expect(half.code).toBe(1);
      expect(half.stderr.trim()).toBe(
        'error: SLUICE_ARTIFACT_S3_ENDPOINT is not set, but SLUICE_ARTIFACT_S3_BUCKET is: S3 artifact storage needs an endpoint (such as http://minio.example.com:9000 or https://s3.eu-west-1.amazonaws.com) and a bucket; set it, or unset every SLUICE_ARTIFACT_S3_* variable to keep artifacts under SLUICE_HOME',
      );
    }, 120_000);
  });

  /** Jars from the bucket run on the run's shared Flink 1.20 session cluster, fetched into an empty cache. */
  describe('jobs on a session cluster', () => {
    const BUCKET = 'sluice-jobs';
    let t: TestPlatform;
    let url: string;
    let close: () => Promise<void>;
    let jars: TestJars;
    const sluice = async (...args: string[]) => {
      const r = await runSluice(url, args);
      if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    const cached = (jar: string) =>
      fs.existsSync(
        path.join(t.home, 'artifacts', 's3-cache', 'sha256', sha256(jar).slice(0, 2), `${sha256(jar)}.jar`),
      );
    const emptyCache = () =>
      fs.rmSync(path.join(t.home, 'artifacts', 's3-cache'), { recursive: true, force: true });

    beforeAll(async () => {
      await s3.createBucket(BUCKET);
      ({ t, url, close } = await servedPlatform({
        sharedCluster: true,
        config: { artifactStorage: parseArtifactStorage(s3.env(BUCKET)), trackerIntervalMs: 500 },
      }));
      jars = await testJars('1.20.3');
      await sluice('artifact', 'upload', jars.statefulCounter, '--name', 'counter');
      await sluice('artifact', 'upload', jars.udfs, '--name', 'udfs');
      await t.platform.boot();
    }, 900_000);
    afterAll(async () => {
      await close?.();
    }, 120_000);

    // The run's shared cluster is registered as a remote session, which refuses classpath artifacts
    // (it cannot read this machine's files): the program comes from the bucket here, and the UDF jar
    // of the SQL job below is the second jar fetched from it.
    it('starts a JAR job whose program comes from the bucket', async () => {
      expect(await s3.keys(BUCKET)).toEqual(
        [keyOf('', sha256(jars.statefulCounter)), keyOf('', sha256(jars.udfs))].sort(),
      );
      await sluice(
        ...['job', 'create', '--name', 'counter', '--jar', 'counter', '--target', 'local-1.20'],
        ...['--args', '--keys 2 --rate 20'],
      );
      expect(JSON.parse(await sluice('job', 'get', 'counter', '--json'))).toMatchObject({
        jar: { name: 'counter', version: 1 },
        entryClass: STATEFUL_COUNTER_MAIN,
      });
      emptyCache();
      expect(await sluice('job', 'start', 'counter')).toMatch(
        /job counter is RUNNING \(Flink job [0-9a-f]{32}\)/,
      );
      expect(cached(jars.statefulCounter)).toBe(true);
      expect(await sluice('job', 'cancel', 'counter')).toContain('job counter is CANCELLED');
    }, 300_000);

    it('starts a SQL job whose UDF jar comes from the bucket', async () => {
      const sql = path.join(t.home, 'shout.sql');
      fs.writeFileSync(
        sql,
        `CREATE FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE TABLE words (w STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE loud (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO loud SELECT shout(w) FROM words;
`,
      );
      await sluice(
        'job',
        'create',
        '--name',
        'shout',
        '--sql-file',
        sql,
        '--artifact',
        'udfs',
        '--target',
        'local-1.20',
      );
      emptyCache();
      expect(await sluice('job', 'start', 'shout')).toMatch(
        /job shout is RUNNING \(Flink job [0-9a-f]{32}\)/,
      );
      expect(cached(jars.udfs)).toBe(true);
      expect(await sluice('job', 'cancel', 'shout')).toContain('job shout is CANCELLED');
    }, 300_000);
  });
});
