import type { Command } from 'commander';
import type { KubernetesClusterInfo, TargetResourcesInfo } from '../../contract/targets.ts';
import { formatCpu, formatMemory } from '../../domain/targets/kubernetes-cluster-view.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

const mem = (b: number | null) => (b === null ? '-' : formatMemory(b));
const res = (r: { cpuMillis: number; memoryBytes: number }) =>
  `${formatCpu(r.cpuMillis)}, ${formatMemory(r.memoryBytes)}`;

/** A Kubernetes target's nodes (requested / allocatable), Pending pods and jobs' requests and limits, as text. */
export function printKubernetesCluster(v: KubernetesClusterInfo): void {
  console.log('\nnodes (requested / allocatable):');
  if (v.nodes)
    console.log(
      table(
        v.nodes.map((n) => ({
          node: n.name,
          pods: n.pods,
          cpu: `${formatCpu(n.requested.cpuMillis)} / ${formatCpu(n.allocatable.cpuMillis)}`,
          memory: `${formatMemory(n.requested.memoryBytes)} / ${formatMemory(n.allocatable.memoryBytes)}`,
        })),
        ['node', 'pods', 'cpu', 'memory'],
      ),
    );
  else console.log(`  not shown: ${v.nodesProblem}`);
  console.log(`\npending pods: ${v.pending.length ? '' : 'none'}`);
  if (v.pending.length)
    console.log(
      table(
        v.pending.map((p) => ({ ...p, job: p.job ?? '-' })),
        ['pod', 'job', 'reason', 'message'],
      ),
    );
  console.log(`\njobs' requests: ${v.jobs.length ? '' : 'no job has pods'}`);
  if (v.jobs.length)
    console.log(
      table(
        v.jobs.map((j) => ({
          ...j,
          run: j.flinkJobId,
          requests: res(j.requests),
          limits: res(j.limits),
        })),
        ['job', 'run', 'pods', 'running', 'pending', 'requests', 'limits'],
      ),
    );
}

/** `sluice target resources NAME`: slots, TaskManagers and memory; on Kubernetes requested vs allocatable. */
export function printResources(v: TargetResourcesInfo): void {
  console.log(`target ${v.target} (${v.targetKind}), ${v.at}`);
  if (v.flink) {
    const f = v.flink;
    console.log(
      `slots: ${f.slotsTotal - f.slotsFree} used, ${f.slotsFree} free of ${f.slotsTotal}; ${f.taskManagers} TaskManager(s), ${formatMemory(f.processMemoryBytes)} process memory`,
    );
    for (const c of f.clusters) {
      console.log(`\ncluster ${c.cluster} (${c.restUrl})${c.problem ? `: ${c.problem}` : ''}`);
      if (c.problem) continue;
      console.log(
        table(
          c.taskManagers.map((t) => ({
            taskmanager: t.id,
            slots: `${t.slotsUsed} used / ${t.slotsTotal}`,
            free: t.slotsFree,
            memory: mem(t.processMemoryBytes),
            managed: mem(t.managedMemoryBytes),
            heap: `${mem(t.heapUsedBytes)} / ${mem(t.heapMaxBytes)}`,
          })),
          ['taskmanager', 'slots', 'free', 'memory', 'managed', 'heap'],
        ),
      );
      if (c.jobs.length)
        console.log(
          table(
            c.jobs.map((j) => ({ ...j, job: j.job ?? '-', flink: j.flinkJobId, waiting: j.waitingTasks })),
            ['job', 'name', 'flink', 'state', 'slots', 'waiting'],
          ),
        );
    }
  }
  if (v.kubernetes) {
    console.log(`namespace ${v.kubernetes.namespace} on ${v.kubernetes.server}`);
    printKubernetesCluster(v.kubernetes);
  }
  console.log(`\nwaiting for resources: ${v.waiting.length ? '' : 'none'}`);
  if (v.waiting.length)
    console.log(
      table(
        v.waiting.map((w) => ({ ...w, job: w.job ?? '-' })),
        ['job', 'reason', 'message'],
      ),
    );
  console.log(`\nread from: ${v.sources.join('; ')}`);
}

/** `sluice target resources`. */
export function resourcesCommand(target: Command, api: () => SluiceApi): void {
  target
    .command('resources <name>')
    .description(
      'what a target has and its jobs take: TaskManagers, slots and memory; on Kubernetes requested vs allocatable and Pending pods; the jobs waiting for resources with the reason',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const v = await api().targets.resources(name);
      if (o.json) return printJson(v);
      printResources(v);
    });
}
