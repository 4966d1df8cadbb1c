import { Client, ResultCodeError, type Entry } from 'ldapts';
import type { Directory, DirectoryUser } from '../../application/ports/directory.ts';
import {
  escapeFilterValue,
  normalDn,
  userFilterFor,
  type LdapSettings,
} from '../../domain/access/ldap-settings.ts';
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

  private client(): Client {
    return new Client({
      url: this.settings.url,
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.timeoutMs,
    });
  }

  private unavailable(e: unknown): Unavailable {
    return new Unavailable(message('ldap.unavailable', { url: this.url, detail: detailOf(e) }));
  }

  /** A connection bound as the search account. */
  private async searcher(): Promise<Client> {
    const c = this.client();
    try {
      await c.bind(this.settings.bindDn, this.settings.bindPassword);
      return c;
    } catch (e) {
      await c.unbind().catch(() => undefined);
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
    try {
      const found = await this.find(name, password);
      // A sign-in is a fresher answer than health's last one.
      this.checked.set(Promise.resolve(null));
      return found;
    } catch (e) {
      if (e instanceof Unavailable) {
        this.checked.set(Promise.resolve(e.text));
        throw new SluiceError('directory_unavailable', e.text, { directory: this.url });
      }
      throw e;
    }
  }

  private async find(name: string, password: string): Promise<DirectoryUser | null> {
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
        await this.passwordOf(`cn=sluice-no-such-user,${this.settings.userBase}`, password);
        return null;
      }
      const entry = found[0]!;
      if (!(await this.passwordOf(entry.dn, password))) return null;
      const groups = new Map<string, string>();
      for (const g of values(entry, 'memberOf')) groups.set(normalDn(g), g);
      if (this.settings.groupBase) {
        const dn = escapeFilterValue(entry.dn);
        const filter = `(|(member=${dn})(uniqueMember=${dn})(memberUid=${escapeFilterValue(name)}))`;
        for (const g of await this.search(c, this.settings.groupBase, filter, ['1.1']))
          groups.set(normalDn(g.dn), g.dn);
      }
      const admin = this.settings.adminGroup !== null && groups.has(normalDn(this.settings.adminGroup));
      return { dn: entry.dn, groups: [...groups.values()], admin };
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }

  /** Whether `password` is the entry's: a bind as the entry on a connection of its own. */
  private async passwordOf(dn: string, password: string): Promise<boolean> {
    const c = this.client();
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
