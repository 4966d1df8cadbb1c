import { Type, type Static } from 'typebox';
import { NAME_LIMITS } from '../http/limits.ts';
import { CatalogTypesBody, CodedMessage, errors, StringMap, TargetName, Text } from './common.ts';
import { operation } from './operation.ts';
import { inSpace, SpaceField } from './spaces.ts';

/** Workspace variables (with secrets) and catalog definitions shared by jobs. */

export const VariableBody = Type.Object({
  name: Type.String(),
  value: Type.Union([Type.String(), Type.Null()], {
    description: 'null for a secret: its value is never returned',
  }),
  secret: Type.Boolean(),
  description: Type.String(),
  warning: Type.Union([Type.String(), Type.Null()], {
    description:
      'what is wrong with a secret saved before weak values were refused: it is kept and masked; set a stronger value',
  }),
  warningMessage: CodedMessage,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CatalogBody = Type.Object({
  name: Type.String(),
  type: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  description: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const VariableName = Type.Object({ name: Type.String({ minLength: 1, maxLength: NAME_LIMITS.variable }) });
const CatalogName = Type.Object({ name: Type.String({ minLength: 1, maxLength: NAME_LIMITS.catalog }) });
/** The deployment target whose session cluster's engine checks or browses a catalog. */
const OnTarget = Type.Object({
  target: Type.Optional(
    TargetName(
      'the session target whose session cluster asks the engine (default: the one that checks catalogs)',
    ),
  ),
  // Scripts written before the rename send `?cluster=`: accepted, never answered.
  cluster: Type.Optional(TargetName('deprecated: the earlier name of `target`', true)),
});
/** A database or table of a catalog, as the engine names it. */
const ObjectName = Type.String({ minLength: 1, maxLength: 256 });

export const ColumnBody = Type.Object({
  name: Type.String(),
  type: Type.String(),
  nullable: Type.Boolean(),
  key: Type.Union([Type.String(), Type.Null()]),
  extras: Type.Union([Type.String(), Type.Null()]),
  watermark: Type.Union([Type.String(), Type.Null()]),
});
export const VariableInputBody = Type.Object(
  {
    value: Type.String({ maxLength: NAME_LIMITS.optionValue }),
    space: SpaceField,
    secret: Type.Optional(Type.Boolean()),
    description: Type.Optional(Text(NAME_LIMITS.description)),
  },
  { additionalProperties: false },
);
export const CatalogInputBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 256 }),
    space: SpaceField,
    options: Type.Optional(StringMap()),
    description: Type.Optional(Text(NAME_LIMITS.description)),
  },
  { additionalProperties: false },
);
const tags = ['workspace'];

export const workspace = {
  variables: operation('GET', '/variables', {
    tags,
    summary: 'Variables; a secret shows without its value',
    response: { 200: Type.Array(inSpace(VariableBody)) },
  }),
  variable: operation('GET', '/variables/:name', {
    tags,
    summary: 'A variable; a secret shows without its value',
    params: VariableName,
    response: { 200: VariableBody, ...errors },
  }),
  setVariable: operation('PUT', '/variables/:name', {
    tags,
    summary:
      'Set a variable, referenced as ${name} in SQL and options. A secret is stored encrypted, substituted only when SQL runs, and masked everywhere else; a value shorter than 6 characters, without letters, or a common word is refused as a secret (400, messageCode variable.secretRefused)',
    params: VariableName,
    body: VariableInputBody,
    response: { 200: VariableBody, ...errors },
  }),
  deleteVariable: operation('DELETE', '/variables/:name', {
    tags,
    summary: 'Delete a variable',
    params: VariableName,
    response: { 204: Type.Null(), ...errors },
  }),
  catalogs: operation('GET', '/catalogs', {
    tags,
    summary: 'Catalog definitions of the workspace',
    response: { 200: Type.Array(inSpace(CatalogBody)) },
  }),
  catalogTypes: operation('GET', '/catalog-types', {
    tags,
    summary:
      'The catalog types the engine of a session target has (default: the target that checks catalogs), and how to add others',
    querystring: OnTarget,
    response: { 200: CatalogTypesBody, ...errors },
  }),
  catalog: operation('GET', '/catalogs/:name', {
    tags,
    summary: 'A catalog definition',
    params: CatalogName,
    response: { 200: CatalogBody, ...errors },
  }),
  setCatalog: operation('PUT', '/catalogs/:name', {
    tags,
    summary:
      'Define a catalog (the options of CREATE CATALOG; values may reference ${variables}). The engine creates it once before it is saved',
    params: CatalogName,
    querystring: OnTarget,
    body: CatalogInputBody,
    response: { 200: CatalogBody, ...errors },
  }),
  deleteCatalog: operation('DELETE', '/catalogs/:name', {
    tags,
    summary: 'Delete a catalog definition; refused while jobs use it',
    params: CatalogName,
    response: { 204: Type.Null(), ...errors },
  }),
  databases: operation('GET', '/catalogs/:name/databases', {
    tags,
    summary: 'Databases of the catalog, as the engine sees them',
    params: CatalogName,
    querystring: OnTarget,
    response: { 200: Type.Array(Type.String()), ...errors },
  }),
  tables: operation('GET', '/catalogs/:name/databases/:database/tables', {
    tags,
    summary: 'Tables of a database of the catalog',
    params: Type.Object({ name: CatalogName.properties.name, database: ObjectName }),
    querystring: OnTarget,
    response: { 200: Type.Array(Type.String()), ...errors },
  }),
  columns: operation('GET', '/catalogs/:name/databases/:database/tables/:table', {
    tags,
    summary: 'Columns of a table (DESCRIBE)',
    params: Type.Object({ name: CatalogName.properties.name, database: ObjectName, table: ObjectName }),
    querystring: OnTarget,
    response: { 200: Type.Array(ColumnBody), ...errors },
  }),
};

export type Variable = Static<typeof VariableBody>;
export type VariableInput = Static<typeof VariableInputBody>;
export type CatalogDefinition = Static<typeof CatalogBody>;
export type CatalogInput = Static<typeof CatalogInputBody>;
export type CatalogColumn = Static<typeof ColumnBody>;
