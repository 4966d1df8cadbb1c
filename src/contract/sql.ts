import { Type, type Static } from 'typebox';
import { NAME_LIMITS } from '../http/limits.ts';
import {
  CodedMessage,
  EngineVersion,
  ErrorBody,
  errors,
  EventStream,
  Name,
  OptionChangeReport,
  Problem,
  Sql,
  StringMap,
  TargetName,
} from './common.ts';
import { operation } from './operation.ts';
import { ArtifactRequest } from '../http/artifact-schemas.ts';
import { SpaceField } from './spaces.ts';

/** SQL: syntax and planner checks, option changes between versions, examples, debug runs, lineage. */

const tags = ['sql'];
/** The jars a session gets before the script (a job's artifacts, or a script's outside a job). */
const Artifacts = Type.Array(ArtifactRequest, {
  maxItems: 100,
  description:
    "artifacts added to the session first (ADD JAR): name (its latest version) or name@version; a debug run of a job defaults to the job's",
});
const Catalogs = Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), { maxItems: 100 });

export const SyntaxReportBody = Type.Object({
  problems: Type.Array(Problem),
  statements: Type.Array(Type.Object({ line: Type.Integer(), column: Type.Integer(), kind: Type.String() })),
  parser: Type.Optional(
    Type.Object(
      {
        engine: Type.String(),
        flinkVersion: Type.Optional(Type.String()),
        used: Type.Boolean(),
        reason: Type.Optional(Type.String()),
      },
      { description: "whether Flink's SQL parser judged the grammar's errors, or why not" },
    ),
  ),
});
export const PlannerReportBody = Type.Object({
  ok: Type.Boolean(),
  target: Type.String({ description: 'the deployment target whose session cluster planned the script' }),
  problems: Type.Array(Problem),
  plans: Type.Array(Type.Object({ line: Type.Integer(), statement: Type.String(), plan: Type.String() })),
});
export const ExampleBody = Type.Object({
  name: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  needs: Type.Union([Type.String(), Type.Null()], {
    description: 'what must run before it runs as a job, e.g. the local Kafka broker; null: nothing',
  }),
  sql: Type.String(),
});
export const DebugRunBody = Type.Object({
  id: Type.String(),
  state: Type.String({ description: 'starting, running, finished or failed' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'in English' }),
  reasonMessage: CodedMessage,
  target: Type.String({ description: 'the deployment target whose session cluster runs it' }),
  jobName: Type.Union([Type.String(), Type.Null()]),
  rowLimit: Type.Integer(),
  timeLimitSeconds: Type.Number(),
  rowCount: Type.Integer(),
  startedAt: Type.String(),
  firstRowAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  sinks: Type.Array(
    Type.Object({
      sink: Type.String(),
      line: Type.Integer(),
      columns: Type.Array(Type.String()),
      rows: Type.Integer(),
    }),
  ),
  tables: Type.Array(
    Type.Object({ name: Type.String(), line: Type.Integer(), as: Type.String(), reason: Type.String() }),
  ),
  notes: Type.Array(Type.String()),
  problem: Type.Union([Problem, Type.Null()]),
  log: Type.Array(Type.String()),
});

