import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionEngineLocked, TEST_ENGINES_DIR } from './engines.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';
import { stopSharedCluster } from './shared-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    /** A Flink 1.20 engine provisioned by the real provisioner (reused from the cache when warm). */
    engineHome: string;
    /** Where the runs' engines are kept (engines.ts); other versions are added on first use. */
    enginesDir: string;
    /** The run's scratch folder, removed in teardown. */
    scratchDir: string;
  }
}

let postgres: TestPostgres | undefined;
let scratch: string | undefined;

/**
 * One PostgreSQL server and one provisioned Flink engine for the whole run; the teardown stops the server
 * and the shared Flink cluster if a file started it (shared-cluster.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-test-'));
  project.provide('scratchDir', scratch);
  postgres = await startPostgres();
  project.provide('postgresAdminUrl', postgres.adminUrl);
  const engineHome = await provisionEngineLocked(TEST_ENGINES_DIR, '1.20');
  project.provide('engineHome', engineHome);
  project.provide('enginesDir', TEST_ENGINES_DIR);
}

export async function teardown(): Promise<void> {
  try {
    if (scratch) await stopSharedCluster(scratch);
  } finally {
    try {
      postgres?.stop();
    } finally {
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}
