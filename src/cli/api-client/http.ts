/** The CLI's HTTP transport: the only place that turns API errors into exceptions. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        signal: signal ?? null,
        headers: {
          'x-sluice-user': process.env.USER ?? 'cli',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      throw new ApiError(
        0,
        'unreachable',
        `cannot reach the Sluice server at ${this.baseUrl} (${cause}): start it with \`sluice server\` or set SLUICE_URL`,
        { cause },
      );
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status === 204) return undefined as T;
    if (!res.ok) {
      const err = (json as { error?: { code: string; message: string; details: Record<string, unknown> } })
        ?.error;
      throw new ApiError(
        res.status,
        err?.code ?? 'http_error',
        err?.message ?? `HTTP ${res.status}`,
        err?.details ?? {},
      );
    }
    return json as T;
  }
}
