import type { ArtifactUsage, ArtifactVersion, MavenCoordinates } from '../../domain/artifacts/artifact.ts';
import type { UdfFunction } from '../../domain/artifacts/functions.ts';
import type { GitBuildRequest } from '../../domain/artifacts/git-build.ts';
import type { JarFacts } from '../../domain/artifacts/jar-check.ts';

/** The artifact versions the metadata store keeps, and which job versions name them. */
export interface ArtifactStore {
  all(): Promise<ArtifactVersion[]>;
  versions(name: string): Promise<ArtifactVersion[]>;
  /**
   * The next version of an artifact: a new artifact lands in `space` (default `default`) in the same
   * write, a space that is not there refusing it with nothing written; a new version is in its
   * artifact's space.
   */
  add(v: Omit<ArtifactVersion, 'version'>, space?: string): Promise<ArtifactVersion>;
  functions(name: string, version: number): Promise<UdfFunction[] | null>;
  setFunctions(name: string, version: number, functions: UdfFunction[]): Promise<void>;
  /** Removes an artifact (or one version); answers the sha256 of bytes no version keeps any more. */
  remove(name: string, version: number | null): Promise<string[]>;
  usages(name: string): Promise<ArtifactUsage[]>;
}

/** Where artifact bytes are kept, as operators are told (never a credential). */
export type ArtifactStorageLocation =
  { kind: 'local'; dir: string } | { kind: 's3'; endpoint: string; bucket: string; prefix: string };

/**
 * Where jar bytes are kept, once per sha256: a folder under the Sluice home, or an S3-compatible
 * bucket with a local cache.
 */
export interface ArtifactStorage {
  readonly location: ArtifactStorageLocation;
  /** Stores the bytes once; `created` is false when the storage already had them. */
  put(bytes: Buffer): Promise<{ sha256: string; created: boolean }>;
  /**
   * A file on this machine with the bytes: Flink's classpaths, the JobManager's jar upload and the UDF
   * scanner read files. Throws ArtifactBytesMissing when the storage does not have them.
   */
  localCopy(sha256: string): Promise<string>;
  /** The bytes (throws ArtifactBytesMissing as localCopy does). */
  read(sha256: string): Promise<Buffer>;
  exists(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** Where the bytes of `sha256` are kept, for messages: a file path, or s3://bucket/key. */
  whereIs(sha256: string): string;
  close(): Promise<void>;
}

/** Bytes the storage does not have (removed behind Sluice's back, or a storage that was changed). */
export class ArtifactBytesMissing extends Error {
  constructor(
    readonly sha256: string,
    readonly where: string,
  ) {
    super(`no artifact bytes with sha256 ${sha256} at ${where}`);
  }
}

/** A file that is not a zip archive, in the reader's words. */
export class NotAZipError extends Error {}

export interface MavenSettings {
  /** A repository URL that replaces Maven Central (a mirror, or a file:// repository). */
  repository: string | undefined;
  /** A settings.xml of the user's (credentials, proxies, mirrors). */
  settingsFile: string | undefined;
  localRepository: string | undefined;
}

/** What reads jars: their entries and manifest, Maven coordinates, the functions they hold. */
export interface JarTools {
  /** Throws NotAZipError for a file that is not a zip archive. */
  read(bytes: Buffer): Promise<JarFacts>;
  resolveMaven(
    coords: MavenCoordinates,
    settings: MavenSettings,
  ): Promise<{ bytes: Buffer; fileName: string }>;
  /**
   * Clones `req.url`, checks out its ref, builds it with `mvn package` and reads the one jar it made;
   * each log line (credentials masked) goes to `say`. Fails with the step it stopped at.
   */
  buildFromGit(
    req: GitBuildRequest,
    settings: MavenSettings,
    say: (line: string) => void,
    signal: AbortSignal,
  ): Promise<BuiltGitJar>;
  /** The user-defined functions in a jar, read against an engine's own jars. */
  scan(engineHome: string, jar: string): Promise<{ functions: UdfFunction[] }>;
}

/** A jar built from a git repository, with where it came from. */
export interface BuiltGitJar {
  bytes: Buffer;
  fileName: string;
  /** Its path in the repository (`module/target/x.jar`). */
  jarPath: string;
  /** The full sha of the commit built. */
  commit: string;
  /** The ref asked for, or the default branch's name. */
  ref: string;
  /** Every line of the build's log so far, masked. */
  log: string[];
}

export interface GitBuildTimeouts {
  gitMs: number;
  mavenMs: number;
}
