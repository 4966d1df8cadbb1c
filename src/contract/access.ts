import { Type, type Static } from 'typebox';
import { SCOPES, type Scope } from '../domain/access/permissions.ts';
import { ErrorBody } from './common.ts';
import { operation } from './operation.ts';
import { RoleSchema, SpaceNameSchema } from './spaces.ts';

/** Users, console sessions and API tokens (local users; spaces and roles are a later part of issue 15). */

const ScopeSchema = Type.Unsafe<Scope>(
  Type.Union(
    SCOPES.map((s) => Type.Literal(s)),
    { description: 'read: every GET; write: every change too' },
  ),
);

const SourceSchema = Type.Union([Type.Literal('local'), Type.Literal('ldap'), Type.Literal('oidc')], {
  description:
    'where the user signs in: local (a password Sluice keeps, or API tokens only), ldap (the directory of SLUICE_LDAP_URL) or oidc (the OpenID Connect provider of SLUICE_OIDC_ISSUER, to the console); ldap and oidc users are made at their first sign-in there, admin as their groups say at each sign-in, no password in Sluice',
});

export const UserBody = Type.Object({
  name: Type.String(),
  admin: Type.Boolean({ description: 'a platform admin: manages users' }),
  createdAt: Type.String(),
  source: SourceSchema,
});

export const MeBody = Type.Object({
  name: Type.String(),
  admin: Type.Boolean(),
  source: SourceSchema,
  scopes: Type.Array(ScopeSchema, { description: 'what the credential of this request may do' }),
  via: Type.Union([Type.Literal('token'), Type.Literal('session'), Type.Literal('cli-token')], {
    description:
      "how this request proved who it is: an API token, the console's session cookie, or the home's cli-token file (the CLI of the server's OS user)",
  }),
  spaces: Type.Array(Type.Object({ space: Type.String(), role: RoleSchema }), {
    description: 'the spaces the user is a member of, with its role in each',
  }),
});

export const TokenBody = Type.Object({
  id: Type.String({ description: 'the public handle (list, revoke); never the secret' }),
  name: Type.String(),
  owner: Type.String(),
  scopes: Type.Array(ScopeSchema),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()], { description: 'null: never expires' }),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()], { description: 'to the minute' }),
});

export const NewTokenBody = Type.Object({
  token: TokenBody,
  secret: Type.String({ description: 'slu_...: shown this once, stored only as its SHA-256' }),
});

const SessionInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
const TokenInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    scopes: Type.Optional(
      Type.Array(ScopeSchema, { minItems: 1, maxItems: 2, description: 'default: read and write' }),
    ),
    expires: Type.Optional(
      Type.Union([Type.String({ maxLength: 8 }), Type.Null()], {
        description: 'hours, days or weeks from now (12h, 30d, 2w); null or left out: never',
      }),
    ),
  },
  { additionalProperties: false },
);
const UserInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    admin: Type.Optional(Type.Boolean()),
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description: 'at least 12 characters; left out: the user signs in with tokens only',
      }),
    ),
    role: Type.Optional(RoleSchema),
    space: Type.Optional(SpaceNameSchema),
  },
  { additionalProperties: false },
);

const PasswordText = (description: string) => Type.String({ minLength: 1, maxLength: 1024, description });
const PasswordChangeInput = Type.Object(
  {
    current: PasswordText('the password the user signs in with now'),
    new: PasswordText('the new password: at least 12 characters, not the current one'),
  },
  { additionalProperties: false },
);
const PasswordInput = Type.Object(
  { password: PasswordText('the new password: at least 12 characters') },
  { additionalProperties: false },
);

const tags = ['access'];

