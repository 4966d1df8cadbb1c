import fs from 'node:fs';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';

/**
 * The pids of the Flink JVMs whose cluster folder is under `dir`: their marker argument is
 * `-Dsluice.cluster.dir=<dir>/<cluster>`, so a prefix, not a whole argument, finds them.
 */
export function clusterJvmsUnder(dir: string): number[] {
  const prefix = `-Dsluice.cluster.dir=${dir.replace(/\/$/, '')}/`;
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => processArgs(pid)?.some((a) => a.startsWith(prefix)));
}
