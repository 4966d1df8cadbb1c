import { SQL_LIMITS } from '../domain/sql/limits.ts';

/**
 * What one request to the API may hold, enforced here and said in the OpenAPI document (its
 * description, each operation's 413/414 answers, and each field's maxLength, maxItems, maxProperties).
 */
export const HTTP_LIMITS = {
  /** A JSON body: a script at its character limit, with room for the rest of the request. */
  bodyBytes: 2 * 1024 * 1024,
  /** The whole URL, path and query: long values belong in a body. */
  urlCharacters: 8192,
  /** One path segment (a name or an id): far more than any name the API takes. */
  pathSegmentCharacters: 1024,
  /** The request line and headers, as Node's HTTP parser reads them (its default --max-http-header-size). */
  headerBytes: 16_384,
} as const;

/** Names as the API takes them (each checked again by its service with its own rules). */
export const NAME_LIMITS = {
  job: 63,
  target: 63,
  catalog: 64,
  variable: 128,
  /** Option keys (job, catalog and session cluster options): Flink's longest are under 100 characters. */
  optionKey: 256,
  optionValue: 65_536,
  options: 1000,
  description: 2000,
  versionMessage: 500,
} as const;

export { SQL_LIMITS };

/** 65536 as '65,536', as toLocaleString('en-US') writes it, without loading ICU's data (~20 ms of the CLI's start). */
export const thousands = (x: number) => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const n = thousands;

/** The limits in words, for the OpenAPI document's description. */
export const LIMITS_TEXT = [
  'Limits of one request, each answered with the one error shape when exceeded:',
  `a JSON body of at most ${n(HTTP_LIMITS.bodyBytes)} bytes (413 payload_too_large);`,
  `a URL of at most ${n(HTTP_LIMITS.urlCharacters)} characters (414 uri_too_long), each path segment at most ${n(HTTP_LIMITS.pathSegmentCharacters)};`,
  `request line and headers of at most ${n(HTTP_LIMITS.headerBytes)} bytes (431 headers_too_large);`,
  `a SQL script of at most ${n(SQL_LIMITS.characters)} characters and ${n(SQL_LIMITS.statements)} statements (400 invalid_argument);`,
  `names: jobs and deployment targets ${NAME_LIMITS.job} characters, catalogs ${NAME_LIMITS.catalog}, variables ${NAME_LIMITS.variable};`,
  `options: at most ${n(NAME_LIMITS.options)} per map, keys of at most ${NAME_LIMITS.optionKey} characters without white space or control characters, values of at most ${n(NAME_LIMITS.optionValue)}.`,
  'Bodies are JSON (application/json) and are not coerced: null is not a string, "2" is not a number.',
].join(' ');
