import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildUdfJar } from '../../../../test/support/udf-jar.ts';
import { scanJar } from './udf-scanner.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-udf-scan-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the UDF scanner (a JVM over the engine jars)', () => {
  it('lists the concrete function classes of a jar with their kinds and signatures', async () => {
    const jar = buildUdfJar(scratch, inject('engineHome'));
    const result = await scanJar(inject('engineHome'), scratch, jar);
    expect(result.unreadableClasses).toBe(0);
    const byClass = Object.fromEntries(result.functions.map((f) => [f.className, f]));
    expect(Object.keys(byClass).sort()).toEqual([
      'dev.sluice.udf.SplitWords',
      'dev.sluice.udf.ToUpper',
      'dev.sluice.udf.WeightedAvg',
    ]);
    expect(byClass['dev.sluice.udf.ToUpper']!.kind).toBe('scalar');
    expect(
      byClass['dev.sluice.udf.ToUpper']!.signatures.sort((a, b) => a.parameters.length - b.parameters.length),
    ).toEqual([
      { parameters: ['String'], returns: 'String' },
      { parameters: ['Integer', 'Boolean'], returns: 'String' },
    ]);
    expect(byClass['dev.sluice.udf.SplitWords']).toEqual({
      className: 'dev.sluice.udf.SplitWords',
      kind: 'table',
      signatures: [{ parameters: ['String'], returns: 'String' }],
    });
    expect(byClass['dev.sluice.udf.WeightedAvg']).toEqual({
      className: 'dev.sluice.udf.WeightedAvg',
      kind: 'aggregate',
      signatures: [{ parameters: ['Long', 'Integer'], returns: 'Double' }],
    });
  });

  it('reuses its build and finds nothing in a jar of no functions', async () => {
    const classes = path.join(scratch, 'plain');
    fs.mkdirSync(path.join(classes, 'x'), { recursive: true });
    fs.writeFileSync(path.join(classes, 'x', 'A.txt'), 'not a class');
    const { execFileSync } = await import('node:child_process');
    const jar = path.join(scratch, 'plain.jar');
    execFileSync('jar', ['--create', '--file', jar, '-C', classes, '.']);
    const started = Date.now();
    expect(await scanJar(inject('engineHome'), scratch, jar)).toEqual({
      functions: [],
      unreadableClasses: 0,
    });
    expect(fs.readdirSync(path.join(scratch, 'udf-scanner', 'flink-1.20.3'))).toHaveLength(1);
    console.log(`scan of a jar with a cached scanner: ${Date.now() - started} ms`);
  });
});
