import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../../../../test/support/ports.ts';
import { inspectDistribution } from '../distribution.ts';
import { findJava } from '../../system/prerequisites.ts';
import { archiveKey, completeArchive, withClassSharing } from '../../system/class-sharing.ts';
import { jobManagerArgs, memoryParams, type MemoryParams } from './jvm.ts';
import { LocalFlinkProcesses } from './local-processes.ts';
import { processesWithArg } from './os-processes.ts';
import { sleep } from './local-processes.ts';

/**
 * Real JVMs of the run's Flink engine sharing class data through archives in a folder of their own:
 * Flink's memory calculation (a short JVM) and a JobManager (stopped as Sluice stops clusters).
 */
describe('class-data sharing of the JVMs of a local cluster', () => {
  // As the platform finds it: a path (the archive key is the JVM build it resolves to).
  const java = findJava().path;
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  let classpath: string[];
  let conf: string;
  let restPort: number;
  let jm: MemoryParams;
  const archives = (prefix: string) =>
    fs.readdirSync(env.SLUICE_CDS_DIR!).filter((f) => f.startsWith(prefix) && f.endsWith('.jsa'));

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'class-sharing-jvm-'));
    env = { ...process.env, SLUICE_CDS: 'on', SLUICE_CDS_DIR: path.join(scratch, 'cds') };
    classpath = inspectDistribution(inject('engineHome')).classpath;
    conf = path.join(scratch, 'conf');
    fs.mkdirSync(conf);
    let rpcPort: number;
    [restPort, rpcPort] = (await freePorts(2)) as [number, number];
    fs.writeFileSync(
      path.join(conf, 'config.yaml'),
      [
        'jobmanager.memory.process.size: 1024m',
        'taskmanager.memory.process.size: 1024m',
        'jobmanager.rpc.address: 127.0.0.1',
        'jobmanager.bind-host: 127.0.0.1',
        `jobmanager.rpc.port: ${rpcPort}`,
        'rest.address: 127.0.0.1',
        'rest.bind-address: 127.0.0.1',
        `rest.port: ${restPort}`,
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    expect(processesWithArg(`-Dsluice.cluster.dir=${scratch}`)).toEqual([]);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("Flink's memory calculation makes its archive at its second run (the first marks its key seen), and the next loads classes from it", () => {
    memoryParams(java, classpath, conf, 'GET_JM_RESOURCE_PARAMS', env);
    expect(archives('BashJavaUtils-')).toEqual([]);
    jm = memoryParams(java, classpath, conf, 'GET_JM_RESOURCE_PARAMS', env);
    expect(jm.jvmArgs).toContain('-XX:MaxMetaspaceSize=268435456');
    const [archive] = archives('BashJavaUtils-');
    expect(archive).toBeDefined();
    expect(completeArchive(path.join(env.SLUICE_CDS_DIR!, archive!))).toBe(true);
    expect(fs.readdirSync(env.SLUICE_CDS_DIR!).filter((f) => f.endsWith('.making'))).toEqual([]);

    // The same command as memoryParams's, with the JVM saying where each class came from.
    const args = withClassSharing(
      {
        java,
        args: [
          '-Xlog:class+load=info',
          '-cp',
          classpath.join(':'),
          'org.apache.flink.runtime.util.bash.BashJavaUtils',
          'GET_TM_RESOURCE_PARAMS',
          '--configDir',
          conf,
        ],
      },
      env,
    );
    expect(args).toContain(`-XX:SharedArchiveFile=${path.join(env.SLUICE_CDS_DIR!, archive!)}`);
    const r = spawnSync(java, args, { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /org\.apache\.flink\.runtime\.util\.bash\.BashJavaUtils source: shared objects file \(top\)/,
    );
    expect(r.stdout).toContain('BASH_JAVA_UTILS_EXEC_RESULT:');
  });

  it('a JobManager stopped as Sluice stops clusters (SIGTERM) leaves its archive; the next one maps it', async () => {
    // A key seen before, as after a first start: the next JobManager makes the archive.
    const mainClass = 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint';
    const processes = new LocalFlinkProcesses(
      scratch,
      { log: scratch, run: scratch },
      [{ id: 'jobmanager', role: 'jobmanager', restartable: false }],
      java,
      (_p, logFile) =>
        jobManagerArgs(jm, {}, conf, logFile, classpath, null, {
          mainClass,
          args: ['--executionMode', 'cluster'],
        }),
      { ...env, FLINK_CONF_DIR: conf },
    );
    const startAndAnswer = async (): Promise<number> => {
      processes.startMissing(() => {});
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const answered = await fetch(`http://127.0.0.1:${restPort}/overview`).then(
          (res) => res.ok,
          () => false,
        );
        if (answered) return processes.statuses()[0]!.pid!;
        expect(processes.failing()).toBeNull();
        await sleep(200);
      }
      throw new Error(`the JobManager did not answer on port ${restPort} in 90 s`);
    };
    const mapped = (pid: number) =>
      fs
        .readFileSync(`/proc/${pid}/maps`, 'utf8')
        .split('\n')
        .filter((l) => l.includes(env.SLUICE_CDS_DIR!));

    fs.mkdirSync(env.SLUICE_CDS_DIR!, { recursive: true });
    fs.writeFileSync(
      path.join(env.SLUICE_CDS_DIR!, `${archiveKey(java, classpath.join(':'), mainClass)}.seen`),
      '',
    );
    try {
      const maker = await startAndAnswer();
      expect(mapped(maker)).toEqual([]);
      await processes.stop(['jobmanager']);
      // Published once the JVM had written it at exit (the exit event may come just after the stop).
      for (let i = 0; i < 50 && archives('StandaloneSessionClusterEntrypoint-').length === 0; i++)
        await sleep(100);
      const [archive] = archives('StandaloneSessionClusterEntrypoint-');
      expect(archive).toBeDefined();

      const user = await startAndAnswer();
      expect(mapped(user).join('\n')).toContain(path.join(env.SLUICE_CDS_DIR!, archive!));
    } finally {
      await processes.stop(['jobmanager']);
    }
  });
});
