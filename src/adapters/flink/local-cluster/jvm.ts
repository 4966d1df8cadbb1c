import { spawnSync } from 'node:child_process';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { metricsPortProperty } from './flink-config.ts';
import { publishArchive, withClassSharing } from '../../system/class-sharing.ts';

/** From flink-dist's config.yaml `env.java.opts.all`: every Flink JVM on Java 17 needs these. */
export const JAVA17_FLAGS = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...['java.base/sun.net.util', 'java.rmi/sun.rmi.registry', 'java.security.jgss/sun.security.krb5']
    .concat(['api', 'file', 'parser', 'tree', 'util'].map((p) => `jdk.compiler/com.sun.tools.javac.${p}`))
    .map((m) => `--add-exports=${m}=ALL-UNNAMED`),
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`),
];

export interface MemoryParams {
  /** -Xmx -Xms -XX:MaxDirectMemorySize -XX:MaxMetaspaceSize */
  jvmArgs: string[];
  /** `-D key=value` pairs the process needs as program arguments. */
  dynamicProperties: string[];
}

/**
 * Flink's own memory calculation (what bin/jobmanager.sh and taskmanager.sh call), so the JVM sizes
 * agree with the configuration exactly.
 */
export function memoryParams(
  java: string,
  classpath: string[],
  confDir: string,
  which: 'GET_JM_RESOURCE_PARAMS' | 'GET_TM_RESOURCE_PARAMS',
  /** Whose SLUICE_CDS and SLUICE_CDS_DIR say how the JVM shares class data. */
  env: NodeJS.ProcessEnv = process.env,
): MemoryParams {
  const args = withClassSharing(
    {
      java,
      args: [
        '-cp',
        classpath.join(':'),
        'org.apache.flink.runtime.util.bash.BashJavaUtils',
        which,
        '--configDir',
        confDir,
      ],
    },
    env,
  );
  const r = spawnSync(java, args, { encoding: 'utf8', timeout: 60_000 });
  publishArchive(args);
  const lines = `${r.stdout}`
    .split('\n')
    .filter((l) => l.includes('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((l) =>
      l.slice(l.indexOf('BASH_JAVA_UTILS_EXEC_RESULT:') + 'BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim(),
    );
  if (r.status !== 0 || lines.length < 2) {
    const cause = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => /Exception|Error|must|invalid/i.test(l))
      .slice(0, 5)
      .join('\n');
    throw new SluiceError(
      'invalid_argument',
      cause
        ? message('cluster.memoryRefused', {
            process: which === 'GET_JM_RESOURCE_PARAMS' ? 'JobManager' : 'TaskManager',
            cause,
          })
        : message('cluster.memoryRefusedSilently', {
            process: which === 'GET_JM_RESOURCE_PARAMS' ? 'JobManager' : 'TaskManager',
          }),
      { field: which === 'GET_JM_RESOURCE_PARAMS' ? 'jobManagerMemory' : 'taskManagerMemory' },
    );
  }
  return {
    jvmArgs: lines[0]!.split(/\s+/).filter(Boolean),
    dynamicProperties: lines[1]!.split(/\s+/).filter(Boolean),
  };
}

/** The Flink processes whose Java options Flink's scripts read from the configuration. */
export type FlinkJavaRole = 'jobmanager' | 'taskmanager' | 'sql-gateway';

const ROLE_OPTIONS: Record<FlinkJavaRole, string[]> = {
  jobmanager: ['env.java.default-opts.jobmanager', 'env.java.opts.jobmanager'],
  taskmanager: ['env.java.default-opts.taskmanager', 'env.java.opts.taskmanager'],
  'sql-gateway': ['env.java.opts.sql-gateway'],
};

/** A value as bin/config.sh reads it: surrounding double quotes dropped, split where the shell would. */
const words = (value: string | undefined): string[] =>
  (value ?? '').trim().replace(/^"/, '').replace(/"$/, '').split(/\s+/).filter(Boolean);

/**
 * The Java options Flink's own scripts (bin/config.sh, jobmanager.sh, taskmanager.sh, sql-gateway.sh)
 * give a process of this role, since Sluice starts the JVMs itself: the environment's
 * FLINK_ENV_JAVA_OPTS when set, else `env.java.default-opts.all` and `env.java.opts.all` (or the
 * deprecated `env.java.opts`), then the role's own options. A later flag wins in the JVM, so a
 * role's options override the ones for all.
 */
export function flinkJavaOptions(
  config: Record<string, string>,
  role: FlinkJavaRole,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const all =
    env.FLINK_ENV_JAVA_OPTS !== undefined && env.FLINK_ENV_JAVA_OPTS !== ''
      ? words(env.FLINK_ENV_JAVA_OPTS)
      : [
          ...words(config['env.java.default-opts.all']),
          ...words(config['env.java.opts.all'] ?? config['env.java.opts']),
        ];
  return [...all, ...ROLE_OPTIONS[role].flatMap((key) => words(config[key]))];
}

/**
 * A Flink JVM's arguments after `java`: memory, Java 17 flags, the configured Java options, its log
 * file, classpath and main class.
 */
export function flinkJvmArgs(o: {
  jvmArgs: string[];
  /** flinkJavaOptions: after the memory and Java 17 flags, as Flink's scripts put them. */
  javaOptions: string[];
  confDir: string;
  logFile: string;
  classpath: string[];
  mainClass: string;
  args: string[];
}): string[] {
  return [
    ...o.jvmArgs,
    ...JAVA17_FLAGS,
    ...o.javaOptions,
    `-Dlog.file=${o.logFile}`,
    `-Dlog4j.configuration=file:${o.confDir}/log4j.properties`,
    `-Dlog4j.configurationFile=file:${o.confDir}/log4j.properties`,
    '-cp',
    o.classpath.join(':'),
    o.mainClass,
    ...o.args,
  ];
}

/** A standalone TaskManager, the same in a session and in an application cluster. */
export function taskManagerArgs(
  memory: MemoryParams,
  /** The cluster's Flink options, whose Java options the JVM takes (flinkJavaOptions). */
  flinkConfig: Record<string, string>,
  confDir: string,
  logFile: string,
  classpath: string[],
  metricsPort: number | null,
) {
  return flinkJvmArgs({
    jvmArgs: memory.jvmArgs,
    javaOptions: flinkJavaOptions(flinkConfig, 'taskmanager'),
    confDir,
    logFile,
    classpath,
    mainClass: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
    args: ['--configDir', confDir, ...memory.dynamicProperties, ...metricsPortProperty(metricsPort)],
  });
}

/** A JobManager entry point's JVM: its memory, reporter port and config folder, then the entry point's own arguments. */
export function jobManagerArgs(
  memory: MemoryParams,
  /** The cluster's Flink options, whose Java options the JVM takes (flinkJavaOptions). */
  flinkConfig: Record<string, string>,
  confDir: string,
  logFile: string,
  classpath: string[],
  metricsPort: number | null,
  entry: { mainClass: string; args: string[] },
) {
  return flinkJvmArgs({
    jvmArgs: memory.jvmArgs,
    javaOptions: flinkJavaOptions(flinkConfig, 'jobmanager'),
    confDir,
    logFile,
    classpath,
    mainClass: entry.mainClass,
    args: [
      ...memory.dynamicProperties,
      ...metricsPortProperty(metricsPort),
      '--configDir',
      confDir,
      ...entry.args,
    ],
  });
}

/** Flink's memory calculation for a cluster's JobManager and TaskManagers, from its written configuration. */
export function clusterMemory(
  java: string,
  classpath: string[],
  confDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { jm: MemoryParams; tm: MemoryParams } {
  return {
    jm: memoryParams(java, classpath, confDir, 'GET_JM_RESOURCE_PARAMS', env),
    tm: memoryParams(java, classpath, confDir, 'GET_TM_RESOURCE_PARAMS', env),
  };
}
