import fs from 'node:fs';
import https from 'node:https';
import type { FlinkRestTls } from '../local-cluster/rest-tls.ts';

/**
 * Requests to Flink's REST endpoints (the JobManager's and the SQL Gateway's). A local cluster that
 * Sluice serves over TLS with mutual authentication is known here by its origin
 * (`https://127.0.0.1:<port>`): its requests present the home's key and check the cluster's
 * certificate against the home's CA only. Every other address (remote clusters, plain local ones) is
 * reached with global fetch, as before.
 */
const agents = new Map<string, https.Agent>();
/** One agent per keys' folder: its connections are kept alive across the clusters that use it. */
const agentOfKeys = new Map<string, https.Agent>();

/** From now on, requests to `origin` present the keys' identity and trust only their CA. */
export function trustLocalCluster(origin: string, tls: FlinkRestTls): void {
  let agent = agentOfKeys.get(tls.dir);
  if (!agent) {
    agent = new https.Agent({
      keepAlive: true,
      pfx: fs.readFileSync(tls.keystore),
      passphrase: tls.password,
      ca: tls.caPem,
    });
    agentOfKeys.set(tls.dir, agent);
  }
  agents.set(new URL(origin).origin, agent);
}

/** True when requests to the URL's origin go with a local cluster's keys. */
export function isTrustedLocalCluster(url: string): boolean {
  return agents.has(new URL(url).origin);
}

export interface FlinkRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | null;
  signal?: AbortSignal;
}

/** fetch, with a local cluster's keys when the URL is one of theirs. */
export function flinkFetch(url: string, init: FlinkRequest = {}): Promise<Response> {
  const agent = agents.get(new URL(url).origin);
  if (!agent)
    return fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      body: typeof init.body === 'string' || !init.body ? (init.body ?? null) : new Blob([init.body]),
      signal: init.signal ?? null,
    });
  return new Promise<Response>((resolve, reject) => {
    const req = https.request(
      url,
      {
        agent,
        method: init.method ?? 'GET',
        headers: {
          ...init.headers,
          ...(init.body ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, one);
          // A Response refuses a body with the statuses that have none.
          const body = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
        });
      },
    );
    req.on('error', reject);
    req.end(init.body ?? undefined);
  });
}
