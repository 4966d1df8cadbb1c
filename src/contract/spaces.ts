import { Type, type Static, type TSchema } from 'typebox';
import { MEMBERSHIP_SOURCES, ROLES, type MembershipSource, type Role } from '../domain/access/spaces.ts';
import { ErrorBody } from './common.ts';
import { operation } from './operation.ts';
import { QuotaLimitsBody, ResourceUsageBody, SpaceQuotaInputBody } from './quotas.ts';

/** Spaces and their members (issue 15 item 2): who may do what to the things of each space. */

export const SpaceNameSchema = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: "a space: lower-case letters, digits and '-', 1-63",
});
/** The `space` field of what creates a job, artifact, variable, catalog, alert rule or target. */
export const SpaceField = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 63,
    pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
    description:
      'the space it is made in (default: default); an existing one stays in its space, and naming another is refused',
  }),
);

/**
 * The space a thing belongs to, as the lists of jobs, artifacts, variables, catalogs and alert rules
 * (and a job's own answer) tell it: the authorization that filters them by space adds it
 * (src/http/plugins/authorization.ts), the services never know it.
 */
export const inSpace = <T extends TSchema>(thing: T) =>
  Type.Intersect([thing, Type.Object({ space: Type.String({ description: 'the space it belongs to' }) })]);
/** As inSpace for deployment targets, of which an engine's local application target is everyone's. */
export const targetInSpace = <T extends TSchema>(thing: T) =>
  Type.Intersect([
    thing,
    Type.Object({
      space: Type.Union([Type.String(), Type.Null()], {
        description: "the space it belongs to; null: an engine's local application target, every space's",
      }),
    }),
  ]);

export const RoleSchema = Type.Unsafe<Role>(
  Type.Union(
    ROLES.map((r) => Type.Literal(r)),
    {
      description:
        'viewer: sees the things of the space; developer: also changes and runs them; owner: also manages members and targets',
    },
  ),
);

export const SpaceBody = Type.Object({
  name: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  role: Type.Union([RoleSchema, Type.Null()], {
    description: "the caller's role there (null: none; a platform admin may still do everything)",
  }),
});
export const MemberBody = Type.Object({
  space: Type.String(),
  user: Type.String(),
  role: RoleSchema,
  source: Type.Unsafe<MembershipSource>(
    Type.Union(
      MEMBERSHIP_SOURCES.map((s) => Type.Literal(s)),
      {
        description:
          "manual: set by an owner or an admin, kept until one removes it; ldap, oidc: from the user's directory groups (SLUICE_LDAP_GROUP_ROLES, SLUICE_OIDC_GROUP_ROLES), set anew at each sign-in. Setting a role by hand makes it manual",
      },
    ),
  ),
});

const SpaceParams = Type.Object({ name: SpaceNameSchema });
const MemberParams = Type.Object({
  name: SpaceNameSchema,
  user: Type.String({ minLength: 1, maxLength: 64 }),
});
const tags = ['spaces'];

