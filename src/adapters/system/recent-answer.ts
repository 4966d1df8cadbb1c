/** How long health's answer about a sign-in service (LDAP, OIDC) stands before it is asked again. */
export const PROBLEM_CHECK_MS = 30_000;

/**
 * The last answer of a service health asks on every call (the console polls every 15 s), kept for
 * PROBLEM_CHECK_MS so that watching health costs the service one request a half-minute; a sign-in's
 * finding replaces it at once.
 */
export class RecentAnswer<T> {
  private last: { at: number; answer: Promise<T> } | null = null;

  constructor(private readonly now: () => number) {}

  /** The answer kept, while fresh; else the one `ask` gives, kept from now. */
  get(ask: () => Promise<T>): Promise<T> {
    if (this.last && this.now() - this.last.at < PROBLEM_CHECK_MS) return this.last.answer;
    return this.set(ask());
  }

  /** A fresher answer than the one kept. */
  set(answer: Promise<T>): Promise<T> {
    this.last = { at: this.now(), answer };
    return answer;
  }
}
