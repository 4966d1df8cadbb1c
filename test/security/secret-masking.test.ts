import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SecretBox } from '../../src/adapters/secrets/secret-box.ts';
import { Platform } from '../../src/composition/platform.ts';
import { maskingLogOptions } from '../../src/application/secret-masking.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';
import { expectCleanJson } from '../support/secrets.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { callApi } from '../support/http.ts';

/**
 * Security suite, issue 11 item 1: masking works on values, so no secret value can corrupt an
 * answer, an event or a log line, nor slip through in an escaped form; a deleted secret is forgotten;
 * a value too weak to be masked without hiding ordinary text is refused as a secret.
 */
const tag = Date.now().toString(36);
/** Secrets shaped like the syntax they travel in. */
const WEIRD: Record<string, string> = {
  w_quote: `ab":"cd${tag}`,
  w_backslash: `C:\\dir\\n${tag}\\`,
  w_json: `{"k":[1,2]},${tag}`,
  w_lines: `first\nsecond\r\n${tag}`,
  w_unicode: `pässwörd-密码-😀${tag}`,
};
/** Secrets saved before values were checked: too short, and a word every Python trace holds. */
const LEGACY: Record<string, string> = { legacy_colon: '":"', legacy_main: '__main__' };
const ALL = [...Object.values(WEIRD), ...Object.values(LEGACY)];

const cleanJson = (body: string, secrets: readonly string[] = ALL) => expectCleanJson(body, secrets);

