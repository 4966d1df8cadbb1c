import type { ConnectionOptions } from 'node:tls';
import { Client, ConfidentialityRequiredError, ResultCodeError, type Entry } from 'ldapts';
import type { Directory, DirectoryUser } from '../../application/ports/directory.ts';
import {
  escapeFilterValue,
  normalDn,
  userFilterFor,
  type LdapSettings,
} from '../../domain/access/ldap-settings.ts';
import { withParentGroups } from '../../domain/access/nested-groups.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import { RecentAnswer } from '../system/recent-answer.ts';

/** Why a directory call failed, as the message `directory_unavailable` carries. */
class Unavailable extends Error {
  constructor(readonly text: Message) {
    super(text.code);
  }
}

const detailOf = (e: unknown): string => {
  // ldapts says a result code as ` Code: 0x31`; its class names it (InvalidCredentialsError).
  if (e instanceof ResultCodeError) {
    const words = e.constructor.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
    return `${words.toLowerCase()}, LDAP result ${e.code}`;
  }
  const err = e as NodeJS.ErrnoException;
  const code = typeof err.code === 'string' ? err.code : '';
  const said = err.message || String(e);
  return code && !said.includes(code) ? `${code}: ${said}` : said;
};

/** Node's codes for a certificate it does not trust (unknown issuer, self-signed, wrong name, expired). */
const CERTIFICATE = /CERT|SIGNATURE|SELF_SIGNED|ISSUER|ALTNAME/;
const certificateRefused = (e: unknown): string | null => {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && CERTIFICATE.test(code) ? `${code}: ${(e as Error).message}` : null;
};

/** How many groups one question of a level names: a filter of thousands would be refused. */
const GROUPS_PER_SEARCH = 100;

const values = (entry: Entry, attribute: string): string[] => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key ? entry[key] : undefined;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : x));
};

/**
 * Sign-in through an LDAP directory with ldapts: the search account finds the one entry the user
 * filter matches under the user base, a second connection binds as that entry with the password
 * given, and the search account reads the groups that name the entry as a member (groupOfNames'
 * `member`, groupOfUniqueNames' `uniqueMember`, posixGroup's `memberUid`) plus its own `memberOf`.
 * Groups within groups are followed to the settings' depth (groups naming a group as `member` or
 * `uniqueMember`, under the group base). With StartTLS, every connection (the search account's and
 * the user's bind) is upgraded before anything is sent, its certificate checked against the settings'
 * CA or the system's; a refused certificate fails the sign-in and health names it.
 * Every connection has a connect and an operation timeout, so that a silent directory is an answer
 * (`directory_unavailable`), never a hang.
 */
export class LdapDirectory implements Directory {
  readonly url: string;

  /** Health's last answer (problem()). */
  private readonly checked: RecentAnswer<Message | null>;

  constructor(
    private readonly settings: LdapSettings,
    now: () => number = Date.now,
  ) {
    this.url = settings.url;
    this.checked = new RecentAnswer(now);
  }

  /** What a TLS connection trusts: the settings' certificate authorities, or the system's. */
  private tlsOptions(): ConnectionOptions {
    return this.settings.ca ? { ca: this.settings.ca } : {};
  }

  /** A connection, upgraded with StartTLS when the settings say so, before anything else is sent. */
  private async client(): Promise<Client> {
    const c = new Client({
      url: this.settings.url,
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.timeoutMs,
      ...(this.settings.url.startsWith('ldaps:') ? { tlsOptions: this.tlsOptions() } : {}),
    });
    if (!this.settings.startTls) return c;
    try {
      await c.startTLS(this.tlsOptions());
      return c;
    } catch (e) {
      await c.unbind().catch(() => undefined);
      if (e instanceof ResultCodeError)
        throw new Unavailable(message('ldap.startTlsRefused', { url: this.url, detail: detailOf(e) }));
      throw this.unavailable(e);
    }
  }

  private unavailable(e: unknown): Unavailable {
    const certificate = certificateRefused(e);
    if (certificate)
      return new Unavailable(message('ldap.tlsRefused', { url: this.url, detail: certificate }));
    return new Unavailable(message('ldap.unavailable', { url: this.url, detail: detailOf(e) }));
  }

  /** A connection bound as the search account. */
  private async searcher(): Promise<Client> {
    const c = await this.client();
    try {
      await c.bind(this.settings.bindDn, this.settings.bindPassword);
      return c;
    } catch (e) {
      await c.unbind().catch(() => undefined);
      // A directory that takes binds over TLS only (olcSecurity tls=1): say what to set.
      if (e instanceof ConfidentialityRequiredError)
        throw new Unavailable(message('ldap.tlsRequired', { url: this.url, detail: detailOf(e) }));
      if (e instanceof ResultCodeError)
        throw new Unavailable(
          message('ldap.bindRefused', { url: this.url, bindDn: this.settings.bindDn, detail: detailOf(e) }),
        );
      throw this.unavailable(e);
    }
  }

