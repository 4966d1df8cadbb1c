import type { Static, TSchema } from 'typebox';
import type { ErrorBody } from '../contract/common.ts';
import type { Answer, Body, Operation, Params, Query } from '../contract/operation.ts';

/** The error the server sends (src/http/plugins/errors.ts): a code, English text, and its message code. */
export type ServerError = Static<typeof ErrorBody>['error'];

/** Every refusal, the server's or the transport's, as one exception with the server's error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** The message as a code with parameters, for a client that says it in its own language. */
    readonly messageCode?: string,
    readonly messageParams?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Where the server is ('' for the page's own origin); requests go to `${baseUrl}/api/v1`. */
  baseUrl: string;
  /** Headers sent with every request (the CLI's identity). */
  headers?: Record<string, string>;
  /** The text of a server error (default: its English message); the console says it in its language. */
  errorText?: (error: ServerError) => string;
  /** The text when the server cannot be reached. */
  unreachable?: (baseUrl: string, cause: string) => string;
}

type Has<S, K extends string> = S extends { [k in K]: TSchema } ? true : false;
/** What a call of the operation takes: its path parameters, query string and body, when it has them. */
export type Input<O extends Operation> = (Has<O['schema'], 'params'> extends true
  ? { params: Params<O> }
  : { params?: undefined }) &
  (Has<O['schema'], 'querystring'> extends true ? { query?: Query<O> } : { query?: undefined }) &
  (Has<O['schema'], 'body'> extends true ? { body: Body<O> } : { body?: undefined }) & {
    signal?: AbortSignal;
  };

/** The only code that turns API answers into values and refusals into ApiError, for the CLI and the console. */
export class Transport {
  readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
  }

  /** The URL of an operation with its parameters filled in, each encoded. */
  url(op: Operation, params?: object, query?: object): string {
    const path = op.url.replace(/:(\w+)/g, (_, name: string) =>
      encodeURIComponent(String((params as Record<string, unknown> | undefined)?.[name])),
    );
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
    const qs = search.toString();
    return `${this.baseUrl}/api/v1${path}${qs ? `?${qs}` : ''}`;
  }

  async call<O extends Operation>(op: O, input: Input<O>): Promise<Answer<O>> {
    const res = await this.fetch(this.url(op, input.params, input.query), {
      method: op.method,
      signal: input.signal ?? null,
      headers: {
        ...this.options.headers,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: input.body === undefined ? null : JSON.stringify(input.body),
    });
    if (res.status === 204) return null as Answer<O>;
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw this.refusal(res.status, json);
    return json as Answer<O>;
  }

  /** fetch, with a server that cannot be reached said as such. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(url, { ...init, headers: { ...this.options.headers, ...init.headers } });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      const text =
        this.options.unreachable?.(this.baseUrl, cause) ??
        `cannot reach the Sluice server at ${this.baseUrl || 'this address'} (${cause})`;
      throw new ApiError(0, 'unreachable', text, { cause });
    }
  }

  /** The server's error body as an ApiError; an answer without one still says its status. */
  refusal(status: number, json: unknown): ApiError {
    const err = (json as { error?: ServerError } | undefined)?.error;
    if (!err || typeof err.code !== 'string') return new ApiError(status, 'http_error', `HTTP ${status}`);
    const text = this.options.errorText?.(err) ?? err.message;
    return new ApiError(status, err.code, text, err.details ?? {}, err.messageCode, err.messageParams);
  }
}
