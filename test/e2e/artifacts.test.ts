import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSluice } from '../support/cli.ts';
import { operationSucceeded } from '../support/platform.ts';
import { spawnServer, type ServerUnderTest } from '../support/server.ts';
import { buildUdfJar } from '../support/udf-jar.ts';

const JOB = `CREATE TABLE src (s STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '1');
CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT s FROM src;`;

const MAX_BYTES = 300_000;
const sha256 = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Artifacts through a real `sluice server` and the real CLI: uploads, checks, versions, Maven, UDFs, use by jobs. */
describe('artifacts', () => {
  let s: ServerUnderTest;
  let scratch: string;
  let v1: string;
  let v2: string;
  let sql: string;
  const cli = (...args: string[]) => runSluice(s.base, args, { SLUICE_HOME: s.home });
  const stored = () => {
    const dir = path.join(s.home, 'artifacts', 'sha256');
    return fs.existsSync(dir)
      ? fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.jar')).length
      : 0;
  };

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-artifacts-'));
    v1 = buildUdfJar(scratch, inject('engineHome'), { version: 1 });
    v2 = buildUdfJar(scratch, inject('engineHome'), { version: 2 });
    sql = path.join(scratch, 'job.sql');
    fs.writeFileSync(sql, JOB);
    s = await spawnServer('artifacts', inject('engineHome'), {
      SLUICE_ARTIFACT_MAX_BYTES: String(MAX_BYTES),
      SLUICE_ARTIFACT_MAVEN_REPOSITORY: 'https://repo.maven.apache.org/maven2',
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('stores uploads as versions by sha256, once per content', async () => {
    const up = await cli('artifact', 'upload', v1);
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(
      /^artifact sluice-test-udfs version 1 stored \(\d+\.\d KiB, sha256 [0-9a-f]{64}\)/,
    );
    // The same bytes under another name: a new artifact, no second file.
    const again = await cli('artifact', 'upload', v1, '--name', 'udf-copy', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'udf-copy', version: 1, sha256: sha256(v1) });
    expect(stored()).toBe(1);
    const second = await cli('artifact', 'upload', v2);
    expect(second.stdout).toContain('artifact sluice-test-udfs version 2 stored');
    expect(stored()).toBe(2);

    const got = JSON.parse((await cli('artifact', 'get', 'sluice-test-udfs', '--json')).stdout);
    expect(got.latestVersion).toBe(2);
    expect(got.versions).toHaveLength(2);
    expect(got.versions[0]).toMatchObject({
      name: 'sluice-test-udfs',
      version: 1,
      sha256: sha256(v1),
      sizeBytes: fs.statSync(v1).size,
      fileName: 'sluice-test-udfs-1.0.jar',
      source: { kind: 'upload' },
      mainClass: 'dev.sluice.udf.Helper',
      author: expect.stringMatching(/^admin \(token [0-9a-f]{16}\)$/),
    });
    expect(Date.parse(got.versions[1].createdAt)).toBeGreaterThan(Date.now() - 120_000);
    const list = JSON.parse((await cli('artifact', 'list', '--json')).stdout) as { name: string }[];
    expect(list.map((a) => a.name)).toEqual(['sluice-test-udfs', 'udf-copy']);
    const table = await cli('artifact', 'list');
    expect(table.stdout).toMatch(/sluice-test-udfs\s+2\s+2\s/);
    // Download gives the exact bytes of a version.
    const out = path.join(scratch, 'downloaded.jar');
    await cli('artifact', 'download', 'sluice-test-udfs', '--version', '1', '-o', out);
    expect(sha256(out)).toBe(sha256(v1));
  });

  it('refuses bad jars with the reason and stores nothing', async () => {
    const before = JSON.stringify(JSON.parse((await cli('artifact', 'list', '--json')).stdout));
    const files = stored();
    const text = path.join(scratch, 'notes-1.0.jar');
    fs.writeFileSync(text, 'just some text, not a zip\n');
    const empty = path.join(scratch, 'empty.jar');
    fs.writeFileSync(empty, '');
    const plain = path.join(scratch, 'plain');
    fs.mkdirSync(plain, { recursive: true });
    fs.writeFileSync(path.join(plain, 'data.txt'), 'x');
    const noManifest = path.join(scratch, 'no-manifest.jar');
    execFileSync('jar', ['--create', '--no-manifest', '--file', noManifest, '-C', plain, '.']);
    const big = path.join(scratch, 'big');
    fs.mkdirSync(big, { recursive: true });
    fs.writeFileSync(path.join(big, 'noise.bin'), randomBytes(MAX_BYTES + 1000));
    const tooLarge = path.join(scratch, 'too-large.jar');
    execFileSync('jar', ['--create', '--file', tooLarge, '-C', big, '.']);

    const cases: [string[], RegExp][] = [
      [[text], /^notes-1\.0\.jar is not a jar \(not a zip archive: .+\); nothing was stored$/],
      [[empty], /^empty\.jar is empty: upload the jar file itself$/],
      [[noManifest], /^no-manifest\.jar has no META-INF\/MANIFEST\.MF, so it is not a jar/],
      [
        [v1, '--entry-class', 'dev.sluice.udf.Nope'],
        /^sluice-test-udfs-1\.0\.jar has no class dev\.sluice\.udf\.Nope \(it has 5 top-level classes\)/,
      ],
      [
        [tooLarge],
        new RegExp(
          `^too-large\\.jar has ${fs.statSync(tooLarge).size} bytes, more than the limit of ${MAX_BYTES} bytes \\(SLUICE_ARTIFACT_MAX_BYTES\\); nothing was stored$`,
        ),
      ],
      [[v1, '--name', 'Bad Name'], /is not a valid artifact name/],
    ];
    for (const [args, why] of cases) {
      const r = await cli('artifact', 'upload', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().replace(/^error: /, ''), args.join(' ')).toMatch(why);
    }
    expect(JSON.stringify(JSON.parse((await cli('artifact', 'list', '--json')).stdout))).toBe(before);
    expect(stored()).toBe(files);
  });

  it('lists the functions of a version with the statement that registers them', async () => {
    const r = await cli('artifact', 'functions', 'sluice-test-udfs', '--json');
    expect(r.stderr).toBe('');
    const f = JSON.parse(r.stdout);
    expect(f.version).toBe(2);
    expect(f.functions.map((x: { name: string; kind: string }) => `${x.name}:${x.kind}`)).toEqual([
      'split_words:table',
      'to_upper:scalar',
      'weighted_avg:aggregate',
    ]);
    const jar = path.join(s.home, 'artifacts', 'sha256', sha256(v2).slice(0, 2), `${sha256(v2)}.jar`);
    expect(f.functions[1].createStatement).toBe(
      `CREATE TEMPORARY FUNCTION to_upper AS 'dev.sluice.udf.ToUpper' USING JAR '${jar}';`,
    );
    const text = await cli('artifact', 'functions', 'sluice-test-udfs', '--version', '1');
    expect(text.stdout).toMatch(
      /weighted_avg\s+aggregate\s+dev\.sluice\.udf\.WeightedAvg\s+\(Long, Integer\) -> Double/,
    );
  });

  it('offers CREATE FUNCTION statements that Flink plans a query with', async () => {
    const op = await s.api('POST', '/targets/local-1.20/start');
    await operationSucceeded(s.api, String(op.id), 'the start of cluster local-1.20', 180_000);
    const f = JSON.parse((await cli('artifact', 'functions', 'sluice-test-udfs', '--json')).stdout) as {
      functions: { name: string; createStatement: string }[];
    };
    const script = path.join(scratch, 'udfs.sql');
    fs.writeFileSync(
      script,
      `${f.functions.map((x) => x.createStatement).join('\n')}
CREATE TABLE src (s STRING, n BIGINT, w INT) WITH ('connector' = 'datagen');
CREATE TABLE upper_sink (s STRING, word STRING) WITH ('connector' = 'blackhole');
CREATE TABLE avg_sink (a DOUBLE) WITH ('connector' = 'blackhole');
INSERT INTO upper_sink SELECT to_upper(s), word FROM src, LATERAL TABLE(split_words(s)) AS t(word);
INSERT INTO avg_sink SELECT weighted_avg(n, w) FROM src;
`,
    );
    const r = await cli('sql', 'validate', script, '--planner');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no errors (planned by Flink)');
    // A function the jar lacks is Flink's error, at its place: the check is real.
    fs.writeFileSync(
      script,
      `${f.functions[0]!.createStatement.replace("'dev.sluice.udf.SplitWords'", "'dev.sluice.udf.Missing'")}
CREATE TABLE src (s STRING) WITH ('connector' = 'datagen');
CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT split_words(s) FROM src;
`,
    );
    const bad = await cli('sql', 'validate', script, '--planner');
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/dev\.sluice\.udf\.Missing/);
  }, 300_000);

  it('pins the artifacts of a SQL job and refuses deleting what a job version uses', async () => {
    const unknown = await cli(
      'job',
      'create',
      '--name',
      'uses-udfs',
      '--sql-file',
      sql,
      '--artifact',
      'no-such-jar',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("artifact 'no-such-jar' does not exist");
    const noVersion = await cli(
      'job',
      'create',
      '--name',
      'uses-udfs',
      '--sql-file',
      sql,
      '--artifact',
      'sluice-test-udfs@7',
    );
    expect(noVersion.stderr).toContain('artifact sluice-test-udfs has no version 7: its versions are 1, 2');
    expect((await cli('job', 'list', '--json')).stdout.trim()).toBe('[]');

    const created = await cli(
      'job',
      'create',
      '--name',
      'uses-udfs',
      '--sql-file',
      sql,
      '--artifact',
      'sluice-test-udfs',
    );
    expect(created.code, created.stderr).toBe(0);
    // A bare name is pinned to the latest version when the job version is saved.
    let job = JSON.parse((await cli('job', 'get', 'uses-udfs', '--json')).stdout);
    expect(job.artifacts).toEqual([{ name: 'sluice-test-udfs', version: 2 }]);
    await cli(
      'job',
      'edit',
      'uses-udfs',
      '--artifact',
      'sluice-test-udfs@1',
      '--artifact',
      'udf-copy',
      '-m',
      'older udfs',
    );
    job = JSON.parse((await cli('job', 'get', 'uses-udfs', '--json')).stdout);
    expect(job.artifacts).toEqual([
      { name: 'sluice-test-udfs', version: 1 },
      { name: 'udf-copy', version: 1 },
    ]);
    const diff = await s.api('GET', '/jobs/uses-udfs/diff?from=1&to=2');
    expect(diff.changes).toContainEqual({
      field: 'artifacts',
      from: [{ name: 'sluice-test-udfs', version: 2 }],
      to: [
        { name: 'sluice-test-udfs', version: 1 },
        { name: 'udf-copy', version: 1 },
      ],
    });
    // A new artifact version does not change a saved job version.
    await cli('artifact', 'upload', v2, '--name', 'udf-copy');
    expect(JSON.parse((await cli('job', 'get', 'uses-udfs', '--json')).stdout).artifacts[1]).toEqual({
      name: 'udf-copy',
      version: 1,
    });

    const whole = await cli('artifact', 'delete', 'sluice-test-udfs');
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain(
      'artifact sluice-test-udfs is used by job(s) uses-udfs (v1, v2): delete those jobs or save versions of them without it first',
    );
    const one = await cli('artifact', 'delete', 'sluice-test-udfs', '--version', '2');
    expect(one.stderr).toContain('version 2 of artifact sluice-test-udfs is used by job(s) uses-udfs (v1)');
    // Version 2 of udf-copy is not used: it goes, its bytes stay (version 2 of sluice-test-udfs has them).
    const free = await cli('artifact', 'delete', 'udf-copy', '--version', '2');
    expect(free.stderr).toContain('artifact udf-copy: deleted version(s) 2');
    expect(stored()).toBe(2);
    expect(
      JSON.parse((await cli('artifact', 'get', 'sluice-test-udfs', '--json')).stdout).versions,
    ).toHaveLength(2);

    // References are read from stored job versions, JAR content (jar, classpath) included.
    await cli('job', 'delete', 'uses-udfs');
    expect((await cli('artifact', 'delete', 'udf-copy')).code).toBe(0);
    expect((await cli('artifact', 'delete', 'sluice-test-udfs')).code).toBe(0);
    expect(stored()).toBe(0);
  });

  it('resolves Maven coordinates from the configured repository, and says why it cannot', async () => {
    const r = await cli('artifact', 'maven', 'commons-cli:commons-cli:1.5.0', '--json');
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({
      name: 'commons-cli',
      version: 1,
      fileName: 'commons-cli-1.5.0.jar',
      sizeBytes: 58284,
      source: {
        kind: 'maven',
        coordinates: 'commons-cli:commons-cli:1.5.0',
        repository: 'https://repo.maven.apache.org/maven2',
      },
    });
    const missing = await cli('artifact', 'maven', 'dev.sluice.nothing:not-here:9.9.9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /Maven could not resolve dev\.sluice\.nothing:not-here:9\.9\.9 from https:\/\/repo\.maven\.apache\.org\/maven2: .*not-here/,
    );
    const bad = await cli('artifact', 'maven', 'just-a-name');
    expect(bad.stderr).toContain("'just-a-name' are not Maven coordinates");
  }, 180_000);
});