  private async search(c: Client, base: string, filter: string, attributes: string[]): Promise<Entry[]> {
    try {
      return (await c.search(base, { scope: 'sub', filter, attributes, sizeLimit: 1000 })).searchEntries;
    } catch (e) {
      if (e instanceof ResultCodeError)
        throw new Unavailable(message('ldap.searchFailed', { url: this.url, base, detail: detailOf(e) }));
      throw this.unavailable(e);
    }
  }

  async authenticate(name: string, password: string): Promise<DirectoryUser | null> {
    // An empty password would be an anonymous bind, which directories answer with success.
    if (!name || !password) return null;
    return this.answering(() => this.find(name, password));
  }

  async lookup(name: string): Promise<DirectoryUser | null> {
    if (!name) return null;
    return this.answering(() => this.find(name, null));
  }

  /** The directory's answer; its failure a `directory_unavailable`, and health's latest either way. */
  private async answering<T>(ask: () => Promise<T>): Promise<T> {
    try {
      const answer = await ask();
      // A sign-in or a lookup is a fresher answer than health's last one.
      this.checked.set(Promise.resolve(null));
      return answer;
    } catch (e) {
      if (e instanceof Unavailable) {
        this.checked.set(Promise.resolve(e.text));
        throw new SluiceError('directory_unavailable', e.text, { directory: this.url });
      }
      throw e;
    }
  }

  /** The user and its groups; with a password, only when the password is the user's. */
  private async find(name: string, password: string | null): Promise<DirectoryUser | null> {
    const c = await this.searcher();
    try {
      const found = await this.search(
        c,
        this.settings.userBase,
        userFilterFor(this.settings.userFilter, name),
        ['memberOf'],
      );
      // None, or several (a filter too wide): nobody to sign in as. A bind all the same (as an entry
      // that is not there, which the directory refuses), so that an unknown name takes as long as a
      // wrong password.
      if (found.length !== 1) {
        if (password !== null)
          await this.passwordOf(`cn=sluice-no-such-user,${this.settings.userBase}`, password);
        return null;
      }
      const entry = found[0]!;
      if (password !== null && !(await this.passwordOf(entry.dn, password))) return null;
      const groups = new Map<string, string>();
      for (const g of values(entry, 'memberOf')) groups.set(normalDn(g), g);
      const groupBase = this.settings.groupBase;
      if (groupBase) {
        const dn = escapeFilterValue(entry.dn);
        const filter = `(|(member=${dn})(uniqueMember=${dn})(memberUid=${escapeFilterValue(name)}))`;
        for (const g of await this.search(c, groupBase, filter, ['1.1'])) groups.set(normalDn(g.dn), g.dn);
      }
      const all = groupBase
        ? await withParentGroups(
            [...groups.values()],
            (level) => this.parentsOf(c, groupBase, level),
            this.settings.groupDepth,
            normalDn,
          )
        : [...groups.values()];
      const admin =
        this.settings.adminGroup !== null &&
        all.some((g) => normalDn(g) === normalDn(this.settings.adminGroup!));
      return { dn: entry.dn, groups: all, admin };
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }

  /** The groups under `base` that name any of `groups` as a member: one level up. */
  private async parentsOf(c: Client, base: string, groups: string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < groups.length; i += GROUPS_PER_SEARCH) {
      const terms = groups
        .slice(i, i + GROUPS_PER_SEARCH)
        .map((g) => `(member=${escapeFilterValue(g)})(uniqueMember=${escapeFilterValue(g)})`);
      for (const e of await this.search(c, base, `(|${terms.join('')})`, ['1.1'])) found.push(e.dn);
    }
    return found;
  }

  /** Whether `password` is the entry's: a bind as the entry on a connection of its own. */
  private async passwordOf(dn: string, password: string): Promise<boolean> {
    // Upgraded before the password is sent; a refused upgrade is the directory's failure, not the user's.
    const c = await this.client();
    try {
      await c.bind(dn, password);
      return true;
    } catch (e) {
      // Wrong password, locked or expired account: all the same refusal to the person signing in.
      if (e instanceof ResultCodeError) return false;
      throw this.unavailable(e);
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }

  /**
   * Health asks this on every call (the console every 15 s): the directory is asked at most once per
   * PROBLEM_CHECK_MS, so watching health costs it one bind a half-minute, not one per page.
   */
  problem(): Promise<Message | null> {
    return this.checked.get(() => this.ask());
  }

  private async ask(): Promise<Message | null> {
    try {
      const c = await this.searcher();
      await c.unbind().catch(() => undefined);
      return null;
    } catch (e) {
      if (e instanceof Unavailable) return e.text;
      return message('ldap.unavailable', { url: this.url, detail: detailOf(e) });
    }
  }
}
