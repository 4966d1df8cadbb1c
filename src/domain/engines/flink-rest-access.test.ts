import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { provisionedEngine } from '../../../test/support/engines.ts';
import { FLINK_REST_APIS, flinkRestAccess, flinkRestRefusal, type FlinkChange } from './flink-rest-access.ts';

/**
 * Every REST handler of Flink 1.20.3 (method, URL, class): what the test below lists from the
 * engine's flink-runtime and flink-runtime-web jars. Whether each reads or changes is said here by its
 * class, apart from the allow-list under test.
 */
const FLINK_1_20_HANDLERS: [string, string, string][] = [
  ['GET', '/:*', 'WebContentHandlerSpecification'],
  ['DELETE', '/cluster', 'ShutdownHeaders'],
  ['GET', '/config', 'DashboardConfigurationHeaders'],
  ['GET', '/datasets', 'ClusterDataSetListHeaders'],
  ['DELETE', '/datasets/:datasetid', 'ClusterDataSetDeleteTriggerHeaders'],
  ['GET', '/datasets/delete/:triggerid', 'ClusterDataSetDeleteStatusHeaders'],
  ['GET', '/jars', 'JarListHeaders'],
  ['DELETE', '/jars/:jarid', 'JarDeleteHeaders'],
  ['GET', '/jars/:jarid/plan', 'JarPlanGetHeaders'],
  ['POST', '/jars/:jarid/plan', 'JarPlanPostHeaders'],
  ['POST', '/jars/:jarid/run', 'JarRunHeaders'],
  ['POST', '/jars/upload', 'JarUploadHeaders'],
  ['GET', '/jobmanager/config', 'ClusterConfigurationInfoHeaders'],
  ['GET', '/jobmanager/environment', 'JobManagerEnvironmentHeaders'],
  ['GET', '/jobmanager/log', 'JobManagerLogFileHeader'],
  ['GET', '/jobmanager/logs', 'JobManagerLogListHeaders'],
  ['GET', '/jobmanager/logs/:filename', 'JobManagerCustomLogHeaders'],
  ['GET', '/jobmanager/metrics', 'JobManagerMetricsHeaders'],
  ['GET', '/jobmanager/profiler', 'JobManagerProfilingListHeaders'],
  ['POST', '/jobmanager/profiler', 'JobManagerProfilingHeaders'],
  ['GET', '/jobmanager/profiler/:filename', 'JobManagerProfilingFileHeaders'],
  ['GET', '/jobmanager/stdout', 'JobManagerStdoutFileHeader'],
  ['GET', '/jobmanager/thread-dump', 'JobManagerThreadDumpHeaders'],
  ['GET', '/jobs', 'JobIdsWithStatusesOverviewHeaders'],
  ['POST', '/jobs', 'JobSubmitHeaders'],
  ['GET', '/jobs/:jobid', 'JobDetailsHeaders'],
  ['PATCH', '/jobs/:jobid', 'JobCancellationHeaders'],
  ['GET', '/jobs/:jobid/accumulators', 'JobAccumulatorsHeaders'],
  ['GET', '/jobs/:jobid/checkpoints', 'CheckpointingStatisticsHeaders'],
  ['POST', '/jobs/:jobid/checkpoints', 'CheckpointTriggerHeaders'],
  ['GET', '/jobs/:jobid/checkpoints/:triggerid', 'CheckpointStatusHeaders'],
  ['GET', '/jobs/:jobid/checkpoints/config', 'CheckpointConfigHeaders'],
  ['GET', '/jobs/:jobid/checkpoints/details/:checkpointid', 'CheckpointStatisticDetailsHeaders'],
  [
    'GET',
    '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
    'TaskCheckpointStatisticsHeaders',
  ],
  ['PATCH', '/jobs/:jobid/clientHeartbeat', 'JobClientHeartbeatHeaders'],
  ['GET', '/jobs/:jobid/config', 'JobConfigHeaders'],
  ['POST', '/jobs/:jobid/coordinators/:operatorid', 'ClientCoordinationHeaders'],
  ['GET', '/jobs/:jobid/exceptions', 'JobExceptionsHeaders'],
  ['GET', '/jobs/:jobid/execution-result', 'JobExecutionResultHeaders'],
  ['GET', '/jobs/:jobid/jobmanager/config', 'JobManagerJobConfigurationHeaders'],
  ['GET', '/jobs/:jobid/jobmanager/environment', 'JobManagerJobEnvironmentHeaders'],
  ['GET', '/jobs/:jobid/jobmanager/log-url', 'JobManagerLogUrlHeaders'],
  ['GET', '/jobs/:jobid/metrics', 'JobMetricsHeaders'],
  ['GET', '/jobs/:jobid/plan', 'JobPlanHeaders'],
  ['PATCH', '/jobs/:jobid/rescaling', 'RescalingTriggerHeaders'],
  ['GET', '/jobs/:jobid/rescaling/:triggerid', 'RescalingStatusHeaders'],
  ['GET', '/jobs/:jobid/resource-requirements', 'JobResourceRequirementsHeaders'],
  ['PUT', '/jobs/:jobid/resource-requirements', 'JobResourcesRequirementsUpdateHeaders'],
  ['POST', '/jobs/:jobid/savepoints', 'SavepointTriggerHeaders'],
  ['GET', '/jobs/:jobid/savepoints/:triggerid', 'SavepointStatusHeaders'],
  ['GET', '/jobs/:jobid/status', 'JobStatusInfoHeaders'],
  ['POST', '/jobs/:jobid/stop', 'StopWithSavepointTriggerHeaders'],
  ['GET', '/jobs/:jobid/taskmanagers/:taskmanagerid/log-url', 'TaskManagerLogUrlHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid', 'JobVertexDetailsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/accumulators', 'JobVertexAccumulatorsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/backpressure', 'JobVertexBackPressureHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/flamegraph', 'JobVertexFlameGraphHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics', 'JobManagerOperatorMetricsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/metrics', 'JobVertexMetricsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex', 'SubtaskCurrentAttemptDetailsHeaders'],
  [
    'GET',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt',
    'SubtaskExecutionAttemptDetailsHeaders',
  ],
  [
    'GET',
    '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators',
    'SubtaskExecutionAttemptAccumulatorsHeaders',
  ],
  ['GET', '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics', 'SubtaskMetricsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/subtasks/accumulators', 'SubtasksAllAccumulatorsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/subtasks/metrics', 'AggregatedSubtaskMetricsHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/subtasktimes', 'SubtasksTimesHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/taskmanagers', 'JobVertexTaskManagersHeaders'],
  ['GET', '/jobs/:jobid/vertices/:vertexid/watermarks', 'JobVertexWatermarksHeaders'],
  ['GET', '/jobs/:jobid/yarn-cancel', 'YarnCancelJobTerminationHeaders'],
  ['GET', '/jobs/:jobid/yarn-stop', 'YarnStopJobTerminationHeaders'],
  ['GET', '/jobs/metrics', 'AggregatedJobMetricsHeaders'],
  ['GET', '/jobs/overview', 'JobsOverviewHeaders'],
  ['GET', '/overview', 'ClusterOverviewHeaders'],
  ['POST', '/savepoint-disposal', 'SavepointDisposalTriggerHeaders'],
  ['GET', '/savepoint-disposal/:triggerid', 'SavepointDisposalStatusHeaders'],
  ['GET', '/taskmanagers', 'TaskManagersHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid', 'TaskManagerDetailsHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/log', 'TaskManagerLogFileHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/logs', 'TaskManagerLogsHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/logs/:filename', 'TaskManagerCustomLogHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/metrics', 'TaskManagerMetricsHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/profiler', 'TaskManagerProfilingListHeaders'],
  ['POST', '/taskmanagers/:taskmanagerid/profiler', 'TaskManagerProfilingHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/profiler/:filename', 'TaskManagerProfilingFileHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/stdout', 'TaskManagerStdoutFileHeaders'],
  ['GET', '/taskmanagers/:taskmanagerid/thread-dump', 'TaskManagerThreadDumpHeaders'],
  ['GET', '/taskmanagers/metrics', 'AggregatedTaskManagerMetricsHeaders'],
];

