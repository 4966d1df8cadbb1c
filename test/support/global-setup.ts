import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionFlink } from '../../src/adapters/flink/provisioning/maven-provisioner.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    /** A Flink 1.20 engine provisioned once for this run by the real provisioner. */
    engineHome: string;
    /** Where the run's engines are assembled; other versions are added on first use (engines.ts). */
    enginesDir: string;
  }
}

let postgres: TestPostgres | undefined;
let scratch: string | undefined;

/** One PostgreSQL server and one provisioned Flink engine for the whole run, removed in teardown. */
export async function setup(project: TestProject): Promise<void> {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-test-'));
  postgres = await startPostgres();
  project.provide('postgresAdminUrl', postgres.adminUrl);
  const engine = await provisionFlink({
    enginesDir: path.join(scratch, 'engines'),
    version: '1.20',
    progress: (l) => process.env.SLUICE_TEST_VERBOSE && console.log(`[provision] ${l}`),
  });
  project.provide('engineHome', engine.home);
  project.provide('enginesDir', path.join(scratch, 'engines'));
}

export async function teardown(): Promise<void> {
  try {
    postgres?.stop();
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}
