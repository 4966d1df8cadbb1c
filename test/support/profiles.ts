import { expect } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { runSluice, servedPlatform } from './cli.ts';
import { authHeaders } from './credentials.ts';

/**
 * What the resource-profile e2e files share (resource-profiles, scheduled-profiles, space-profiles):
 * a platform on the shared cluster, a counting SQL job, reading its parallelism from Flink, and running
 * the CLI with each command checked.
 */

/**
 * A platform served on the run's shared local session cluster, tracking every 500 ms, with a client of
 * it; `boot` starts its scheduler, as `sluice server` does.
 */
export async function profilePlatform(opts: { boot?: boolean } = {}) {
  const { t, url, close } = await servedPlatform({
    sharedLocalCluster: true,
    config: { trackerIntervalMs: 500 },
  });
  if (opts.boot) await t.platform.boot().catch(async (e: unknown) => (await close(), Promise.reject(e)));
  return { url, close, client: createClient({ baseUrl: url, headers: authHeaders(url) }) };
}

/** A job that runs until cancelled, at a parallelism its profile sets. */
export const COUNTING_SQL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`;

/** The instant `ms` written in Beijing time (+08:00), as a user before a sale would write it. */
export const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** The job's Flink job: its id, state and the parallelism of its vertices, from Flink's REST (through Sluice's proxy). */
export async function flinkParallelism(
  url: string,
  client: SluiceClient,
  job: string,
  target = 'local-1.20',
): Promise<{ flinkJobId: string | null; state: string; parallelism: number[] }> {
  const { flinkJobId } = await client.jobs.get(job);
  const r = await fetch(`${url}/flink/${target}/jobs/${flinkJobId}`, { headers: authHeaders(url) });
  const body = (await r.json()) as { state: string; vertices: { parallelism: number }[] };
  return {
    flinkJobId,
    state: body.state,
    parallelism: [...new Set(body.vertices.map((v) => v.parallelism))],
  };
}

/** `sluice` against `url`: `ok` must succeed (answers its output), `refused` must fail (answers its errors). */
export const sluiceAt = (url: string) => ({
  ok: async (args: string[]) => {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  },
  refused: async (args: string[]) => {
    const r = await runSluice(url, args);
    expect(r.code, `sluice ${args.join(' ')} should fail: ${r.stdout}`).not.toBe(0);
    return r.stderr;
  },
});
