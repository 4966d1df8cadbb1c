import path from 'node:path';
import type { ArtifactRef, JobJar } from '../domain/artifacts/artifact.ts';
import { targetKind, type TargetKindName } from '../domain/targets/target-kinds.ts';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import type { DeploymentTarget, SqlSession } from '../domain/targets/deployment-target.ts';
import { StatementRefused } from '../domain/targets/target-errors.ts';

/**
 * A job's jars reach its cluster through its own SQL session: `ADD JAR` makes the classes visible to
 * the session's planner (CREATE FUNCTION, EXPLAIN) and Flink ships the jars with the job it submits
 * from that session (`pipeline.jars` of that job only). Setting `pipeline.jars` in the session's
 * options instead ships them but leaves the planner without the classes (ClassNotFoundException at
 * CREATE FUNCTION on 1.19, 1.20 and 2.2), so ADD JAR it is.
 */
export async function addJobJars(
  session: SqlSession,
  jars: readonly JobJar[],
  target: Pick<DeploymentTarget, 'name' | 'kind'>,
  log: (line: string) => void = () => {},
): Promise<void> {
  for (const jar of jars) {
    try {
      await session.execute(`ADD JAR '${jar.path.replace(/'/g, "''")}'`);
    } catch (e) {
      if (!(e instanceof StatementRefused)) throw e;
      throw new JarRefused({ artifact: `${jar.name}@${jar.version}`, path: jar.path }, target, e);
    }
    log(`${jar.name}@${jar.version} sha256 ${jar.sha256} ${jar.path}: added`);
  }
}

/**
 * The engine's connector jars a job's SQL names (connector-jars.ts), added to its session as its own
 * jars are, from where the session's gateway reads them (`stageJar`: a Kubernetes session's shared
 * folder): Flink ships them with this job alone.
 */
export async function addConnectorJars(
  session: SqlSession,
  files: readonly string[],
  target: Pick<DeploymentTarget, 'name' | 'kind' | 'stageJar'>,
  log: (line: string) => void = () => {},
): Promise<void> {
  for (const file of files) {
    const staged = target.stageJar ? target.stageJar(file) : file;
    try {
      await session.execute(`ADD JAR '${staged.replace(/'/g, "''")}'`);
    } catch (e) {
      if (!(e instanceof StatementRefused)) throw e;
      throw new JarRefused({ artifact: `the engine's ${path.basename(file)}`, path: staged }, target, e);
    }
    log(`connector jar ${path.basename(file)} ${staged}: added`);
  }
}

/** A jar the session's gateway would not add: which artifact, where, on which target, and Flink's cause. */
export class JarRefused extends SluiceError {
  readonly rootCause: string;
  readonly trace: string;

  constructor(
    jar: { artifact: string; path: string },
    target: Pick<DeploymentTarget, 'name' | 'kind'>,
    e: StatementRefused,
  ) {
    const params = {
      cluster: target.name,
      artifact: jar.artifact,
      path: jar.path,
      // Flink's sentence ends with its own full stop, which the message's punctuation follows.
      cause: e.rootCause.replace(/\.+\s*$/, ''),
    };
    // A remote gateway runs elsewhere: the likely reason is that it does not see this machine's files.
    super(
      'flink_rejected',
      message(
        target.kind === 'remote-session' ||
          target.kind === 'kubernetes-standalone-session' ||
          target.kind === 'kubernetes-native-session'
          ? 'jars.remoteUnreadable'
          : 'jars.refused',
        params,
      ),
      { rootCause: e.rootCause },
    );
    this.rootCause = e.rootCause;
    this.trace = e.trace;
  }
}

/**
 * A JAR job's classpath artifacts reach its class loader as `pipeline.classpaths` URLs, which Flink
 * never ships: every JobManager and TaskManager reads them itself. Flink's jar run takes one jar and
 * no other (`/jars/:id/run` has no extra jars), so a remote session cluster, which cannot read this
 * machine's artifact folder, cannot load them, nor can a session cluster on Kubernetes: refused with
 * what to do instead. What decides is the kind's `classpathReachable`, not its name.
 */
export function refuseRemoteClasspath(
  classpath: readonly ArtifactRef[],
  target: string,
  kind: TargetKindName,
): void {
  if (targetKind(kind).classpathReachable || !classpath.length) return;
  throw new SluiceError(
    'invalid_argument',
    message('job.classpathOnRemote', {
      target,
      artifacts: classpath.map((r) => `${r.name}@${r.version}`).join(', '),
    }),
    { field: 'classpath' },
  );
}
