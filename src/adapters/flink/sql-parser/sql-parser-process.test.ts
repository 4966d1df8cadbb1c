import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureSqlParserHelper, HELPER_MAIN_CLASS, type SqlParserHelper } from './sql-parser-build.ts';
import { SqlParserProcess } from './sql-parser-process.ts';
import { provisionedEngine } from '../../../../test/support/engines.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The helper built against the run's provisioned Flink 1.20 engine, in a real JVM. */
describe("Flink's SQL parser helper", () => {
  let helper: SqlParserHelper;
  let scratch: string;
  const started: SqlParserProcess[] = [];
  const open = (over: Partial<ConstructorParameters<typeof SqlParserProcess>[0]> = {}) => {
    const p = new SqlParserProcess({
      name: "Flink 1.20.3's SQL parser",
      java: helper.java,
      classpath: helper.classpath,
      mainClass: HELPER_MAIN_CLASS,
      jvmOptions: helper.jvmOptions,
      ...over,
    });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-parser-'));
    helper = await ensureSqlParserHelper({ engineHome: inject('engineHome'), sluiceHome: scratch });
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is built once per engine: a second call reuses the build', async () => {
    expect(helper.flinkVersion).toBe('1.20.3');
    expect(helper.dir).toBe(path.join(inject('engineHome'), 'sluice-sql-parser'));
    const again = await ensureSqlParserHelper({ engineHome: inject('engineHome'), sluiceHome: scratch });
    expect(again.built).toBe(false);
    expect(again.classpath).toEqual(helper.classpath);
  });

  it('answers each statement with Flink’s verdict and position', async () => {
    const p = open();
    const [good, typo, unclosed, reserved] = await p.parse([
      'SELECT user_id, LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) FROM orders',
      'INSERT INTO s SELEC id FROM orders',
      'EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;',
      'SELECT a AS prev FROM t',
    ]);
    expect(good).toEqual({ ok: true });
    expect(typo).toMatchObject({ ok: false, kind: 'parse', line: 1, column: 15, endColumn: 19, eof: false });
    expect(unclosed).toMatchObject({
      ok: false,
      eof: true,
      line: 3,
      message: expect.stringMatching(/"END"/),
    });
    expect(reserved).toMatchObject({
      ok: false,
      line: 1,
      column: 13,
      message: expect.stringMatching(/^Encountered "prev"/),
    });
  });

  it('parses what ParserImpl parses before the Calcite parser: SET, RESET, statement-set markers', async () => {
    const p = open();
    expect(
      await p.parse(["SET 'a' = 'b'", 'SET a = b', 'RESET', 'BEGIN STATEMENT SET', 'END', 'SHOW JOBS']),
    ).toEqual(Array(6).fill({ ok: true }));
    expect(await p.parse(['SELECT 1; SELECT 2'])).toEqual([
      expect.objectContaining({ ok: false, kind: 'statements', message: 'only single statement supported' }),
    ]);
  });

  it('multiplexes concurrent requests by id', async () => {
    const p = open();
    const n = 40;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) => p.parse([i % 2 ? `SELECT ${i} AS c${i}` : `SELEC ${i}`])),
    );
    answers.forEach((a, i) => expect(a[0]!.ok).toBe(i % 2 === 1));
  });

  it('is started again on the next request after it died, and stops without leaving a process', async () => {
    const p = open();
    await p.start();
    const first = p.pid!;
    process.kill(first, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(p.running).toBe(false);
    expect(await p.parse(['SELECT 1'])).toEqual([{ ok: true }]);
    expect(p.pid).not.toBe(first);
    expect(p.starts).toBe(2);
    const second = p.pid!;
    await p.stop();
    expect(alive(second)).toBe(false);
  });

  it('fails a request that is not answered in time, and answers the next one from a fresh helper', async () => {
    const p = open();
    await p.start();
    const pid = p.pid!;
    const many = Array.from({ length: 3000 }, (_, i) => `SELECT a${i}, b, c FROM t WHERE x > ${i}`);
    await expect(p.parse(many, 1)).rejects.toThrow(/did not answer within 0.001 s \(3000 statements\)/);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid)).toBe(false);
    expect(await p.parse(['SELECT 1'])).toEqual([{ ok: true }]);
  });

  it('reports a helper that cannot start, and does not try again on every request', async () => {
    const p = open({ classpath: [path.join(scratch, 'missing.jar')], retryAfterMs: 60_000 });
    await expect(p.parse(['SELECT 1'])).rejects.toThrow(
      /Flink 1.20.3's SQL parser exited \(code 1\).*SluiceSqlParser/,
    );
    const t0 = performance.now();
    await expect(p.parse(['SELECT 1'])).rejects.toThrow(/exited/);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(p.starts).toBe(1);
  });

  it('names the missing JDK compiler when it has to build without one', async () => {
    // An engine Sluice did not assemble (no manifest) is built under the Sluice home: there is no build yet.
    const engine = path.join(scratch, 'flink-registered');
    for (const dir of ['lib', 'opt']) {
      fs.mkdirSync(path.join(engine, dir), { recursive: true });
      for (const f of fs.readdirSync(path.join(inject('engineHome'), dir)))
        fs.symlinkSync(path.join(inject('engineHome'), dir, f), path.join(engine, dir, f));
    }
    // A java without a javac beside it, as a JRE-only installation has.
    const jre = path.join(scratch, 'jre');
    fs.mkdirSync(path.join(jre, 'bin'), { recursive: true });
    fs.writeFileSync(
      path.join(jre, 'bin', 'java'),
      `#!/bin/sh\nexec ${execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim()} "$@"\n`,
      {
        mode: 0o755,
      },
    );
    await expect(
      ensureSqlParserHelper({
        engineHome: engine,
        sluiceHome: scratch,
        env: { ...process.env, JAVA_HOME: jre },
      }),
    ).rejects.toThrow(/javac was not found beside .*jre\/bin\/java.*openjdk-17-jdk-headless/);
    expect(fs.existsSync(path.join(scratch, 'sql-parser'))).toBe(false);
  });
});

