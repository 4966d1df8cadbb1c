import {
  checkArtifactName,
  coordinatesText,
  inUseRefusal,
  nameFromFile,
  parseArtifactRequest,
  parseMavenCoordinates,
  type Artifact,
  type ArtifactRef,
  type ArtifactSource,
  type ArtifactVersion,
  type JobJar,
} from '../domain/artifacts/artifact.ts';
import {
  createFunctionStatement,
  suggestedFunctionName,
  type UdfFunction,
} from '../domain/artifacts/functions.ts';
import {
  buildFailure,
  checkGitBuildRequest,
  maskUrlCredentials,
  type GitBuildRequest,
} from '../domain/artifacts/git-build.ts';
import { checkJar, checkJarSize, classEntry } from '../domain/artifacts/jar-check.ts';
import { SluiceError, invalid, notFound, saidBy } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import {
  ArtifactBytesMissing,
  NotAZipError,
  type ArtifactStorage,
  type ArtifactStorageLocation,
  type ArtifactStore,
  type JarTools,
} from './ports/artifacts.ts';
import type { SluiceConfig } from './config.ts';
import type { EngineService } from './engine-service.ts';

/** A class name as Java writes one (`org.acme.Job`, `Job$Inner`). */
const JAVA_CLASS = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export interface UploadInput {
  bytes: Buffer;
  /** The file name it came as (names the artifact when no name is given). */
  fileName: string;
  name?: string | undefined;
  /** A class that must be in the jar (a JAR job's entry class). */
  entryClass?: string | undefined;
  /** Where a new artifact goes (default `default`); a new version is in its artifact's space. */
  space?: string | null | undefined;
}

/** A jar to build from a git repository, and the artifact to store it as. */
export interface GitBuildInput {
  url: string;
  ref?: string | null | undefined;
  module?: string | null | undefined;
  jar?: string | null | undefined;
  /** Default: the built jar's file name without version and .jar. */
  name?: string | undefined;
  entryClass?: string | undefined;
}

/** A function found in an artifact version, with the name it is offered under and the statement to register it. */
export interface ArtifactFunction extends UdfFunction {
  name: string;
  createStatement: string;
}

export interface ArtifactFunctions {
  artifact: string;
  version: number;
  functions: ArtifactFunction[];
}

/** Jars kept by the platform: checked, stored once per sha256, versioned per name, in use by job versions. */
export class ArtifactService {
  /** Stops the git and Maven processes of running builds when the platform stops. */
  private readonly builds = new AbortController();

  constructor(
    private readonly store: { artifacts: ArtifactStore },
    private readonly engines: EngineService,
    private readonly config: SluiceConfig,
    private readonly files: ArtifactStorage,
    private readonly jars: JarTools,
  ) {}

  /** Where the bytes are kept (said by health), never a credential. */
  get storage(): ArtifactStorageLocation {
    return this.files.location;
  }

  async list(): Promise<Artifact[]> {
    const byName = new Map<string, ArtifactVersion[]>();
    for (const v of await this.store.artifacts.all()) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    return [...byName].map(([name, versions]) => ({
      name,
      latestVersion: versions.at(-1)!.version,
      versions,
    }));
  }

  async get(name: string): Promise<Artifact> {
    const versions = await this.store.artifacts.versions(name);
    if (!versions.length) throw notFound('artifact', name, message('artifact.notFound', { artifact: name }));
    return { name, latestVersion: versions.at(-1)!.version, versions };
  }

  async version(name: string, version: number): Promise<ArtifactVersion> {
    const a = await this.get(name);
    const v = a.versions.find((x) => x.version === version);
    if (!v)
      throw notFound(
        'version',
        String(version),
        message('artifact.versionNotFound', {
          artifact: name,
          version,
          versions: a.versions.map((x) => x.version).join(', '),
        }),
      );
    return v;
  }

  /** Checks a jar and stores it as the next version of its name; a refused jar leaves nothing behind. */
  async upload(
    input: UploadInput,
    author: string,
    source: ArtifactSource = { kind: 'upload' },
  ): Promise<ArtifactVersion> {
    const fileName = input.fileName || 'upload.jar';
    const name = input.name ?? nameFromFile(fileName);
    checkArtifactName(name);
    checkJarSize(input.bytes.length, this.config.artifactMaxBytes, fileName);
    let facts;
    try {
      facts = await this.jars.read(input.bytes);
    } catch (e) {
      if (!(e instanceof NotAZipError)) throw e;
      throw new SluiceError(
        'invalid_argument',
        message('artifact.notAZip', { file: fileName, detail: e.message }),
        {
          field: 'file',
        },
      );
    }
    const { mainClass } = checkJar(facts, fileName, input.entryClass);
    const stored = await this.files.put(input.bytes);
    return this.store.artifacts.add(
      {
        name,
        sha256: stored.sha256,
        sizeBytes: input.bytes.length,
        fileName,
        source,
        mainClass,
        author,
        createdAt: new Date().toISOString(),
      },
      input.space ?? undefined,
    );
  }

