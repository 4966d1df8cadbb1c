import type { SqlJobContent } from '../../src/domain/jobs/versions.ts';

/** A SQL job's content as the store keeps it, for tests that put a job straight into a store. */
export const storedSqlContent = (overrides: Partial<SqlJobContent> = {}): SqlJobContent => ({
  kind: 'sql',
  description: '',
  sql: 'INSERT INTO a SELECT 1',
  options: {},
  parallelism: 1,
  engineVersion: '1.20',
  target: 'local-1.20',
  restartPolicy: { kind: 'none' },
  resubmitPolicy: { kind: 'none' },
  catalogs: [],
  artifacts: [],
  ...overrides,
});
