import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseClassSharingSetting } from '../../domain/clusters/class-sharing-setting.ts';

/**
 * Java's class-data sharing (CDS) for the JVMs Sluice starts on this machine (Flink's JobManagers,
 * TaskManagers, SQL Gateways and its memory calculation): the classes a JVM of one kind loads are
 * recorded once into a dynamic archive, which later JVMs of that kind map instead of loading and
 * verifying the same classes from jars again (a JobManager's start: ~1.8 s of CPU instead of ~2.8 s).
 *
 * An archive is only valid for the JVM build and the classpath it was made with (the JVM checks the
 * jars' sizes and times and otherwise runs without it, printing one warning), so it is kept per key:
 * the java binary's JVM, the main class and the exact classpath with each entry's size and time. A
 * changed engine or JDK gives a new key, hence a new archive, rather than an archive refused forever.
 *
 * Java 17 has no -XX:+AutoCreateSharedArchive (19+): the second JVM of a key that finds no archive
 * (the first only marks the key seen) is its maker, run with -XX:ArchiveClassesAtExit=<its own file>.
 * The JVM writes that file when it exits (a normal exit or SIGTERM, not SIGKILL), header last;
 * publishArchive then links it to the key's name only when its header is there, so an archive cut
 * short is never used. While a maker lives (up to
 * MAKER_ALONE_MS), other JVMs of its key run without an archive rather than each dumping one too.
 */

/** A JVM to start: its java binary, and its arguments after `java`. */
export interface JvmLaunch {
  java: string;
  args: string[];
}

/** The flags by which a JVM's own options take class sharing out of Sluice's hands. */
const OWN_SHARING =
  /^(-Xshare:|-XX:SharedArchiveFile=|-XX:ArchiveClassesAtExit=|-XX:[+-]AutoCreateSharedArchive)/;
const MAKER_FLAG = '-XX:ArchiveClassesAtExit=';
const USER_FLAG = '-XX:SharedArchiveFile=';
/** HotSpot's dynamic archive magic (CDS_DYNAMIC_ARCHIVE_MAGIC), the header's first field, little-endian. */
const DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;
/** A claim younger than this counts as its maker's even before the maker's command line shows it. */
const CLAIM_GRACE_MS = 30_000;
/**
 * How long a maker alone makes its key's archive. A maker writes it when it exits, which for a
 * JobManager may be hours away; past this, the next JVM of the key makes one too (the first of them
 * to exit publishes), so that a long-lived maker does not leave every later start without one.
 */
const MAKER_ALONE_MS = 5 * 60_000;
/** Archives not used for this long are removed when another is published (old engines, old JDKs). */
const UNUSED_FOR_MS = 30 * 24 * 3600_000;
/** Past this much in archives, the least recently used go when another is published (~60-110 MB each). */
const MAX_TOTAL_BYTES = 3 * 1024 ** 3;

/**
 * Where the classpath and main class are in a JVM's arguments: `-cp <classpath> <main class>`, the
 * shape every JVM command of Sluice's has. Null for anything else (a `-jar`, no classpath).
 */
function classpathAt(args: string[]): { at: number; classpath: string; mainClass: string } | null {
  const at = args.findIndex((a) => a === '-cp' || a === '-classpath' || a === '--class-path');
  const classpath = args[at + 1];
  const mainClass = args[at + 2];
  return at >= 0 && classpath && mainClass ? { at, classpath, mainClass } : null;
}

/**
 * The key of the archive a JVM of this java, main class and classpath may use, or null when one cannot
 * be made for it (a missing entry, a non-empty folder on the classpath, which CDS refuses to archive).
 */
export function archiveKey(java: string, classpath: string, mainClass: string): string | null {
  const h = createHash('sha256');
  try {
    const real = fs.realpathSync(java);
    const home = path.dirname(path.dirname(real));
    h.update(`java ${real}\n`);
    // The JVM build an archive belongs to: libjvm's size and time, and the JDK's release file.
    for (const f of [path.join(home, 'lib', 'server', 'libjvm.so'), path.join(home, 'release'), real]) {
      const s = statOrNull(f);
      if (s) h.update(`${f} ${s.size} ${Math.floor(s.mtimeMs)}\n`);
    }
    h.update(`main ${mainClass}\ncp ${classpath}\n`);
    for (const entry of classpath.split(path.delimiter)) {
      const s = fs.statSync(entry);
      if (s.isDirectory() && fs.readdirSync(entry).length > 0) return null;
      h.update(`${entry} ${s.size} ${Math.floor(s.mtimeMs)}\n`);
    }
  } catch {
    return null;
  }
  return `${mainClass.split('.').pop()}-${h.digest('hex').slice(0, 24)}`;
}

/**
 * A JVM's arguments with class sharing: the key's archive when there is one, else, when no other JVM
 * is making it, a file of this JVM's own to make it into; unchanged when sharing is off, the JVM's
 * own options already say how it shares, or anything about the archive folder fails (a start never
 * fails because of class sharing).
 */
export function withClassSharing(
  launch: JvmLaunch,
  env: NodeJS.ProcessEnv = process.env,
  now: number = Date.now(),
): string[] {
  const { args } = launch;
  const setting = parseClassSharingSetting(env);
  const cp = classpathAt(args);
  if (!setting.enabled || !cp || args.slice(0, cp.at).some((a) => OWN_SHARING.test(a))) return args;
  const flags = sharingFlags(setting.dir, archiveKey(launch.java, cp.classpath, cp.mainClass), now);
  return [...args.slice(0, cp.at), ...flags, ...args.slice(cp.at)];
}