  /** Resolves `group:artifact:version[:classifier]` with Maven and stores the jar as an upload would be. */
  async fromMaven(
    coordinates: string,
    name: string | undefined,
    author: string,
    space?: string | null,
  ): Promise<ArtifactVersion> {
    const coords = parseMavenCoordinates(coordinates);
    if (name !== undefined) checkArtifactName(name);
    const repository = this.config.artifactMavenRepository;
    const jar = await this.jars.resolveMaven(coords, {
      repository,
      settingsFile: this.config.mavenSettingsFile,
      localRepository: this.config.mavenLocalRepository,
    });
    return this.upload(
      { bytes: jar.bytes, fileName: jar.fileName, name: name ?? coords.artifactId, space },
      author,
      {
        kind: 'maven',
        coordinates: coordinatesText(coords),
        repository: repository ?? null,
      },
    );
  }

  /**
   * Checks a git build's request before any work starts (a bad URL, ref, module, jar pattern or name
   * is refused at once) and says what the build is of, credentials masked, for its operation.
   */
  checkGitBuild(input: GitBuildInput): { request: GitBuildRequest; subject: string } {
    const request = checkGitBuildRequest({
      url: input.url,
      ref: input.ref ?? null,
      module: input.module ?? null,
      jar: input.jar ?? null,
    });
    if (input.name !== undefined) checkArtifactName(input.name);
    const subject = [
      maskUrlCredentials(request.url),
      ...(request.ref ? [`@${request.ref}`] : []),
      ...(request.module ? [` /${request.module}`] : []),
    ].join('');
    return { request, subject };
  }

  /**
   * Builds a jar from a git repository with `mvn package` (clone, checkout, build, pick jar) and stores
   * it as the next version like an upload (check jar). Every line of the log goes to `progress`; a
   * failure names its step with the log's tail and stores nothing.
   */
  async buildFromGit(
    input: GitBuildInput,
    author: string,
    progress: (line: string) => void,
    /** Where a new artifact goes (default `default`): known now, stored with its version 1 later. */
    space?: string | null,
  ): Promise<ArtifactVersion> {
    const { request } = this.checkGitBuild(input);
    const built = await this.jars.buildFromGit(
      request,
      {
        repository: this.config.artifactMavenRepository,
        settingsFile: this.config.mavenSettingsFile,
        localRepository: this.config.mavenLocalRepository,
      },
      progress,
      this.builds.signal,
    );
    const log = [...built.log];
    const say = (line: string) => {
      log.push(line);
      progress(line);
    };
    say(`[check jar] checking ${built.jarPath} (${built.bytes.length} bytes)`);
    let stored: ArtifactVersion;
    try {
      stored = await this.upload(
        {
          bytes: built.bytes,
          fileName: built.fileName,
          name: input.name ?? nameFromFile(built.fileName),
          entryClass: input.entryClass,
          space,
        },
        author,
        {
          kind: 'git',
          url: maskUrlCredentials(request.url),
          ref: built.ref,
          commit: built.commit,
          module: request.module,
        },
      );
    } catch (e) {
      // The jar's own refusal (not a zip, no manifest, no entry class, too large) is this step's cause.
      if (e instanceof SluiceError && e.code === 'invalid_argument')
        throw buildFailure('check jar', request.url, e.text ?? e.message, log);
      throw e;
    }
    say(`[check jar] stored as ${stored.name} version ${stored.version} (sha256 ${stored.sha256})`);
    return stored;
  }

  /** Stops every running build (each fails at its step, storing nothing); later ones are stopped at once. */
  stopBuilds(): void {
    this.builds.abort();
  }

  /**
   * The stored file of a version on this machine, to download or to hand to a cluster (with S3
   * storage, a local copy fetched on first use).
   */
  async file(
    name: string,
    version: number,
  ): Promise<{ path: string; fileName: string; version: ArtifactVersion }> {
    const v = await this.version(name, version);
    return {
      path: await this.bytesOf(v, (sha) => this.files.localCopy(sha)),
      fileName: v.fileName,
      version: v,
    };
  }

