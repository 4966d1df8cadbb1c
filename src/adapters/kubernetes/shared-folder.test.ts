import { describe, expect, it } from 'vitest';
import { sharedFolderVolumes } from './shared-folder.ts';

const folders = [
  {
    name: 'usrlib',
    folder: '/mnt/s/t/j/1/usrlib',
    mountPath: '/opt/flink/usrlib',
    readOnly: true,
    type: 'Directory' as const,
  },
  { name: 'job-state', folder: '/mnt/s/t/j', type: 'DirectoryOrCreate' as const },
];

describe("the shared folder's volumes", () => {
  it('are hostPath volumes, one per folder, when the target names no claim', () => {
    expect(sharedFolderVolumes({ sharedDir: '/mnt/s', sharedClaim: null }, folders)).toEqual({
      volumes: [
        { name: 'usrlib', hostPath: { path: '/mnt/s/t/j/1/usrlib', type: 'Directory' } },
        { name: 'job-state', hostPath: { path: '/mnt/s/t/j', type: 'DirectoryOrCreate' } },
      ],
      mounts: [
        { name: 'usrlib', mountPath: '/opt/flink/usrlib', readOnly: true },
        { name: 'job-state', mountPath: '/mnt/s/t/j' },
      ],
    });
  });

  it("are the claim once, each folder mounted by its path relative to the shared folder (the claim's root)", () => {
    expect(sharedFolderVolumes({ sharedDir: '/mnt/s/', sharedClaim: 'shared' }, folders)).toEqual({
      volumes: [{ name: 'shared-folder', persistentVolumeClaim: { claimName: 'shared' } }],
      mounts: [
        { name: 'shared-folder', mountPath: '/opt/flink/usrlib', subPath: 't/j/1/usrlib', readOnly: true },
        { name: 'shared-folder', mountPath: '/mnt/s/t/j', subPath: 't/j' },
      ],
    });
    expect(sharedFolderVolumes({ sharedDir: '/mnt/s', sharedClaim: 'shared' }, [])).toEqual({
      volumes: [],
      mounts: [],
    });
  });

  it('refuses a folder outside the shared folder (a bug: every folder is made from it)', () => {
    expect(() =>
      sharedFolderVolumes({ sharedDir: '/mnt/s', sharedClaim: 'shared' }, [
        { name: 'x', folder: '/mnt/other/t', type: 'Directory' },
      ]),
    ).toThrow('/mnt/other/t is not in the shared folder /mnt/s');
    expect(() =>
      sharedFolderVolumes({ sharedDir: '/mnt/s', sharedClaim: 'shared' }, [
        { name: 'x', folder: '/mnt/s..x/t', type: 'Directory' },
      ]),
    ).toThrow('/mnt/s..x/t is not in the shared folder /mnt/s');
    // A folder whose name starts with two dots is inside.
    expect(
      sharedFolderVolumes({ sharedDir: '/mnt/s', sharedClaim: 'shared' }, [
        { name: 'x', folder: '/mnt/s/..x/t', type: 'Directory' },
      ]).mounts[0]!.subPath,
    ).toBe('..x/t');
  });
});
