import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  distributionRecipe,
  supportedEngineVersionsText,
  type FlinkDistributionRecipe,
  type FlinkPlugin,
  type MavenCoordinate,
} from '../../../domain/engines/flink-distribution.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { runProcess, withMavenOpts } from '../../system/child-process.ts';
import { findJava, findMaven } from '../../system/prerequisites.ts';
import { MANIFEST_FILE, readManifest, sha1, verifyManifest, type EngineManifest } from './engine-manifest.ts';
import { ensureSqlParserHelper } from '../sql-parser/sql-parser-build.ts';
import type { ProvisionResult } from '../../../application/ports/engines.ts';

export interface ProvisionOptions {
  /** Folder that holds engines: `<SLUICE_HOME>/engines`. */
  enginesDir: string;
  version: string;
  /** Maven's local repository (its download cache); Maven's own default when unset. */
  mavenLocalRepository?: string | undefined;
  /** Repository URLs that replace Maven Central (a company mirror, or a file:// repository). */
  mavenMirror?: string | undefined;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

export type { ProvisionResult };

interface ResolvedArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  classifier: string | undefined;
  file: string;
}

/**
 * Assembles a Flink installation (`lib/`, `opt/`) from Maven Central with `mvn`. Idempotent: a verified
 * installation is left alone. Resumable: Maven's local repository keeps what was fetched. Every artifact
 * is checked against the SHA-1 Maven downloaded beside it; a corrupt one is deleted and fetched again.
 */
