import type { PlatformEvent } from '../../application/event-bus.ts';
import { ApiError } from './http.ts';

/** A subscription to /api/v1/events (server-sent events), open before the command it follows is sent. */
export class EventStream {
  private readonly controller = new AbortController();
  private buffer: PlatformEvent[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  private constructor() {}

  static async open(baseUrl: string, job?: string): Promise<EventStream> {
    const s = new EventStream();
    const res = await fetch(`${baseUrl}/api/v1/events${job ? `?job=${encodeURIComponent(job)}` : ''}`, {
      signal: s.controller.signal,
    }).catch((e: Error) => {
      throw new ApiError(0, 'unreachable', `cannot reach the Sluice server at ${baseUrl}: ${e.message}`, {});
    });
    if (!res.ok || !res.body)
      throw new ApiError(res.status, 'http_error', `event stream answered ${res.status}`, {});
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
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) this.buffer.push(JSON.parse(data.slice(6)) as PlatformEvent);
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

  async next(): Promise<PlatformEvent | null> {
    while (this.buffer.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    return this.buffer.shift()!;
  }

  close(): void {
    this.controller.abort();
  }
}
