import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type SluiceConfig } from '../src/application/config.ts';
import { Platform } from '../src/composition/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { createClient } from '../src/client/index.ts';
import { buildServer } from '../src/http/server.ts';
import { clusterPorts, freePort } from '../test/support/ports.ts';

/**
 * A quiet platform in `<scratch>/<home>` with the Flink 1.20 engine provisioned into
 * `<scratch>/engines` (once for all sections) and a local cluster `bench` defined on free ports;
 * `config` replaces settings of the default configuration.
 */
export async function benchPlatform(
  scratch: string,
  home: string,
  cluster: { taskManagerMemory?: string; slotsPerTaskManager?: number } = {},
  config: Partial<SluiceConfig> = {},
): Promise<Platform> {
  const platform = await Platform.open(
    { ...loadConfig({}), home: path.join(scratch, home), autoStart: false, ...config },
    pino({ level: 'silent' }),
  );
  const engine = await provisionFlink({ enginesDir: path.join(scratch, 'engines'), version: '1.20' });
  await platform.engines.register(engine.home);
  await platform.targets.define({
    name: 'bench',
    engineVersion: '1.20',
    ...(await clusterPorts()),
    ...cluster,
  });
  return platform;
}

/**
 * POST start, then the event stream until the platform says RUNNING: a start as the console and the
 * CLI see it (the stream is open before the POST). Resolves with the time and the submission number.
 */
export async function startThroughApi(
  base: string,
  name: string,
  body: Record<string, unknown> = {},
): Promise<{ ms: number; number: number }> {
  const stream = await createClient({ baseUrl: base }).events.open(name);
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/jobs/${name}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`start ${name}: ${res.status} ${await res.text()}`);
  const submission = (await res.json()) as { number: number };
  try {
    for (;;) {
      const e = await stream.next();
      if (!e) throw new Error(`the event stream ended before ${name} ran`);
      if (e.type === 'job.state' && e.event.to === 'RUNNING') break;
      if (e.type === 'job.state' && e.event.to === 'FAILED') throw new Error(e.event.reason);
    }
  } finally {
    stream.close();
  }
  return { ms: performance.now() - t0, number: submission.number };
}

/** The platform's API on a free local port, as the console and the CLI reach it. */
export async function servedBenchPlatform(
  platform: Platform,
): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer(platform);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${port}` };
}

/** Polls the platform until the job is in `state`; a FAILED job throws with its reason. */
export async function untilJobState(
  platform: Platform,
  name: string,
  state: string,
  everyMs = 100,
): Promise<void> {
  for (;;) {
    const j = await platform.jobs.get(name);
    if (j.state === state) return;
    if (j.state === 'FAILED') throw new Error(`${name} failed: ${j.stateReason}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Rounds per measurement: SLUICE_BENCH_ROUNDS, or the section's default. */
export const rounds = (byDefault: number): number => Number(process.env.SLUICE_BENCH_ROUNDS ?? byDefault);
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The measured times in seconds, one decimal: what the median was taken of. */
export const listSeconds = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(1)).join(', ');

/** A job that runs until cancelled; `n` makes each round's SQL (and so its plan) its own. */
export const BENCH_JOB_SQL = (n: number): string => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src WHERE id > ${n};`;
