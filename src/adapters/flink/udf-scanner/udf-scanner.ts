import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { UdfFunction } from '../../../domain/artifacts/functions.ts';
import { findJava } from '../../system/prerequisites.ts';
import { inspectDistribution } from '../distribution.ts';

const exec = promisify(execFile);

export const SCANNER_SOURCE = path.join(import.meta.dirname, 'java', 'SluiceUdfScanner.java');

/** What the scanner found in a jar. */
export interface ScanResult {
  functions: UdfFunction[];
  /** Classes that could not be loaded (they need jars that are not there): not functions we can list. */
  unreadableClasses: number;
}

/**
 * Compiles the scanner against an engine's own jars, once per source, engine jars and JDK (a stamp
 * names them), into `<sluiceHome>/udf-scanner/flink-<version>/`; returns the classpath to run it with.
 */
export async function ensureUdfScanner(
  engineHome: string,
  sluiceHome: string,
  env = process.env,
): Promise<{
  java: string;
  classpath: string[];
}> {
  const dist = inspectDistribution(engineHome);
  const java = findJava(env);
  const jdkBin = path.dirname(fs.realpathSync(java.path));
  const dir = path.join(sluiceHome, 'udf-scanner', `flink-${dist.flinkVersion}`);
  const stamp = createHash('sha1')
    .update(fs.readFileSync(SCANNER_SOURCE))
    .update(JSON.stringify(dist.classpath.map((j) => `${path.basename(j)}:${fs.statSync(j).size}`)))
    .update(java.description)
    .digest('hex');
  const classes = path.join(dir, stamp);
  if (!fs.existsSync(path.join(classes, 'SluiceUdfScanner.class'))) {
    const scratch = `${classes}.tmp-${process.pid}-${Date.now()}`;
    fs.mkdirSync(scratch, { recursive: true });
    try {
      await exec(path.join(jdkBin, 'javac'), [
        '--release',
        '11',
        '-nowarn',
        '-d',
        scratch,
        '-cp',
        dist.classpath.join(path.delimiter),
        SCANNER_SOURCE,
      ]);
      fs.rmSync(classes, { recursive: true, force: true });
      fs.renameSync(scratch, classes);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { java: java.path, classpath: [classes, ...dist.classpath] };
}

/** Runs the scanner over one jar in a JVM of its own (a jar's classes never enter a long-lived process). */
export async function scanJar(engineHome: string, sluiceHome: string, jar: string): Promise<ScanResult> {
  const { java, classpath } = await ensureUdfScanner(engineHome, sluiceHome);
  const { stdout } = await exec(
    java,
    [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-cp',
      classpath.join(path.delimiter),
      'SluiceUdfScanner',
      jar,
    ],
    { timeout: 60_000, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as ScanResult;
}
