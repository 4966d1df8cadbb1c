import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  archiveKey,
  completeArchive,
  makesArchive,
  publishArchive,
  sharingFlags,
  withClassSharing,
} from './class-sharing.ts';
import { parseClassSharingSetting } from '../../domain/clusters/class-sharing-setting.ts';

/** The first bytes of a dynamic archive whose header HotSpot has written (CDS_DYNAMIC_ARCHIVE_MAGIC). */
const COMPLETE = Buffer.concat([Buffer.from([0xa8, 0xab, 0x0b, 0xf0]), Buffer.alloc(60, 7)]);
/** A dump cut short: the regions are written first, the header (zeros until then) last. */
const PARTIAL = Buffer.concat([Buffer.alloc(4096), Buffer.alloc(60, 7)]);
const MAIN = 'org.example.Main';

let scratch: string;
let dir: string;
let java: string;
let jars: string[];
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'class-sharing-'));
  dir = path.join(scratch, 'cds');
  // A java binary in a JDK's layout (bin/java beside lib/server/libjvm.so), and two jars.
  fs.mkdirSync(path.join(scratch, 'jdk', 'bin'), { recursive: true });
  fs.mkdirSync(path.join(scratch, 'jdk', 'lib', 'server'), { recursive: true });
  java = path.join(scratch, 'jdk', 'bin', 'java');
  fs.writeFileSync(java, '');
  fs.writeFileSync(path.join(scratch, 'jdk', 'lib', 'server', 'libjvm.so'), 'jvm 1');
  jars = ['a.jar', 'b.jar'].map((j) => path.join(scratch, j));
  for (const j of jars) fs.writeFileSync(j, j);
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

const env = () => ({ SLUICE_CDS_DIR: dir });
const launch = (args: string[] = []) => ({
  java,
  args: ['-Dx=1', ...args, '-cp', jars.join(':'), MAIN, '--flag'],
});
/** The folder's archives and claims (a key's seen mark aside). */
const files = () =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => !f.endsWith('.seen'))
        .sort()
    : [];
