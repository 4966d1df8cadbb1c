import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/application/config.ts';
import { Platform } from '../src/composition/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { createClient } from '../src/client/index.ts';
import { clusterPorts } from '../test/support/ports.ts';

/**
 * A quiet platform in `<scratch>/<home>` with the Flink 1.20 engine provisioned into
 * `<scratch>/engines` (once for all sections) and a local cluster `bench` defined on free ports.
 */
export async function benchPlatform(
  scratch: string,
  home: string,
  cluster: { taskManagerMemory?: string; slotsPerTaskManager?: number } = {},
): Promise<Platform> {
  const platform = await Platform.open(
    { ...loadConfig({}), home: path.join(scratch, home), autoStart: false },
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
