import type { Static, TSchema } from 'typebox';
import type { Transport } from './http.ts';

/** One frame of a server-sent event stream: its `event:` name and its data, typed by the contract. */
export type SseFrame<Events extends Record<string, unknown>> = {
  [K in keyof Events & string]: { event: K; data: Events[K] };
}[keyof Events & string];

/** The data of each event of a stream, from the contract's schemas of its events. */
export type EventsOf<M extends Record<string, TSchema>> = { [K in keyof M]: Static<M[K]> };

/**
 * A server-sent event stream read over fetch (Node has no EventSource), opened before the command
 * whose effects it follows is sent.
 */
export class SseStream<Events extends Record<string, unknown>> {
  private readonly controller = new AbortController();
  private buffer: SseFrame<Events>[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  private constructor() {}

  static async open<Events extends Record<string, unknown>>(
    transport: Transport,
    url: string,
  ): Promise<SseStream<Events>> {
    const s = new SseStream<Events>();
    const res = await transport.fetch(url, { signal: s.controller.signal });
    if (!res.ok || !res.body) throw transport.refusal(res.status, await res.json().catch(() => null));
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
          if (data) this.buffer.push({ event, data: JSON.parse(data.slice(6)) } as SseFrame<Events>);
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
  async nextFrame(): Promise<SseFrame<Events> | null> {
    while (this.buffer.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    return this.buffer.shift()!;
  }

  /** The next frame's data. */
  async next(): Promise<Events[keyof Events] | null> {
    return (await this.nextFrame())?.data ?? null;
  }

  close(): void {
    this.controller.abort();
  }
}
