import { Type } from 'typebox';
import type { Message, MessageCode } from '../domain/messages.ts';
import { NAME_LIMITS, SQL_LIMITS, thousands } from '../http/limits.ts';

// Coded messages are typed as the message catalogue every client shares (src/domain/messages.ts), so
// that a client looks each code up in it; the JSON schema stays the open shape below.

/** A message as a code with parameters (text, numbers or messages), for a client to say in its language. */
export const MessageParams = Type.Unsafe<Message['params']>(
  Type.Record(Type.String(), Type.Unknown(), {
    description: 'parameters of the message code: text, numbers, or nested {code, params}',
  }),
);
/** A code of the message catalogue. */
export const MessageCodeOf = (description: string) => Type.Unsafe<MessageCode>(Type.String({ description }));

/** A message as a code with parameters, or null where none was kept (reasons recorded before codes). */
export const CodedMessage = Type.Unsafe<Message | null>(
  Type.Union([Type.Null(), Type.Object({ code: Type.String(), params: MessageParams })]),
);

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String({ description: 'in English' }),
      details: Type.Record(Type.String(), Type.Unknown()),
      messageCode: Type.Optional(MessageCodeOf('the message as a code, when it has one')),
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
      message: Type.String({ description: 'in English' }),
      details: Type.Record(Type.String(), Type.Unknown()),
      messageCode: Type.Optional(MessageCodeOf('the message as a code, when it has one')),
      messageParams: Type.Optional(MessageParams),
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
  howToAddMessage: CodedMessage,
  missing: Type.Array(
    Type.Object({
      type: Type.String(),
      artifact: Type.String(),
      version: Type.String(),
      needs: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const Name = Type.String({ minLength: 1, maxLength: NAME_LIMITS.job });
export const NameParams = Type.Object({ name: Name });
/** A deployment target a request names: a name, never an empty one; `deprecated` for an old name of the field. */
export const TargetName = (description?: string, deprecated = false) =>
  Type.String({
    minLength: 1,
    maxLength: NAME_LIMITS.target,
    ...(description ? { description } : {}),
    ...(deprecated ? { deprecated } : {}),
  });

/**
 * The refusals any operation on the platform can give: 412 (precondition_failed) included, since the
 * services raise it wherever a named thing is not in the state the operation needs (a remote cluster
 * asked to start, no engine installed).
 */
export const errors = {
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  412: ErrorBody,
  422: ErrorBody,
  503: ErrorBody,
};

/**
 * A stream of server-sent events of the named types, each with JSON data (the answer is written as it
 * happens, never serialized; each event is described as a client parses it).
 */
export const EventStream = (events: readonly string[]) => ({
  description: `server-sent events (text/event-stream): ${events.join(', ')}; open until the client leaves or the stream ends`,
  content: {
    'text/event-stream': {
      schema: {
        type: 'object',
        required: ['event', 'data'],
        properties: { event: { type: 'string', enum: events }, data: { type: 'string' } },
      },
    },
  },
});

/** Option keys: names, never white space or control characters (they end up in SQL, YAML and logs). */
export const OPTION_KEY_PATTERN = '^[^\\s\\x00-\\x1f\\x7f]+$';

/**
 * A map of options (string keys and values), bounded. Not TypeBox's Record: its `^.*$` key pattern
 * lets a key with a line break pass unchecked, value and all.
 */
export const StringMap = (opts: { keyPattern?: string; description?: string } = {}) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: NAME_LIMITS.optionValue },
    propertyNames: {
      type: 'string',
      minLength: 1,
      maxLength: NAME_LIMITS.optionKey,
      pattern: opts.keyPattern ?? OPTION_KEY_PATTERN,
    },
    maxProperties: NAME_LIMITS.options,
    ...(opts.description ? { description: opts.description } : {}),
  });

/** A Flink version as an engine is named: 1.20 or 1.20.3 (an empty one names nothing). */
export const ENGINE_VERSION_PATTERN = '^\\d+\\.\\d+(\\.\\d+)?$';
export const EngineVersion = Type.String({
  pattern: ENGINE_VERSION_PATTERN,
  maxLength: 32,
  description: 'a Flink version such as 1.20 or 1.20.3',
});

/** A SQL script, within the limits of one script. */
export const Sql = (opts: { minLength?: number; description?: string } = {}) =>
  Type.String({
    ...(opts.minLength ? { minLength: opts.minLength } : {}),
    maxLength: SQL_LIMITS.characters,
    description: `${opts.description ? `${opts.description}; ` : ''}at most ${thousands(SQL_LIMITS.characters)} characters and ${thousands(SQL_LIMITS.statements)} statements`,
  });

/** A free text a person writes (a description, a version message). */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

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
