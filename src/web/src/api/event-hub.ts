/**
 * One connection to the server's event stream (/api/v1/events) shared by every tab of a browser:
 * browsers allow six HTTP/1.1 connections per host, so a stream per tab left the seventh tab without
 * any. The hub runs where that one connection lives (a SharedWorker, or the tab elected leader) and
 * fans each event out to the tabs connected to it.
 */

/** The event types the console follows. */
export const PLATFORM_EVENT_TYPES = ['job.state', 'submission', 'alert'] as const;

/** From the hub to a tab. `reconnected`: events may have been missed while the stream was down. */
export type HubMessage =
  | { type: 'event'; event: (typeof PLATFORM_EVENT_TYPES)[number]; data: string }
  | { type: 'open'; reconnected: boolean };

/** From a tab to the SharedWorker. `lock`: a Web Lock the tab holds for as long as it lives. */
export type TabMessage = { type: 'hello'; lock?: string } | { type: 'bye' };

export interface HubPort {
  postMessage(message: HubMessage): void;
}

/** What the hub needs of an EventSource. */
export interface Stream {
  readonly readyState: number;
  close(): void;
}

export interface StreamHandlers {
  open(): void;
  error(): void;
  event(type: (typeof PLATFORM_EVENT_TYPES)[number], data: string): void;
}

/** EventSource.CLOSED: the browser gave up and will not reconnect by itself. */
const CLOSED = 2;

export class EventHub {
  private readonly ports = new Set<HubPort>();
  private stream: Stream | null = null;
  private cancelRetry: (() => void) | null = null;
  private everOpened = false;
  private failures = 0;

  constructor(
    private readonly openStream: (handlers: StreamHandlers) => Stream,
    /** Runs `fn` after `ms`; returns what cancels it. */
    private readonly later: (fn: () => void, ms: number) => () => void,
  ) {}

  get tabs(): number {
    return this.ports.size;
  }

  get connected(): boolean {
    return this.stream !== null;
  }

  add(port: HubPort): void {
    this.ports.add(port);
    if (!this.stream && !this.cancelRetry) this.connect();
  }

  /** The last tab gone, the connection goes too. */
  remove(port: HubPort): void {
    this.ports.delete(port);
    if (this.ports.size) return;
    this.stream?.close();
    this.stream = null;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.everOpened = false;
  }

  private connect(): void {
    const stream = this.openStream({
      open: () => {
        this.failures = 0;
        this.broadcast({ type: 'open', reconnected: this.everOpened });
        this.everOpened = true;
      },
      event: (type, data) => this.broadcast({ type: 'event', event: type, data }),
      error: () => {
        // While CONNECTING the EventSource retries by itself; once CLOSED (the server answered with an
        // error, or went away for good) a new one is opened, later each time: 1, 2, 4... 30 s.
        if (stream.readyState !== CLOSED || this.stream !== stream) return;
        stream.close();
        this.stream = null;
        const delay = Math.min(30_000, 1000 * 2 ** this.failures++);
        this.cancelRetry = this.later(() => {
          this.cancelRetry = null;
          if (this.ports.size) this.connect();
        }, delay);
      },
    });
    this.stream = stream;
  }

  private broadcast(message: HubMessage): void {
    for (const port of this.ports) port.postMessage(message);
  }
}

/** The browser's EventSource on the platform's event stream. */
export function openEventStream(on: StreamHandlers): Stream {
  const source = new EventSource('/api/v1/events');
  source.onopen = () => on.open();
  source.onerror = () => on.error();
  for (const type of PLATFORM_EVENT_TYPES)
    source.addEventListener(type, (e) => on.event(type, (e as MessageEvent<string>).data));
  return source;
}
