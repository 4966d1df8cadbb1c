import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDistribution } from '../distribution.ts';
import { mavenFailure, parseDependencyList, provisionFlink } from './maven-provisioner.ts';
import { readManifest } from './engine-manifest.ts';

/**
 * The real provisioner with a fresh, empty Maven local repository. Downloads come through a file://
 * mirror of the user's Maven cache (filled by the test run's global setup from Maven Central), so
 * "from an empty cache" is real Maven resolution without fetching 140 MB from the network twice.
 */
describe('provisioning Flink from Maven', () => {
  let dir: string;
  let repo: string;
  const mirror = `file://${path.join(os.homedir(), '.m2', 'repository')}`;
  const provision = (extra: Partial<Parameters<typeof provisionFlink>[0]> = {}) => {
    const lines: string[] = [];
    return provisionFlink({
      enginesDir: path.join(dir, 'engines'),
      version: '1.20',
      mavenLocalRepository: repo,
      mavenMirror: mirror,
      progress: (l) => lines.push(l),
      ...extra,
    }).then((r) => ({ ...r, lines }));
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-provision-'));
    repo = path.join(dir, 'm2');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('assembles a runnable installation from an empty cache, showing progress', async () => {
    const r = await provision();
    expect(r.alreadyInstalled).toBe(false);
    expect(r.flinkVersion).toBe('1.20.3');
    expect(r.downloaded).toBeGreaterThan(r.artifacts); // jars, poms and checksums
    expect(r.lines.some((l) => /^downloaded flink-runtime-1\.20\.3\.jar/.test(l))).toBe(true);
    const dist = inspectDistribution(r.home);
    expect(dist.flinkVersion).toBe('1.20.3');
    const names = dist.classpath.map((p) => path.basename(p));
    for (const jar of [
      'flink-runtime-1.20.3.jar',
      'flink-table-planner-loader-1.20.3.jar',
      'flink-connector-kafka-3.4.0-1.20.jar',
      'log4j-core-2.24.3.jar',
    ])
      expect(names).toContain(jar);
    expect(names.some((n) => n.startsWith('flink-sql-gateway'))).toBe(false);
    expect(dist.gatewayJars.map((p) => path.basename(p))).toEqual([
      'flink-sql-gateway-1.20.3.jar',
      'flink-sql-gateway-api-1.20.3.jar',
    ]);
    expect(readManifest(r.home)?.artifacts).toHaveLength(r.artifacts);
    // Flink's Prometheus reporter, as a plugin (its own class loader), where Flink's distribution keeps it.
    expect(fs.readdirSync(path.join(r.home, 'plugins', 'metrics-prometheus'))).toEqual([
      'flink-metrics-prometheus-1.20.3.jar',
    ]);
    expect(readManifest(r.home)?.artifacts.map((a) => a.file)).toContain(
      'plugins/metrics-prometheus/flink-metrics-prometheus-1.20.3.jar',
    );
    // Flink's SQL parser helper (syntax checks) is built with the engine, beside it.
    expect(r.lines).toContain("built Flink 1.20.3's SQL parser helper");
    expect(fs.existsSync(path.join(r.home, 'sluice-sql-parser', 'sluice-sql-parser.jar'))).toBe(true);
  });

  it('re-running downloads nothing and does not call Maven', async () => {
    const r = await provision({ env: { ...process.env, PATH: pathWithout('mvn') } });
    expect(r).toMatchObject({ alreadyInstalled: true, downloaded: 0 });
    expect(r.lines.some((l) => /SQL parser helper/.test(l))).toBe(false);
  });

  it('adds the reporter plugin to an engine assembled without it, leaving the rest as it is', async () => {
    const home = path.join(dir, 'engines', 'flink-1.20.3');
    const plugin = 'plugins/metrics-prometheus/flink-metrics-prometheus-1.20.3.jar';
    // An engine assembled before the plugin joined the recipe: no plugins/ and no manifest entry.
    fs.rmSync(path.join(home, 'plugins'), { recursive: true });
    const before = readManifest(home)!;
    fs.writeFileSync(
      path.join(home, 'sluice-engine.json'),
      JSON.stringify({ ...before, artifacts: before.artifacts.filter((a) => a.file !== plugin) }),
    );
    const runtimeJar = path.join(home, 'lib', 'flink-runtime-1.20.3.jar');
    const inode = fs.statSync(runtimeJar).ino;
    const r = await provision();
    expect(r.alreadyInstalled).toBe(true);
    expect(r.lines).toContain(
      `adding org.apache.flink:flink-metrics-prometheus:1.20.3 to Flink 1.20.3 at ${home} (plugins/)`,
    );
    expect(fs.statSync(runtimeJar).ino).toBe(inode); // not assembled again
    expect(fs.existsSync(path.join(home, plugin))).toBe(true);
    expect(readManifest(home)!.artifacts).toHaveLength(before.artifacts.length);
    expect(readManifest(home)!.assembledAt).toBe(before.assembledAt);
    // Added once: the next run finds it and needs no Maven.
    const again = await provision({ env: { ...process.env, PATH: pathWithout('mvn') } });
    expect(again).toMatchObject({ alreadyInstalled: true, downloaded: 0 });
  });

  it('says which plugin Maven could not fetch, and leaves the engine as it was', async () => {
    const home = path.join(dir, 'engines', 'flink-1.20.3');
    fs.rmSync(path.join(home, 'plugins'), { recursive: true });
    const manifest = fs.readFileSync(path.join(home, 'sluice-engine.json'), 'utf8');
    const empty = fs.mkdtempSync(path.join(dir, 'empty-repo-'));
    await expect(
      provision({ mavenMirror: `file://${empty}`, mavenLocalRepository: path.join(dir, 'm2-empty') }),
    ).rejects.toThrow(
      /Flink 1\.20\.3 lacks the plugin org\.apache\.flink:flink-metrics-prometheus:1\.20\.3 and Maven could not fetch it: .*The engine was left as it was/s,
    );
    expect(fs.readFileSync(path.join(home, 'sluice-engine.json'), 'utf8')).toBe(manifest);
    expect(fs.existsSync(path.join(home, 'lib', 'flink-runtime-1.20.3.jar'))).toBe(true);
    await provision(); // fetched again from the test's mirror for the cases below
    expect(fs.existsSync(path.join(home, 'plugins', 'metrics-prometheus'))).toBe(true);
  });

  it('re-assembles a damaged installation from the cache without downloading', async () => {
    const home = path.join(dir, 'engines', 'flink-1.20.3');
    fs.writeFileSync(path.join(home, 'lib', 'flink-json-1.20.3.jar'), 'truncated');
    const r = await provision();
    expect(
      r.lines.some((l) => l.includes('incomplete or damaged') && l.includes('flink-json-1.20.3.jar')),
    ).toBe(true);
    expect(r).toMatchObject({ alreadyInstalled: false, downloaded: 0 });
    expect((await provision()).alreadyInstalled).toBe(true);
  });

  it('detects a broken download by its checksum and fetches it again', async () => {
    fs.rmSync(path.join(dir, 'engines'), { recursive: true });
    const jar = path.join(repo, 'org/apache/flink/flink-csv/1.20.3/flink-csv-1.20.3.jar');
    fs.writeFileSync(jar, Buffer.from('not a jar: the connection dropped'));
    const r = await provision();
    expect(r.repairedArtifacts).toEqual(['org.apache.flink:flink-csv:1.20.3']);
    expect(r.lines.some((l) => l.startsWith('checksum mismatch: flink-csv-1.20.3'))).toBe(true);
    expect(r.downloaded).toBeGreaterThan(0);
    expect(fs.statSync(jar).size).toBeGreaterThan(10_000);
  });

  it('without java: a clear error that says what to install, and nothing is created', async () => {
    const enginesDir = path.join(dir, 'no-java');
    const env = { PATH: pathWithout('java'), HOME: os.homedir() };
    await expect(provision({ enginesDir, env })).rejects.toThrow(
      /Java was not found: no `java` on PATH and no JAVA_HOME.*openjdk-17/,
    );
    expect(fs.existsSync(enginesDir)).toBe(false);
  });

  it('without Maven: a clear error naming mvn and the alternative', async () => {
    await expect(
      provision({ enginesDir: path.join(dir, 'no-mvn'), env: { PATH: pathWithout('mvn') } }),
    ).rejects.toThrow(/Maven \(`mvn`\) was not found on PATH.*sluice engine add --home/);
  });

  it('refuses a version it has no recipe for, naming the supported ones', async () => {
    await expect(provision({ version: '1.14' })).rejects.toThrow(
      /Flink 1\.14 cannot be provisioned: supported versions are 1\.19, 1\.20, 2\.2 /,
    );
  });
});

describe('reading Maven', () => {
  it('parses dependency:list output with absolute paths and classifiers', () => {
    const list = parseDependencyList(`
The following files have been resolved:
   org.apache.flink:flink-core:jar:1.20.3:compile:/r/flink-core-1.20.3.jar
   org.xerial.snappy:snappy-java:jar:linux:1.1.10.4:runtime:/r/snappy.jar -- module snappy
`);
    expect(list).toEqual([
      {
        groupId: 'org.apache.flink',
        artifactId: 'flink-core',
        version: '1.20.3',
        classifier: undefined,
        file: '/r/flink-core-1.20.3.jar',
      },
      {
        groupId: 'org.xerial.snappy',
        artifactId: 'snappy-java',
        version: '1.1.10.4',
        classifier: 'linux',
        file: '/r/snappy.jar',
      },
    ]);
  });

  it('explains a missing artifact and a missing network', () => {
    expect(
      mavenFailure([
        '[ERROR] Failed to execute goal on project x: Could not resolve dependencies: Could not find artifact org.apache.flink:flink-dist:jar:1.20.3 in central',
      ]).message,
    ).toMatch(/could not find org\.apache\.flink:flink-dist:jar:1\.20\.3 .*nothing was installed/);
    expect(
      mavenFailure([
        '[ERROR] Could not transfer artifact a:b:pom:1 from/to central: Unknown host repo.maven.apache.org',
      ]).message,
    ).toMatch(/could not reach the repository \(no network/);
  });
});

/** This process's PATH without the folders that hold `program`, through a folder of links to the rest. */
function pathWithout(program: string): string {
  const keep = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-no-${program}-`));
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (!d || !fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) {
      if (f === program || fs.existsSync(path.join(keep, f))) continue;
      try {
        fs.symlinkSync(path.join(d, f), path.join(keep, f));
      } catch {
        /* name clash */
      }
    }
  }
  return keep;
}
