import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PlatformEvent } from '../../../contract/events.ts';
import { EventHub, openEventStream, type HubMessage, type TabMessage } from './event-hub.ts';
import { jobKeys } from './jobs.ts';

/**
 * Job states, submissions and alerts are pushed by the server (/api/v1/events); each event refreshes the
 * queries it changes, so lists and details follow Flink without a reload. All tabs of the browser
 * share one connection (see event-hub.ts).
 */
export function usePlatformEvents(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      connectPlatformEvents((m) => {
        if (m.type === 'open') {
          if (m.reconnected) void qc.invalidateQueries({ queryKey: jobKeys.all });
          return;
        }
        const event = JSON.parse(m.data) as PlatformEvent;
        // An alert changes the job's alert history only.
        if (event.type === 'alert')
          return void qc.invalidateQueries({ queryKey: jobKeys.part(event.jobName, 'alerts') });
        void qc.invalidateQueries({ queryKey: jobKeys.all, exact: true });
        void qc.invalidateQueries({ queryKey: jobKeys.one(event.jobName) });
      }),
    [qc],
  );
}

/**
 * Follows the platform's events through the browser's one connection: a SharedWorker's; where there
 * is none, the tab holding the leader lock connects and passes events to the others over a
 * BroadcastChannel; with neither, the tab connects by itself. Returns what disconnects.
 */
export function connectPlatformEvents(deliver: (m: HubMessage) => void): () => void {
  if (typeof SharedWorker !== 'undefined') return viaSharedWorker(deliver);
  if (navigator.locks && typeof BroadcastChannel !== 'undefined') return viaLeader(deliver);
  return alone(deliver);
}

function viaSharedWorker(deliver: (m: HubMessage) => void): () => void {
  const worker = new SharedWorker(new URL('./events.worker.ts', import.meta.url), {
    type: 'module',
    name: 'sluice-events',
  });
  const port = worker.port;
  const send = (m: TabMessage) => port.postMessage(m);
  port.onmessage = (e: MessageEvent<HubMessage>) => deliver(e.data);
  port.start();
  let release = () => {};
  let closed = false;
  if (navigator.locks) {
    // A lock this tab holds while it lives: the worker learns from it that the tab is gone, even when
    // the tab could not say bye. The hello waits until the lock is held.
    const lock = `sluice-tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    void navigator.locks.request(
      lock,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          // Disconnected before the lock came (React's strict mode mounts twice): let it go at once.
          if (closed) resolve();
          else send({ type: 'hello', lock });
        }),
    );
  } else send({ type: 'hello' });
  // Back from the back-forward cache: the worker had been told bye.
  const hide = () => send({ type: 'bye' });
  const show = (e: PageTransitionEvent) => e.persisted && send({ type: 'hello' });
  window.addEventListener('pagehide', hide);
  window.addEventListener('pageshow', show);
  return () => {
    window.removeEventListener('pagehide', hide);
    window.removeEventListener('pageshow', show);
    closed = true;
    send({ type: 'bye' });
    release();
    port.close();
  };
}

function viaLeader(deliver: (m: HubMessage) => void): () => void {
  const channel = new BroadcastChannel('sluice-events');
  channel.onmessage = (e: MessageEvent<HubMessage>) => deliver(e.data);
  const abort = new AbortController();
  let resign = () => {};
  let closed = false;
  const lead = (tookOver: boolean) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve(); // the tab left while the lock was on its way
      // The leader's hub has two listeners: this tab, and the others through the channel.
      const hub = new EventHub(openEventStream, (fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      });
      const here = {
        postMessage: (m: HubMessage) =>
          // A tab that takes over from a leader that left may have missed events.
          deliver(m.type === 'open' && tookOver ? { ...m, reconnected: true } : m),
      };
      const others = {
        postMessage: (m: HubMessage) =>
          channel.postMessage(m.type === 'open' && tookOver ? { ...m, reconnected: true } : m),
      };
      hub.add(here);
      hub.add(others);
      resign = () => {
        hub.remove(here);
        hub.remove(others);
        resolve();
      };
    });
  // Leader at once if no tab is; otherwise wait in line for the lock and take over when it is free.
  void navigator.locks
    .request('sluice-events-leader', { ifAvailable: true }, (lock) =>
      lock
        ? lead(false)
        : navigator.locks.request('sluice-events-leader', { signal: abort.signal }, () => lead(true)),
    )
    .catch(() => undefined); // aborted: the tab left before it led
  return () => {
    closed = true;
    abort.abort();
    resign();
    channel.close();
  };
}

function alone(deliver: (m: HubMessage) => void): () => void {
  const hub = new EventHub(openEventStream, (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  });
  const tab = { postMessage: deliver };
  hub.add(tab);
  return () => hub.remove(tab);
}
