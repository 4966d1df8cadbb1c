import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The lifecycle's unit tests: the use cases over the in-memory store and the fake Flink target. */
const FILES = [
  'src/application/submissions.test.ts',
  'src/application/tracker.test.ts',
  'src/application/reconciler.test.ts',
  'src/application/restart-policy.test.ts',
];

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  testResults: { assertionResults: { duration?: number | null }[] }[];
}

/** Runs them once with vitest's JSON reporter; the time is the tests' own, without loading the modules. */
export async function unit(scratch: string): Promise<void> {
  console.log('\n== lifecycle unit tests (fake target, in-memory store) ==');
  const out = path.join(scratch, 'unit-report.json');
  const root = path.resolve(import.meta.dirname, '..');
  const run = spawnSync('npx', ['vitest', 'run', ...FILES, '--reporter=json', `--outputFile=${out}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!fs.existsSync(out)) throw new Error(`vitest wrote no report: ${run.stderr}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport;
  const ms = report.testResults
    .flatMap((f) => f.assertionResults)
    .reduce((sum, t) => sum + (t.duration ?? 0), 0);
  console.log(`lifecycle unit tests: ${report.numTotalTests} tests in ${Math.round(ms)} ms`);
  if (report.numPassedTests !== report.numTotalTests)
    console.log(`  (${report.numTotalTests - report.numPassedTests} of them failed)`);
}
