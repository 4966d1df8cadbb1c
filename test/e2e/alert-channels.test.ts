import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../src/domain/alerts/alert-notification.ts';
import { runSluice, serveApi } from '../support/cli.ts';
import { freePort } from '../support/ports.ts';
import { testPlatform, waitFor, type TestPlatform } from '../support/platform.ts';

const DINGTALK_TOKEN = 'dt-token-4f1c';
const DINGTALK_SECRET = 'SECd1n6741k5ecre7';
const LARK_HOOK = 'lark-hook-9a2e';
const LARK_SECRET = 'lark5ecre7Zq';
const WECOM_KEY = 'wecom-key-77b0';

interface Received {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/**
 * Local receivers named for what they check, each in the robot's documented request and answer shape
 * (see src/domain/alerts for the sources): an answer other than success is what the real robot says.
 */
function startReceivers(): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  /** Per robot address, the times of its requests: the robots refuse more than their rate. */
  const sentAt = new Map<string, number[]>();
  const overRate = (key: string, perMinute: number) => {
    const now = Date.now();
    const times = (sentAt.get(key) ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    sentAt.set(key, times);
    return times.length > perMinute;
  };
  const handlers: Record<string, (r: Received) => unknown> = {
    // A local receiver that takes any JSON, as the generic webhook's users would.
    '/webhook': () => ({ received: true }),
    // A local receiver that checks the documented DingTalk payload and signature: markdown message;
    // `timestamp` (ms, within an hour) and `sign` = urlencode(base64(HmacSHA256(secret, ts + "\n" + secret))).
    '/robot/send': (r) => {
      if (!r.query.get('access_token')?.startsWith(DINGTALK_TOKEN))
        return { errcode: 300001, errmsg: 'token is not exist' };
      const ts = Number(r.query.get('timestamp'));
      const expected = createHmac('sha256', DINGTALK_SECRET)
        .update(`${ts}\n${DINGTALK_SECRET}`)
        .digest('base64');
      if (r.query.get('access_token') === DINGTALK_TOKEN) {
        if (!(Math.abs(Date.now() - ts) < 3_600_000) || r.query.get('sign') !== expected)
          return { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc]' };
      }
      const md = r.body.markdown as { title?: unknown; text?: unknown } | undefined;
      if (r.body.msgtype !== 'markdown' || typeof md?.title !== 'string' || typeof md.text !== 'string')
        return { errcode: 40035, errmsg: 'missing parameter' };
      if (overRate(r.query.get('access_token')!, 20))
        return { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
      return { errcode: 0, errmsg: 'ok' };
    },
    // A local receiver that checks the documented WeCom group robot payload: markdown, content <= 4096 bytes.
    '/cgi-bin/webhook/send': (r) => {
      if (r.query.get('key') !== WECOM_KEY) return { errcode: 93000, errmsg: 'invalid webhook url' };
      const md = r.body.markdown as { content?: unknown } | undefined;
      if (r.body.msgtype !== 'markdown' || typeof md?.content !== 'string')
        return { errcode: 40008, errmsg: 'invalid message type' };
      if (Buffer.byteLength(md.content) > 4096)
        return { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' };
      return { errcode: 0, errmsg: 'ok' };
    },
    // A local receiver that checks the documented Lark custom bot card and signature: `timestamp`
    // (seconds) and `sign` = base64(HmacSHA256(key = ts + "\n" + secret, message = "")) in the body.
    [`/open-apis/bot/v2/hook/${LARK_HOOK}`]: (r) => {
      const ts = Number(r.body.timestamp);
      const expected = createHmac('sha256', `${ts}\n${LARK_SECRET}`).update('').digest('base64');
      if (!(Math.abs(Date.now() / 1000 - ts) < 3600) || r.body.sign !== expected)
        return { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
      const card = r.body.card as
        { header?: { title?: { content?: unknown } }; elements?: unknown[] } | undefined;
      if (
        r.body.msg_type !== 'interactive' ||
        typeof card?.header?.title?.content !== 'string' ||
        !card.elements?.length
      )
        return { code: 9499, msg: 'Bad Request' };
      return { code: 0, msg: 'success', data: {} };
    },
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const r: Received = {
        path: u.pathname,
        query: u.searchParams,
        body: JSON.parse(raw || '{}') as Record<string, unknown>,
      };
      got.push(r);
      const handler = handlers[u.pathname];
      res.writeHead(handler ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(handler ? handler(r) : { error: 'no such receiver' }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        got,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** Debian's aiosmtpd as a real SMTP server: it prints every message it receives to its standard output. */
async function startSmtp(): Promise<{ port: number; output: () => string; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    '/usr/bin/python3',
    ['-u', '-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitFor(
    'aiosmtpd to listen',
    async () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    20_000,
  );
  return { port, output: () => out, stop: () => void child.kill() };
}

/** A mail's body as written: quoted-printable soft breaks joined. */
const unfold = (s: string) => s.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

describe('alert channels against local receivers and a real SMTP server', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let receivers: Awaited<ReturnType<typeof startReceivers>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const api = (method: string, path: string, body?: unknown) =>
    app.inject({
      method: method as 'GET',
      url: `/api/v1${path}`,
      ...(body === undefined ? {} : { payload: body as object }),
    });

  beforeAll(async () => {
    expect(
      fs.existsSync('/usr/bin/python3'),
      'Debian python3 with python3-aiosmtpd (scripts/prerequisites.sh --test)',
    ).toBe(true);
    receivers = await startReceivers();
    smtp = await startSmtp();
    t = await testPlatform();
    ({ app, url } = await serveApi(t.platform));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await receivers?.close();
    smtp?.stop();
  });

  it('posts the notifications as JSON to a generic webhook, added and tested with the CLI', async () => {
    const add = await runSluice(url, [
      'alert',
      'channel',
      'add',
      'hook',
      '--type',
      'webhook',
      '--url',
      `${receivers.url}/webhook`,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const test = await runSluice(url, ['alert', 'channel', 'test', 'hook']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain('the receiver answered: HTTP 200: {"received":true}');
    const body = receivers.got.filter((r) => r.path === '/webhook').at(-1)!.body;
    expect(body).toMatchObject({
      version: 1,
      source: 'sluice',
      notifications: [{ rule: 'channel-test', status: 'firing', severity: 'info' }],
    });
  });

  it('signs DingTalk messages, masks the robot address and secret, and says a refusal with a 502', async () => {
    const robot = `${receivers.url}/robot/send?access_token=${DINGTALK_TOKEN}`;
    const add = await runSluice(url, [
      'alert',
      'channel',
      'add',
      'ding',
      '--type',
      'dingtalk',
      '--url',
      robot,
      '--secret',
      DINGTALK_SECRET,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const test = await runSluice(url, ['alert', 'channel', 'test', 'ding']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain('the receiver answered: errcode 0 (ok)');
    const list = await runSluice(url, ['alert', 'channel', 'list', '--json']);
    expect(list.stdout).not.toContain(DINGTALK_TOKEN);
    expect(list.stdout).not.toContain(DINGTALK_SECRET);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ name: 'ding', url: `${receivers.url}/******`, secret: '******' }),
    );
    // The wrong secret: DingTalk answers errcode 310000, said as a 502 naming it.
    expect(
      (await api('PUT', '/alert-channels/ding-wrong', { type: 'dingtalk', url: robot, secret: 'SECwrong' }))
        .statusCode,
    ).toBe(200);
    const refused = await api('POST', '/alert-channels/ding-wrong/test');
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.message).toBe(
      'alert channel ding-wrong: the dingtalk receiver refused the message: errcode 310000 (sign not match, more: [https://ding-doc.dingtalk.com/doc])',
    );
    const cli = await runSluice(url, ['alert', 'channel', 'test', 'ding-wrong']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('errcode 310000');
  });

  it('sends WeCom markdown and Lark cards, Lark signed in the body', async () => {
    const wecom = await api('PUT', '/alert-channels/wecom', {
      type: 'wecom',
      url: `${receivers.url}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
    });
    expect(wecom.json()).toMatchObject({ type: 'wecom', url: `${receivers.url}/******`, secret: null });
    expect((await api('POST', '/alert-channels/wecom/test')).json()).toEqual({
      channel: 'wecom',
      type: 'wecom',
      sent: 1,
      batched: 0,
      answer: 'errcode 0 (ok)',
    });
    const hook = `${receivers.url}/open-apis/bot/v2/hook/${LARK_HOOK}`;
    await api('PUT', '/alert-channels/lark', { type: 'lark', url: hook, secret: LARK_SECRET });
    expect((await api('POST', '/alert-channels/lark/test')).json()).toMatchObject({
      sent: 1,
      answer: 'code 0 (success)',
    });
    const card = receivers.got.filter((r) => r.path.includes(LARK_HOOK)).at(-1)!.body;
    expect(card).toMatchObject({
      msg_type: 'interactive',
      card: { header: { title: { content: '[FIRING] info: channel-test' } } },
    });
    await api('PUT', '/alert-channels/lark-unsigned', { type: 'lark', url: hook });
    const refused = await api('POST', '/alert-channels/lark-unsigned/test');
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.message).toContain('the lark receiver refused the message: code 19021');
  });

  it('mails through a real SMTP server: subject, text and HTML naming the job, rule, value, time, cause and link', async () => {
    const add = await runSluice(url, [
      'alert',
      'channel',
      'add',
      'mail',
      '--type',
      'email',
      '--smtp-host',
      '127.0.0.1',
      '--smtp-port',
      String(smtp.port),
      '--no-tls',
      '--from',
      'sluice@example.com',
      '--to',
      'ops@example.com,dev@example.com',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const test = await runSluice(url, ['alert', 'channel', 'test', 'mail']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/the receiver answered: 250 /);
    const failed: AlertNotification = {
      status: 'firing',
      severity: 'critical',
      rule: 'orders-failed',
      job: 'orders',
      summary: 'orders is FAILED',
      value: '4 restarts',
      startsAt: '2026-12-03T15:10:28Z',
      endsAt: null,
      rootCause: 'java.lang.IllegalStateException: boom in the map',
      link: 'http://127.0.0.1:8080/jobs/orders',
    };
    expect(await t.platform.alertChannels.deliver('mail', [failed])).toMatchObject({ sent: 1, batched: 0 });
    await waitFor(
      'the mail at the SMTP server',
      async () => smtp.output().includes('orders-failed') || undefined,
      20_000,
    );
    const mails = unfold(smtp.output()).split('---------- MESSAGE FOLLOWS ----------');
    expect(mails.some((m) => m.includes('Subject: [Sluice] [FIRING] info: channel-test'))).toBe(true);
    const mail = mails.find((m) => m.includes('orders-failed'))!;
    expect(mail).toContain('Subject: [Sluice] [FIRING] critical: orders-failed (job orders)');
    expect(mail).toContain('To: ops@example.com, dev@example.com');
    for (const part of [
      'Job: orders',
      'Value: 4 restarts',
      'Since: 2026-12-03 15:10:28 UTC',
      'IllegalStateException: boom in the map',
      'Job page: http://127.0.0.1:8080/jobs/orders',
    ])
      expect(mail).toContain(part);
    expect(mail).toContain('Content-Type: text/html');
    expect(mail).toContain('<a href="http://127.0.0.1:8080/jobs/orders">');
  });

  it('sends 25 notifications to one DingTalk robot in at most 20 requests, the rest merged', async () => {
    const token = `${DINGTALK_TOKEN}-burst`;
    await api('PUT', '/alert-channels/burst', {
      type: 'dingtalk',
      url: `${receivers.url}/robot/send?access_token=${token}`,
    });
    const before = receivers.got.length;
    const notifications = Array.from({ length: 25 }, (_, i): AlertNotification => ({
      status: 'firing',
      severity: 'warning',
      rule: `rule-${i}`,
      job: 'orders',
      summary: `alert ${i}`,
      value: `${i}`,
      startsAt: new Date().toISOString(),
      endsAt: null,
      rootCause: null,
      link: null,
    }));
    const result = await t.platform.alertChannels.deliver('burst', notifications);
    const requests = receivers.got.slice(before).filter((r) => r.query.get('access_token') === token);
    expect(result).toMatchObject({ sent: 20, batched: 6, answer: 'errcode 0 (ok)' });
    expect(requests).toHaveLength(20);
    const texts = requests.map((r) => (r.body.markdown as { text: string }).text);
    expect(texts.at(-1)).toMatch(/^\*\*6 alerts in one message: the robot takes 20 messages a minute/);
    for (let i = 0; i < 25; i++)
      expect(
        texts.some((x) => x.includes(`rule-${i} (job orders)`)),
        `rule-${i}`,
      ).toBe(true);
  });

  it('refuses bad settings with a 400 naming the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'webhook', url: 'not a url' }, 'url'],
      [{ type: 'slack', url: 'https://hooks.example' }, 'type'],
      [{ type: 'email', host: 'smtp.example', from: 'a@example.com' }, 'to'],
      [{ type: 'wecom', url: 'https://qyapi.weixin.qq.com/x', secret: 's' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const r = await api('PUT', '/alert-channels/bad', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.details.field).toBe(field);
      expect(r.json().error.message).toMatch(new RegExp(`^${field}: `));
    }
    expect((await api('GET', '/alert-channels/bad')).statusCode).toBe(404);
    const cli = await runSluice(url, [
      'alert',
      'channel',
      'add',
      'bad',
      '--type',
      'email',
      '--smtp-host',
      'h',
      '--from',
      'a@example.com',
    ]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('to: an email channel needs at least one recipient');
    const removed = await runSluice(url, ['alert', 'channel', 'remove', 'hook']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await api('POST', '/alert-channels/hook/test')).statusCode).toBe(404);
  });
});
