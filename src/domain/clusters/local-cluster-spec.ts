import { invalid } from '../errors.ts';

/** A local standalone session cluster: one JobManager, N TaskManagers and a SQL Gateway. */
export interface LocalClusterSpec {
  name: string;
  engineVersion: string;
  restPort: number;
  rpcPort: number;
  gatewayPort: number;
  taskManagers: number;
  slotsPerTaskManager: number;
  jobManagerMemory: string;
  taskManagerMemory: string;
  gatewayMemory: string;
  /** Extra Flink options written into the cluster's config.yaml. */
  flinkConfig: Record<string, string>;
}

export type ClusterProcessRole = 'jobmanager' | 'taskmanager' | 'sql-gateway';

export const LOCAL_CLUSTER_DEFAULTS: Omit<LocalClusterSpec, 'name' | 'engineVersion'> = {
  restPort: 8081,
  rpcPort: 6123,
  gatewayPort: 8083,
  taskManagers: 1,
  slotsPerTaskManager: 4,
  jobManagerMemory: '1024m',
  taskManagerMemory: '1536m',
  gatewayMemory: '512m',
  flinkConfig: {},
};

export const defaultClusterName = (engineVersion: string): string => `local-${engineVersion}`;

const NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
const MEMORY = /^\d+(m|g|mb|gb)$/i;

export function checkLocalClusterSpec(spec: LocalClusterSpec): void {
  if (!NAME.test(spec.name))
    throw invalid(
      'name',
      `'${spec.name}' is not a valid cluster name: use lower-case letters, digits, '.' and '-'`,
    );
  for (const key of ['restPort', 'rpcPort', 'gatewayPort'] as const) {
    const p = spec[key];
    if (!Number.isInteger(p) || p < 1024 || p > 65535)
      throw invalid(key, `${p} is not a port from 1024 to 65535`);
  }
  if (new Set([spec.restPort, spec.rpcPort, spec.gatewayPort]).size !== 3)
    throw invalid('ports', 'restPort, rpcPort and gatewayPort must be three different ports');
  if (!Number.isInteger(spec.taskManagers) || spec.taskManagers < 1 || spec.taskManagers > 8)
    throw invalid('taskManagers', `${spec.taskManagers} TaskManagers: use 1 to 8`);
  if (
    !Number.isInteger(spec.slotsPerTaskManager) ||
    spec.slotsPerTaskManager < 1 ||
    spec.slotsPerTaskManager > 64
  )
    throw invalid('slotsPerTaskManager', `${spec.slotsPerTaskManager} slots: use 1 to 64`);
  for (const key of ['jobManagerMemory', 'taskManagerMemory', 'gatewayMemory'] as const)
    if (!MEMORY.test(spec[key]))
      throw invalid(key, `'${spec[key]}' is not a memory size such as 1024m or 2g`);
}

/** Process ids are stable across restarts so logs and pid files keep their names. */
export function processIds(spec: LocalClusterSpec): { id: string; role: ClusterProcessRole }[] {
  return [
    { id: 'jobmanager', role: 'jobmanager' },
    ...Array.from({ length: spec.taskManagers }, (_, i) => ({
      id: `taskmanager-${i + 1}`,
      role: 'taskmanager' as const,
    })),
    { id: 'sql-gateway', role: 'sql-gateway' },
  ];
}