export const DebugRunRequestBody = Type.Object(
  {
    sql: Type.Optional(Sql({ minLength: 1, description: 'the script, or jobName: one of both' })),
    jobName: Type.Optional(Name),
    space: SpaceField,
    target: Type.Optional(TargetName()),
    rowLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.001, maximum: 3600 })),
    rowsPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    catalogs: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }), { maxItems: 100 }),
    ),
    artifacts: Type.Optional(Artifacts),
    sources: Type.Optional(
      Type.Unsafe<
        Record<string, { options?: Record<string, string>; rows?: Record<string, unknown>[]; csv?: string }>
      >({
        type: 'object',
        description: 'rows or generator options per source table, by table name',
        propertyNames: { type: 'string', minLength: 1, maxLength: 256 },
        maxProperties: 100,
        additionalProperties: Type.Object(
          {
            options: Type.Optional(StringMap()),
            rows: Type.Optional(
              Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 10_000 }),
            ),
            csv: Type.Optional(Type.String({ maxLength: 1_000_000 })),
          },
          { additionalProperties: false },
        ),
      }),
    ),
  },
  { additionalProperties: false },
);
/** One row a debug run collected (`row` events of its results stream). */
export const DebugRowBody = Type.Object({
  seq: Type.Integer(),
  sink: Type.String(),
  kind: Type.Union([Type.Literal('+I'), Type.Literal('-U'), Type.Literal('+U'), Type.Literal('-D')]),
  fields: Type.Array(Type.Unknown()),
  at: Type.String(),
});
/** The events of a debug run's results stream, by name. */
export const DebugResultEvents = {
  status: DebugRunBody,
  row: DebugRowBody,
  end: Type.Object({ reason: Type.Union([Type.String(), Type.Null()]), state: Type.String() }),
};
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const Origin = Type.Object({ table: Type.String(), column: Type.String() });
const ColumnLineage = Type.Object({
  column: Type.String(),
  from: Type.Array(Origin, { description: 'source columns; empty for a constant' }),
  expression: Type.String(),
});
const Identity = Type.Record(Type.String(), Type.String());
const Variables = Type.Optional(
  Type.Record(Type.String(), Type.Array(Type.String()), {
    description:
      "the workspace variables each identity option was written with; a secret's reference stays as written in the identity",
  }),
);

export const ScriptLineageBody = Type.Object({
  tables: Type.Array(
    Type.Object({
      name: Type.String(),
      kind: Type.Enum(['table', 'view', 'undeclared'], { description: 'undeclared: a catalog table' }),
      line: Type.Union([Type.Integer(), Type.Null()]),
      connector: Type.Union([Type.String(), Type.Null()]),
      identity: Identity,
      resource: Type.Union([Type.String(), Type.Null()]),
      variables: Variables,
      columns: Type.Array(
        Type.Object({ name: Type.String(), type: Type.String(), computed: Type.Optional(Type.Boolean()) }),
      ),
      reads: Type.Boolean(),
      writes: Type.Boolean(),
    }),
  ),
  writes: Type.Array(
    Type.Object({
      sink: Type.String(),
      line: Type.Integer(),
      statement: Type.String(),
      sources: Type.Array(Type.String()),
      via: Type.Array(Type.String()),
      columns: Type.Array(ColumnLineage),
    }),
  ),
  notes: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});

export const LineageGraphBody = Type.Object({
  nodes: Type.Array(
    Type.Union([
      Type.Object({ id: Type.String(), kind: Type.Literal('job'), job: Type.String() }),
      Type.Object({
        id: Type.String(),
        kind: Type.Literal('table'),
        resource: Type.Union([Type.String(), Type.Null()], {
          description: 'the shared key, or null for a table only its job sees',
        }),
        connector: Type.Union([Type.String(), Type.Null()]),
        identity: Identity,
        names: Type.Array(Type.Object({ job: Type.String(), table: Type.String(), variables: Variables })),
      }),
    ]),
  ),
  edges: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      kind: Type.Enum(['reads', 'writes']),
      job: Type.String(),
      table: Type.String(),
      lines: Type.Array(Type.Integer()),
      columns: Type.Array(ColumnLineage),
    }),
  ),
});

