import { Type } from '@fastify/type-provider-typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

export const OperationBody = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(Type.Object({ at: Type.String(), text: Type.String() })),
  error: Type.Union([
    Type.Null(),
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  ]),
  result: Type.Unknown(),
});

export const Name = Type.String({ minLength: 1, maxLength: 63 });
export const NameParams = Type.Object({ name: Name });

export const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 503: ErrorBody };

/** A problem in a SQL script, positioned in the script. */
export const Problem = Type.Object({
  severity: Type.String(),
  source: Type.String({ description: 'grammar, platform or planner' }),
  line: Type.Integer(),
  column: Type.Integer(),
  endLine: Type.Integer(),
  endColumn: Type.Integer(),
  text: Type.String(),
  message: Type.String(),
  detail: Type.Optional(Type.String()),
});
