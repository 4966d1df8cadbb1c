import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { maskFlinkBody } from '../../application/flink-ui-masking.ts';
import { flinkRestAccess, flinkRestRefusal } from '../../domain/engines/flink-rest-access.ts';
import type { ErrorCode } from '../../domain/errors.ts';
import { message, renderMessage, type Message } from '../../domain/messages.ts';
import { targetKind } from '../../domain/targets/target-kinds.ts';
import { isEnded, type LifecycleState } from '../../domain/jobs/lifecycle.ts';
// A local cluster's REST API is served over TLS with the home's keys: the proxy knocks with them.
import { flinkFetch } from '../../adapters/flink/rest/flink-fetch.ts';
import type { RawResponse } from '../../domain/targets/deployment-target.ts';

/** The API's error shape, with the message in English and as a code (see plugins/errors.ts). */
const refuse = (
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  text: Message,
  details: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  reply.status(status).send({
    error: {
      code,
      message: renderMessage(text),
      details,
      messageCode: text.code,
      messageParams: text.params,
    },
    ...extra,
  });

/** Where a proxied request goes: a session cluster, or the own cluster of one job of an application target. */
type ProxiedCluster = {
  scope: string;
  base: string;
  job: string | null;
  rest: string[];
  /**
   * How the cluster is reached when a plain fetch of `base` cannot (Kubernetes: the API server's
   * proxy): null when a job's own cluster is not running, the state of a session that is not.
   */
  get?: (pathAndQuery: string, signal: AbortSignal) => Promise<RawResponse | null | { notRunning: string }>;
};

/**
 * Flink's own Web UI of a cluster, through the platform at /flink/<target>/: no JobManager port has
 * to be reachable from the browser. On a target whose jobs run in clusters of their own (application
 * targets) there is no cluster of the target's: each job's cluster is at /flink/<target>/<job>/ while
 * the job runs. Read-only on purpose: a job cancelled from Flink's UI would bypass
 * the lifecycle, so only the requests that read in the cluster's Flink version pass (the allow-list of
 * src/domain/engines/flink-rest-access.ts), whatever the method; what Flink answers is masked.
 */
export async function flinkUiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get<{ Params: { target: string } }>('/flink/:target', { schema: { hide: true } }, (req, reply) =>
    // The UI loads its files relative to its own address, which must end with a slash.
    reply.redirect(`/flink/${encodeURIComponent(req.params.target)}/`),
  );
  await app.register(async (scope) => {
    // A refused upload or a malformed JSON body must still get the refusal, not a parser's error:
    // bodies are never read here, let alone forwarded.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.all<{ Params: { target: string } }>(
      '/flink/:target/*',
      { schema: { hide: true } },
      async (req, reply) => {
        const target = req.params.target;
        const at = req.url.indexOf('?');
        const query = at < 0 ? '' : req.url.slice(at);
        // The path as Flink will read it: fully decoded (Flink's router decodes %2F too), then split.
        const raw = (at < 0 ? req.url : req.url.slice(0, at)).replace(/^\/flink\/[^/]*\//, '');
        let decoded: string;
        try {
          decoded = decodeURIComponent(raw);
        } catch {
          return refuse(reply, 400, 'invalid_argument', message('proxy.badEncoding', { target, path: raw }), {
            target,
            path: `/${raw}`,
          });
        }
        const all = decoded.split('/');
        if (all.some((s) => s === '.' || s === '..'))
          return refuse(
            reply,
            400,
            'invalid_argument',
            message('proxy.dotSegments', { target, path: decoded }),
            { target, path: `/${decoded}` },
          );
        const engine = await platform.targets.engineVersionOf(target);
        const to = await proxiedCluster(platform, target, all);
        if ('redirect' in to) return reply.redirect(to.redirect);
        if ('refusal' in to) return refuse(reply, to.status, to.code, to.refusal, to.details);
        const { scope, base, rest: segments } = to;
        const path = `/${segments.join('/')}`;
        const decision = flinkRestAccess(engine, req.method, segments);
        if (!decision.allowed) {
          const id = decision.flinkJobId;
          const job = id
            ? ((await platform.store.jobs.list()).find((j) => j.flinkJobId === id && j.target === target)
                ?.name ?? null)
            : null;
          const r = flinkRestRefusal({
            target: scope,
            engine,
            method: req.method,
            path,
            decision,
            job,
            ...(to.job ? { clusterOf: to.job } : {}),
          });
          req.log.info({ target: scope, method: req.method, path }, 'Flink Web UI request refused');
          // `errors` is Flink's own error shape, which its Web UI shows in a notification.
          return refuse(reply, 403, 'forbidden', r.text, r.details, { errors: [r.message] });
        }
        // Exactly the path that was checked is what Flink receives.
        const pathAndQuery = `/${segments.map(encodeURIComponent).join('/')}${query}`;
        let res: RawResponse | null | { notRunning: string };
        try {
          res = to.get
            ? await to.get(pathAndQuery, AbortSignal.timeout(15_000))
            : await flinkFetch(`${base}${pathAndQuery}`, { signal: AbortSignal.timeout(15_000) }).then(
                async (r) => ({
                  status: r.status,
                  contentType: r.headers.get('content-type'),
                  body: Buffer.from(await r.arrayBuffer()),
                }),
              );
        } catch (e) {
          return refuse(
            reply,
            503,
            'engine_unavailable',
            message('proxy.clusterSilent', { target: scope, url: base, detail: (e as Error).message }),
            {},
          );
        }
        if (res && 'notRunning' in res)
          return refuse(
            reply,
            503,
            'engine_unavailable',
            message('kubernetes.sessionNotRunning', { target, state: res.notRunning }),
            { target, state: res.notRunning },
          );
        if (!res)
          return refuse(
            reply,
            503,
            'engine_unavailable',
            message('proxy.jobClusterNotRunning', { target, job: to.job ?? '', state: 'released' }),
            { target, job: to.job },
          );
        reply.status(res.status);
        if (res.contentType) reply.type(res.contentType);
        // Masked value by value here; a Buffer is passed by the API's text-masking hook as it is.
        return reply.send(maskFlinkBody(res.contentType, res.body));
      },
    );
  });
}