/** The flags for one key in one folder: see withClassSharing. */
export function sharingFlags(dir: string, key: string | null, now: number = Date.now()): string[] {
  if (!key) return [];
  try {
    const archive = path.join(dir, `${key}.jsa`);
    settleClaims(dir, key, now);
    const s = statOrNull(archive);
    if (s) {
      // Used today: kept by the clean-up of unused archives (one write a day at most).
      if (now - s.mtimeMs > 24 * 3600_000) fs.utimesSync(archive, new Date(now), new Date(now));
      return [`${USER_FLAG}${archive}`];
    }
    if (claimsOf(dir, key).some((c) => now - (statOrNull(c)?.mtimeMs ?? 0) < MAKER_ALONE_MS)) return [];
    fs.mkdirSync(dir, { recursive: true });
    // The key's first JVM only marks it seen; the second makes the archive. A classpath met once (a
    // copy of an engine, a lib/ changed for one start) then never pays for dumping an archive no JVM
    // would use, nor leaves one on disk.
    const seen = path.join(dir, `${key}.seen`);
    if (!statOrNull(seen)) {
      fs.writeFileSync(seen, '');
      return [];
    }
    const claim = path.join(dir, `${key}.${process.pid}-${randomBytes(4).toString('hex')}.making`);
    fs.writeFileSync(claim, '', { flag: 'wx' });
    // The maker's warnings about classes it cannot archive (old class versions, ...) say nothing to act on.
    return [`${MAKER_FLAG}${claim}`, '-Xlog:cds=off'];
  } catch {
    return [];
  }
}

/** True for the arguments of a JVM that writes a class-data archive as it exits. */
export const makesArchive = (args: string[]): boolean => args.some((a) => a.startsWith(MAKER_FLAG));

/**
 * After a JVM started with `args` has exited: the archive it made, when complete, becomes its key's
 * archive (the first one published stays; a later one is deleted), and an incomplete one is deleted.
 */
export function publishArchive(args: string[], now: number = Date.now()): void {
  const made = args.find((a) => a.startsWith(MAKER_FLAG))?.slice(MAKER_FLAG.length);
  if (!made) return;
  try {
    publish(made, now);
  } catch {
    /* best effort: the next start of the key settles the claim */
  }
}

/** The final name of a claim file: `<key>.<maker>.making` → `<key>.jsa`. */
const archiveOf = (claim: string) =>
  path.join(path.dirname(claim), `${path.basename(claim).split('.')[0]}.jsa`);

function publish(claim: string, now: number): boolean {
  if (!completeArchive(claim)) {
    fs.rmSync(claim, { force: true });
    return false;
  }
  try {
    // A hard link never replaces an existing name: of makers finishing together, the first wins.
    fs.linkSync(claim, archiveOf(claim));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  fs.rmSync(claim, { force: true });
  pruneUnused(path.dirname(claim), archiveOf(claim), now);
  return true;
}

/** True when the file is a dynamic archive whose header has been written (HotSpot writes it last). */
export function completeArchive(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4);
    return fs.readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === DYNAMIC_ARCHIVE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * Each claim of the key whose maker is gone: published when its archive is complete (a maker whose
 * exit no one saw: a platform restarted in between), deleted when not (a maker killed with SIGKILL).
 */
function settleClaims(dir: string, key: string, now: number): void {
  for (const claim of claimsOf(dir, key)) {
    if (completeArchive(claim)) publish(claim, now);
    else if (!makerAlive(claim, now)) fs.rmSync(claim, { force: true });
  }
}

function claimsOf(dir: string, key: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(`${key}.`) && f.endsWith('.making'))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** A claim's maker is alive when a process's command line names the claim, or the claim is new. */
function makerAlive(claim: string, now: number): boolean {
  const s = statOrNull(claim);
  if (s && now - s.mtimeMs < CLAIM_GRACE_MS) return true;
  const flag = `${MAKER_FLAG}${claim}`;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(flag)) return true;
    } catch {
      /* gone meanwhile */
    }
  }
  return false;
}

/**
 * Archives and seen marks unused for UNUSED_FOR_MS go; then, while the archives weigh more than
 * MAX_TOTAL_BYTES, the least recently used (by the day) go, never the one just published.
 */
function pruneUnused(dir: string, published: string, now: number): void {
  const kept: { file: string; size: number; used: number }[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.jsa') && !f.endsWith('.seen')) continue;
    const file = path.join(dir, f);
    const s = statOrNull(file);
    if (!s) continue;
    if (now - s.mtimeMs > UNUSED_FOR_MS) fs.rmSync(file, { force: true });
    else if (f.endsWith('.jsa') && file !== published) kept.push({ file, size: s.size, used: s.mtimeMs });
  }
  let total = kept.reduce((n, a) => n + a.size, statOrNull(published)?.size ?? 0);
  for (const a of kept.sort((x, y) => x.used - y.used)) {
    if (total <= MAX_TOTAL_BYTES) break;
    fs.rmSync(a.file, { force: true });
    total -= a.size;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
