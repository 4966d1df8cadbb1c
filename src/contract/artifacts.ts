import { Type } from 'typebox';
import { ArtifactName } from '../http/artifact-schemas.ts';
import { ErrorBody, errors, OperationBody } from './common.ts';
import { operation } from './operation.ts';
import { inSpace, SpaceField } from './spaces.ts';

/** Media types a jar upload is accepted as. */
export const JAR_MEDIA_TYPES = ['application/java-archive', 'application/octet-stream'];

/** The refusals of the run-scoped fetches: also 403 when the run's token is missing, another run's or expired. */
const tokenGuarded = { ...errors, 403: ErrorBody };

const Source = Type.Union([
  Type.Object({ kind: Type.Literal('upload') }),
  Type.Object({
    kind: Type.Literal('maven'),
    coordinates: Type.String(),
    repository: Type.Union([Type.String(), Type.Null()], { description: 'null: Maven Central' }),
  }),
  Type.Object({
    kind: Type.Literal('git'),
    url: Type.String({ description: 'the repository, credentials masked' }),
    ref: Type.String({ description: 'the ref asked for, or the default branch' }),
    commit: Type.String({ description: 'the full sha of the commit built' }),
    module: Type.Union([Type.String(), Type.Null()], {
      description: "the Maven module's folder; null: the root",
    }),
  }),
]);
export const ArtifactVersionBody = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  fileName: Type.String(),
  source: Source,
  mainClass: Type.Union([Type.String(), Type.Null()], { description: "the manifest's Main-Class" }),
  author: Type.String(),
  createdAt: Type.String(),
});
export const ArtifactBody = Type.Object({
  name: Type.String(),
  latestVersion: Type.Integer(),
  versions: Type.Array(ArtifactVersionBody),
});
export const FunctionsBody = Type.Object({
  artifact: Type.String(),
  version: Type.Integer(),
  functions: Type.Array(
    Type.Object({
      className: Type.String(),
      kind: Type.String({
        description: 'scalar, table, aggregate, table-aggregate, async-scalar or async-table',
      }),
      signatures: Type.Array(Type.Object({ parameters: Type.Array(Type.String()), returns: Type.String() })),
      name: Type.String({ description: 'the name it is offered under (its class name in snake case)' }),
      createStatement: Type.String({
        description: 'CREATE TEMPORARY FUNCTION ... USING JAR ..., to copy into a script',
      }),
    }),
  ),
});
const Name = Type.Object({ name: ArtifactName });
const NameVersion = Type.Object({ name: ArtifactName, version: Type.Integer({ minimum: 1 }) });
const ClassName = Type.String({ minLength: 1, maxLength: 1000 });

const Removed = Type.Object({ removedVersions: Type.Array(Type.Integer()) });
const tags = ['artifacts'];

