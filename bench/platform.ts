import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/application/config.ts';
import { Platform } from '../src/composition/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
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
  await platform.clusters.define({
    name: 'bench',
    engineVersion: '1.20',
    ...(await clusterPorts()),
    ...cluster,
  });
  return platform;
}