  /** `get` of a version's bytes, refused with what to do when the storage lost them. */
  private async bytesOf<T>(v: ArtifactVersion, get: (sha256: string) => Promise<T>): Promise<T> {
    try {
      return await get(v.sha256);
    } catch (e) {
      if (!(e instanceof ArtifactBytesMissing)) throw e;
      throw new SluiceError(
        'precondition_failed',
        message('submission.artifactFileMissing', { artifact: v.name, version: v.version, path: e.where }),
      );
    }
  }

  /**
   * Deletes an artifact (or one version). Refused while any job version names it, naming the jobs and
   * their versions; bytes no other version keeps are removed from the storage.
   */
  async delete(name: string, version: number | null): Promise<{ removedVersions: number[] }> {
    const a = await this.get(name);
    if (version !== null) await this.version(name, version);
    const usages = (await this.store.artifacts.usages(name)).filter(
      (u) => version === null || u.artifactVersion === version,
    );
    if (usages.length) throw inUseRefusal(name, version, usages);
    for (const sha of await this.store.artifacts.remove(name, version)) await this.files.remove(sha);
    return {
      removedVersions: a.versions.map((v) => v.version).filter((v) => version === null || v === version),
    };
  }

  /**
   * The exact versions a job version names: `name@version` must exist, a bare name is pinned to the
   * latest version now, so that the job version always names the same bytes.
   */
  async pin(requests: readonly (string | ArtifactRef)[], field = 'artifacts'): Promise<ArtifactRef[]> {
    const out: ArtifactRef[] = [];
    for (const r of requests) {
      const req = typeof r === 'string' ? parseArtifactRequest(r, field) : r;
      const a = await this.get(req.name);
      const version = req.version ?? a.latestVersion;
      if (req.version !== null) await this.version(req.name, req.version);
      if (!out.some((o) => o.name === req.name && o.version === version))
        out.push({ name: req.name, version });
    }
    return out;
  }

  /**
   * The stored files of the artifacts a job names, in its order, with the function classes of each
   * (scanned once per version; `withFunctions` false leaves them out where only the files matter).
   */
  async jobJars(refs: readonly ArtifactRef[], withFunctions = true): Promise<JobJar[]> {
    const out: JobJar[] = [];
    for (const ref of refs) {
      const { path, version } = await this.file(ref.name, ref.version);
      const functions = withFunctions ? (await this.functions(ref.name, ref.version)).functions : [];
      out.push({
        name: ref.name,
        version: ref.version,
        sha256: version.sha256,
        path,
        functionClasses: functions.map((f) => f.className),
      });
    }
    return out;
  }

  /**
   * The class a JAR job runs from `ref`: the one given, when the jar has it; else the `Main-Class` of
   * its manifest. Refused with what to do when neither is there.
   */
  async entryClassIn(ref: ArtifactRef, entryClass: string | null): Promise<string> {
    const v = await this.version(ref.name, ref.version);
    const at = { artifact: ref.name, version: ref.version };
    if (!entryClass) {
      if (!v.mainClass) throw invalid('entryClass', message('job.noMainClass', at));
      return v.mainClass;
    }
    if (!JAVA_CLASS.test(entryClass))
      throw invalid('entryClass', message('job.badEntryClass', { class: entryClass }));
    const facts = await this.jars.read(await this.bytesOf(v, (sha) => this.files.read(sha)));
    if (!facts.entries.includes(classEntry(entryClass)))
      throw invalid(
        'entryClass',
        message('job.noEntryClass', {
          ...at,
          class: entryClass,
          classes: facts.entries.filter((e) => e.endsWith('.class') && !e.includes('$')).length,
        }),
      );
    return entryClass;
  }

  /** The functions found in a version (read once by the scanner over the default engine, then kept). */
  async functions(name: string, version: number): Promise<ArtifactFunctions> {
    const { path } = await this.file(name, version);
    let found = await this.store.artifacts.functions(name, version);
    if (!found) {
      const engine = await this.engines.default();
      if (!engine) throw new SluiceError('precondition_failed', message('artifact.noEngine'));
      try {
        found = (await this.jars.scan(engine.home, path)).functions;
      } catch (e) {
        throw new SluiceError(
          'engine_unavailable',
          message('artifact.scanFailed', { artifact: name, version, detail: saidBy(e) }),
        );
      }
      await this.store.artifacts.setFunctions(name, version, found);
    }
    return {
      artifact: name,
      version,
      functions: found.map((f) => ({
        ...f,
        name: suggestedFunctionName(f.className),
        createStatement: createFunctionStatement(f, path),
      })),
    };
  }
}
