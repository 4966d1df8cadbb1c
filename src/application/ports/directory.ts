import type { Message } from '../../domain/messages.ts';

/** A user the directory knows, found by name and proved by its password. */
export interface DirectoryUser {
  /** Its distinguished name in the directory. */
  dn: string;
  /** The DNs of the groups it is a member of. */
  groups: string[];
  /** A member of the admin group (SLUICE_LDAP_ADMIN_GROUP). */
  admin: boolean;
}

/**
 * A directory of users (LDAP) that people sign in through. Unreachable, too slow, or refusing the
 * search account: a SluiceError `directory_unavailable` naming the directory and what to check.
 */
export interface Directory {
  /** Where it is, as shown in health and messages. */
  readonly url: string;
  /** The user when the name is one user of the directory and the password is theirs; null otherwise. */
  authenticate(name: string, password: string): Promise<DirectoryUser | null>;
  /**
   * The user of that name as the directory has it now, its groups and admin flag, asked with the
   * search account (no password): null when the directory has no such user (any more).
   */
  lookup(name: string): Promise<DirectoryUser | null>;
  /** Whether it answers now, with the search account: null, or what is wrong. */
  problem(): Promise<Message | null>;
}
