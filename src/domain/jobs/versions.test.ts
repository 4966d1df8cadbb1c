import { describe, expect, it } from 'vitest';
import { contentHash, diffVersions, type JobContent, type JobVersion } from './versions.ts';

const content: JobContent = {
  kind: 'sql',
  description: 'd',
  sql: 'CREATE TABLE a (x INT);\nINSERT INTO b SELECT x FROM a;\n',
  options: { 'pipeline.name': 'j' },
  parallelism: 1,
  engineVersion: '1.20',
  target: 'local-1.20',
  restartPolicy: { kind: 'none' },
  resubmitPolicy: { kind: 'none' },
  catalogs: [],
  artifacts: [],
};
const version = (number: number, c: JobContent): JobVersion => ({
  jobId: 'j',
  number,
  author: 'a',
  message: 'm',
  contentHash: contentHash(c),
  content: c,
  createdAt: '',
});

describe('job versions', () => {
  it('hashes content independently of key order', () => {
    const reordered = { ...content, options: { 'pipeline.name': 'j' } };
    const { restartPolicy, ...rest } = content;
    expect(contentHash(reordered)).toBe(contentHash({ restartPolicy, ...rest }));
    expect(contentHash({ ...content, parallelism: 2 })).not.toBe(contentHash(content));
  });

  it('diffs the script line by line and every other field by value', () => {
    const next = {
      ...content,
      sql: 'CREATE TABLE a (x INT);\nINSERT INTO b SELECT x + 1 FROM a;\n',
      parallelism: 2,
      options: { 'pipeline.name': 'j', 'table.exec.mini-batch.enabled': 'true' },
    };
    const d = diffVersions(version(1, content), version(2, next));
    expect(d).toMatchObject({ from: 1, to: 2, sqlLinesAdded: 1, sqlLinesRemoved: 1 });
    expect(d.sqlPatch).toContain('-INSERT INTO b SELECT x FROM a;');
    expect(d.sqlPatch).toContain('+INSERT INTO b SELECT x + 1 FROM a;');
    expect(d.changes).toEqual([
      { field: 'parallelism', from: 1, to: 2 },
      { field: 'options.table.exec.mini-batch.enabled', from: null, to: 'true' },
    ]);
  });
});