/** Jars kept by the platform: upload, Maven coordinates, a build from git, versions, download, delete, the UDFs in them. */
export const artifacts = {
  list: operation('GET', '/artifacts', {
    tags,
    summary: 'Artifacts with their versions',
    response: { 200: Type.Array(inSpace(ArtifactBody)) },
  }),
  upload: operation('POST', '/artifacts', {
    tags,
    summary:
      'Upload a jar as the next version of an artifact: the raw jar as the body (application/java-archive). Refused with the reason, storing nothing: not a zip, no manifest, an entry class not in it, an empty body, more than SLUICE_ARTIFACT_MAX_BYTES',
    consumes: JAR_MEDIA_TYPES,
    querystring: Type.Object(
      {
        name: Type.Optional(ArtifactName),
        space: SpaceField,
        fileName: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 255,
            description: 'the file name it came as; names the artifact when name is absent',
          }),
        ),
        entryClass: Type.Optional(ClassName),
      },
      { additionalProperties: false },
    ),
    body: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
    response: { 201: ArtifactVersionBody, ...errors },
  }),
  fromMaven: operation('POST', '/artifacts/maven', {
    tags,
    summary:
      'Resolve group:artifact:version[:classifier] with Maven (the configured repository or mirror and settings) and store the jar as the next version',
    body: Type.Object(
      {
        coordinates: Type.String({ minLength: 1, maxLength: 500 }),
        name: Type.Optional(ArtifactName),
        space: SpaceField,
      },
      { additionalProperties: false },
    ),
    response: { 201: ArtifactVersionBody, ...errors },
  }),
  build: operation('POST', '/artifacts/builds', {
    tags,
    summary:
      'Build a jar from a git repository with mvn -B package -DskipTests (the configured Maven repository or mirror and settings) and store it as the next version: a background operation whose lines are the whole log (git and Maven); a failure names its step (clone, checkout, build, pick jar, check jar) with the tail of the log and stores nothing. Credentials in the URL are masked everywhere and never stored',
    body: Type.Object(
      {
        url: Type.String({
          minLength: 1,
          maxLength: 2000,
          description: 'https://, http://, ssh://, git:// or file:// URL, or user@host:path',
        }),
        ref: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 250,
            description: 'branch, tag or commit (default: the default branch)',
          }),
        ),
        module: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 500,
            description: 'folder of the Maven module, relative to the root',
          }),
        ),
        jar: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 200,
            description:
              'file-name pattern (* and ?) of the jar under target/, when the build makes more than one',
          }),
        ),
        name: Type.Optional(ArtifactName),
        space: SpaceField,
        entryClass: Type.Optional(ClassName),
      },
      { additionalProperties: false },
    ),
    response: { 202: OperationBody, ...errors },
  }),
  get: operation('GET', '/artifacts/:name', {
    tags,
    summary: 'An artifact and its versions',
    params: Name,
    response: { 200: ArtifactBody, ...errors },
  }),
  delete: operation('DELETE', '/artifacts/:name', {
    tags,
    summary:
      'Delete an artifact with all its versions; refused (409) while any job version uses it, naming them',
    params: Name,
    response: { 200: Removed, ...errors },
  }),
  deleteVersion: operation('DELETE', '/artifacts/:name/versions/:version', {
    tags,
    summary: 'Delete one version; refused (409) while any job version uses it, naming them',
    params: NameVersion,
    response: { 200: Removed, ...errors },
  }),
  jar: operation('GET', '/artifacts/:name/versions/:version/jar', {
    tags,
    summary: 'Download the jar of a version',
    params: NameVersion,
    produces: ['application/java-archive'],
    response: {
      200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'the jar' }),
      ...errors,
    },
  }),
  functions: operation('GET', '/artifacts/:name/versions/:version/functions', {
    tags,
    summary:
      'The user-defined functions in a version (classes extending UserDefinedFunction, read by a JVM over the default engine), with their signatures and the CREATE FUNCTION statement',
    params: NameVersion,
    response: { 200: FunctionsBody, ...errors },
  }),
  // Public to users' credentials: the run's own token (Authorization: Bearer) is the whole authorization.
  submissionListing: operation(
    'GET',
    '/submission-artifacts/:flinkJobId',
    {
      tags,
      summary:
        "The artifacts of one run on a Kubernetes target with a platform URL, as its pods' init container fetches them: one line per jar, `sha256 size name`. Needs the run's own token (Authorization: Bearer), which Sluice puts in the run's Secret and renews while the run lives; another run's token or an expired one is refused (403)",
      params: Type.Object({ flinkJobId: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
      produces: ['text/plain'],
      response: {
        200: Type.Unsafe<string>({ type: 'string', description: 'the listing' }),
        ...tokenGuarded,
      },
    },
    'public',
  ),
  // Public to users' credentials, as above: the run's own token decides.
  submissionFile: operation(
    'GET',
    '/submission-artifacts/:flinkJobId/:file',
    {
      tags,
      summary: "One jar of a run's listing, for its init container (the run's token, as for the listing)",
      params: Type.Object({
        flinkJobId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
        file: Type.String({ minLength: 1, maxLength: 200 }),
      }),
      produces: ['application/java-archive'],
      response: {
        200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'the jar' }),
        ...tokenGuarded,
      },
    },
    'public',
  ),
};
