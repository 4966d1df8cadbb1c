import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
 * CREATE FUNCTION on 1.19, 1.20 and 2.2), so ADD JAR it is. Where the session's gateway does not read
 * this machine's files (a Kubernetes session), each is staged first (`stageJar`, named by its sha256).
 */
export async function addJobJars(
  session: SqlSession,
  jars: readonly JobJar[],
  target: Pick<DeploymentTarget, 'name' | 'kind' | 'stageJar'>,
  log: (line: string) => void = () => {},
): Promise<void> {
  await addJars(
    session,
    jars.map((jar) => ({
      label: `${jar.name}@${jar.version}`,
      file: jar.path,
      sha256: jar.sha256,
      added: (at) =>
        at === jar.path
          ? `${jar.name}@${jar.version} sha256 ${jar.sha256} ${at}: added`
          : `${jar.name}@${jar.version} sha256 ${jar.sha256} ${at} (staged from ${jar.path}): added`,
    })),
    target,
    log,
  );
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
  await addJars(
    session,
    files.map((file) => ({
      label: `the engine's ${path.basename(file)}`,
      file,
      added: (at) => `connector jar ${path.basename(file)} ${at}: added`,
    })),
    target,
    log,
  );
}

interface SessionJar {
  /** What the refusal calls it: `name@version`, or the engine's file. */
  label: string;
  file: string;
  /** A job's artifact's: its staged copy is named by it and checked against it. */
  sha256?: string;
  added: (at: string) => string;
}

/** Each jar staged where the gateway reads it (when the target stages) and added, in order. */
async function addJars(
  session: SqlSession,
  jars: readonly SessionJar[],
  target: Pick<DeploymentTarget, 'name' | 'kind' | 'stageJar'>,
  log: (line: string) => void,
): Promise<void> {
  for (const jar of jars) {
    const at = target.stageJar ? target.stageJar(jar.file, jar.sha256) : jar.file;
    try {
      await session.execute(`ADD JAR '${at.replace(/'/g, "''")}'`);
    } catch (e) {
      if (!(e instanceof StatementRefused)) throw e;
      throw new JarRefused({ artifact: jar.label, path: at, staged: at !== jar.file }, target, e);
    }
    log(jar.added(at));
  }
}

/** A jar the session's gateway would not add: which artifact, where, on which target, and Flink's cause. */
export class JarRefused extends SluiceError {
  readonly rootCause: string;
  readonly trace: string;

  constructor(
    jar: { artifact: string; path: string; staged?: boolean },
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
    // A staged copy is in the session's folder: the likely reason is a gateway without that folder. A
    // remote gateway runs elsewhere: the likely reason is that it does not see this machine's files.
    super(
      'flink_rejected',
      message(
        jar.staged
          ? 'jars.stagedUnreadable'
          : target.kind === 'remote-session'
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
 * machine's artifact folder, cannot load them: refused with what to do instead. A session cluster on
 * Kubernetes reads them staged in its shared folder (`sessionClasspath`). What decides is the kind's
 * `classpathReachable`, not its name.
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

/**
 * The `pipeline.classpaths` of a JAR job's run on a session cluster: file URLs its JobManager and
 * TaskManagers read themselves (Flink's jar run puts them on the program's user classpath, 1.19 to
 * 2.x). A local session reads this machine's artifact files; a Kubernetes session reads the copies
 * staged into its shared folder (`stageJar`, named by their sha256), which its pods mount at the
 * same path.
 */
export function sessionClasspath(
  classpath: readonly Pick<JobJar, 'path' | 'sha256'>[],
  target: Pick<DeploymentTarget, 'name' | 'stageJar'>,
  log: (line: string) => void,
): Record<string, string> {
  if (!classpath.length) return {};
  const at = classpath.map(({ path: file, sha256 }) => {
    if (!target.stageJar) return file;
    const staged = target.stageJar(file, sha256);
    log(
      `classpath jar sha256 ${sha256} staged for session cluster ${target.name} at ${staged} (from ${file})`,
    );
    return staged;
  });
  return { 'pipeline.classpaths': at.map((f) => pathToFileURL(f).href).join(';') };
}
