import type { AccessStore } from './ports/access.ts';
import type { SpaceStore } from './ports/spaces.ts';
import { checkSpaceName, DEFAULT_SPACE, type Membership, type Role } from '../domain/access/spaces.ts';
import {
  planDirectorySync,
  rolesFromGroups,
  type DirectorySync,
  type GroupRole,
} from '../domain/access/group-roles.ts';
import { normalDn } from '../domain/access/ldap-settings.ts';
import type { Directory, DirectoryUser } from './ports/directory.ts';
import type { OidcProvider } from './ports/identity-provider.ts';
import {
  DECOY_HASH,
  FAILURE_WINDOW_MS,
  FIRST_ADMIN,
  USER_NAME,
  SESSION_IDLE_MS,
  SESSION_LIFETIME_MS,
  checkPassword,
  checkTokenName,
  checkUserName,
  hashPassword,
  isTokenText,
  newPassword,
  newSessionId,
  newToken,
  secretHash,
  sessionLive,
  signInDelayMs,
  tokenRefusal,
  verifyPassword,
  type ApiToken,
  type Scope,
  type User,
  type UserSource,
} from '../domain/access/credentials.ts';
import {
  OIDC_FLOW_LIFETIME_MS,
  flowKey,
  openFlow,
  randomToken,
  sealFlow,
} from '../domain/access/oidc-flow.ts';
import { oidcIdentity, type OidcSettings } from '../domain/access/oidc-settings.ts';
import { SluiceError } from '../domain/errors.ts';
import { message, type Message } from '../domain/messages.ts';

/** Who a request runs as, and what its credential may do. */
export interface Principal {
  user: string;
  admin: boolean;
  /** Where the user signs in: Sluice's own password (or tokens only), the LDAP directory, or the OIDC provider. */
  source: UserSource;
  scopes: Scope[];
  /** How it proved it: an API token (with its id), a console session, or the home's cli-token file. */
  via: { kind: 'token'; id: string } | { kind: 'session' } | { kind: 'cli-token' };
}

/** Why presented credentials are refused. */
export type Refusal =
  | { kind: 'token-unknown' }
  | { kind: 'token'; id: string; reason: 'revoked' | 'expired' }
  | { kind: 'session' };

/** A signed-in user's state before its sign-in, for the audit: its admin flag and memberships. */
export interface BeforeSignIn {
  admin: boolean;
  spaces: Membership[];
}

/** How groups map to roles for a directory: the mapping, its setting, and when two names are one group. */
export interface GroupMapping {
  groupRoles: readonly GroupRole[];
  variable: string;
  key: (group: string) => string;
}

