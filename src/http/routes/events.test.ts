import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../application/config.ts';
import { Platform } from '../../composition/platform.ts';
import { waitFor } from '../../../test/support/platform.ts';
import { buildServer } from '../server.ts';
import { adminToken, authHeaders, rememberToken } from '../../../test/support/credentials.ts';
import { alertmanagerPayload, failedAlert } from '../../../test/support/alertmanager.ts';

/** The event stream over a real socket: what it sends, and the count of open streams. */
describe('GET /api/v1/events', () => {
  let app: FastifyInstance;
  let platform: Platform;
  let home: string;
  let base: string;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-events-'));
    platform = await Platform.open({ ...loadConfig({}), home, autoStart: false }, pino({ level: 'silent' }));
    app = await buildServer(platform);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    rememberToken(base, await adminToken(platform));
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const streams = async () =>
    (await fetch(`${base}/api/v1/events/streams`, { headers: authHeaders(base) }).then((r) => r.json())) as {
      open: number;
      opened: number;
    };

  it('counts each stream while it is open, and sends it the events', async () => {
    expect(await streams()).toEqual({ open: 0, opened: 0 });
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/events`, { signal: abort.signal, headers: authHeaders(base) });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain(': connected');
    expect(await streams()).toEqual({ open: 1, opened: 1 });

    platform.bus.publish({
      type: 'job.state',
      jobName: 'j',
      event: {
        id: 1,
        jobId: 'j-1',
        from: 'CREATED',
        to: 'STARTING',
        reason: 'started by the test',
        reasonMessage: null,
        source: 'user',
        submissionId: null,
        at: new Date().toISOString(),
      },
    });
    while (!text.includes('event: job.state')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('"jobName":"j"');

    // An alert from Alertmanager's webhook, kept (its channel does not exist: "not sent") and pushed
    // in the shape GET /alerts answers, so that a job's Alerts tab need not poll.
    await platform.alertRules.receive(alertmanagerPayload([failedAlert('firing', 'j')]));
    while (!text.includes('event: alert')) text += decoder.decode((await reader.read()).value);
    const frame = text.slice(text.indexOf('event: alert')).split('\n\n')[0]!;
    const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 'data: '.length)) as Record<
      string,
      unknown
    >;
    expect(data).toMatchObject({
      type: 'alert',
      jobName: 'j',
      alert: {
        rule: 'j-failed',
        job: 'j',
        status: 'firing',
        channel: 'ops',
        delivery: expect.stringMatching(/^not sent/),
      },
    });
    expect(data.alert).not.toHaveProperty('notification');

    abort.abort();
    await waitFor('the stream to close', async () => (await streams()).open === 0, 5000);
    expect(await streams()).toEqual({ open: 0, opened: 1 });
  });

  // Last: it closes the server. An open console must not hold a server's shutdown for minutes.
  it('ends every open stream when the server closes, so that closing does not wait for the browser', async () => {
    const res = await fetch(`${base}/api/v1/events`, { headers: authHeaders(base) });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    let done = false;
    while (!done) ({ done } = await reader.read());
    await closing;
    expect(closed).toBe(true);
  }, 10_000);
});
