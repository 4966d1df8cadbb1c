import type { Message } from '../../../domain/messages.ts';
import i18n from '../i18n/index.ts';
import { errorText } from '../models/message-text.ts';

/**
 * The console's only HTTP transport: every API error becomes an ApiError with the server's message,
 * said in the console's language when the server gave its code.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      // No user header: the server knows the console by the Origin the browser sends with a change.
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', i18n.t('common.unreachable', { detail: (e as Error).message }));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (
      json as {
        error?: {
          code: string;
          message: string;
          details: Record<string, unknown>;
          messageCode?: Message['code'];
          messageParams?: Message['params'];
        };
      }
    )?.error;
    const said = err && errorText(i18n.t, err);
    throw new ApiError(res.status, err?.code ?? 'http_error', said ?? `HTTP ${res.status}`, err?.details);
  }
  return json as T;
}

export const enc = encodeURIComponent;
