import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_FILE } from '../provisioning/engine-manifest.ts';
import { processArgs, processesWithArg } from './os-processes.ts';

/**
 * Class-data archives (Java's AppCDS) for the local Flink JVMs: the classes a JobManager, TaskManager,
 * SQL Gateway or Flink's memory calculation loads at start, kept mapped-ready so the next JVM of the
 * same engine, JDK, classpath and main class skips parsing and verifying them (a JobManager and a
 * TaskManager start took 4.8 s of CPU without, 3.3 s with, on two cores).
 *
 * The first JVM of a kind records its archive when it exits (`-XX:ArchiveClassesAtExit`, to a file of
 * its own); a later start checks that file with `-Xshare:on` and its checksums (a truncated archive
 * crashes even a JVM started with -Xshare:auto, a damaged one may run) and only then uses it, with -Xshare:auto, so an archive the JVM cannot
 * use only means a slower start. Anything here that fails leaves the JVM without an archive.
 */

/**
 * Where an engine's archives are kept: inside the engine folder when Sluice assembled it (every platform
 * on that engine, tests included, shares them), else in the user's cache.
 */
export function classDataDir(engineHome: string, env: NodeJS.ProcessEnv = process.env): string {
  if (fs.existsSync(path.join(engineHome, MANIFEST_FILE))) return path.join(engineHome, 'sluice-class-data');
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'sluice', 'class-data');
}

/** Options a user gave that already decide class sharing: theirs are kept, none added. */
const OWN_SHARING = /^-Xshare:|^-XX:(SharedArchiveFile|ArchiveClassesAtExit|SharedClassListFile)=/;

/**
 * The JVM options that use (or record) the archive of JVMs with this classpath and main class, or none
 * when the user's options decide class sharing or no archive can be had.
 */
export function classDataOptions(o: {
  dir: string;
  java: string;
  classpath: string[];
  mainClass: string;
  /** The process's own Java options. */
  javaOptions?: string[];
}): string[] {
  if (o.javaOptions?.some((x) => OWN_SHARING.test(x))) return [];
  try {
    const archive = path.join(o.dir, `${o.mainClass.split('.').at(-1)}-${archiveKey(o)}.jsa`);
    if (fs.existsSync(archive)) return useArchive(archive);
    const prefix = `${path.basename(archive)}.part-`;
    const parts = fs.existsSync(o.dir) ? fs.readdirSync(o.dir).filter((f) => f.startsWith(prefix)) : [];
    for (const f of parts) {
      const part = path.join(o.dir, f);
      // Its JVM still runs (it writes the file as it exits).
      if (processesWithArg(recordFlag(part)).length > 0) continue;
      if (!fs.existsSync(archive) && usable(o.java, part, o.classpath, o.dir)) fs.renameSync(part, archive);
      else fs.rmSync(part, { force: true });
    }
    if (fs.existsSync(archive)) return useArchive(archive);
    // One JVM of a kind records at a time; the others start as they would without.
    if (recordingNow(recordFlag(path.join(o.dir, prefix)))) return [];
    fs.mkdirSync(o.dir, { recursive: true });
    // With its regions' checksums, so that the check finds a file cut short or damaged.
    return ['-XX:+VerifySharedSpaces', recordFlag(`${archive}.part-${randomBytes(6).toString('hex')}`)];
  } catch {
    return [];
  }
}

/** True when a live process has an argument starting with `start`. */
function recordingNow(start: string): boolean {
  return fs
    .readdirSync('/proc')
    .some((e) => /^\d+$/.test(e) && (processArgs(Number(e)) ?? []).some((a) => a.startsWith(start)));
}

const useArchive = (archive: string) => [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'];
const recordFlag = (part: string) => `-XX:ArchiveClassesAtExit=${part}`;

/**
 * What an archive depends on: the JDK (its binary, modules and own base archive), each jar of the
 * classpath as it is on disk, and the main class.
 */
function archiveKey(o: { java: string; classpath: string[]; mainClass: string }): string {
  const java = fs.realpathSync(o.java);
  const jdk = path.dirname(path.dirname(java));
  const stamp = (f: string) => {
    const s = fs.statSync(f, { throwIfNoEntry: false });
    return s ? `${f}:${s.size}:${Math.floor(s.mtimeMs)}` : `${f}:-`;
  };
  const parts = [
    java,
    stamp(path.join(jdk, 'lib', 'modules')),
    stamp(path.join(jdk, 'lib', 'server', 'classes.jsa')),
    ...o.classpath.map(stamp),
    o.mainClass,
  ];
  return createHash('sha1').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * True when a JVM with this classpath maps the archive and its regions match their checksums
 * (-Xshare:on fails rather than falling back).
 */
function usable(java: string, archive: string, classpath: string[], dir: string): boolean {
  if (fs.statSync(archive).size === 0) return false;
  const errorFile = path.join(dir, `hs_err_check_${process.pid}.log`);
  const r = spawnSync(
    java,
    [
      `-XX:SharedArchiveFile=${archive}`,
      '-Xshare:on',
      '-XX:+VerifySharedSpaces',
      `-XX:ErrorFile=${errorFile}`,
      '-cp',
      classpath.join(path.delimiter),
      '-version',
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  fs.rmSync(errorFile, { force: true });
  return r.status === 0;
}