export async function provisionFlink(opts: ProvisionOptions): Promise<ProvisionResult> {
  const env = opts.env ?? process.env;
  const say = opts.progress ?? (() => {});
  const recipe = distributionRecipe(opts.version);
  if (!recipe)
    throw new SluiceError(
      'invalid_argument',
      message('engine.unsupportedVersion', {
        version: opts.version,
        supported: supportedEngineVersionsText(),
      }),
      { field: 'version' },
    );
  findJava(env);
  const home = path.join(opts.enginesDir, `flink-${recipe.flinkVersion}`);
  const existing = readManifest(home);
  if (existing) {
    // Plugins are checked (and fetched again) by their own step: a missing one is added, not a reason
    // to assemble the engine again.
    const problems = await verifyManifest(home, {
      ...existing,
      artifacts: existing.artifacts.filter((a) => !a.file.startsWith('plugins/')),
    });
    // An installation made by an older recipe lacks what the recipe gained since (a connector).
    const installed = new Set(existing.artifacts.map((a) => a.coordinate.split(':').slice(0, 3).join(':')));
    for (const c of [...recipe.lib, ...recipe.opt])
      if (!installed.has(`${c.groupId}:${c.artifactId}:${c.version}`))
        problems.push(`${c.artifactId} ${c.version} is not part of it`);
    if (problems.length === 0) {
      say(
        `Flink ${recipe.flinkVersion} is already installed at ${home} (${existing.artifacts.length} artifacts verified)`,
      );
      const plugins = await addPlugins(home, recipe, opts, env, say);
      await buildParserHelper(home, opts, env, say);
      return {
        minor: recipe.minor,
        flinkVersion: recipe.flinkVersion,
        home,
        artifacts: readManifest(home)?.artifacts.length ?? existing.artifacts.length,
        downloaded: plugins.downloaded,
        alreadyInstalled: true,
        repairedArtifacts: [],
      };
    }
    say(
      `the installation at ${home} is incomplete or damaged (${problems.slice(0, 3).join('; ')}): assembling it again`,
    );
  }
  const mvn = findMaven(env);
  const work = path.join(opts.enginesDir, `.work-flink-${recipe.flinkVersion}`);
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(
    path.join(work, 'pom.xml'),
    // The plugins too: resolved in this one Maven run, not in a second one of addPlugins.
    pomFor(`flink-${recipe.flinkVersion}`, `assemble Flink ${recipe.flinkVersion}`, recipe.lib, [
      ...recipe.opt,
      ...recipe.plugins.map((p) => p.coordinate),
    ]),
  );
  if (opts.mavenMirror) fs.writeFileSync(path.join(work, 'settings.xml'), settingsFor(opts.mavenMirror));

  let downloaded = 0;
  const repaired: string[] = [];
  let resolved: ResolvedArtifact[] = [];
  for (let attempt = 1; ; attempt++) {
    say(
      `resolving ${recipe.lib.length + recipe.opt.length} Flink ${recipe.flinkVersion} modules and their dependencies with Maven${attempt > 1 ? ' (again, for the artifacts that failed verification)' : ''}`,
    );
    downloaded += await runMaven(mvn, work, opts, env, say);
    resolved = readResolved(work);
    const corrupt = resolved.filter((a) => checksumProblem(a.file) !== undefined);
    if (corrupt.length === 0) break;
    for (const a of corrupt) {
      const problem = checksumProblem(a.file)!;
      say(
        `checksum mismatch: ${a.artifactId}-${a.version} ${problem}; deleting it so Maven fetches it again`,
      );
      repaired.push(`${a.groupId}:${a.artifactId}:${a.version}`);
      for (const f of [a.file, `${a.file}.sha1`, path.join(path.dirname(a.file), '_remote.repositories')])
        fs.rmSync(f, { force: true });
    }
    if (attempt >= 2)
      throw new SluiceError(
        'engine_unavailable',
        message('engine.corruptArtifacts', {
          flinkVersion: recipe.flinkVersion,
          artifacts: corrupt.map((a) => a.artifactId).join(', '),
        }),
        { artifacts: corrupt.map((a) => `${a.groupId}:${a.artifactId}:${a.version}`) },
      );
  }

  const staging = `${home}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(staging, 'opt'), { recursive: true });
  const optKeys = new Set(recipe.opt.map((c) => `${c.groupId}:${c.artifactId}`));
  const pluginFolders = new Map(
    recipe.plugins.map((p) => [`${p.coordinate.groupId}:${p.coordinate.artifactId}`, p.folder]),
  );
  const manifest: EngineManifest = {
    flinkVersion: recipe.flinkVersion,
    minor: recipe.minor,
    assembledAt: new Date().toISOString(),
    artifacts: [],
  };
  for (const a of resolved) {
    const key = `${a.groupId}:${a.artifactId}`;
    const plugin = pluginFolders.get(key);
    const dir = plugin ? `plugins/${plugin}` : optKeys.has(key) ? 'opt' : 'lib';
    const name = path.basename(a.file);
    const target = path.join(staging, dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(a.file, target);
    manifest.artifacts.push({
      file: `${dir}/${name}`,
      coordinate: `${a.groupId}:${a.artifactId}:${a.version}${a.classifier ? `:${a.classifier}` : ''}`,
      sha1: await sha1(target),
      size: fs.statSync(target).size,
    });
  }
  fs.writeFileSync(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(staging, home);
  fs.rmSync(work, { recursive: true, force: true });
  say(
    `installed Flink ${recipe.flinkVersion} at ${home}: ${manifest.artifacts.length} artifacts, ${downloaded} files downloaded`,
  );
  // Finds the plugins assembled with the rest (nothing to add).
  const plugins = await addPlugins(home, recipe, opts, env, say);
  await buildParserHelper(home, opts, env, say);
  return {
    minor: recipe.minor,
    flinkVersion: recipe.flinkVersion,
    home,
    artifacts: manifest.artifacts.length + plugins.added,
    downloaded: downloaded + plugins.downloaded,
    alreadyInstalled: false,
    repairedArtifacts: repaired,
  };
}

const coordinateText = (c: MavenCoordinate) => `${c.groupId}:${c.artifactId}:${c.version}`;

/**
 * The recipe's plugins (`plugins/<folder>/<jar>`) an installation lacks, fetched with Maven and added
 * beside what is there, and then to its manifest; returns how many were added. A step of its own, so an
 * engine assembled before a plugin joined the recipe gains it without being assembled again (processes
 * running from it keep their files). Idempotent: a plugin the manifest names and whose file is there is
 * left alone; files land under a temporary name and are renamed into place.
 */
export async function addPlugins(
  home: string,
  recipe: FlinkDistributionRecipe,
  opts: ProvisionOptions,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<{ added: number; downloaded: number }> {
  const installed = readManifest(home);
  if (!installed) return { added: 0, downloaded: 0 };
  const missing: FlinkPlugin[] = [];
  for (const p of recipe.plugins) {
    const entry = installed.artifacts.find(
      (a) => a.coordinate === coordinateText(p.coordinate) && a.file.startsWith(`plugins/${p.folder}/`),
    );
    if (!entry || (await verifyManifest(home, { ...installed, artifacts: [entry] })).length > 0)
      missing.push(p);
  }
  if (missing.length === 0) return { added: 0, downloaded: 0 };
  const names = missing.map((p) => coordinateText(p.coordinate)).join(', ');
  const refused = (detail: string) =>
    new SluiceError(
      'engine_unavailable',
      message('engine.pluginUnavailable', { coordinates: names, flinkVersion: recipe.flinkVersion, detail }),
      { coordinates: missing.map((p) => coordinateText(p.coordinate)) },
    );
  say(`adding ${names} to Flink ${recipe.flinkVersion} at ${home} (plugins/)`);
  const work = path.join(opts.enginesDir, `.work-plugins-${recipe.flinkVersion}-${process.pid}`);
  fs.mkdirSync(work, { recursive: true });
  try {
    const mvn = findMaven(env);
    fs.writeFileSync(
      path.join(work, 'pom.xml'),
      pomFor(
        `flink-${recipe.flinkVersion}-plugins`,
        `fetch Flink ${recipe.flinkVersion}'s plugins`,
        [],
        missing.map((p) => p.coordinate),
      ),
    );
    if (opts.mavenMirror) fs.writeFileSync(path.join(work, 'settings.xml'), settingsFor(opts.mavenMirror));
    const downloaded = await runMaven(mvn, work, opts, env, say).catch((e: unknown) => {
      throw refused(e instanceof Error ? e.message : String(e));
    });
    const resolved = readResolved(work);
    const added: EngineManifest['artifacts'] = [];
    for (const p of missing) {
      const a = resolved.find(
        (r) => r.groupId === p.coordinate.groupId && r.artifactId === p.coordinate.artifactId,
      );
      if (!a) throw refused('Maven did not list it');
      const problem = checksumProblem(a.file);
      if (problem) {
        fs.rmSync(a.file, { force: true });
        throw refused(
          `${path.basename(a.file)} ${problem}; it was deleted, so the next try fetches it again`,
        );
      }
      const dir = path.join(home, 'plugins', p.folder);
      fs.mkdirSync(dir, { recursive: true });
      const name = path.basename(a.file);
      const partial = path.join(dir, `.${name}.${process.pid}.partial`);
      fs.copyFileSync(a.file, partial);
      fs.renameSync(partial, path.join(dir, name));
      added.push({
        file: `plugins/${p.folder}/${name}`,
        coordinate: coordinateText(p.coordinate),
        sha1: await sha1(path.join(dir, name)),
        size: fs.statSync(path.join(dir, name)).size,
      });
    }
    // Read again: another process may have added the same plugin meanwhile (the entry is the same).
    const current = readManifest(home) ?? installed;
    const files = new Set(added.map((a) => a.file));
    const updated: EngineManifest = {
      ...current,
      artifacts: [...current.artifacts.filter((a) => !files.has(a.file)), ...added],
    };
    const partialManifest = path.join(home, `.${MANIFEST_FILE}.${process.pid}.partial`);
    fs.writeFileSync(partialManifest, JSON.stringify(updated, null, 2));
    fs.renameSync(partialManifest, path.join(home, MANIFEST_FILE));
    say(`added ${added.map((a) => a.file).join(', ')} to Flink ${recipe.flinkVersion}`);
    return { added: added.length, downloaded };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readResolved(work: string): ResolvedArtifact[] {
  return parseDependencyList(fs.readFileSync(path.join(work, 'artifacts.txt'), 'utf8'));
}

