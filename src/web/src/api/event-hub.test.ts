import { describe, expect, it } from 'vitest';
import { EventHub, type HubMessage, type StreamHandlers } from './event-hub.ts';

/** A server-sent event stream as the hub sees one: handlers to fire, a state, closed or not. */
class FakeStream {
  readyState = 0;
  closed = false;
  constructor(readonly on: StreamHandlers) {}
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

function setup() {
  const streams: FakeStream[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const hub = new EventHub(
    (on) => {
      const s = new FakeStream(on);
      streams.push(s);
      return s;
    },
    (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => void (t.cancelled = true);
    },
  );
  const tab = () => {
    const got: HubMessage[] = [];
    return { got, postMessage: (m: HubMessage) => void got.push(m) };
  };
  return { hub, streams, timers, tab };
}

describe('EventHub', () => {
  it('opens one stream for any number of tabs and sends each event to every tab', () => {
    const { hub, streams, tab } = setup();
    const tabs = Array.from({ length: 10 }, tab);
    for (const t of tabs) hub.add(t);
    expect(streams).toHaveLength(1);
    streams[0]!.on.open();
    streams[0]!.on.event('job.state', '{"jobName":"a"}');
    for (const t of tabs)
      expect(t.got).toEqual([
        { type: 'open', reconnected: false },
        { type: 'event', event: 'job.state', data: '{"jobName":"a"}' },
      ]);
  });

  it('sends nothing more to a tab that left, and closes the stream when the last tab leaves', () => {
    const { hub, streams, tab } = setup();
    const [a, b] = [tab(), tab()];
    hub.add(a);
    hub.add(b);
    hub.remove(a);
    streams[0]!.on.event('submission', '{}');
    expect(a.got).toEqual([]);
    expect(b.got).toHaveLength(1);
    expect(streams[0]!.closed).toBe(false);
    hub.remove(b);
    expect(streams[0]!.closed).toBe(true);
    expect(hub.connected).toBe(false);
    // A tab that comes later opens a new one.
    hub.add(tab());
    expect(streams).toHaveLength(2);
  });

  it('tells the tabs when the browser reconnected by itself, as events may have been missed', () => {
    const { hub, streams, tab, timers } = setup();
    const t = tab();
    hub.add(t);
    streams[0]!.on.open();
    streams[0]!.on.error(); // CONNECTING: the EventSource retries on its own
    streams[0]!.on.open();
    expect(timers).toEqual([]);
    expect(streams).toHaveLength(1);
    expect(t.got.at(-1)).toEqual({ type: 'open', reconnected: true });
  });

  it('opens a new stream, later each time, when the browser gave up on the old one', () => {
    const { hub, streams, tab, timers } = setup();
    const t = tab();
    hub.add(t);
    streams[0]!.on.open();
    for (const [i, wait] of [1000, 2000, 4000].entries()) {
      const s = streams[i]!;
      s.readyState = 2;
      s.on.error();
      expect(s.closed).toBe(true);
      expect(timers[i]!.ms).toBe(wait);
      timers[i]!.fn();
      expect(streams).toHaveLength(i + 2);
    }
    streams[3]!.on.open();
    expect(t.got.at(-1)).toEqual({ type: 'open', reconnected: true });
    // Once open again, the next failure waits one second again.
    streams[3]!.readyState = 2;
    streams[3]!.on.error();
    expect(timers[3]!.ms).toBe(1000);
  });

  it('waits at most 30 s between attempts and stops trying once no tab is left', () => {
    const { hub, streams, tab, timers } = setup();
    const t = tab();
    hub.add(t);
    for (let i = 0; i < 8; i++) {
      streams[i]!.readyState = 2;
      streams[i]!.on.error();
      timers[i]!.fn();
    }
    expect(timers.map((x) => x.ms)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    streams.at(-1)!.readyState = 2;
    streams.at(-1)!.on.error();
    hub.remove(t);
    expect(timers.at(-1)!.cancelled).toBe(true);
  });
});
