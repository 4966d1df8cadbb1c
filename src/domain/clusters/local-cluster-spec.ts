import { SluiceError, invalid } from '../errors.ts';
import { message, type Message } from '../messages.ts';
import { formatMemorySize, parseMemorySize } from './memory-size.ts';

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

/** A deployment target's name, of every kind: lower-case letters, digits, '.' and '-', as Kubernetes names objects. */
export const TARGET_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
const NAME = TARGET_NAME;
const MIB = 1024 * 1024;

type MemoryField = 'jobManagerMemory' | 'taskManagerMemory' | 'gatewayMemory';
const MEMORY_FIELDS: readonly MemoryField[] = ['jobManagerMemory', 'taskManagerMemory', 'gatewayMemory'];

/**
 * The least memory each process of Flink 1.20 starts with: the JobManager's metaspace (256m), overhead
 * (192m) and off-heap (128m) leave it a 192m heap; a TaskManager's fixed parts (metaspace, overhead,
 * framework heap and off-heap, network) leave its tasks a heap; the SQL Gateway plans with a 256m heap.
 * A cluster of exactly these starts and runs a job (test/e2e/security-contract.test.ts).
 */
export const MIN_MEMORY: Record<MemoryField, number> = {
  jobManagerMemory: 768 * MIB,
  taskManagerMemory: 1024 * MIB,
  gatewayMemory: 256 * MIB,
};
const ROLE: Record<MemoryField, string> = {
  jobManagerMemory: 'JobManager',
  taskManagerMemory: 'TaskManager',
  gatewayMemory: 'SQL Gateway',
};

/** Flink option names: dotted words. Anything else could break the config file the options are written to. */
export const FLINK_CONFIG_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Options Sluice sets from the cluster's own fields: set there, they are checked (ports, memory). */
const OWN_FIELD_KEYS: Record<string, string> = {
  'rest.port': 'restPort',
  'rest.bind-port': 'restPort',
  'jobmanager.rpc.port': 'rpcPort',
  'sql-gateway.endpoint.rest.port': 'gatewayPort',
  'sql-gateway.endpoint.rest.bind-port': 'gatewayPort',
  'jobmanager.memory.process.size': 'jobManagerMemory',
  'taskmanager.memory.process.size': 'taskManagerMemory',
  'taskmanager.numberOfTaskSlots': 'slotsPerTaskManager',
};
/** Addresses Sluice keeps on loopback, so that a local cluster is never reachable from outside. */
const LOOPBACK_KEYS = new Set([
  'jobmanager.rpc.address',
  'jobmanager.bind-host',
  'taskmanager.host',
  'taskmanager.bind-host',
  'rest.address',
  'rest.bind-address',
  'sql-gateway.endpoint.rest.address',
  'sql-gateway.endpoint.rest.bind-address',
]);

/** What this machine offers a cluster: its memory (os.totalmem()). */
export interface MachineLimits {
  memoryBytes: number;
}

const refuse = (field: string, text: Message) => new SluiceError('invalid_argument', text, { field });

/** What sizes a session cluster, wherever it runs (local processes or Kubernetes pods). */
export type SessionResources = Pick<
  LocalClusterSpec,
  'taskManagers' | 'slotsPerTaskManager' | 'jobManagerMemory' | 'taskManagerMemory' | 'gatewayMemory'
>;

/** The memory sizes of a definition, each as Flink reads it, at least what Flink starts with. */
function checkMemory(spec: SessionResources, machine: MachineLimits | undefined): void {
  const bytes = {} as Record<MemoryField, number>;
  for (const field of MEMORY_FIELDS) {
    const value = String(spec[field]);
    const b = parseMemorySize(value);
    if (b === null) throw refuse(field, message('cluster.memoryNotASize', { field, value }));
    const min = formatMemorySize(MIN_MEMORY[field]);
    if (b < MIN_MEMORY[field])
      throw refuse(
        field,
        /^\s*\d+\s*$/.test(value)
          ? message('cluster.memoryBareBytes', { field, value: value.trim(), min, role: ROLE[field] })
          : message('cluster.memoryTooSmall', { field, value, min, role: ROLE[field] }),
      );
    if (machine && b > machine.memoryBytes)
      throw refuse(
        field,
        message('cluster.memoryTooLarge', { field, value, machine: formatMemorySize(machine.memoryBytes) }),
      );
    bytes[field] = b;
  }
  const total = bytes.jobManagerMemory + spec.taskManagers * bytes.taskManagerMemory + bytes.gatewayMemory;
  if (machine && total > machine.memoryBytes)
    throw refuse(
      'taskManagerMemory',
      message('cluster.memoryTotalTooLarge', {
        total: formatMemorySize(total),
        jobManager: spec.jobManagerMemory,
        taskManagers: spec.taskManagers,
        taskManager: spec.taskManagerMemory,
        gateway: spec.gatewayMemory,
        machine: formatMemorySize(machine.memoryBytes),
      }),
    );
}

