import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../application/platform.ts';
import { NAME_LIMITS } from '../limits.ts';
import {
  CodedMessage,
  EngineVersion,
  errors,
  Name,
  NameParams,
  OptionChangeReport,
  Problem,
  Sql,
  StringMap,
  Text,
} from '../schemas.ts';

/** A body that may be left out: fastify passes null for a POST without one. */
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const seconds = (description: string, minimum = 0, maximum = 86_400) =>
  Type.Number({ minimum, maximum, description });
/** Flink's restart strategy for the job (RestartStrategyOptions), set explicitly on every deploy. */
const RestartPolicy = Type.Union(
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
const ResubmitPolicy = Type.Union([
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
/** A cluster or catalog a job names: a name, never an empty one. */
const ClusterName = Type.String({ minLength: 1, maxLength: NAME_LIMITS.cluster });
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
  clusterName: Type.Optional(ClusterName),
  restartPolicy: Type.Optional(RestartPolicy),
  resubmitPolicy: Type.Optional(ResubmitPolicy),
  catalogs: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), {
      maxItems: 100,
      description: 'workspace catalogs created in the job session before its SQL',
    }),
  ),
};
const SavepointBody = Type.Object({
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
const JobBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  sql: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  parallelism: Type.Integer(),
  engineVersion: Type.String(),
  clusterName: Type.String(),
  restartPolicy: RestartPolicy,
  resubmitPolicy: ResubmitPolicy,
  catalogs: Type.Array(Type.String()),
  flinkJobId: Nullable(Type.String()),
  currentVersion: Type.Integer(),
  deployedVersion: Type.Union([Type.Integer(), Type.Null()]),
  needsDeploy: Type.Boolean(),
  state: Type.String({
    description:
      'lifecycle state: CREATED, STARTING, JM_RUNNING, PODS_RUNNING, RUNNING, NOT_RUNNING, FINISHED, STOPPING, STOPPED, FAILED, CANCELLING, CANCELLED, UNKNOWN',
  }),
  stateReason: Nullable(Type.String()),
  stateReasonMessage: CodedMessage,
  stateSince: Nullable(Type.String()),
  lastKnownState: Nullable(Type.String()),
  desiredState: Type.String(),
  operation: Nullable(Type.String()),
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
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Warnings = Type.Array(Problem, {
  description:
    'errors in the saved script: a draft is saved with them, but cannot start until they are fixed',
});
const VersionBody = Type.Object({
  jobId: Type.String(),
  number: Type.Integer(),
  author: Type.String(),
  message: Type.String(),
  contentHash: Type.String(),
  content: Type.Unknown(),
  createdAt: Type.String(),
});
const StepBody = Type.Object({
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
  previousState: Type.String(),
  flinkJobId: Nullable(Type.String()),
  savepointPath: Nullable(Type.String()),
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
const EventBody = Type.Object({
  id: Type.Integer(),
  jobId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  reason: Type.String(),
  reasonMessage: CodedMessage,
  source: Type.String(),
  submissionId: Nullable(Type.String()),
  at: Type.String(),
});

/** Who did it, as the server can tell without users (src/http/plugins/request-origin.ts). */
const author = (req: FastifyRequest) => req.author;

export const jobRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const jobs = platform.jobs;
    const tags = ['jobs'];
    app.get(
      '/jobs',
      {
        schema: { tags, summary: 'Jobs with their lifecycle state', response: { 200: Type.Array(JobBody) } },
      },
      () => jobs.list(),
    );

    app.post(
      '/jobs',
      {
        schema: {
          tags,
          summary: 'Create a SQL job (version 1)',
          body: Type.Object(
            {
              name: Name,
              ...ContentFields,
              sql: Sql({ minLength: 1 }),
              message: Type.Optional(Text(NAME_LIMITS.versionMessage)),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Intersect([JobBody, Type.Object({ warnings: Warnings })]),
            ...errors,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await jobs.create(req.body, author(req))),
    );

    app.get(
      '/jobs/:name',
      { schema: { tags, summary: 'A job', params: NameParams, response: { 200: JobBody, ...errors } } },
      (req) => jobs.get(req.params.name),
    );

    app.patch(
      '/jobs/:name',
      {
        schema: {
          tags,
          summary: 'Save a change as a new version; 409 when the job moved past baseVersion',
          params: NameParams,
          body: Type.Object(
            {
              baseVersion: Type.Integer({ minimum: 1 }),
              message: Type.String({ minLength: 1, maxLength: NAME_LIMITS.versionMessage }),
              ...ContentFields,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Intersect([VersionBody, Type.Object({ warnings: Warnings })]),
            ...errors,
          },
        },
      },
      (req) => {
        const { baseVersion, message, ...changes } = req.body;
        return jobs.update(req.params.name, baseVersion, changes, message, author(req));
      },
    );

    app.delete(
      '/jobs/:name',
      {
        schema: {
          tags,
          summary:
            'Delete a job that is not running, with its savepoint and retained checkpoint folders unless keepSavepoints',
          params: NameParams,
          querystring: Type.Object({ keepSavepoints: Type.Optional(Type.Boolean()) }),
          response: {
            200: Type.Object({
              removed: Type.Array(Type.String(), { description: 'folders removed from this machine' }),
              kept: Type.Array(Type.String(), { description: 'folders kept as asked (keepSavepoints)' }),
              notRemoved: Type.Array(Type.Object({ path: Type.String(), why: Type.String() })),
            }),
            ...errors,
          },
        },
      },
      (req) => jobs.delete(req.params.name, { keepSavepoints: req.query.keepSavepoints ?? false }),
    );

    app.post(
      '/jobs/:name/copy',
      {
        schema: {
          tags,
          summary: 'Copy a job (its current version) under a new name',
          params: NameParams,
          body: Type.Object({ name: Name }, { additionalProperties: false }),
          response: { 201: JobBody, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await jobs.copy(req.params.name, req.body.name, author(req))),
    );

    app.get(
      '/jobs/:name/versions',
      {
        schema: {
          tags,
          summary: 'Every version, oldest first',
          params: NameParams,
          response: { 200: Type.Array(VersionBody), ...errors },
        },
      },
      (req) => jobs.versions(req.params.name),
    );
    app.get(
      '/jobs/:name/versions/:number',
      {
        schema: {
          tags,
          summary: 'One version',
          params: Type.Object({ name: Name, number: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
          response: { 200: VersionBody, ...errors },
        },
      },
      (req) => jobs.version(req.params.name, req.params.number),
    );
    app.get(
      '/jobs/:name/diff',
      {
        schema: {
          tags,
          summary:
            'Differences between two versions: a unified diff of the SQL and every other changed field',
          params: NameParams,
          querystring: Type.Object({
            from: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
            to: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
          }),
          response: {
            200: Type.Object({
              from: Type.Integer(),
              to: Type.Integer(),
              sqlPatch: Type.String(),
              sqlLinesAdded: Type.Integer(),
              sqlLinesRemoved: Type.Integer(),
              changes: Type.Array(
                Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() }),
              ),
            }),
            ...errors,
          },
        },
      },
      (req) => jobs.diff(req.params.name, req.query.from, req.query.to),
    );
    app.post(
      '/jobs/:name/rollback',
      {
        schema: {
          tags,
          summary: 'Save an old version as the newest one',
          params: NameParams,
          body: Type.Object(
            { version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
            { additionalProperties: false },
          ),
          response: { 200: VersionBody, ...errors },
        },
      },
      (req) => jobs.rollback(req.params.name, req.body.version, author(req)),
    );

    const submission = { 202: SubmissionBody, ...errors };
    app.post(
      '/jobs/:name/start',
      {
        schema: {
          tags,
          summary: 'Start the current version (a submission; follow it at /api/v1/events)',
          params: NameParams,
          body: nullable(
            Type.Object(
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
            ),
          ),
          response: submission,
        },
      },
      async (req, reply) =>
        reply.status(202).send(await jobs.start(req.params.name, req.body ?? {}, author(req))),
    );
    app.post(
      '/jobs/:name/stop',
      {
        schema: {
          tags,
          summary: 'Stop with a savepoint (drain: flush windows first)',
          params: NameParams,
          body: nullable(
            Type.Object({ drain: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          ),
          response: submission,
        },
      },
      async (req, reply) =>
        reply.status(202).send(await jobs.stop(req.params.name, req.body?.drain ?? false, author(req))),
    );
    app.post(
      '/jobs/:name/cancel',
      { schema: { tags, summary: 'Cancel without a savepoint', params: NameParams, response: submission } },
      async (req, reply) => reply.status(202).send(await jobs.cancel(req.params.name, author(req))),
    );
    app.post(
      '/jobs/:name/upgrade',
      {
        schema: {
          tags,
          summary: 'Stop with a savepoint and start the current version from it, as one submission',
          params: NameParams,
          body: nullable(
            Type.Object(
              { allowNonRestoredState: Type.Optional(Type.Boolean()) },
              { additionalProperties: false },
            ),
          ),
          response: submission,
        },
      },
      async (req, reply) =>
        reply
          .status(202)
          .send(
            await jobs.upgrade(
              req.params.name,
              { allowNonRestoredState: req.body?.allowNonRestoredState },
              author(req),
            ),
          ),
    );
    app.post(
      '/jobs/:name/savepoints',
      {
        schema: {
          tags,
          summary: 'Trigger a savepoint of the running job',
          params: NameParams,
          response: submission,
        },
      },
      async (req, reply) => reply.status(202).send(await jobs.savepoint(req.params.name, author(req))),
    );
    app.get(
      '/jobs/:name/savepoints',
      {
        schema: {
          tags,
          summary: 'Savepoints and retained checkpoints, newest first',
          params: NameParams,
          response: { 200: Type.Array(SavepointBody), ...errors },
        },
      },
      (req) => jobs.savepoints(req.params.name),
    );
    app.post(
      '/jobs/:name/option-changes',
      {
        schema: {
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
        },
      },
      (req) => jobs.optionChanges(req.params.name, req.body.to, req.body.rewrite ?? false, author(req)),
    );
    app.get(
      '/jobs/:name/submissions',
      {
        schema: {
          tags,
          summary: 'Every submission (start, stop, ...) with its steps',
          params: NameParams,
          response: { 200: Type.Array(SubmissionBody), ...errors },
        },
      },
      (req) => jobs.submissions(req.params.name),
    );
    app.get(
      '/jobs/:name/submissions/:number',
      {
        schema: {
          tags,
          summary: 'One submission and its step-by-step log',
          params: Type.Object({ name: Name, number: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
          response: { 200: SubmissionBody, ...errors },
        },
      },
      (req) => jobs.submission(req.params.name, req.params.number),
    );
    app.get(
      '/jobs/:name/events',
      {
        schema: {
          tags,
          summary: 'Every state transition: from, to, reason, source, time',
          params: NameParams,
          response: { 200: Type.Array(EventBody), ...errors },
        },
      },
      (req) => jobs.events(req.params.name),
    );
  };
