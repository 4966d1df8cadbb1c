import { Type, type Static } from 'typebox';
import { CatalogTypesBody, CodedMessage, EngineVersion, errors, OperationBody } from './common.ts';
import { operation } from './operation.ts';

/** Installed Flink engines, and the background operations that install them and start session clusters. */

export const EngineBody = Type.Object({
  version: Type.String(),
  flinkVersion: Type.String(),
  home: Type.String(),
  source: Type.String(),
  isDefault: Type.Boolean(),
  installedAt: Type.String(),
  healthy: Type.Optional(Type.Boolean()),
  problem: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  problemMessage: Type.Optional(CodedMessage),
});
const tags = ['engines'];
const VersionParams = Type.Object({ version: EngineVersion });
/** What `install` takes besides a version: `2.x`, the newest recipe of a major version. */
const InstallVersion = Type.String({
  pattern: '^\\d+\\.(x|\\d+(\\.\\d+)?)$',
  maxLength: 32,
  description: 'a Flink version such as 1.20 or 1.20.3, or 2.x for the newest 2.x Sluice can assemble',
});

export const engines = {
  list: operation('GET', '/engines', {
    tags,
    summary: 'Installed Flink engines',
    response: { 200: Type.Array(EngineBody) },
  }),
  install: operation('POST', '/engines/install', {
    tags,
    summary: 'Provision a Flink version from Maven Central (background operation)',
    body: Type.Object({ version: InstallVersion }, { additionalProperties: false }),
    response: { 202: OperationBody, ...errors },
  }),
  register: operation('POST', '/engines', {
    tags,
    summary: 'Register an existing Flink distribution',
    body: Type.Object(
      { home: Type.String({ minLength: 1, maxLength: 4096 }) },
      { additionalProperties: false },
    ),
    response: { 201: EngineBody, ...errors },
  }),
  catalogTypes: operation('GET', '/engines/:version/catalog-types', {
    tags,
    summary: "The catalog types (CatalogFactory identifiers) in the engine's jars, and how to add others",
    params: VersionParams,
    response: { 200: CatalogTypesBody, ...errors },
  }),
  setDefault: operation('PUT', '/engines/:version/default', {
    tags,
    summary: 'Make an engine the default for new jobs and local session targets',
    params: VersionParams,
    response: { 200: EngineBody, ...errors },
  }),
};

export const operations = {
  get: operation('GET', '/operations/:id', {
    tags: ['operations'],
    summary: 'A background operation and its progress lines (after=N returns lines from index N)',
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
    querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
    response: { 200: OperationBody, ...errors },
  }),
};

export type EngineView = Static<typeof EngineBody>;
export type Operation = Static<typeof OperationBody>;
export type CatalogTypes = Static<typeof CatalogTypesBody>;
