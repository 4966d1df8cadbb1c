import { SluiceError, notFound } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { reportingPods, type PodMetricsEndpoint } from '../domain/metrics/pod-scrape-targets.ts';
import type { KubernetesRuntime, PodMetricsAnswer } from './ports/kubernetes.ts';
import type { KubernetesTargetRecord, TargetStore } from './ports/store.ts';
import { kindOfRecord } from './target-service.ts';

/**
 * How long the pod ports a discovery found serve the scrapes: the discovery is asked every scrape
 * interval (15 s by default), so a scrape seldom lists pods itself.
 */
const POD_PORTS_REUSE_MS = 60_000;

/**
 * The pods of Kubernetes targets as Prometheus scrape targets: which JobManager and TaskManager pods
 * report, and each one's metrics through the API server's pod proxy (their own addresses are seldom
 * reachable from where Sluice runs).
 */
export class PodMetricsService {
  /**
   * The reporter port of each pod the latest discovery of a target found: a scrape of a pod takes its
   * port from here (a pod not listed, or a listing too old, lists the target's pods again).
   */
  private readonly reportingPodPorts = new Map<string, { at: number; ports: Map<string, number> }>();
  /** The last failure of each target's discovery: logged when it changes, not at every refresh. */
  private readonly discoveryProblems = new Map<string, string>();

  constructor(
    private readonly targets: Pick<TargetStore, 'list' | 'get'>,
    /** The Kubernetes client, loaded on first use by the target service. */
    private readonly kubernetes: () => Promise<KubernetesRuntime>,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /**
   * The JobManager and TaskManager pods running now, Ready, with a reporter, of every Kubernetes
   * target (standalone, session, native, operator: the pods Sluice's labels name), with their job
   * where they run one. What `GET /api/v1/prometheus/pod-targets` lists. A target whose cluster does
   * not answer lists none (said in the log once) and the others are listed.
   */
  async endpoints(): Promise<PodMetricsEndpoint[]> {
    const records = (await this.targets.list()).filter(
      (r): r is KubernetesTargetRecord => r.kind === 'kubernetes',
    );
    const names = new Set(records.map((r) => r.name));
    // A removed target's pods are not asked for again.
    for (const known of [...this.reportingPodPorts.keys(), ...this.discoveryProblems.keys()])
      if (!names.has(known)) this.forget(known);
    if (records.length === 0) return [];
    const runtime = await this.kubernetes();
    const lists = await Promise.all(
      records.map(async (rec) => {
        try {
          const found = await this.reportingPodsOf(runtime, rec);
          if (this.discoveryProblems.delete(rec.name))
            this.log(`target ${rec.name}: its pods are listed for Prometheus again`);
          return found;
        } catch (e) {
          const problem = (e as Error).message;
          if (this.discoveryProblems.get(rec.name) !== problem)
            this.log(`target ${rec.name}: its pods could not be listed for Prometheus: ${problem}`);
          this.discoveryProblems.set(rec.name, problem);
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /**
   * One pod's metrics, as its reporter answers them through the API server's pod proxy: the pod must be
   * a reporting JobManager or TaskManager of the Kubernetes target (Sluice proxies nothing else), else
   * not_found, as for a pod that is gone, so that Prometheus marks its target down.
   */
  async scrape(
    target: string,
    pod: string,
    o: { signal: AbortSignal; accept?: string | undefined },
  ): Promise<PodMetricsAnswer> {
    const rec = await this.targets.get(target);
    if (!rec) throw notFound('target', target, message('target.notFound', { target }));
    if (rec.kind !== 'kubernetes')
      throw new SluiceError(
        'not_found',
        message('prometheus.notKubernetesTarget', { target, kind: kindOfRecord(rec) }),
        { target },
      );
    const runtime = await this.kubernetes();
    const seen = this.reportingPodPorts.get(target);
    let port = seen && Date.now() - seen.at < POD_PORTS_REUSE_MS ? seen.ports.get(pod) : undefined;
    port ??= (await this.reportingPodsOf(runtime, rec)).find((p) => p.pod === pod)?.port;
    if (port === undefined)
      throw new SluiceError(
        'not_found',
        message('prometheus.podNotReporting', { target, pod, namespace: rec.spec.namespace }),
        { target, pod },
      );
    return runtime.podMetrics(rec.spec, pod, port, o);
  }

  private forget(target: string): void {
    this.reportingPodPorts.delete(target);
    this.discoveryProblems.delete(target);
  }

  private async reportingPodsOf(
    runtime: KubernetesRuntime,
    rec: KubernetesTargetRecord,
  ): Promise<PodMetricsEndpoint[]> {
    const found = reportingPods(rec.name, rec.spec.engineVersion, await runtime.flinkPods(rec.spec));
    this.reportingPodPorts.set(rec.name, {
      at: Date.now(),
      ports: new Map(found.map((p) => [p.pod, p.port])),
    });
    return found;
  }
}
