import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugRunView } from '../../src/application/sql-debug.ts';
import type { SqlExample } from '../../src/domain/sql/examples.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';

/** Sessions close only after a gap: fewer generated rows make gaps. */
const ROWS_PER_SECOND: Record<string, number> = { 'session-window': 1 };
/** The sandbox's integers are 1 to 10: an example that keeps only failed requests is given their statuses. */
const SOURCES: Record<string, Record<string, { options: Record<string, string> }>> = {
  'local-kafka-pipeline': {
    page_views: { options: { 'fields.status.min': '400', 'fields.status.max': '599' } },
  },
};

/**
 * Every worked example is planned by the real Flink 1.20 engine (with the Kafka and JDBC connectors
 * it ships) and debug-run until it shows rows. Runs go three at a time: windows take their time.
 */
describe('the worked examples gallery', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;
  let examples: SqlExample[];
  const runs = new Map<string, DebugRunView>();

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({ sharedLocalCluster: true }));
    examples = (await app.inject({ method: 'GET', url: '/api/v1/sql/examples' })).json();
  });
  afterAll(async () => close?.());

  it('lists them, and prints one for copying', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
    const list = await runSluice(url, ['sql', 'examples']);
    expect(list.stdout).toMatch(/tumbling-window\s+Tumbling-window revenue per product/);
    const one = await runSluice(url, ['sql', 'example', 'kafka-to-jdbc']);
    expect(one.stdout).toBe(examples.find((e) => e.name === 'kafka-to-jdbc')!.sql);
    // Planned and debug-run here like the others (its source replaced); run as a job on the local
    // broker by test/e2e/kafka.test.ts, which creates its topic and produces its records.
    expect(examples.find((e) => e.name === 'local-kafka-pipeline')!.needs).toMatch(/sluice kafka start/);
    expect(examples.filter((e) => e.needs !== null).map((e) => e.name)).toEqual(['local-kafka-pipeline']);
  });

  it('has every example planned by Flink', async () => {
    for (const e of examples) {
      const r = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/sql/explain',
          payload: { sql: e.sql, target: 'local-1.20' },
        })
      ).json();
      expect({ example: e.name, ok: r.ok, problems: r.problems }).toEqual({
        example: e.name,
        ok: true,
        problems: [],
      });
    }
  });

  it('has every example show rows in a debug run', async () => {
    const queue = [...examples];
    const worker = async () => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const started = await t.platform.debug.start({
          sql: e.sql,
          target: 'local-1.20',
          rowLimit: 2,
          timeLimitSeconds: 90,
          rowsPerSecond: ROWS_PER_SECOND[e.name] ?? 10,
          ...(SOURCES[e.name] ? { sources: SOURCES[e.name] } : {}),
        });
        runs.set(e.name, await t.platform.debug.settled(started.id));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    for (const e of examples)
      expect({ example: e.name, state: runs.get(e.name)?.state, reason: runs.get(e.name)?.reason }).toEqual({
        example: e.name,
        state: 'finished',
        reason: 'the row limit of 2 was reached',
      });
  }, 600_000);
});
