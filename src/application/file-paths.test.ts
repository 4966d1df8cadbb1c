import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lifecycleUnit, unitConfig } from '../../test/support/lifecycle-unit.ts';
import { SluiceError } from '../domain/errors.ts';
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

  it('refuses a link out of an allowed folder and reports problems at the value', async () => {
    const { store } = await lifecycleUnit();
    await store.spaces.setFileFolders('default', [path.join(dir, 'files')]);
    const files = new AllowedFilePaths([], store.spaces, dir);
    const sql = (p: string) =>
      `CREATE TABLE t (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${p}', 'format' = 'csv');`;
    await expect(files.check([sql(`file://${dir}/files/out`)], 'default')).resolves.toBeUndefined();
    await expect(files.check([sql(`file://${dir}/files/etc-link/passwd`)], 'default')).rejects.toThrow(
      /^table t: option 'path' = 'file:\/\/.*etc-link\/passwd' \(line 1\)/,
    );
    expect(await files.problems(sql('/etc/passwd'), 'default')).toEqual([
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

describe("each space's own file folders", () => {
  const home = path.join(dir, 'home');
  const shared = path.join(dir, 'shared');
  const teamA = path.join(dir, 'team-a-data');
  const sql = (p: string) =>
    `CREATE TABLE t (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${p}', 'format' = 'csv');`;
  const twoSpaces = async (sharedFolders: string[] = []) => {
    const { store } = await lifecycleUnit();
    for (const name of ['team-a', 'team-b'])
      await store.spaces.addSpace({ name, createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin' });
    const files = new AllowedFilePaths(sharedFolders, store.spaces, home);
    await files.set('team-a', [teamA]);
    return { store, files };
  };

  it("allows team-a's folder to team-a's job and refuses it to team-b's, naming team-b, its folders and the command", async () => {
    const { files } = await twoSpaces();
    await expect(files.check([sql(`file://${teamA}/orders`)], 'team-a')).resolves.toBeUndefined();
    const refused = await files.check([sql(`file://${teamA}/orders`)], 'team-b').then(
      () => null,
      (e: unknown) => e as SluiceError,
    );
    expect(refused?.code).toBe('invalid_argument');
    expect(refused?.text?.code).toBe('sql.tableFileOutside');
    expect(refused?.details).toMatchObject({ field: 'sql', line: 1, space: 'team-b' });
    const own = path.join(home, 'files', 'team-b');
    expect(refused?.message).toBe(
      `table t: option 'path' = 'file://${teamA}/orders' (line 1) is a file on the cluster's machine outside the folders space team-b's jobs may use (${own}): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders team-b --set ${own},${teamA}/orders)`,
    );
    // Team-b's own default folder is its to use, and was made for it; team-a's job may not use it.
    await expect(files.check([sql(`${own}/orders`)], 'team-b')).resolves.toBeUndefined();
    expect(fs.statSync(own).isDirectory()).toBe(true);
    expect(await files.problems(sql(`${own}/orders`), 'team-a')).toEqual([
      expect.objectContaining({ text: `${own}/orders`, message: expect.stringContaining('space team-a') }),
    ]);
  });

  it('lets every space use the shared folders (SLUICE_ALLOWED_FILE_PATHS) beside its own', async () => {
    const { files } = await twoSpaces([shared]);
    for (const space of ['team-a', 'team-b'])
      await expect(files.check([sql(`${shared}/x`)], space)).resolves.toBeUndefined();
    expect(await files.of('team-b')).toEqual({
      space: 'team-b',
      set: false,
      folders: [path.join(home, 'files', 'team-b')],
      shared: [shared],
    });
    expect(await files.of('team-a')).toEqual({
      space: 'team-a',
      set: true,
      folders: [teamA],
      shared: [shared],
    });
  });

  it("judges a workspace catalog with its space's folders", async () => {
    const { files } = await twoSpaces();
    const lake = `CREATE CATALOG lake WITH ('type' = 'paimon', 'warehouse' = 'file://${teamA}/lake')`;
    await expect(files.checkCatalog(lake, 'team-a')).resolves.toBeUndefined();
    await expect(files.checkCatalog(lake, 'team-b')).rejects.toThrow(
      /^catalog lake: option 'warehouse' = '.*' is a file on the cluster's machine outside the folders space team-b's jobs may use/,
    );
  });

  it('refuses a relative folder by name and changes nothing; cleared, the space is back to its default folder', async () => {
    const { files } = await twoSpaces();
    await expect(files.set('team-a', ['/srv/x', 'data'])).rejects.toThrow(
      "folders: 'data' is not an absolute folder",
    );
    expect((await files.of('team-a')).folders).toEqual([teamA]);
    await expect(files.set('nowhere', ['/srv/x'])).rejects.toThrow("space 'nowhere' does not exist");
    expect(await files.set('team-a', null)).toMatchObject({
      set: false,
      folders: [path.join(home, 'files', 'team-a')],
    });
    // An empty list: the space has no folder of its own, only the shared ones (none here).
    expect(await files.set('team-b', [])).toMatchObject({ set: true, folders: [] });
    await expect(files.check([sql(`${home}/files/team-b/x`)], 'team-b')).rejects.toThrow(/\(\(none\)\)/);
  });

  it('are gone with their space: a space of that name made again starts with its default folder', async () => {
    const { store, files } = await twoSpaces();
    await store.spaces.removeSpace('team-a');
    expect(await store.spaces.fileFolders('team-a')).toBeUndefined();
    await store.spaces.addSpace({ name: 'team-a', createdAt: '2026-01-02T00:00:00Z', createdBy: 'admin' });
    expect(await files.of('team-a')).toMatchObject({ set: false });
  });
});

describe('job SQL naming files, over a fake Flink cluster', () => {
  const sink = (p: string) => `CREATE TABLE src (id INT) WITH ('connector' = 'datagen');
CREATE TABLE snk (id INT) WITH ('connector' = 'filesystem', 'path' = '${p}', 'format' = 'csv');
INSERT INTO snk SELECT id FROM src;`;

  it("refuses a save naming a file outside the job's space's folders, and saves one inside", async () => {
    const u = await lifecycleUnit();
    await expect(u.createJob('leak', { sql: sink('file:///etc/passwd') })).rejects.toThrow(
      /^table snk: option 'path' = 'file:\/\/\/etc\/passwd' \(line 2\) is a file on the cluster's machine outside the folders space default's/,
    );
    await expect(u.jobs.get('leak')).rejects.toThrow(/does not exist/);
    await u.variables.set('out', `file://${unitConfig().home}/files/default/orders`, {});
    await u.createJob('inside', { sql: sink('${out}') });
    expect((await u.run('inside', 'start')).status).toBe('succeeded');
  });

  it("refuses another space's folder at save and at the start's validate step", async () => {
    const u = await lifecycleUnit();
    await u.store.spaces.addSpace({ name: 'team-b', createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin' });
    const defaults = `${unitConfig().home}/files/default/orders`;
    const input = { name: 'b-job', sql: sink(defaults), target: 'fake', engineVersion: '1.20' };
    await expect(u.jobs.create(input, 'test', 'team-b')).rejects.toThrow(
      /outside the folders space team-b's jobs/,
    );
    // Saved while its space allowed it, started after an admin narrowed the space's folders.
    await u.store.spaces.setFileFolders('team-b', [path.dirname(defaults)]);
    await u.jobs.create(input, 'test', 'team-b');
    await u.store.spaces.setFileFolders('team-b', null);
    const s = await u.run('b-job', 'start');
    const failed = s.steps.find((x) => x.status === 'failed');
    expect(failed?.name).toBe('validate');
    expect(failed?.log.join('\n')).toContain("outside the folders space team-b's jobs may use");
    expect(u.flink.live()).toEqual([]);
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
