import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { saidBy, SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { findJava, findMaven } from '../system/prerequisites.ts';
import { mavenFailure, runMavenProcess } from './provisioning/maven-provisioner.ts';

export interface MavenProjectBuild {
  /** A Maven project in this repository (pom.xml and sources); copied, never built in place. */
  projectDir: string;
  /** The exact Flink release whose modules the project compiles against: `-Dflink.version`. */
  flinkVersion: string;
  /** Where the built jars are kept, with a stamp of what they were built from. */
  outDir: string;
  /** The jars the build makes, relative to the project: `target/x.jar`, `module/target/y.jar`. */
  jars: string[];
  /** What is built, for messages: "the SQL runner". */
  what: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

export interface BuiltJars {
  /** Absolute paths in `outDir`, in the order of `jars`. */
  jars: string[];
  /** True when this call ran Maven (false: a build with the same stamp was reused). */
  built: boolean;
}

/**
 * Builds a Maven project against one Flink release (`mvn package -Dflink.version=...`, Flink's modules
 * in provided scope) and keeps its jars in `outDir`. Idempotent: a build whose stamp (the project's
 * files, the Flink release, the JDK) matches is reused; a changed one is built in a scratch copy and
 * swapped in whole, so a build that fails or is interrupted leaves the previous one intact.
 */
export async function buildMavenProject(b: MavenProjectBuild): Promise<BuiltJars> {
  const env = b.env ?? process.env;
  const say = b.progress ?? (() => {});
  const java = findJava(env);
  const stamp = JSON.stringify({
    sources: sourceHash(b.projectDir),
    flinkVersion: b.flinkVersion,
    java: java.description,
  });
  const out = (built: boolean): BuiltJars => ({
    jars: b.jars.map((j) => path.join(b.outDir, path.basename(j))),
    built,
  });
  if (readStamp(b.outDir) === stamp && out(false).jars.every((j) => fs.existsSync(j))) return out(false);

  const mvn = findMaven(env);
  say(`building ${b.what} for Flink ${b.flinkVersion} with Maven into ${b.outDir}`);
  const scratch = `${b.outDir}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(scratch), { recursive: true });
  try {
    const project = path.join(scratch, 'project');
    fs.cpSync(b.projectDir, project, { recursive: true, filter: (src) => path.basename(src) !== 'target' });
    const args = ['-B', 'package', `-Dflink.version=${b.flinkVersion}`, '-Dmaven.test.skip=true'];
    if (b.mavenLocalRepository) args.push(`-Dmaven.repo.local=${b.mavenLocalRepository}`);
    if (b.mavenMirror) {
      fs.writeFileSync(
        path.join(scratch, 'settings.xml'),
        `<settings><mirrors><mirror><id>sluice-mirror</id><mirrorOf>*</mirrorOf><url>${b.mavenMirror}</url></mirror></mirrors></settings>\n`,
      );
      args.push('-s', path.join(scratch, 'settings.xml'));
    }
    try {
      await runMaven(mvn, args, project, env, say);
    } catch (e) {
      throw new SluiceError(
        'engine_unavailable',
        message('maven.buildFailed', {
          what: b.what,
          flinkVersion: b.flinkVersion,
          detail: saidBy(e),
        }),
        { ...(e instanceof SluiceError ? e.details : {}), project: b.projectDir },
      );
    }
    const done = path.join(scratch, 'out');
    fs.mkdirSync(done);
    for (const j of b.jars) {
      const built = path.join(project, j);
      if (!fs.existsSync(built))
        throw new SluiceError(
          'internal',
          message('maven.jarMissing', { what: b.what, jar: j, project: b.projectDir }),
        );
      fs.copyFileSync(built, path.join(done, path.basename(j)));
    }
    fs.writeFileSync(path.join(done, 'stamp.json'), stamp);
    fs.rmSync(b.outDir, { recursive: true, force: true });
    try {
      fs.renameSync(done, b.outDir);
    } catch (e) {
      // Another process finished the same build first.
      if (readStamp(b.outDir) !== stamp) throw e;
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  say(`built ${b.what} for Flink ${b.flinkVersion}`);
  return out(true);
}

/** A hash of every file of the project except Maven's output, by relative path and content. */
export function sourceHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const e of fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'target') walk(r);
      } else if (e.isFile()) {
        h.update(`${r}\0`);
        h.update(fs.readFileSync(path.join(dir, r)));
        h.update('\0');
      }
    }
  };
  walk('');
  return h.digest('hex');
}

function readStamp(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs Maven, reporting downloads as progress; fails with javac's or Maven's [ERROR] lines. */
async function runMaven(
  mvn: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<void> {
  const { code, log } = await runMavenProcess(mvn, args, cwd, env, (line) => {
    const m = /^(?:\[INFO\] )?Downloaded from [^:]+: (\S+)/.exec(line);
    if (m && !m[1]!.endsWith('.sha1') && !m[1]!.endsWith('.pom')) say(`downloaded ${path.basename(m[1]!)}`);
  });
  if (code !== 0) throw compileOrMavenFailure(log);
}

/** A compile error is said as javac said it (file:[line,col] message); anything else as Maven's failure. */
function compileOrMavenFailure(log: string[]): SluiceError {
  const compile = log.filter((l) => /^\[ERROR\] \/.*\.java:\[\d+,\d+\]/.test(l));
  if (compile.length > 0)
    return new SluiceError(
      'engine_unavailable',
      message('maven.compileFailed', { errors: compile.map((l) => l.slice(8)).join('\n') }),
      { maven: compile.slice(0, 20) },
    );
  return mavenFailure(log);
}
