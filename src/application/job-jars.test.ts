import { describe, expect, it } from 'vitest';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import {
  addConnectorJars,
  addJobJars,
  JarRefused,
  refuseRemoteClasspath,
  sessionClasspath,
} from './job-jars.ts';
import type { SqlSession } from '../domain/targets/deployment-target.ts';
import { StatementRefused } from '../domain/targets/target-errors.ts';

const SHA = 'ab'.repeat(32);
const UDF_SQL = `CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE TABLE src (s STRING) WITH ('connector' = 'datagen');
CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT shout(s) FROM src;`;

async function withUdfs(): Promise<LifecycleUnit> {
  const u = await lifecycleUnit();
  u.jars.push(
    {
      name: 'udfs',
      version: 1,
      sha256: SHA,
      path: '/sluice/artifacts/sha256/ab/udfs.jar',
      functionClasses: ['dev.sluice.testudfs.Shout', 'dev.sluice.testudfs.SplitWords'],
    },
    { name: 'formats', version: 3, sha256: 'cd'.repeat(32), path: '/sluice/f.jar', functionClasses: [] },
  );
  return u;
}

describe("a SQL job's artifacts on a session cluster", () => {
  it('are added to its own SQL session before anything else, each logged with version, sha256 and path', async () => {
    const u = await withUdfs();
    await u.createJob('loud', { sql: UDF_SQL, artifacts: ['udfs', 'formats@3'] });
    const s = await u.run('loud', 'start');
    expect(s.status, s.error ?? '').toBe('succeeded');
    expect(s.steps.map((x) => x.name)).toEqual([
      'resolve version',
      'validate',
      'prepare cluster',
      'open SQL session',
      'add jars',
      'create tables',
      'plan',
      'submit',
      'wait until running',
    ]);
    const log = s.steps.find((x) => x.name === 'add jars')!.log.map((l) => l.replace(/^\S+ /, ''));
    expect(log).toEqual([
      `udfs@1 sha256 ${SHA} /sluice/artifacts/sha256/ab/udfs.jar: added`,
      `formats@3 sha256 ${'cd'.repeat(32)} /sluice/f.jar: added`,
    ]);
    expect(u.flink.statements.slice(0, 3)).toEqual([
      "ADD JAR '/sluice/artifacts/sha256/ab/udfs.jar'",
      "ADD JAR '/sluice/f.jar'",
      "CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout'",
    ]);
  });

  it('a job without artifacts has no such step', async () => {
    const u = await withUdfs();
    await u.createJob('plain');
    const s = await u.run('plain', 'start');
    expect(s.steps.map((x) => x.name)).not.toContain('add jars');
    expect(u.flink.statements.filter((x) => x.startsWith('ADD JAR'))).toEqual([]);
  });

  // The refusal at validate on a cluster Sluice assembled is shown on a real local session
  // (test/e2e/udf-shipping.test.ts); the fake cluster here is a registered one, whose lib/ is its own.
  it('on a registered cluster a function class in none of its artifacts is a warning, and Flink judges', async () => {
    const u = await withUdfs();
    await u.createJob('whisper', {
      sql: UDF_SQL.replace('Shout', 'Whisper'),
      artifacts: ['udfs@1', 'formats'],
    });
    const s = await u.run('whisper', 'start');
    expect(s.status, s.error ?? '').toBe('succeeded');
    const validate = s.steps.find((x) => x.name === 'validate')!.log.join('\n');
    expect(validate).toContain(
      "line 1: warning: function shout: class dev.sluice.testudfs.Whisper is in none of the job's artifacts (udfs@1, formats@3)",
    );
    expect(validate).toContain("the cluster's own lib/ may hold it");
    expect(u.flink.statements).toContain("CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Whisper'");
  });

  it('a function with USING JAR names its own jar: the rule leaves it to Flink', async () => {
    const u = await withUdfs();
    await u.createJob('using', {
      sql: UDF_SQL.replace(
        "'dev.sluice.testudfs.Shout'",
        "'dev.sluice.testudfs.Shout' USING JAR '/sluice/artifacts/sha256/ab/udfs.jar'",
      ),
    });
    expect((await u.run('using', 'start')).status).toBe('succeeded');
  });

  it("a remote session's gateway that cannot add the jar fails the step, naming the artifact and the target", async () => {
    const u = await withUdfs();
    await u.createJob('far', { sql: UDF_SQL, artifacts: ['udfs'] });
    u.flink.refuse(
      /^ADD JAR/,
      'FileNotFoundException: JAR file /sluice/artifacts/sha256/ab/udfs.jar does not exist.',
    );
    const s = await u.run('far', 'start');
    expect(s.failedStep).toBe('add jars');
    expect(s.error).toBe(
      'step "add jars" failed: the SQL Gateway of remote session cluster fake cannot read artifact udfs@1 at /sluice/artifacts/sha256/ab/udfs.jar, where Sluice stores it (FileNotFoundException: JAR file /sluice/artifacts/sha256/ab/udfs.jar does not exist): a remote session\'s gateway must see Sluice\'s artifact folder at the same path (a shared file system); otherwise run the job on a local session or local application target',
    );
    // Nothing was submitted, and the session was closed.
    expect(u.flink.statements.filter((x) => !x.startsWith('ADD JAR'))).toEqual([]);
    expect(u.flink.openSessions).toBe(0);
  });
});

