import type { Membership } from '../access/spaces.ts';
/**
 * The audit log (issue 15 item 5): one append-only record per change or action asked of the API,
 * refused ones included: who, when, from where, what, on which resource, how it ended, and the
 * resource before and after, with secret values masked. Pure rules: the store keeps the records,
 * the HTTP plugin (src/http/plugins/audit.ts) writes them.
 */

/** One record of the audit log. */
export interface AuditEntry {
  id: number;
  /** When the answer was given (ISO 8601, UTC). */
  at: string;
  /** The signed-in user, or `anonymous` when the request proved no one (then refused, or a sign-in). */
  actor: string;
  /** How the actor proved it: `token <id>`, `console`, `cli-token`; `none` when it did not. */
  via: string;
  /** The address the request came from, and its User-Agent. */
  sourceAddress: string;
  userAgent: string | null;
  method: string;
  path: string;
  /** The contract's operation (`jobs.update`), or null for a path no operation serves. */
  operation: string | null;
  /** The resource the operation is about (`job`, `secret`, ...) and its name, when it names one. */
  resourceKind: string | null;
  resourceName: string | null;
  /**
   * The space of the resource, resolved as the record is written (the space a new thing was made in,
   * the space a deleted one was in); null for what belongs to no space (users, tokens, engines, Kafka
   * connections, alert channels) and for records written before spaces were recorded (0030).
   */
  space: string | null;
  /** The HTTP status of the answer, and the error code of a refusal or failure. */
  status: number;
  errorCode: string | null;
  /** The resource as it was before and after (JSON), secret values masked; null: none, or not read. */
  before: unknown;
  after: unknown;
}

/** A record to append: all but its id. */
export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/**
 * A session's record names the user it signs in with its admin flag and memberships: a sign-in
 * through a directory changes both (its groups), and the record shows what it changed.
 */
export const signedInState = (
  user: { name: string; admin: boolean; source: string },
  spaces: readonly Membership[],
) => ({
  name: user.name,
  admin: user.admin,
  source: user.source,
  spaces: spaces.map((m) => ({ space: m.space, role: m.role, source: m.source ?? 'manual' })),
});

/** How a request ended, as the log's filter names it. */
export const OUTCOMES = ['succeeded', 'refused', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Succeeded below 400; refused for want of credentials or permission (401, 403); failed otherwise. */
export function outcomeOf(status: number): Outcome {
  if (status < 400) return 'succeeded';
  if (status === 401 || status === 403) return 'refused';
  return 'failed';
}

/** What to look for in the log; every field narrows it. */
export interface AuditFilter {
  actor?: string | undefined;
  resourceKind?: string | undefined;
  resourceName?: string | undefined;
  operation?: string | undefined;
  /** Only the records about things of this space. */
  space?: string | undefined;
  outcome?: Outcome | undefined;
  /** From and to (inclusive), ISO 8601 times. */
  from?: string | undefined;
  to?: string | undefined;
  /** Found anywhere in actor, path, resource, error code, before or after (case-insensitive). */
  text?: string | undefined;
}

/** Newest first: `limit` records with ids below `before` (the previous page's last id). */
export interface AuditPage {
  limit: number;
  before?: number | undefined;
}

/** What stands in the log for a value that must never be there. */
export const MASK = '******';

/** Parts of a field name (lower case, no separators) that say its text is a secret. */
const SECRET_WORDS = ['password', 'secret', 'token', 'privatekey', 'apikey', 'accesskey', 'credential'];
/** Whole field names whose text carries a secret though their name does not say it. */
const SECRET_FIELDS = new Set(['webhookurl', 'routingkey', 'authorization', 'kubeconfig']);
const normal = (key: string) => key.toLowerCase().replace(/[-_.]/g, '');
const secretName = (n: string) => SECRET_FIELDS.has(n) || SECRET_WORDS.some((w) => n.includes(w));

/**
 * A resource as the log may keep it: every text field named like a secret (a password, a token, an
 * option such as `s3.secret-key`, a webhook URL that carries its key) masked, at any depth, and the
 * `value` of an object that says it is secret (`secret: true`: a secret variable).
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const n = normal(k);
    const masked = n === 'value' ? o.secret === true : typeof v === 'string' && secretName(n);
    out[k] = masked ? MASK : maskSecrets(v);
  }
  return out;
}

/** The columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'via',
  'sourceAddress',
  'userAgent',
  'method',
  'path',
  'operation',
  'resourceKind',
  'resourceName',
  'space',
  'status',
  'errorCode',
  'before',
  'after',
] as const;

const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  // A leading =, +, - or @ would be a formula to a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CSV header line. */
export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** One record as a CSV line (RFC 4180, CRLF): before and after as JSON text. */
export const csvLine = (e: AuditEntry): string => `${CSV_COLUMNS.map((c) => csvField(e[c])).join(',')}\r\n`;

/** One record as a JSON line. */
export const jsonLine = (e: AuditEntry): string => `${JSON.stringify(e)}\n`;

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time the CLI's `--since` names: a duration back from now (`90s`, `30m`, `2h`, `7d`, `2w`) or a
 * date or time (`2026-12-04`, `2026-12-04T10:00:00Z`); undefined when it is neither.
 */
export function sinceTime(text: string, now: Date): string | undefined {
  const d = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (d) return new Date(now.getTime() - Number(d[1]) * UNITS[d[2]!]!).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const t = new Date(text.trim());
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}
