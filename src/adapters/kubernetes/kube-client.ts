import fs from 'node:fs';
import type https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { SluiceError } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';

/** Where a pod's service account credentials are mounted (Sluice running inside the cluster). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** A Kubernetes target's cluster as a client reaches it: its config, address and context. */
export interface KubeAccess {
  config: k8s.KubeConfig;
  server: string;
  /** The kubeconfig's context; null in-cluster. */
  context: string | null;
  /** The kubeconfig's user name (who Sluice is, until the API server says it by SelfSubjectReview). */
  user: string | null;
}

/**
 * The client config of a target: its kubeconfig file and context, or the service account of the pod
 * Sluice runs in. A config that cannot be used is a SluiceError saying what to fix.
 */
export function kubeAccessOf(spec: Pick<KubernetesTargetSpec, 'kubeconfig' | 'context'>): KubeAccess {
  const config = new k8s.KubeConfig();
  if (spec.kubeconfig === null) {
    const token = `${SERVICE_ACCOUNT_DIR}/token`;
    if (!process.env.KUBERNETES_SERVICE_HOST || !fs.existsSync(token))
      throw new SluiceError(
        'invalid_argument',
        message('kubernetes.notInCluster', {
          detail: process.env.KUBERNETES_SERVICE_HOST
            ? `${token} is missing`
            : 'KUBERNETES_SERVICE_HOST is not set',
        }),
        { field: 'kubeconfig' },
      );
    config.loadFromCluster();
  } else {
    const bad = (detail: string): SluiceError =>
      new SluiceError(
        'invalid_argument',
        message('kubernetes.badKubeconfig', { kubeconfig: spec.kubeconfig!, detail }),
        {
          field: 'kubeconfig',
        },
      );
    // Only a regular file of a kubeconfig's size is read, and a parse error is not echoed: the path
    // comes from a request, and the server must not hang on a device or show another file's lines.
    let stat: fs.Stats;
    try {
      stat = fs.statSync(spec.kubeconfig);
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (!stat.isFile()) throw bad('it is not a regular file');
    if (stat.size > MAX_KUBECONFIG_BYTES)
      throw bad(`it holds ${stat.size} bytes, more than a kubeconfig (1 MiB at most)`);
    try {
      config.loadFromFile(spec.kubeconfig);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw bad(
        code ? (e as Error).message : 'it is not a kubeconfig file (YAML with clusters, users and contexts)',
      );
    }
    if (spec.context !== null) {
      const contexts = config.getContexts().map((c) => c.name);
      if (!contexts.includes(spec.context))
        throw new SluiceError(
          'invalid_argument',
          message('kubernetes.noContext', {
            context: spec.context,
            kubeconfig: spec.kubeconfig,
            contexts: contexts.join(', ') || '(none)',
          }),
          { field: 'context' },
        );
      config.setCurrentContext(spec.context);
    }
    if (!config.getCurrentCluster()) throw bad('its current context names no cluster');
  }
  return {
    config,
    server: config.getCurrentCluster()!.server,
    context: spec.kubeconfig === null ? null : config.getCurrentContext(),
    user: config.getCurrentUser()?.name ?? null,
  };
}

/**
 * An API client whose every request gives up after `timeoutMs`: an unreachable cluster must not hang
 * a registration or a list of targets.
 */
export function apiClient<T>(
  access: KubeAccess,
  Api: new (configuration: k8s.Configuration) => T,
  timeoutMs: number,
): T {
  return new Api(
    k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(access.server, {}),
      authMethods: { default: access.config },
      promiseMiddleware: [
        {
          pre: async (ctx) => {
            ctx.setSignal(AbortSignal.timeout(timeoutMs));
            return ctx;
          },
          post: async (ctx) => ctx,
        },
      ],
    }),
  );
}

/** The HTTP status of a failed request; undefined when no answer came. */
export const statusOf = (e: unknown): number | undefined =>
  e instanceof k8s.ApiException ? e.code : undefined;

/** What the API server (or the way to it) said of a failed request, in its own words. */
export function saidByApi(e: unknown, timeoutMs: number): string {
  if (e instanceof k8s.ApiException) {
    const body: unknown = e.body;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string };
      if (status?.message) return `${e.code}: ${status.message}`;
    } catch {
      // not a Status object: its text below
    }
    return `${e.code}: ${typeof body === 'string' && body ? body.slice(0, 300) : 'no message'}`;
  }
  const err = e as Error & { type?: string };
  if (err?.name === 'AbortError' || err?.type === 'aborted' || err?.name === 'TimeoutError')
    return `no answer within ${timeoutMs / 1000} s`;
  return err?.message ?? String(e);
}

/** A message's parameters said where the check was made: the server and the context. */
export const where = (access: KubeAccess): Record<string, string> => ({
  server: access.server,
  context: access.context ?? 'in-cluster service account',
});

export type { Message };

/**
 * What a request of Sluice's own to the API server (not through the client's API classes: a raw
 * proxy, a streamed answer) takes from the kubeconfig, as the client's requests do: its auth
 * headers (a bearer token, basic auth) and, for an https server, its TLS material.
 */
export async function apiServerRequest(
  kc: k8s.KubeConfig,
  url: string,
): Promise<{ headers: Record<string, string>; tls: https.RequestOptions }> {
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {}))
    if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
  if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const tls: https.RequestOptions = url.startsWith('https:')
    ? {
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
        ...(opts.servername ? { servername: opts.servername } : {}),
      }
    : {};
  return { headers, tls };
}
