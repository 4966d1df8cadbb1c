import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inspectDistribution } from '../distribution.ts';
import { findJava } from '../../system/prerequisites.ts';
import { classDataDir, classDataOptions } from './class-data.ts';
import { memoryParams } from './jvm.ts';

/**
 * Real JVMs of the test run's Flink 1.20 engine: Flink's memory calculation (BashJavaUtils, the
 * shortest Flink JVM a cluster start runs) records its archive, the next one maps it.
 */
describe('class-data archives of the local Flink JVMs', () => {
  let dir: string;
  let conf: string;
  const java = findJava().path;
  const classpath = () => inspectDistribution(inject('engineHome')).classpath;
  const main = 'org.apache.flink.runtime.util.bash.BashJavaUtils';
  const ask = () => classDataOptions({ dir, java, classpath: classpath(), mainClass: main });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-class-data-'));
    conf = path.join(dir, 'conf');
    fs.mkdirSync(conf);
    fs.writeFileSync(
      path.join(conf, 'config.yaml'),
      'jobmanager.memory.process.size: 1024m\ntaskmanager.memory.process.size: 1280m\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records an archive at the first JVM, checks it and maps it from the next; the results are the same', () => {
    const plain = memoryParams(java, classpath(), conf, 'GET_JM_RESOURCE_PARAMS');
    const first = ask();
    expect(first).toEqual([
      '-XX:+VerifySharedSpaces',
      expect.stringMatching(/^-XX:ArchiveClassesAtExit=.*\/BashJavaUtils-\w+\.jsa\.part-\w+$/),
    ]);
    // Asking writes nothing: the calculation asks again, and records.
    expect(memoryParams(java, classpath(), conf, 'GET_JM_RESOURCE_PARAMS', { dir, java })).toEqual(plain);
    const parts = fs.readdirSync(dir).filter((f) => f.includes('.part-'));
    expect(parts).toHaveLength(1);

    const used = ask();
    expect(used).toEqual([
      expect.stringMatching(/^-XX:SharedArchiveFile=.*\/BashJavaUtils-\w+\.jsa$/),
      '-Xshare:auto',
    ]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.part-'))).toEqual([]);
    // Mapped for real: -Xshare:on fails rather than run without it, and Flink's classes come from it.
    const r = spawnSync(
      java,
      [
        used[0]!,
        '-Xshare:on',
        '-Xlog:class+load=info',
        '-cp',
        classpath().join(':'),
        main,
        'GET_TM_RESOURCE_PARAMS',
        '--configDir',
        conf,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /org\.apache\.flink\.configuration\.Configuration source: shared objects file \(top\)/,
    );
    expect(memoryParams(java, classpath(), conf, 'GET_TM_RESOURCE_PARAMS', { dir, java })).toEqual(
      memoryParams(java, classpath(), conf, 'GET_TM_RESOURCE_PARAMS'),
    );
  });

  it('drops an archive cut short (a JVM killed while writing it) or damaged instead of giving it to a JVM', () => {
    const [archive] = fs.readdirSync(dir).filter((f) => f.endsWith('.jsa'));
    const whole = fs.readFileSync(path.join(dir, archive!));
    fs.rmSync(path.join(dir, archive!));
    const cut = path.join(dir, `${archive}.part-cut`);
    fs.writeFileSync(cut, whole.subarray(0, whole.length / 2));
    // Whole, but bytes in the middle of its classes changed: its checksums tell.
    const damaged = path.join(dir, `${archive}.part-damaged`);
    const changed = Buffer.from(whole);
    changed.fill(0x55, changed.length / 2, changed.length / 2 + 4);
    fs.writeFileSync(damaged, changed);
    const next = ask();
    expect(next).toEqual([
      '-XX:+VerifySharedSpaces',
      expect.stringMatching(/^-XX:ArchiveClassesAtExit=.*\.part-\w+$/),
    ]);
    expect(fs.existsSync(cut)).toBe(false);
    expect(fs.existsSync(damaged)).toBe(false);
    expect(fs.existsSync(path.join(dir, archive!))).toBe(false);
  });

  it('lets one JVM of a kind record at a time; a recording never finished is recorded again', async () => {
    const flags = ask();
    const flag = flags.at(-1)!;
    // A JVM recording to that file, alive until its input closes (the launcher's source-file mode).
    const wait = path.join(dir, 'Wait.java');
    fs.writeFileSync(
      wait,
      'class Wait { public static void main(String[] a) throws Exception { System.in.read(); } }',
    );
    const jvm = spawn(java, [...flags, wait], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await expect.poll(() => fs.readFileSync(`/proc/${jvm.pid}/cmdline`, 'utf8')).toContain(flag);
      expect(ask()).toEqual([]);
    } finally {
      jvm.kill('SIGKILL');
      await new Promise((r) => jvm.once('exit', r));
    }
    // Killed before writing anything: the next JVM records.
    expect(ask()).toEqual(['-XX:+VerifySharedSpaces', expect.stringMatching(/^-XX:ArchiveClassesAtExit=/)]);
  });

  it("adds nothing when the process's own options decide class sharing", () => {
    for (const own of [
      '-Xshare:off',
      '-XX:SharedArchiveFile=/opt/mine.jsa',
      '-XX:ArchiveClassesAtExit=/tmp/x.jsa',
    ])
      expect(
        classDataOptions({ dir, java, classpath: classpath(), mainClass: main, javaOptions: [own] }),
      ).toEqual([]);
  });

  it('keeps an engine Sluice assembled its archives inside it, any other in the cache', () => {
    expect(classDataDir(inject('engineHome'))).toBe(path.join(inject('engineHome'), 'sluice-class-data'));
    expect(classDataDir(dir, { XDG_CACHE_HOME: '/c' })).toBe('/c/sluice/class-data');
  });
});
