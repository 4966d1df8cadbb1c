import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { FLINK_CONFIG_KEY, MIN_MEMORY } from '../../domain/clusters/local-cluster-spec.ts';
import { formatMemorySize, MEMORY_SIZE_PATTERN } from '../../domain/clusters/memory-size.ts';
import {
  CodedMessage,
  EngineVersion,
  errors,
  Name,
  NameParams,
  OperationBody,
  StringMap,
} from '../schemas.ts';

const Port = Type.Integer({
  minimum: 1024,
  maximum: 65535,
  description: "not another cluster's port, nor the API's, nor one another program holds",
});
const Memory = (field: keyof typeof MIN_MEMORY) =>
  Type.String({
    pattern: MEMORY_SIZE_PATTERN,
    maxLength: 32,
    description: `a memory size as Flink reads it (1024m, 1536 mb, 2g; bytes without a unit), at least ${formatMemorySize(MIN_MEMORY[field])} and within this machine's memory, all processes together`,
  });
const ClusterSettings = Type.Object(
  {
    engineVersion: Type.Optional(EngineVersion),
    restPort: Type.Optional(Port),
    rpcPort: Type.Optional(Port),
    gatewayPort: Type.Optional(Port),
    taskManagers: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    slotsPerTaskManager: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    jobManagerMemory: Type.Optional(Memory('jobManagerMemory')),
    taskManagerMemory: Type.Optional(Memory('taskManagerMemory')),
    gatewayMemory: Type.Optional(Memory('gatewayMemory')),
    flinkConfig: Type.Optional(
      StringMap({
        keyPattern: FLINK_CONFIG_KEY.source,
        description:
          "more Flink options for the cluster's config.yaml; not those its own fields set (ports, memory, slots), nor its addresses",
      }),
    ),
  },
  { additionalProperties: false },
);
const ProcessBody = Type.Object({
  id: Type.String(),
  role: Type.String(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  alive: Type.Boolean(),
  adopted: Type.Boolean(),
  restarts: Type.Integer(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  logFile: Type.String(),
});
const OverviewBody = Type.Object(
  {
    taskmanagers: Type.Integer(),
    'slots-total': Type.Integer(),
    'slots-available': Type.Integer(),
    'jobs-running': Type.Integer(),
    'flink-version': Type.String(),
  },
  { additionalProperties: true },
);
const EventBody = Type.Object({
  id: Type.Integer(),
  clusterName: Type.String(),
  processId: Type.String(),
  kind: Type.String(),
  detail: Type.String(),
  at: Type.String(),
});
const ClusterStatusBody = Type.Object({
  name: Type.String(),
  kind: Type.Optional(Type.String()),
  state: Type.String(),
  flinkVersion: Type.String(),
  engineVersion: Type.Optional(Type.String({ description: 'the engine a job on this cluster names' })),
  restUrl: Type.String(),
  gatewayUrl: Type.String(),
  processes: Type.Array(ProcessBody),
  overview: Type.Union([Type.Null(), OverviewBody]),
  gatewayHealthy: Type.Boolean(),
  problem: Type.Optional(Type.String()),
  problemMessage: Type.Optional(CodedMessage),
  events: Type.Optional(Type.Array(EventBody)),
});
const ClusterSpecBody = Type.Object({
  name: Type.String(),
  engineVersion: Type.String(),
  restPort: Type.Integer(),
  rpcPort: Type.Integer(),
  gatewayPort: Type.Integer(),
  taskManagers: Type.Integer(),
  slotsPerTaskManager: Type.Integer(),
  jobManagerMemory: Type.String(),
  taskManagerMemory: Type.String(),
  gatewayMemory: Type.String(),
  flinkConfig: Type.Record(Type.String(), Type.String()),
});

export const clusterRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/clusters',
      {
        schema: {
          tags: ['clusters'],
          summary: 'Local session clusters and their state',
          response: { 200: Type.Array(ClusterStatusBody) },
        },
      },
      () => platform.clusters.list(),
    );

    app.put(
      '/clusters/:name',
      {
        schema: {
          tags: ['clusters'],
          summary: 'Create or change a local session cluster definition (applies at its next start)',
          params: NameParams,
          body: ClusterSettings,
          response: { 200: ClusterSpecBody, ...errors },
        },
      },
      (req) => platform.clusters.define({ ...req.body, name: req.params.name }),
    );

    app.post(
      '/clusters/remote',
      {
        schema: {
          tags: ['clusters'],
          summary: 'Register a remote session cluster by its Flink REST (and SQL Gateway) address',
          body: Type.Object(
            {
              name: Name,
              restUrl: Type.String({ minLength: 1, maxLength: 2048 }),
              gatewayUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              name: Type.String(),
              engineVersion: Type.String(),
              restUrl: Type.String(),
              gatewayUrl: Type.Union([Type.String(), Type.Null()]),
            }),
            ...errors,
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(
          await platform.clusters.registerRemote({
            name: req.body.name,
            restUrl: req.body.restUrl,
            gatewayUrl: req.body.gatewayUrl ?? null,
            engineVersion: '',
          }),
        ),
    );

    app.get(
      '/clusters/:name',
      {
        schema: {
          tags: ['clusters'],
          summary: 'A cluster: processes, health, recent process events',
          params: NameParams,
          response: { 200: ClusterStatusBody, ...errors },
        },
      },
      (req) => platform.clusters.status(req.params.name),
    );

    app.post(
      '/clusters/:name/start',
      {
        schema: {
          tags: ['clusters'],
          summary: 'Start (or adopt) a cluster; a background operation',
          params: NameParams,
          response: { 202: OperationBody, ...errors },
        },
      },
      async (req, reply) => {
        await platform.clusters.spec(req.params.name);
        const op = platform.operations.start('cluster-start', req.params.name, (progress) =>
          platform.clusters.start(req.params.name, progress),
        );
        return reply.status(202).send(op);
      },
    );

    app.post(
      '/clusters/:name/stop',
      {
        schema: {
          tags: ['clusters'],
          summary: 'Stop every process of a cluster',
          params: NameParams,
          response: { 200: ClusterStatusBody, ...errors },
        },
      },
      (req) => platform.clusters.stop(req.params.name),
    );
  };