/** Extra Flink options: option names only, and none that would undo what the cluster's fields say. */
function checkFlinkConfig(config: Record<string, string>): void {
  for (const key of Object.keys(config)) {
    const field = `flinkConfig.${key}`;
    if (!FLINK_CONFIG_KEY.test(key)) throw refuse(field, message('cluster.configKeyInvalid', { key }));
    const own = OWN_FIELD_KEYS[key];
    if (own) throw refuse(field, message('cluster.configKeyOwnField', { key, field: own }));
    if (LOOPBACK_KEYS.has(key)) throw refuse(field, message('cluster.configKeyLoopback', { key }));
  }
}

const PORT_FIELDS = ['restPort', 'rpcPort', 'gatewayPort'] as const;
type PortField = (typeof PORT_FIELDS)[number];

/**
 * A port of `spec` that another cluster's definition or Sluice's own API already has; null when none.
 * (Whether another program holds it is asked of the machine, when the cluster is defined and started.)
 */
export function portCollision(
  spec: LocalClusterSpec,
  others: readonly LocalClusterSpec[],
  serverPort: number,
): SluiceError | null {
  for (const field of PORT_FIELDS) {
    const port = spec[field];
    if (port === serverPort) return refuse(field, message('cluster.portOfServer', { field, port }));
    for (const other of others) {
      if (other.name === spec.name) continue;
      const otherField = PORT_FIELDS.find((f) => other[f] === port);
      if (otherField)
        return refuse(
          field,
          message('cluster.portOfOtherCluster', { field, port, otherField, cluster: other.name }),
        );
    }
  }
  return null;
}

/**
 * The ports of a cluster nobody chose them for (the default cluster Sluice defines for an engine), moved
 * together by the least step that frees all three of another cluster's and the server's: the default
 * cluster of a second engine would otherwise take the first one's.
 */
export function portsBeside(
  spec: LocalClusterSpec,
  others: readonly LocalClusterSpec[],
  serverPort: number,
): Pick<LocalClusterSpec, PortField> {
  for (let step = 0; ; step++) {
    const moved = {
      ...spec,
      restPort: spec.restPort + step,
      rpcPort: spec.rpcPort + step,
      gatewayPort: spec.gatewayPort + step,
    };
    if (PORT_FIELDS.some((f) => moved[f] > 65535))
      return { restPort: spec.restPort, rpcPort: spec.rpcPort, gatewayPort: spec.gatewayPort };
    if (!portCollision(moved, others, serverPort))
      return { restPort: moved.restPort, rpcPort: moved.rpcPort, gatewayPort: moved.gatewayPort };
  }
}

/** Checks a definition; with `machine`, also that its memory fits this machine. */
export function checkLocalClusterSpec(spec: LocalClusterSpec, machine?: MachineLimits): void {
  if (!NAME.test(spec.name)) throw invalid('name', message('target.badName', { name: spec.name }));
  for (const key of ['restPort', 'rpcPort', 'gatewayPort'] as const) {
    const p = spec[key];
    if (!Number.isInteger(p) || p < 1024 || p > 65535)
      throw invalid(key, message('cluster.badPort', { value: String(p) }));
  }
  if (new Set([spec.restPort, spec.rpcPort, spec.gatewayPort]).size !== 3)
    throw invalid('ports', message('cluster.samePorts'));
  checkSessionResources(spec, machine);
  checkFlinkConfig(spec.flinkConfig);
}

/**
 * A session cluster's TaskManagers, slots and memory sizes (a local one's or a Kubernetes one's);
 * with `machine`, also that its memory fits this machine.
 */
export function checkSessionResources(spec: SessionResources, machine?: MachineLimits): void {
  if (!Number.isInteger(spec.taskManagers) || spec.taskManagers < 1 || spec.taskManagers > 8)
    throw invalid('taskManagers', message('cluster.badTaskManagers', { value: String(spec.taskManagers) }));
  if (
    !Number.isInteger(spec.slotsPerTaskManager) ||
    spec.slotsPerTaskManager < 1 ||
    spec.slotsPerTaskManager > 64
  )
    throw invalid(
      'slotsPerTaskManager',
      message('cluster.badSlots', { value: String(spec.slotsPerTaskManager) }),
    );
  checkMemory(spec, machine);
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