/** A job's own cluster runs from its start until its job ends (the lifecycle's ended states). */
const hasNoCluster = (state: LifecycleState): boolean => state === 'CREATED' || isEnded(state);

/**
 * Where the request goes: the session cluster's JobManager; on an application target, the JobManager
 * of the job named by the path's first segment while its cluster runs; else a redirect or a refusal
 * that says why (no such job there, its cluster is not running).
 */
async function proxiedCluster(
  platform: Platform,
  target: string,
  segments: string[],
): Promise<
  | ProxiedCluster
  | { redirect: string }
  | { refusal: Message; status: number; code: ErrorCode; details: Record<string, unknown> }
> {
  const kind = targetKind(await platform.targets.targetKindOf(target));
  if (kind.deployment !== 'application-cluster') {
    // A Kubernetes session is reached through the API server's proxy, the others at their address.
    const ui = kind.wireKind === 'kubernetes' ? (await platform.targets.target(target)).sessionUi : undefined;
    if (ui) return { scope: target, base: ui.baseUrl, job: null, rest: segments, get: ui.get };
    return { scope: target, base: await platform.targets.restUrlOf(target), job: null, rest: segments };
  }
  const [name = '', ...rest] = segments;
  const details = { target, job: name };
  if (!name)
    return {
      refusal: message('proxy.applicationTarget', { target }),
      status: 404,
      code: 'not_found',
      details: { target },
    };
  const job = await platform.store.jobs.getByName(name);
  if (!job || job.target !== target)
    return {
      refusal: message('proxy.noJobThere', { target, job: name }),
      status: 404,
      code: 'not_found',
      details,
    };
  // The UI loads its files relative to its own address, which must end with a slash.
  if (!rest.length) return { redirect: `/flink/${encodeURIComponent(target)}/${encodeURIComponent(name)}/` };
  const applications = (await platform.targets.target(target)).applications;
  const base =
    job.flinkJobId && !hasNoCluster(job.state) ? (applications?.restUrl(job.flinkJobId) ?? null) : null;
  if (!base)
    return {
      refusal: message('proxy.jobClusterNotRunning', { target, job: name, state: job.state }),
      status: 503,
      code: 'engine_unavailable',
      details: { ...details, state: job.state },
    };
  const flinkJobId = job.flinkJobId!;
  const restGet = applications?.restGet?.bind(applications);
  return {
    scope: `${target}/${name}`,
    base,
    job: name,
    rest,
    ...(restGet ? { get: (p: string, signal: AbortSignal) => restGet(flinkJobId, p, signal) } : {}),
  };
}