/**
 * The handlers of the other engines, listed the same way from 1.19.1's and 2.2.0's jars: 1.19 lacks
 * the JobManager operator metrics (new in 1.20); 2.2 names the coordinator by its operator uid.
 */
const HANDLERS: Record<string, [string, string, string][]> = {
  '1.19': FLINK_1_20_HANDLERS.filter(([, url]) => !url.endsWith('/jm-operator-metrics')),
  '1.20': FLINK_1_20_HANDLERS,
  '2.2': FLINK_1_20_HANDLERS.map(([m, url, cls]) => [m, url.replace(':operatorid', ':operatorUid'), cls]),
};

/** The handlers that change something (or run user code), and what they do. */
const CHANGES: Record<string, FlinkChange> = {
  ShutdownHeaders: 'shutdown',
  ClusterDataSetDeleteTriggerHeaders: 'delete-dataset',
  JarDeleteHeaders: 'submit',
  JarPlanGetHeaders: 'submit',
  JarPlanPostHeaders: 'submit',
  JarRunHeaders: 'submit',
  JarUploadHeaders: 'submit',
  JobManagerProfilingHeaders: 'profile',
  TaskManagerProfilingHeaders: 'profile',
  JobSubmitHeaders: 'submit',
  JobCancellationHeaders: 'cancel',
  YarnCancelJobTerminationHeaders: 'cancel',
  YarnStopJobTerminationHeaders: 'stop',
  StopWithSavepointTriggerHeaders: 'stop',
  SavepointTriggerHeaders: 'savepoint',
  CheckpointTriggerHeaders: 'checkpoint',
  RescalingTriggerHeaders: 'rescale',
  JobResourcesRequirementsUpdateHeaders: 'rescale',
  SavepointDisposalTriggerHeaders: 'dispose-savepoint',
  JobClientHeartbeatHeaders: 'client',
  ClientCoordinationHeaders: 'client',
};