/** How often `last used` is written for a token or a session: not on every request. */
const TOUCH_EVERY_MS = 60_000;
const ALL: Scope[] = ['read', 'write'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Local users, their API tokens and console sessions (src/domain/access has the rules). Creates the
 * first admin at the first start, checks credentials for every request, slows repeated failed
 * sign-ins per user and per address.
 */
/** What one look at the directory changed for one LDAP user. */
export interface DirectoryUserChange {
  user: string;
  /** Gone from the directory: the user was removed with its tokens, sessions and memberships. */
  removed: boolean;
  /** The admin flag before and after (the same when the admin group's members did not change). */
  admin: { before: boolean; after: boolean };
  /** The memberships its groups give, set and removed (null: no spaces store). */
  memberships: DirectorySync | null;
  /** Its memberships before the change, for the audit log. */
  membershipsBefore: Membership[];
}

/** A look at every LDAP user: how many were asked about, and what changed. */
export interface DirectorySyncRound {
  checked: number;
  changes: DirectoryUserChange[];
  /** Users the directory no longer has that are kept all the same: the last platform admin. */
  kept: string[];
}

export class AccessService {
  constructor(
    private readonly repo: AccessStore,
    private readonly clock: () => Date = () => new Date(),
    /** The LDAP directory users may sign in through (SLUICE_LDAP_URL); null: local users only. */
    readonly directory: Directory | null = null,
    /** The OpenID Connect provider users may sign in to the console through (SLUICE_OIDC_ISSUER). */
    readonly oidc: { provider: OidcProvider; settings: OidcSettings } | null = null,
    /** Where a new user gets its role (null: users get none, as in unit tests of credentials alone). */
    private readonly spaces: SpaceStore | null = null,
    /** Which LDAP groups give which roles (SLUICE_LDAP_GROUP_ROLES); none when unset. */
    private readonly ldapGroups: readonly GroupRole[] = [],
    /** Told what an operator should fix (a mapped space that does not exist); the server logs it. */
    private readonly warn: (m: Message) => void = () => undefined,
  ) {
    this.flowKey = oidc ? flowKey(oidc.settings.clientSecret) : null;
  }

  private readonly flowKey: Buffer | null;

  /** At the first start (no user at all): the admin `admin` with a random password, returned to print once. */
  async ensureFirstAdmin(): Promise<string | null> {
    if ((await this.repo.users()).length > 0) return null;
    const password = newPassword();
    const added = await this.repo.addUser({
      name: FIRST_ADMIN,
      admin: true,
      passwordHash: await hashPassword(password),
      source: 'local',
    });
    // Another server on the same store made it meanwhile: that one printed the password.
    return added ? password : null;
  }

  /**
   * A console session for a name and password; a wrong password and an unknown user get the same
   * refusal after the same work. From the fourth failure of a user or an address within 15 minutes,
   * every attempt of either waits first (1 s doubling to 30 s), whatever it presents.
   *
   * A local user signs in with the password Sluice keeps. Any other name, with a directory set, is
   * asked of the directory: its first success there makes the user (source ldap), and every sign-in
   * sets its admin flag from the admin group. A directory that does not answer is a
   * `directory_unavailable` (503), never counted as a failed attempt.
   */
  async signIn(
    name: string,
    password: string,
    address: string,
  ): Promise<{ sessionId: string; user: User; expiresAt: string; changes: DirectorySync | null }> {
    const attempt = await this.attempt(name, address);
    const fail = async (): Promise<never> => {
      await attempt.failed();
      throw new SluiceError('unauthenticated', message('access.signInFailed'), {});
    };
    let user = await this.repo.user(name);
    let changes: DirectorySync | null = null;
    if (this.directory && USER_NAME.test(name) && (!user || user.source === 'ldap')) {
      const found = await this.directory.authenticate(name, password);
      if (!found) return fail();
      if (!user) {
        // Another sign-in of the same name may have made it meanwhile: then it is only refreshed below.
        await this.repo.addUser({ name, admin: found.admin, passwordHash: null, source: 'ldap' });
        user = await this.repo.user(name);
        if (!user || user.source !== 'ldap') return fail();
      }
      if (user.admin !== found.admin) {
        await this.repo.setAdmin(name, found.admin);
        user = { ...user, admin: found.admin };
      }
      changes = await this.syncMemberships(name, found.groups, 'ldap', this.ldapMapping());
    } else {
      // An LDAP user without a directory, or an unknown name: the same work as a wrong password.
      const local = user?.source === 'local' ? user : undefined;
      const ok = await verifyPassword(password, local?.passwordHash ?? DECOY_HASH);
      if (!local || !local.passwordHash || !ok) return fail();
      user = local;
    }
    await attempt.succeeded();
    return { ...(await this.openSession(user)), changes };
  }

  /**
   * Waits as the recent failed attempts of the user or of the address ask (from the fourth within 15
   * minutes), and answers how to record this attempt's outcome: a failure counts for both, a success
   * clears the user's.
   */
  private async attempt(
    name: string,
    address: string,
  ): Promise<{ failed: () => Promise<void>; succeeded: () => Promise<void> }> {
    const subjects = [`user:${name.slice(0, 64)}`, `address:${address}`];
    const since = new Date(this.clock().getTime() - FAILURE_WINDOW_MS).toISOString();
    await sleep(signInDelayMs(await this.repo.failuresSince(subjects, since)));
    return {
      failed: () => this.repo.recordFailure(subjects, this.clock().toISOString()),
      succeeded: () => this.repo.clearFailures(subjects[0]!),
    };
  }

  /**
   * Looks every LDAP user up in the directory again, with the search account, as a sign-in would:
   * its admin flag and the memberships its groups give are set to what the directory says now, and a
   * user the directory no longer has is removed with its tokens, sessions and memberships (its audit
   * records stay). The last platform admin is kept (said in `kept`). A directory that does not answer
   * changes nothing: `directory_unavailable`, the round is tried again at the next one.
   */
  async syncDirectory(): Promise<DirectorySyncRound> {
    if (!this.directory)
      throw new SluiceError('conflict', message('access.noDirectory', {}), { setting: 'SLUICE_LDAP_URL' });
    const users = (await this.repo.users()).filter((u) => u.source === 'ldap');
    // Everyone first, so that a directory failing halfway removes nobody.
    const found = new Map<string, DirectoryUser | null>();
    for (const u of users) found.set(u.name, await this.directory.lookup(u.name));
    const round: DirectorySyncRound = { checked: users.length, changes: [], kept: [] };
    for (const u of users) {
      const now = found.get(u.name)!;
      const membershipsBefore = this.spaces ? await this.spaces.membershipsOf(u.name) : [];
      if (!now) {
        const admins = (await this.repo.users()).filter((x) => x.admin);
        if (u.admin && admins.length === 1) {
          round.kept.push(u.name);
          this.warn(message('access.directoryLastAdmin', { name: u.name, directory: this.directory.url }));
          continue;
        }
        await this.repo.removeUser(u.name);
        round.changes.push({
          user: u.name,
          removed: true,
          admin: { before: u.admin, after: false },
          memberships: null,
          membershipsBefore,
        });
        continue;
      }
      const admin = { before: u.admin, after: now.admin };
      if (admin.before !== admin.after) await this.repo.setAdmin(u.name, now.admin);
      const memberships = await this.syncMemberships(
        u.name,
        now.groups,
        'ldap',
        this.ldapMapping(),
        membershipsBefore,
      );
      if (
        admin.before !== admin.after ||
        (memberships && memberships.set.length + memberships.remove.length > 0)
      )
        round.changes.push({ user: u.name, removed: false, admin, memberships, membershipsBefore });
    }
    return round;
  }

  /** How LDAP groups give roles in spaces (SLUICE_LDAP_GROUP_ROLES), groups compared as DNs. */
  private ldapMapping(): GroupMapping {
    return { groupRoles: this.ldapGroups, variable: 'SLUICE_LDAP_GROUP_ROLES', key: normalDn };
  }

  /**
   * Sets the memberships of `user` that came from `source` to what its groups give now: added, role
   * changed, removed when no group gives it any more. Memberships set by hand are left as they are.
   * A mapped space that does not exist gives nothing and is told to `warn` (health says it too).
   */
  private async syncMemberships(
    user: string,
    groups: readonly string[],
    source: 'ldap' | 'oidc',
    mapping: GroupMapping,
    /** Its memberships now, when the caller has read them already. */
    current?: Membership[],
  ): Promise<DirectorySync | null> {
    if (!this.spaces) return null;
    const wanted = rolesFromGroups(groups, mapping.groupRoles, mapping.key);
    for (const space of [...wanted.keys()])
      if (!(await this.spaces.space(space))) {
        wanted.delete(space);
        for (const m of mapping.groupRoles)
          if (m.space === space && groups.some((g) => mapping.key(g) === mapping.key(m.group)))
            this.warn(
              message('access.groupRolesNoSpace', { variable: mapping.variable, group: m.group, space }),
            );
      }
    const plan = planDirectorySync(user, current ?? (await this.spaces.membershipsOf(user)), wanted, source);
    for (const m of plan.set) await this.spaces.setDirectoryMember({ ...m, source });
    for (const m of plan.remove) await this.spaces.removeDirectoryMember(m.space, user, source);
    return plan;
  }

  /**
   * Mapped spaces that do not exist, for health: each group's role there gives nothing until an
   * admin creates the space or changes the mapping.
   */
  async groupRoleProblems(): Promise<Message[]> {
    if (!this.spaces) return [];
    const mappings: [string, readonly GroupRole[]][] = [
      ['SLUICE_LDAP_GROUP_ROLES', this.directory ? this.ldapGroups : []],
      ['SLUICE_OIDC_GROUP_ROLES', this.oidc?.settings.groupRoles ?? []],
    ];
    const problems: Message[] = [];
    for (const [variable, groupRoles] of mappings)
      for (const m of groupRoles)
        if (!(await this.spaces.space(m.space)))
          problems.push(message('access.groupRolesNoSpace', { variable, group: m.group, space: m.space }));
    return problems;
  }

  /** A new console session of `user`; sessions that ended meanwhile are removed. */
  private async openSession(user: User): Promise<{ sessionId: string; user: User; expiresAt: string }> {
    const now = this.clock();
    const sessionId = newSessionId();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString();
    await this.repo.addSession(secretHash(sessionId), {
      user: user.name,
      createdAt: now.toISOString(),
      expiresAt,
      lastSeenAt: now.toISOString(),
    });
    await this.repo.removeSessionsBefore(
      now.toISOString(),
      new Date(now.getTime() - SESSION_IDLE_MS).toISOString(),
    );
    return {
      sessionId,
      user: { name: user.name, admin: user.admin, createdAt: user.createdAt, source: user.source },
      expiresAt,
    };
  }

  /**
   * Starts a sign-in through the OpenID Connect provider: where to send the browser, and the sealed
   * flow (state, nonce, PKCE verifier, redirect URI) for its short-lived cookie.
   */
  async oidcStart(
    redirectUri: string,
    next: string,
  ): Promise<{ url: string; flow: string; expiresAt: number }> {
    const { provider } = this.oidcOrRefuse();
    const checks = { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken() };
    const url = await provider.authorizationUrl({ ...checks, redirectUri });
    const expiresAt = this.clock().getTime() + OIDC_FLOW_LIFETIME_MS;
    return {
      url: url.href,
      flow: sealFlow({ ...checks, redirectUri, next, expiresAt }, this.flowKey!),
      expiresAt,
    };
  }

  /**
   * The browser came back from the provider at `callbackUrl` with the flow cookie it was given: the
   * state must be the one sent, the provider's ID token must pass every check (issuer, audience,
   * signature, expiry, nonce); then the user is made at its first sign-in (source oidc), its admin
   * flag set from the groups claim at each sign-in, and a console session opened. Any failure opens
   * none.
   */
  async oidcFinish(
    callbackUrl: URL,
    sealed: string | undefined,
  ): Promise<{
    sessionId: string;
    user: User;
    expiresAt: string;
    next: string;
    changes: DirectorySync | null;
    /** The user as it was before (null: made by this sign-in), for the audit. */
    before: BeforeSignIn | null;
  }> {
    const { provider, settings } = this.oidcOrRefuse();
    if (!sealed) throw new SluiceError('invalid_argument', message('oidc.noFlow'), {});
    const opened = openFlow(sealed, this.flowKey!, this.clock().getTime());
    if ('refused' in opened)
      throw new SluiceError(
        'invalid_argument',
        message(opened.refused === 'expired' ? 'oidc.flowExpired' : 'oidc.noFlow'),
        {},
      );
    const { flow } = opened;
    if (callbackUrl.searchParams.get('state') !== flow.state)
      throw new SluiceError('invalid_argument', message('oidc.stateMismatch'), {});
    const claims = await provider.finish(callbackUrl, flow);
    const found = oidcIdentity(claims, settings);
    // Who the provider says it is: its issuer and subject, which no claim it lets change can forge.
    const subject = `${provider.issuer} ${found.subject}`;
    let user = await this.repo.user(found.name);
    const before: BeforeSignIn | null =
      user && user.source === 'oidc'
        ? { admin: user.admin, spaces: (await this.spaces?.membershipsOf(found.name)) ?? [] }
        : null;
    if (!user) {
      // Another sign-in of the same name may have made it meanwhile: then it is checked below.
      await this.repo.addUser({
        name: found.name,
        admin: found.admin,
        passwordHash: null,
        source: 'oidc',
        externalSubject: subject,
      });
      user = await this.repo.user(found.name);
      if (!user) throw new SluiceError('conflict', message('access.userExists', { name: found.name }), {});
    }
    if (user.source !== 'oidc')
      throw new SluiceError(
        'conflict',
        message('oidc.nameTaken', { name: found.name, source: user.source, claim: settings.usernameClaim }),
        { user: found.name },
      );
    if (user.externalSubject !== subject)
      throw new SluiceError(
        'conflict',
        message('oidc.subjectChanged', {
          name: found.name,
          subject: found.subject,
          claim: settings.usernameClaim,
        }),
        { user: found.name },
      );
    if (user.admin !== found.admin) {
      await this.repo.setAdmin(found.name, found.admin);
      user = { ...user, admin: found.admin };
    }
    // OIDC group names are compared exactly, as the admin group is.
    const changes = await this.syncMemberships(found.name, found.groups, 'oidc', {
      groupRoles: settings.groupRoles,
      variable: 'SLUICE_OIDC_GROUP_ROLES',
      key: (g) => g,
    });
    return { ...(await this.openSession(user)), next: flow.next, changes, before };
  }

  private oidcOrRefuse(): { provider: OidcProvider; settings: OidcSettings } {
    if (!this.oidc) throw new SluiceError('not_found', message('oidc.notConfigured'), {});
    return this.oidc;
  }

  async signOut(sessionId: string): Promise<void> {
    await this.repo.removeSession(secretHash(sessionId));
  }

  /** The principal of an API token, or why it is refused. */
  async byToken(secret: string): Promise<Principal | Refusal> {
    const token = isTokenText(secret) ? await this.repo.tokenByHash(secretHash(secret)) : undefined;
    if (!token) return { kind: 'token-unknown' };
    const now = this.clock();
    const refused = tokenRefusal(token, now);
    if (refused) return { kind: 'token', id: token.id, reason: refused };
    const user = await this.repo.user(token.owner);
    if (!user) return { kind: 'token-unknown' };
    if (!token.lastUsedAt || Date.parse(token.lastUsedAt) + TOUCH_EVERY_MS < now.getTime())
      await this.repo.touchToken(token.id, now.toISOString());
    return {
      user: user.name,
      admin: user.admin,
      source: user.source,
      scopes: token.scopes,
      via: { kind: 'token', id: token.id },
    };
  }

  /** The principal of a console session, or a refusal when it ended. */
  async bySession(sessionId: string): Promise<Principal | Refusal> {
    const idHash = secretHash(sessionId);
    const s = await this.repo.session(idHash);
    const now = this.clock();
    if (!s || !sessionLive(s, now)) return { kind: 'session' };
    const user = await this.repo.user(s.user);
    if (!user) return { kind: 'session' };
    if (Date.parse(s.lastSeenAt) + TOUCH_EVERY_MS < now.getTime())
      await this.repo.touchSession(idHash, now.toISOString());
    return { user: user.name, admin: user.admin, source: user.source, scopes: ALL, via: { kind: 'session' } };
  }

  /**
   * The CLI of the server's own OS user (it read the home's cli-token): the first admin, so that
   * `npm start` and the README's commands need no sign-in. Null when no admin is left.
   */
  async byCliToken(): Promise<Principal | null> {
    const admins = (await this.repo.users()).filter((u) => u.admin);
    const first =
      admins.find((u) => u.name === FIRST_ADMIN) ??
      admins.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    return first
      ? { user: first.name, admin: true, source: first.source, scopes: ALL, via: { kind: 'cli-token' } }
      : null;
  }

  async users(): Promise<User[]> {
    return this.repo.users();
  }

  async user(name: string): Promise<User | undefined> {
    const u = await this.repo.user(name);
    return u && { name: u.name, admin: u.admin, createdAt: u.createdAt, source: u.source };
  }

  /** Adds a user (with a password, or tokens only) and returns its first API token, to show once. */
  async addUser(input: {
    name: string;
    admin: boolean;
    password?: string | undefined;
    /**
     * Its role in `space` (default: default). A user who is not a platform admin is a developer of
     * default unless told otherwise, as every user was before spaces.
     */
    role?: Role | undefined;
    space?: string | undefined;
  }): Promise<{ user: User; token: ApiToken; secret: string }> {
    const name = checkUserName(input.name);
    const space = checkSpaceName(input.space ?? DEFAULT_SPACE);
    const role = input.role ?? (input.admin ? undefined : 'developer');
    if (role && this.spaces && !(await this.spaces.space(space)))
      throw new SluiceError('not_found', message('space.notFound', { space }), { space });
    const passwordHash =
      input.password === undefined ? null : await hashPassword(checkPassword(input.password));
    if (!(await this.repo.addUser({ name, admin: input.admin, passwordHash, source: 'local' }))) {
      // An LDAP or OIDC user's password is not Sluice's: say so rather than only that the name is taken.
      const source = input.password !== undefined ? (await this.repo.user(name))?.source : undefined;
      throw new SluiceError(
        'conflict',
        message(
          source === 'ldap'
            ? 'access.ldapNoPassword'
            : source === 'oidc'
              ? 'access.oidcNoPassword'
              : 'access.userExists',
          { name },
        ),
        {
          user: name,
        },
      );
    }
    if (role && this.spaces) await this.spaces.setMember({ space, user: name, role });
    const { token, secret } = await this.createToken(name, {
      name: 'first token',
      scopes: ALL,
      expiresAt: null,
    });
    return { user: (await this.user(name))!, token, secret };
  }

  /**
   * A local user changes its own password, proving it knows the current one. A wrong current
   * password counts and is slowed as a failed sign-in is (per user and per address: the route must
   * not be a way around sign-in's slowing) and changes nothing. The user's other console sessions
   * end, as whoever else knew the old password may hold one; the session that asks (`keepSession`)
   * stays signed in, and API tokens stay (each is revoked on its own).
   */
  async changePassword(
    name: string,
    current: string,
    next: string,
    opts: { address: string; keepSession?: string | undefined },
  ): Promise<void> {
    const user = await this.localWithPassword(name);
    if (!user.passwordHash)
      throw new SluiceError('conflict', message('access.noPasswordYet', { name }), { user: name });
    checkPassword(next);
    // A wrong current password is a failed sign-in: slowed, and slowing, as those are.
    const attempt = await this.attempt(name, opts.address);
    if (!(await verifyPassword(current, user.passwordHash))) {
      await attempt.failed();
      throw new SluiceError('invalid_argument', message('access.currentPasswordWrong', { name }), {
        field: 'current',
      });
    }
    await attempt.succeeded();
    if (current === next)
      throw new SluiceError('invalid_argument', message('access.passwordUnchanged'), { field: 'new' });
    await this.repo.setPasswordHash(name, await hashPassword(next));
    await this.repo.removeSessionsOf(name, opts.keepSession && secretHash(opts.keepSession));
  }

  /**
   * A platform admin sets a local user's password (a forgotten one, or a first one for a user of
   * tokens only). Every console session of that user ends, but the admin's own asking one when it
   * sets its own; API tokens stay.
   */
  async setPassword(name: string, password: string, keepSession?: string): Promise<void> {
    await this.localWithPassword(name);
    await this.repo.setPasswordHash(name, await hashPassword(checkPassword(password)));
    await this.repo.removeSessionsOf(name, keepSession && secretHash(keepSession));
  }

  /** A local user (its password is Sluice's): an LDAP or OIDC one's is its directory's (409 saying so). */
  private async localWithPassword(name: string) {
    const user = await this.repo.user(name);
    if (!user) throw new SluiceError('not_found', message('access.userNotFound', { name }), { user: name });
    if (user.source !== 'local')
      throw new SluiceError(
        'conflict',
        message(user.source === 'ldap' ? 'access.ldapNoPassword' : 'access.oidcNoPassword', { name }),
        { user: name },
      );
    return user;
  }

  /** Removes a user with its tokens and sessions; the last admin stays. */
  async removeUser(name: string): Promise<void> {
    const users = await this.repo.users();
    const user = users.find((u) => u.name === name);
    if (!user) throw new SluiceError('not_found', message('access.userNotFound', { name }), { user: name });
    if (user.admin && users.filter((u) => u.admin).length === 1)
      throw new SluiceError('conflict', message('access.lastAdmin', { name }), { user: name });
    await this.repo.removeUser(name);
  }

  /** A new API token of `owner`: the secret is returned once and kept only as its hash. */
  async createToken(
    owner: string,
    t: { name: string; scopes: Scope[]; expiresAt: string | null },
  ): Promise<{ token: ApiToken; secret: string }> {
    const { secret, id, hash } = newToken();
    const token: ApiToken = {
      id,
      name: checkTokenName(t.name),
      owner,
      scopes: ALL.filter((s) => t.scopes.includes(s)),
      createdAt: this.clock().toISOString(),
      expiresAt: t.expiresAt,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.repo.addToken({ ...token, secretHash: hash });
    return { token, secret };
  }

  async tokens(owner: string): Promise<ApiToken[]> {
    return this.repo.tokens(owner);
  }

  async revokeToken(owner: string, id: string): Promise<void> {
    if (!(await this.repo.revokeToken(owner, id, this.clock().toISOString())))
      throw new SluiceError('not_found', message('access.tokenNotFound', { id }), { token: id });
  }

  /**
   * A token for a program Sluice runs itself (its Prometheus, its Alertmanager), owned by the first
   * admin: made at each start, the previous one of the same name revoked.
   */
  async serviceToken(name: string, scopes: Scope[]): Promise<string> {
    const owner = (await this.byCliToken())?.user;
    if (!owner) throw new Error('no platform admin is left to own the token of the embedded ' + name);
    for (const t of await this.repo.tokens(owner))
      if (t.name === name && t.revokedAt === null)
        await this.repo.revokeToken(owner, t.id, this.clock().toISOString());
    return (await this.createToken(owner, { name, scopes, expiresAt: null })).secret;
  }
}