/** The same helper built against the other engines' jars judges by each engine's own grammar. */
describe.each([
  ['1.19', '1.19.1'],
  ['2.2', '2.2.0'],
])("Flink %s's SQL parser helper", (version, flinkVersion) => {
  let p: SqlParserProcess;
  let scratch: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-parser-'));
    const helper = await ensureSqlParserHelper({
      engineHome: await provisionedEngine(version),
      sluiceHome: scratch,
    });
    expect(helper.flinkVersion).toBe(flinkVersion);
    p = new SqlParserProcess({
      name: `Flink ${flinkVersion}'s SQL parser`,
      java: helper.java,
      classpath: helper.classpath,
      mainClass: HELPER_MAIN_CLASS,
      jvmOptions: helper.jvmOptions,
    });
  }, 600_000);
  afterAll(async () => {
    await p?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('answers with the verdict and position of that version', async () => {
    const [good, typo, set, model] = await p.parse([
      'SELECT user_id, LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) FROM orders',
      'INSERT INTO s SELEC id FROM orders',
      "SET 'a' = 'b'",
      // CREATE MODEL is Flink 2.0's (FLIP-437): 2.2 parses it, 1.19 stops at MODEL.
      "CREATE MODEL m INPUT (q STRING) OUTPUT (a STRING) WITH ('provider' = 'openai')",
    ]);
    expect(good).toEqual({ ok: true });
    expect(typo).toMatchObject({ ok: false, kind: 'parse', line: 1, column: 15, endColumn: 19 });
    expect(set).toEqual({ ok: true });
    if (version === '2.2') expect(model).toEqual({ ok: true });
    else
      expect(model).toMatchObject({ ok: false, line: 1, column: 8, message: expect.stringMatching(/MODEL/) });
  });
});
