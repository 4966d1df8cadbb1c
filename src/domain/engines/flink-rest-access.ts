import { message, renderMessage, type Message } from '../messages.ts';

/**
 * Which requests to a cluster's JobManager REST API only read, per Flink version. Sluice shows Flink's
 * own Web UI at /flink/<target>/ and lets through only these, so that every change to a job goes
 * through Sluice's lifecycle and is recorded; anything else is refused, naming the Sluice action to use.
 *
 * Flink 1.20, checked against 1.20.3:
 * - every RestHandlerSpecification (the `*Headers` classes and the web content handler) in
 *   flink-runtime-1.20.3.jar and flink-runtime-web-1.20.3.jar, with its HTTP method and URL (the test
 *   beside this file lists them again from the engine's jars and fails on any handler it does not know);
 * - the REST API reference of apache/flink, docs/static/generated/rest_v1_dispatcher.yml;
 * - what the Web UI itself sends, read from its bundle (web/*.js in flink-runtime-web-1.20.3.jar): its
 *   "Cancel Job" button sends GET /jobs/<id>/yarn-cancel (not PATCH /jobs/<id>), "Submit New Job"
 *   POSTs /jars/upload and /jars/<id>/run, the flame graph is GET .../flamegraph, the profiler tab
 *   POSTs /jobmanager/profiler and rescaling PUTs /jobs/<id>/resource-requirements.
 */

/** What a refused request would have done, so that the refusal can name Sluice's way to do it. */
export type FlinkChange =
  | 'cancel'
  | 'stop'
  | 'savepoint'
  | 'checkpoint'
  | 'rescale'
  | 'submit'
  | 'shutdown'
  | 'dispose-savepoint'
  | 'delete-dataset'
  | 'profile'
  | 'client';

export interface FlinkRestApi {
  /** URL templates (Flink's syntax, `:param`) that only read, for GET and HEAD. */
  readonly reads: readonly string[];
  /** Every request of the version's REST API that changes something (or runs user code). */
  readonly changes: readonly { method: string; path: string; change: FlinkChange }[];
  /** The Web UI's own files (index.html, its JS and CSS bundles, assets/), served for GET and HEAD. */
  readonly staticFile: RegExp;
}

