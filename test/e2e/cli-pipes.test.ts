import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugRunView } from '../../src/application/sql-debug.ts';
import { runSluice, runSluicePiped, servedPlatform } from '../support/cli.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';

const ENDLESS = `CREATE TABLE ticks (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200');
CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT id FROM ticks;
`;

/**
 * `sluice ... | head -1`: the reader closes the pipe while the CLI still writes. The CLI exits quietly
 * with status 0 (as git and ls do), and a command that was following something on the server lets go
 * of it cleanly. Real child processes, a real server, a real local Flink cluster.
 */
describe('the CLI with its output closed early', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({ sharedLocalCluster: true }));
    // Enough rows that the table is larger than a pipe's buffer (64 KiB): head exits mid-write.
    for (let i = 0; i < 1500; i++)
      await t.platform.variables.set(`var_${i}`, `value-${i}-`.padEnd(60, 'x'), {});
  });
  afterAll(async () => close?.());

  it('a listing piped into head exits 0 without a word on stderr', async () => {
    const r = await runSluicePiped(url, ['variable', 'list'], 'head -1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+VALUE\s+DESCRIPTION\s+UPDATEDAT\n$/);
    const json = await runSluicePiped(url, ['variable', 'list', '--json'], 'head -c 1');
    expect([json.code, json.stdout, json.stderr]).toEqual([0, '[', '']);
  });

  it('a reader that exits before the CLI writes anything: still 0, still quiet', async () => {
    const r = await runSluicePiped(url, ['variable', 'list'], 'true');
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it(
    'a debug run whose rows are piped into head is stopped on the server, and the CLI exits 0',
    { timeout: 300_000 },
    async () => {
      const file = path.join(t.home, 'endless.sql');
      fs.writeFileSync(file, ENDLESS);
      const r = await runSluicePiped(
        url,
        ['sql', 'debug', file, '--rows', '10000', '--seconds', '300', '--rows-per-second', '200'],
        'head -3',
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const id = /^debug run (\S+) on \S+ \(Ctrl-C stops it\)/.exec(r.stdout)?.[1];
      expect(id, r.stdout).toBeDefined();
      expect(r.stdout.split('\n')[1]).toMatch(/^\+I sink \| id=/);
      // The run does not go on for five minutes with nobody reading it.
      const ended = await waitFor(
        'the debug run to end',
        async () => {
          const v = (
            await app.inject({ method: 'GET', url: `/api/v1/sql/debug/${id}` })
          ).json<DebugRunView>();
          return v.endedAt ? v : undefined;
        },
        60_000,
      );
      expect(ended).toMatchObject({ state: 'finished', reason: 'stopped on request' });
      expect(ended.rowCount).toBeLessThan(10_000);
    },
  );

  it(
    'a lifecycle command following its submission, piped with its progress into head, exits 0',
    { timeout: 300_000 },
    async () => {
      const file = path.join(t.home, 'job.sql');
      fs.writeFileSync(file, ENDLESS);
      expect((await runSluice(url, ['job', 'create', '--name', 'ticks', '--sql-file', file])).code).toBe(0);
      const r = await runSluicePiped(url, ['job', 'start', 'ticks'], 'head -1', { stderrToo: true });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^ {2}\[[a-z ]+\]\n$/);
      // What the CLI stopped following goes on on the server, as after Ctrl-C or --no-wait.
      await waitFor(
        'the job to run',
        async () => (await t.platform.jobs.get('ticks')).state === 'RUNNING',
        120_000,
      );
      const cancel = await runSluice(url, ['job', 'cancel', 'ticks']);
      expect(cancel.code, cancel.stderr).toBe(0);
    },
  );
});
