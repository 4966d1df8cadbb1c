import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerUnderTest } from './server.ts';
import { authHeaders } from './credentials.ts';
import { homeFlinkFetch } from './flink-tls.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Where scripts/prerequisites.sh --test installs the pinned schemathesis. */
export const SCHEMATHESIS_VENV =
  process.env.SLUICE_SCHEMATHESIS_VENV ?? path.join(os.homedir(), '.cache/sluice/schemathesis-venv');
export const CONTRACT_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
] as const;

export interface ContractRun {
  exitCode: number | null;
  /** schemathesis's own report: failures with their curl reproduction, the seed. */
  output: string;
  operations: { selected: number; tested: number; total: number };
  cases: number;
  /** Cases with at least one failed check, and distinct failures. */
  failures: number;
  uniqueFailures: number;
  errors: number;
  seconds: number;
}

/**
 * Schemathesis over every operation of the server's /api/openapi.json (test/contract/schemathesis.toml
 * says which are held back and why), with the four checks of the contract and at most `maxExamples`
 * cases per operation and phase. It runs in a scratch folder, so that its example database and
 * reports never land in the checkout.
 */
export async function runContract(base: string, maxExamples: number): Promise<ContractRun> {
  const bin = path.join(SCHEMATHESIS_VENV, 'bin/schemathesis');
  if (!fs.existsSync(bin))
    throw new Error(`${bin} is missing: run bash scripts/prerequisites.sh --test (it installs schemathesis)`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-contract-'));
  try {
    const args = [
      '--no-color',
      '--config-file',
      path.join(ROOT, 'test/contract/schemathesis.toml'),
      'run',
      `${base}/api/openapi.json`,
      '--checks',
      CONTRACT_CHECKS.join(','),
      '--max-examples',
      String(maxExamples),
      // One worker: with two, Python 3.11's ast.parse (Hypothesis describing a filter) is not
      // thread-safe and fails a phase at random ("AST constructor recursion depth mismatch").
      '--workers',
      '1',
      '--generation-database',
      'none',
      // As the first admin: test/e2e/access.test.ts calls every operation without one.
      ...Object.entries(authHeaders(base)).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
      '--report',
      'json',
      '--report-json-path',
      path.join(scratch, 'report.json'),
    ];
    const started = performance.now();
    let output = '';
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(bin, args, { cwd: scratch, env: { ...process.env, NO_COLOR: '1' } });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    const reportFile = path.join(scratch, 'report.json');
    if (!fs.existsSync(reportFile))
      throw new Error(`schemathesis wrote no report (exit ${exitCode}):\n${output}`);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
      operations: { total: number; selected: number; tested: number };
      test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
      errors: unknown[];
    };
    return {
      exitCode,
      output,
      operations: report.operations,
      cases: report.test_cases.generated,
      failures: report.test_cases.with_failures,
      uniqueFailures: report.test_cases.unique_failures,
      errors: report.test_cases.errored + report.errors.length,
      seconds,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const SQL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src;`;
const ENDED = ['FINISHED', 'CANCELED', 'FAILED'];

async function until(what: string, ok: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    if (await ok().catch((e: unknown) => void (last = e))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface ContractServer {
  server: ServerUnderTest;
  /** Flink jobs of the run's cluster that have not ended. */
  liveFlinkJobs(): Promise<{ jid: string; state: string }[]>;
  /** Cancels the Flink jobs a fuzzed start left and sees them end, then stops everything. */
  close(): Promise<void>;
}

/**
 * A real `sluice server` (test/support/server.ts) with its local cluster `local-1.20` running, and what
 * the fuzzed calls are to find (the names are in test/contract/schemathesis.toml): the job `orders`
 * running on the cluster, and the variable `greeting`.
 */
export async function contractServer(label: string, engineHome: string): Promise<ContractServer> {
  const server = await startServer(label, engineHome);
  // Flink's address as the cluster started: a fuzzed PUT may change its definition later on.
  let restUrl = '';
  const flink = (p: string, init?: { method?: string }) =>
    homeFlinkFetch(server.home)(`${restUrl}${p}`, init);
  const liveFlinkJobs = async () => {
    const { jobs } = (await (await flink('/jobs/overview')).json()) as {
      jobs: { jid: string; state: string }[];
    };
    return jobs.filter((j) => !ENDED.includes(j.state));
  };
  const close = async () => {
    try {
      for (const j of await liveFlinkJobs()) await flink(`/jobs/${j.jid}?mode=cancel`, { method: 'PATCH' });
      await until('leftover Flink jobs to end', async () => (await liveFlinkJobs()).length === 0, 60_000);
    } finally {
      await server.close();
    }
  };
  try {
    restUrl = String((await server.api('GET', '/targets/local-1.20')).restUrl);
    await server.api('POST', '/jobs', { name: 'orders', sql: SQL, target: 'local-1.20' });
    await server.api('PUT', '/variables/greeting', { value: 'hello' });
    await server.api('POST', '/jobs/orders/start', {});
    await until(
      'job orders to run',
      async () => (await server.api('GET', '/jobs/orders')).state === 'RUNNING',
      180_000,
    );
    return { server, liveFlinkJobs, close };
  } catch (e) {
    await server.close();
    throw e;
  }
}
