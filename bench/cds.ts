/**
 * `npm run bench cds`: a local cluster's start (JobManager, one TaskManager, SQL Gateway) and Flink's
 * memory calculation before it, in CPU seconds, without class-data sharing (SLUICE_CDS=off), at the
 * first start with it (the JVMs make their archives, and take longer to stop: they write them as they
 * exit) and with the archives made, side by side. Each JVM's CPU is read from /proc when the cluster is
 * healthy; the memory calculation's (two short JVMs run and waited for) from this process's children
 * time around the same call the start makes. The JVMs get the caller's FLINK_ENV_JAVA_OPTS, as a
 * platform's would: unset, the JIT as users run it; `FLINK_ENV_JAVA_OPTS=-XX:TieredStopAtLevel=1
 * npm run bench cds` measures the test suite's JVMs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clusterMemory } from '../src/adapters/flink/local-cluster/jvm.ts';
import { findJava } from '../src/adapters/system/prerequisites.ts';
import { benchPlatform, median, secs } from './platform.ts';

const TICK = 100; // USER_HZ: /proc's clock ticks per second on Linux.

/** utime + stime of a process, or, with `children`, cutime + cstime (children waited for), in seconds. */
function cpuOf(pid: number | 'self', children = false): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command, which is in parentheses and may hold spaces: utime is the 14th field.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [u, s] = children ? [f[13], f[14]] : [f[11], f[12]];
  return (Number(u) + Number(s)) / TICK;
}

interface Run {
  jm: number;
  tm: number;
  gateway: number;
  memory: number;
  startMs: number;
  stopMs: number;
}

/** One start makes the archives: the mode with one run. */
const MODES = [
  { label: 'off (SLUICE_CDS=off)', cds: 'off', runs: 2 },
  { label: 'first start: makes the archives', cds: 'on', runs: 1 },
  { label: 'with the archives', cds: 'on', runs: 2 },
] as const;

export async function cds(scratch: string): Promise<void> {
  console.log(
    `\n== class-data sharing: local cluster start, CPU seconds (FLINK_ENV_JAVA_OPTS: ${process.env.FLINK_ENV_JAVA_OPTS || 'unset'}) ==`,
  );
  const saved = { cds: process.env.SLUICE_CDS, dir: process.env.SLUICE_CDS_DIR };
  process.env.SLUICE_CDS_DIR = path.join(scratch, 'cds');
  const rows: { label: string; runs: Run[] }[] = [];
  try {
    for (const [i, mode] of MODES.entries()) {
      process.env.SLUICE_CDS = mode.cds;
      // A platform per mode: its clusters read the setting from the environment they are made with.
      const platform = await benchPlatform(scratch, `cds-home-${i}`);
      const java = findJava().path;
      const runs: Run[] = [];
      try {
        for (let r = 0; r < mode.runs; r++) {
          const t0 = performance.now();
          const s = await platform.targets.start('bench', () => {});
          const startMs = performance.now() - t0;
          const pid = (id: string) => s.processes.find((p) => p.id === id)!.pid!;
          const [jm, tm, gateway] = ['jobmanager', 'taskmanager-1', 'sql-gateway'].map((id) =>
            cpuOf(pid(id)),
          );
          const t1 = performance.now();
          await platform.targets.stop('bench');
          const stopMs = performance.now() - t1;
          // The same two JVMs the start ran, with the archive as this mode has it by now.
          // At the first start, with no archive yet: the first JVM makes it, the second uses it.
          const env =
            mode.runs === 1
              ? { ...process.env, SLUICE_CDS_DIR: path.join(scratch, 'cds-first') }
              : process.env;
          const conf = path.join(scratch, `cds-home-${i}`, 'clusters', 'bench', 'conf');
          const classpath = (await platform.engines.distribution('1.20')).classpath;
          const c0 = cpuOf('self', true);
          clusterMemory(java, classpath, conf, env);
          const memory = cpuOf('self', true) - c0;
          runs.push({ jm: jm!, tm: tm!, gateway: gateway!, memory, startMs, stopMs });
        }
      } finally {
        await platform.close();
      }
      rows.push({ label: mode.label, runs });
    }
  } finally {
    for (const [k, v] of [
      ['SLUICE_CDS', saved.cds],
      ['SLUICE_CDS_DIR', saved.dir],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
  const cell = (runs: Run[], f: (r: Run) => number) => median(runs.map(f)).toFixed(2).padStart(8);
  console.log(
    `${'mode'.padEnd(34)}${['JM', 'TM', 'gateway', 'memory', 'total'].map((h) => h.padStart(8)).join('')}   start to healthy, stop`,
  );
  for (const { label, runs } of rows)
    console.log(
      `${label.padEnd(34)}${cell(runs, (r) => r.jm)}${cell(runs, (r) => r.tm)}${cell(runs, (r) => r.gateway)}${cell(runs, (r) => r.memory)}${cell(runs, (r) => r.jm + r.tm + r.gateway + r.memory)}   ${secs(median(runs.map((r) => r.startMs)))}, ${secs(median(runs.map((r) => r.stopMs)))}`,
    );
  console.log('(medians; memory: the two BashJavaUtils JVMs of a start, run again after it)');
}
