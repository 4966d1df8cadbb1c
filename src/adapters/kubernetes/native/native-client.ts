import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { runProcess } from '../../system/child-process.ts';
import { processArgs, processesWithArg, signal } from '../../flink/local-cluster/os-processes.ts';
import { findJava, findMaven } from '../../system/prerequisites.ts';
import { mavenFailure, runMavenProcess } from '../../flink/provisioning/maven-provisioner.ts';

/**
 * The flink-kubernetes release Sluice's side of the native way runs, per engine minor: the engine's
 * own release where Maven Central serves it, else the nearest one of the same minor (checked
 * 2026-12-03: 1.20.3 is not served, 1.20.1 is). The client only creates the JobManager's objects; the
 * cluster itself runs the image's Flink.
 */
export const FLINK_KUBERNETES_RELEASES: Record<string, string> = {
  '1.19': '1.19.1',
  '1.20': '1.20.1',
  '2.2': '2.2.0',
};

export function flinkKubernetesRelease(flinkVersion: string): string {
  const minor = flinkVersion.split('.').slice(0, 2).join('.');
  const release = FLINK_KUBERNETES_RELEASES[minor];
  if (!release)
    throw new SluiceError(
      'invalid_argument',
      message('kubernetes.nativeUnsupportedVersion', {
        flinkVersion,
        supported: Object.keys(FLINK_KUBERNETES_RELEASES).join(', '),
      }),
      { field: 'engineVersion' },
    );
  return release;
}

/**
 * The flink-kubernetes jar (Flink's Kubernetes client, with its shaded fabric8 client) under
 * `<SLUICE_HOME>/native-kubernetes/`, fetched once with Maven (`dependency:copy`, no dependencies:
 * the rest of the client is the engine's lib).
 */
export async function ensureFlinkKubernetesJar(o: {
  flinkVersion: string;
  sluiceHome: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}): Promise<string> {
  const release = flinkKubernetesRelease(o.flinkVersion);
  const dir = path.join(o.sluiceHome, 'native-kubernetes');
  const jar = path.join(dir, `flink-kubernetes-${release}.jar`);
  if (fs.existsSync(jar)) return jar;
  const env = o.env ?? process.env;
  const mvn = findMaven(env);
  fs.mkdirSync(dir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(dir, '.fetch-'));
  try {
    const args = [
      '-B',
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
      `-Dartifact=org.apache.flink:flink-kubernetes:${release}:jar`,
      `-DoutputDirectory=${scratch}`,
    ];
    if (o.mavenLocalRepository) args.push(`-Dmaven.repo.local=${o.mavenLocalRepository}`);
    if (o.mavenMirror) {
      fs.writeFileSync(
        path.join(scratch, 'settings.xml'),
        `<settings><mirrors><mirror><id>sluice-mirror</id><mirrorOf>*</mirrorOf><url>${o.mavenMirror}</url></mirror></mirrors></settings>\n`,
      );
      args.push('-s', path.join(scratch, 'settings.xml'));
    }
    o.progress?.(`fetching flink-kubernetes ${release} (Flink's Kubernetes client) with Maven into ${dir}`);
    const r = await runMavenProcess(mvn, args, scratch, env, () => {});
    const fetched = path.join(scratch, `flink-kubernetes-${release}.jar`);
    if (r.code !== 0 || !fs.existsSync(fetched)) throw mavenFailure(r.log);
    fs.renameSync(fetched, jar);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return jar;
}

/** How long the client may take to create the JobManager's objects (it took 10 s here). */
const CLIENT_TIMEOUT_MS = 180_000;

/** Flink's `kubernetes-session.sh`: deploys a session cluster (detached) from the configuration's options. */
export const KUBERNETES_SESSION_CLI = 'org.apache.flink.kubernetes.cli.KubernetesSessionCli';

/**
 * Runs Flink's CLI (CliFrontend, or `mainClass`) on Sluice's machine with the engine's jars and flink-kubernetes, its
 * configuration from `confDir` (config.yaml and the pods' log4j-console.properties, which the client
 * hands the cluster). Each line of its output goes to `log`; a failure keeps its last lines.
 */
export async function runFlinkClient(o: {
  classpath: string[];
  confDir: string;
  args: string[];
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  mainClass?: string;
}): Promise<void> {
  const env = o.env ?? process.env;
  const java = findJava(env);
  const r = await runProcess(
    java.path,
    [
      '-Xmx256m',
      clientMarker(o.confDir),
      '-cp',
      o.classpath.join(path.delimiter),
      o.mainClass ?? 'org.apache.flink.client.cli.CliFrontend',
      ...o.args,
    ],
    {
      cwd: o.confDir,
      env: { ...env, FLINK_CONF_DIR: o.confDir },
      timeoutMs: CLIENT_TIMEOUT_MS,
      // Stack frames stay in the error's details, not in the start's log.
      onLine: (line) => {
        if (!/^\s+(at |\.\.\. \d+ more)/.test(line)) o.log(`flink: ${line}`);
      },
      cannotRun: (detail) =>
        new SluiceError('prerequisite_missing', message('kubernetes.nativeClientFailed', { detail })),
    },
  );
  if (r.code !== 0)
    throw new SluiceError(
      'engine_unavailable',
      message('kubernetes.nativeClientFailed', {
        detail: r.timedOut
          ? `it did not finish within ${CLIENT_TIMEOUT_MS / 1000} s`
          : `exit code ${r.code}: ${clientError(r.lines)}`,
      }),
      { log: r.lines.slice(-40) },
    );
}

/** The client's argument that names its configuration folder: how a left-running client is found. */
const clientMarker = (confDir: string): string =>
  `-Dlog4j.configurationFile=file:${path.join(confDir, 'log4j-cli.properties')}`;

/**
 * Flink's client outlives a platform killed while it ran (it is a process of its own), and would make
 * its cluster after the restarted platform decided about that start without it, unseen. Each client
 * still running with a configuration folder under `runsDir` is killed (SIGKILL, waited for up to 5 s);
 * what it made by then is found by its labels like any cluster. Returns the folders' names (Flink job
 * ids) whose client was stopped.
 */
export async function stopLeftClients(runsDir: string, log: (line: string) => void): Promise<string[]> {
  const stopped: string[] = [];
  const ids = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
  for (const id of ids) {
    const left = processesWithArg(clientMarker(path.join(runsDir, id)));
    for (const { pid } of left) signal(pid, 'SIGKILL');
    for (let waited = 0; left.some((p) => processArgs(p.pid)) && waited < 5000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    if (!left.length) continue;
    stopped.push(id);
    log(
      `stopped Flink's client for Flink job ${id} (pid ${left.map((p) => p.pid).join(', ')}) that an earlier platform process left running`,
    );
  }
  return stopped;
}

/** The client's own explanation: the deepest `Caused by:` line, else its last lines. */
export function clientError(lines: string[]): string {
  const causes = lines
    .filter((l) => /^\s*Caused by: /.test(l))
    .map((l) => l.trim().replace(/^Caused by: /, ''));
  if (causes.length) return causes.at(-1)!;
  const errors = lines.filter((l) =>
    /ERROR|Exception|The program finished with the following exception/.test(l),
  );
  return (errors.at(-1) ?? lines.slice(-3).join(' | ')) || 'no output';
}

/** The client's own logging: warnings and errors to its output, which the start's log keeps. */
export const LOG4J_CLI = `# Written by Sluice: Flink's client logs to its console (the start's log).
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
logger.fabric8.name = org.apache.flink.kubernetes.shaded.io.fabric8
logger.fabric8.level = WARN
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %-5p %c{1} - %m%n
`;
