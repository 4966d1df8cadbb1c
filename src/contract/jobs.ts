import { Type, type Static, type TSchema } from 'typebox';
import { BACKPRESSURE_LEVELS } from '../domain/metrics/job-graph.ts';
import { LIFECYCLE_STATES } from '../domain/jobs/lifecycle.ts';
import { NAME_LIMITS } from '../http/limits.ts';
import { ArtifactRef, ArtifactRequest } from '../http/artifact-schemas.ts';
import {
  CodedMessage,
  EngineVersion,
  errors,
  EventStream,
  Name,
  NameParams,
  OptionChangeReport,
  Problem,
  Sql,
  StringMap,
  TargetName,
  Text,
} from './common.ts';
import { operation } from './operation.ts';
import { inSpace, SpaceField } from './spaces.ts';

/** Jobs: versions, lifecycle commands (submissions), savepoints, state transitions. */

/** A body that may be left out: fastify passes null for a POST without one. */
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const seconds = (description: string, minimum = 0, maximum = 86_400) =>
  Type.Number({ minimum, maximum, description });
/** A lifecycle state (src/domain/jobs/lifecycle.ts). */
const State = (description?: string) => Type.Enum(LIFECYCLE_STATES, description ? { description } : {});
/** Flink's restart strategy for the job (RestartStrategyOptions), set explicitly on every deploy. */
export const RestartPolicy = Type.Union(
  [
    Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('fixed-delay'),
        attempts: Type.Integer({ minimum: 1, maximum: 1000 }),
        delaySeconds: seconds('delay between two restarts'),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('exponential-delay'),
        initialBackoffSeconds: seconds('first back-off', 0.001),
        maxBackoffSeconds: seconds('largest back-off', 0.001),
        backoffMultiplier: Type.Number({ minimum: 1, maximum: 100 }),
        resetBackoffThresholdSeconds: seconds('running this long resets the back-off', 0.001, 864_000),
        jitterFactor: Type.Number({ minimum: 0, maximum: 1 }),
        attempts: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description: 'restarts before the job fails, counted since the back-off was last reset',
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('failure-rate'),
        maxFailuresPerInterval: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        intervalSeconds: seconds('the interval failures are counted in', 0.001, 864_000),
        delaySeconds: seconds('delay between two restarts'),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "Flink's restart strategy; `none` fails the job at its first failure" },
);
/** Whether the platform submits the job again after Flink gave up on it. */
export const ResubmitPolicy = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('from-latest-checkpoint'),
      attempts: Type.Integer({ minimum: 1, maximum: 100 }),
      backoffSeconds: Type.Number({ minimum: 0, maximum: 3600 }),
    },
    { additionalProperties: false },
  ),
]);
const ContentFields = {
  description: Type.Optional(Text(NAME_LIMITS.description)),
  sql: Type.Optional(Sql({ minLength: 1 })),
  options: Type.Optional(
    StringMap({
      description:
        'Flink options of the job; not parallelism.default (the parallelism field) nor restart-strategy.* (restartPolicy)',
    }),
  ),
  parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  engineVersion: Type.Optional(EngineVersion),
  target: Type.Optional(
    TargetName(
      "the deployment target the job runs on (`GET /targets`); left out at create or with a new engineVersion: the engine's session cluster `local-<engine>` for a job of that cluster's space (`default`), else the engine's local application target `local-application-<engine>` (a Flink cluster of the job's own)",
    ),
  ),
  // Scripts written before the rename send `clusterName`: accepted, never answered.
  clusterName: Type.Optional(
    TargetName(
      'deprecated: the earlier name of `target`, accepted in requests; answers carry `target` only',
      true,
    ),
  ),
  restartPolicy: Type.Optional(RestartPolicy),
  resubmitPolicy: Type.Optional(ResubmitPolicy),
  catalogs: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), {
      maxItems: 100,
      description: 'workspace catalogs created in the job session before its SQL',
    }),
  ),
  artifacts: Type.Optional(
    Type.Array(ArtifactRequest, {
      maxItems: 100,
      description:
        'artifacts the job needs (UDF, connector, format jars): name (pinned to its latest version when saved) or name@version',
    }),
  ),
  jar: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 111,
      description:
        "a JAR job's program: an artifact as name (pinned to its latest version when saved) or name@version",
    }),
  ),
  entryClass: Type.Optional(
    Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()], {
      description: "the class whose main runs; left out or null: the jar's Main-Class",
    }),
  ),
  args: Type.Optional(
    Type.Array(Type.String({ maxLength: 65_536 }), { maxItems: 1000, description: 'program arguments' }),
  ),
  classpath: Type.Optional(
    Type.Array(ArtifactRequest, {
      maxItems: 100,
      description: "extra artifacts on a JAR job's classpath: name or name@version",
    }),
  ),
};
/** The fields of a JAR job, absent from a SQL job's body. */
const JarFields = {
  jar: Type.Optional(ArtifactRef),
  entryClass: Type.Optional(Nullable(Type.String())),
  args: Type.Optional(Type.Array(Type.String())),
  classpath: Type.Optional(Type.Array(ArtifactRef)),
};
export const SavepointBody = Type.Object({
  id: Type.String(),
  jobId: Type.String(),
  submissionId: Nullable(Type.String()),
  flinkJobId: Type.String(),
  path: Type.String(),
  kind: Type.String(),
  origin: Type.String(),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
});
export const JobBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.Enum(['sql', 'jar'], {
    description: 'a SQL job (sql, catalogs, artifacts) or a JAR job (jar, entryClass, args, classpath)',
  }),
  sql: Type.Optional(Type.String({ description: 'the script of a SQL job' })),
  options: Type.Record(Type.String(), Type.String()),
  parallelism: Type.Integer(),
  engineVersion: Type.String(),
  target: Type.String(),
  restartPolicy: RestartPolicy,
  resubmitPolicy: ResubmitPolicy,
  catalogs: Type.Optional(Type.Array(Type.String())),
  artifacts: Type.Optional(Type.Array(ArtifactRef)),
  ...JarFields,
  flinkJobId: Nullable(Type.String()),
  currentVersion: Type.Integer(),
  deployedVersion: Type.Union([Type.Integer(), Type.Null()]),
  needsDeploy: Type.Boolean(),
  state: State('lifecycle state'),
  stateReason: Nullable(Type.String()),
  stateReasonMessage: CodedMessage,
  stateSince: Nullable(Type.String()),
  lastKnownState: Type.Union([State('the last state seen before UNKNOWN'), Type.Null()]),
  desiredState: Type.Enum(['running', 'stopped'], { description: 'what the user asked for' }),
  submissionInFlight: Type.Union([
    Type.Enum(['starting', 'stopping', 'cancelling', 'savepointing', 'upgrading', 'resubmitting'], {
      description:
        "the job's submission under way (its steps and log: GET /jobs/{name}/submissions), null when none; not a background operation (/operations)",
    }),
    Type.Null(),
  ]),
  resubmissions: Type.Integer({
    description: 'times the platform resubmitted the job after Flink gave up on it, since its last start',
  }),
  runtime: Type.Optional(
    Type.Union([
      Type.Null(),
      Type.Object({
        restarts: Type.Union([Type.Integer(), Type.Null()]),
        lastCheckpoint: Type.Union([
          Type.Null(),
          Type.Object({
            id: Type.Integer(),
            path: Type.Union([Type.String(), Type.Null()]),
            completedAt: Type.String(),
          }),
        ]),
      }),
    ]),
  ),
  defaultRestore: Type.Optional(
    Type.Union([Type.Null(), SavepointBody], {
      description: 'what a start restores by default: the latest savepoint or retained checkpoint',
    }),
  ),
  restUrl: Type.Optional(
    Type.Union([Type.Null(), Type.String()], {
      description:
        "where the JobManager of the job's own cluster answers (Flink's REST API and Web UI), on a target whose jobs run in clusters of their own (local-application) while that cluster runs; null otherwise. In the answer for one job",
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const Warnings = Type.Array(Problem, {
  description:
    'errors in the saved script: a draft is saved with them, but cannot start until they are fixed',
});
/**
 * What a version holds. Every field is optional and others may come: the content is becoming a union
 * of job kinds (SQL, JAR), and a client reads what it knows.
 */
export const JobContentBody = Type.Object(
  {
    kind: Type.Optional(Type.Enum(['sql', 'jar'])),
    description: Type.Optional(Type.String()),
    sql: Type.Optional(Type.String({ description: 'the script of a SQL job' })),
    options: Type.Optional(Type.Record(Type.String(), Type.String())),
    parallelism: Type.Optional(Type.Integer()),
    engineVersion: Type.Optional(Type.String()),
    target: Type.Optional(Type.String()),
    restartPolicy: Type.Optional(RestartPolicy),
    resubmitPolicy: Type.Optional(ResubmitPolicy),
    catalogs: Type.Optional(Type.Array(Type.String())),
    artifacts: Type.Optional(Type.Array(ArtifactRef)),
    ...JarFields,
  },
  { additionalProperties: true },
);
export const VersionBody = Type.Object({
  jobId: Type.String(),
  number: Type.Integer(),
  author: Type.String(),
  message: Type.String(),
  contentHash: Type.String(),
  content: JobContentBody,
  createdAt: Type.String(),
});
export const StepBody = Type.Object({
  name: Type.String(),
  status: Type.String(),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  log: Type.Array(Type.String()),
});
export const SubmissionBody = Type.Object({
  id: Type.String(),
  jobId: Type.String(),
  number: Type.Integer(),
  kind: Type.String(),
  versionNumber: Type.Integer(),
  status: Type.String(),
  previousState: State('the state before the submission'),
  flinkJobId: Nullable(Type.String()),
  savepointPath: Nullable(Type.String()),
  uploadedJarId: Nullable(
    Type.String({ description: 'a jar uploaded to the JobManager for this submission, not deleted yet' }),
  ),
  params: Type.Unknown(),
  steps: Type.Array(StepBody),
  failedStep: Nullable(Type.String()),
  error: Nullable(Type.String({ description: 'in English' })),
  errorMessage: CodedMessage,
  rootCause: Nullable(Type.String()),
  author: Type.String(),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});
export const JobEventBody = Type.Object({
  id: Type.Integer(),
  jobId: Type.String(),
  from: State(),
  to: State(),
  reason: Type.String(),
  reasonMessage: CodedMessage,
  source: Type.String(),
  submissionId: Nullable(Type.String()),
  at: Type.String(),
});

const tags = ['jobs'];

/** One log of one process of the cluster a job runs in. */
export const LogSourceBody = Type.Object({
  id: Type.String({ description: 'how the source is named: jobmanager.log, taskmanager-1.out, ...' }),
  process: Type.String({ description: "jobmanager, taskmanager-1, sql-gateway, or Flink's TaskManager id" }),
  role: Type.Union([Type.Literal('jobmanager'), Type.Literal('taskmanager'), Type.Literal('sql-gateway')]),
  stream: Type.Union([Type.Literal('log'), Type.Literal('stdout')], {
    description: "Flink's log (log4j), or the process's stdout and stderr (.out)",
  }),
  size: Type.Union([Type.Integer(), Type.Null()], { description: 'bytes now; null when unknown' }),
  live: Type.Boolean({ description: 'still written: its process runs' }),
});
const LogRunBody = Type.Object({
  flinkJobId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  live: Type.Boolean(),
});
export const LogSourcesBody = Type.Object({
  job: Type.String(),
  target: Type.String(),
  scope: Type.Union([Type.Literal('job'), Type.Literal('cluster')], {
    description:
      "job: the processes of the job's own application cluster; cluster: the session cluster's processes, shared by every job it runs",
  }),
  run: Type.Union([Type.String(), Type.Null()], {
    description:
      "the run shown (its Flink job id) when the job runs in clusters of its own; on a session cluster, the run whose kept logs are shown (null: the session's processes now)",
  }),
  runs: Type.Array(LogRunBody, {
    description:
      "the runs whose logs are kept, newest first (on a Kubernetes session, the session's pod logs kept when a run of the job ended)",
  }),
  sources: Type.Array(LogSourceBody),
});
/** What a log follow stream pushes: whole lines as they are written, then its end. */
export const LogEvents = {
  chunk: Type.Object({
    text: Type.String(),
    from: Type.Integer(),
    next: Type.Integer({ description: 'the byte offset to read on from' }),
    size: Type.Integer(),
  }),
  end: Type.Object({ reason: Type.String() }),
};
const ratio = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });
const perSecond = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const BackpressureBody = Type.Object(
  {
    level: Type.Enum(BACKPRESSURE_LEVELS, {
      description: "by Flink's thresholds: ok up to 10%, low up to 50%, high above",
    }),
    ratio: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);

const JobGraphBody = Type.Object(
  {
    job: Type.String(),
    target: Type.String(),
    run: Type.String({
      description: 'the Flink job id whose graph this is: the current run, or the one running at `at`',
    }),
    at: Type.String({
      description: 'when the JobManager was asked, or the moment Prometheus was asked about (ISO 8601)',
    }),
    source: Type.Union([Type.Literal('jobmanager'), Type.Literal('prometheus')], {
      description:
        "jobmanager: read live from the run's JobManager; prometheus: the run's graph Sluice kept when it first saw it RUNNING, coloured from Prometheus's samples at `at`",
    }),
    vertices: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: "Flink's vertex id" }),
          name: Type.String({ description: 'its chained operators as Flink names them' }),
          parallelism: Type.Integer({ minimum: 0 }),
          backpressure: Type.Union([BackpressureBody, Type.Null()], {
            description:
              'its most back-pressured subtask: the share of time it waited for buffers downstream; null until Flink sampled it',
          }),
          busyRatio: ratio("its busiest subtask's share of time busy; null until sampled"),
          recordsInPerSecond: perSecond('over all its subtasks; null when Flink gives none'),
          recordsOutPerSecond: perSecond('over all its subtasks; null when Flink gives none'),
          subtasks: Type.Array(
            Type.Object(
              {
                subtask: Type.Integer({ minimum: 0, description: 'its index, as Flink numbers subtasks' }),
                backpressure: Type.Union([BackpressureBody, Type.Null()], {
                  description:
                    'the share of time it waited for buffers downstream; null when Flink gave none',
                }),
                busyRatio: ratio('its share of time busy'),
                idleRatio: ratio('its share of time idle (waiting for input)'),
              },
              { additionalProperties: false },
            ),
            {
              description:
                "each subtask by index, from Flink's backpressure sample; empty until it sampled the vertex",
            },
          ),
        },
        { additionalProperties: false },
      ),
      { description: "Flink's order: sources first" },
    ),
    edges: Type.Array(
      Type.Object({
        from: Type.String(),
        to: Type.String(),
        shipStrategy: Type.Union([Type.String(), Type.Null()], {
          description: 'FORWARD, HASH, REBALANCE...',
        }),
      }),
    ),
  },
  { additionalProperties: false },
);

