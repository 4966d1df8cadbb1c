import { SluiceError, invalid } from '../errors.ts';
import { message } from '../messages.ts';

/**
 * A job version's reference to exact bytes: an artifact's name and one of its versions. A bare name
 * given by a user is pinned to the artifact's latest version when the job version is saved.
 */
export interface ArtifactRef {
  name: string;
  version: number;
}

/** A reference as a user writes it: `name` (the latest version, pinned at save) or `name@version`. */
export interface ArtifactRequest {
  name: string;
  version: number | null;
}

/** Where an artifact version's bytes came from. */
export type ArtifactSource =
  { kind: 'upload' } | { kind: 'maven'; coordinates: string; repository: string | null } | GitSource;

/** A jar built with `mvn package` from a git repository: where, at which ref, the exact commit, which module. */
export interface GitSource {
  kind: 'git';
  /** The repository's URL with any credentials masked (they are never stored). */
  url: string;
  /** The ref asked for, or the default branch the clone was at. */
  ref: string;
  /** The commit the ref resolved to (full sha). */
  commit: string;
  /** The Maven module's folder in the repository; null: its root. */
  module: string | null;
}

/** A version's source in one line, as the CLI shows it (`git <url>@<ref> <sha12>[ /module]`). */
export function sourceText(s: ArtifactSource): string {
  if (s.kind === 'maven') return `maven ${s.coordinates}`;
  if (s.kind === 'git')
    return `git ${s.url}@${s.ref} ${s.commit.slice(0, 12)}${s.module ? ` /${s.module}` : ''}`;
  return 'upload';
}

/** One stored version of an artifact: immutable, its bytes kept once per sha256. */
export interface ArtifactVersion {
  name: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  /** The file name it was uploaded as (or Maven resolved it to). */
  fileName: string;
  source: ArtifactSource;
  /** `Main-Class` of its manifest: the entry class a JAR job runs when it names none. */
  mainClass: string | null;
  author: string;
  createdAt: string;
}

/** An artifact version as it reaches a cluster for one job: its stored file, and the function classes in it. */
export interface JobJar {
  name: string;
  version: number;
  sha256: string;
  /** Where the stored file is, as Sluice (and a cluster on this machine) reads it. */
  path: string;
  /** The user-defined function classes the scanner found in it. */
  functionClasses: string[];
}

/** An artifact: a name and its versions, newest last. */
export interface Artifact {
  name: string;
  latestVersion: number;
  versions: ArtifactVersion[];
}

/** A job version that names an artifact version (as a SQL job's artifact, a JAR job's jar or classpath). */
export interface ArtifactUsage {
  job: string;
  jobVersion: number;
  artifactVersion: number;
}

const NAME = /^[a-z0-9]([a-z0-9._-]{0,98}[a-z0-9])?$/;

export function checkArtifactName(name: string): void {
  if (!NAME.test(name)) throw invalid('name', message('artifact.badName', { name }));
}

/**
 * The name an uploaded file gets when none is given: its file name without the `.jar` extension and
 * without the version that follows the last name part (`my-udfs-1.2.0-SNAPSHOT.jar` is `my-udfs`).
 */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.jar$/i, '');
  const withoutVersion = base.replace(/[-_]v?\d[\w.+-]*$/, '');
  return (withoutVersion || base)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

/** `name` or `name@version`, as the CLI and the API take a reference. */
export function parseArtifactRequest(text: string, field = 'artifacts'): ArtifactRequest {
  const m = /^([^@\s]+)(?:@(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw invalid(field, message('artifact.badReference', { reference: text }));
  checkArtifactRefName(m[1]!, field);
  return { name: m[1]!, version: m[2] === undefined ? null : Number(m[2]) };
}

function checkArtifactRefName(name: string, field: string): void {
  if (!NAME.test(name)) throw invalid(field, message('artifact.badName', { name }));
}

export const refText = (r: ArtifactRef | ArtifactRequest): string =>
  r.version === null ? r.name : `${r.name}@${r.version}`;

/** Maven coordinates `group:artifact:version[:classifier]` (always of a jar). */
export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
  classifier: string | null;
}

const COORD_PART = /^[A-Za-z0-9_.-]+$/;

export function parseMavenCoordinates(text: string): MavenCoordinates {
  const parts = text.trim().split(':');
  if ((parts.length !== 3 && parts.length !== 4) || !parts.every((p) => COORD_PART.test(p)))
    throw invalid('coordinates', message('artifact.badCoordinates', { coordinates: text }));
  const [groupId, artifactId, version, classifier] = parts as [string, string, string, string?];
  return { groupId, artifactId, version, classifier: classifier ?? null };
}

export const coordinatesText = (c: MavenCoordinates): string =>
  [c.groupId, c.artifactId, c.version, ...(c.classifier ? [c.classifier] : [])].join(':');

/**
 * Every artifact reference a stored job version's content holds, whatever its kind: a SQL job's
 * `artifacts`, a JAR job's `jar` and `classpath`. Read from the stored JSON, so that references of
 * content shapes added later by other parts (JAR jobs) are found too.
 */
export function artifactRefsIn(content: unknown): ArtifactRef[] {
  if (!content || typeof content !== 'object') return [];
  const c = content as Record<string, unknown>;
  const candidates = [
    ...(Array.isArray(c.artifacts) ? c.artifacts : []),
    ...(Array.isArray(c.classpath) ? c.classpath : []),
    c.jar,
  ];
  return candidates.filter(
    (r): r is ArtifactRef =>
      !!r &&
      typeof r === 'object' &&
      typeof (r as ArtifactRef).name === 'string' &&
      typeof (r as ArtifactRef).version === 'number',
  );
}

/** The refusal of deleting an artifact (or one version) that job versions name. */
export function inUseRefusal(name: string, version: number | null, usages: ArtifactUsage[]): SluiceError {
  const byJob = new Map<string, number[]>();
  for (const u of usages) byJob.set(u.job, [...(byJob.get(u.job) ?? []), u.jobVersion]);
  const jobs = [...byJob]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([job, vs]) =>
        // Versions as v1, v3: the same in every language the message is said in.
        `${job} (${[...new Set(vs)]
          .sort((a, b) => a - b)
          .map((v) => `v${v}`)
          .join(', ')})`,
    )
    .join(', ');
  return new SluiceError(
    'conflict',
    version === null
      ? message('artifact.inUse', { artifact: name, jobs })
      : message('artifact.versionInUse', { artifact: name, version, jobs }),
    { usages },
  );
}
