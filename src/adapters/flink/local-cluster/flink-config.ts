import fs from 'node:fs';
import path from 'node:path';
import type { LocalClusterSpec } from '../../../domain/clusters/local-cluster-spec.ts';
import {
  PROMETHEUS_REPORTER_FACTORY,
  PROMETHEUS_REPORTER_PLUGIN_FOLDER,
} from '../../../domain/engines/flink-distribution.ts';
import { restTlsOptions, type FlinkRestTls } from './rest-tls.ts';

export interface ClusterDirs {
  root: string;
  conf: string;
  log: string;
  run: string;
  data: string;
  tmp: string;
}

/** The folders of a local cluster under its root: configuration, logs, pid files, state, scratch. */
export function clusterDirs(root: string): ClusterDirs {
  const at = (d: string) => path.join(root, d);
  return { root, conf: at('conf'), log: at('log'), run: at('run'), data: at('data'), tmp: at('tmp') };
}

/** What the configuration of a local cluster's JobManager and TaskManagers is made from, whatever its kind. */
export type FlinkProcessesSpec = Pick<
  LocalClusterSpec,
  'restPort' | 'rpcPort' | 'jobManagerMemory' | 'taskManagerMemory' | 'slotsPerTaskManager' | 'flinkConfig'
>;

/**
 * The cluster's Flink configuration as flat `key: value` lines, which both config.yaml (1.19+) and the
 * legacy flink-conf.yaml read. Every address is loopback: a local cluster is never reachable from outside.
 */
export function flinkConfiguration(
  spec: FlinkProcessesSpec & {
    gatewayPort?: number;
    prometheusReporter?: boolean;
    /** TLS with mutual authentication on the REST endpoints; null or absent: plain HTTP. */
    restTls?: FlinkRestTls | null;
  },
  dirs: ClusterDirs,
): Record<string, string> {
  const checkpoints = `file://${dirs.data}/checkpoints`;
  const savepoints = `file://${dirs.data}/savepoints`;
  return {
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': String(spec.rpcPort),
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': String(spec.restPort),
    'jobmanager.memory.process.size': spec.jobManagerMemory,
    'taskmanager.memory.process.size': spec.taskManagerMemory,
    'taskmanager.numberOfTaskSlots': String(spec.slotsPerTaskManager),
    'parallelism.default': '1',
    'state.backend.type': 'hashmap',
    'state.checkpoints.dir': checkpoints,
    'execution.checkpointing.dir': checkpoints,
    'state.savepoints.dir': savepoints,
    'execution.checkpointing.savepoint-dir': savepoints,
    'io.tmp.dirs': dirs.tmp,
    'web.tmpdir': dirs.tmp,
    // A TaskManager killed on a laptop should be noticed in seconds, not after the 50 s default.
    'heartbeat.interval': '2000',
    'heartbeat.timeout': '10000',
    // How long REST serves a cached execution graph: failures and exceptions show within a second.
    'web.refresh-interval': '1000',
    // Job metrics over REST (restarts, ...) are refreshed from the TaskManagers every 2 s, not 10 s.
    'metrics.fetcher.update-interval': '2000',
    ...(spec.gatewayPort === undefined
      ? {}
      : {
          'sql-gateway.endpoint.rest.address': '127.0.0.1',
          'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
          'sql-gateway.endpoint.rest.port': String(spec.gatewayPort),
        }),
    // Each process's reporter port is a dynamic property of its own (metricsPortProperty).
    ...(spec.prometheusReporter ? { [`${PROM}.factory.class`]: PROMETHEUS_REPORTER_FACTORY } : {}),
    ...spec.flinkConfig,
    // Last: a cluster's own options cannot open the doors Sluice's clients knock on with their keys.
    ...(spec.restTls ? restTlsOptions(spec.restTls) : {}),
  };
}

const PROM = 'metrics.reporter.prom';

/** The `-D` program arguments that give one JobManager or TaskManager its reporter's port. */
export const metricsPortProperty = (port: number | null): string[] =>
  port === null ? [] : ['-D', `${PROM}.port=${port}`];

/** Where Flink looks for plugins (FLINK_PLUGINS_DIR): the engine's own `plugins/`. */
export const pluginsDir = (engineHome: string): string => path.join(engineHome, 'plugins');

/**
 * True when the engine carries Flink's Prometheus reporter plugin (provisioned engines do; an engine
 * registered from a folder may not): only then do its clusters' processes get a reporter.
 */
export function hasPrometheusReporter(engineHome: string): boolean {
  const dir = path.join(pluginsDir(engineHome), PROMETHEUS_REPORTER_PLUGIN_FOLDER);
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.jar'));
}

/** Makes the cluster's folders and writes its configuration and log settings, as every start does. */
export function writeClusterFiles(
  dirs: ClusterDirs,
  flinkVersion: string,
  config: Record<string, string>,
): void {
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // Owner only: it holds the password of the keys of the cluster's TLS.
  const file = path.join(dirs.conf, configFileName(flinkVersion));
  fs.writeFileSync(file, renderConfig(config), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  for (const f of ['log4j.properties', 'log4j-console.properties', 'log4j-cli.properties'])
    fs.writeFileSync(path.join(dirs.conf, f), LOG4J_PROPERTIES);
}

export function configFileName(flinkVersion: string): string {
  const [major = 0, minor = 0] = flinkVersion.split('.').map(Number);
  return major > 1 || minor >= 19 ? 'config.yaml' : 'flink-conf.yaml';
}

export function renderConfig(config: Record<string, string>): string {
  const quote = (v: string) => (/^[\w./:@,=+-]*$/.test(v) && v !== '' ? v : JSON.stringify(v));
  return `# Written by Sluice at every cluster start; edit the cluster's flinkConfig instead.\n${Object.entries(
    config,
  )
    .map(([k, v]) => `${k}: ${quote(v)}`)
    .join('\n')}\n`;
}

export const LOG4J_PROPERTIES = `# Written by Sluice. Each process logs to the file named by -Dlog.file, rolled at 50 MB, 5 kept.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.filePattern = \${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 50MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5
`;