const SpaceQuotaBody = Type.Object({
  space: Type.String(),
  scope: Type.String({ description: "the quota's scope: space:<name>" }),
  set: Type.Boolean({ description: 'false: no quota is set; usage is still counted' }),
  limits: QuotaLimitsBody,
  usage: Type.Array(ResourceUsageBody, {
    description:
      "every resource, with what the space's jobs holding resources request on their targets (each as its target's kind requests: a session job takes slots, not memory)",
  }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

const FileFoldersBody = Type.Object({
  space: Type.String(),
  set: Type.Boolean({
    description:
      'false: no platform admin listed folders for the space, and `folders` is its default one (<home>/files/<space>, made when needed)',
  }),
  folders: Type.Array(Type.String(), {
    description: "the space's own folders: its jobs' SQL may name files (`file:` paths) under them",
  }),
  shared: Type.Array(Type.String(), {
    description: 'SLUICE_ALLOWED_FILE_PATHS: folders every space may use beside its own',
  }),
});

export const spaces = {
  list: operation('GET', '/spaces', {
    tags,
    summary: 'The spaces the caller is a member of, with its role in each (a platform admin: every space)',
    response: { 200: Type.Array(SpaceBody) },
  }),
  create: operation('POST', '/spaces', {
    tags,
    summary: 'Create a space (platform admins)',
    body: Type.Object({ name: SpaceNameSchema }, { additionalProperties: false }),
    response: { 201: SpaceBody, 400: ErrorBody, 409: ErrorBody },
  }),
  remove: operation('DELETE', '/spaces/:name', {
    tags,
    summary:
      "Delete a space with its memberships (platform admins); refused (409) while it holds anything, naming what, and for 'default'",
    params: SpaceParams,
    response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody },
  }),
  members: operation('GET', '/spaces/:name/members', {
    tags,
    summary: 'The members of a space with their roles (any member sees them)',
    params: SpaceParams,
    response: { 200: Type.Array(MemberBody), 404: ErrorBody },
  }),
  member: operation('GET', '/spaces/:name/members/:user', {
    tags,
    summary: "One member's role in a space",
    params: MemberParams,
    response: { 200: MemberBody, 404: ErrorBody },
  }),
  setMember: operation('PUT', '/spaces/:name/members/:user', {
    tags,
    summary: "Add a user to a space or change its role there (the space's owners and platform admins)",
    params: MemberParams,
    body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
    response: { 200: MemberBody, 400: ErrorBody, 404: ErrorBody },
  }),
  removeMember: operation('DELETE', '/spaces/:name/members/:user', {
    tags,
    summary: "Remove a user from a space (the space's owners and platform admins)",
    params: MemberParams,
    response: { 204: Type.Null(), 404: ErrorBody },
  }),
  quota: operation('GET', '/spaces/:name/quota', {
    tags,
    summary:
      "A space's quota (CPU, memory, slots, TaskManagers, jobs) with what its jobs holding resources use of each, on every target, and which jobs (any member sees it)",
    params: SpaceParams,
    response: { 200: SpaceQuotaBody, 404: ErrorBody },
  }),
  setQuota: operation('PUT', '/spaces/:name/quota', {
    tags,
    summary:
      "Set a space's quota (the space's owners and platform admins; fields left out are not limited; checked at each start and upgrade of its jobs, beside the target's quota); 400: not a positive amount, or a per-job range (a target's)",
    params: SpaceParams,
    body: SpaceQuotaInputBody,
    response: { 200: SpaceQuotaBody, 400: ErrorBody, 404: ErrorBody },
  }),
  fileFolders: operation('GET', '/spaces/:name/file-folders', {
    tags,
    summary:
      "The folders a space's job SQL may name files in: its own and the shared ones (any member sees them)",
    params: SpaceParams,
    response: { 200: FileFoldersBody, 404: ErrorBody },
  }),
  setFileFolders: operation('PUT', '/spaces/:name/file-folders', {
    tags,
    summary:
      "List the folders a space's job SQL may name files in, replacing its list (platform admins); 400 names a folder that is not absolute",
    params: SpaceParams,
    body: Type.Object(
      {
        folders: Type.Array(Type.String({ maxLength: 4096 }), {
          maxItems: 100,
          description:
            "absolute folders on the cluster's machine; [] : none of its own, only the shared ones",
        }),
      },
      { additionalProperties: false },
    ),
    response: { 200: FileFoldersBody, 400: ErrorBody, 404: ErrorBody },
  }),
  clearFileFolders: operation('DELETE', '/spaces/:name/file-folders', {
    tags,
    summary:
      "Forget a space's listed folders (platform admins): it uses its default folder <home>/files/<space> again",
    params: SpaceParams,
    response: { 200: FileFoldersBody, 404: ErrorBody },
  }),
  clearQuota: operation('DELETE', '/spaces/:name/quota', {
    tags,
    summary:
      "Remove a space's quota (the space's owners and platform admins); 404: no such space, or it has no quota",
    params: SpaceParams,
    response: { 200: Type.Object({ cleared: Type.String() }), 404: ErrorBody },
  }),
};

export type SpaceView = Static<typeof SpaceBody>;
export type MemberView = Static<typeof MemberBody>;
export type SpaceQuota = Static<typeof SpaceQuotaBody>;
export type SpaceFileFoldersView = Static<typeof FileFoldersBody>;
export type SpaceQuotaInput = Static<typeof SpaceQuotaInputBody>;
