import type { PlatformEvent } from '../../application/event-bus.ts';
import { ApiError } from './http.ts';

/** One frame of a server-sent event stream: its `event:` name and parsed `data:`. */
export interface SseFrame<T> {
  event: string;
  data: T;
}

/** A server-sent event stream, opened before the command whose effects it follows is sent. */
export class SseStream<T> {
  private readonly controller = new AbortController();
  private buffer: SseFrame<T>[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  private constructor() {}

  static async open<T>(url: string): Promise<SseStream<T>> {
    const s = new SseStream<T>();
    const res = await fetch(url, { signal: s.controller.signal }).catch((e: Error) => {
      throw new ApiError(0, 'unreachable', `cannot reach the Sluice server at ${url}: ${e.message}`, {});
    });
    if (!res.ok || !res.body) {
      const err = (await res.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      throw new ApiError(
        res.status,
        err?.error?.code ?? 'http_error',
        err?.error?.message ?? `event stream answered ${res.status}`,
        {},
      );
    }
    void s.pump(res.body);
    return s;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const frame = text.slice(0, end).split('\n');
          text = text.slice(end + 2);
          const data = frame.find((l) => l.startsWith('data: '));
          const event = frame.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          if (data) this.buffer.push({ event, data: JSON.parse(data.slice(6)) as T });
          this.wake?.();
        }
      }
    } catch {
      /* aborted */
    } finally {
      this.ended = true;
      this.wake?.();
    }
  }

  /** The next frame, or null once the server has closed the stream. */
  async nextFrame(): Promise<SseFrame<T> | null> {
    while (this.buffer.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    return this.buffer.shift()!;
  }

  async next(): Promise<T | null> {
    return (await this.nextFrame())?.data ?? null;
  }

  close(): void {
    this.controller.abort();
  }
}

/** The platform's event stream at /api/v1/events: job states and submissions. */
export const EventStream = {
  open: (baseUrl: string, job?: string): Promise<SseStream<PlatformEvent>> =>
    SseStream.open<PlatformEvent>(`${baseUrl}/api/v1/events${job ? `?job=${encodeURIComponent(job)}` : ''}`),
};
