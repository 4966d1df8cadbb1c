import { makeInformer, type Informer, type ObjectCache, type V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.ts';
import { LABELS, selectorOf } from './standalone-manifests.ts';

/** How long after a broken watch it is started again. */
const RESTART_MS = 2000;

/**
 * The pods of one target's clusters, kept by one informer (list, then watch) per target and namespace
 * rather than one request per job and poll: a start asks for its pods several times a second, and
 * sees a pod change as soon as the API server reports it. Until the informer has listed (or while its
 * watch is broken and restarting) the pods are listed directly, so an answer is never stale by more
 * than one request.
 */
export class PodWatch {
  private informer: (Informer<V1Pod> & ObjectCache<V1Pod>) | null = null;
  private synced = false;
  private stopped = false;
  private restart: NodeJS.Timeout | null = null;
  private readonly listeners: ((flinkJobId: string) => void)[] = [];

  constructor(
    private readonly api: KubeApi,
    /** The target's pods: `app.kubernetes.io/managed-by=sluice,sluice.dev/target=<name>`. */
    private readonly labelSelector: string,
  ) {}

  /** The pods of one run (by its Flink job id), not being deleted. */
  async pods(flinkJobId: string): Promise<V1Pod[]> {
    this.ensureStarted();
    const all =
      this.synced && this.informer
        ? this.informer
            .list(this.api.namespace)
            .filter((p) => p.metadata?.labels?.[LABELS.flinkJobId] === flinkJobId)
        : await this.api.pods(selectorOf(flinkJobId));
    return all.filter((p) => !p.metadata?.deletionTimestamp);
  }

  /**
   * The Pending pods of each run (by Flink job id) in the watch's cache, or null until the watch has
   * listed them (or while it restarts): a count read at each scrape of Sluice's /metrics.
   */
  pendingByRun(): Map<string, number> | null {
    if (!this.synced || !this.informer) return null;
    const counts = new Map<string, number>();
    for (const p of this.informer.list(this.api.namespace)) {
      const id = p.metadata?.labels?.[LABELS.flinkJobId];
      if (!id || p.metadata?.deletionTimestamp) continue;
      counts.set(id, (counts.get(id) ?? 0) + (p.status?.phase === 'Pending' ? 1 : 0));
    }
    return counts;
  }

  /** Calls `listener` with the run's Flink job id on every change of one of its pods; starts the watch. */
  onChange(listener: (flinkJobId: string) => void): void {
    this.listeners.push(listener);
    this.ensureStarted();
  }

  private ensureStarted(): void {
    if (this.informer || this.stopped) return;
    const namespace = this.api.namespace;
    const informer = makeInformer<V1Pod>(
      this.api.kc,
      `/api/v1/namespaces/${namespace}/pods`,
      () => this.api.core.listNamespacedPod({ namespace, labelSelector: this.labelSelector }),
      this.labelSelector,
    );
    const changed = (pod: V1Pod) => {
      const id = pod.metadata?.labels?.[LABELS.flinkJobId];
      if (id) for (const l of this.listeners) l(id);
    };
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, changed);
    let failed = false;
    informer.on('error', () => {
      failed = true;
      this.synced = false;
      if (this.stopped || this.restart) return;
      this.restart = setTimeout(() => {
        this.restart = null;
        failed = false;
        void informer.start().then(() => (this.synced = !failed && !this.stopped));
      }, RESTART_MS);
      this.restart.unref();
    });
    this.informer = informer;
    void informer.start().then(() => (this.synced = !failed && !this.stopped));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.synced = false;
    if (this.restart) clearTimeout(this.restart);
    await this.informer?.stop();
    this.informer = null;
  }
}