const FLINK_1_20: FlinkRestApi = {
  reads: [
    '/config',
    '/overview',
    '/datasets',
    '/datasets/delete/:triggerid',
    '/jars',
    '/jobmanager/config',
    '/jobmanager/environment',
    '/jobmanager/log',
    '/jobmanager/logs',
    '/jobmanager/logs/:filename',
    '/jobmanager/metrics',
    '/jobmanager/profiler',
    '/jobmanager/profiler/:filename',
    '/jobmanager/stdout',
    '/jobmanager/thread-dump',
    '/jobs',
    '/jobs/metrics',
    '/jobs/overview',
    '/jobs/:jobid',
    '/jobs/:jobid/accumulators',
    '/jobs/:jobid/checkpoints',
    '/jobs/:jobid/checkpoints/:triggerid',
    '/jobs/:jobid/checkpoints/config',
    '/jobs/:jobid/checkpoints/details/:checkpointid',
    '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
    '/jobs/:jobid/config',
    '/jobs/:jobid/exceptions',
    '/jobs/:jobid/execution-result',
    '/jobs/:jobid/jobmanager/config',
    '/jobs/:jobid/jobmanager/environment',
    '/jobs/:jobid/jobmanager/log-url',
    '/jobs/:jobid/metrics',
    '/jobs/:jobid/plan',
    '/jobs/:jobid/rescaling/:triggerid',
    '/jobs/:jobid/resource-requirements',
    '/jobs/:jobid/savepoints/:triggerid',
    '/jobs/:jobid/status',
    '/jobs/:jobid/taskmanagers/:taskmanagerid/log-url',
    '/jobs/:jobid/vertices/:vertexid',
    '/jobs/:jobid/vertices/:vertexid/accumulators',
    '/jobs/:jobid/vertices/:vertexid/backpressure',
    '/jobs/:jobid/vertices/:vertexid/flamegraph',
    '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics',
    '/jobs/:jobid/vertices/:vertexid/metrics',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics',
    '/jobs/:jobid/vertices/:vertexid/subtasks/accumulators',
    '/jobs/:jobid/vertices/:vertexid/subtasks/metrics',
    '/jobs/:jobid/vertices/:vertexid/subtasktimes',
    '/jobs/:jobid/vertices/:vertexid/taskmanagers',
    '/jobs/:jobid/vertices/:vertexid/watermarks',
    '/savepoint-disposal/:triggerid',
    '/taskmanagers',
    '/taskmanagers/metrics',
    '/taskmanagers/:taskmanagerid',
    '/taskmanagers/:taskmanagerid/log',
    '/taskmanagers/:taskmanagerid/logs',
    '/taskmanagers/:taskmanagerid/logs/:filename',
    '/taskmanagers/:taskmanagerid/metrics',
    '/taskmanagers/:taskmanagerid/profiler',
    '/taskmanagers/:taskmanagerid/profiler/:filename',
    '/taskmanagers/:taskmanagerid/stdout',
    '/taskmanagers/:taskmanagerid/thread-dump',
  ],
  changes: [
    { method: 'PATCH', path: '/jobs/:jobid', change: 'cancel' },
    // GETs that change: kept by Flink for YARN's proxy, which passes only GET; the UI's Cancel uses it.
    { method: 'GET', path: '/jobs/:jobid/yarn-cancel', change: 'cancel' },
    { method: 'GET', path: '/jobs/:jobid/yarn-stop', change: 'stop' },
    { method: 'POST', path: '/jobs/:jobid/stop', change: 'stop' },
    { method: 'POST', path: '/jobs/:jobid/savepoints', change: 'savepoint' },
    { method: 'POST', path: '/jobs/:jobid/checkpoints', change: 'checkpoint' },
    { method: 'PATCH', path: '/jobs/:jobid/rescaling', change: 'rescale' },
    { method: 'PUT', path: '/jobs/:jobid/resource-requirements', change: 'rescale' },
    { method: 'POST', path: '/jobs', change: 'submit' },
    { method: 'POST', path: '/jars/upload', change: 'submit' },
    { method: 'POST', path: '/jars/:jarid/run', change: 'submit' },
    { method: 'DELETE', path: '/jars/:jarid', change: 'submit' },
    // Planning a JAR runs its main() in the JobManager: user code, whatever its method.
    { method: 'GET', path: '/jars/:jarid/plan', change: 'submit' },
    { method: 'POST', path: '/jars/:jarid/plan', change: 'submit' },
    { method: 'DELETE', path: '/cluster', change: 'shutdown' },
    { method: 'POST', path: '/savepoint-disposal', change: 'dispose-savepoint' },
    { method: 'DELETE', path: '/datasets/:datasetid', change: 'delete-dataset' },
    { method: 'POST', path: '/jobmanager/profiler', change: 'profile' },
    { method: 'POST', path: '/taskmanagers/:taskmanagerid/profiler', change: 'profile' },
    { method: 'PATCH', path: '/jobs/:jobid/clientHeartbeat', change: 'client' },
    { method: 'POST', path: '/jobs/:jobid/coordinators/:operatorid', change: 'client' },
  ],
  // index.html, the hashed bundles at the top level (main.<hash>.js, styles.<hash>.css, ...), the
  // licence text, and assets/ (images, icons, Monaco); no segment starts with a dot.
  staticFile: /^(?:|index\.html|[\w-][\w.-]*\.(?:js|css|txt|ico)|assets(?:\/[\w-][\w.-]*)+)$/,
};

