import http from 'node:http';
import https from 'node:https';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import type { RawResponse } from '../../../domain/targets/deployment-target.ts';
import type { RestTransport } from '../../flink/rest/flink-rest-client.ts';
import { apiServerRequest, kubeAccessOf } from '../kube-client.ts';

/** The field manager of everything Sluice applies: `kubectl` shows who owns which field. */
export const FIELD_MANAGER = 'sluice';

/** The API's own words for a failed call: its Status message when it sent one. */
export function apiDetail(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        const status = JSON.parse(body) as { message?: string };
        if (status.message) return `${e.code}: ${status.message}`;
      } catch {
        // not a Status: the body itself says it
      }
      return `${e.code}: ${body.slice(0, 300)}`;
    }
    return `${e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiException && e.code === 404;

/**
 * The Kubernetes API as one target (kubeconfig, context, namespace) uses it: server-side apply, reads
 * by label, deletion with propagation, pod logs, and a REST transport through the API server's service
 * proxy, so that Sluice reaches a job's JobManager with no network route to the pods.
 */
export class KubeApi {
  readonly kc: KubeConfig;
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;

  constructor(readonly spec: KubernetesTargetSpec) {
    // Read as registration reads it: a kubeconfig that cannot be used is refused saying what to fix.
    this.kc = kubeAccessOf(spec).config;
    this.objects = KubernetesObjectApi.makeApiClient(this.kc);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.apps = this.kc.makeApiClient(AppsV1Api);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(no server)';
  }

  get namespace(): string {
    return this.spec.namespace;
  }

  /** A refusal of the API, naming the target, server, namespace and what was asked. */
  refused(action: string, e: unknown): SluiceError {
    return this.notDone(action, apiDetail(e));
  }

  /**
   * What the cluster did not do in time (or would not do without a change), said as a refusal is:
   * target, server, namespace, what was asked and what was seen instead.
   */
  notDone(action: string, detail: string): SluiceError {
    return new SluiceError(
      'engine_unavailable',
      message('kubernetes.apiRefused', {
        target: this.spec.name,
        server: this.server,
        namespace: this.namespace,
        action,
        detail,
      }),
      { target: this.spec.name },
    );
  }

  /** Server-side apply, as `kubectl apply --server-side --force-conflicts --field-manager sluice`. */
  async apply<T extends KubernetesObject>(obj: T, dryRun = false): Promise<T> {
    try {
      return await this.objects.patch(
        obj,
        undefined,
        dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (e) {
      throw this.refused(`apply ${obj.kind} ${obj.metadata?.name ?? ''}`, e);
    }
  }

  async pods(labelSelector: string): Promise<V1Pod[]> {
    try {
      return (await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector })).items;
    } catch (e) {
      throw this.refused(`list pods (${labelSelector})`, e);
    }
  }

  /** The last lines of a pod's log (of its previous container when it crashed), or '' when it has none. */
  async podLog(pod: string, container: string, previous = false, tailLines = 40): Promise<string> {
    return this.core
      .readNamespacedPodLog({ name: pod, namespace: this.namespace, container, previous, tailLines })
      .catch(() => '');
  }

  /** The scheduler's and kubelet's latest word on a pod (Warning events first). */
  async podEvents(pod: string): Promise<{ reason: string; message: string; type: string }[]> {
    try {
      const list = await this.core.listNamespacedEvent({
        namespace: this.namespace,
        fieldSelector: `involvedObject.name=${pod}`,
      });
      return list.items
        .sort((a, b) => eventTime(b) - eventTime(a))
        .map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '' }));
    } catch {
      return [];
    }
  }

  /** The base URL of a Service port through the API server's proxy. */
  serviceProxyUrl(service: string, port: string): string {
    return `${this.server.replace(/\/$/, '')}/api/v1/namespaces/${this.namespace}/services/${service}:${port}/proxy`;
  }

  /**
   * A REST transport through the API server with the kubeconfig's credentials (client certificate,
   * CA, bearer token), taken again for each request so that a refreshed token is used. With
   * `attempts` > 1, a 503 from the API server's proxy (no ready endpoint behind the Service yet, or a
   * connection it could not make: the request never reached Flink) is asked again that many times in
   * all, `delayMs` apart; a per-job observer passes 1, since there a 503 says "still starting".
   */
  transport(attempts = 1, delayMs = 750): RestTransport {
    return async (url, init) => {
      for (let attempt = 1; ; attempt++) {
        const res = await this.request(url, init);
        if (res.status === 503 && attempt < attempts && !init.signal.aborted) {
          await new Promise((r) => setTimeout(r, delayMs));
          continue;
        }
        const text = res.body.toString('utf8');
        return { ok: res.status >= 200 && res.status < 300, status: res.status, text: async () => text };
      }
    };
  }

  /** A GET through the API server (its service proxy), the answer's bytes as they came. */
  get(url: string, signal: AbortSignal): Promise<RawResponse> {
    return this.request(url, { method: 'GET', headers: {}, body: null, signal });
  }

  private async request(
    url: string,
    init: {
      method: string;
      headers: Record<string, string>;
      body: string | Uint8Array<ArrayBuffer> | null;
      signal?: AbortSignal;
    },
  ): Promise<RawResponse> {
    {
      const auth = await apiServerRequest(this.kc, url);
      const headers: Record<string, string> = { ...init.headers, ...auth.headers };
      const client = url.startsWith('https:') ? https : http;
      return new Promise((resolve, reject) => {
        const req = client.request(
          url,
          {
            method: init.method,
            headers,
            signal: init.signal,
            ...auth.tls,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const type = res.headers['content-type'];
              resolve({
                status: res.statusCode ?? 0,
                contentType: typeof type === 'string' ? type : null,
                body: Buffer.concat(chunks),
              });
            });
          },
        );
        req.on('error', reject);
        if (init.body !== null) req.write(init.body);
        req.end();
      });
    }
  }
}

/**
 * Applies a standalone cluster's root ConfigMap (which owns the rest), then its JobManager Service,
 * whose ClusterIP becomes `jobmanager.rpc.address` (no cluster DNS is needed), then the root again
 * with that address. Returns the last rendering: the caller applies what remains of it.
 */
export async function applyRootAndService<
  I extends { rootUid: string | null; jobManagerAddress: string | null },
  R extends { root: V1ConfigMap; service: V1Service },
>(api: KubeApi, input: I, render: (input: I) => R, log: (line: string) => void): Promise<R> {
  const first = render(input);
  const root = await api.apply(first.root);
  const uid = root.metadata!.uid!;
  log(`applied ConfigMap ${first.root.metadata!.name} (the root, uid ${uid})`);
  const owned = render({ ...input, rootUid: uid });
  const service = await api.apply(owned.service);
  const clusterIP = service.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None')
    throw new Error(`Service ${owned.service.metadata!.name} got no ClusterIP`);
  log(`applied Service ${owned.service.metadata!.name}: ClusterIP ${clusterIP} is jobmanager.rpc.address`);
  const all = render({ ...input, rootUid: uid, jobManagerAddress: clusterIP });
  await api.apply(all.root);
  return all;
}

function eventTime(e: {
  lastTimestamp?: Date;
  eventTime?: Date;
  metadata?: { creationTimestamp?: Date };
}): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
