import type { ApiToken, ConsoleSession, User, UserSource } from '../../domain/access/credentials.ts';

/** Users, API tokens (by the hash of their secret) and console sessions (by the hash of their id). */
export interface AccessStore {
  users(): Promise<User[]>;
  user(
    name: string,
  ): Promise<(User & { passwordHash: string | null; externalSubject: string | null }) | undefined>;
  /** False when the name is taken. `externalSubject`: an OIDC user's `<issuer> <sub>`. */
  addUser(u: {
    name: string;
    admin: boolean;
    passwordHash: string | null;
    source: UserSource;
    externalSubject?: string | null;
  }): Promise<boolean>;
  /** A user's platform admin flag (an LDAP user's, from its groups at each sign-in). */
  setAdmin(name: string, admin: boolean): Promise<void>;
  /** A local user's password hash; false when there is no such user. */
  setPasswordHash(name: string, passwordHash: string): Promise<boolean>;
  /** With its tokens and sessions; false when there was none. */
  removeUser(name: string): Promise<boolean>;
  addToken(t: ApiToken & { secretHash: string }): Promise<void>;
  tokenByHash(secretHash: string): Promise<ApiToken | undefined>;
  tokens(owner: string): Promise<ApiToken[]>;
  /** False when the owner has no unrevoked token with that id. */
  revokeToken(owner: string, id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;
  addSession(idHash: string, s: ConsoleSession): Promise<void>;
  session(idHash: string): Promise<ConsoleSession | undefined>;
  touchSession(idHash: string, at: string): Promise<void>;
  removeSession(idHash: string): Promise<void>;
  /** Ends every console session of `user` but the one whose id hashes to `keep` (when given). */
  removeSessionsOf(user: string, keep?: string): Promise<void>;
  removeSessionsBefore(expiredBefore: string, idleBefore: string): Promise<void>;
  recordFailure(subjects: string[], at: string): Promise<void>;
  /** Failures of the most failed of `subjects` since `since`. */
  failuresSince(subjects: string[], since: string): Promise<number>;
  clearFailures(subject: string): Promise<void>;
}
