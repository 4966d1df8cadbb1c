import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { errors, NameParams, OperationBody } from '../schemas.ts';

const JobBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    kind: Type.String(),
    sql: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    parallelism: Type.Integer(),
    engineVersion: Type.String(),
    clusterName: Type.String(),
    flinkJobId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    state: Type.Optional(Type.String()),
    stateReason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    startTime: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { $id: 'Job' },
);

export const jobRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Jobs with the state Flink reports',
          response: { 200: Type.Array(JobBody) },
        },
      },
      () => platform.jobs.list(),
    );

    app.post(
      '/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Create a SQL job',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 63 }),
              sql: Type.String({ minLength: 1 }),
              description: Type.Optional(Type.String({ maxLength: 2000 })),
              options: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String())),
              parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
              engineVersion: Type.Optional(Type.String()),
              clusterName: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          response: { 201: JobBody, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await platform.jobs.create(req.body)),
    );

    app.get(
      '/jobs/:name',
      {
        schema: {
          tags: ['jobs'],
          summary: 'A job and the state of its Flink job',
          params: NameParams,
          response: { 200: JobBody, ...errors },
        },
      },
      (req) => platform.jobs.get(req.params.name),
    );

    app.post(
      '/jobs/:name/start',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Deploy the job to its cluster (background operation with step-by-step progress)',
          params: NameParams,
          response: { 202: OperationBody, ...errors },
        },
      },
      async (req, reply) => {
        await platform.jobs.require(req.params.name);
        const op = platform.operations.start('job-start', req.params.name, (progress) =>
          platform.jobs.start(req.params.name, progress),
        );
        return reply.status(202).send(op);
      },
    );
  };
