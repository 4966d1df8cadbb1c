/**
 * `npm run bench artifacts`: what checking and storing a jar costs (a small UDF jar, and a 64 MiB
 * one), and reading the functions of a jar: the first time (the scanner is compiled against the
 * engine's jars) and then (one JVM per scan).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildUdfJar } from '../test/support/udf-jar.ts';
import { benchPlatform, median } from './platform.ts';

const ms = (x: number) => `${x.toFixed(0)} ms`;

export async function artifacts(scratch: string): Promise<void> {
  console.log('\n== artifacts: check and store a jar; read the functions in it ==');
  const platform = await benchPlatform(scratch, 'artifacts-home');
  try {
    const engineHome = (await platform.engines.default())!.home;
    const dir = path.join(scratch, 'artifact-jars');
    fs.mkdirSync(path.join(dir, 'big'), { recursive: true });
    const udf = fs.readFileSync(buildUdfJar(dir, engineHome));
    // Random bytes do not compress: the jar is as large as its content.
    fs.writeFileSync(path.join(dir, 'big', 'noise.bin'), randomBytes(64 << 20));
    execFileSync('jar', ['--create', '--file', path.join(dir, 'big.jar'), '-C', path.join(dir, 'big'), '.']);
    const big = fs.readFileSync(path.join(dir, 'big.jar'));
    for (const [label, bytes] of [
      [`UDF jar (${(udf.length / 1024).toFixed(1)} KiB)`, udf],
      [`64 MiB jar`, big],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await platform.artifacts.upload({ bytes, fileName: 'bench.jar', name: `bench-${i}` }, 'bench');
        times.push(performance.now() - t0);
      }
      console.log(
        `upload (check zip and manifest, sha256, store, record), ${label}: ${ms(median(times))} median of 5`,
      );
    }
    const t0 = performance.now();
    await platform.artifacts.functions('bench-0', 1);
    console.log(
      `functions of the UDF jar, first scan (scanner compiled once for the engine): ${ms(performance.now() - t0)}`,
    );
    const scans: number[] = [];
    for (let i = 1; i < 5; i++) {
      const t = performance.now();
      await platform.artifacts.functions(`bench-${i}`, 1);
      scans.push(performance.now() - t);
    }
    console.log(
      `functions of the UDF jar, scanner built (one JVM per scan): ${ms(median(scans))} median of 4`,
    );
    const t1 = performance.now();
    await platform.artifacts.functions('bench-0', 1);
    console.log(`functions of a version read before (kept in the store): ${ms(performance.now() - t1)}`);
  } finally {
    await platform.close();
  }
}
