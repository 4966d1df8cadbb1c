import path from 'node:path';
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';

/** The one volume of the target's claim, when the shared folder is a PersistentVolumeClaim. */
export const SHARED_CLAIM_VOLUME = 'shared-folder';

/** A folder of the target's shared folder that a pod mounts. */
export interface SharedFolderMount {
  /** The volume's name on hostPath (the name a pod template's merge by name finds). */
  name: string;
  /** The folder on Sluice's machine, under the target's shared folder. */
  folder: string;
  /** Where the container sees it; the folder's own path when absent (the paths Flink reports are Sluice's). */
  mountPath?: string;
  readOnly?: boolean;
  /** hostPath's check of the folder: `Directory` when Sluice made it before the start. */
  type: 'Directory' | 'DirectoryOrCreate';
}

/**
 * How the pods see folders of the target's shared folder, decided here only: hostPath volumes (the
 * same path on every node), or, when the target names a claim, that claim's volume once, each folder
 * mounted by its `subPath` (the folder relative to the shared folder, the claim's root; kubelet
 * makes a missing one). The mounts are the main container's; a sidecar takes the same ones.
 */
export function sharedFolderVolumes(
  target: Pick<KubernetesTargetSpec, 'sharedDir' | 'sharedClaim'>,
  folders: SharedFolderMount[],
): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const mountOf = (f: SharedFolderMount, name: string, subPath?: string): V1VolumeMount => ({
    name,
    mountPath: f.mountPath ?? f.folder,
    ...(subPath ? { subPath } : {}),
    ...(f.readOnly ? { readOnly: true } : {}),
  });
  if (!target.sharedClaim)
    return {
      volumes: folders.map((f) => ({ name: f.name, hostPath: { path: f.folder, type: f.type } })),
      mounts: folders.map((f) => mountOf(f, f.name)),
    };
  const root = target.sharedDir;
  if (!root) throw new Error(`shared claim ${target.sharedClaim} without a shared folder`);
  const subPathOf = (folder: string): string => {
    const rel = path.relative(root, folder);
    // Every folder mounted is made from the shared folder (sharedPaths, sessionPaths): one outside it
    // is a bug, not an input.
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
      throw new Error(`${folder} is not in the shared folder ${root}`);
    return rel;
  };
  return {
    volumes: folders.length
      ? [{ name: SHARED_CLAIM_VOLUME, persistentVolumeClaim: { claimName: target.sharedClaim } }]
      : [],
    mounts: folders.map((f) => mountOf(f, SHARED_CLAIM_VOLUME, subPathOf(f.folder))),
  };
}