/** One exception Flink recorded for a run (GET /jobs/:jobid/exceptions), secrets masked. */
const exceptionFields = {
  exception: Type.String({ description: "the exception's class" }),
  rootCause: Type.String({ description: 'the innermost meaningful cause, as `Class: message`' }),
  causes: Type.Array(Type.String(), {
    description: "the trace's exception lines, outermost first: its first line, then each `Caused by:`",
  }),
  trace: Type.String({ description: 'the whole stack trace' }),
  at: Nullable(Type.String({ format: 'date-time' })),
  task: Nullable(
    Type.String({ description: 'the task (and subtask) it was thrown in; null: the job as a whole' }),
  ),
  location: Nullable(Type.String({ description: "the TaskManager's address (Flink's endpoint)" })),
  taskManagerId: Nullable(Type.String()),
  labels: StringMap({ description: "failure enrichers' labels" }),
};
const FlinkExceptionBody = Type.Object(exceptionFields);
const FlinkFailureBody = Type.Object({
  ...exceptionFields,
  concurrent: Type.Array(FlinkExceptionBody, {
    description: 'exceptions other tasks threw in the same failure',
  }),
});
export const JobExceptionsBody = Type.Object({
  job: Type.String(),
  target: Type.String(),
  run: Nullable(Type.String({ description: 'the Flink job id of the run; null before the job ran' })),
  source: Type.Union([Type.Literal('flink'), Type.Literal('recorded'), Type.Literal('none')], {
    description:
      "flink: read from the run's cluster now; recorded: the cluster no longer knows the run, the root cause is what Sluice recorded when it failed; none: neither",
  }),
  note: Nullable(Type.String({ description: 'why there is no exception history from Flink' })),
  noteMessage: CodedMessage,
  rootCause: Type.Union([
    Type.Null(),
    Type.Object({
      text: Type.String(),
      exception: Nullable(Type.String()),
      reported: Nullable(Type.String({ description: "the failure's outermost line, as Flink reported it" })),
      at: Nullable(Type.String({ format: 'date-time' })),
      task: Nullable(Type.String()),
      location: Nullable(Type.String()),
    }),
  ]),
  failures: Type.Array(FlinkFailureBody, { description: 'the failures of the run, newest first' }),
  truncated: Type.Boolean({ description: 'Flink kept more failures than it gave' }),
});
const LogSourceParams = Type.Object({ name: Name, source: Type.String({ minLength: 1, maxLength: 300 }) });
const RunQuery = Type.String({ pattern: '^[0-9a-f]{32}$', description: "a kept run's Flink job id" });
const Number_ = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const submission = { 202: SubmissionBody, ...errors };

