import type { TestProject } from 'vitest/node';
import { startPostgres, type TestPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

let postgres: TestPostgres | undefined;

/** One PostgreSQL server for the whole run, stopped in teardown (also when tests fail). */
export async function setup(project: TestProject): Promise<void> {
  postgres = await startPostgres();
  project.provide('postgresAdminUrl', postgres.adminUrl);
}

export async function teardown(): Promise<void> {
  postgres?.stop();
}
