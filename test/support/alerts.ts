import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of an Alertmanager webhook payload: what a test sets, the rest filled in. */
export interface PayloadAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  fingerprint: string;
}

/** Alertmanager's webhook payload (version 4) of firing alerts, as it posts them to Sluice. */
export const alertmanagerPayload = (alerts: PayloadAlert[]) => ({
  version: '4',
  groupKey: '{}:{}',
  status: 'firing' as const,
  receiver: 'r',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9193',
  alerts: alerts.map((a) => ({
    status: 'firing' as const,
    annotations: {},
    startsAt: '2026-12-03T10:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    ...a,
  })),
});

/** A local HTTP receiver of alert messages that keeps each body with when it came, answering `{}`. */
export async function recordingReceiver(): Promise<{
  url: string;
  received: { at: number; body: string }[];
  close: () => Promise<void>;
}> {
  const received: { at: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ at: Date.now(), body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