export const CreateJobBody = Type.Object(
  {
    name: Name,
    space: SpaceField,
    ...ContentFields,
    message: Type.Optional(Text(NAME_LIMITS.versionMessage)),
  },
  { additionalProperties: false },
);
export const UpdateJobBody = Type.Object(
  {
    baseVersion: Type.Integer({ minimum: 1 }),
    message: Type.String({ minLength: 1, maxLength: NAME_LIMITS.versionMessage }),
    ...ContentFields,
  },
  { additionalProperties: false },
);
export const StartBody = Type.Object(
  {
    fromSavepoint: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description:
          "what to restore: 'latest' (the latest savepoint or retained checkpoint; refused when there is none), 'none' (empty state), or a savepoint or checkpoint path. Left out: the latest when there is one, else empty state",
      }),
    ),
    allowNonRestoredState: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const VersionDiffBody = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  sqlPatch: Type.String(),
  sqlLinesAdded: Type.Integer(),
  sqlLinesRemoved: Type.Integer(),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
});
export const DeletedJobBody = Type.Object({
  removed: Type.Array(Type.String(), { description: 'folders removed from this machine' }),
  kept: Type.Array(Type.String(), { description: 'folders kept as asked (keepSavepoints)' }),
  notRemoved: Type.Array(Type.Object({ path: Type.String(), why: Type.String() })),
});

