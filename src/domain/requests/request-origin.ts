import { isIP } from 'node:net';
import { SluiceError } from '../errors.ts';
import { message, type Message } from '../messages.ts';

/**
 * Where a request comes from, as far as the server can tell without users (a later issue): the Host
 * it was sent to, the page that sent it (Origin, Referer, Sec-Fetch-Site), and who asked for a change.
 * Browsers set Origin, Referer and Sec-Fetch-* themselves, and a page cannot forge them; a program
 * that is not a browser can send anything, so none of this is authentication.
 */

/** The methods that change something: only these must come from this server's own pages. */
export const STATE_CHANGING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestPolicy {
  /** The address the server listens on (SLUICE_HOST, `--host`); a name there is served. */
  listenHost: string;
  /** More host names to serve (SLUICE_ALLOWED_HOSTS); `.example.com` is the name and its subdomains. */
  allowedHosts: readonly string[];
  /** Origins of other front-ends that may call the API from a browser (SLUICE_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
}

const HOST_NAME = /^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** SLUICE_ALLOWED_HOSTS: host names, comma-separated, without scheme or port. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return list(value).map((entry) => {
    const name = entry.toLowerCase();
    if (!HOST_NAME.test(name) && !isIP(name))
      throw new SluiceError('invalid_argument', message('config.allowedHostInvalid', { entry }), {
        setting: 'SLUICE_ALLOWED_HOSTS',
        entry,
      });
    return name;
  });
}

/** SLUICE_ALLOWED_ORIGINS: origins (scheme://host[:port]), comma-separated; never `*`. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return list(value).map((entry) => {
    if (entry === '*' || entry === 'null')
      throw new SluiceError('invalid_argument', message('config.allowedOriginEveryone', { entry }), {
        setting: 'SLUICE_ALLOWED_ORIGINS',
        entry,
      });
    const origin = originOf(entry);
    // An origin is exactly what a browser sends: no path, query, user or trailing slash.
    if (origin === undefined || origin === 'null' || !sameOriginText(origin, entry))
      throw new SluiceError('invalid_argument', message('config.allowedOriginInvalid', { entry }), {
        setting: 'SLUICE_ALLOWED_ORIGINS',
        entry,
      });
    return origin;
  });
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `https://Ops.example.com:443` is the origin `https://ops.example.com`; `.../path` is not an origin. */
function sameOriginText(origin: string, entry: string): boolean {
  try {
    const u = new URL(entry);
    return (
      u.pathname === '/' && !entry.endsWith('/') && !u.search && !u.hash && !u.username && u.origin === origin
    );
  } catch {
    return false;
  }
}

/** The origin of a URL as a browser writes it (`null` for opaque ones), or undefined if it is not a URL. */
function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : 'null';
  } catch {
    return undefined;
  }
}

/** The host name in a Host header (lower case, an IPv6 address without brackets), or null if malformed. */
export function hostNameOf(header: string): string | null {
  const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/i.exec(header);
  if (!m) return null;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? m[1].toLowerCase() : null;
  return m[2]!.toLowerCase();
}

/**
 * Whether the server answers a Host header. DNS rebinding needs a name the attacker controls that
 * resolves to this machine; an IP address cannot be rebound, and `localhost` names never leave it.
 * The port is not checked: a page reaches the server only on the port it listens on anyway.
 */
export function hostAllowed(header: string | undefined, policy: RequestPolicy): boolean {
  // Browsers always send Host; a client that does not (HTTP/1.0) is not a page being rebound.
  if (header === undefined) return true;
  const name = hostNameOf(header);
  if (name === null) return false;
  if (isIP(name) || name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === policy.listenHost.toLowerCase()) return true;
  return policy.allowedHosts.some((h) =>
    h.startsWith('.') ? name === h.slice(1) || name.endsWith(h) : name === h,
  );
}

/** The message a refused Host gets: the name to add, and the setting. */
export const hostRefusal = (header: string): Message =>
  message('request.hostRefused', { host: header, name: hostNameOf(header) ?? header });

