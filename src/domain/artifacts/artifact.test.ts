import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import {
  artifactRefsIn,
  inUseRefusal,
  nameFromFile,
  parseArtifactRequest,
  parseMavenCoordinates,
} from './artifact.ts';
import { checkJar, checkJarSize, parseManifest } from './jar-check.ts';

describe('artifact names and references', () => {
  it('names an upload from its file name without version and extension', () => {
    expect(nameFromFile('my-udfs-1.2.0-SNAPSHOT.jar')).toBe('my-udfs');
    expect(nameFromFile('/tmp/x/flink-connector-kafka-3.3.0-1.20.jar')).toBe('flink-connector-kafka');
    expect(nameFromFile('Geo_Functions.jar')).toBe('geo_functions');
    expect(nameFromFile('udf.JAR')).toBe('udf');
    expect(nameFromFile('1.0.jar')).toBe('1.0');
  });
  it('reads name and name@version, and refuses anything else with the form to use', () => {
    expect(parseArtifactRequest('udfs')).toEqual({ name: 'udfs', version: null });
    expect(parseArtifactRequest('udfs@3')).toEqual({ name: 'udfs', version: 3 });
    expect(() => parseArtifactRequest('udfs@latest')).toThrow(/name or name@version/);
    expect(() => parseArtifactRequest('Bad Name')).toThrow(/not an artifact reference/);
    expect(() => parseArtifactRequest('UPPER')).toThrow(/not a valid artifact name/);
  });
  it('reads Maven coordinates with and without a classifier', () => {
    expect(parseMavenCoordinates('org.a:b:1.0')).toEqual({
      groupId: 'org.a',
      artifactId: 'b',
      version: '1.0',
      classifier: null,
    });
    expect(parseMavenCoordinates('org.a:b:1.0:tests').classifier).toBe('tests');
    expect(() => parseMavenCoordinates('org.a:b')).toThrow(/group:artifact:version/);
    expect(() => parseMavenCoordinates('org.a:b:1 0')).toThrow(/not Maven coordinates/);
  });
  it('finds references in SQL and JAR contents, ignoring what is not one', () => {
    const sqlJob = { sql: 'x', artifacts: [{ name: 'udfs', version: 2 }, { name: 'bad' }] };
    const jarJob = { jar: { name: 'app', version: 1 }, classpath: [{ name: 'lib', version: 4 }] };
    expect(artifactRefsIn(sqlJob)).toEqual([{ name: 'udfs', version: 2 }]);
    expect(artifactRefsIn(jarJob)).toEqual([
      { name: 'lib', version: 4 },
      { name: 'app', version: 1 },
    ]);
    expect(artifactRefsIn({ sql: 'x' })).toEqual([]);
    expect(artifactRefsIn(null)).toEqual([]);
  });
  it('names every job and version in a refusal', () => {
    const e = inUseRefusal('udfs', null, [
      { job: 'orders', jobVersion: 3, artifactVersion: 1 },
      { job: 'clicks', jobVersion: 1, artifactVersion: 2 },
      { job: 'orders', jobVersion: 1, artifactVersion: 1 },
    ]);
    expect(e).toBeInstanceOf(SluiceError);
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      'artifact udfs is used by job(s) clicks (v1), orders (v1, v3): delete those jobs or save versions of them without it first',
    );
    expect(inUseRefusal('udfs', 2, [{ job: 'a', jobVersion: 1, artifactVersion: 2 }]).message).toMatch(
      /^version 2 of artifact udfs is used by job\(s\) a \(v1\)/,
    );
  });
});

describe('jar checks', () => {
  const manifest =
    'Manifest-Version: 1.0\r\nMain-Class: org.acme.Jo\r\n b\r\nCreated-By: test\r\n\r\nName: x\r\nMain-Class: no\r\n';
  const facts = { entries: ['META-INF/MANIFEST.MF', 'org/acme/Job.class', 'org/acme/Job$1.class'], manifest };
  it('reads the main section with continuation lines', () => {
    expect(parseManifest(manifest)).toEqual({
      'Manifest-Version': '1.0',
      'Main-Class': 'org.acme.Job',
      'Created-By': 'test',
    });
  });
  it('accepts a jar whose entry class is in it, and says its Main-Class', () => {
    expect(checkJar(facts, 'a.jar')).toEqual({ mainClass: 'org.acme.Job' });
    expect(checkJar(facts, 'a.jar', 'org.acme.Job')).toEqual({ mainClass: 'org.acme.Job' });
  });
  it('refuses a jar without a manifest, or without the class it names', () => {
    expect(() => checkJar({ entries: ['a.class'], manifest: null }, 'a.jar')).toThrow(
      'a.jar has no META-INF/MANIFEST.MF',
    );
    expect(() => checkJar(facts, 'a.jar', 'org.acme.Other')).toThrow(
      'a.jar has no class org.acme.Other (it has 1 top-level classes)',
    );
    expect(() => checkJar({ ...facts, manifest: 'Main-Class: gone.Main\n' }, 'a.jar')).toThrow(
      'the manifest of a.jar names Main-Class gone.Main, which is not in the jar',
    );
  });
  it('refuses an empty file and one over the limit', () => {
    expect(() => checkJarSize(0, 10, 'a.jar')).toThrow('a.jar is empty');
    expect(() => checkJarSize(11, 10, 'a.jar')).toThrow(
      'a.jar has 11 bytes, more than the limit of 10 bytes',
    );
    expect(() => checkJarSize(10, 10, 'a.jar')).not.toThrow();
  });
});
