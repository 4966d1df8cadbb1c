import type { V1Pod } from '@kubernetes/client-node';
import type {
  JobLogs,
  LogBytes,
  LogRange,
  LogRun,
  LogRunRef,
  LogSource,
} from '../../../domain/logs/job-logs.ts';
import type { KubeApi } from './kube-api.ts';
import type { PodWatch } from './pod-watch.ts';
import { LABELS } from './standalone-manifests.ts';

/**
 * The logs of a job's standalone cluster are its pods' logs, as the kubelet keeps them: one source per
 * pod (`--source <pod>`), named `jobmanager`, `taskmanager-1`, ... by role. Flink logs to the console
 * in these pods, so a pod's log holds both Flink's log and the process's stdout (a print sink's rows).
 * Only live runs have logs: once its pods are gone, a run's logs are gone with them (keeping them per
 * submission is not built yet). The kubelet serves a log from its beginning or its last lines, not
 * from a byte offset: a read takes the whole log and cuts it.
 */
export class PodLogs implements JobLogs {
  readonly scope = 'job' as const;

  constructor(
    private readonly api: KubeApi,
    private readonly watch: PodWatch,
    /** The job's runs whose clusters this target knows, with when they were applied. */
    private readonly runsOf: (jobName: string) => { flinkJobId: string; appliedAt: number }[],
  ) {}

  async runs(jobName: string): Promise<LogRun[]> {
    return this.runsOf(jobName)
      .sort((a, b) => b.appliedAt - a.appliedAt)
      .map((r) => ({ flinkJobId: r.flinkJobId, at: new Date(r.appliedAt).toISOString(), live: true }));
  }

  private async podsOf(
    ref: LogRunRef,
  ): Promise<{ pod: V1Pod; process: string; role: 'jobmanager' | 'taskmanager' }[]> {
    const id = ref.flinkJobId ?? (await this.runs(ref.jobName))[0]?.flinkJobId;
    if (!id) return [];
    const pods = (await this.watch.pods(id)).sort((a, b) =>
      a.metadata!.name!.localeCompare(b.metadata!.name!),
    );
    const jm = pods.filter((p) => p.metadata?.labels?.[LABELS.component] === 'jobmanager');
    const tms = pods.filter((p) => p.metadata?.labels?.[LABELS.component] === 'taskmanager');
    return [
      ...jm.map((pod) => ({ pod, process: 'jobmanager', role: 'jobmanager' as const })),
      ...tms.map((pod, i) => ({ pod, process: `taskmanager-${i + 1}`, role: 'taskmanager' as const })),
    ];
  }

  async sources(ref: LogRunRef): Promise<LogSource[]> {
    return (await this.podsOf(ref)).map(({ pod, process, role }) => ({
      id: pod.metadata!.name!,
      process,
      role,
      stream: 'log' as const,
      size: null,
      live: pod.status?.phase === 'Running',
    }));
  }

  async read(ref: LogRunRef, sourceId: string, range: LogRange): Promise<LogBytes> {
    const found = (await this.podsOf(ref)).find((p) => p.pod.metadata!.name === sourceId);
    if (!found) return { bytes: new Uint8Array(), from: 0, size: 0, live: false };
    let text: string;
    try {
      text = await this.api.core.readNamespacedPodLog({
        name: sourceId,
        namespace: this.api.namespace,
        // Sluice's own pods name their container after the role; the operator's name it flink-main-container.
        container:
          found.pod.spec?.containers.find((c) => c.name === found.role)?.name ??
          found.pod.spec?.containers[0]?.name,
      });
    } catch (e) {
      throw this.api.refused(`read the log of pod ${sourceId}`, e);
    }
    const all = Buffer.from(text, 'utf8');
    const size = all.length;
    const from =
      'tailBytes' in range ? Math.max(0, size - range.tailBytes) : Math.min(range.fromOffset, size);
    const to =
      'fromOffset' in range && range.maxBytes !== undefined ? Math.min(size, from + range.maxBytes) : size;
    return {
      bytes: new Uint8Array(all.subarray(from, to)),
      from,
      size,
      live: found.pod.status?.phase === 'Running',
    };
  }
}