export const jobs = {
  list: operation('GET', '/jobs', {
    tags,
    summary: 'Jobs with their lifecycle state',
    response: { 200: Type.Array(inSpace(JobBody)) },
  }),
  create: operation('POST', '/jobs', {
    tags,
    summary: 'Create a job (version 1): a SQL job (sql) or a JAR job (jar); giving both or neither is a 400',
    body: CreateJobBody,
    response: { 201: Type.Intersect([JobBody, Type.Object({ warnings: Warnings })]), ...errors },
  }),
  get: operation('GET', '/jobs/:name', {
    tags,
    summary: 'A job, with the space it belongs to',
    params: NameParams,
    response: { 200: inSpace(JobBody), ...errors },
  }),
  update: operation('PATCH', '/jobs/:name', {
    tags,
    summary: 'Save a change as a new version; 409 when the job moved past baseVersion',
    params: NameParams,
    body: UpdateJobBody,
    response: { 200: Type.Intersect([VersionBody, Type.Object({ warnings: Warnings })]), ...errors },
  }),
  remove: operation('DELETE', '/jobs/:name', {
    tags,
    summary:
      'Delete a job that is not running, with its savepoint and retained checkpoint folders unless keepSavepoints',
    params: NameParams,
    querystring: Type.Object({ keepSavepoints: Type.Optional(Type.Boolean()) }),
    response: { 200: DeletedJobBody, ...errors },
  }),
  copy: operation('POST', '/jobs/:name/copy', {
    tags,
    summary: 'Copy a job (its current version) under a new name',
    params: NameParams,
    body: Type.Object({ name: Name }, { additionalProperties: false }),
    response: { 201: JobBody, ...errors },
  }),
  versions: operation('GET', '/jobs/:name/versions', {
    tags,
    summary: 'Every version, oldest first',
    params: NameParams,
    response: { 200: Type.Array(VersionBody), ...errors },
  }),
  version: operation('GET', '/jobs/:name/versions/:number', {
    tags,
    summary: 'One version',
    params: Type.Object({ name: Name, number: Number_ }),
    response: { 200: VersionBody, ...errors },
  }),
  diff: operation('GET', '/jobs/:name/diff', {
    tags,
    summary: 'Differences between two versions: a unified diff of the SQL and every other changed field',
    params: NameParams,
    querystring: Type.Object({ from: Number_, to: Number_ }),
    response: { 200: VersionDiffBody, ...errors },
  }),
  rollback: operation('POST', '/jobs/:name/rollback', {
    tags,
    summary: 'Save an old version as the newest one',
    params: NameParams,
    body: Type.Object({ version: Number_ }, { additionalProperties: false }),
    response: { 200: VersionBody, ...errors },
  }),
  start: operation('POST', '/jobs/:name/start', {
    tags,
    summary:
      "Start the current version (a submission; follow it at /api/v1/events); 409: the job's state refuses it, or its target's quota (details.quota: the resource, limit, request, what is in use and by which jobs); 400: beyond its target's per-job ranges (details.field)",
    params: NameParams,
    body: nullable(StartBody),
    response: submission,
  }),
  stop: operation('POST', '/jobs/:name/stop', {
    tags,
    summary: 'Stop with a savepoint (drain: flush windows first)',
    params: NameParams,
    body: nullable(Type.Object({ drain: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    response: submission,
  }),
  cancel: operation('POST', '/jobs/:name/cancel', {
    tags,
    summary: 'Cancel without a savepoint',
    params: NameParams,
    response: submission,
  }),
  upgrade: operation('POST', '/jobs/:name/upgrade', {
    tags,
    summary:
      "Stop with a savepoint and start the current version from it, as one submission; 409 as a start's (the target's quota, the job's own use given back): refused, the running version keeps running",
    params: NameParams,
    body: nullable(
      Type.Object({ allowNonRestoredState: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    ),
    response: submission,
  }),
  triggerSavepoint: operation('POST', '/jobs/:name/savepoints', {
    tags,
    summary: 'Trigger a savepoint of the running job',
    params: NameParams,
    response: submission,
  }),
  savepoints: operation('GET', '/jobs/:name/savepoints', {
    tags,
    summary: 'Savepoints and retained checkpoints, newest first',
    params: NameParams,
    response: { 200: Type.Array(SavepointBody), ...errors },
  }),
  render: operation('GET', '/jobs/:name/render', {
    tags,
    summary:
      "What a start of the job's current version would apply on its Kubernetes target, as YAML, with the API server's server-side dry run of it; nothing is created",
    params: NameParams,
    response: {
      200: Type.Object({
        target: Type.String(),
        flinkJobId: Type.String({ description: 'chosen for this rendering: each start chooses its own' }),
        yaml: Type.String({ description: 'every object, as YAML documents in the order they are applied' }),
        objects: Type.Array(Type.Object({ kind: Type.String(), name: Type.String() })),
        dryRun: Type.Union([Type.Object({ accepted: Type.Boolean(), detail: Type.String() }), Type.Null()]),
      }),
      ...errors,
    },
  }),
  optionChanges: operation('POST', '/jobs/:name/option-changes', {
    tags,
    summary:
      'What moving the job to another Flink version changes in its connector and configuration options; rewrite: true saves the rewritten SQL and options as a new version',
    params: NameParams,
    body: Type.Object(
      { to: EngineVersion, rewrite: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Intersect([
        OptionChangeReport,
        Type.Object({ savedVersion: Type.Union([Type.Integer(), Type.Null()]) }),
      ]),
      ...errors,
    },
  }),
  submissions: operation('GET', '/jobs/:name/submissions', {
    tags,
    summary: 'Every submission (start, stop, ...) with its steps',
    params: NameParams,
    response: { 200: Type.Array(SubmissionBody), ...errors },
  }),
  submission: operation('GET', '/jobs/:name/submissions/:number', {
    tags,
    summary: 'One submission and its step-by-step log',
    params: Type.Object({ name: Name, number: Number_ }),
    response: { 200: SubmissionBody, ...errors },
  }),
  events: operation('GET', '/jobs/:name/events', {
    tags,
    summary: 'Every state transition: from, to, reason, source, time',
    params: NameParams,
    response: { 200: Type.Array(JobEventBody), ...errors },
  }),
  logs: operation('GET', '/jobs/:name/logs', {
    tags,
    summary:
      "The log sources of the Flink processes the job runs in: its own application cluster's (per run), or the session cluster's it shares",
    params: NameParams,
    querystring: Type.Object({ run: Type.Optional(RunQuery) }),
    response: { 200: LogSourcesBody, ...errors },
  }),
  log: operation('GET', '/jobs/:name/logs/:source', {
    tags,
    summary:
      'One log as text/plain, secrets masked: its last `tail` lines (1000 by default), or from byte `from`, or the lines holding `search` (any case) numbered as `line:text`; `download` gives the whole file as an attachment. Headers sluice-log-from, sluice-log-next (read on from it), sluice-log-size and sluice-log-live say where the text is',
    params: LogSourceParams,
    querystring: Type.Object({
      tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
      from: Type.Optional(Type.Integer({ minimum: 0 })),
      search: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      download: Type.Optional(Type.Boolean()),
      run: Type.Optional(RunQuery),
    }),
    response: {
      200: {
        description: 'the log text, whole lines only',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      ...errors,
    },
  }),
  exceptions: operation('GET', '/jobs/:name/exceptions', {
    tags,
    summary:
      "Flink's exception history of a run of the job (the current one unless `run`), root cause first, each failure with its concurrent exceptions, secrets masked; for a run whose cluster is gone, the root cause Sluice recorded",
    params: NameParams,
    querystring: Type.Object({
      run: Type.Optional(
        Type.String({ pattern: '^[0-9a-f]{32}$', description: 'a Flink job id of the job' }),
      ),
    }),
    response: { 200: JobExceptionsBody, ...errors },
  }),
  graph: operation('GET', '/jobs/:name/graph', {
    tags,
    summary:
      "The running job's graph from its JobManager: each vertex (operator chain) with its parallelism, backpressure level and ratio by Flink's thresholds, busy ratio and records in/out per second; the edges between them. With `at`, the graph of the run that ran then (a past or finished one), its shape as Sluice kept it, coloured from Prometheus at that moment. 409 when the job does not run (or its cluster no longer knows it), or at `at` no run of it had series or its run's graph was never kept; 400 for an `at` that is no moment, after now or older than Prometheus's retention; 503 when its cluster (or, with `at`, Prometheus) does not answer",
    params: NameParams,
    querystring: Type.Object({
      at: Type.Optional(
        Type.String({
          maxLength: 64,
          description:
            'a moment: ISO 8601, or how long ago as - and a Prometheus duration (`-10m`); the graph is then drawn from Prometheus',
        }),
      ),
    }),
    response: { 200: JobGraphBody, ...errors },
  }),
  followLog: operation('GET', '/jobs/:name/logs/:source/follow', {
    tags,
    summary:
      'Server-sent events: `chunk` with each run of new whole lines from byte `from` (secrets masked), then `end` once the process no longer writes the log; open until then or until the client leaves',
    params: LogSourceParams,
    querystring: Type.Object({
      from: Type.Optional(Type.Integer({ minimum: 0 })),
      run: Type.Optional(RunQuery),
    }),
    response: { 200: EventStream(Object.keys(LogEvents)), ...errors },
  }),
};

export type JobView = Static<typeof JobBody>;
export type JobVersion = Static<typeof VersionBody>;
export type VersionDiff = Static<typeof VersionDiffBody>;
export type Submission = Static<typeof SubmissionBody>;
export type SubmissionStep = Static<typeof StepBody>;
export type JobEvent = Static<typeof JobEventBody>;
export type LogSourcesView = Static<typeof LogSourcesBody>;
export type LogSourceView = Static<typeof LogSourceBody>;
export type JobExceptionsView = Static<typeof JobExceptionsBody>;
export type JobGraphView = Static<typeof JobGraphBody>;
export type FlinkFailureView = Static<typeof FlinkFailureBody>;
export type LogEventMap = { [K in keyof typeof LogEvents]: Static<(typeof LogEvents)[K]> };
export type SavepointRecord = Static<typeof SavepointBody>;
export type DeletedJob = Static<typeof DeletedJobBody>;
export type CreateJobInput = Static<typeof CreateJobBody>;
export type JobChanges = Omit<Static<typeof UpdateJobBody>, 'baseVersion' | 'message'>;
export type StartParams = Static<typeof StartBody>;
export type RestartPolicyBody = Static<typeof RestartPolicy>;
export type ResubmitPolicyBody = Static<typeof ResubmitPolicy>;
export type Saved = { warnings: Static<typeof Warnings> };
