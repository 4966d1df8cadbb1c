import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lifecycleUnit, unitConfig } from '../../test/support/lifecycle-unit.ts';
import { AllowedFilePaths, realpathOfExisting } from './file-paths.ts';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-files-')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('allowed file paths on this machine', () => {
  it('follows the symbolic links of the existing part of a path', () => {
    fs.mkdirSync(path.join(dir, 'files'));
    fs.symlinkSync('/etc', path.join(dir, 'files', 'etc-link'));
    expect(realpathOfExisting(path.join(dir, 'files', 'etc-link', 'passwd'))).toBe(
      path.join(fs.realpathSync('/etc'), 'passwd'),
    );
    expect(realpathOfExisting(path.join(dir, 'files', 'new', 'out.csv'))).toBe(
      path.join(dir, 'files', 'new', 'out.csv'),
    );
  });

  it('refuses a link out of an allowed folder and reports problems at the value', () => {
    const files = new AllowedFilePaths([path.join(dir, 'files')]);
    const sql = (p: string) =>
      `CREATE TABLE t (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${p}', 'format' = 'csv');`;
    expect(() => files.check([sql(`file://${dir}/files/out`)])).not.toThrow();
    expect(() => files.check([sql(`file://${dir}/files/etc-link/passwd`)])).toThrow(
      /^table t: option 'path' = 'file:\/\/.*etc-link\/passwd' \(line 1\)/,
    );
    expect(files.problems(sql('/etc/passwd'))).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: 'platform',
        line: 1,
        column: 71,
        text: '/etc/passwd',
      }),
    ]);
  });
});

describe('job SQL naming files, over a fake Flink cluster', () => {
  const sink = (p: string) => `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE snk (id INT) WITH ('connector' = 'filesystem', 'path' = '${p}', 'format' = 'csv');
INSERT INTO snk SELECT id FROM src;`;

  it('refuses a save naming a file outside the allowed folders, and saves one inside', async () => {
    const u = await lifecycleUnit();
    await expect(u.createJob('leak', { sql: sink('file:///etc/passwd') })).rejects.toThrow(
      /^table snk: option 'path' = 'file:\/\/\/etc\/passwd' \(line 2\) is a file on the cluster's machine outside/,
    );
    await expect(u.jobs.get('leak')).rejects.toThrow(/does not exist/);
    await u.variables.set('out', `file://${unitConfig().allowedFilePaths[0]}/orders`, {});
    await u.createJob('inside', { sql: sink('${out}') });
    expect((await u.run('inside', 'start')).status).toBe('succeeded');
  });

  it('refuses the start of a job whose path comes from a secret outside the folders, at the validate step', async () => {
    const u = await lifecycleUnit();
    await u.variables.set('dir', '/etc/ssh-keys-x9', { secret: true });
    await u.createJob('secret-path', { sql: sink('file://${dir}/x') });
    const s = await u.run('secret-path', 'start');
    expect(s.status).toBe('failed');
    const failed = s.steps.find((x) => x.status === 'failed');
    expect(failed?.name).toBe('validate');
    expect(failed?.log.join('\n')).toMatch(
      /table snk: option 'path' = '.*' \(line 2\) is a file on the cluster/,
    );
    expect(u.flink.live()).toEqual([]);
  });

  it("refuses the start of a job whose catalog's warehouse is outside the folders, before any session opens", async () => {
    const u = await lifecycleUnit();
    await u.store.workspace.saveCatalog({
      name: 'lake',
      type: 'paimon',
      options: { warehouse: 'file:///var/lib/lake' },
      description: '',
    });
    await u.createJob('with-lake', { catalogs: ['lake'] });
    const s = await u.run('with-lake', 'start');
    const failed = s.steps.find((x) => x.status === 'failed');
    expect(failed?.name).toBe('validate');
    expect(failed?.log.join('\n')).toContain(
      "catalog lake: option 'warehouse' = 'file:///var/lib/lake' is a file on the cluster's machine outside",
    );
    expect(u.flink.openSessions).toBe(0);
    expect(u.flink.live()).toEqual([]);
  });
});