/**
 * Flink 1.19, checked against 1.19.1 the same way (handlers listed from its jars, its Web UI bundle
 * read): 1.20 without the JobManager operator metrics, which 1.20 added (FLIP-417). The Web UI sends
 * the same changes as 1.20's.
 */
const FLINK_1_19: FlinkRestApi = {
  ...FLINK_1_20,
  reads: FLINK_1_20.reads.filter((r) => r !== '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics'),
};

/**
 * Flink 2.2, checked against 2.2.0 the same way: the handlers of 1.20, the client coordination request
 * naming the operator by its uid (`:operatorUid`) instead of its id; the Web UI sends the same changes.
 */
const FLINK_2_2: FlinkRestApi = {
  ...FLINK_1_20,
  changes: FLINK_1_20.changes.map((c) => ({ ...c, path: c.path.replace(':operatorid', ':operatorUid') })),
};

/** The REST API of each supported engine (a Flink minor version, as `engineVersion`). */
export const FLINK_REST_APIS: Readonly<Record<string, FlinkRestApi>> = {
  '1.19': FLINK_1_19,
  '1.20': FLINK_1_20,
  '2.2': FLINK_2_2,
};

const HEX32 = /^[0-9a-fA-F]{32}$/;
const NUMBER = /^\d+$/;
/** What each parameter of a read may be; anything else in its place is no read of that endpoint. */
const PARAMS: Record<string, RegExp> = {
  jobid: HEX32,
  vertexid: HEX32,
  triggerid: HEX32,
  datasetid: HEX32,
  checkpointid: NUMBER,
  subtaskindex: NUMBER,
  attempt: NUMBER,
  taskmanagerid: /^[^/]+$/,
  filename: /^[^/]+$/,
  jarid: /^[^/]+$/,
};

/** The values of a template's parameters when `segments` fit it (`strict`: each as PARAMS says). */
function fit(template: string, segments: readonly string[], strict: boolean): Record<string, string> | null {
  const parts = template.split('/').slice(1);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] as string;
    if (part.startsWith(':')) {
      const name = part.slice(1);
      if (!seg || (strict && !(PARAMS[name] ?? /^[^/]+$/).test(seg))) return null;
      params[name] = seg;
    } else if (part !== seg) return null;
  }
  return params;
}

/** A Flink job id as Flink writes it (32 hex digits), else none: a malformed one names no job. */
const jobIdOf = (s: string | undefined): string | null => (s && HEX32.test(s) ? s.toLowerCase() : null);

export type FlinkRestDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** What the request would have done; null when it is simply no read Sluice knows of. */
      change: FlinkChange | null;
      flinkJobId: string | null;
    };

/**
 * Whether `method` on the path `segments` (decoded, without the /flink/<target>/ prefix) only reads
 * in Flink `engine`'s REST API. An engine without a known API gets nothing through.
 */
export function flinkRestAccess(
  engine: string,
  method: string,
  segments: readonly string[],
): FlinkRestDecision {
  const api = FLINK_REST_APIS[engine];
  const m = method.toUpperCase();
  if (api && (m === 'GET' || m === 'HEAD')) {
    if (api.reads.some((t) => fit(t, segments, true))) return { allowed: true };
    if (api.staticFile.test(segments.join('/'))) return { allowed: true };
  }
  for (const c of api?.changes ?? []) {
    const params =
      c.method === m || (c.method === 'GET' && m === 'HEAD') ? fit(c.path, segments, false) : null;
    if (params) return { allowed: false, change: c.change, flinkJobId: jobIdOf(params.jobid) };
  }
  return { allowed: false, change: null, flinkJobId: segments[0] === 'jobs' ? jobIdOf(segments[1]) : null };
}

export interface FlinkRestRefusal {
  /** In English. */
  message: string;
  /** The same as a message code with parameters. */
  text: Message;
  details: Record<string, unknown>;
}

/**
 * The answer to a refused request: that the view is read-only, what was refused, and the Sluice
 * action (console and CLI) that does it with a record. `job` is the Sluice job that runs as the
 * request's Flink job, when there is one.
 */