/** Who sent a request, as the browser says it; `none` for programs that are not browsers. */
export type Caller =
  /** A page of this server (the console): its origin is the address the request was sent to. */
  | { kind: 'own'; origin: string }
  /** A page of a front-end listed in SLUICE_ALLOWED_ORIGINS. */
  | { kind: 'trusted'; origin: string }
  /** A page of another site; `origin` is null when the browser does not name it. */
  | { kind: 'foreign'; origin: string | null; said: string }
  /** No browser said anything: the CLI, curl, a script. */
  | { kind: 'none' };

export interface BrowserHeaders {
  host?: string | undefined;
  origin?: string | undefined;
  referer?: string | undefined;
  secFetchSite?: string | undefined;
}

/**
 * The page a request comes from: Origin (every browser sends it with POST, PUT, PATCH and DELETE),
 * else the Referer's origin (older browsers), else what Sec-Fetch-Site says of it.
 */
export function callerOf(h: BrowserHeaders, policy: RequestPolicy): Caller {
  const from = h.origin !== undefined ? h.origin : h.referer !== undefined ? originOf(h.referer) : undefined;
  const said = h.origin !== undefined ? `Origin: ${h.origin}` : `Referer: ${h.referer}`;
  if (from === undefined && (h.origin !== undefined || h.referer !== undefined))
    return { kind: 'foreign', origin: null, said };
  if (from !== undefined) {
    if (from === 'null') return { kind: 'foreign', origin: null, said };
    if (h.host !== undefined && sameHost(from, h.host)) return { kind: 'own', origin: from };
    const normalized = from.toLowerCase();
    if (policy.allowedOrigins.includes(normalized)) return { kind: 'trusted', origin: normalized };
    return { kind: 'foreign', origin: from, said };
  }
  const site = h.secFetchSite?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site')
    return { kind: 'foreign', origin: null, said: `Sec-Fetch-Site: ${site}` };
  return { kind: 'none' };
}

/** An origin is this server's when its host and port are the ones the request was sent to. */
function sameHost(origin: string, hostHeader: string): boolean {
  try {
    const o = new URL(origin);
    return o.host === new URL(`${o.protocol}//${hostHeader}`).host;
  } catch {
    return false;
  }
}

/** Why a state-changing request of a page of another site is refused. */
export function originRefusal(
  caller: Extract<Caller, { kind: 'foreign' }>,
  request: { method: string; path: string; host: string | undefined },
): Message {
  const { method, path } = request;
  if (caller.origin === null) return message('request.originHidden', { method, path, said: caller.said });
  const own = request.host === undefined ? 'this server' : `http://${request.host}`;
  return message('request.originRefused', { method, path, origin: caller.origin, own });
}

/** The user a CLI names (its OS user): a claim, so only names that cannot fake its marking or a log line. */
export const USER_CLAIM = /^[A-Za-z0-9._@$-]{1,64}$/;

/** How a signed-in caller proved who it is (src/application/access-service.ts's principal). */
export type Proof = { kind: 'token'; id: string } | { kind: 'session' } | { kind: 'cli-token' };

/**
 * The author recorded for a change (versions, submissions, job events, the audit log): the signed-in
 * user and how it proved it: `carol (console)`, `ci (token 3f2a9c0d1e2b4a5c)`, `admin (cli-token)`.
 * What a caller only claims (a user header, an origin) is never the author.
 */
export function authorOf(principal: { user: string; via: Proof }): string {
  return `${principal.user} (${proofText(principal.via)})`;
}

/** How a caller proved who it is, in words: `token <id>`, `console` (a session), `cli-token`. */
export function proofText(via: Proof): string {
  if (via.kind === 'token') return `token ${via.id}`;
  if (via.kind === 'session') return 'console';
  return 'cli-token';
}

/** Loopback: 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and its subdomains. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  if (isIP(h) === 6) {
    try {
      return new URL(`http://[${h}]`).hostname === '[::1]';
    } catch {
      return false;
    }
  }
  return false;
}

/** Said at start and in /health while the API is reachable from other machines with no authentication. */
export const exposureWarning = (listenHost: string): Message | null =>
  isLoopbackHost(listenHost) ? null : message('server.exposedWithoutTls', { host: listenHost });
