import { events as E, PlatformEvents } from '../contract/events.ts';
import type { Transport } from './http.ts';
import { SseStream, type EventsOf } from './sse.ts';

/** The platform's event stream (job states and submissions) and its open-stream counts. */
export const eventsClient = (t: Transport) => ({
  /** The URL of the stream, for a browser's EventSource; `job` narrows it to one job. */
  url: (job?: string) => t.url(E.stream, undefined, job ? { job } : {}),
  /** The stream read over fetch: frames `job.state` and `submission`. */
  open: (job?: string) =>
    SseStream.open<EventsOf<typeof PlatformEvents>>(t, t.url(E.stream, undefined, job ? { job } : {})),
  streams: () => t.call(E.streams, {}),
});
