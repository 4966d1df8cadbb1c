import type { Kysely, Selectable } from 'kysely';
import type { ApiToken, ConsoleSession, Scope, User, UserSource } from '../../domain/access/credentials.ts';
import type { AccessStore } from '../../application/ports/access.ts';
import type { ApiTokensTable, Database } from './schema.ts';

const toToken = (r: Selectable<ApiTokensTable>): ApiToken => ({
  id: r.id,
  name: r.name,
  owner: r.owner,
  scopes: JSON.parse(r.scopes) as Scope[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

/** Users, their API tokens and console sessions: secrets only as hashes (src/domain/access). */
export class AccessRepository implements AccessStore {
  constructor(private readonly db: Kysely<Database>) {}

  async users(): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['name', 'admin', 'created_at', 'source'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      admin: r.admin === 1,
      createdAt: r.created_at,
      source: r.source as UserSource,
    }));
  }

  /** A user with the hash to check a password against (null: tokens only). */
  async user(
    name: string,
  ): Promise<(User & { passwordHash: string | null; externalSubject: string | null }) | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return (
      r && {
        name: r.name,
        admin: r.admin === 1,
        createdAt: r.created_at,
        source: r.source as UserSource,
        passwordHash: r.password_hash,
        externalSubject: r.external_subject,
      }
    );
  }

  /** Adds a user; false when the name is taken. */
  async addUser(u: {
    name: string;
    admin: boolean;
    passwordHash: string | null;
    source: UserSource;
    externalSubject?: string | null;
  }): Promise<boolean> {
    const r = await this.db
      .insertInto('users')
      .values({
        name: u.name,
        admin: u.admin ? 1 : 0,
        password_hash: u.passwordHash,
        source: u.source,
        external_subject: u.externalSubject ?? null,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async setAdmin(name: string, admin: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ admin: admin ? 1 : 0 })
      .where('name', '=', name)
      .execute();
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Removes a user with its tokens and sessions; false when there was none. */
  async removeUser(name: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('api_tokens').where('owner', '=', name).execute();
      await tx.deleteFrom('console_sessions').where('user_name', '=', name).execute();
      await tx.deleteFrom('space_members').where('user_name', '=', name).execute();
      const r = await tx.deleteFrom('users').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async addToken(t: ApiToken & { secretHash: string }): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: t.id,
        secret_hash: t.secretHash,
        name: t.name,
        owner: t.owner,
        scopes: JSON.stringify(t.scopes),
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        revoked_at: t.revokedAt,
        last_used_at: t.lastUsedAt,
      })
      .execute();
  }

  async tokenByHash(secretHash: string): Promise<ApiToken | undefined> {
    const r = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return r && toToken(r);
  }

  /** A user's tokens, newest first (revoked and expired ones too: they say what was used). */
  async tokens(owner: string): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('owner', '=', owner)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  /** Revokes an owner's token; false when it has none with that id (or it was revoked before). */
  async revokeToken(owner: string, id: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('owner', '=', owner)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async addSession(idHash: string, s: ConsoleSession): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: idHash,
        user_name: s.user,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_seen_at: s.lastSeenAt,
      })
      .execute();
  }

  async session(idHash: string): Promise<ConsoleSession | undefined> {
    const r = await this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return (
      r && { user: r.user_name, createdAt: r.created_at, expiresAt: r.expires_at, lastSeenAt: r.last_seen_at }
    );
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ last_seen_at: at })
      .where('id_hash', '=', idHash)
      .execute();
  }

  async removeSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  async removeSessionsOf(user: string, keep?: string): Promise<void> {
    let q = this.db.deleteFrom('console_sessions').where('user_name', '=', user);
    if (keep !== undefined) q = q.where('id_hash', '!=', keep);
    await q.execute();
  }

  /** Forgets sessions that ended before `before` (expired or idle): they can never be used again. */
  async removeSessionsBefore(expiredBefore: string, idleBefore: string): Promise<void> {
    await this.db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', expiredBefore), eb('last_seen_at', '<=', idleBefore)]))
      .execute();
  }

  async recordFailure(subjects: string[], at: string): Promise<void> {
    if (subjects.length)
      await this.db
        .insertInto('sign_in_failures')
        .values(subjects.map((subject) => ({ subject, at })))
        .execute();
  }

  /** Failed sign-ins of the most failed subject since `since`; older failures are forgotten. */
  async failuresSince(subjects: string[], since: string): Promise<number> {
    await this.db.deleteFrom('sign_in_failures').where('at', '<', since).execute();
    if (!subjects.length) return 0;
    const rows = await this.db
      .selectFrom('sign_in_failures')
      .select(['subject', (eb) => eb.fn.countAll<number>().as('n')])
      .where('subject', 'in', subjects)
      .groupBy('subject')
      .execute();
    return Math.max(0, ...rows.map((r) => Number(r.n)));
  }

  async clearFailures(subject: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('subject', '=', subject).execute();
  }
}