describe('classpath artifacts of a JAR job, by where its cluster runs', () => {
  const lib = [{ name: 'lib', version: 1 }];
  it('are taken where the processes read this machine, a shared folder, or the job has a cluster of its own', () => {
    for (const kind of [
      'local-session',
      'local-application',
      'kubernetes-standalone',
      'kubernetes-standalone-session',
      'kubernetes-native-session',
    ] as const)
      expect(() => refuseRemoteClasspath(lib, 't', kind)).not.toThrow();
  });
  it('are refused on a remote session, naming them', () => {
    expect(() => refuseRemoteClasspath(lib, 'far', 'remote-session')).toThrow(
      /lib@1 cannot reach session cluster far, whose processes run elsewhere/,
    );
    expect(() => refuseRemoteClasspath([], 'far', 'remote-session')).not.toThrow();
  });
  it("reach a session's JobManager and TaskManagers as file URLs: this machine's files, or the copies staged where a Kubernetes session's pods read them", () => {
    const classpath = [
      { path: '/sluice/artifacts/sha256/ab/lib one.jar', sha256: 'ab12' },
      { path: '/sluice/artifacts/sha256/cd/two.jar', sha256: 'cd34' },
    ];
    const lines: string[] = [];
    expect(sessionClasspath(classpath, { name: 'local' }, (l) => lines.push(l))).toEqual({
      'pipeline.classpaths':
        'file:///sluice/artifacts/sha256/ab/lib%20one.jar;file:///sluice/artifacts/sha256/cd/two.jar',
    });
    expect(lines).toEqual([]);
    const staged: [string, string | undefined][] = [];
    const k8s = {
      name: 'k8s-session',
      stageJar: (file: string, sha256?: string) => {
        staged.push([file, sha256]);
        return `/mnt/shared/k8s-session/session/jars/${sha256}.jar`;
      },
    };
    expect(sessionClasspath(classpath, k8s, (l) => lines.push(l))).toEqual({
      'pipeline.classpaths':
        'file:///mnt/shared/k8s-session/session/jars/ab12.jar;file:///mnt/shared/k8s-session/session/jars/cd34.jar',
    });
    expect(staged).toEqual([
      ['/sluice/artifacts/sha256/ab/lib one.jar', 'ab12'],
      ['/sluice/artifacts/sha256/cd/two.jar', 'cd34'],
    ]);
    expect(lines[0]).toBe(
      'classpath jar sha256 ab12 staged for session cluster k8s-session at /mnt/shared/k8s-session/session/jars/ab12.jar (from /sluice/artifacts/sha256/ab/lib one.jar)',
    );
    expect(sessionClasspath([], k8s, (l) => lines.push(l))).toEqual({});
  });
});

