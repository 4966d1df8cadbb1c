import http from 'node:http';
import https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../test/support/kubernetes/cluster.ts';
import { namespaceGone } from '../test/support/kubernetes/namespace.ts';
import { prepareOperatorNamespace } from '../test/support/kubernetes/operator.ts';

/**
 * The local Kubernetes for a bench section (started or reused; never stopped here), the Flink 1.20
 * image in it, and the section's namespace made fresh: with the `flink` ServiceAccount (ClusterRole
 * edit) when its JobManagers make pods or HA ConfigMaps. The section deletes the namespace at its end.
 */
export async function benchNamespace(
  namespace: string,
  o: { flinkAccount: boolean },
): Promise<{ cluster: LocalCluster; kc: k8s.KubeConfig; core: k8s.CoreV1Api }> {
  const cluster = await clusterUp((m) => console.log(`  k8s: ${m}`));
  await ensureFlinkImage('1.20.3', (m) => console.log(`  k8s: ${m}`));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await namespaceGone(core, namespace, 300_000, `the bench namespace ${namespace} of an earlier run to go`);
  if (o.flinkAccount) await prepareOperatorNamespace(cluster, namespace);
  else await core.createNamespace({ body: { metadata: { name: namespace } } });
  return { cluster, kc, core };
}

type Request = (...args: unknown[]) => unknown;

/** What the requests to the API server were, by kind (path with names and ids taken out). */
export interface RequestCounter {
  count: () => number;
  /** Requests per kind, most first. */
  byKind: () => [string, number][];
  restore: () => void;
}

/**
 * The kind of a request by its path: a Flink REST or SQL Gateway call through the service proxy by
 * what it asks of Flink, a Kubernetes API call by its resource; ids, names and query strings out.
 */
export function requestKind(method: string, pathname: string): string {
  const proxy = /\/services\/[^/]+:([^/]+)\/proxy(\/.*)?$/.exec(pathname);
  if (proxy) {
    const rest = (proxy[2] ?? '/')
      .replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/{id}')
      .replace(/\/[0-9a-f-]{36}(?=\/|$)/g, '/{uuid}');
    return `${method} proxy ${proxy[1]} ${rest}`;
  }
  const api = pathname
    .replace(/\/namespaces\/[^/]+/, '/namespaces/{ns}')
    .replace(/^(.*\/namespaces\/\{ns\}\/[a-z]+)\/[^/]+/, '$1/{name}');
  return `${method} ${api}`;
}

/**
 * Counts the requests this process sends to the server's host and port, by patching http(s).request
 * (the Kubernetes client, the watches and the service-proxy transport all go through them).
 */
export function countRequests(server: string): RequestCounter {
  const u = new URL(server);
  let n = 0;
  const kinds = new Map<string, number>();
  const wrap =
    (original: Request, defaultPort: string): Request =>
    (...args) => {
      const [first, second] = args;
      const byUrl = typeof first === 'string' || first instanceof URL;
      const o = (byUrl ? second : first) as
        | { host?: string; hostname?: string; port?: string | number; path?: string; method?: string }
        | undefined;
      const at = byUrl
        ? new URL(String(first))
        : {
            hostname: o?.hostname ?? o?.host,
            port: String(o?.port ?? ''),
            pathname: (o?.path ?? '/').split('?')[0]!,
          };
      if (at.hostname === u.hostname && (at.port || defaultPort) === (u.port || '443')) {
        n++;
        const kind = requestKind((o?.method ?? 'GET').toUpperCase(), at.pathname);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      return original(...args);
    };
  const originals = { https: https.request, http: http.request };
  https.request = wrap(https.request as unknown as Request, '443') as unknown as typeof https.request;
  http.request = wrap(http.request as unknown as Request, '80') as unknown as typeof http.request;
  return {
    count: () => n,
    byKind: () => [...kinds].sort((a, b) => b[1] - a[1]),
    restore: () => {
      https.request = originals.https;
      http.request = originals.http;
    },
  };
}
