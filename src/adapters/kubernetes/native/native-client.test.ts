import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processArgs } from '../../flink/local-cluster/os-processes.ts';
import { stopLeftClients } from './native-client.ts';

describe('stopLeftClients', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("kills a client left running with its run's configuration, and leaves other processes alone", async () => {
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-native-runs-'));
    dirs.push(runs);
    const id = 'a'.repeat(32);
    fs.mkdirSync(path.join(runs, id));
    fs.mkdirSync(path.join(runs, 'b'.repeat(32)));
    const marker = `-Dlog4j.configurationFile=file:${path.join(runs, id, 'log4j-cli.properties')}`;
    // Stands in for the java client: a process whose argv carries the run's marker.
    const left = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', marker], {
      stdio: 'ignore',
    });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', 'not-a-client'], {
      stdio: 'ignore',
    });
    try {
      // Until both have exec'd, their argv is still this process's.
      for (let i = 0; i < 100; i++) {
        if (processArgs(left.pid!)?.includes(marker) && processArgs(other.pid!)?.includes('not-a-client'))
          break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const lines: string[] = [];
      expect(await stopLeftClients(runs, (l) => lines.push(l))).toEqual([id]);
      expect(processArgs(left.pid!)).toBeUndefined();
      expect(processArgs(other.pid!)).toBeDefined();
      expect(lines).toEqual([
        `stopped Flink's client for Flink job ${id} (pid ${left.pid}) that an earlier platform process left running`,
      ]);
      // Nothing left: nothing said.
      expect(await stopLeftClients(runs, (l) => lines.push(l))).toEqual([]);
      expect(await stopLeftClients(path.join(runs, 'missing'), (l) => lines.push(l))).toEqual([]);
    } finally {
      left.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });
});