export const sql = {
  validate: operation('POST', '/sql/validate', {
    tags,
    summary:
      "Syntax check for every keystroke: the Flink SQL grammar, its errors judged by Flink's own SQL parser of the engine (default: the default engine); asJob adds the rules of a job script",
    body: Type.Object(
      {
        sql: Sql(),
        asJob: Type.Optional(Type.Boolean()),
        engineVersion: Type.Optional(EngineVersion),
        space: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 63,
            pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
            description:
              'the space whose variables and file folders judge the script (default: default); the caller sees it',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    response: { 200: SyntaxReportBody, ...errors },
  }),
  explain: operation('POST', '/sql/explain', {
    tags,
    summary:
      'Planner validation on the real engine of a session cluster: EXPLAIN of every INSERT and query, no job started',
    body: Type.Object(
      {
        sql: Sql({ minLength: 1 }),
        space: SpaceField,
        target: Type.Optional(TargetName()),
        options: Type.Optional(StringMap()),
        catalogs: Type.Optional(Catalogs),
        artifacts: Type.Optional(Artifacts),
      },
      { additionalProperties: false },
    ),
    response: { 200: PlannerReportBody, ...errors },
  }),
  optionChanges: operation('POST', '/sql/option-changes', {
    tags,
    summary:
      'Connector and configuration options that change between two Flink versions, found in a script (and job options), with the script rewritten where that is safe',
    body: Type.Object(
      { sql: Sql(), options: Type.Optional(StringMap()), from: EngineVersion, to: EngineVersion },
      { additionalProperties: false },
    ),
    response: { 200: OptionChangeReport, ...errors },
  }),
  examples: operation('GET', '/sql/examples', {
    tags,
    summary:
      'Worked examples to copy into a new job; each is planned by Flink and debug-run in the test suite',
    response: { 200: Type.Array(ExampleBody) },
  }),
  example: operation('GET', '/sql/examples/:name', {
    tags,
    summary: 'One worked example',
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) }),
    response: { 200: ExampleBody, ...errors },
  }),
  startDebug: operation('POST', '/sql/debug', {
    tags,
    summary:
      'Start a debug run: sources re-declared over datagen (or given rows), each INSERT run as the SELECT it writes, rows collected; no real sink is written',
    body: DebugRunRequestBody,
    response: { 202: DebugRunBody, ...errors },
  }),
  debugRuns: operation('GET', '/sql/debug', {
    tags,
    summary: 'Recent debug runs, newest first',
    response: { 200: Type.Array(DebugRunBody) },
  }),
  debugRun: operation('GET', '/sql/debug/:id', {
    tags,
    summary: 'A debug run',
    params: IdParams,
    response: { 200: DebugRunBody, ...errors },
  }),
  stopDebug: operation('POST', '/sql/debug/:id/stop', {
    tags,
    summary: 'Stop a debug run: its Flink jobs are cancelled',
    params: IdParams,
    response: { 200: DebugRunBody, ...errors },
  }),
  debugResults: operation('GET', '/sql/debug/:id/results', {
    tags,
    summary:
      'Server-sent events: `status` (the run), `row` ({seq, sink, kind: +I/-U/+U/-D, fields}) for every row so far and then live, `end` when the run has ended',
    params: IdParams,
    response: { 200: EventStream(Object.keys(DebugResultEvents)), 404: ErrorBody },
  }),
  lineage: operation('POST', '/sql/lineage', {
    tags,
    summary:
      'Lineage of a script: tables with connector and identifying options, the INSERTs that write each sink, and sink column <- source columns',
    body: Type.Object({ sql: Sql(), space: SpaceField }, { additionalProperties: false }),
    response: { 200: ScriptLineageBody, ...errors },
  }),
  graph: operation('GET', '/lineage', {
    tags,
    summary:
      'Lineage across the jobs of the workspace: jobs and tables, joined where jobs name the same external data; ?job= narrows it to what one job is connected to',
    querystring: Type.Object({ job: Type.Optional(Name) }),
    response: { 200: LineageGraphBody, ...errors },
  }),
};

export type SyntaxReport = Static<typeof SyntaxReportBody>;
export type SqlProblem = Static<typeof Problem>;
export type PlannerReport = Static<typeof PlannerReportBody>;
export type OptionChanges = Static<typeof OptionChangeReport>;
export type SqlExample = Static<typeof ExampleBody>;
export type DebugRunView = Static<typeof DebugRunBody>;
export type DebugRunRequest = Static<typeof DebugRunRequestBody>;
export type DebugRow = Static<typeof DebugRowBody>;
export type DebugResultEvent = {
  [K in keyof typeof DebugResultEvents]: Static<(typeof DebugResultEvents)[K]>;
};
export type ScriptLineage = Static<typeof ScriptLineageBody>;
export type LineageGraph = Static<typeof LineageGraphBody>;
