import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { FlinkPod } from '../../domain/metrics/pod-scrape-targets.ts';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';
import type { PodMetricsAnswer } from '../../application/ports/kubernetes.ts';
import { apiClient, apiServerRequest, kubeAccessOf, saidByApi, type KubeAccess } from './kube-client.ts';
import { METRICS_PORT_NAME } from './prometheus-pods.ts';
import { LABELS } from './standalone/standalone-manifests.ts';

/** A list of a target's pods gives up after this: the discovery of the other targets must not wait on a dead cluster. */
export const POD_LIST_TIMEOUT_MS = 5_000;
/**
 * A pod's metrics give up after this, headers and body: Prometheus's own scrape timeout is 10 s by
 * default, and an answer it stopped waiting for is no use.
 */
export const POD_METRICS_TIMEOUT_MS = 10_000;

/** The pods of every cluster Sluice runs for one target, whatever the way (the renderers label them all so). */
export const targetPodSelector = (target: string): string =>
  `${LABELS.managedBy}=sluice,${LABELS.target}=${target}`;

/** What the discovery reads of a pod: its phase and readiness, Sluice's labels and the reporter's port. */
export function flinkPodOf(p: k8s.V1Pod, namespace: string): FlinkPod {
  const labels = p.metadata?.labels ?? {};
  const annotations = p.metadata?.annotations ?? {};
  const named = (p.spec?.containers ?? [])
    .flatMap((c) => c.ports ?? [])
    .find((port) => port.name === METRICS_PORT_NAME);
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? namespace,
    phase: p.status?.phase ?? 'Unknown',
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: !!p.metadata?.deletionTimestamp,
    component: labels[LABELS.component],
    job: labels[LABELS.job],
    flinkJobId: labels[LABELS.flinkJobId],
    annotatedPort:
      annotations['prometheus.io/scrape'] === 'true' ? annotations['prometheus.io/port'] : undefined,
    namedPort: named?.containerPort ?? null,
  };
}

/**
 * The Kubernetes side of scraping a target's pods: its pods listed, and one pod's reporter asked
 * through the API server's pod proxy with the target's own credentials (its kubeconfig, or the
 * in-cluster service account), so that no route to the pod network is needed.
 */
export class PodMetrics {
  /** Each target's client config, read again when its spec changes (not at every scrape). */
  private readonly access = new Map<string, { key: string; access: KubeAccess }>();

  constructor(
    private readonly listTimeoutMs = POD_LIST_TIMEOUT_MS,
    private readonly metricsTimeoutMs = POD_METRICS_TIMEOUT_MS,
  ) {}

  private accessOf(spec: KubernetesTargetSpec): KubeAccess {
    const key = JSON.stringify([spec.kubeconfig, spec.context]);
    const known = this.access.get(spec.name);
    if (known?.key === key) return known.access;
    let access: KubeAccess;
    try {
      access = kubeAccessOf(spec);
    } catch (e) {
      // A kubeconfig gone or broken since registration: the cluster cannot be asked (503), not a bad request.
      throw this.refused(spec, null, 'be asked: its kubeconfig cannot be used', (e as Error).message);
    }
    this.access.set(spec.name, { key, access });
    return access;
  }

  private refused(spec: KubernetesTargetSpec, access: KubeAccess | null, action: string, detail: string) {
    return new SluiceError(
      'engine_unavailable',
      message('kubernetes.apiRefused', {
        target: spec.name,
        server: access?.server ?? '(no server)',
        namespace: spec.namespace,
        action,
        detail,
      }),
      { target: spec.name },
    );
  }

  async pods(spec: KubernetesTargetSpec): Promise<FlinkPod[]> {
    const access = this.accessOf(spec);
    const selector = targetPodSelector(spec.name);
    try {
      const list = await apiClient(access, k8s.CoreV1Api, this.listTimeoutMs).listNamespacedPod({
        namespace: spec.namespace,
        labelSelector: selector,
      });
      return list.items.map((p) => flinkPodOf(p, spec.namespace));
    } catch (e) {
      throw this.refused(spec, access, `list pods (${selector})`, saidByApi(e, this.listTimeoutMs));
    }
  }

  /**
   * GET `/api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/metrics`: the answer's body streamed as it
   * comes (a reporter's page can be large), given up after the timeout or when `signal` aborts (the
   * scrape went away). A 404 of the API server (no such pod any more) is not_found; any other answer
   * but 200 says what the API server said.
   */
  async metrics(
    spec: KubernetesTargetSpec,
    pod: string,
    port: number,
    o: { signal: AbortSignal; accept?: string | undefined },
  ): Promise<PodMetricsAnswer> {
    const access = this.accessOf(spec);
    const url = `${access.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(spec.namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy/metrics`;
    const { headers, tls } = await apiServerRequest(access.config, url);
    // Prometheus's content negotiation (text or OpenMetrics) goes on to Flink's reporter.
    if (o.accept) headers.accept = o.accept;
    const timeout = AbortSignal.timeout(this.metricsTimeoutMs);
    const signal = AbortSignal.any([o.signal, timeout]);
    const secure = url.startsWith('https:');
    const action = `proxy GET /metrics of pod ${pod} port ${port}`;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = (secure ? https : http).request(url, {
        method: 'GET',
        headers,
        signal,
        ...tls,
      });
      req.on('response', resolve);
      req.on('error', (e) =>
        reject(
          this.refused(
            spec,
            access,
            action,
            timeout.aborted ? `no answer within ${this.metricsTimeoutMs / 1000} s` : e.message,
          ),
        ),
      );
      req.end();
    });
    const status = res.statusCode ?? 0;
    if (status === 200) {
      const type = res.headers['content-type'];
      return { contentType: typeof type === 'string' ? type : null, body: res as Readable };
    }
    const detail = await statusText(res);
    if (status === 404)
      throw new SluiceError(
        'not_found',
        message('prometheus.podGone', { target: spec.name, namespace: spec.namespace, pod, detail }),
        { target: spec.name, pod },
      );
    if (status === 401 || status === 403)
      throw this.refused(
        spec,
        access,
        action,
        `${status}: ${detail} (the target's credentials need 'get pods/proxy' in namespace ${spec.namespace}, which ClusterRole edit grants)`,
      );
    throw this.refused(spec, access, action, `${status}: ${detail}`);
  }
}

/** The API server's Status message of a refusal (or the start of its text), read whole: it is short. */
async function statusText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of res as AsyncIterable<Buffer>) {
      if (size < 4096) chunks.push(c);
      size += c.length;
    }
  } catch {
    // what came is enough to say
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const s = JSON.parse(text) as { message?: string };
    if (s.message) return s.message;
  } catch {
    // not a Status: its text
  }
  return text.slice(0, 300).trim() || 'no message';
}
