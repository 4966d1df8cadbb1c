import { EventHub, openEventStream, type TabMessage } from './event-hub.ts';

/**
 * The SharedWorker that holds the browser's one connection to /api/v1/events for all of its tabs.
 * A tab says hello on its port; it leaves with bye, or, if it closes without a word (crash, killed
 * process), when the Web Lock it holds is released.
 */
const hub = new EventHub(openEventStream, (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
});

// The DOM library types `self` as a Window; in a SharedWorker it is a SharedWorkerGlobalScope.
const scope = self as unknown as { onconnect: ((e: MessageEvent) => void) | null };
scope.onconnect = (e) => {
  const port = e.ports[0];
  if (!port) return;
  port.onmessage = (m: MessageEvent<TabMessage>) => {
    if (m.data.type === 'bye') return hub.remove(port);
    hub.add(port);
    const lock = m.data.lock;
    // Granted only once the tab that holds it is gone.
    if (lock && navigator.locks) void navigator.locks.request(lock, () => hub.remove(port));
  };
  port.start();
};
