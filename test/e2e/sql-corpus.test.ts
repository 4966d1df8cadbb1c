import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import type { AdoptedCluster } from '../support/shared-cluster.ts';
import { brokenScripts, semanticScripts, validScripts } from '../corpus/corpus.ts';

interface Problem {
  severity: string;
  source: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The syntax corpus against real Flink 1.20: every valid script is planned by the engine (so the
 * corpus holds only SQL Flink runs) and passes the combined syntax check; every broken one is
 * flagged at its mistake. Only the planner finds the mistakes of semantic/.
 */
describe('the syntax corpus on Flink 1.20', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let shared: AdoptedCluster | undefined;

  beforeAll(async () => {
    ({ close, app, shared } = await servedPlatform({ sharedCluster: true }));
  });
  afterAll(async () => close?.());
  const post = async (url: string, sql: string) => {
    const r = await app.inject({ method: 'POST', url, payload: { sql } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { ok?: boolean; problems: Problem[]; parser?: { used: boolean } };
  };
  const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

  describe('the combined syntax check', () => {
    it.each(validScripts().map((s) => [s.name, s] as const))('finds no error in %s', async (_n, s) => {
      const r = await post('/api/v1/sql/validate', s.sql);
      expect(r.parser?.used).toBe(true);
      expect(errors(r.problems)).toEqual([]);
    });

    it.each(brokenScripts().map((s) => [s.name, s] as const))('flags %s at its mistake', async (_n, s) => {
      const r = await post('/api/v1/sql/validate', s.sql);
      const first = errors(r.problems)[0];
      expect(first, JSON.stringify(r.problems)).toMatchObject({
        source: 'parser',
        line: s.expect.line,
        column: s.expect.column,
      });
      expect(first!.message).toMatch(s.expect.message);
    });
  });

  describe("Flink's planner (a real local cluster)", () => {
    it.each(validScripts().map((s) => [s.name, s] as const))('plans %s', async (_n, s) => {
      const r = await post('/api/v1/sql/explain', s.sql);
      expect(r.problems, JSON.stringify(r.problems)).toEqual([]);
      expect(r.ok).toBe(true);
    });

    it.each(semanticScripts().map((s) => [s.name, s] as const))('refuses %s, which parses', async (_n, s) => {
      const parsed = await post('/api/v1/sql/validate', s.sql);
      expect(errors(parsed.problems)).toEqual([]);
      const r = await post('/api/v1/sql/explain', s.sql);
      expect(r.ok).toBe(false);
      expect(r.problems[0]!.message).toMatch(s.expect);
    });

    it('leaves no job behind but the CTAS of the corpus, which runs to its end', async () => {
      const jobs = await shared!.jobs();
      // SqlService.explain executes a CREATE TABLE ... AS SELECT (EXPLAIN cannot plan one in 1.20):
      // the corpus keeps its CTAS source bounded so that job ends by itself.
      expect(jobs.length).toBeLessThanOrEqual(1);
    });
  });
});