const JOB = '3f0c8a3d2b9e4c1f8a7b6c5d4e3f2a1b';
const SAMPLE: Record<string, string> = {
  jobid: JOB,
  vertexid: 'cbc357ccb763df2852fee8c4fc7d55f2',
  triggerid: '0b3c1d2e3f405162738495a6b7c8d9e0',
  datasetid: '5d4e3f2a1b3f0c8a3d2b9e4c1f8a7b6c',
  operatorid: 'feca28aff5a3958840bee985ee7de4d3',
  operatorUid: 'my-operator-uid',
  checkpointid: '12',
  subtaskindex: '0',
  attempt: '1',
  taskmanagerid: '127.0.0.1:40123-9d2f1a',
  filename: 'flink-jobmanager-0.log',
  jarid: '6c2f0e4a-1d3b-4e5f-8a9b-0c1d2e3f4a5b_job.jar',
};
const segmentsOf = (template: string) =>
  template
    .split('/')
    .slice(1)
    .map((p) => (p.startsWith(':') ? (SAMPLE[p.slice(1)] as string) : p));

describe.each(['1.19', '1.20', '2.2'])('which requests of Flink %s pass through the Web UI proxy', (v) => {
  const rest = HANDLERS[v]!.filter(([, url]) => url !== '/:*');

  it.each(rest.filter(([, , cls]) => !CHANGES[cls]))('allows %s %s (%s)', (method, url) => {
    expect(flinkRestAccess(v, method, segmentsOf(url))).toEqual({ allowed: true });
    expect(flinkRestAccess(v, 'HEAD', segmentsOf(url))).toEqual({ allowed: true });
  });

  it.each(rest.filter(([, , cls]) => CHANGES[cls]))('refuses %s %s (%s)', (method, url, cls) => {
    expect(flinkRestAccess(v, method, segmentsOf(url))).toEqual({
      allowed: false,
      change: CHANGES[cls],
      flinkJobId: url.includes(':jobid') ? JOB : null,
    });
  });

  it("allows no read another version's handlers have and its own lack", () => {
    const own = new Set(HANDLERS[v]!.map(([m, url]) => `${m} ${url}`));
    for (const other of Object.values(HANDLERS))
      for (const [m, url, cls] of other)
        if (!own.has(`${m} ${url}`) && !CHANGES[cls])
          expect(flinkRestAccess(v, m, segmentsOf(url)).allowed, `${m} ${url}`).toBe(false);
  });

  it("knows every handler of the engine's own jars, as the list above says", async () => {
    const home = v === '1.20' ? inject('engineHome') : await provisionedEngine(v);
    const lib = path.join(home, 'lib');
    const jars = fs
      .readdirSync(lib)
      .filter((f) => new RegExp(`^flink-runtime(-web)?-${v.replace('.', '\\.')}\\.\\d+\\.jar$`).test(f))
      .map((f) => path.join(lib, f));
    expect(jars).toHaveLength(2);
    const out = execFileSync(
      'java',
      [
        '-cp',
        `${lib}/*`,
        path.resolve(import.meta.dirname, '../../../test/support/ListFlinkRestHandlers.java'),
        ...jars,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const listed = out
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(listed).toEqual([...HANDLERS[v]!].sort((a, b) => (a.join('\t') < b.join('\t') ? -1 : 1)));
  }, 600_000);
});

describe('the Web UI proxy of Flink 1.20', () => {
  it('refuses every method but GET and HEAD on every path, reads included', () => {
    for (const [, url] of FLINK_1_20_HANDLERS)
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'])
        expect(flinkRestAccess('1.20', method, segmentsOf(url === '/:*' ? '/index.html' : url)).allowed).toBe(
          false,
        );
  });

  it('allows the Web UI files and nothing else that looks like one', () => {
    for (const file of [
      '',
      'index.html',
      'main.687adc590d915451.js',
      'styles.25112ea718f4efbe.css',
      '9227.89d6a0e80021124c.js',
      '3rdpartylicenses.txt',
      'assets/images/flink.svg',
      'assets/favicon/favicon.ico',
      'assets/vs/base/worker/workerMain.js',
    ])
      expect(flinkRestAccess('1.20', 'GET', file ? file.split('/') : ['']).allowed, file).toBe(true);
    for (const p of [
      'jobz',
      'jobs/overview/x',
      '.env',
      'assets/../config',
      'assets/.hidden',
      'x/main.js',
      'jars/x.jar/run',
    ])
      expect(flinkRestAccess('1.20', 'GET', p.split('/')).allowed, p).toBe(false);
  });

  it('reads only with well-formed ids; a change is recognised whatever its id', () => {
    expect(flinkRestAccess('1.20', 'GET', ['jobs', 'not-a-job-id']).allowed).toBe(false);
    expect(flinkRestAccess('1.20', 'GET', ['jobs', JOB, 'vertices', 'v1']).allowed).toBe(false);
    expect(flinkRestAccess('1.20', 'GET', ['jobs', JOB, 'checkpoints', 'details', 'x']).allowed).toBe(false);
    expect(flinkRestAccess('1.20', 'GET', ['jobs', 'x', 'yarn-cancel'])).toEqual({
      allowed: false,
      change: 'cancel',
      flinkJobId: null,
    });
    expect(flinkRestAccess('1.20', 'patch', ['jobs', JOB])).toMatchObject({
      change: 'cancel',
      flinkJobId: JOB,
    });
    // A HEAD does what the GET it stands for does.
    expect(flinkRestAccess('1.20', 'HEAD', ['jobs', JOB, 'yarn-stop'])).toMatchObject({ change: 'stop' });
    // Unknown requests are refused too, keeping the job they name.
    expect(flinkRestAccess('1.20', 'GET', ['jobs', JOB, 'yarn-restart'])).toEqual({
      allowed: false,
      change: null,
      flinkJobId: JOB,
    });
    expect(flinkRestAccess('1.20', 'GET', ['jobs', 'overview', ''])).toMatchObject({ allowed: false });
  });

  it('lets nothing through for an engine whose REST API it does not know', () => {
    expect(FLINK_REST_APIS['1.18']).toBeUndefined();
    expect(flinkRestAccess('1.18', 'GET', ['jobs', 'overview'])).toEqual({
      allowed: false,
      change: null,
      flinkJobId: null,
    });
    expect(flinkRestAccess('1.18', 'GET', ['index.html']).allowed).toBe(false);
  });
});

describe('the refusal', () => {
  const refuse = (method: string, p: string, job: string | null, engine = '1.20') => {
    const decision = flinkRestAccess(engine, method, p.split('/').slice(1));
    if (decision.allowed) throw new Error(`${method} ${p} was allowed`);
    return flinkRestRefusal({ target: 'local-1.20', engine, method, path: p, decision, job });
  };

  it("names the job and Sluice's cancel, stop and savepoint", () => {
    const cancel = refuse('GET', `/jobs/${JOB}/yarn-cancel`, 'orders');
    expect(cancel.message).toBe(
      `/flink/local-1.20/ is Sluice's read-only view of Flink's Web UI: cancelling job 'orders' (Flink job ${JOB}) is refused here, so that every change is made and recorded by Sluice. Cancel it in Sluice: "Cancel" on the job's page, or \`sluice job cancel orders\`.`,
    );
    expect(cancel.details).toEqual({
      target: 'local-1.20',
      method: 'GET',
      path: `/jobs/${JOB}/yarn-cancel`,
      change: 'cancel',
      flinkJobId: JOB,
      job: 'orders',
      instead: 'sluice job cancel orders',
    });
    expect(refuse('GET', `/jobs/${JOB}/yarn-stop`, 'orders').message).toContain(
      'Stop it with a savepoint in Sluice: "Stop" on the job\'s page, or `sluice job stop orders`.',
    );
    expect(refuse('POST', `/jobs/${JOB}/savepoints`, 'orders').details.instead).toBe(
      'sluice job savepoint orders',
    );
    expect(refuse('PUT', `/jobs/${JOB}/resource-requirements`, 'orders').message).toContain(
      '`sluice job upgrade orders`',
    );
    expect(refuse('DELETE', '/cluster', null).message).toContain('`sluice cluster stop local-1.20`');
    expect(refuse('POST', '/jars/upload', null).message).toContain('Sluice runs SQL jobs');
  });

  it("says when the Flink job is none of Sluice's, and what an unknown request was", () => {
    const m = refuse('PATCH', `/jobs/${JOB}`, null).message;
    expect(m).toContain(`cancelling Flink job ${JOB} is refused`);
    expect(m).toContain('`sluice job cancel <job>`');
    expect(m).toContain(`Flink job ${JOB} is not one of Sluice's jobs on local-1.20.`);
    expect(refuse('POST', '/overview', null).message).toContain(
      "POST /overview (not a request that only reads, in Flink 1.20's REST API) is refused here",
    );
    expect(refuse('GET', '/overview', null, '1.18').message).toContain(
      "Sluice does not know which requests of Flink 1.18's REST API only read (it knows Flink 1.19, 1.20, 2.2)",
    );
  });
});
