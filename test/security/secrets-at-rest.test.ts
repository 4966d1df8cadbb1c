import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/application/config.ts';
import { Platform } from '../../src/composition/platform.ts';
import { maskingLogOptions } from '../../src/application/secret-masking.ts';
import { servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import { callApi } from '../support/http.ts';

/**
 * Security suite, issue 11 item 2: a secret pasted where free text is kept (a job's description, a
 * version's message, the whole content of a version, a variable's description) is stored as its
 * reference, never as itself, in the SQLite file and its WAL; the home, the database and the key are
 * owner-only.
 */
const tag = Date.now().toString(36);
/** With a quote and a backslash, so that its JSON-escaped form differs from its raw one. */
const SECRET = `Rx${tag}"q\\Z7`;
const FORMS = [SECRET, JSON.stringify(SECRET).slice(1, -1)].map((s) => Buffer.from(s, 'utf8'));

const SQL = `CREATE TABLE s (a STRING) WITH ('connector' = 'datagen');
CREATE TABLE k (a STRING) WITH ('connector' = 'blackhole');
INSERT INTO k SELECT a FROM s WHERE a <> '\${token}';`;

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('secrets at rest', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  const api = (method: string, p: string, body?: unknown) => callApi(url, method, p, body);

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
    expect((await api('PUT', '/variables/token', { value: SECRET, secret: true })).status).toBe(200);
  });
  afterAll(async () => close?.());

  it('stores a secret pasted into a description or a version message as its reference', async () => {
    const created = await api('POST', '/jobs', {
      name: 'pasted',
      description: `logs in with ${SECRET} at night`,
      sql: SQL.replace('${token}', SECRET),
      options: { 'pipeline.name': `p-${SECRET}` },
      message: `first, with ${SECRET}`,
      target: 'local-1.20',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({
      description: 'logs in with ${token} at night',
      sql: SQL,
      options: { 'pipeline.name': 'p-${token}' },
    });
    const edited = await api('PATCH', '/jobs/pasted', {
      baseVersion: 1,
      message: `rotated ${SECRET} again`,
      description: `now ${SECRET}!`,
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json()).toMatchObject({
      message: 'rotated ${token} again',
      content: { description: 'now ${token}!' },
    });
    const versions = (await api('GET', '/jobs/pasted/versions')).json() as unknown as {
      message: string;
    }[];
    expect(versions.map((v) => v.message).sort()).toEqual(['first, with ${token}', 'rotated ${token} again']);

    const other = await api('PUT', '/variables/other', { value: 'x', description: `not ${SECRET}` });
    expect(other.json()).toMatchObject({ description: 'not ${token}' });
  });

  it('refuses a secret where no reference can stand, naming the place and saving nothing', async () => {
    const r = await api('POST', '/jobs', {
      name: 'keyed',
      sql: SQL,
      options: { [`x.${SECRET}`]: 'v' },
      target: 'local-1.20',
    });
    expect(r.status, r.text).toBe(400);
    const e = r.json().error as Record<string, unknown>;
    expect(e).toMatchObject({ messageCode: 'job.secretInOptionKey', details: { field: 'options' } });
    expect(e.message).toBe(
      'options: the key x.****** holds the value of secret variable token, where a reference cannot stand: remove it',
    );
    expect((await api('GET', '/jobs/keyed')).status).toBe(404);
  });

  it('leaves no secret in the SQLite file nor its WAL', async () => {
    const files = fs.readdirSync(t.home).filter((f) => f.startsWith('sluice.db'));
    expect(files).toEqual(expect.arrayContaining(['sluice.db', 'sluice.db-wal']));
    // The description and message are in the WAL (or the file) as references.
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(t.home, f))));
    expect(bytes.includes(Buffer.from('logs in with ${token} at night'))).toBe(true);
    expect(bytes.includes(Buffer.from('rotated ${token} again'))).toBe(true);
    for (const f of files) {
      const b = fs.readFileSync(path.join(t.home, f));
      for (const form of FORMS) expect(b.includes(form), `${f} holds the secret`).toBe(false);
    }
  });

  it('creates the home, the database and the key owner-only', async () => {
    expect(mode(t.home)).toBe('700');
    for (const f of ['sluice.db', 'sluice.db-wal', 'sluice.db-shm', 'secret.key'])
      expect(mode(path.join(t.home, f)), f).toBe('600');
  });
});

describe('owner-only files of a home', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-modes-'));
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  const open = async (home: string) => {
    const logFile = path.join(parent, 'log.jsonl');
    const log = pino(
      { level: 'info', ...maskingLogOptions },
      pino.destination({ dest: logFile, sync: true }),
    );
    const p = await Platform.open({ ...loadConfig({ SLUICE_HOME: home }), autoStart: false }, log);
    await p.variables.set('v', 'plain', {});
    return { p, log: () => fs.readFileSync(logFile, 'utf8') };
  };

  it('creates a new home 0700 with its files 0600, whatever the umask', async () => {
    const home = path.join(parent, 'new', 'home');
    const umask = process.umask(0o022);
    try {
      const { p } = await open(home);
      expect(mode(home)).toBe('700');
      for (const f of ['sluice.db', 'sluice.db-wal', 'sluice.db-shm', 'secret.key'])
        expect(mode(path.join(home, f)), f).toBe('600');
      await p.close();
    } finally {
      process.umask(umask);
    }
  });

  it('tightens a home and files that others can read, and says so in the log', async () => {
    const home = path.join(parent, 'new', 'home');
    fs.chmodSync(home, 0o755);
    for (const f of fs.readdirSync(home).filter((f) => /^(sluice\.db|secret\.key)/.test(f)))
      fs.chmodSync(path.join(home, f), 0o644);
    const { p, log } = await open(home);
    expect(mode(home)).toBe('700');
    for (const f of ['sluice.db', 'secret.key']) expect(mode(path.join(home, f)), f).toBe('600');
    expect(log()).toContain(`${home} was open to other users (mode 755): now 700, owner only`);
    expect(log()).toContain(
      `${path.join(home, 'sluice.db')} was open to other users (mode 644): now 600, owner only`,
    );
    expect(log()).toContain(
      `${path.join(home, 'secret.key')} was open to other users (mode 644): now 600, owner only`,
    );
    await p.close();
  });
});