export function flinkRestRefusal(r: {
  /** The deployment target, or `<target>/<job>` for a job's own cluster: the path under /flink/. */
  target: string;
  engine: string;
  method: string;
  path: string;
  decision: Extract<FlinkRestDecision, { allowed: false }>;
  job: string | null;
  /** The job whose own cluster (an application cluster) this is: shutting it down is stopping the job. */
  clusterOf?: string;
}): FlinkRestRefusal {
  const { target, engine, decision, job, clusterOf } = r;
  const method = r.method.toUpperCase();
  const id = decision.flinkJobId;
  const name = job ?? '<job>';
  const said = (text: Message, details: Record<string, unknown>): FlinkRestRefusal => ({
    message: renderMessage(text),
    text,
    details,
  });
  if (!FLINK_REST_APIS[engine])
    return said(
      message('proxy.unknownEngine', { target, engine, known: Object.keys(FLINK_REST_APIS).join(', ') }),
      { target, engine, method, path: r.path, supportedEngines: Object.keys(FLINK_REST_APIS) },
    );
  const flinkJob = job
    ? message('proxy.job', { job, flinkJobId: id ?? '' })
    : message('proxy.flinkJob', { flinkJobId: id ?? '' });
  const readOnly = message('proxy.insteadReadOnly');
  const s: { what: Message; instead: Message; command?: string } = decision.change
    ? {
        cancel: {
          what: message('proxy.cancel', { flinkJob }),
          instead: message('proxy.insteadCancel', { job: name }),
          command: `sluice job cancel ${name}`,
        },
        stop: {
          what: message('proxy.stop', { flinkJob }),
          instead: message('proxy.insteadStop', { job: name }),
          command: `sluice job stop ${name}`,
        },
        savepoint: {
          what: message('proxy.savepoint', { flinkJob }),
          instead: message('proxy.insteadSavepoint', { job: name }),
          command: `sluice job savepoint ${name}`,
        },
        checkpoint: {
          what: message('proxy.checkpoint', { flinkJob }),
          instead: message('proxy.insteadCheckpoint', { job: name }),
          command: `sluice job savepoint ${name}`,
        },
        rescale: {
          what: message('proxy.rescale', { flinkJob }),
          instead: message('proxy.insteadRescale', { job: name }),
          command: `sluice job upgrade ${name}`,
        },
        submit: {
          what: message('proxy.submit'),
          instead: message('proxy.insteadSubmit'),
          command: 'sluice job create',
        },
        shutdown: clusterOf
          ? {
              what: message('proxy.shutdown', { target }),
              instead: message('proxy.insteadStop', { job: clusterOf }),
              command: `sluice job stop ${clusterOf}`,
            }
          : {
              what: message('proxy.shutdown', { target }),
              instead: message('proxy.insteadShutdown', { target }),
              command: `sluice cluster stop ${target}`,
            },
        'dispose-savepoint': {
          what: message('proxy.disposeSavepoint'),
          instead: message('proxy.insteadDisposeSavepoint'),
          command: 'sluice job savepoints <job>',
        },
        'delete-dataset': { what: message('proxy.deleteDataset'), instead: readOnly },
        profile: { what: message('proxy.profile'), instead: readOnly },
        client: { what: message('proxy.client'), instead: readOnly },
      }[decision.change]
    : {
        what: message('proxy.otherRequest', { method, path: r.path, engine }),
        instead: message('proxy.insteadOther'),
      };
  const params = { target, what: s.what, instead: s.instead };
  return said(
    id && !job
      ? message('proxy.refusedNotOurs', { ...params, flinkJobId: id })
      : message('proxy.refused', params),
    {
      target,
      method,
      path: r.path,
      change: decision.change,
      ...(id ? { flinkJobId: id } : {}),
      ...(job ? { job } : {}),
      ...(s.command ? { instead: s.command } : {}),
    },
  );
}
