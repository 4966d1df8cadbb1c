import { Type } from '@fastify/type-provider-typebox';

/** A message as a code with parameters (text, numbers or messages), for a client to say in its language. */
export const MessageParams = Type.Record(Type.String(), Type.Unknown(), {
  description: 'parameters of the message code: text, numbers, or nested {code, params}',
});

/** A message as a code with parameters, or null where none was kept (reasons recorded before codes). */
export const CodedMessage = Type.Union([
  Type.Null(),
  Type.Object({ code: Type.String(), params: MessageParams }),
]);

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String({ description: 'in English' }),
      details: Type.Record(Type.String(), Type.Unknown()),
      messageCode: Type.Optional(Type.String({ description: 'the message as a code, when it has one' })),
      messageParams: Type.Optional(MessageParams),
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

/** The catalog types of an engine (domain/engines/catalog-types.ts). */
export const CatalogTypesBody = Type.Object({
  engineVersion: Type.String(),
  types: Type.Union([
    Type.Array(Type.Object({ type: Type.String(), factoryClass: Type.String(), jar: Type.String() })),
    Type.Null(),
  ]),
  unreadable: Type.Array(
    Type.Object({ factoryClass: Type.String(), jar: Type.String(), reason: Type.String() }),
  ),
  libDir: Type.Union([Type.String(), Type.Null()]),
  howToAdd: Type.String(),
  missing: Type.Array(
    Type.Object({
      type: Type.String(),
      artifact: Type.String(),
      version: Type.String(),
      needs: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const Name = Type.String({ minLength: 1, maxLength: 63 });
export const NameParams = Type.Object({ name: Name });

export const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 503: ErrorBody };

/** A problem in a SQL script, positioned in the script. */
export const Problem = Type.Object({
  severity: Type.String(),
  source: Type.String({ description: "grammar, parser (Flink's SQL parser), platform or planner" }),
  line: Type.Integer(),
  column: Type.Integer(),
  endLine: Type.Integer(),
  endColumn: Type.Integer(),
  text: Type.String(),
  message: Type.String(),
  detail: Type.Optional(Type.String()),
});

const OptionChange = Type.Object({
  scope: Type.String(),
  connector: Type.Union([Type.String(), Type.Null()]),
  from: Type.String(),
  to: Type.Union([Type.String(), Type.Null()]),
  since: Type.String(),
  kind: Type.String({ description: 'renamed, removed or deprecated' }),
  values: Type.Optional(Type.Record(Type.String(), Type.String())),
  note: Type.String(),
  source: Type.String(),
  autoRewrite: Type.Optional(Type.Boolean()),
});

/** Option differences between two Flink versions in a script and a job's options. */
export const OptionChangeReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  findings: Type.Array(
    Type.Object({
      line: Type.Integer(),
      column: Type.Integer(),
      table: Type.Union([Type.String(), Type.Null()]),
      key: Type.String(),
      value: Type.String(),
      change: OptionChange,
      rewritable: Type.Boolean(),
    }),
  ),
  optionFindings: Type.Array(
    Type.Object({ key: Type.String(), change: OptionChange, rewritable: Type.Boolean() }),
  ),
  rewritten: Type.Object({ sql: Type.String(), options: Type.Record(Type.String(), Type.String()) }),
  applied: Type.Integer(),
  remaining: Type.Integer(),
});