export const access = {
  signIn: operation(
    'POST',
    '/session',
    {
      tags,
      summary:
        'Sign in to the console: a name and password give a session cookie (HttpOnly, SameSite=Strict). A local user is checked against the password Sluice keeps, any other name against the LDAP directory when SLUICE_LDAP_URL is set (503 directory_unavailable when it does not answer). A wrong password and an unknown user get the same 401; repeated failures of a user or an address are answered more slowly (from the fourth in 15 minutes: 1 s, doubling to 30 s)',
      body: SessionInput,
      response: { 200: UserBody, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody },
    },
    'public',
  ),
  signOut: operation(
    'DELETE',
    '/session',
    {
      tags,
      summary: 'Sign out: ends this console session and clears its cookie (204 also when there was none)',
      response: { 204: Type.Null() },
    },
    'public',
  ),
  me: operation('GET', '/me', {
    tags,
    summary: 'Who this request runs as, and what its credential may do',
    response: { 200: MeBody },
  }),
  changePassword: operation('PUT', '/me/password', {
    tags,
    summary:
      "Change the caller's own password (a local user), giving the current one. A wrong current password is 400 and changes nothing, counted and slowed as a failed sign-in is; an LDAP or OIDC user's password is its directory's (409), a user of tokens only has none yet (409: a platform admin sets it). The user's other console sessions end; the one that asks stays, and API tokens stay",
    body: PasswordChangeInput,
    response: { 204: Type.Null(), 400: ErrorBody, 409: ErrorBody },
  }),
  tokens: operation('GET', '/tokens', {
    tags,
    summary: 'The API tokens of the caller, newest first (revoked and expired ones too); never their secrets',
    response: { 200: Type.Array(TokenBody) },
  }),
  createToken: operation('POST', '/tokens', {
    tags,
    summary:
      'A new API token of the caller: its secret (slu_...) is in this answer only. A read-only token (scopes: [read]) cannot change anything; a token can never do more than the credential that made it',
    body: TokenInput,
    response: { 201: NewTokenBody, 400: ErrorBody },
  }),
  revokeToken: operation('DELETE', '/tokens/:id', {
    tags,
    summary: "Revoke one of the caller's API tokens: it is refused from now on",
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 204: Type.Null(), 404: ErrorBody },
  }),
  oidcStart: operation(
    'GET',
    '/auth/oidc/start',
    {
      tags,
      summary:
        "Start a console sign-in through the OpenID Connect provider (SLUICE_OIDC_ISSUER): a redirect (302) to the provider's sign-in page, with PKCE (S256), a state and a nonce kept in a sealed, HttpOnly cookie that lives 10 minutes. 404 when OpenID Connect is not set up, 503 provider_unavailable when its discovery document does not answer",
      querystring: Type.Object(
        {
          next: Type.Optional(
            Type.String({ maxLength: 2048, description: 'the console page to land on (default /jobs)' }),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 302: Type.Null(), 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
    },
    'public',
  ),
  oidcCallback: operation(
    'GET',
    '/auth/oidc/callback',
    {
      tags,
      summary:
        "Where the OpenID Connect provider sends the browser back: the state must be the sign-in cookie's, the code is exchanged (with the PKCE verifier) and the ID token checked (issuer, audience, signature against the provider's JWKS, expiry, nonce); then the user is made at its first sign-in (source oidc), admin as SLUICE_OIDC_ADMIN_GROUP in its groups claim says, and a console session cookie is set with a redirect (303) to the console. Any failure opens no session: the error as JSON, or as a page to a browser",
      querystring: Type.Object(
        {
          code: Type.Optional(Type.String({ maxLength: 4096 })),
          state: Type.Optional(Type.String({ maxLength: 1024 })),
          error: Type.Optional(Type.String({ maxLength: 1024 })),
          error_description: Type.Optional(Type.String({ maxLength: 4096 })),
        },
        // Providers add their own (iss, session_state, scope...).
        { additionalProperties: Type.String({ maxLength: 4096 }) },
      ),
      response: {
        303: Type.Null(),
        400: ErrorBody,
        401: ErrorBody,
        403: ErrorBody,
        404: ErrorBody,
        409: ErrorBody,
        503: ErrorBody,
      },
    },
    'public',
  ),
  users: operation('GET', '/users', {
    tags,
    summary: 'Users (platform admins only: others get 403)',
    response: { 200: Type.Array(UserBody) },
  }),
  addUser: operation('POST', '/users', {
    tags,
    summary:
      'Add a user (platform admins only) and answer its first API token, shown this once; with a password it can also sign in to the console. It gets `role` in `space` (default: default); a user who is not an admin and is given no role is a developer of default',
    body: UserInput,
    response: {
      201: Type.Object({ user: UserBody, token: TokenBody, secret: Type.String() }),
      400: ErrorBody,
      404: ErrorBody,
      409: ErrorBody,
    },
  }),
  directorySync: operation('POST', '/users/directory-sync', {
    tags,
    summary:
      'Look every LDAP user up in the directory again now (platform admins only), as SLUICE_LDAP_SYNC_INTERVAL does on its own: admin flags and the memberships groups give follow the directory, and a user it no longer has is removed with its tokens, sessions and memberships (the last platform admin is kept, in `kept`). Each change is an audit record. 409 without a directory; 503 when it does not answer (then nothing changed)',
    response: {
      200: Type.Object({
        checked: Type.Integer({ description: 'how many LDAP users were looked up' }),
        removed: Type.Array(Type.String(), { description: 'users the directory no longer has, removed' }),
        changed: Type.Array(
          Type.Object({
            user: Type.String(),
            admin: Type.Boolean({ description: 'its admin flag now' }),
            roles: Type.Array(Type.Object({ space: Type.String(), role: RoleSchema }), {
              description: 'memberships its groups gave or changed',
            }),
            noRoleIn: Type.Array(Type.String(), {
              description: 'spaces where its groups give no role any more',
            }),
          }),
        ),
        kept: Type.Array(Type.String(), {
          description: 'users the directory no longer has, kept: the last platform admin',
        }),
      }),
      409: ErrorBody,
      503: ErrorBody,
    },
  }),
  setPassword: operation('PUT', '/users/:name/password', {
    tags,
    summary:
      "Set a local user's password (platform admins only): a forgotten one, or a first one for a user of tokens only. Every console session of that user ends (the admin's own asking one stays when it sets its own); API tokens stay. An LDAP or OIDC user's password is its directory's (409)",
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }),
    body: PasswordInput,
    response: { 204: Type.Null(), 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  }),
  removeUser: operation('DELETE', '/users/:name', {
    tags,
    summary: 'Remove a user with its tokens and sessions (platform admins only); the last admin stays (409)',
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody },
  }),
};

export type Me = Static<typeof MeBody>;
export type UserInfo = Static<typeof UserBody>;
export type ApiTokenInfo = Static<typeof TokenBody>;
export type NewToken = Static<typeof NewTokenBody>;
