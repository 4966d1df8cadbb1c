import path from 'node:path';
import { buildMavenProject } from '../maven-project-build.ts';

/** The runner's Maven project, compiled per engine version against that engine's Flink modules. */
export const SQL_RUNNER_PROJECT = path.join(import.meta.dirname, 'java');
export const SQL_RUNNER_MAIN_CLASS = 'dev.sluice.sqlrunner.SluiceSqlRunner';

export interface SqlRunnerJar {
  flinkVersion: string;
  /** The jar to upload to a session (`/jars/upload`) or put on an application cluster's classpath. */
  jar: string;
  mainClass: string;
  /** True when this call ran Maven (false: the cached build was reused). */
  built: boolean;
}

/**
 * The SQL runner jar for one Flink release, built once with Maven and kept under
 * `<SLUICE_HOME>/sql-runner/flink-<version>/`; rebuilt only when its sources, the release or the JDK
 * change.
 */
export async function ensureSqlRunnerJar(opts: {
  flinkVersion: string;
  sluiceHome: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}): Promise<SqlRunnerJar> {
  const { jars, built } = await buildMavenProject({
    projectDir: SQL_RUNNER_PROJECT,
    flinkVersion: opts.flinkVersion,
    outDir: path.join(opts.sluiceHome, 'sql-runner', `flink-${opts.flinkVersion}`),
    jars: ['target/sluice-sql-runner.jar'],
    what: 'the SQL runner',
    mavenLocalRepository: opts.mavenLocalRepository,
    mavenMirror: opts.mavenMirror,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  return { flinkVersion: opts.flinkVersion, jar: jars[0]!, mainClass: SQL_RUNNER_MAIN_CLASS, built };
}