describe("the engine's connector jars on a Kubernetes session", () => {
  /** A SQL session that records each statement, and refuses the ones `refuse` names. */
  const session = (refuse: (statement: string) => boolean = () => false) => {
    const statements: string[] = [];
    const s = {
      execute: async (statement: string) => {
        if (refuse(statement))
          throw new StatementRefused('java.io.FileNotFoundException: no such file', 'trace');
        statements.push(statement);
        return { jobId: null, rows: [] };
      },
    } as unknown as SqlSession;
    return { s, statements };
  };
  const staged: [string, string | undefined][] = [];
  const target = {
    name: 'k8s-session',
    kind: 'kubernetes-standalone-session' as const,
    stageJar: (file: string, sha256?: string) => {
      staged.push([file, sha256]);
      return `/mnt/shared/k8s-session/session/jars/${sha256 ? `${sha256}.jar` : file.split('/').at(-1)}`;
    },
  };
  const lib = [
    '/engines/1.20/lib/flink-connector-kafka-3.4.0-1.20.jar',
    '/engines/1.20/lib/kafka-clients-3.4.0.jar',
  ];

  it("are added to the job's session from where the session's gateway reads them, each logged", async () => {
    const { s, statements } = session();
    const log: string[] = [];
    await addConnectorJars(s, lib, target, (l) => log.push(l));
    expect(statements).toEqual([
      "ADD JAR '/mnt/shared/k8s-session/session/jars/flink-connector-kafka-3.4.0-1.20.jar'",
      "ADD JAR '/mnt/shared/k8s-session/session/jars/kafka-clients-3.4.0.jar'",
    ]);
    expect(log).toEqual([
      'connector jar flink-connector-kafka-3.4.0-1.20.jar /mnt/shared/k8s-session/session/jars/flink-connector-kafka-3.4.0-1.20.jar: added',
      'connector jar kafka-clients-3.4.0.jar /mnt/shared/k8s-session/session/jars/kafka-clients-3.4.0.jar: added',
    ]);
  });

  it("a refused one names the engine's jar, where the gateway was to read it, and Flink's cause", async () => {
    const { s } = session((x) => x.includes('kafka-clients'));
    const e = await addConnectorJars(s, lib, target).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JarRefused);
    expect((e as JarRefused).message).toContain(
      "the engine's kafka-clients-3.4.0.jar at /mnt/shared/k8s-session/session/jars/kafka-clients-3.4.0.jar",
    );
    expect((e as JarRefused).rootCause).toBe('java.io.FileNotFoundException: no such file');
  });

  const udfs = {
    name: 'udfs',
    version: 2,
    sha256: SHA,
    path: `/sluice/artifacts/sha256/ab/${SHA}.jar`,
    functionClasses: [],
  };

  it("a job's artifact is staged by its sha256 and added from there, logged with where it came from", async () => {
    const { s, statements } = session();
    const log: string[] = [];
    staged.length = 0;
    await addJobJars(s, [udfs], target, (l) => log.push(l));
    expect(staged).toEqual([[udfs.path, SHA]]);
    expect(statements).toEqual([`ADD JAR '/mnt/shared/k8s-session/session/jars/${SHA}.jar'`]);
    expect(log).toEqual([
      `udfs@2 sha256 ${SHA} /mnt/shared/k8s-session/session/jars/${SHA}.jar (staged from ${udfs.path}): added`,
    ]);
  });

  it("a refused artifact names it, its staged path, the session's folder and Flink's cause", async () => {
    const e = await addJobJars(session(() => true).s, [udfs], target).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JarRefused);
    expect((e as JarRefused).message).toBe(
      `the SQL Gateway of session cluster k8s-session cannot read jar udfs@2 at /mnt/shared/k8s-session/session/jars/${SHA}.jar, where Sluice copied it into the session's folder (java.io.FileNotFoundException: no such file): the gateway's pod must see the target's shared folder at the same path as Sluice's machine; check the target's --shared-dir (and, with --shared-claim, that the volume holds that folder), then start the job again`,
    );
    expect((e as JarRefused).rootCause).toBe('java.io.FileNotFoundException: no such file');
  });
});
