import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectDistribution } from '../../src/adapters/flink/distribution.ts';
import {
  LOG4J_PROPERTIES,
  configFileName,
  flinkConfiguration,
  renderConfig,
  type ClusterDirs,
} from '../../src/adapters/flink/local-cluster/flink-config.ts';
import { JAVA17_FLAGS, memoryParams } from '../../src/adapters/flink/local-cluster/jvm.ts';
import { LOCAL_CLUSTER_DEFAULTS } from '../../src/domain/clusters/local-cluster-spec.ts';
import { freePorts } from './ports.ts';

/**
 * Flink's own standalone application entry point lives in flink-container, which Sluice's engine recipe
 * does not assemble and this machine's Maven repository serves only for 1.20.0 (not 1.20.3): fetched
 * with mvn into the system's temp folder. Its one class starts the same ApplicationClusterEntryPoint of
 * flink-clients, so the patch release does not matter here.
 */
export function flinkContainerJar(version = '1.20.0'): string {
  const dir = path.join(os.tmpdir(), `sluice-flink-container-${os.userInfo().uid}`);
  const jar = path.join(dir, `flink-container-${version}.jar`);
  if (!fs.existsSync(jar))
    execFileSync(
      'mvn',
      [
        '-B',
        '-q',
        'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
        `-Dartifact=org.apache.flink:flink-container:${version}`,
        `-DoutputDirectory=${dir}`,
      ],
      { stdio: 'ignore', cwd: os.tmpdir() },
    );
  return jar;
}

export interface ApplicationCluster {
  restUrl: string;
  dirs: ClusterDirs;
  /** The TaskManager's stdout: where print sinks write. */
  taskManagerOut: string;
  jobManagerOut: string;
  jobManager: ChildProcess;
  taskManager: ChildProcess | null;
  /** Resolves when the JobManager process ends: the application ended (or it failed to start). */
  jobManagerExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills whatever of it still runs; waits until both processes are gone. */
  stop(): Promise<void>;
}

/**
 * A per-job Flink cluster as the "local application" target will run it: Flink's
 * StandaloneApplicationClusterEntryPoint (the JobManager runs the job's main itself) with the user jars
 * in `<home>/usrlib` (found through FLINK_LIB_DIR's parent), plus one TaskManager, on free ports.
 */
export async function startApplicationCluster(opts: {
  engineHome: string;
  root: string;
  usrlib: string[];
  jobClass: string;
  programArgs: string[];
  jobId: string;
  fromSavepoint?: string;
  taskManager?: boolean;
}): Promise<ApplicationCluster> {
  const dist = inspectDistribution(opts.engineHome);
  const java = 'java';
  const [restPort, rpcPort] = (await freePorts(2)) as [number, number];
  const dirs: ClusterDirs = {
    root: opts.root,
    conf: path.join(opts.root, 'conf'),
    log: path.join(opts.root, 'log'),
    run: path.join(opts.root, 'run'),
    data: path.join(opts.root, 'data'),
    tmp: path.join(opts.root, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // FLINK_LIB_DIR only tells Flink where its home is; usrlib beside it holds the job's jars.
  const home = path.join(opts.root, 'home');
  fs.mkdirSync(path.join(home, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(home, 'usrlib'), { recursive: true });
  for (const j of opts.usrlib) fs.copyFileSync(j, path.join(home, 'usrlib', path.basename(j)));
  const spec = {
    ...LOCAL_CLUSTER_DEFAULTS,
    name: 'application',
    engineVersion: dist.flinkVersion,
    restPort,
    rpcPort,
    gatewayPort: 0,
    jobManagerMemory: '768m',
    taskManagerMemory: '1024m',
    slotsPerTaskManager: 2,
  };
  fs.writeFileSync(
    path.join(dirs.conf, configFileName(dist.flinkVersion)),
    renderConfig(flinkConfiguration(spec, dirs)),
  );
  fs.writeFileSync(path.join(dirs.conf, 'log4j.properties'), LOG4J_PROPERTIES);
  const classpath = [...dist.classpath, flinkContainerJar()];
  const jm = memoryParams(java, dist.classpath, dirs.conf, 'GET_JM_RESOURCE_PARAMS');
  const tm = memoryParams(java, dist.classpath, dirs.conf, 'GET_TM_RESOURCE_PARAMS');
  const env = { ...process.env, FLINK_CONF_DIR: dirs.conf, FLINK_LIB_DIR: path.join(home, 'lib') };
  const launch = (id: string, args: string[]) => {
    const out = fs.openSync(path.join(dirs.log, `${id}.out`), 'a');
    try {
      return spawn(
        java,
        [
          ...JAVA17_FLAGS,
          `-Dlog.file=${path.join(dirs.log, `${id}.log`)}`,
          `-Dlog4j.configurationFile=file:${dirs.conf}/log4j.properties`,
          ...args,
        ],
        { stdio: ['ignore', out, out], env, cwd: opts.root },
      );
    } finally {
      fs.closeSync(out);
    }
  };
  const jobManager = launch('jobmanager', [
    ...jm.jvmArgs,
    '-cp',
    classpath.join(':'),
    'org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint',
    ...jm.dynamicProperties,
    '--configDir',
    dirs.conf,
    '--job-classname',
    opts.jobClass,
    '--job-id',
    opts.jobId,
    ...(opts.fromSavepoint ? ['--fromSavepoint', opts.fromSavepoint] : []),
    ...opts.programArgs,
  ]);
  const jobManagerExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    jobManager.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const taskManager =
    opts.taskManager === false
      ? null
      : launch('taskmanager', [
          ...tm.jvmArgs,
          '-cp',
          dist.classpath.join(':'),
          'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
          '--configDir',
          dirs.conf,
          ...tm.dynamicProperties,
        ]);
  const gone = (p: ChildProcess) =>
    p.exitCode !== null || p.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => {
          p.once('exit', () => r());
          p.kill('SIGKILL');
        });
  return {
    restUrl: `http://127.0.0.1:${restPort}`,
    dirs,
    taskManagerOut: path.join(dirs.log, 'taskmanager.out'),
    jobManagerOut: path.join(dirs.log, 'jobmanager.out'),
    jobManager,
    taskManager,
    jobManagerExit,
    async stop() {
      await Promise.all([gone(jobManager), ...(taskManager ? [gone(taskManager)] : [])]);
    },
  };
}