describe('secret masking by value', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  const api = (method: string, p: string, body?: unknown) => callApi(url, method, p, body);
  const logLines = () => fs.readFileSync(path.join(t.home, 'sluice.log'), 'utf8').split('\n').filter(Boolean);

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
  });
  afterAll(async () => close?.());

  it('keeps every answer, event and log line whole, whatever the secret looks like', async () => {
    for (const [name, value] of Object.entries(WEIRD)) {
      const r = await api('PUT', `/variables/${name}`, { value, secret: true });
      expect(r.status, r.text).toBe(200);
    }
    // Secrets saved by an earlier version, before weak values were refused: loaded as the platform opens.
    const box = SecretBox.open({ secretKey: t.platform.config.secretKey, home: t.home });
    for (const [name, value] of Object.entries(LEGACY))
      await t.platform.store.workspace.saveVariable({
        name,
        storedValue: box.seal(value),
        secret: true,
        description: '',
      });
    await t.platform.variables.load();

    // A plain variable whose value holds every secret: shown with each one masked, the rest intact.
    const echo = `a ${ALL.join(' b ')} z`;
    expect((await api('PUT', '/variables/echo', { value: echo })).status).toBe(200);
    const shown = cleanJson((await api('GET', '/variables/echo')).text) as { value: string };
    expect(shown.value).toBe(`a ${ALL.map(() => '******').join(' b ')} z`);

    // The events stream, open while a job fails to start.
    const events: string[] = [];
    const ac = new AbortController();
    const stream = fetch(`${url}/api/v1/events`, { signal: ac.signal, headers: authHeaders(url) }).then(
      async (r) => {
        const reader = r.body!.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          events.push(decoder.decode(value, { stream: true }));
        }
      },
    );
    const created = await api('POST', '/jobs', {
      name: 'fails-to-start',
      description: 'no secret here',
      sql: `CREATE TABLE s (a STRING) WITH ('connector' = 'datagen');
CREATE TABLE k (a STRING) WITH ('connector' = 'blackhole');
INSERT INTO k SELECT '\${undefined_one}' FROM s;`,
      target: 'local-1.20',
    });
    expect(created.status, created.text).toBe(201);
    expect((await api('POST', '/jobs/fails-to-start/start', {})).status).toBe(202);
    await waitFor(
      'the failed start on the stream',
      async () => events.join('').includes('"status":"failed"'),
      20_000,
    );
    ac.abort();
    await stream.catch(() => undefined);
    const data = events
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('data: '));
    expect(data.length).toBeGreaterThan(1);
    for (const l of data) cleanJson(l.slice('data: '.length));

    for (const p of [
      '/jobs',
      '/health',
      '/variables',
      '/jobs/fails-to-start',
      '/jobs/fails-to-start/events',
    ]) {
      const r = await api('GET', p);
      expect(r.status, p).toBe(200);
      cleanJson(r.text);
    }
    // An error that quotes what the request named, the name being a secret.
    const missing = await api('GET', `/jobs/${encodeURIComponent(WEIRD.w_quote!)}`);
    expect(missing.status).toBe(404);
    expect((cleanJson(missing.text) as { error: { message: string } }).error.message).toContain('******');

    // Every line of the platform log is still one JSON object, and none holds a secret.
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) cleanJson(l);
  });

  it('masks log records before they are written: messages, fields, errors and requests', async () => {
    const before = logLines().length;
    const err = new Error(`the gateway said ${WEIRD.w_json}`);
    t.platform.log.warn(
      { detail: WEIRD.w_backslash, nested: { list: [WEIRD.w_lines, 7, true] }, err },
      `the value ${WEIRD.w_unicode} and ${LEGACY.legacy_colon}`,
    );
    t.platform.log.error(new Error(`${WEIRD.w_quote} failed`));
    // A request whose path names a secret: fastify logs its URL.
    await api('PUT', '/variables/url_part', { value: `${tag}-${tag}`, secret: true });
    await api('GET', `/jobs/${tag}-${tag}`);
    // And one whose path names it percent-encoded, as a client sends quotes and colons.
    await api('GET', `/jobs/x${encodeURIComponent(WEIRD.w_quote!)}`);
    const lines = logLines().slice(before);
    const records = lines.map((l) => cleanJson(l, [...ALL, `${tag}-${tag}`]) as Record<string, unknown>);
    const warn = records.find((r) => r.detail !== undefined)!;
    expect(warn).toMatchObject({
      detail: '******',
      nested: { list: ['******', 7, true] },
      msg: 'the value ****** and ******',
      err: { message: 'the gateway said ******' },
    });
    expect((warn.err as { stack: string }).stack).toContain('the gateway said ******');
    expect(records.find((r) => r.level === 50 && !r.req)).toMatchObject({ msg: '****** failed' });
    const urls = records.flatMap((r) =>
      (r.req as { url?: string })?.url ? [(r.req as { url: string }).url] : [],
    );
    expect(urls).toContain('/api/v1/jobs/******');
    expect(urls).toContain('/api/v1/jobs/x******');
    for (const u of urls) expect(u).not.toContain(encodeURIComponent(WEIRD.w_quote!));
  });

  it('forgets a secret that was deleted, changed or made plain', async () => {
    const gone = `gone-${tag}-Xq`;
    const old = `rotate-old-${tag}`;
    const next = `rotate-new-${tag}`;
    await api('PUT', '/variables/gone_soon', { value: gone, secret: true });
    await api('PUT', '/variables/rotated', { value: old, secret: true });
    await api('PUT', '/variables/mentions', { value: `${gone} ${old} ${next}` });
    const value = async () =>
      (JSON.parse((await api('GET', '/variables/mentions')).text) as { value: string }).value;
    expect(await value()).toBe(`****** ****** ${next}`);

    expect((await api('DELETE', '/variables/gone_soon')).status).toBe(204);
    expect(await value()).toBe(`${gone} ****** ${next}`);

    await api('PUT', '/variables/rotated', { value: next });
    expect(await value()).toBe(`${gone} ${old} ******`);

    await api('PUT', '/variables/rotated', { value: next, secret: false });
    expect(await value()).toBe(`${gone} ${old} ${next}`);
    // Nor does the log go on masking it.
    t.platform.log.info(`after delete: ${gone}`);
    expect(logLines().at(-1)).toContain(`after delete: ${gone}`);
  });

  it('refuses as a secret a value too short or too common to be masked, with the reason, and changes nothing', async () => {
    const refused: [string, string, RegExp][] = [
      ['abc12', 'variable.secretRefused', /it has 5 characters, fewer than 6/],
      ['__main__', 'variable.secretRefused', /it is a common word or programming token/],
      ['Password123!', 'variable.secretRefused', /common word/],
      ['localhost', 'variable.secretRefused', /common word/],
      ['true', 'variable.secretRefused', /fewer than 6/],
      ['12345678901', 'variable.secretRefused', /only digits and punctuation/],
      ['2026-12-01', 'variable.secretRefused', /only digits and punctuation/],
    ];
    for (const [value, code, why] of refused) {
      const r = await api('PUT', '/variables/weak', { value, secret: true });
      expect(r.status, value).toBe(400);
      const e = (cleanJson(r.text, [value]) as { error: Record<string, unknown> }).error;
      expect(e).toMatchObject({ code: 'invalid_argument', messageCode: code, details: { field: 'value' } });
      expect(e.message).toMatch(why);
      expect(e.message).toContain('use a longer, random value');
      expect((await api('GET', '/variables/weak')).status).toBe(404);
    }
    // An existing secret keeps its value when a weak one is refused; a plain variable may be anything.
    await api('PUT', '/variables/strong', { value: `strong-${tag}-Zz`, secret: true });
    expect((await api('PUT', '/variables/strong', { value: 'admin' })).status).toBe(400);
    await api('PUT', '/variables/probe', { value: `strong-${tag}-Zz` });
    expect(JSON.parse((await api('GET', '/variables/probe')).text)).toMatchObject({ value: '******' });
    expect((await api('PUT', '/variables/plain_word', { value: 'main' })).status).toBe(200);
    expect((await api('PUT', '/variables/plain_word', { value: 'main', secret: true })).status).toBe(400);

    const cli = await runSluice(url, ['variable', 'set', 'from_cli', '__main__', '--secret']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('variable from_cli cannot be a secret: it is a common word');
  });

  it('keeps a weak secret saved before the rule, masked, and says so in the list', async () => {
    const list = JSON.parse((await api('GET', '/variables')).text) as {
      name: string;
      warning: string | null;
      warningMessage: { code: string } | null;
    }[];
    const main = list.find((v) => v.name === 'legacy_main')!;
    expect(main.warningMessage?.code).toBe('variable.secretWeak');
    expect(main.warning).toContain('secret legacy_main is weak: it is a common word or programming token');
    expect(list.find((v) => v.name === 'w_json')!.warning).toBeNull();
    const cli = await runSluice(url, ['variable', 'list']);
    expect(cli.stdout).toContain('legacy_colon');
    expect(cli.stderr).toContain('secret legacy_colon is weak: it has 3 characters, fewer than 6');
    // A platform opening on this store says so in its log as it loads them.
    const logFile = path.join(t.home, 'second.log');
    const second = await Platform.open(
      t.platform.config,
      pino({ level: 'info', ...maskingLogOptions }, pino.destination({ dest: logFile, sync: true })),
    );
    await second.close();
    const warned = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => cleanJson(l) as { level: number; msg: string });
    expect(warned).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining('secret legacy_main is weak') }),
    );
  });
});
