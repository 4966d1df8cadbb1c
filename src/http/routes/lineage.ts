import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { errors, Name, Sql } from '../schemas.ts';

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

const ScriptLineage = Type.Object({
  tables: Type.Array(
    Type.Object({
      name: Type.String(),
      kind: Type.String({ description: 'table, view or undeclared (a catalog table)' }),
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

const Graph = Type.Object({
  nodes: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String({ description: 'job or table' }),
      job: Type.Optional(Type.String()),
      resource: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      connector: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      identity: Type.Optional(Identity),
      names: Type.Optional(
        Type.Array(Type.Object({ job: Type.String(), table: Type.String(), variables: Variables })),
      ),
    }),
  ),
  edges: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      kind: Type.String({ description: 'reads or writes' }),
      job: Type.String(),
      table: Type.String(),
      lines: Type.Array(Type.Integer()),
      columns: Type.Array(ColumnLineage),
    }),
  ),
});

export const lineageRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/sql/lineage',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Lineage of a script: tables with connector and identifying options, the INSERTs that write each sink, and sink column <- source columns',
          body: Type.Object({ sql: Sql() }, { additionalProperties: false }),
          response: { 200: ScriptLineage, ...errors },
        },
      },
      (req) => platform.lineage.ofScript(req.body.sql),
    );
    app.get(
      '/lineage',
      {
        schema: {
          tags: ['sql'],
          summary:
            'Lineage across the jobs of the workspace: jobs and tables, joined where jobs name the same external data; ?job= narrows it to what one job is connected to',
          querystring: Type.Object({ job: Type.Optional(Name) }),
          response: { 200: Graph, ...errors },
        },
      },
      (req) => platform.lineage.graph(req.query.job),
    );
  };
