import type { ArtifactUsage, ArtifactVersion, MavenCoordinates } from '../../domain/artifacts/artifact.ts';
import type { UdfFunction } from '../../domain/artifacts/functions.ts';
import type { JarFacts } from '../../domain/artifacts/jar-check.ts';

/** The artifact versions the metadata store keeps, and which job versions name them. */
export interface ArtifactStore {
  all(): Promise<ArtifactVersion[]>;
  versions(name: string): Promise<ArtifactVersion[]>;
  add(v: Omit<ArtifactVersion, 'version'>): Promise<ArtifactVersion>;
  functions(name: string, version: number): Promise<UdfFunction[] | null>;
  setFunctions(name: string, version: number, functions: UdfFunction[]): Promise<void>;
  /** Removes an artifact (or one version); answers the sha256 of bytes no version keeps any more. */
  remove(name: string, version: number | null): Promise<string[]>;
  usages(name: string): Promise<ArtifactUsage[]>;
}

/** Where jar bytes are kept, once per sha256 (a folder under the Sluice home today). */
export interface ArtifactStorage {
  put(bytes: Buffer): { sha256: string; path: string; created: boolean };
  pathOf(sha256: string): string;
  read(sha256: string): Buffer;
  exists(sha256: string): boolean;
  remove(sha256: string): void;
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
  /** The user-defined functions in a jar, read against an engine's own jars. */
  scan(engineHome: string, jar: string): Promise<{ functions: UdfFunction[] }>;
}