/** The key met once before: its next JVM makes the archive. */
const seenBefore = () => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${archiveKey(java, jars.join(':'), MAIN)}.seen`), '');
};
const flagValue = (args: string[], flag: string) => args.find((a) => a.startsWith(flag))?.slice(flag.length);

describe('the archive key', () => {
  it('is the same for the same java, main class and classpath, and names the main class', () => {
    const key = archiveKey(java, jars.join(':'), MAIN)!;
    expect(key).toMatch(/^Main-[0-9a-f]{24}$/);
    expect(archiveKey(java, jars.join(':'), MAIN)).toBe(key);
  });

  it('changes with the main class, the classpath order, a jar rewritten, or another JVM build', () => {
    const key = archiveKey(java, jars.join(':'), MAIN)!;
    expect(archiveKey(java, jars.join(':'), 'org.example.Other')).not.toBe(key);
    expect(archiveKey(java, [...jars].reverse().join(':'), MAIN)).not.toBe(key);
    fs.appendFileSync(jars[1]!, ' rebuilt');
    const rebuilt = archiveKey(java, jars.join(':'), MAIN)!;
    expect(rebuilt).not.toBe(key);
    fs.writeFileSync(path.join(scratch, 'jdk', 'lib', 'server', 'libjvm.so'), 'jvm 1.1');
    expect(archiveKey(java, jars.join(':'), MAIN)).not.toBe(rebuilt);
  });

  it('is none for a missing classpath entry or a folder with files (which CDS does not archive)', () => {
    expect(archiveKey(java, `${jars[0]}:${scratch}/gone.jar`, MAIN)).toBeNull();
    expect(archiveKey(path.join(scratch, 'no-java'), jars.join(':'), MAIN)).toBeNull();
    const classes = path.join(scratch, 'classes');
    fs.mkdirSync(classes);
    expect(archiveKey(java, `${classes}:${jars[0]}`, MAIN)).not.toBeNull();
    fs.writeFileSync(path.join(classes, 'Main.class'), '');
    expect(archiveKey(java, `${classes}:${jars[0]}`, MAIN)).toBeNull();
  });
});

describe('the flags a JVM starts with', () => {
  it('with no archive: the first JVM of a key only marks it seen, and runs without one', () => {
    expect(withClassSharing(launch(), env())).toEqual(launch().args);
    expect(fs.readdirSync(dir)).toEqual([`${archiveKey(java, jars.join(':'), MAIN)}.seen`]);
  });

  it('with no archive, the key seen before: makes one into a claim file of its own, placed before the classpath', () => {
    seenBefore();
    const args = withClassSharing(launch(), env());
    const claim = flagValue(args, '-XX:ArchiveClassesAtExit=')!;
    expect(path.dirname(claim)).toBe(dir);
    expect(path.basename(claim)).toMatch(/^Main-[0-9a-f]{24}\.\d+-[0-9a-f]{8}\.making$/);
    expect(fs.existsSync(claim)).toBe(true);
    expect(makesArchive(args)).toBe(true);
    expect(makesArchive(launch().args)).toBe(false);
    expect(args).toEqual([
      '-Dx=1',
      `-XX:ArchiveClassesAtExit=${claim}`,
      '-Xlog:cds=off',
      '-cp',
      jars.join(':'),
      MAIN,
      '--flag',
    ]);
  });

  it('while another JVM makes the archive: none, rather than a second maker', () => {
    seenBefore();
    withClassSharing(launch(), env());
    expect(withClassSharing(launch(), env())).toEqual(launch().args);
    expect(files().filter((f) => f.endsWith('.making'))).toHaveLength(1);
  });

  it('with the archive made: uses it', () => {
    seenBefore();
    const claim = flagValue(withClassSharing(launch(), env()), '-XX:ArchiveClassesAtExit=')!;
    fs.writeFileSync(claim, COMPLETE);
    const key = archiveKey(java, jars.join(':'), MAIN)!;
    expect(withClassSharing(launch(), env())).toEqual([
      '-Dx=1',
      `-XX:SharedArchiveFile=${path.join(dir, `${key}.jsa`)}`,
      '-cp',
      jars.join(':'),
      MAIN,
      '--flag',
    ]);
    expect(files()).toEqual([`${key}.jsa`]);
  });

  it('with SLUICE_CDS=off, options of its own about sharing, or no classpath: unchanged', () => {
    expect(withClassSharing(launch(), { ...env(), SLUICE_CDS: 'off' })).toEqual(launch().args);
    for (const own of [
      '-Xshare:off',
      `-XX:SharedArchiveFile=${scratch}/mine.jsa`,
      '-XX:ArchiveClassesAtExit=x',
    ])
      expect(withClassSharing(launch([own]), env())).toEqual(launch([own]).args);
    const jar = { java, args: ['-jar', jars[0]!] };
    expect(withClassSharing(jar, env())).toEqual(jar.args);
    expect(files()).toEqual([]);
  });

  it('when the archive folder cannot be written: unchanged, never a failed start', () => {
    fs.writeFileSync(path.join(scratch, 'file'), '');
    const blocked = { SLUICE_CDS_DIR: path.join(scratch, 'file', 'cds') };
    expect(withClassSharing(launch(), blocked)).toEqual(launch().args);
  });

  it('refuses a SLUICE_CDS that is neither on nor off, naming the variable', () => {
    expect(() => withClassSharing(launch(), { ...env(), SLUICE_CDS: 'yes' })).toThrow(
      /SLUICE_CDS: 'yes' is not a setting/,
    );
    expect(parseClassSharingSetting({ SLUICE_CDS: 'on' })).toEqual({
      enabled: true,
      dir: path.join(os.homedir(), '.cache', 'sluice', 'cds'),
    });
    expect(parseClassSharingSetting({ SLUICE_CDS: ' off ' })).toEqual({ enabled: false });
  });
});

describe('publishing what a maker wrote', () => {
  const make = () => {
    seenBefore();
    const args = withClassSharing(launch(), env());
    return { args, claim: flagValue(args, '-XX:ArchiveClassesAtExit=')! };
  };
  const archive = () => path.join(dir, `${archiveKey(java, jars.join(':'), MAIN)}.jsa`);

  it('a complete archive takes the key’s name; the claim is gone', () => {
    const { args, claim } = make();
    fs.writeFileSync(claim, COMPLETE);
    publishArchive(args);
    expect(files()).toEqual([path.basename(archive())]);
    expect(fs.readFileSync(archive())).toEqual(COMPLETE);
  });

  it('an archive cut short (a SIGKILLed maker), or none (a maker that failed), is not published', () => {
    const { args, claim } = make();
    fs.writeFileSync(claim, PARTIAL);
    expect(completeArchive(claim)).toBe(false);
    publishArchive(args);
    expect(files()).toEqual([]);
    const second = make();
    fs.rmSync(second.claim);
    publishArchive(second.args);
    expect(files()).toEqual([]);
  });

  it('of two makers, the first published stays and the second’s file is deleted', () => {
    const first = make();
    // A second maker: the first's claim was taken for stale (its JVM started before the other saw it).
    const second = { args: first.args.map((a) => a.replace('.making', '-2.making')) };
    const secondClaim = flagValue(second.args, '-XX:ArchiveClassesAtExit=')!;
    fs.writeFileSync(first.claim, COMPLETE);
    fs.writeFileSync(secondClaim, Buffer.concat([COMPLETE, Buffer.from('other')]));
    publishArchive(first.args);
    publishArchive(second.args);
    expect(files()).toEqual([path.basename(archive())]);
    expect(fs.readFileSync(archive())).toEqual(COMPLETE);
  });

  it('a claim whose maker is gone unseen is settled by the next start: published if complete, else dropped', () => {
    const key = archiveKey(java, jars.join(':'), MAIN);
    // A maker killed with SIGKILL: its empty claim counts as its maker's for 30 s, then as no one's
    // (no live process names it), and the next start makes the archive instead.
    const killed = make();
    expect(sharingFlags(dir, key, Date.now() + 10_000)).toEqual([]);
    const next = flagValue(sharingFlags(dir, key, Date.now() + 60_000), '-XX:ArchiveClassesAtExit=')!;
    expect(next).not.toBe(killed.claim);
    expect(fs.existsSync(killed.claim)).toBe(false);
    // A maker that dumped while no platform watched it (adopted, then stopped by another).
    fs.writeFileSync(next, COMPLETE);
    expect(sharingFlags(dir, key)).toEqual([`-XX:SharedArchiveFile=${archive()}`]);
    expect(files()).toEqual([path.basename(archive())]);
  });

  it('a maker still running after 5 minutes no longer keeps the next JVM from making one too', async () => {
    const key = archiveKey(java, jars.join(':'), MAIN);
    const first = make();
    // A live process whose command line names the claim: a long-lived maker (a JobManager). After
    // `--`, or node takes the -XX: argument for an option of its own and exits.
    const maker = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', first.args[1]!], {
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => maker.once('spawn', r));
      expect(sharingFlags(dir, key, Date.now() + 60_000)).toEqual([]);
      expect(fs.existsSync(first.claim)).toBe(true);
      const second = flagValue(sharingFlags(dir, key, Date.now() + 6 * 60_000), '-XX:ArchiveClassesAtExit=');
      expect(second).toBeDefined();
      expect(second).not.toBe(first.claim);
      expect(fs.existsSync(first.claim)).toBe(true);
    } finally {
      maker.kill('SIGKILL');
    }
  });

  it('removes archives unused for 30 days when publishing another', () => {
    fs.mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'Old-000000000000000000000000.jsa');
    fs.writeFileSync(old, COMPLETE);
    const longAgo = new Date(Date.now() - 31 * 24 * 3600_000);
    fs.utimesSync(old, longAgo, longAgo);
    const { args, claim } = make();
    fs.writeFileSync(claim, COMPLETE);
    publishArchive(args);
    expect(files()).toEqual([path.basename(archive())]);
  });

  it('past 3 GiB of archives, removes the least recently used when publishing another', () => {
    fs.mkdirSync(dir, { recursive: true });
    // Sparse files: their sizes count, their blocks are not written.
    const older = path.join(dir, 'Older-000000000000000000000000.jsa');
    const newer = path.join(dir, 'Newer-000000000000000000000000.jsa');
    for (const [file, daysAgo] of [
      [older, 3],
      [newer, 1],
    ] as const) {
      fs.writeFileSync(file, COMPLETE);
      fs.truncateSync(file, 1600 * 1024 ** 2);
      const at = new Date(Date.now() - daysAgo * 24 * 3600_000);
      fs.utimesSync(file, at, at);
    }
    const { args, claim } = make();
    fs.writeFileSync(claim, COMPLETE);
    publishArchive(args);
    expect(files()).toEqual([path.basename(newer), path.basename(archive())].sort());
  });
});
