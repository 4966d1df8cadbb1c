import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { runProcess } from '../../system/child-process.ts';
import { findJava } from '../../system/prerequisites.ts';
import { inspectDistribution } from '../distribution.ts';
import { MANIFEST_FILE } from '../provisioning/engine-manifest.ts';
import { parseClassSharingSetting } from '../../../domain/clusters/class-sharing-setting.ts';

/** The helper's source, compiled against each engine's own jars. */
export const HELPER_SOURCE = path.join(import.meta.dirname, 'java', 'SluiceSqlParser.java');
export const HELPER_MAIN_CLASS = 'SluiceSqlParser';

/** A compiled parser helper for one engine: how to start it. */
export interface SqlParserHelper {
  flinkVersion: string;
  dir: string;
  java: string;
  classpath: string[];
  /** JVM options, including the class-data archive when one could be made. */
  jvmOptions: string[];
  /** True when this call compiled it (false: a cached build was reused). */
  built: boolean;
}

/** Small and quick to start: the parser needs little heap, and one compiler tier starts sooner. */
export const HELPER_JVM_OPTIONS = ['-Xmx192m', '-Xss4m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/**
 * Where the helper of an engine is kept: inside the engine folder when Sluice assembled it (so every
 * platform using that engine, tests included, shares one build), else under the Sluice home.
 */
export function helperDir(engineHome: string, flinkVersion: string, sluiceHome: string): string {
  return fs.existsSync(path.join(engineHome, MANIFEST_FILE))
    ? path.join(engineHome, 'sluice-sql-parser')
    : path.join(sluiceHome, 'sql-parser', `flink-${flinkVersion}`);
}

/**
 * Compiles the helper with javac against the engine's own jars: `lib/` (flink-table-api-java,
 * flink-table-common, ...) and the planner, which flink-table-planner-loader hides as a nested jar
 * (extracted here once). Idempotent: a build whose stamp matches the source, the engine's jars and
 * the JDK is reused; a changed one is rebuilt in a scratch folder and swapped in whole.
 */
export async function ensureSqlParserHelper(opts: {
  engineHome: string;
  sluiceHome: string;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}): Promise<SqlParserHelper> {
  const env = opts.env ?? process.env;
  const say = opts.progress ?? (() => {});
  const dist = inspectDistribution(opts.engineHome);
  const java = findJava(env);
  const jdkBin = path.dirname(fs.realpathSync(java.path));
  const javac = path.join(jdkBin, 'javac');
  const jarTool = path.join(jdkBin, 'jar');
  const planner = dist.classpath.find((j) => /^flink-table-planner_[\d.]+-.*\.jar$/.test(path.basename(j)));
  const loader = dist.classpath.find((j) => /^flink-table-planner-loader-.*\.jar$/.test(path.basename(j)));
  if (!planner && !loader)
    throw new SluiceError(
      'engine_unavailable',
      message('parser.noPlanner', { lib: `${opts.engineHome}/lib` }),
    );
  const libJars = dist.classpath.filter((j) => j !== loader);
  const dir = helperDir(opts.engineHome, dist.flinkVersion, opts.sluiceHome);
  const stamp = JSON.stringify({
    source: createHash('sha1').update(fs.readFileSync(HELPER_SOURCE)).digest('hex'),
    jars: [...libJars, ...(loader ? [loader] : [])].map((j) => {
      const s = fs.statSync(j);
      return `${path.basename(j)}:${s.size}:${Math.floor(s.mtimeMs)}`;
    }),
    java: java.description,
  });
  // Its archive is made with the build (below); SLUICE_CDS=off starts it without, as every other JVM.
  const sharing = parseClassSharingSetting(env).enabled;
  const helper = (built: boolean): SqlParserHelper => {
    const plannerJar = planner ?? path.join(dir, 'flink-table-planner.jar');
    const archive = path.join(dir, 'classes.jsa');
    return {
      flinkVersion: dist.flinkVersion,
      dir,
      java: java.path,
      classpath: [path.join(dir, 'sluice-sql-parser.jar'), plannerJar, ...libJars],
      jvmOptions: [
        ...HELPER_JVM_OPTIONS,
        ...(fs.existsSync(archive) && sharing ? [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'] : []),
      ],
      built,
    };
  };
  if (readStamp(dir) === stamp) return helper(false);

  if (!fs.existsSync(javac))
    throw new SluiceError('prerequisite_missing', message('parser.noJavac', { java: java.path }), {
      prerequisite: 'javac',
    });
  say(`building Flink ${dist.flinkVersion}'s SQL parser helper in ${dir}`);
  const scratch = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(path.join(scratch, 'classes'), { recursive: true });
  try {
    if (!planner) await run(jarTool, ['xf', loader!, 'flink-table-planner.jar'], scratch, env);
    const plannerJar = planner ?? path.join(scratch, 'flink-table-planner.jar');
    if (!fs.existsSync(plannerJar))
      throw new SluiceError(
        'engine_unavailable',
        message('parser.unknownPlannerPackaging', { jar: loader ?? '' }),
      );
    const compileClasspath = [plannerJar, ...libJars].join(path.delimiter);
    await run(
      javac,
      ['--release', '11', '-nowarn', '-d', 'classes', '-cp', compileClasspath, HELPER_SOURCE],
      scratch,
      env,
    );
    await run(jarTool, ['cf', 'sluice-sql-parser.jar', '-C', 'classes', '.'], scratch, env);
    fs.rmSync(path.join(scratch, 'classes'), { recursive: true, force: true });
    fs.writeFileSync(path.join(scratch, 'stamp.json'), stamp);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(scratch, dir);
    } catch (e) {
      // Another process finished the same build first.
      if (readStamp(dir) !== stamp) throw e;
    }
    // The archive names the jars by path, so it is made where the helper now lives.
    if (!fs.existsSync(path.join(dir, 'classes.jsa')))
      await makeArchive(java.path, dir, planner, libJars, env);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  say(`built Flink ${dist.flinkVersion}'s SQL parser helper`);
  return helper(true);
}

/** Records the classes the helper loads at start into `classes.jsa` (Java's dynamic CDS). */
async function makeArchive(
  java: string,
  dir: string,
  planner: string | undefined,
  libJars: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const archive = path.join(dir, 'classes.jsa');
  const classpath = [
    path.join(dir, 'sluice-sql-parser.jar'),
    planner ?? path.join(dir, 'flink-table-planner.jar'),
    ...libJars,
  ];
  try {
    await run(
      java,
      [
        ...HELPER_JVM_OPTIONS,
        `-XX:ArchiveClassesAtExit=${archive}`,
        '-cp',
        classpath.join(path.delimiter),
        HELPER_MAIN_CLASS,
      ],
      dir,
      env,
    );
  } catch {
    fs.rmSync(archive, { force: true });
  }
}

function readStamp(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs a JDK tool with no input; fails with its output. */
async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const r = await runProcess(cmd, args, { cwd, env });
  if (r.code !== 0)
    throw new SluiceError(
      'engine_unavailable',
      message('parser.buildFailed', {
        tool: path.basename(cmd),
        code: r.code ?? '?',
        output: r.lines.join('\n').slice(-2000),
      }),
    );
}