/**
 * Flink's SQL parser helper (syntax checks) is built with the engine, beside it. Without a JDK the
 * engine still works and syntax checks fall back to the grammar, so a failure is said, not thrown.
 */
async function buildParserHelper(
  home: string,
  opts: ProvisionOptions,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<void> {
  try {
    await ensureSqlParserHelper({
      engineHome: home,
      sluiceHome: path.dirname(opts.enginesDir),
      env,
      progress: say,
    });
  } catch (e) {
    say(
      `Flink's SQL parser helper was not built (${(e as Error).message}); syntax checks use the grammar alone`,
    );
  }
}

function dependencyXml(c: MavenCoordinate, withoutDependencies: boolean): string {
  const excluded = withoutDependencies ? ['*:*'] : (c.exclude ?? []);
  const exclusions = excluded.length
    ? `<exclusions>${excluded
        .map((e) => {
          const [g, a] = e.split(':');
          return `<exclusion><groupId>${g}</groupId><artifactId>${a}</artifactId></exclusion>`;
        })
        .join('')}</exclusions>`
    : '';
  return `    <dependency><groupId>${c.groupId}</groupId><artifactId>${c.artifactId}</artifactId><version>${c.version}</version>${exclusions}</dependency>`;
}

/** A pom listing `lib` with their dependencies and `alone` without any. */
function pomFor(
  artifactId: string,
  purpose: string,
  lib: MavenCoordinate[],
  alone: MavenCoordinate[],
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by Sluice to ${purpose}; safe to delete. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.engines</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${lib.map((c) => dependencyXml(c, false)).join('\n')}
${alone.map((c) => dependencyXml(c, true)).join('\n')}
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.6.1</version>
  </plugin></plugins></build>
</project>
`;
}

export function settingsFor(mirror: string): string {
  return `<settings><mirrors><mirror><id>sluice-mirror</id><mirrorOf>*</mirrorOf><url>${mirror}</url></mirror></mirrors></settings>\n`;
}

/** Runs `mvn dependency:list`, streaming download lines as progress; returns how many files it downloaded. */
function runMaven(
  mvn: string,
  work: string,
  opts: ProvisionOptions,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<number> {
  const args = [
    '-B',
    '-f',
    path.join(work, 'pom.xml'),
    'dependency:list',
    '-DincludeScope=runtime',
    '-DoutputAbsoluteArtifactFilename=true',
    `-DoutputFile=${path.join(work, 'artifacts.txt')}`,
    '-DappendOutput=false',
  ];
  if (opts.mavenLocalRepository) args.push(`-Dmaven.repo.local=${opts.mavenLocalRepository}`);
  if (opts.mavenMirror) args.push('-s', path.join(work, 'settings.xml'));
  let downloaded = 0;
  return runMavenProcess(mvn, args, work, env, (line) => {
    const m = /^(?:\[INFO\] )?Downloaded from [^:]+: (\S+) \(([^)]*)\)/.exec(line);
    if (!m) return;
    downloaded++;
    if (!m[1]!.endsWith('.sha1')) say(`downloaded ${path.basename(m[1]!)} (${m[2]!.split(' at ')[0]})`);
  }).then((r) => {
    if (r.code !== 0) throw mavenFailure(r.log);
    return downloaded;
  });
}

/**
 * Runs Maven and hands each line of its output (colours removed) to `onLine`; resolves with its exit
 * code and every line. Refused with a clear error when `mvn` cannot be run at all.
 */
export async function runMavenProcess(
  mvn: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<{ code: number | null; log: string[] }> {
  const r = await runProcess(mvn, args, {
    cwd,
    env: withMavenOpts(env, '512m'),
    onLine,
    cannotRun: (detail) =>
      new SluiceError('prerequisite_missing', message('engine.cannotRunMaven', { mvn, detail })),
  });
  return { code: r.code, log: r.lines };
}

/** Turns Maven's [ERROR] lines into one message that says what is missing and what to do. */
export function mavenFailure(log: string[]): SluiceError {
  const errors = log
    .filter((l) => l.startsWith('[ERROR]'))
    .map((l) => l.replace(/^\[ERROR\]\s*/, ''))
    .filter(Boolean);
  const text = errors.join('\n');
  const missing = [...text.matchAll(/Could not find artifact (\S+)/g)].map((m) => m[1]!);
  const network =
    /UnknownHost|Unknown host|Connection refused|Network is unreachable|connect timed out|Could not transfer|Connect to .* failed|No route to host/i.test(
      text,
    );
  if (missing.length > 0)
    return new SluiceError(
      'engine_unavailable',
      message('engine.mavenMissing', { artifacts: [...new Set(missing)].join(', ') }),
      { missing, maven: errors.slice(0, 20) },
    );
  if (network)
    return new SluiceError('engine_unavailable', message('engine.mavenOffline'), {
      maven: errors.slice(0, 20),
    });
  return new SluiceError(
    'engine_unavailable',
    errors[0] ? message('engine.mavenFailed', { detail: errors[0] }) : message('engine.mavenFailedSilently'),
    { maven: errors.slice(0, 40) },
  );
}

export function parseDependencyList(text: string): ResolvedArtifact[] {
  const out: ResolvedArtifact[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || !line.includes(':/')) continue;
    const [coords, file] = [line.slice(0, line.indexOf(':/')), line.slice(line.indexOf(':/') + 1)];
    const parts = coords.replace(/ -- module .*$/, '').split(':');
    // group:artifact:type[:classifier]:version:scope
    if (parts.length < 5) continue;
    const [groupId, artifactId] = parts as [string, string];
    const version = parts[parts.length - 2]!;
    const classifier = parts.length === 6 ? parts[3] : undefined;
    out.push({ groupId, artifactId, version, classifier, file: file.replace(/ -- module .*$/, '') });
  }
  return out;
}

/** Compares a file with the `.sha1` Maven stored beside it; undefined when it matches or has none. */
function checksumProblem(file: string): string | undefined {
  if (!fs.existsSync(file)) return 'is missing from the Maven cache';
  const sidecar = `${file}.sha1`;
  if (!fs.existsSync(sidecar)) return undefined; // installed locally (mvn install): nothing to compare with
  const expected = fs.readFileSync(sidecar, 'utf8').trim().slice(0, 40).toLowerCase();
  const actual = createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  return expected === actual ? undefined : `(expected SHA-1 ${expected}, file has ${actual})`;
}
